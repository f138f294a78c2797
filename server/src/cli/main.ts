import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { version } from '../../../package.json';
import { CONFIG_FILE_NAME, parseConfigFile, type FileConfig } from '../config/config-file';
import type { Severity } from '../engine/rule';
import { RULES } from '../../../rules';
import { formatReport } from '../report/format-report';
import { escapeControls } from '../report/escape';
import { REPORT_FORMATS } from '../report/report-input';
import { Containment, readManifest, readStdin } from '../workspace/file-scan';
import { HELM_HINT } from '../workspace/helm-charts';
import { isMainThread } from 'node:worker_threads';
import { audit } from './audit-run';
import { runAuditWorker } from './audit-worker';
import { writeReportFile } from './write-report';

/** Files (standard input and the config file too) over this size are not read. */
const DEFAULT_MAX_FILE_MB = 5;

const USAGE = `Usage: kzt audit [paths…] [options]

Finds zero-trust violations in Kubernetes manifests: every .yaml/.yml under the paths
(default: .); \`-\` reads one stream from standard input (e.g. \`helm template … | kzt audit -\`).

Options:
  --format text|json|sarif|markdown     output format (default: text)
  --profile baseline|restricted         rule profile (default: restricted, or the config file's)
  --fail-on error|warning|info|none     lowest severity that makes the exit code 1 (default: warning)
  --config <file>                       config file (default: ./${CONFIG_FILE_NAME} if present)
  --default-namespace <name>            namespace of objects without one (default: default)
  --output <file>                       write the report to a file instead of stdout
                                        (never through a symbolic link)
  --max-file-size <MB>                  files (and standard input) larger than this are
                                        not checked (default: ${DEFAULT_MAX_FILE_MB})
  --jobs <n>                            worker threads (default: none below 4 MB of YAML,
                                        else one per CPU, at most 8; 1 = one thread)
  -h, --help                            show this help
  -v, --version                         print the version

Exit codes: 0 no findings at or above --fail-on, 1 findings at or above --fail-on,
2 usage or configuration error, or no file could be read.`;


const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** One line per message; messages may quote paths and names from the input: their control characters are shown as escapes. */
function fail(message: string | readonly string[], showUsage = true): never {
  const lines = (typeof message === 'string' ? [message] : message).map((line) => `kzt: ${escapeControls(line)}\n`);
  process.stderr.write(`${lines.join('')}${showUsage ? `\n${USAGE}\n` : ''}`);
  process.exit(2);
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value !== undefined && !allowed.includes(value as T)) fail(`--${name} must be one of ${allowed.join(', ')}`);
  return value as T | undefined;
}

/** The config file given with --config, else `.kube-zero-trust.yaml` in the working directory (as the editor finds it at a folder root). */
function loadConfig(explicit: string | undefined, maxBytes: number): { config: FileConfig; base: string } {
  const path = explicit ? resolve(explicit) : resolve(CONFIG_FILE_NAME);
  // The implicit one is the audited repository's own: it may not lead out of the working directory.
  const read = readManifest(path, maxBytes, explicit ? undefined : new Containment([process.cwd()]));
  if ('problem' in read) {
    if (explicit) fail(`config file ${explicit}: ${read.problem}`, false);
    if (read.problem !== 'no such file or directory') fail(`${path}: ${read.problem}`, false);
    return { config: {}, base: process.cwd() };
  }
  const { config, errors } = parseConfigFile(read.text, new Set(RULES.map((r) => r.meta.id)));
  if (!config) fail(errors.map((e) => `${path}:${e.range.start.line + 1}:${e.range.start.character + 1}: ${e.message}`), false);
  return { config, base: dirname(path) };
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        profile: { type: 'string' },
        'fail-on': { type: 'string' },
        config: { type: 'string' },
        'default-namespace': { type: 'string' },
        output: { type: 'string' },
        jobs: { type: 'string' },
        'max-file-size': { type: 'string' },
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
  const format = oneOf('format', values.format, REPORT_FORMATS) ?? 'text';
  const profile = oneOf('profile', values.profile, ['baseline', 'restricted'] as const);
  const failOn = oneOf('fail-on', values['fail-on'], ['error', 'warning', 'info', 'none'] as const) ?? 'warning';
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) fail('--jobs must be a positive whole number');
  const maxFileMB = values['max-file-size'] === undefined ? DEFAULT_MAX_FILE_MB : Number(values['max-file-size']);
  if (!(Number.isFinite(maxFileMB) && maxFileMB > 0)) fail('--max-file-size must be a positive number of megabytes');
  const maxBytes = Math.floor(maxFileMB * 1048576);
  const { config: file, base } = loadConfig(values.config, maxBytes);
  const defaultNamespace = values['default-namespace'] ?? file.defaultNamespace ?? 'default';

  const report = await audit(paths.length ? paths : ['.'], {
    config: {
      profile: profile ?? file.profile ?? 'restricted',
      rules: file.rules ?? {},
      exemptions: file.exemptions ?? [],
      strict: file.strict ?? [],
      peerAnnotations: file.peerAnnotations ?? true,
      today: new Date().toISOString().slice(0, 10),
    },
    defaultNamespace,
    exclude: file.exclude ?? [],
    excludeBase: base,
    maxBytes,
    cwd: process.cwd(),
    version,
    readStdin: () => readStdin(maxBytes),
  }, jobs);
  for (const problem of report.problems) process.stderr.write(`kzt: ${escapeControls(problem.path)}: ${escapeControls(problem.message)}\n`);
  for (const chart of report.skippedCharts) process.stderr.write(`kzt: ${escapeControls(chart)}: ${HELM_HINT}\n`);
  if (report.filesRead === 0 && report.problems.length > 0) return 2;

  const output = formatReport(format, report, defaultNamespace);
  if (values.output) {
    const refusal = writeReportFile(values.output, output);
    if (refusal) fail(refusal, false);
  }
  else process.stdout.write(output);

  if (failOn === 'none') return 0;
  return report.findings.some((f) => RANK[f.severity] >= RANK[failOn]) ? 1 : 0;
}

// The same bundle runs the worker threads of a parallel audit.
if (isMainThread) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => fail(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`.split('\n'), false),
  );
} else runAuditWorker();
