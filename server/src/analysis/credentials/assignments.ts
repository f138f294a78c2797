import { isCredentialName } from './names';
import { MAX_SCANNED_VALUE_LENGTH } from './limits';
import { isNonSecretLiteral, isPlaceholder } from './placeholders';

/**
 * Credentials assigned inside a larger text: a config file held in a ConfigMap
 * (`admin_password = …` in an INI file, `"clientSecret": "…"` in JSON, `password: …` in
 * YAML), a command line (`--db-password=…`, `export API_TOKEN=…`), a JDBC or ADO.NET
 * connection string (`;Password=…;`) or a URL query (`?access_token=…`).
 */

export interface Assignment {
  /** The credential name as written. */
  name: string;
  /** Offsets of the value in the scanned text. */
  start: number;
  end: number;
}

// The three patterns run in linear time (test/robustness/redos.test.ts): each starts at a line
// start, a separator or a quote, and its runs stop at the delimiter that follows them.

/** `key: value` / `key = value` at the start of a line (YAML, INI, properties, dotenv, shell). */
const LINE_ASSIGNMENT = /^[ \t]*(?:export[ \t]+|-[ \t]+)?(["']?)([A-Za-z_][\w.-]*)\1[ \t]*[:=][ \t]*(.*)$/gm;
/** `name=value` after a separator (flags, shell words, connection strings, URL queries, `.npmrc` `:_authToken=`). */
const INLINE_ASSIGNMENT = /(?:^|[\s;&?,(:])(?:-D|--?)?([A-Za-z_][\w.-]*)=("[^"\n]*"|'[^'\n]*'|[^\s;&,'"]*)/g;
/** `"name": "value"` anywhere (one-line JSON). */
const JSON_MEMBER = /"([A-Za-z_][\w.-]*)"\s*:\s*("(?:[^"\\\n]|\\.)*")/g;

/** Assignments in `text`, scanned up to MAX_SCANNED_VALUE_LENGTH characters. */
export function findCredentialAssignments(text: string): Assignment[] {
  if (text.length > MAX_SCANNED_VALUE_LENGTH) text = text.slice(0, MAX_SCANNED_VALUE_LENGTH);
  const found = new Map<number, Assignment>();
  const consider = (name: string, rawValue: string, valueStart: number) => {
    const value = literalValue(rawValue);
    if (value === undefined || !isCredentialName(name) || isPlaceholder(value.text) || isNonSecretLiteral(value.text)) return;
    const start = valueStart + value.offset;
    if (!found.has(start)) found.set(start, { name, start, end: start + value.text.length });
  };
  for (const m of text.matchAll(LINE_ASSIGNMENT)) consider(m[2], m[3], m.index + m[0].length - m[3].length);
  for (const m of text.matchAll(INLINE_ASSIGNMENT)) consider(m[1], m[2], m.index + m[0].length - m[2].length);
  for (const m of text.matchAll(JSON_MEMBER)) consider(m[1], m[2], m.index + m[0].length - m[2].length);
  return [...found.values()].sort((a, b) => a.start - b.start);
}

/**
 * The literal a raw right-hand side holds, or undefined when it is not a plain literal:
 * a nested structure, a block scalar, an anchor, a tag or a code expression.
 */
function literalValue(raw: string): { text: string; offset: number } | undefined {
  const quoted = /^(["'])(.*?)\1/.exec(raw);
  if (quoted) return { text: quoted[2], offset: 1 };
  if (/^["'{[|>&*!]/.test(raw)) return undefined;
  // Trailing comment (YAML, INI, shell) and JSON separator.
  const text = withoutTrailingComment(raw).replace(/,\s*$/, '').trim();
  // `obj.spec.token`, `os.getenv("X")`, `cfg[key]`: code reads a value, it does not hold one.
  if (/[()[\]{}]/.test(text) || /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$/.test(text)) return undefined;
  return { text, offset: raw.indexOf(text) };
}

/**
 * `raw.replace(/\s+[#;].*$/, '')` in linear time: cut at the first blank run followed by
 * `#` or `;` (the regex retried `\s+` from every blank of a long run: quadratic).
 */
function withoutTrailingComment(raw: string): string {
  // `.*$` cannot cross a line break: a comment is cut only after the last one.
  const lastBreak = Math.max(raw.lastIndexOf('\n'), raw.lastIndexOf('\r'), raw.lastIndexOf('\u2028'), raw.lastIndexOf('\u2029'));
  for (let i = 0; i < raw.length; i++) {
    if (!BLANK.test(raw[i])) continue;
    const runStart = i;
    while (i < raw.length && BLANK.test(raw[i])) i++;
    if ((raw[i] === '#' || raw[i] === ';') && i > lastBreak) return raw.slice(0, runStart);
  }
  return raw;
}

const BLANK = /\s/;
