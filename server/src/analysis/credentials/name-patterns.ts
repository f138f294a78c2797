import { COMPOUND_ENDINGS, ENCODING_SUFFIXES, HEAD_WORDS, KEY_QUALIFIERS, nameWords, OBJECT_SECRET_QUALIFIERS, QUANTITY_WORDS, SHELL_DIRECTORIES } from './names';
import { MAX_CREDENTIAL_NAME_LENGTH } from './limits';

/**
 * The credential-name test of names.ts (`isCredentialName`) in RE2, for the admission checks,
 * generated from the same word lists. A name is read as names.ts reads it: words split at
 * non-alphanumerics and camelCase humps. A word of a list may be written in lower case, in
 * capitals or capitalised (other mixes are several words); what may come before and after it
 * depends on its first and last characters:
 * - a word starting with a lower-case letter or a digit starts the name or follows a separator
 *   (after a letter or digit it would continue the word before);
 * - one starting with a capital also follows a lower-case letter or digit (a hump), and a
 *   capital when its second character is lower-case (`APIKey`: the K starts `Key`);
 * - one ending with a lower-case letter or digit is followed by the end, a separator or a
 *   capital (a hump); one ending with a capital by the end, a separator or a capital and a
 *   lower-case letter (`TOKENValue`).
 * test/unit/credentials/name-patterns.test.ts compares the two on generated names.
 */

/** A way to write a word of a list, as one word of a name. */
interface Spelling {
  text: string;
  /** It may directly follow a word ending in a capital (it starts with a capital and a lower-case letter). */
  afterCapital: boolean;
  /** It starts with a capital: it may directly follow a word ending in a lower-case letter or digit. */
  startsCapital: boolean;
  /** It ends with a capital. */
  endsCapital: boolean;
}

const SEPARATOR = '[^A-Za-z0-9]';
const isUpper = (c: string | undefined) => c !== undefined && c >= 'A' && c <= 'Z';
const isLower = (c: string | undefined) => c !== undefined && c >= 'a' && c <= 'z';

/** The spellings of `word` that names.ts reads as that one word. */
function spellings(word: string): Spelling[] {
  const texts = new Set([word, word.toUpperCase(), word[0].toUpperCase() + word.slice(1)]);
  return [...texts]
    .filter((text) => { const words = nameWords(text); return words.length === 1 && words[0] === word; })
    .map((text) => ({ text, startsCapital: isUpper(text[0]), afterCapital: isUpper(text[0]) && isLower(text[1]), endsCapital: isUpper(text[text.length - 1]) }));
}

const alternation = (items: readonly string[]) => (items.length === 0 ? '(?!)' : items.length === 1 ? items[0] : `(?:${items.join('|')})`);

/** What may come right before a spelling that must be a whole word. */
function wordStart(spelling: Spelling): string {
  if (!spelling.startsCapital) return `(?:^|${SEPARATOR})`;
  return spelling.afterCapital ? '' : '(?:^|[^A-Z])';
}

/** A word, then the words of `next` with what may join them (a separator run, or a hump). */
function joined(spellings: readonly Spelling[], capitalEnd: boolean): string {
  // After a capital a word follows directly only when it starts with a capital and a lower-case letter; after anything else, when it starts with a capital.
  const direct = spellings.filter((s) => (capitalEnd ? s.afterCapital : s.startsCapital)).map((s) => s.text);
  const all = spellings.map((s) => s.text);
  return alternation([`${SEPARATOR}+${alternation(all)}`, ...(direct.length ? [alternation(direct)] : [])]);
}

/**
 * What may follow a word that ends the name's meaning: encoding suffixes (`_B64`, `Value`),
 * separators, the end. A regular language over two states (after a word ending in a capital
 * or not), written out by eliminating them.
 */
function tail(capitalEnd: boolean): string {
  const suffixes = [...ENCODING_SUFFIXES].flatMap(spellings);
  const step = (from: boolean, to: boolean) => joined(suffixes.filter((s) => s.endsCapital === to), from);
  const end = `${SEPARATOR}*$`;
  const [aa, ab, ba, bb] = [step(false, false), step(false, true), step(true, false), step(true, true)];
  const fromA = `(?:${aa}|${ab}(?:${bb})*${ba})*(?:${ab}(?:${bb})*)?${end}`;
  return capitalEnd ? `(?:${bb})*(?:${ba}${fromA}|${end})` : fromA;
}

/**
 * Names whose head is one of `heads` (each a pattern and whether it ends with a capital): the
 * heads grouped by how they end, each group followed by the tail that may follow it.
 */
function headed(heads: ReadonlyArray<{ pattern: string; endsCapital: boolean }>): string {
  return alternation(
    [false, true].flatMap((capitalEnd) => {
      const group = heads.filter((h) => h.endsCapital === capitalEnd).map((h) => h.pattern);
      return group.length ? [`${alternation(group)}${tail(capitalEnd)}`] : [];
    }),
  );
}

/** The spellings of words as the end of a word (`exact`: as a whole word). */
function words(list: Iterable<string>, exact: boolean): Array<{ pattern: string; endsCapital: boolean }> {
  return [...list].flatMap(spellings).map((s) => ({ pattern: `${exact ? wordStart(s) : ''}${s.text}`, endsCapital: s.endsCapital }));
}

/** Two words in a row (`API` `KEY`, `TLS` `SECRET`): a qualifier, what joins them, the head word. */
function pairs(qualifiers: Iterable<string>, head: string): Array<{ pattern: string; endsCapital: boolean }> {
  const firsts = [...qualifiers].flatMap(spellings);
  return spellings(head).map((h) => ({
    pattern: alternation(
      [false, true].flatMap((capitalEnd) => {
        const group = firsts.filter((q) => q.endsCapital === capitalEnd).map((q) => `${wordStart(q)}${q.text}`);
        return group.length ? [`${alternation(group)}${joined([h], capitalEnd)}`] : [];
      }),
    ),
    endsCapital: h.endsCapital,
  }));
}

const EXACT_HEADS = [...HEAD_WORDS].filter((word) => !COMPOUND_ENDINGS.some((ending) => word.endsWith(ending)));

/**
 * A credential name as RE2: `size(name) <= maxLength && !(name in exempt) && name.matches(credential) && !name.matches(notCredential)`.
 */
export const CREDENTIAL_NAME_RE2 = {
  maxLength: MAX_CREDENTIAL_NAME_LENGTH,
  exempt: SHELL_DIRECTORIES,
  /** The head (last word before encoding suffixes) is a credential word, ends with one, or is `key` after a qualifier. */
  credential: headed([...words(COMPOUND_ENDINGS, false), ...words(EXACT_HEADS, true), ...pairs(KEY_QUALIFIERS, 'key')]),
  /** A word counts or limits something, or the head is `secret` after a word that makes it a Secret object's name. */
  notCredential: alternation([
    ...[...QUANTITY_WORDS].flatMap(spellings).map((s) => `${wordStart(s)}${s.text}(?:$|${SEPARATOR}|${s.endsCapital ? '[A-Z][a-z]' : '[A-Z]'})`),
    headed(pairs(OBJECT_SECRET_QUALIFIERS, 'secret')),
  ]),
};
