import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { version } from '../../../package.json';
import type { Severity } from '../engine/rule';
import { audit } from './audit';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';

const USAGE = `Usage: kzt audit [paths…] [options]

Finds zero-trust violations in Kubernetes manifests (every .yaml/.yml under the paths; default: .).

Options:
  --format text|json|sarif              output format (default: text)
  --profile baseline|restricted         rule profile (default: restricted)
  --fail-on error|warning|info|none     lowest severity that makes the exit code 1 (default: warning)
  --default-namespace <name>            namespace of objects without one (default: default)
  --output <file>                       write the report to a file instead of stdout
  -h, --help                            show this help
  -v, --version                         print the version

Exit codes: 0 no findings at or above --fail-on, 1 findings at or above --fail-on,
2 usage error, or no file could be read.`;

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

function fail(message: string): never {
  process.stderr.write(`kzt: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) fail(`--${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        profile: { type: 'string' },
        'fail-on': { type: 'string' },
        'default-namespace': { type: 'string' },
        output: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const [command, ...paths] = positionals;
  if (command !== 'audit') fail(command ? `unknown command "${command}"` : 'missing command');
  const format = oneOf('format', values.format, ['text', 'json', 'sarif'] as const, 'text');
  const profile = oneOf('profile', values.profile, ['baseline', 'restricted'] as const, 'restricted');
  const failOn = oneOf('fail-on', values['fail-on'], ['error', 'warning', 'info', 'none'] as const, 'warning');

  const report = audit(paths.length ? paths : ['.'], {
    config: { profile, rules: {} },
    defaultNamespace: values['default-namespace'] ?? 'default',
    maxBytes: 5 * 1048576,
    cwd: process.cwd(),
  });
  for (const problem of report.problems) process.stderr.write(`kzt: ${problem.path}: ${problem.message}\n`);
  if (report.filesRead === 0 && report.problems.length > 0) return 2;

  const output = format === 'json' ? formatJson(report) : format === 'sarif' ? formatSarif(report, version) : formatText(report);
  if (values.output) writeFileSync(values.output, output);
  else process.stdout.write(output);

  if (failOn === 'none') return 0;
  return report.findings.some((f) => RANK[f.severity] >= RANK[failOn]) ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
