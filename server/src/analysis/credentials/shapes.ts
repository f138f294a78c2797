import { isPlaceholder } from './placeholders';

/**
 * Credentials recognisable by their value alone, whatever the variable is called. Each
 * pattern is specific enough (a fixed prefix and length, a PEM armour line, a JSON header)
 * that a match is a credential unless it is a documented example.
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

interface Shape {
  id: ShapeId;
  label: string;
  pattern: RegExp;
  accept?: (match: RegExpExecArray) => boolean;
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
    accept: (m) => (m[3].replace(/\\[nr]/g, '').match(/[A-Za-z0-9+/=]/g) ?? []).length >= 40,
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
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/?#@'"]*:([^\s/?#@'"]+)@/gi,
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

/** Every credential-shaped part of `text`, in order of position. */
export function findCredentialShapes(text: string): ShapeMatch[] {
  const found: ShapeMatch[] = [];
  for (const shape of SHAPES) {
    shape.pattern.lastIndex = 0;
    for (let m = shape.pattern.exec(text); m; m = shape.pattern.exec(text)) {
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
