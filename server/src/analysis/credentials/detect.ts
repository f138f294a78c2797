import { findCredentialAssignments } from './assignments';
import { credentialNoun, isCredentialName } from './names';
import { isNonSecretLiteral, isPlaceholder } from './placeholders';
import { WHITESPACE, type PortableTest } from './portable-pattern';
import { findCredentialShapes, isPortableShape, type ShapeId } from './shapes';

/** One credential found in a value. Carries no part of the secret. */
export interface Credential {
  /** By the variable's own name, by the value's shape, or by a `name=value` inside the value. */
  via: 'name' | 'shape' | 'assignment';
  /** What it is, for messages: "a password", "a GitHub token". */
  noun: string;
  shape?: ShapeId;
  /** For `assignment`: the name assigned inside the value (`admin_password`). */
  innerName?: string;
}

/**
 * The credential a named literal holds (an env var, a ConfigMap key), if any: a value shaped
 * like a credential first (the most specific description), then a literal under a
 * credential name, then a credential assigned inside the value.
 */
export function detectNamedValue(name: string, value: string): Credential | undefined {
  const inside = detectInText(value);
  const shaped = inside.find((c) => c.via === 'shape');
  if (shaped) return shaped;
  const noun = credentialNoun(name);
  if (noun && isCredentialLiteral(value)) return { via: 'name', noun };
  return inside[0];
}

/**
 * A multi-line value is a file (a config, a key file): only what is inside it counts, not
 * the name it is stored under. JavaScript's `trim` and the RE2 pattern agree on whitespace.
 */
export const MULTI_LINE: PortableTest = {
  re2: `[^${WHITESPACE}][\\s\\S]*\\n[\\s\\S]*[^${WHITESPACE}]`,
  test: (value) => value.trim().includes('\n'),
};

/** What a credential name makes a credential: one line, not a placeholder, not a flag, path or Secret name. */
export function isCredentialLiteral(value: string): boolean {
  return !MULTI_LINE.test(value) && !isPlaceholder(value) && !isNonSecretLiteral(value);
}

/**
 * Whether the exported admission checks recognise a credential in a value (under `name`, for an
 * env var or a ConfigMap key): a shape they know (PORTABLE_SHAPES), or a literal under a
 * credential name. The detector finds more (a password in a URL, a credential assigned inside
 * a text), which only the editor and the CLI report.
 */
export function recognisedAtAdmission(value: string, name?: string): boolean {
  return findCredentialShapes(value).some((m) => isPortableShape(m.shape)) || (name !== undefined && isCredentialName(name) && isCredentialLiteral(value));
}

/** Credentials in free text (an argument, a config file): shapes and `name=value` assignments, in order (the first MAX_SCANNED_VALUE_LENGTH characters are scanned). */
export function detectInText(text: string): Credential[] {
  const shapes = findCredentialShapes(text);
  const found: Array<Credential & { start: number }> = shapes.map((m) => ({
    via: 'shape',
    noun: m.label,
    shape: m.shape,
    start: m.start,
  }));
  const covered = coverage(shapes);
  for (const a of findCredentialAssignments(text)) {
    // A JWT or URL password already reported covers the assignment that holds it.
    if (covered(a.start, a.end)) continue;
    found.push({ via: 'assignment', noun: credentialNoun(a.name) ?? 'a secret', innerName: a.name, start: a.start });
  }
  return found.sort((a, b) => a.start - b.start).map(({ start: _start, ...credential }) => credential);
}

/**
 * Whether a span overlaps one of `spans` (sorted by start): a binary search for the last span
 * starting before its end, then the furthest end among the spans up to it. Checking every
 * span for every assignment was quadratic in a text full of both.
 */
function coverage(spans: ReadonlyArray<{ start: number; end: number }>): (start: number, end: number) => boolean {
  const furthestEnd: number[] = [];
  for (const span of spans) furthestEnd.push(Math.max(span.end, furthestEnd[furthestEnd.length - 1] ?? -Infinity));
  return (start, end) => {
    let low = 0;
    let high = spans.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (spans[middle].start < end) low = middle + 1;
      else high = middle;
    }
    return low > 0 && furthestEnd[low - 1] > start;
  };
}

/**
 * What a message says of a credential, never any part of it: `credential` is "a literal
 * password" (found by its name or assigned inside a value) or "a GitHub token" (found by its
 * shape); `name` is the name assigned inside the value (`admin_password`). Rules pick their
 * message by `credential.via`.
 */
export function credentialData(credential: Credential): { credential: string; name?: string } {
  if (credential.via === 'shape') return { credential: credential.noun };
  const literal = credential.noun.replace(/^an? /, 'a ').replace(/^(a )?/, (article) => `${article}literal `);
  return credential.via === 'assignment' ? { credential: literal, name: credential.innerName ?? '' } : { credential: literal };
}
