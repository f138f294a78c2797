import { anyCase, LINE_BREAKS, portableTest, SPACE, WHITESPACE, type PortableTest } from './portable-pattern';

/**
 * Values that stand in for a credential rather than being one: references resolved at run
 * time (`${VAR}`, `$(VAR)`, `{{ .Values.x }}`, argo-cd `$secret:key`, Grafana `$__file{…}`),
 * encrypted or externally stored values (SOPS `ENC[…]`, `vault:…`, `ref+…`, cloud secret
 * manager ARNs), and obvious fill-ins (`<changeme>`, `xxxx`, `your-token-here`).
 */

/**
 * Each test is a portable pattern (portable-pattern.ts): the admission checks run the same
 * definitions in RE2. Tests of the trimmed text are anchored between runs of WHITESPACE (what
 * `String.prototype.trim` removes), so they need no trimming. Each runs in linear time: `${…}`
 * and `{{…}}` are a fixed opening, any run and a fixed closing; the other patterns are anchored
 * at the start, or scan a run that ends before their next possible start (`$(`, `%(`).
 */
const REFERENCES: readonly PortableTest[] = [
  { re2: '\\$\\{[\\s\\S]*\\}', test: (text) => enclosed(text, '${', '}') }, // ${VAR}, ${{ secrets.X }}, ${VAR:-default}
  portableTest('\\$\\([A-Za-z_][\\w.]*\\)'), // $(VAR): the kubelet's own expansion
  { re2: '\\{\\{[\\s\\S]*\\}\\}', test: (text) => enclosed(text, '{{', '}}') }, // Helm / Go / Jinja templates
  portableTest(trimmed('\\$[A-Za-z_][\\w.:/-]*')), // $VAR, argo-cd `$secret-name:key`, `$oidc.clientSecret`
  portableTest(`^${SPACE}*\\$__(?:env|file|vault)\\{`), // Grafana variable expansion
  portableTest('%\\([\\w.]+\\)s'), // Python / ConfigParser interpolation
  portableTest(trimmed('%[A-Za-z_]\\w*%')), // %VAR%
  portableTest(trimmed('#\\{[^}]*\\}')), // #{VAR} (Octopus, Spring)
  portableTest(`^${SPACE}*ENC\\[[A-Z0-9_]+,`), // SOPS
  portableTest(trimmed(`ENC\\([^${LINE_BREAKS}]+\\)`)), // Jasypt
  portableTest(trimmed(`(?:${['vault', 'sm', 'secretsmanager', 'awssm', 'gcpsm', 'azkv', 'op'].map(anyCase).join('|')}|${anyCase('ref')}\\+[A-Za-z0-9]+):/?/?[^${WHITESPACE}]+`)), // Vault injector, vals, 1Password references
  portableTest(`^${SPACE}*arn:aws[\\w-]*:(?:secretsmanager|ssm|kms):`), // AWS secret references
  portableTest(`^${SPACE}*projects/[^/]+/secrets/`), // GCP Secret Manager resource names
];

/** Fill-in words, compared after dropping everything but ASCII letters and digits, and case. */
const FILL_IN_WORDS = [
  'changeme', 'changeit', 'replaceme', 'redacted', 'placeholder', 'todo', 'tbd', 'fixme', 'notset', 'none', 'null', 'nil',
  'undefined', 'example', 'sample', 'dummy', 'string', 'secretgoeshere', 'passwordgoeshere', 'tokengoeshere',
  // The credential's own word as its value (`password: password`, `token: TOKEN`), as generated samples write.
  'password', 'passwd', 'passphrase', 'pwd', 'pass', 'secret', 'token', 'credential', 'credentials', 'creds', 'apikey', 'key',
];

/** A fill-in word, whatever else the text holds besides letters and digits (`<your-token>`, `CHANGE_ME`). */
const FILL_IN = `^[^A-Za-z0-9]*(?:${FILL_IN_WORDS.map((word) => [...word].map(anyCase).join('[^A-Za-z0-9]*')).join('|')})[^A-Za-z0-9]*$`;

/**
 * RE2 and JavaScript patterns of a text that is not a literal credential: empty, a reference,
 * encrypted, or a fill-in (`<changeme>`, `[REDACTED]`, `****`, `your-token-here`).
 */
export const PLACEHOLDER_TESTS: readonly PortableTest[] = [
  portableTest(`^${SPACE}*$`),
  ...REFERENCES,
  ...[
    trimmed('<[^<>]+>'),
    trimmed('\\[[A-Z _-]+\\]'),
    trimmed('[*xX.\u2022#_-]{3,}'),
    FILL_IN,
    `^${SPACE}*(?:${['your', 'insert', 'enter', 'put', 'add'].map(anyCase).join('|')})[-_ ]`,
    `[-_ ]${anyCase('here')}${SPACE}*$`,
  ].map(portableTest),
];

/** True when `value` is not a literal credential: empty, a reference, encrypted, or a fill-in. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER_TESTS.some((placeholder) => placeholder.test(value));
}

/** Whether `open` occurs in `text` with `close` somewhere after it (indexOf: linear, where the regex is not in JavaScript). */
function enclosed(text: string, open: string, close: string): boolean {
  const at = text.indexOf(open);
  return at >= 0 && text.indexOf(close, at + open.length) >= 0;
}

/**
 * RE2 and JavaScript patterns of literals that a credential-named variable holds without being
 * a credential: a flag (`true`, `disabled`), the name of a Secret object (`db-credentials`,
 * `web-tls`), a file path or file URL (`/var/run/secrets/token`), or a URL with no user
 * information (`https://issuer.example.com/token`).
 */
export const NON_SECRET_TESTS: readonly PortableTest[] = [
  trimmed(['true', 'false', 'yes', 'no', 'on', 'off', 'enable', 'enabled', 'disable', 'disabled'].map(anyCase).join('|')),
  trimmed('[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?-(?:secret|secrets|credentials|creds|tls|token)'),
  trimmed(`(?:/|~/|\\.\\.?/|file://|[A-Za-z]:\\\\)[^${WHITESPACE}]*`),
  trimmed(`[A-Za-z][A-Za-z0-9+.-]*://[^${WHITESPACE}@/]+(?:/[^${WHITESPACE}]*)?`),
].map(portableTest);

export function isNonSecretLiteral(value: string): boolean {
  return NON_SECRET_TESTS.some((literal) => literal.test(value));
}

/** A pattern that must be the whole text, give or take surrounding whitespace. */
function trimmed(body: string): string {
  return `^${SPACE}*(?:${body})${SPACE}*$`;
}
