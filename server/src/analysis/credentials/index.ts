/** The credential detector shared by the credential rules (and any output that quotes user text). */
export { credentialData, detectInText, detectNamedValue, isCredentialLiteral, MULTI_LINE, recognisedAtAdmission, type Credential } from './detect';
export { CREDENTIAL_NAME_RE2 } from './name-patterns';
export { NON_SECRET_TESTS, PLACEHOLDER_TESTS } from './placeholders';
export { PORTABLE_SHAPES } from './shapes';
export { isCredentialName, credentialNoun } from './names';
export { isNonSecretLiteral, isPlaceholder } from './placeholders';
export { MASK, maskSecret, redactCredentials } from './mask';
export { findCredentialShapes, type ShapeId, type ShapeMatch } from './shapes';
export { findCredentialAssignments } from './assignments';
