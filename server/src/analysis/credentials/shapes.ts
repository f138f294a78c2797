import { MAX_SCANNED_VALUE_LENGTH } from './limits';
import { isPlaceholder } from './placeholders';
import { anyCase, base64Containing, BASE64_ALPHABET, BASE64URL_ALPHABET, notTheWord, runContaining, portableTest, toRe2, toRegExp, type PortablePattern, type PortableTest } from './portable-pattern';

/**
 * Credentials recognisable by their value alone, whatever the variable is called. Each
 * pattern is specific enough (a fixed prefix and length, a PEM armour line, a JSON header)
 * that a match is a credential unless it is a documented example.
 *
 * Every pattern runs in linear time (test/robustness/redos.test.ts): each starts at a fixed
 * prefix or after a lookbehind, and its repeated parts are runs of one character class that
 * end where the next part begins. The URL password is found from its `://` by hand: the
 * regex `\b[a-z][a-z0-9+.-]*:\/\/…` restarted from every word of the text (`a.a.a.…`) and
 * was quadratic.
 */

export type ShapeId =
  | 'pem-private-key'
  | 'aws-access-key-id'
  | 'jwt'
  | 'url-password'
  | 'github-token'
  | 'gitlab-token'
  | 'slack-token'
  | 'slack-webhook'
  | 'bearer-token'
  | 'basic-credentials';

export interface ShapeMatch {
  shape: ShapeId;
  /** What was found, for messages: "a PEM private key". */
  label: string;
  /** Offsets of the secret part in the scanned text. */
  start: number;
  end: number;
  /** The leading characters that are public by design (`ghp_`, `AKIA`), safe to show. */
  publicPrefix: string;
}

/** One match: where it starts, the text matched, and its capture groups (as of a regex). */
interface Match {
  index: number;
  0: string;
  [group: number]: string;
}

interface Shape {
  id: ShapeId;
  label: string;
  /** A global regex, or a function that finds the same matches in linear time. */
  pattern: RegExp | ((text: string) => Iterable<Match>);
  accept?: (match: Match) => boolean;
  /** The secret is capture group 1 (the password of a URL), not the whole match. */
  secretInGroup?: boolean;
  publicPrefix?: (secret: string) => string;
  /** Where the secret ends when it reaches past the match (a PEM key runs to its END line). */
  secretEnd?: (text: string, match: Match) => number;
  /**
   * RE2 that matches a text exactly when this shape is found in it, built from the same
   * pieces as `pattern` (portable-pattern.ts): the exported admission checks test values with
   * it (CEL `matches`). Absent for a shape only the editor and the CLI recognise.
   */
  re2?: string;
}

const BASE64_CHARACTERS = 'A-Za-z0-9+/';
const URL_SAFE = 'A-Za-z0-9_-';

/**
 * `-----BEGIN … PRIVATE KEY-----` followed, before the next five dashes, by a run of 40 base64
 * characters: the armour line alone is documentation (and a certificate or public key is no
 * secret). Lazy, so each start reads up to its first such run.
 */
const PEM_PRIVATE_KEY: PortablePattern = { body: '-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[^-]|-{1,4}[^-])*?[A-Za-z0-9+/=]{40}' };

/** AWS documents its example keys with an `EXAMPLE` suffix. */
const AWS_ACCESS_KEY_ID: PortablePattern = { notAfter: 'A-Z0-9', body: `(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{9}${notTheWord('EXAMPLE', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`, notBefore: 'A-Z0-9' };

/** Three base64url segments, header and payload JSON objects (`eyJ` is `{"`). */
const JWT_CANDIDATE: PortablePattern = { notAfter: URL_SAFE, body: `eyJ([${URL_SAFE}]{8,})\\.eyJ[${URL_SAFE}]{8,}\\.[${URL_SAFE}]{16,}`, notBefore: URL_SAFE };
/**
 * A JWT's header names its algorithm: it decodes to text holding `"alg"` (`eyJhbGci` is
 * `{"alg"`, else it sits after the first 4-character group). The start of a header, then
 * the whole header (at least 8 characters after `eyJ`, as the candidate requires).
 */
const ALG = base64Containing('"alg"', BASE64URL_ALPHABET);
const JWT_HEADER_START_BODY = `eyJ(?:hbGci|[${URL_SAFE}]${ALG})`;
const JWT_HEADER = `eyJ(?:hbGci[${URL_SAFE}]{3,}|[${URL_SAFE}]${ALG}[${URL_SAFE}]*)`;
const JWT_CANDIDATE_REGEX = toRegExp(JWT_CANDIDATE);
const JWT_HEADER_START = portableTest(`^${JWT_HEADER_START_BODY}`);

/**
 * An Authorization header's credentials, whatever the variable is called: `Bearer` and a token
 * of at least 16 characters with a digit in it (RFC 6750's token characters; prose such as
 * "Bearer authentication" has no digit), `Basic` and base64 that decodes to `user:password`.
 */
