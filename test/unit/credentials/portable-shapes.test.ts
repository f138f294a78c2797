// The value shapes the admission checks recognise (analysis/credentials/shapes.ts, PORTABLE_SHAPES)
// are found by RE2, as the cluster runs CEL's `matches`, exactly where the detector finds them:
// on the detector's own samples, each cut and padded, and on texts where a rejected candidate
// hides a match.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RE2JS } from '@bufbuild/re2';
import { findCredentialShapes, PORTABLE_SHAPES } from '../../../server/src/analysis/credentials/shapes';

const b64 = (n: number) => 'QmFzZTY0Qm9keUZvclRlc3Rz'.repeat(Math.ceil(n / 24)).slice(0, n);
const base64url = (text: string) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const jwt = (header: string) => [base64url(header), base64url('{"sub":"ci-bot","iat":1700000000}'), 'c2lnbmF0dXJlLW5vdC1yZWFs'].join('.');
const KEY_LABEL = ['RSA PRIVATE', 'KEY'].join(' ');

const SAMPLES = [
  'gh' + 'p_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8', 'github' + '_pat_' + 'A'.repeat(22) + '_' + 'b'.repeat(59), 'gl' + 'pat-' + 'xY9zW8vU7tS6rQ5pO4nM',
  'gl' + 'ptt-' + '0123456789abcdef0123456789abcdef01234567', 'xo' + 'xb-' + '123456789012-1234567890123-AbCd', 'https://hooks.slack.com/' + 'services/T000TEST0/B000TEST0/XXXXtest',
  'postgres://app:' + 'hunter2@db', `https://u:${'gh' + 'p_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'}@h`,
  `-----BEGIN ${KEY_LABEL}-----\n${b64(64)}\n${b64(40)}\n-----END ${KEY_LABEL}-----\n`,
  `-----BEGIN ${KEY_LABEL}-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123\n\n${b64(64)}\n-----END ${KEY_LABEL}-----`,
  JSON.stringify({ private_key: `-----BEGIN PRIVATE ${'KEY'}-----\n${b64(64)}\n-----END PRIVATE ${'KEY'}-----\n` }),
  `-----BEGIN ${KEY_LABEL}-----\n${b64(39)}\n-----END ${KEY_LABEL}-----`,
  `-----BEGIN ${KEY_LABEL}-----\n...\n-----END ${KEY_LABEL}-----`,
  `-----BEGIN CERTIFICATE-----\n${b64(64)}\n-----END CERTIFICATE-----`,
  'AK' + 'IAZ3TESTKEY7Q2M4P8', 'AS' + 'IAZ3TESTKEY7Q2M4P8', 'AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLF', 'AKIAIOSFODNN7EXAMPL0', 'XAKIAZ3TESTKEY7Q2M4P8',
  jwt('{"alg":"HS256"}'), jwt('{"typ":"JWT","alg":"HS256"}'), jwt('{"typ":"JWT"}'), jwt('{"k":"a","alg":"x"}'), jwt('{"kid":"ab","alg":"x"}'), jwt('{ "alg":"x"}'),
  `eyJhbGciOiJub25lIn0x.${jwt('{"alg":"HS256"}')}`, `eyJub3RoaW5nIjoxfQ.${jwt('{"alg":"HS256"}')}`, 'eyJnotreallyjson.eyJnotreallyjson.c2lnbmF0dXJlLW5vdC1yZWFs',
  'Bearer dGVzdC1vcGFxdWUtdG9rZW4tMjAyNg', 'bearer 0123456789abcdef', 'Bearer 0123456789abcde', 'Bearer abcdefghijklmnop1', 'Bearer abcdefghijklmnopq', 'xBearer 0123456789abcdef',
  'Bearer 0123456789abcdef==', 'Bearer 0123456789abcdef==x', 'Bearer\t0123456789abcdef.', 'Bearer ab.cd~ef+gh/ij-kl_mn9',
  `Basic ${btoa('user:pw')}`, `basic ${btoa('ab:cdef')}`, `Basic ${btoa('a:bcd')}`, `Basic ${btoa('deploy:')}`, `Basic ${btoa('userpw')}`, 'Basic realm="x"', 'Basic auth',
  `Basic ${btoa('user:pw')}x=`, `xBasic ${btoa('user:pw')}`,
];

/** A sample, and the sample cut, prefixed and suffixed, so boundaries are tried from both sides. */
function variants(sample: string): string[] {
  const out = new Set([sample, `x${sample}`, `${sample}x`, ` ${sample} `, `${sample}.${sample}`, `_${sample}-`, `"${sample}"`]);
  for (let cut = 1; cut < Math.min(sample.length, 12); cut++) {
    out.add(sample.slice(cut));
    out.add(sample.slice(0, -cut));
  }
  return [...out];
}

test('RE2 finds a portable shape in a text exactly when the detector does', () => {
  const compiled = PORTABLE_SHAPES.map(({ re2 }) => RE2JS.compile(re2));
  const portable = new Set(PORTABLE_SHAPES.map((p) => p.shape));
  let found = 0;
  for (const text of SAMPLES.flatMap(variants)) {
    const byDetector = findCredentialShapes(text).some((m) => portable.has(m.shape));
    assert.equal(compiled.some((regex) => regex.test(text)), byDetector, JSON.stringify(text));
    if (byDetector) found++;
  }
  assert.ok(found > 100, `the samples exercise the shapes (${found})`);
});

test('every shape but passwords in URLs is portable', () => {
  assert.deepEqual([...PORTABLE_SHAPES.map((p) => p.shape)].sort(), [
    'aws-access-key-id', 'basic-credentials', 'bearer-token', 'github-token', 'gitlab-token', 'jwt', 'pem-private-key', 'slack-token', 'slack-webhook',
  ]);
});
