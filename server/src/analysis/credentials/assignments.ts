import { isCredentialName } from './names';
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

/** `key: value` / `key = value` at the start of a line (YAML, INI, properties, dotenv, shell). */
const LINE_ASSIGNMENT = /^[ \t]*(?:export[ \t]+|-[ \t]+)?(["']?)([A-Za-z_][\w.-]*)\1[ \t]*[:=][ \t]*(.*)$/gm;
/** `name=value` after a separator (flags, shell words, connection strings, URL queries, `.npmrc` `:_authToken=`). */
const INLINE_ASSIGNMENT = /(?:^|[\s;&?,(:])(?:-D|--?)?([A-Za-z_][\w.-]*)=("[^"\n]*"|'[^'\n]*'|[^\s;&,'"]*)/g;
/** `"name": "value"` anywhere (one-line JSON). */
const JSON_MEMBER = /"([A-Za-z_][\w.-]*)"\s*:\s*("(?:[^"\\\n]|\\.)*")/g;

export function findCredentialAssignments(text: string): Assignment[] {
  const found = new Map<number, Assignment>();
  const consider = (name: string, rawValue: string, valueStart: number) => {
    const value = literalValue(rawValue);
    if (value === undefined || !isCredentialName(name) || isPlaceholder(value.text, name) || isNonSecretLiteral(value.text)) return;
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
  const text = raw.replace(/\s+[#;].*$/, '').replace(/,\s*$/, '').trim();
  // `obj.spec.token`, `os.getenv("X")`, `cfg[key]`: code reads a value, it does not hold one.
  if (/[()[\]{}]/.test(text) || /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$/.test(text)) return undefined;
  return { text, offset: raw.indexOf(text) };
}
