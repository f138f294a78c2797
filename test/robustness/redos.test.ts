// Regular-expression denial of service: every detector and matcher that sees workspace text
// answers in linear time. Each subject (an exported function, the engine, every regex
// literal of the credential detector and of the engine) meets every adversarial family of
// 100,000 characters: repeated characters and separators, alternating case, long blank runs
// followed by a character that does not match, and the reproductions of issue 22. Each call
// must take under a second; the super-linear patterns took from 5 s to hours.
//
// The cases run in a worker thread: a catastrophic one is stopped after HARD_LIMIT_MS and
// reported, instead of blocking the suite for hours. The regex literals are read from the
// sources with the TypeScript parser, so a new pattern is covered the day it is written.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import ts from 'typescript';
import {
  credentialNoun, detectInText, detectNamedValue, findCredentialAssignments, findCredentialShapes, isCredentialName, isNonSecretLiteral, isPlaceholder, maskSecret, redactCredentials,
} from '../../server/src/analysis/credentials';
import { nameWords } from '../../server/src/analysis/credentials/names';
import { BUILT_REGEXES } from '../../server/src/analysis/credentials/portable-pattern';
import type { EngineConfig } from '../../server/src/engine/config';
import { lintText } from '../../server/src/engine/engine';
import { parseIgnoreComment } from '../../server/src/engine/suppressions';
import { wildcardMatch } from '../../server/src/engine/wildcard';

const N = 100_000;
/** Generous: the linear code takes a few milliseconds on 100,000 characters, the engine tens. */
const BOUND_MS = 1_000;
/** A case still running after this is stopped (its worker terminated) and fails. */
const HARD_LIMIT_MS = 20_000;
const ROOT = join(__dirname, '..', '..');
const SOURCE_DIRS = ['server/src/analysis/credentials', 'server/src/engine'];

/** `unit` repeated to `n` characters. */
const fill = (unit: string, n = N) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

/** The reproductions of issue 22, point 5. */
const REPRODUCTIONS: Array<[string, string]> = [
  ['kzt-ignore a<spaces>b', `# kzt-ignore a${' '.repeat(N)}b`],
  ['name of A', 'A'.repeat(N)],
  ['a.a.a.', fill('a.')],
  ['{{{{', '{'.repeat(N)],
  ['${${', fill('${')],
  ['password = a<spaces>b', `password = a${' '.repeat(N)}b`],
];

const SINGLE_CHARACTERS = 'aA0_.-=:;,/\\@#$%{}()[]<>"\'*?+&|!~^` \t\n\r\u2028•';
const REPEATED_UNITS = [
  'a.', 'a=', 'a:', 'a-', 'a/', 'a@', 'a ', 'a,', 'a;', 'a_', 'aA', 'Aa', 'A0', '0A', 'a0', 'a"', "a'", 'a\\', '{{', '}}', '${', '$(', '%(', '<a', '#{',
  '://', 'a:/', ':a@', 'a://', 'a:a@', '-a', '--', ' --', ' #', ' ;', '"a":', '"a": "', 'a="', "a='", '\\"', '\\n', 'eyJ', '.eyJ', 'eyJa.', 'eyJaaaaaaaaa.',
  '-----BEGIN ', '-----BEGIN A ', 'A ', '-----END ', 'PRIVATE KEY-----', '-----BEGIN PRIVATE KEY-----', 'ghp_', 'glpat-', 'xoxb-', 'AKIA', 'password=',
  'password: ', 'password = a ', 'export ', '- ', '--a=', ' -Da=', 'ENC[', 'ENC(', 'arn:aws', 'vault:', '$__env{', '# kzt-ignore ', 'kzt-ignore ', 'a-secret',
];
const RUN_PREFIXES = [
  '', 'a', 'password = a', 'password: a', '# kzt-ignore a', '# kzt-ignore a --', 'a=', '"a"', '"a":', 'export', 'x://a:', 'x://a:b', '-----BEGIN', '-----BEGIN PRIVATE KEY-----',
  '${', '{{', '$(a', '%(a', 'a,', 'eyJ', 'ENC(', '$', '<', 'a://',
];

