// The wildcard matcher of config exemptions: `*` any run (also none), `?` one character,
// everything else literal (no escapes, classes or braces). Its speed on adversarial inputs
// is checked in test/robustness/redos.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { wildcardMatch } from '../../server/src/engine/wildcard';

const matches = (pattern: string, texts: string[]) => {
  for (const text of texts) assert.ok(wildcardMatch(text, pattern), `${JSON.stringify(pattern)} should match ${JSON.stringify(text)}`);
};
const rejects = (pattern: string, texts: string[]) => {
  for (const text of texts) assert.ok(!wildcardMatch(text, pattern), `${JSON.stringify(pattern)} should not match ${JSON.stringify(text)}`);
};

describe('wildcardMatch', () => {
  test('a trailing star: a prefix', () => {
    matches('cilium*', ['cilium', 'cilium-agent', 'cilium-operator-7d9f', 'ciliumx']);
    rejects('cilium*', ['cilim', 'xcilium', 'Cilium', 'cili', '']);
  });

  test('a leading star: a suffix', () => {
    matches('*-system', ['kube-system', '-system', 'cert-manager-system']);
    rejects('*-system', ['kube-system2', 'system', 'kube-systems', 'kube_system']);
  });

  test('a question mark: exactly one character', () => {
    matches('a?c', ['abc', 'a-c', 'a?c', 'a*c']);
    rejects('a?c', ['ac', 'abbc', 'abcd', 'xabc']);
    matches('???', ['abc']);
    rejects('???', ['ab', 'abcd']);
  });

  test('a star alone matches anything, the empty text too', () => {
    matches('*', ['', 'a', 'kube-system', '*', '?']);
    matches('**', ['', 'a', 'a/b']);
  });

  test('the empty pattern matches only the empty text', () => {
    matches('', ['']);
    rejects('', ['a', ' ']);
  });

  test('without wildcards: equality, case-sensitive', () => {
    matches('kube-system', ['kube-system']);
    rejects('kube-system', ['kube-systemx', 'xkube-system', 'kube-syste', 'KUBE-SYSTEM']);
  });

  test('stars in the middle and several stars backtrack correctly', () => {
    matches('a*b*c', ['abc', 'aXbYc', 'abbbc', 'acbc', 'abcbc', 'ab-c-b-c']);
    rejects('a*b*c', ['ab', 'acb', 'abcx', 'bac']);
    matches('*a*a*b', ['aab', 'xaxaxb', 'aaaaab']);
    rejects('*a*a*b', ['ab', 'aaaa', 'aaba']);
    matches('*?', ['a', 'ab']);
    rejects('*?', ['']);
    matches('?*?', ['ab', 'abc']);
    rejects('?*?', ['a']);
    matches('*ab', ['aab', 'abab']);
    rejects('*ab', ['aba']);
  });

  test('no escapes, classes or braces: those characters are literal', () => {
    matches('a\\*', ['a\\', 'a\\b']);
    rejects('a\\*', ['a*', 'a']);
    matches('[ab]', ['[ab]']);
    rejects('[ab]', ['a', 'b']);
    matches('{a,b}', ['{a,b}']);
    rejects('{a,b}', ['a', 'b']);
    matches('!a', ['!a']);
    rejects('!a', ['b']);
    // `*` crosses `/` and `.` like any other character.
    matches('a*', ['a/b', 'a.b']);
  });

  test('long adversarial inputs answer at once', () => {
    const started = performance.now();
    assert.equal(wildcardMatch('a'.repeat(100_000), `${'*a'.repeat(20)}b`), false);
    assert.equal(wildcardMatch('a'.repeat(100_000), `${'*a'.repeat(20)}`), true);
    assert.ok(performance.now() - started < 1_000);
  });
});
