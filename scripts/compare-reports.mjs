// Shows that a change leaves reports unchanged: runs two builds of the CLI (say, the last
// commit's, built in a git worktree, and this checkout's) on the same folders, one thread and
// split over threads, and prints each difference. `--ignore-rules a,b` leaves out rules that
// exist in only one of them; `--ignore-messages` compares everything but the wording (a
// rewrite of messages must keep rules, places, severities and fixes). Exit 1 when any report differs.
//   node scripts/compare-reports.mjs <before/cli.js> <after/cli.js> [--ignore-rules ids] [--ignore-messages] <folder>…
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const ignoreAt = args.indexOf('--ignore-rules');
const ignored = new Set(ignoreAt >= 0 ? args.splice(ignoreAt, 2)[1].split(',') : []);
const messagesAt = args.indexOf('--ignore-messages');
const ignoreMessages = messagesAt >= 0 && args.splice(messagesAt, 1).length === 1;
const [before, after, ...folders] = args;
if (!before || !after || folders.length === 0) {
  console.error('usage: compare-reports.mjs <before/cli.js> <after/cli.js> [--ignore-rules ids] [--ignore-messages] <folder>…');
  process.exit(2);
}

function report(cli, folder, jobs) {
  const run = spawnSync(process.execPath, [cli, 'audit', folder, '--format', 'json', '--fail-on', 'none', '--allow-empty', '--jobs', jobs], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0 && run.status !== 2) throw new Error(`${cli} ${folder}: exit ${run.status}: ${run.stderr}`);
  const json = JSON.parse(run.stdout);
  const keep = (f) => !ignored.has(f.ruleId);
  const wording = (key, value) => (ignoreMessages && key === 'message' ? undefined : value);
  return JSON.stringify({ findings: json.findings.filter(keep), suppressed: json.suppressed.filter(keep), skipped: json.skipped }, wording, 1);
}

let differences = 0;
for (const folder of folders) {
  for (const jobs of ['1', '3']) {
    const a = report(before, folder, jobs);
    const b = report(after, folder, jobs);
    const count = JSON.parse(b).findings.length;
    if (a === b) {
      console.log(`same     ${folder} (--jobs ${jobs}): ${count} findings`);
      continue;
    }
    differences++;
    const left = a.split('\n');
    const right = b.split('\n');
    const at = left.findIndex((line, i) => line !== right[i]);
    console.log(`DIFFERS  ${folder} (--jobs ${jobs}) from line ${at + 1}:\n  - ${left.slice(at, at + 3).join('\n  - ')}\n  + ${right.slice(at, at + 3).join('\n  + ')}`);
  }
}
process.exit(differences ? 1 : 0);