/** Adversarial texts of about N characters, each with a label for the report. */
const FAMILIES: ReadonlyArray<[string, string]> = [
  ...REPRODUCTIONS,
  ...[...SINGLE_CHARACTERS].map((c): [string, string] => [`${JSON.stringify(c)} × ${N}`, c.repeat(N)]),
  ...REPEATED_UNITS.map((unit): [string, string] => [`${JSON.stringify(unit)} repeated`, fill(unit)]),
  ...RUN_PREFIXES.flatMap((prefix) =>
    [' ', '\t', 'a'].map((run): [string, string] => [`${JSON.stringify(prefix)} + ${JSON.stringify(run)} × ${N} + "!"`, `${prefix}${run.repeat(N)}!`]),
  ),
];

/** Smaller set for the engine, whose every call lints a whole manifest. */
const ENGINE_FAMILIES: ReadonlyArray<[string, string]> = [
  ...REPRODUCTIONS,
  ...['a', ' ', '$', '\\'].map((c): [string, string] => [`${JSON.stringify(c)} × ${N}`, c.repeat(N)]),
  ...['a=', 'a:', '%(', '<a', 'a://', ':a@', '-----BEGIN A ', 'eyJa.', '"a": "', ' --'].map((unit): [string, string] => [`${JSON.stringify(unit)} repeated`, fill(unit)]),
  ...['# kzt-ignore a', 'x://a:', '{{'].map((prefix): [string, string] => [`${JSON.stringify(prefix)} + " " × ${N} + "!"`, `${prefix}${' '.repeat(N)}!`]),
];

/**
 * Exemption patterns against names: pattern, text, whether it matches. Each costs about the
 * matcher's worst case, text × pattern steps: some 10^7 for these patterns of up to 128
 * characters on 100,000. The engine never gets near that: it matches names of at most 253
 * characters, and the config file allows patterns of at most 256.
 */
const GLOBS: ReadonlyArray<[string, string, boolean]> = [
  [`${'*a'.repeat(20)}b`, 'a'.repeat(N), false],
  [`${'*a'.repeat(64)}`, 'a'.repeat(N), true],
  [`*${'a'.repeat(126)}b`, 'a'.repeat(N), false],
  [`*${'a'.repeat(126)}*`, `${'a'.repeat(N - 1)}b`, true],
  [`*${'a'.repeat(125)}b*`, 'a'.repeat(N), false],
  [`${'?'.repeat(126)}*b`, 'a'.repeat(N), false],
  [`${'*?'.repeat(63)}b`, 'a'.repeat(N), false],
  [`${'a*'.repeat(63)}b`, 'a'.repeat(N), false],
  [`*${'-?'.repeat(63)}x`, '-'.repeat(N), false],
  [`*${'ab'.repeat(63)}c`, 'ab'.repeat(N / 2), false],
  ['*'.repeat(128), 'a'.repeat(N), true],
  ['*-system', '-system'.repeat(Math.ceil(N / 7)), true],
  ['cilium*', `cilium${'a'.repeat(N)}`, true],
];

interface Subject {
  name: string;
  families: ReadonlyArray<[string, string]>;
  run: (text: string) => unknown;
}

/** Manifests that put `text` where a rule reads it through the credential detector. */
const PLACEMENTS: Record<string, (value: string) => string> = {
  'env values (a credential name, a command line)': (v) => pod(`      env:\n        - {name: DB_PASSWORD, value: ${v}}\n        - {name: JAVA_OPTS, value: ${v}}\n`),
  'env name': (v) => pod(`      env:\n        - {name: ${v}, value: hunter2}\n`),
  args: (v) => pod(`      args: [${v}]\n`),
  'ConfigMap key and values': (v) => `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data:
  password: ${v}
  config.ini: ${v}
  ? ${v}
  : hunter2
`,
  'Secret value': (v) => `apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: shop}
stringData:
  token: ${v}
`,
};

const pod = (container: string) => `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: app
      image: nginx:1.27
${container}`;

const ignoreCommentManifest = (text: string) => `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        # kzt-ignore ${text.replace(/[\r\n\u2028\u2029]/g, ' ')}
        privileged: true
`;

