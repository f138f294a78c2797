// The credential-name test in RE2 (name-patterns.ts, what the admission checks run) says of a
// name exactly what isCredentialName says, on names built from the word lists and from
// words around them in every spelling and with every kind of joint.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RE2JS } from '@bufbuild/re2';
import fc from 'fast-check';
import { isCredentialName } from '../../../server/src/analysis/credentials';
import { CREDENTIAL_NAME_RE2 } from '../../../server/src/analysis/credentials/name-patterns';
import { COMPOUND_ENDINGS, ENCODING_SUFFIXES, HEAD_WORDS, KEY_QUALIFIERS, OBJECT_SECRET_QUALIFIERS, QUANTITY_WORDS } from '../../../server/src/analysis/credentials/names';

const credential = RE2JS.compile(CREDENTIAL_NAME_RE2.credential);
const notCredential = RE2JS.compile(CREDENTIAL_NAME_RE2.notCredential);
const byRe2 = (name: string) =>
  [...name].length <= CREDENTIAL_NAME_RE2.maxLength && !CREDENTIAL_NAME_RE2.exempt.includes(name) && credential.test(name) && !notCredential.test(name);

const WORDS = [
  ...HEAD_WORDS, ...COMPOUND_ENDINGS, ...KEY_QUALIFIERS, ...ENCODING_SUFFIXES, ...QUANTITY_WORDS, ...OBJECT_SECRET_QUALIFIERS,
  'key', 'db', 'admin', 'my', 'x', 'a', 'v2', '2', 'pwdx', 'oldpwd', 'ref', 'file', 'path', 'name', 'ttl', 'sword', 'words', 'keys', 'tokens', 'secrets',
];
const spelled = (word: string, how: number) =>
  [word, word.toUpperCase(), word[0].toUpperCase() + word.slice(1), [...word].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('')][how];
const JOINTS = ['', '_', '-', '.', ' ', '__', '/', 'é', '1'];

const names = fc
  .array(fc.record({ word: fc.constantFrom(...WORDS), how: fc.integer({ min: 0, max: 3 }), joint: fc.constantFrom(...JOINTS) }), { minLength: 1, maxLength: 5 })
  .chain((parts) => fc.record({ parts: fc.constant(parts), lead: fc.constantFrom('', '_', 'X', 'x', '9'), trail: fc.constantFrom('', '_', 's', 'S', '9', 'X') }))
  .map(({ parts, lead, trail }) => lead + parts.map((p, i) => (i ? p.joint : '') + spelled(p.word, p.how)).join('') + trail);

test('RE2 and isCredentialName agree on generated names', () => {
  let credentials = 0;
  fc.assert(
    fc.property(names, (name) => {
      const expected = isCredentialName(name);
      if (expected) credentials++;
      assert.equal(byRe2(name), expected, name);
    }),
    { seed: 20261205, numRuns: 4_000 },
  );
  assert.ok(credentials > 250, `the generated names hold credential names (${credentials})`);
});

test('RE2 and isCredentialName agree on the detector test names and the shell directories', () => {
  for (const name of [
    'DB_PASSWORD', 'clientSecret', 'APIKey', 'x-api-key', 'AWS_SECRET_ACCESS_KEY', 'ssh-privatekey', 'server.secretkey', 'TOKEN_B64', 'passwordValue',
    'PASSWORD_FILE', 'TOKEN_TTL', 'SECRET_NAME', 'tokenRef', 'MAX_TOKENS', 'IMAGE_PULL_SECRET', 'TLS_SECRET', 'API_SECRET', 'DB_SECRET_REF', 'X_SECRET_PATH',
    'PWD', 'OLDPWD', 'pwd', 'Pwd', 'oldpwd', 'PASSWORDs', 'TOKENValue', 'tokenVALUE', 'APIKEY', 'K8S_SECRET', 'K8sSecret', 'k8sSecret', 'passCredentials',
    `${'X'.repeat(247)}_PASSWORD`, `${'X'.repeat(248)}_PASSWORD`,
  ]) assert.equal(byRe2(name), isCredentialName(name), name);
});
