/**
 * How much of a name or value the credential detector reads. Every pattern runs in linear
 * time (test/robustness/redos.test.ts), so these caps are a second line of defence: they
 * bound the work on a pasted blob (the editor checks files up to 5 MB by default) without
 * missing a credential that could be deployed.
 */

/**
 * A longer name is not a credential name. Kubernetes caps ConfigMap and Secret keys at
 * 253 characters and names of objects at 253; real environment variable names are far
 * shorter. Names come from env vars, ConfigMap keys and `name=value` assignments in text.
 */
export const MAX_CREDENTIAL_NAME_LENGTH = 256;

/**
 * Values are scanned up to this many characters (1 MiB); what follows is not read. The API
 * server rejects a ConfigMap or Secret whose data exceeds 1 MiB, and a pod spec is held to
 * the same order by etcd's request limit, so no deployable value is longer. The largest
 * credentials are far below: a PEM RSA 4096-bit private key is about 3,300 characters, an
 * armoured PGP private key block with subkeys about 10,000.
 */
export const MAX_SCANNED_VALUE_LENGTH = 1024 * 1024;