const exemptedManifest = (name: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${JSON.stringify(name)}, namespace: ${JSON.stringify(name)}}
spec:
  containers:
    - name: ${JSON.stringify(name)}
      image: nginx:1.27
      securityContext:
        privileged: true
`;

const exemption = (glob: string): EngineConfig => ({ profile: 'restricted', rules: {}, exemptions: [{ name: glob, namespace: glob, container: glob, reason: 'test' }] });

/** A regex literal of the sources, with where it is. */
interface Literal {
  where: string;
  regex: RegExp;
}

/** Every regex literal of the credential detector and the engine (the TypeScript parser finds them, comments and strings aside). */
function sourceRegexes(): Literal[] {
  const found: Literal[] = [];
  for (const dir of SOURCE_DIRS) {
    for (const file of readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts')).sort()) {
      const path = join(ROOT, dir, file);
      const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
          const text = node.getText(source);
          const slash = text.lastIndexOf('/');
          const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
          found.push({ where: `${relative(ROOT, path)}:${line} ${text}`, regex: new RegExp(text.slice(1, slash), text.slice(slash + 1)) });
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return found;
}

/** `RegExp(…)` built at run time: invisible to `sourceRegexes`, so not allowed in these directories. */
function dynamicRegexes(): string[] {
  const found: string[] = [];
  for (const dir of SOURCE_DIRS) {
    for (const file of readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts'))) {
      const path = join(ROOT, dir, file);
      const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        // portable-pattern.ts builds the detector's portable patterns in one place and lists them (BUILT_REGEXES, timed below).
        const built = relative(ROOT, path) === 'server/src/analysis/credentials/portable-pattern.ts' && node.getText(source) === 'new RegExp(source, flags)';
        if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText(source) === 'RegExp' && !built) found.push(`${relative(ROOT, path)}: ${node.getText(source)}`);
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return found;
}

/**
 * Literal runs of a pattern (`kzt-ignore`, `-----BEGIN `, `://`): texts made of them reach
 * the pattern's deeper states, which generic families may not.
 */
function literalRuns(source: string): string[] {
  const runs: string[] = [];
  let run = '';
  const flush = () => {
    if (run.length >= 2) runs.push(run);
    run = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const escaped = source[++i] ?? '';
      if ('dDwWsSbB123456789'.includes(escaped)) flush();
      else run += ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[escaped] ?? escaped;
    } else if (c === '[') {
      flush();
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
    } else if ('*+?{'.includes(c)) {
      // The quantified character is optional or repeated: the run ends before it.
      run = run.slice(0, -1);
      flush();
      if (c === '{') i = source.indexOf('}', i);
    } else if (c === '(') {
      flush();
      if (source[i + 1] === '?') i += source[i + 2] === '<' && '=!'.includes(source[i + 3]) ? 3 : 2;
    } else if (')|^$.'.includes(c)) flush();
    else run += c;
  }
  flush();
  return [...new Set(runs)];
}

/** What the code does with a regex: every match of a global one; the first match and `split` for the others. */
function exercise(regex: RegExp, text: string): void {
  const fresh = new RegExp(regex.source, regex.flags);
  if (fresh.global) {
    for (const _ of text.matchAll(fresh));
    return;
  }
  fresh.exec(text);
  if (!fresh.sticky) text.split(fresh);
}

const literalFamilies = (regex: RegExp): Array<[string, string]> =>
  literalRuns(regex.source).slice(0, 6).flatMap((seed): Array<[string, string]> => [
    [`${JSON.stringify(seed)} repeated`, fill(seed)],
    [`${JSON.stringify(seed)} + " " × ${N} + "!"`, `${seed}${' '.repeat(N)}!`],
    [`${JSON.stringify(seed)} + "a" × ${N} + "!"`, `${seed}${'a'.repeat(N)}!`],
  ]);

/** A glob case as a family: label, and pattern and text joined by NUL (which neither holds). */
const GLOB_FAMILIES = GLOBS.map(([glob, text]): [string, string] => [
  `${JSON.stringify(glob.length > 40 ? `${glob.slice(0, 40)}…` : glob)} (${glob.length} chars) on ${JSON.stringify(text.slice(0, 8))}… (${text.length})`,
  `${glob}\u0000${text}`,
]);
const globCase = (family: string) => {
  const at = family.indexOf('\u0000');
  const glob = family.slice(0, at);
  return { glob, text: family.slice(at + 1), expected: GLOBS.find(([g]) => g === glob)![2] };
};

