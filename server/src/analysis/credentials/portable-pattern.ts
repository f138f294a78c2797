/**
 * Patterns the credential detector runs here (JavaScript) and that the exported admission
 * checks run in the cluster (RE2, CEL's `matches`) with the same meaning. A portable body uses
 * only what both read alike: ASCII character classes (`\w`, `\d` and explicit ranges; no `.`,
 * `\s`, `\b` or case-insensitive flag, whose Unicode reach differs), groups, alternation and
 * counted repeats. The context RE2 cannot look at (it has no lookaround) becomes a character
 * it consumes, which changes nothing when only the existence of a match is asked.
 */
export interface PortablePattern {
  /** Characters (class contents) that may not come right before a match. */
  notAfter?: string;
  body: string;
  /** Characters (class contents) that may not come right after a match. */
  notBefore?: string;
}

/**
 * What JavaScript's `trim` and `\\s` take for whitespace (RE2's `\\s` is ASCII only), as class
 * contents; the characters are written raw, which both syntaxes read alike.
 */
export const WHITESPACE = '\\t\\n\\v\\f\\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
export const SPACE = `[${WHITESPACE}]`;
/** What ends a line for JavaScript's `.` (RE2's `.` stops at `\\n` only). */
export const LINE_BREAKS = '\\n\\r\u2028\u2029';

/** The pattern as a global JavaScript regex (lookarounds for the context). */
export function toRegExp({ notAfter, body, notBefore }: PortablePattern): RegExp {
  return compile(`${notAfter ? `(?<![${notAfter}])` : ''}(?:${body})${notBefore ? `(?![${notBefore}])` : ''}`, 'g');
}

/**
 * A test of a text, as RE2 (for CEL's `matches`) and as the function that runs here: the
 * same pattern compiled, or a linear-time equivalent where JavaScript's backtracking would
 * not be (`\\$\\{[\\s\\S]*\\}` retried from every `${` of `${${${…`).
 */
export interface PortableTest {
  re2: string;
  test: (text: string) => boolean;
}

/** The test of a portable body (unanchored, as CEL's `matches`). */
export function portableTest(body: string): PortableTest {
  const regex = compile(body, '');
  return { re2: body, test: (text) => regex.test(text) };
}

/**
 * Every regex built from a portable pattern, at module load. They are not literals, so the
 * ReDoS test (test/robustness/redos.test.ts) reads them here and times each on its
 * adversarial texts, as it times the literals.
 */
export const BUILT_REGEXES: RegExp[] = [];

function compile(source: string, flags: string): RegExp {
  const regex = new RegExp(source, flags);
  BUILT_REGEXES.push(regex);
  return regex;
}

/** The pattern in RE2, true of a text exactly when `toRegExp` finds a match in it. */
export function toRe2({ notAfter, body, notBefore }: PortablePattern): string {
  return `${notAfter ? `(?:^|[^${notAfter}])` : ''}(?:${body})${notBefore ? `(?:$|[^${notBefore}])` : ''}`;
}

/** `[Bb][Ee]…`: a word in any case, without a case-insensitive flag. */
export function anyCase(word: string): string {
  return [...word].map((c) => (c.toLowerCase() === c.toUpperCase() ? escapeRegex(c) : `[${c.toUpperCase()}${c.toLowerCase()}]`)).join('');
}

export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}-]/g, '\\$&');
}

/** A character class of the characters of `set`. */
function charClass(set: readonly string[]): string {
  return set.length === 1 ? escapeRegex(set[0]) : `[${set.map(escapeRegex).join('')}]`;
}

export const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * A pattern matching base64 text, read from the start of its first 4-character group, whose
 * decoded bytes contain `needle` (ASCII): one alternative per position of the needle in a
 * 3-byte group, each character it fixes written out and each it shares with unknown bytes as
 * the class of characters that agree with it. Used where a value is recognised by what it
 * decodes to (`"alg"` in a JWT header, `user:password` in Basic credentials) and the cluster
 * cannot decode base64 in standard CEL.
 */
export function base64Containing(needle: string, alphabet: string): string {
  const bits = [...needle].flatMap((c) => [...c.charCodeAt(0).toString(2).padStart(8, '0')].map(Number));
  const any = charClass([...alphabet]);
  const alternatives = [0, 1, 2].map((offset) => {
    const first = (8 * offset) / 6 | 0;
    const last = Math.ceil((8 * offset + bits.length) / 6) - 1;
    let pattern = first ? `${any}{${first}}` : '';
    for (let char = first; char <= last; char++) {
      const agreeing = [...alphabet].filter((_, value) =>
        [0, 1, 2, 3, 4, 5].every((b) => {
          const at = 6 * char + b - 8 * offset;
          return at < 0 || at >= bits.length || ((value >> (5 - b)) & 1) === bits[at];
        }),
      );
      pattern += charClass(agreeing);
    }
    return pattern;
  });
  return `(?:${any}{4})*(?:${alternatives.join('|')})`;
}

/**
 * A run of at least `length` characters of `others` and `required` (class contents) holding at
 * least one of `required`: one alternative per position of its first occurrence, so no
 * lookahead is needed.
 */
export function runContaining(others: string, required: string, length: number): string {
  const run = `[${required}${others}]`;
  const alternatives = [];
  for (let before = 0; before < length; before++) alternatives.push(`${before ? `[${others}]{${before}}` : ''}[${required}]${run}{${length - 1 - before},}`);
  alternatives.push(`[${others}]{${length},}[${required}]${run}*`);
  return `(?:${alternatives.join('|')})`;
}

/** Exactly `word.length` characters of `alphabet` that are not `word` (AWS's documented `…EXAMPLE` keys). */
export function notTheWord(word: string, alphabet: string): string {
  const alternatives = [...word].map((c, i) => {
    const rest = word.length - 1 - i;
    return `${escapeRegex(word.slice(0, i))}${charClass([...alphabet].filter((a) => a !== c))}${rest ? `${charClass([...alphabet])}{${rest}}` : ''}`;
  });
  return `(?:${alternatives.join('|')})`;
}
