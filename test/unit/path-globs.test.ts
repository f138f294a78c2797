// `exclude` globs without regular expressions: the same answers as picomatch (`dot: true`) on
// the globs people write, and bounded time on the ones an attacker writes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import picomatch from 'picomatch';
import { pathGlobMatcher } from '../../server/src/config/path-globs';

const GLOBS = ['vendor/**', '**/node_modules', 'charts', 'charts/**', '*.yaml', '**/*.generated.yaml', 'deploy/*/secrets/**', '**/kustomization.y?ml', 'env/{dev,staging}/**', '**/.hidden/**', 'a/**/b/**/c.yaml', '**'];
const PATHS = [
  'vendor', 'vendor/x.yaml', 'vendor/a/b/c.yaml', 'src/vendor/x.yaml', 'node_modules', 'a/node_modules', 'a/b/node_modules/x.yaml', 'charts', 'charts/x/templates/d.yaml',
  'x.yaml', 'dir/x.yaml', 'dir/app.generated.yaml', 'app.generated.yaml', 'deploy/prod/secrets/db.yaml', 'deploy/prod/x/secrets/db.yaml', 'kustomization.yaml', 'a/kustomization.yml',
  'env/dev/a.yaml', 'env/prod/a.yaml', 'env/staging', '.hidden/x.yaml', 'a/.hidden/x', 'a/b/c.yaml', 'a/x/b/y/c.yaml', 'a/b/x/c.yaml', '.x.yaml',
];

describe('exclude globs', () => {
  for (const glob of GLOBS) {
    test(`${glob} matches what picomatch matches`, () => {
      const ours = pathGlobMatcher([glob]);
      const theirs = picomatch(glob, { dot: true });
      for (const path of PATHS) assert.equal(ours(path), theirs(path), `${glob} on ${path}`);
    });
  }

  test('a trailing slash and a leading ./ are ignored; too many brace expansions stay literal', () => {
    assert.ok(pathGlobMatcher(['vendor/'])('vendor'));
    assert.ok(pathGlobMatcher(['./charts/**'])('charts/a.yaml'));
    const many = `{${'a,'.repeat(9)}a}`.repeat(3); // 1,000 expansions
    assert.ok(pathGlobMatcher([many])(many));
    assert.ok(!pathGlobMatcher([many])('aaa'));
  });

  test('hostile globs and paths take bounded time', () => {
    const longName = `${'a'.repeat(250)}.yaml`;
    const cases: Array<[string, string]> = [
      [`${'*a'.repeat(16)}b`, longName],
      [`**/${'*a'.repeat(16)}b`, `${'d/'.repeat(200)}${longName}`],
      [`${'**/'.repeat(16)}x`, 'd/'.repeat(500) + 'y'],
      ['*'.repeat(1024), longName],
    ];
    for (const [glob, path] of cases) {
      const started = performance.now();
      pathGlobMatcher([glob])(path);
      const ms = performance.now() - started;
      assert.ok(ms < 1000, `${glob.slice(0, 40)}… took ${ms.toFixed(0)} ms`);
    }
  });
});
