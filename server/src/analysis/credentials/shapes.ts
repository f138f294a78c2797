import { MAX_SCANNED_VALUE_LENGTH } from './limits';
import { isPlaceholder } from './placeholders';

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

export type ShapeId = 'pem-private-key' | 'aws-access-key-id' | 'jwt' | 'url-password' | 'github-token' | 'gitlab-token' | 'slack-token' | 'slack-webhook';

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
}

const SHAPES: readonly Shape[] = [
  {
    id: 'pem-private-key',
    label: 'a PEM private key',
    // Up to the matching END line, or the end of the text when it is cut off.
    pattern: /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----([\s\S]*?)(?:-----END \1PRIVATE KEY\2-----|$)/g,
    // The armour line alone is documentation; a key has base64 under it (JSON-escaped line breaks allowed).
    accept: (m) => base64Characters(m[3]) >= 40,
    publicPrefix: () => '',
  },
  {
    id: 'aws-access-key-id',
    label: 'an AWS access key id',
    pattern: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g,
    // AWS documents its example keys with an `EXAMPLE` suffix.
    accept: (m) => !m[0].endsWith('EXAMPLE'),
    publicPrefix: (s) => s.slice(0, 4),
  },
  {
    id: 'jwt',
    label: 'a JSON Web Token',
    pattern: /(?<![\w-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}(?![\w-])/g,
    accept: (m) => jwtHeaderHasAlg(m[0].slice(0, m[0].indexOf('.'))),
    publicPrefix: () => '',
  },
  {
    id: 'url-password',
    label: 'a password in a URL',
    // scheme://user:password@ — the user may be empty (`redis://:pw@host`).
    pattern: urlPasswords,
    accept: (m) => !isPlaceholder(decodeURIComponentSafe(m[1])),
    secretInGroup: true,
    publicPrefix: () => '',
  },
  {
    id: 'github-token',
    label: 'a GitHub token',
    pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/g,
    publicPrefix: (s) => s.slice(0, s.startsWith('github_pat_') ? 11 : 4),
  },
  {
    id: 'gitlab-token',
    label: 'a GitLab token',
    pattern: /(?<![A-Za-z0-9_-])(?:(?:glpat|gldt|glrt|glcbt|glsoat|glft)-[A-Za-z0-9_-]{20,}|glptt-[0-9a-f]{40}|GR1348941[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])/g,
    publicPrefix: (s) => s.slice(0, s.startsWith('GR1348941') ? 9 : s.indexOf('-') + 1),
  },
  {
    id: 'slack-token',
    label: 'a Slack token',
    pattern: /(?<![A-Za-z0-9-])(?:xox[abposr]|xapp)-[0-9A-Za-z-]{10,}(?![A-Za-z0-9-])/g,
    publicPrefix: (s) => s.slice(0, s.indexOf('-') + 1),
  },
  {
    id: 'slack-webhook',
    label: 'a Slack webhook URL',
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/+-]{20,}/g,
    publicPrefix: () => 'https://hooks.slack.com/',
  },
];

/** Every credential-shaped part of `text`, in order of position; `text` is scanned up to MAX_SCANNED_VALUE_LENGTH characters. */
export function findCredentialShapes(text: string): ShapeMatch[] {
  if (text.length > MAX_SCANNED_VALUE_LENGTH) text = text.slice(0, MAX_SCANNED_VALUE_LENGTH);
  const found: ShapeMatch[] = [];
  for (const shape of SHAPES) {
    for (const m of typeof shape.pattern === 'function' ? shape.pattern(text) : text.matchAll(shape.pattern)) {
      if (shape.accept && !shape.accept(m)) continue;
      const secret = shape.secretInGroup ? m[1] : m[0];
      const start = m.index + m[0].lastIndexOf(secret);
      found.push({
        shape: shape.id,
        label: shape.label,
        start,
        end: start + secret.length,
        publicPrefix: shape.publicPrefix?.(m[0]) ?? '',
      });
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

/**
 * Base64 characters (`[A-Za-z0-9+/=]`) under a PEM armour line, not counting the `n`/`r`
 * of JSON-escaped line breaks (`\n`, `\r`).
 */
function base64Characters(body: string): number {
  let count = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (isLetter(c) || isDigit(c) || c === 0x2b || c === 0x2f || c === 0x3d) {
      if (!((c === 0x6e || c === 0x72) && body.charCodeAt(i - 1) === 0x5c)) count++;
    }
  }
  return count;
}

function jwtHeaderHasAlg(segment: string): boolean {
  try {
    const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
    const header = JSON.parse(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4))) as unknown;
    return typeof header === 'object' && header !== null && 'alg' in header;
  } catch {
    return false;
  }
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
