/** The credential detector shared by the credential rules (and any output that quotes user text). */
export { describeCredential, detectInText, detectNamedValue, type Credential } from './detect';
export { isCredentialName, credentialNoun } from './names';
export { isNonSecretLiteral, isPlaceholder } from './placeholders';
export { MASK, maskSecret, redactCredentials } from './mask';
export { findCredentialShapes, type ShapeId, type ShapeMatch } from './shapes';
export { findCredentialAssignments } from './assignments';
