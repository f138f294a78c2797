// The keystroke scenario of `npm run bench` alone, against dist/server.js (run `npm run build`
// first): 80 edits on the 34,000-line file, each timed from `didChange` to `publishDiagnostics`.
//
//   node bench/keystrokes.mjs [--runs N] [--file PATH] [--slowest N] [--cpu-prof DIR]
//
// `--cpu-prof DIR` runs the server under `node --cpu-prof` and writes its profile into DIR
// (open it in Chrome DevTools or VS Code); `--slowest N` lists the N slowest edits of each run.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LspClient } from './lsp-client.mjs';

const root = new URL('..', import.meta.url).pathname;

const sorted = (values) => [...values].sort((a, b) => a - b);
export const median = (values) => sorted(values)[Math.floor((values.length - 1) / 2)];
export const p95 = (values) => sorted(values)[Math.min(values.length - 1, Math.ceil(values.length * 0.95) - 1)];

/** 40 `key: value` lines spread over the file: a character typed at the end of each, then deleted. */
export function keystrokeEdits(lines) {
  const edits = [];
  for (let i = 0; i < 40; i++) {
    let line = Math.floor(((i + 0.5) * lines.length) / 40);
    while (line < lines.length - 1 && !/^\s*[\w.-]+: \S/.test(lines[line])) line++;
    const end = lines[line].length;
    edits.push({ line, range: { start: { line, character: end }, end: { line, character: end } }, text: 'x' });
    edits.push({ line, range: { start: { line, character: end }, end: { line, character: end + 1 } }, text: '' });
  }
  return edits;
}

/**
 * A new key typed character by character (`newKey: x`, invalid YAML until its `:`) on a new
 * line after a `key: value` line, at 5 places spread over the file; each line is then removed.
 */
export function keyTypingEdits(lines) {
  const edits = [];
  for (let i = 0; i < 5; i++) {
    let line = Math.floor(((i + 0.5) * lines.length) / 5);
    while (line < lines.length - 1 && !/^\s+[\w.-]+: \S/.test(lines[line])) line++;
    const end = lines[line].length;
    const indent = /^\s*/.exec(lines[line])[0].length;
    const at = (l, c) => ({ line: l, character: c });
    edits.push({ line, range: { start: at(line, end), end: at(line, end) }, text: `\n${' '.repeat(indent)}` });
    const key = 'newKey: x';
    for (let c = 0; c < key.length; c++) edits.push({ line: line + 1, range: { start: at(line + 1, indent + c), end: at(line + 1, indent + c) }, text: key[c] });
    edits.push({ line, range: { start: at(line, end), end: at(line + 1, indent + key.length) }, text: '' });
  }
  return edits;
}

/**
 * A person's pauses between keys: 150 to 400 ms (seeded), past the server's 300 ms settle, so
 * a full parse of the edited document may start between two keys.
 */
export function humanPauses(seed = 19) {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return 150 + ((state >>> 8) % 251);
  };
}

/**
 * Opens `file` in a server started as `command args` and applies the edits; `debounce` (ms)
 * is subtracted from every latency. `pause` (ms, after each edit's diagnostics) spaces the
 * edits as a person types. Returns the open time and each edit's latency.
 */
export async function runKeystrokes(command, args, settings, debounce, file, edits = keystrokeEdits, pause = undefined) {
  const text = readFileSync(file, 'utf8');
  const client = await LspClient.start(command, args, { settings });
  await client.configured;
  const uri = 'file:///bench/install.yaml';
  let start = performance.now();
  const opened = client.nextDiagnostics(uri);
  client.open(uri, text);
  await opened;
  const open = performance.now() - start - debounce;
  const latencies = [];
  let version = 1;
  for (const edit of edits(text.split('\n'))) {
    if (pause) await new Promise((resolve) => setTimeout(resolve, pause()));
    const next = client.nextDiagnostics(uri, undefined, version + 1);
    start = performance.now();
    client.change(uri, ++version, edit.range, edit.text);
    await next;
    latencies.push({ line: edit.line, typed: edit.text !== '', ms: performance.now() - start - debounce });
  }
  const memory = client.memory();
  return { client, open, latencies, memory };
}

/** Shuts the server down and lets it exit on its own, so a `--cpu-prof` profile gets written. */
async function stopAndWait(client) {
  const exited = new Promise((r) => client.child.once('exit', r));
  await client.connection.sendRequest('shutdown').catch(() => undefined);
  client.connection.sendNotification('exit');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))]);
  client.connection.dispose();
  client.child.kill();
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const { values: options } = parseArgs({
    options: {
      runs: { type: 'string', default: '1' },
      file: { type: 'string', default: '/work/shared/corpus/argo-cd/install.yaml' },
      slowest: { type: 'string', default: '0' },
      'cpu-prof': { type: 'string' },
    },
  });
  const profileDir = options['cpu-prof'] && resolve(options['cpu-prof']);
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  // Sampled every 100 µs: an edit takes a few milliseconds.
  const nodeArgs = profileDir ? ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', profileDir] : [];
  const fmt = (v) => `${v.toFixed(1)} ms`;
  for (let run = 1; run <= Number(options.runs); run++) {
    const { client, open, latencies } = await runKeystrokes(process.execPath, [...nodeArgs, join(root, 'dist', 'server.js'), '--stdio'], { kubeZeroTrust: { debounceMs: 0 } }, 0, options.file);
    await stopAndWait(client);
    const ms = latencies.map((l) => l.ms);
    console.log(`run ${run}: open ${fmt(open)}  median ${fmt(median(ms))}  p95 ${fmt(p95(ms))}  max ${fmt(Math.max(...ms))}`);
    const slowest = [...latencies].sort((a, b) => b.ms - a.ms).slice(0, Number(options.slowest));
    for (const l of slowest) console.log(`  line ${String(l.line + 1).padStart(5)} ${l.typed ? 'type  ' : 'delete'} ${fmt(l.ms)}`);
  }
  if (profileDir) console.log(`profiles in ${profileDir}`);
  process.exit(0);
}