const BEARER_TOKEN: PortablePattern = {
  notAfter: '\\w',
  body: `${anyCase('bearer')}[ \\t]+(${runContaining('A-Za-z._~+/-', '0-9', 16)}=*)`,
  notBefore: 'A-Za-z0-9._~+/=-',
};
const BASIC_CANDIDATE: PortablePattern = { notAfter: '\\w', body: `${anyCase('basic')}[ \\t]+([${BASE64_CHARACTERS}]+={0,2})`, notBefore: `${BASE64_CHARACTERS}=` };
const USER_COLON_PASSWORD = base64Containing(':', BASE64_ALPHABET);
const BASIC_CANDIDATE_REGEX = toRegExp(BASIC_CANDIDATE);
const USER_COLON_PASSWORD_PREFIX = portableTest(`^${USER_COLON_PASSWORD}`);

const GITHUB_TOKEN: PortablePattern = { notAfter: '\\w', body: 'gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}', notBefore: '\\w' };
const GITLAB_TOKEN: PortablePattern = {
  notAfter: URL_SAFE,
  body: `(?:(?:glpat|gldt|glrt|glcbt|glsoat|glft)-[${URL_SAFE}]{20,}|glptt-[0-9a-f]{40}|GR1348941[${URL_SAFE}]{20,})`,
  notBefore: URL_SAFE,
};
const SLACK_TOKEN: PortablePattern = { notAfter: 'A-Za-z0-9-', body: '(?:xox[abposr]|xapp)-[0-9A-Za-z-]{10,}', notBefore: 'A-Za-z0-9-' };
const SLACK_WEBHOOK: PortablePattern = { body: 'https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+-]{20,}' };

const SHAPES: readonly Shape[] = [
  {
    id: 'pem-private-key',
    label: 'a PEM private key',
    pattern: toRegExp(PEM_PRIVATE_KEY),
    secretEnd: pemEnd,
    publicPrefix: () => '',
    re2: toRe2(PEM_PRIVATE_KEY),
  },
  {
    id: 'aws-access-key-id',
    label: 'an AWS access key id',
    pattern: toRegExp(AWS_ACCESS_KEY_ID),
    publicPrefix: (s) => s.slice(0, 4),
    re2: toRe2(AWS_ACCESS_KEY_ID),
  },
  {
    id: 'jwt',
    label: 'a JSON Web Token',
    pattern: (text) => candidatesWith(text, JWT_CANDIDATE_REGEX, JWT_HEADER_START, (m) => `eyJ${m[1]}`, (m) => m.index + 4 + m[1].length),
    publicPrefix: () => '',
    re2: toRe2({ ...JWT_CANDIDATE, body: JWT_CANDIDATE.body.replace(`eyJ([${URL_SAFE}]{8,})`, JWT_HEADER) }),
  },
  {
    id: 'github-token',
    label: 'a GitHub token',
    pattern: toRegExp(GITHUB_TOKEN),
    publicPrefix: (s) => s.slice(0, s.startsWith('github_pat_') ? 11 : 4),
    re2: toRe2(GITHUB_TOKEN),
  },
  {
    id: 'gitlab-token',
    label: 'a GitLab token',
    pattern: toRegExp(GITLAB_TOKEN),
    publicPrefix: (s) => s.slice(0, s.startsWith('GR1348941') ? 9 : s.indexOf('-') + 1),
    re2: toRe2(GITLAB_TOKEN),
  },
  {
    id: 'slack-token',
    label: 'a Slack token',
    pattern: toRegExp(SLACK_TOKEN),
    publicPrefix: (s) => s.slice(0, s.indexOf('-') + 1),
    re2: toRe2(SLACK_TOKEN),
  },
  {
    id: 'slack-webhook',
    label: 'a Slack webhook URL',
    pattern: toRegExp(SLACK_WEBHOOK),
    publicPrefix: () => 'https://hooks.slack.com/',
    re2: toRe2(SLACK_WEBHOOK),
  },
  {
    id: 'bearer-token',
    label: 'a bearer token',
    pattern: toRegExp(BEARER_TOKEN),
    secretInGroup: true,
    publicPrefix: () => '',
    re2: toRe2(BEARER_TOKEN),
  },
  {
    id: 'basic-credentials',
    label: 'Basic authentication credentials',
    pattern: (text) => candidatesWith(text, BASIC_CANDIDATE_REGEX, USER_COLON_PASSWORD_PREFIX, (m) => m[1]),
    secretInGroup: true,
    publicPrefix: () => '',
    re2: toRe2({ ...BASIC_CANDIDATE, body: BASIC_CANDIDATE.body.replace(`([${BASE64_CHARACTERS}]+={0,2})`, `${USER_COLON_PASSWORD}[${BASE64_CHARACTERS}]*={0,2}`) }),
  },
  {
    id: 'url-password',
    label: 'a password in a URL',
    // scheme://user:password@ — the user may be empty (`redis://:pw@host`). Last: a token it
    // holds is named by its own shape, and the admission checks do not look for it (an
    // encoded placeholder needs decoding, which standard CEL cannot do).
    pattern: urlPasswords,
    accept: (m) => !isPlaceholder(decodeURIComponentSafe(m[1])),
    secretInGroup: true,
    publicPrefix: () => '',
  },
];