/** The table: one subject per exported function, engine path and regex literal. */
function subjects(): Subject[] {
  const table: Subject[] = [
    { name: 'nameWords', families: FAMILIES, run: nameWords },
    { name: 'isCredentialName', families: FAMILIES, run: isCredentialName },
    { name: 'credentialNoun', families: FAMILIES, run: credentialNoun },
    { name: 'isPlaceholder', families: FAMILIES, run: isPlaceholder },
    { name: 'isNonSecretLiteral', families: FAMILIES, run: isNonSecretLiteral },
    { name: 'findCredentialShapes', families: FAMILIES, run: findCredentialShapes },
    { name: 'findCredentialAssignments', families: FAMILIES, run: findCredentialAssignments },
    { name: 'detectInText', families: FAMILIES, run: detectInText },
    { name: 'detectNamedValue (credential name, adversarial value)', families: FAMILIES, run: (text) => detectNamedValue('DB_PASSWORD', text) },
    { name: 'detectNamedValue (adversarial name)', families: FAMILIES, run: (text) => detectNamedValue(text, 'hunter2') },
    { name: 'redactCredentials', families: FAMILIES, run: redactCredentials },
    { name: 'maskSecret', families: FAMILIES, run: (text) => maskSecret(text, text.slice(0, 4)) },
    { name: 'parseIgnoreComment', families: FAMILIES, run: (text) => [parseIgnoreComment(text), parseIgnoreComment(`# kzt-ignore ${text}`), parseIgnoreComment(`# kzt-ignore a ${text} -- ${text}`)] },
    {
      name: 'wildcardMatch',
      families: GLOB_FAMILIES,
      run: (family) => {
        const { glob, text, expected } = globCase(family);
        assert.equal(wildcardMatch(text, glob), expected);
      },
    },
    ...Object.entries(PLACEMENTS).map(([where, manifest]): Subject => ({ name: `engine: ${where}`, families: ENGINE_FAMILIES, run: (text) => lintText(manifest(JSON.stringify(text))) })),
    { name: 'engine: # kzt-ignore comment', families: ENGINE_FAMILIES, run: (text) => lintText(ignoreCommentManifest(text)) },
    {
      // Names of 100,000 characters (longer than Kubernetes allows: never exempted) and of 253,
      // against each pattern and against it doubled to the config file's 256 characters.
      name: 'engine: exemption globs on name, namespace and container',
      families: GLOB_FAMILIES,
      run: (family) => {
        const { glob, text } = globCase(family);
        for (const pattern of [glob, `${glob}${glob}`.slice(0, 256)]) {
          lintText(exemptedManifest(text), { config: exemption(pattern) });
          lintText(exemptedManifest(text.slice(0, 253)), { config: exemption(pattern) });
        }
      },
    },
  ];
  for (const { where, regex } of sourceRegexes()) table.push({ name: `regex ${where}`, families: [...FAMILIES, ...literalFamilies(regex)], run: (text) => exercise(regex, text) });
  for (const regex of BUILT_REGEXES) table.push({ name: `regex built from a portable pattern ${regex.source.slice(0, 60)}`, families: [...FAMILIES, ...literalFamilies(regex)], run: (text) => exercise(regex, text) });
  return table;
}

type Report = { family: number; ms: number } | { family: number; error: string } | { done: true };

