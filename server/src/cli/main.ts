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
import { resolveKustomizeCommand } from '../kustomize-runner/command';
import { audit } from './audit-run';
import { writeReportFile } from './write-report';
import { EXPORT_POLICY_USAGE, runExportPolicy } from './export-policy';

/** Files (standard input and the config file too) over this size are not read. */
const DEFAULT_MAX_FILE_MB = 5;

const USAGE = `Usage: kzt audit [paths…] [options]

Finds zero-trust violations in Kubernetes manifests: every .yaml/.yml under the paths
(default: .); \`-\` reads one stream from standard input (e.g. \`helm template … | kzt audit -\`).

Options:
  --format <format>                     text (grouped by file), compact (one line per
                                        finding), json, sarif, markdown or gitlab (Code
                                        Quality) (default: text)
  --profile baseline|restricted         rule profile (default: restricted, or the config file's)
  --fail-on error|warning|info|none     lowest severity that makes the exit code 1 (default: warning)
  --config <file>                       config file (default: ./${CONFIG_FILE_NAME} if present)
  --default-namespace <name>            namespace of objects without one (default: default)
  --output <file>                       write the report to a file instead of stdout
                                        (never through a symbolic link)
  --max-file-size <MB>                  files (and standard input) larger than this are
                                        not checked (default: the config file's
                                        maxFileSizeMB, else ${DEFAULT_MAX_FILE_MB})
  --allow-empty                         exit 0 when the paths hold no Kubernetes YAML
  --kustomize auto|off|<command>        render each top-level kustomization and check what
                                        it deploys (default: auto, kustomize or kubectl on
                                        PATH; a command such as "kubectl kustomize"); never
                                        fetches remote resources
  --jobs <n>                            worker threads (default: none below 4 MB of YAML,
                                        else one per CPU, at most 8; 1 = one thread)
  -h, --help                            show this help
  -v, --version                         print the version

Exit codes: 0 no findings at or above --fail-on, 1 findings (or files not checked,
which count as warnings) at or above --fail-on, 2 usage or configuration error, or
no Kubernetes YAML under the paths.

Colour on a terminal; NO_COLOR=1 turns it off, FORCE_COLOR=1 on.

${EXPORT_POLICY_USAGE}`;


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

const OPTIONS = {
  format: { type: 'string' },
  profile: { type: 'string' },
  'fail-on': { type: 'string' },
  config: { type: 'string' },
  'default-namespace': { type: 'string' },
  output: { type: 'string' },
  jobs: { type: 'string' },
  'max-file-size': { type: 'string' },
  'allow-empty': { type: 'boolean' },
  actions: { type: 'string' },
  kustomize: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;
const COMMANDS = ['audit', 'export-policy'];

/** Node's parser error, said the way a user needs it: which flag, the closest real one, where to look. */
function argumentError(error: unknown): never {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    const known = Object.keys(OPTIONS).map((o) => `--${o}`);
    const suggestion = closest(unknown.replace(/=.*$/, ''), known);
    fail([`unknown option ${unknown}${suggestion ? `; did you mean ${suggestion}?` : ''}`, 'Run kzt --help for the options.'], false);
  }
  const missing = /Option '(-\w, )?(--[\w-]+)[^']*' argument missing/.exec(message)?.[2];
  if (missing) fail([`${missing} needs a value`, 'Run kzt --help for the options.'], false);
  fail([message, 'Run kzt --help for the options.'], false);
}

/** The candidate within a small edit distance of `word`, if any. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance <= Math.max(2, Math.floor(candidate.length / 3)) && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** Colour when writing to a terminal, as `NO_COLOR` (https://no-color.org) and `FORCE_COLOR` say. */
function wantsColor(toFile: boolean): boolean {
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (process.env.NO_COLOR) return false;
  return !toFile && process.stdout.isTTY === true;
}

