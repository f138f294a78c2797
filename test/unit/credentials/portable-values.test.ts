// What makes a value a literal credential under a credential name (placeholders, non-secret
// literals, one line: analysis/credentials) says the same in RE2, as the admission checks run
// it, as in the detector: on placeholders, literals and their whitespace variants (the
// Unicode whitespace JavaScript trims, which RE2's \s does not know).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RE2JS } from '@bufbuild/re2';
import { isNonSecretLiteral, isPlaceholder, MULTI_LINE, NON_SECRET_TESTS, PLACEHOLDER_TESTS, recognisedAtAdmission } from '../../../server/src/analysis/credentials';

const VALUES = [
  '', ' ', 'hunter2', 'S3cr3t!', 'p@$$w0rd', 'xX9-secret', 'password', 'PASS_WORD', 'db_password', 'password1', 'tokens', 'Change-Me', 'CHANGEME!', 'REDACTED',
  '${DB_PASSWORD}', 'x${A}y', '${A', '$(DB_PASSWORD)', '$(1)', '{{ .Values.pw }}', '{{x}', '$secret-name:key', '$oidc.clientSecret', '$__file{/etc/x}', '$__env{X}',
  '%(pw)s', '%PASSWORD%', '#{pw}', '#{a}b', 'ENC[AES256_GCM,data:Zm9v]', 'ENC(abc)', 'ENC()', 'ENC(a\nb)', 'vault:secret/data/db#pw', 'VAULT:x', 'ref+vault://s/db',
  'ref+:x', 'op://vault/item', 'arn:aws:secretsmanager:eu-west-1:1:secret:db', 'arn:aws-cn:kms:x:', 'projects/p/secrets/db', '<changeme>', '<a<b>', '[REDACTED]', '[redacted]',
  '****', 'xxxxxxxx', '...', '••••', '--', 'your-token', 'Insert_here', 'token here', 'token-HERE', 'true', 'Disabled', 'yes!', 'db-credentials', 'web-tls', 'Web-tls',
  '/var/run/secrets/token', '~/x', '../x', 'file:///x', 'C:\\x', '/a b', 'https://issuer.example.com/token', 'HTTPS://x', 'https://u@x', 'https://a/b c',
  'a\nb', 'a\n', '\na', ' a \n ', 'line one\nline two', 'a\r\nb', 'a\u2028b',
];
const PADS = ['', ' ', '\t', '\n', '\u00a0', '\u2028', '\ufeff', '\u3000', '\u200b'];
const variants = VALUES.flatMap((v) => PADS.flatMap((pad) => [v, `${pad}${v}`, `${v}${pad}`, `${pad}${v}${pad}`]));

const anyOf = (tests: ReadonlyArray<{ re2: string }>) => RE2JS.compile(tests.map((t) => `(?:${t.re2})`).join('|'));

test('placeholders, non-secret literals and multi-line values: RE2 agrees with the detector', () => {
  const placeholder = anyOf(PLACEHOLDER_TESTS);
  const nonSecret = anyOf(NON_SECRET_TESTS);
  const multiLine = RE2JS.compile(MULTI_LINE.re2);
  for (const value of variants) {
    assert.equal(placeholder.test(value), isPlaceholder(value), `placeholder ${JSON.stringify(value)}`);
    assert.equal(nonSecret.test(value), isNonSecretLiteral(value), `non-secret ${JSON.stringify(value)}`);
    assert.equal(multiLine.test(value), MULTI_LINE.test(value), `multi-line ${JSON.stringify(value)}`);
  }
});

test('what the admission checks recognise: shapes and literals under credential names, not URL passwords or assignments', () => {
  assert.ok(recognisedAtAdmission('hunter2', 'DB_PASSWORD'));
  assert.ok(recognisedAtAdmission(`Bearer ${['dGVzdC1vcGFxdWUt', 'dG9rZW4tMjAyNg'].join('')}`, 'UPSTREAM'));
  assert.ok(!recognisedAtAdmission('hunter2'), 'a literal without a name');
  assert.ok(!recognisedAtAdmission(['postgres://app', ':hunter2@db/app'].join(''), 'DATABASE_URL'));
  assert.ok(!recognisedAtAdmission('--db-password=hunter2'));
  assert.ok(!recognisedAtAdmission('password = hunter2\nuser = app', 'settings.ini'));
});
