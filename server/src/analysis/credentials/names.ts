import { MAX_CREDENTIAL_NAME_LENGTH } from './limits';

/**
 * Whether a variable, key or flag name says it holds a credential: `DB_PASSWORD`,
 * `clientSecret`, `admin.password`, `AWS_SECRET_ACCESS_KEY`, `--api-key`. The credential
 * word must be the name's head (its last word, give or take an encoding suffix), so names
 * about a credential rather than holding one stay silent: `PASSWORD_FILE`, `TOKEN_TTL`,
 * `SECRET_NAME`, `tokenRef`, `MAX_TOKENS`.
 */

/** Last words that make the name a credential on their own. */
export const HEAD_WORDS = new Set(['password', 'passwd', 'passphrase', 'pwd', 'pass', 'secret', 'token', 'credential', 'credentials', 'creds', 'apikey']);

/** `…_KEY` is a credential only after one of these words (`API_KEY`, `SECRET_ACCESS_KEY`, `STORAGE_ACCOUNT_KEY`). */
export const KEY_QUALIFIERS = new Set(['api', 'private', 'access', 'secret', 'signing', 'encryption', 'ssh', 'master', 'hmac', 'account', 'storage']);

/** Run-together names (`adminpassword`, `bearertoken`, `ssh-privatekey`, `server.secretkey`) end with one of these. */
export const COMPOUND_ENDINGS = ['password', 'passwd', 'passphrase', 'secret', 'token', 'apikey', 'accesskey', 'privatekey', 'secretkey'];

/** Suffixes that only say how the credential is encoded: `TOKEN_B64`, `PASSWORD_VALUE`. */
export const ENCODING_SUFFIXES = new Set(['value', 'b64', 'base64', 'plain', 'plaintext', 'raw', 'string', 'str']);

/** A name that counts or limits something is not a credential (`MAX_TOKEN`, `NUM_SECRETS`). */
export const QUANTITY_WORDS = new Set(['max', 'min', 'num', 'count', 'limit']);

/** The shell's working directories, exactly as the shell names them (environment names are case-sensitive). */
export const SHELL_DIRECTORIES = ['PWD', 'OLDPWD'];

/** `IMAGE_PULL_SECRET`, `TLS_SECRET`: the name of a Kubernetes Secret object, not its content. */
export const OBJECT_SECRET_QUALIFIERS = new Set(['pull', 'tls', 'cert', 'certificate', 'k8s', 'kube', 'kubernetes']);

/**
 * Words of a name: split at non-alphanumerics and camelCase humps, lower-cased. A hump is a
 * capital after a lower-case letter or digit (`client|Secret`, `v2|Token`), or the last
 * capital of a run that a lower-case letter follows (`API|Key`). One pass over the name: the
 * regex `([A-Z]+)([A-Z][a-z])` this replaces was quadratic in a run of capitals.
 */
export function nameWords(name: string): string[] {
  const words: string[] = [];
  let start = -1;
  let previous = OTHER;
  for (let i = 0; i <= name.length; i++) {
    const current = i < name.length ? charKind(name.charCodeAt(i)) : OTHER;
    if (current === OTHER) {
      if (start >= 0) words.push(name.slice(start, i).toLowerCase());
      start = -1;
    } else if (start < 0) start = i;
    else if (current === UPPER && (previous !== UPPER || (i + 1 < name.length && charKind(name.charCodeAt(i + 1)) === LOWER))) {
      words.push(name.slice(start, i).toLowerCase());
      start = i;
    }
    previous = current;
  }
  return words;
}

const OTHER = 0;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;

/** ASCII only, as the patterns were: other letters separate words. */
function charKind(code: number): number {
  if (code >= 0x61 && code <= 0x7a) return LOWER;
  if (code >= 0x41 && code <= 0x5a) return UPPER;
  if (code >= 0x30 && code <= 0x39) return DIGIT;
  return OTHER;
}

export function isCredentialName(name: string): boolean {
  return credentialNoun(name) !== undefined;
}

/** What a credential name says the value is ("a password", "an API key"), or undefined if it is not a credential name. */
export function credentialNoun(name: string): string | undefined {
  if (name.length > MAX_CREDENTIAL_NAME_LENGTH) return undefined;
  const words = nameWords(name);
  while (words.length > 1 && ENCODING_SUFFIXES.has(words[words.length - 1])) words.pop();
  if (words.length === 0 || words.some((w) => QUANTITY_WORDS.has(w))) return undefined;
  // `PWD` and `OLDPWD` are the shell's working directories; environment names are case-sensitive, so `pwd` is a password.
  if (SHELL_DIRECTORIES.includes(name)) return undefined;
  const head = words[words.length - 1];
  if (head === 'secret' && OBJECT_SECRET_QUALIFIERS.has(words[words.length - 2])) return undefined;
  if (head === 'key') return words.length > 1 && KEY_QUALIFIERS.has(words[words.length - 2]) ? keyNoun(words.slice(-3, -1)) : undefined;
  const word = HEAD_WORDS.has(head) ? head : COMPOUND_ENDINGS.find((ending) => head.endsWith(ending));
  return word === undefined ? undefined : NOUNS[word] ?? 'a secret';
}

const NOUNS: Record<string, string> = {
  password: 'a password', passwd: 'a password', pwd: 'a password', pass: 'a password', passphrase: 'a passphrase',
  token: 'a token', credential: 'credentials', credentials: 'credentials', creds: 'credentials',
  apikey: 'an API key', accesskey: 'an access key', privatekey: 'a private key', secretkey: 'a secret key',
};

/** From the one or two words before `key`: `api` → "an API key", `secret access` → "a secret access key". */
function keyNoun(before: string[]): string {
  const qualifier = before[before.length - 1];
  if (before.join(' ') === 'secret access') return 'a secret access key';
  if (qualifier === 'api') return 'an API key';
  if (qualifier === 'private' || qualifier === 'ssh') return 'a private key';
  if (qualifier === 'access') return 'an access key';
  if (qualifier === 'hmac') return 'an HMAC key';
  return `a${/^[aeiou]/.test(qualifier) ? 'n' : ''} ${qualifier} key`;
}
