import { findCredentialAssignments } from './assignments';
import { MAX_SCANNED_VALUE_LENGTH } from './limits';
import { findCredentialShapes } from './shapes';

/**
 * Masking: what may be shown of a secret. Nothing of it, not even its length, except a
 * prefix that is public by design (`ghp_`, `AKIA`), which tells the reader what kind of
 * credential to rotate.
 */

export const MASK = '****';

export function maskSecret(secret: string, publicPrefix = ''): string {
  return publicPrefix && secret.startsWith(publicPrefix) && publicPrefix.length < secret.length ? `${publicPrefix}${MASK}` : MASK;
}

/**
 * `text` with every credential the detector recognises without a name (shapes and
 * `name=value` assignments) masked: a last line of defence for logs and reports that
 * quote user content, such as YAML error messages. A text longer than
 * MAX_SCANNED_VALUE_LENGTH is cut there (and ends with `…`).
 */
export function redactCredentials(text: string): string {
  // Nothing unscanned goes out: past the scanning cap the text is cut.
  if (text.length > MAX_SCANNED_VALUE_LENGTH) return `${redactCredentials(text.slice(0, MAX_SCANNED_VALUE_LENGTH))}…`;
  const spans = [
    ...findCredentialShapes(text).map((m) => ({ start: m.start, end: m.end, mask: maskSecret(text.slice(m.start, m.end), m.publicPrefix) })),
    ...findCredentialAssignments(text).map((a) => ({ start: a.start, end: a.end, mask: MASK })),
  ].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const span of spans) {
    if (span.end <= at) continue;
    out += text.slice(at, Math.max(at, span.start)) + span.mask;
    at = span.end;
  }
  return out + text.slice(at);
}
