/**
 * Values that stand in for a credential rather than being one: references resolved at run
 * time (`${VAR}`, `$(VAR)`, `{{ .Values.x }}`, argo-cd `$secret:key`, Grafana `$__file{…}`),
 * encrypted or externally stored values (SOPS `ENC[…]`, `vault:…`, `ref+…`, cloud secret
 * manager ARNs), and obvious fill-ins (`<changeme>`, `xxxx`, `your-token-here`).
 */

/**
 * Each test runs in linear time: `${…}` and `{{…}}` are found with `indexOf`, as the regexes
 * `\$\{[^}]*\}` and `\{\{[\s\S]*\}\}` rescanned the rest of the value from every `${` or `{{`
 * (quadratic in `${${${…`); the other patterns are anchored at the start, or scan a run that
 * ends before their next possible start (`$(`, `%(`).
 */
const REFERENCES: ReadonlyArray<RegExp | ((text: string) => boolean)> = [
  (text) => enclosed(text, '${', '}'), // ${VAR}, ${{ secrets.X }}, ${VAR:-default}
  /\$\([A-Za-z_][\w.]*\)/, // $(VAR): the kubelet's own expansion
  (text) => enclosed(text, '{{', '}}'), // Helm / Go / Jinja templates
  /^\$[A-Za-z_][\w.:\-/]*$/, // $VAR, argo-cd `$secret-name:key`, `$oidc.clientSecret`
  /^\$__(env|file|vault)\{/, // Grafana variable expansion
  /%\([\w.]+\)s/, // Python / ConfigParser interpolation
  /^%[A-Za-z_]\w*%$/, // %VAR%
  /^#\{[^}]*\}$/, // #{VAR} (Octopus, Spring)
  /^ENC\[[A-Z0-9_]+,/, // SOPS
  /^ENC\(.+\)$/, // Jasypt
  /^(vault|ref\+[a-z0-9]+|sm|secretsmanager|awssm|gcpsm|azkv|op):\/?\/?\S+$/i, // Vault injector, vals, 1Password references
  /^arn:aws[\w-]*:(secretsmanager|ssm|kms):/, // AWS secret references
  /^projects\/[^/]+\/secrets\//, // GCP Secret Manager resource names
];

/** Whether `open` occurs in `text` with `close` somewhere after it. */
function enclosed(text: string, open: string, close: string): boolean {
  const at = text.indexOf(open);
  return at >= 0 && text.indexOf(close, at + open.length) >= 0;
}

/** Fill-in words, compared after dropping brackets, quotes, case and separators. */
const FILL_IN_WORDS = new Set([
  'changeme', 'changeit', 'replaceme', 'redacted', 'placeholder', 'todo', 'tbd', 'fixme', 'notset', 'none', 'null', 'nil',
  'undefined', 'example', 'sample', 'dummy', 'string', 'secretgoeshere', 'passwordgoeshere', 'tokengoeshere',
]);

/** True when `value` is not a literal credential: empty, a reference, encrypted, or a fill-in. */
export function isPlaceholder(value: string, name?: string): boolean {
  const text = value.trim();
  if (text === '') return true;
  if (REFERENCES.some((reference) => (typeof reference === 'function' ? reference(text) : reference.test(text)))) return true;
  // `<changeme>`, `<your token>`, `[REDACTED]`
  if (/^<[^<>]+>$/.test(text) || /^\[[A-Z _-]+\]$/.test(text)) return true;
  // `****`, `xxxxxxxx`, `...`, `••••`
  if (/^[*xX.•#_-]{3,}$/.test(text)) return true;
  const squashed = text.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (FILL_IN_WORDS.has(squashed)) return true;
  if (/^(your|insert|enter|put|add)[-_ ]|[-_ ]here$/i.test(text)) return true;
  // `PASSWORD: password`-style echoes of the name, as in generated samples.
  return name !== undefined && squashed === name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Literals that a credential-named variable holds without being a credential: a flag
 * (`true`, `disabled`), the name of a Secret object (`db-credentials`, `web-tls`), a file
 * path or file URL (`/var/run/secrets/token`), or a URL with no user information
 * (`https://issuer.example.com/token`).
 */
export function isNonSecretLiteral(value: string): boolean {
  const text = value.trim();
  if (/^(true|false|yes|no|on|off|enabled?|disabled?)$/i.test(text)) return true;
  if (/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?-(secret|secrets|credentials|creds|tls|token)$/.test(text)) return true;
  if (/^(\/|~\/|\.\.?\/|file:\/\/|[A-Za-z]:\\)\S*$/.test(text)) return true;
  return /^[a-z][a-z0-9+.-]*:\/\/[^\s@/]+(\/\S*)?$/i.test(text);
}
