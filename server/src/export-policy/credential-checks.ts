import { CREDENTIAL_NAME_RE2, MULTI_LINE, NON_SECRET_TESTS, PLACEHOLDER_TESTS, PORTABLE_SHAPES } from '../analysis/credentials';
import { celList, celString } from './cel';

/**
 * The credential detector's portable part as CEL (analysis/credentials: the value shapes, the
 * credential names and what makes a value a literal, each defined once as patterns that run
 * in JavaScript and in RE2). `recognisedAtAdmission` is the same test in TypeScript: the rules
 * mark what it does not recognise as outside admission.
 */

const anyOf = (patterns: readonly string[]) => patterns.map((p) => `(?:${p})`).join('|');

const SHAPES = celString(anyOf(PORTABLE_SHAPES.map((s) => s.re2)));
const PLACEHOLDER = celString(anyOf(PLACEHOLDER_TESTS.map((t) => t.re2)));
const NON_SECRET = celString(anyOf(NON_SECRET_TESTS.map((t) => t.re2)));

/** CEL: the string `value` holds a credential recognisable by its shape (a key, a token, an Authorization header value). */
export function celCredentialShape(value: string): string {
  return `${value}.matches(${SHAPES})`;
}

/** CEL: the string `name` says it holds a credential (names.ts, isCredentialName). */
export function celCredentialName(name: string): string {
  const { maxLength, exempt, credential, notCredential } = CREDENTIAL_NAME_RE2;
  return `size(${name}) <= ${maxLength} && !(${name} in ${celList(exempt)}) && ${name}.matches(${celString(credential)}) && !${name}.matches(${celString(notCredential)})`;
}

/** CEL: the string `value` is what a credential name makes a credential (one line, not a placeholder, flag, path or Secret name). */
export function celCredentialLiteral(value: string): string {
  return `!${value}.matches(${celString(MULTI_LINE.re2)}) && !${value}.matches(${PLACEHOLDER}) && !${value}.matches(${NON_SECRET})`;
}

/** CEL: the strings `name` and `value` (an env var, a ConfigMap entry) hold a credential the admission checks recognise. */
export function celNamedCredential(name: string, value: string): string {
  return `(${celCredentialShape(value)} || (${celCredentialName(name)} && ${celCredentialLiteral(value)}))`;
}