/** RE2 patterns, one per shape the admission checks recognise, each true of a text holding that shape. */
export const PORTABLE_SHAPES: ReadonlyArray<{ shape: ShapeId; re2: string }> = SHAPES.flatMap((s) => (s.re2 ? [{ shape: s.id, re2: s.re2 }] : []));

export function isPortableShape(shape: ShapeId): boolean {
  return PORTABLE_SHAPES.some((p) => p.shape === shape);
}

/**
 * The matches of `candidate` whose part `part(m)` starts with `prefix`. A rejected candidate
 * may hide one that starts inside it (`eyJx.eyJ….eyJ….sig`): the search resumes at `resume(m)`,
 * so a match is found wherever the RE2 form of the same pattern finds one.
 */
function* candidatesWith(text: string, candidate: RegExp, prefix: PortableTest, part: (m: Match) => string, resume?: (m: Match) => number): Generator<Match> {
  candidate.lastIndex = 0;
  for (let m = candidate.exec(text); m; m = candidate.exec(text)) {
    if (prefix.test(part(m))) yield m;
    else if (resume) candidate.lastIndex = resume(m);
  }
}

/** A PEM key's secret runs to the end of its `-----END …-----` line, or of the text. */
function pemEnd(text: string, match: Match): number {
  const end = text.indexOf('-----END ', match.index + match[0].length);
  const close = end < 0 ? -1 : text.indexOf('-----', end + 9);
  return close < 0 ? text.length : close + 5;
}

/** Every credential-shaped part of `text`, in order of position; `text` is scanned up to MAX_SCANNED_VALUE_LENGTH characters. */
export function findCredentialShapes(text: string): ShapeMatch[] {
  if (text.length > MAX_SCANNED_VALUE_LENGTH) text = text.slice(0, MAX_SCANNED_VALUE_LENGTH);
  const found: ShapeMatch[] = [];
  for (const shape of SHAPES) {
    for (const m of typeof shape.pattern === 'function' ? shape.pattern(text) : text.matchAll(shape.pattern)) {
      if (shape.accept && !shape.accept(m)) continue;
      const secret = shape.secretInGroup ? m[1] : m[0];
      const start = m.index + m[0].lastIndexOf(secret);
      const end = shape.secretEnd?.(text, m) ?? start + secret.length;
      // A token found twice (a GitHub token or a JWT after `Bearer`) is named by the first, more specific shape.
      if (found.some((f) => f.start === start && f.end === end)) continue;
      found.push({ shape: shape.id, label: shape.label, start, end, publicPrefix: shape.publicPrefix?.(m[0]) ?? '' });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** After `://`: the user (no `:`), `:`, the password (group 1), `@`. Sticky: tried at one position. */
const USER_PASSWORD = /[^\s:/?#@'"]*:([^\s/?#@'"]+)@/y;

/**
 * The matches of `/\b[a-z][a-z0-9+.-]*:\/\/[^\s:/?#@'"]*:([^\s/?#@'"]+)@/gi`, found from
 * each `://`: the scheme is the run of scheme characters before it, from its leftmost letter
 * at a word boundary; user and password follow it. Each character is read a bounded number
 * of times (scheme runs, users and passwords contain no `://`).
 */
function* urlPasswords(text: string): Generator<Match> {
  for (let separator = text.indexOf('://'); separator >= 0; separator = text.indexOf('://', separator + 3)) {
    let start = -1;
    for (let i = separator - 1; i >= 0 && isSchemeCharacter(text.charCodeAt(i)); i--) {
      if (isLetter(text.charCodeAt(i)) && (i === 0 || !isWordCharacter(text.charCodeAt(i - 1)))) start = i;
    }
    if (start < 0) continue;
    USER_PASSWORD.lastIndex = separator + 3;
    const tail = USER_PASSWORD.exec(text);
    if (!tail) continue;
    yield { index: start, 0: text.slice(start, USER_PASSWORD.lastIndex), 1: tail[1] };
    // The next search starts after the `@`, as a global regex's would.
    separator = USER_PASSWORD.lastIndex - 3;
  }
}

const isLetter = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
/** `[a-z0-9+.-]`, case-insensitive. */
const isSchemeCharacter = (c: number) => isLetter(c) || isDigit(c) || c === 0x2b || c === 0x2e || c === 0x2d;
/** `\w`: a `\b` lies between a word character and anything else. */
const isWordCharacter = (c: number) => isLetter(c) || isDigit(c) || c === 0x5f;

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