if (!isMainThread) {
  // The worker: runs a subject's families from `from` on, reporting each one's time.
  const table = subjects();
  parentPort!.on('message', ({ subject, from }: { subject: number; from: number }) => {
    const { families, run } = table[subject];
    for (let family = from; family < families.length; family++) {
      try {
        let ms = Infinity;
        // A second try when over the bound, so a pause of the machine does not fail the case.
        for (let attempt = 0; attempt < 2 && ms > BOUND_MS; attempt++) {
          const started = performance.now();
          run(families[family][1]);
          ms = Math.min(ms, performance.now() - started);
        }
        parentPort!.postMessage({ family, ms } satisfies Report);
      } catch (error) {
        parentPort!.postMessage({ family, error: String(error) } satisfies Report);
      }
    }
    parentPort!.postMessage({ done: true } satisfies Report);
  });
} else {
  let worker: Worker | undefined;
  const startWorker = () => new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, { eval: true, execArgv: [] });
  after(() => worker?.terminate());

  /** Time every family of a subject; a family that runs past HARD_LIMIT_MS is stopped with its worker, and the next ones run in a new worker. */
  async function timeSubject(subject: number, count: number): Promise<Map<number, number | string>> {
    const results = new Map<number, number | string>();
    while (results.size < count) {
      const from = results.size;
      const current = worker ?? (worker = startWorker());
      await new Promise<void>((resolve) => {
        let timer: NodeJS.Timeout;
        const finish = () => {
          clearTimeout(timer);
          current.off('message', onReport);
          current.off('error', onError);
          resolve();
        };
        const arm = () => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            results.set(results.size, `still running after ${HARD_LIMIT_MS / 1000} s (stopped)`);
            worker = undefined;
            void current.terminate();
            finish();
          }, HARD_LIMIT_MS);
        };
        const onReport = (report: Report) => {
          if ('done' in report) return finish();
          results.set(report.family, 'error' in report ? report.error : report.ms);
          arm();
        };
        const onError = (error: Error) => {
          results.set(results.size, `worker failed: ${error.message}`);
          worker = undefined;
          finish();
        };
        current.on('message', onReport);
        current.on('error', onError);
        arm();
        current.postMessage({ subject, from });
      });
    }
    return results;
  }

  const table = subjects();
  describe('ReDoS: detectors and matchers on 100,000-character adversarial inputs', () => {
    test('each engine placement is read by its rule (so the engine cases are not vacuous)', () => {
      const fired = (text: string, rule: string, config?: EngineConfig) => lintText(text, { config }).findings.some((f) => f.ruleId === rule);
      const credential = JSON.stringify('--password=Tr0ub4dor-and-3');
      for (const [where, manifest] of Object.entries(PLACEMENTS)) {
        const rule = where.startsWith('ConfigMap') ? 'credential-in-configmap' : where.startsWith('Secret') ? 'plaintext-secret-manifest' : 'hardcoded-credential';
        const value = where === 'env name' || where.startsWith('ConfigMap') ? 'DB_PASSWORD' : credential;
        assert.ok(fired(manifest(value), rule), where);
      }
      assert.ok(fired(ignoreCommentManifest('seccomp-not-enforced'), 'privileged-container'));
      assert.ok(!fired(ignoreCommentManifest('privileged-container -- test'), 'privileged-container'));
      assert.ok(fired(exemptedManifest('web'), 'privileged-container'));
      assert.ok(!fired(exemptedManifest('web'), 'privileged-container', exemption('w?b')));
    });

    test('every regex of the credential detector and the engine is a literal the table covers', () => {
      assert.deepEqual(dynamicRegexes(), []);
      assert.ok(table.filter((s) => s.name.startsWith('regex ')).length >= 20, 'the regex literals were found');
    });

    table.forEach((subject, index) => {
      test(subject.name, async (t) => {
        const results = await timeSubject(index, subject.families.length);
        if (process.env.KZT_FUZZ_VERBOSE) {
          const slowest = [...results].sort(([, a], [, b]) => (typeof b === 'number' ? b : Infinity) - (typeof a === 'number' ? a : Infinity)).slice(0, 3);
          t.diagnostic(`slowest: ${slowest.map(([family, result]) => `${subject.families[family][0]}: ${typeof result === 'number' ? `${result.toFixed(1)} ms` : result}`).join('; ')}`);
        }
        const slow = [...results]
          .filter(([, result]) => typeof result === 'string' || result > BOUND_MS)
          .map(([family, result]) => `${subject.families[family][0]}: ${typeof result === 'string' ? result : `${Math.round(result)} ms`}`);
        assert.deepEqual(slow, [], `over ${BOUND_MS} ms`);
      });
    });
  });
}