/** `kzt: parsing 120 of 776 files` on a terminal's stderr, for audits that take a while; nothing when piped. */
function progressReporter(doing = 'parsing', things = 'files'): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  const started = Date.now();
  let shown = 0;
  return (done, total) => {
    const now = Date.now();
    if (done < total && (now - started < 500 || now - shown < 100)) return;
    shown = now;
    process.stderr.write(done < total ? `\rkzt: ${doing} ${done} of ${total} ${things}\u001b[K` : '\r\u001b[K');
  };
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    argumentError(error);
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
  if (command === 'export-policy') return exportPolicy(values, paths);
  if (command !== 'audit') {
    const suggestion = command && closest(command, COMMANDS);
    fail([command ? `unknown command "${command}"${suggestion ? `; did you mean ${suggestion}?` : ''}` : 'missing command', 'Run kzt --help for usage.'], false);
  }
  if (values.actions !== undefined) fail('--actions belongs to export-policy', false);
  const format = oneOf('format', values.format, REPORT_FORMATS) ?? 'text';
  const profile = oneOf('profile', values.profile, ['baseline', 'restricted'] as const);
  const failOn = oneOf('fail-on', values['fail-on'], ['error', 'warning', 'info', 'none'] as const) ?? 'warning';
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) fail('--jobs must be a positive whole number', false);
  const { config: file, base } = loadConfig(values.config, DEFAULT_MAX_FILE_MB * 1048576);
  const maxFileMB = values['max-file-size'] === undefined ? (file.maxFileSizeMB ?? DEFAULT_MAX_FILE_MB) : Number(values['max-file-size']);
  if (!(Number.isFinite(maxFileMB) && maxFileMB > 0)) fail('--max-file-size must be a positive number of megabytes', false);
  const maxBytes = Math.floor(maxFileMB * 1048576);
  const defaultNamespace = values['default-namespace'] ?? file.defaultNamespace ?? 'default';
  const targets = paths.length ? paths : ['.'];
  const kustomizeSetting = values.kustomize ?? 'auto';
  const kustomize = resolveKustomizeCommand(kustomizeSetting);
  if (!kustomize && kustomizeSetting !== 'auto' && kustomizeSetting !== 'off') fail(`--kustomize: cannot run ${kustomizeSetting}: not found or not executable`, false);
  const renderProgress = progressReporter('rendering', 'kustomizations');

  const progress = progressReporter();
  const report = await audit(targets, {
    config: {
      profile: profile ?? file.profile ?? 'restricted',
      rules: file.rules ?? {},
      ruleOptions: file.ruleOptions ?? {},
      exemptions: file.exemptions ?? [],
      strict: file.strict ?? [],
      peerAnnotations: file.peerAnnotations ?? true,
      podTemplates: file.podTemplates ?? [],
      requireNamespace: file.requireNamespace ?? false,
      today: new Date().toISOString().slice(0, 10),
    },
    defaultNamespace,
    exclude: file.exclude ?? [],
    excludeBase: base,
    maxBytes,
    cwd: process.cwd(),
    version,
    readStdin: () => readStdin(maxBytes),
    onProgress: progress,
    kustomize,
    onRenderProgress: renderProgress,
  }, jobs);
  progress?.(1, 1);

  const toTerminal = format === 'text' && !values.output;
  // The text report lists what was not checked itself; other formats and files get it on stderr too.
  if (!toTerminal) for (const skipped of report.skipped) process.stderr.write(`kzt: ${escapeControls(skipped.file)}: ${escapeControls(skipped.reason)}\n`);
  const output = formatReport(format, report, defaultNamespace, { color: wantsColor(values.output !== undefined) });
  if (values.output) {
    const refusal = writeReportFile(values.output, output);
    if (refusal) fail(refusal, false);
  } else process.stdout.write(output);

  const unchecked = report.skipped.some((s) => s.level === 'warning');
  if (report.filesRead === 0 && unchecked) fail('no file could be checked', false);
  const checkedNothing = report.objects === 0 && report.findings.length === 0 && report.suppressed.length === 0 && !unchecked;
  if (checkedNothing && !values['allow-empty']) {
    fail(`no Kubernetes YAML found under ${targets.map((t) => (t === '-' ? 'standard input' : t)).join(', ')} (--allow-empty accepts that)`, false);
  }
  if (failOn === 'none') return 0;
  const notChecked = unchecked && RANK.warning >= RANK[failOn];
  return notChecked || report.findings.some((f) => RANK[f.severity] >= RANK[failOn]) ? 1 : 0;
}

/** `kzt export-policy`: the options of an audit that do not apply are usage errors, not silently ignored. */
function exportPolicy(values: ParsedValues, paths: string[]): number {
  if (paths.length) fail(`export-policy takes no paths (got ${paths.join(' ')}): it exports the rules, not manifests`, false);
  const audit = (['fail-on', 'default-namespace', 'jobs', 'max-file-size', 'allow-empty'] as const).filter((name) => values[name] !== undefined);
  if (audit.length) fail(`${audit.map((name) => `--${name}`).join(', ')} ${audit.length === 1 ? 'belongs' : 'belong'} to audit, not export-policy`, false);
  const profile = oneOf('profile', values.profile, ['baseline', 'restricted'] as const);
  const { config: file } = loadConfig(values.config, DEFAULT_MAX_FILE_MB * 1048576);
  return runExportPolicy(
    { format: values.format, profile, actions: values.actions, output: values.output },
    { rules: RULES, file, today: new Date().toISOString().slice(0, 10), fail: (message) => fail(message, false) },
  );
}

type ParsedValues = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof OPTIONS }>>['values'];

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => fail(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`.split('\n'), false),
);
