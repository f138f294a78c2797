/**
 * How many findings a workload gets, and how many of them sit on the same spot as another:
 * the measure of "one root cause, one finding" (issue 16). Each folder is audited as its own
 * workspace, the way the CLI (`kzt audit --kustomize off <folder>`, default configuration) audits it. Per
 * folder: the median of the findings on each workload (a resource with a pod spec), all the
 * folder's findings divided by its workloads, the share of findings whose exact range another
 * finding has too, and the share of `default-namespace`.
 *   npm run density -- <folder>…        e.g. npm run density -- ../shared/corpus/argo-cd ../shared/corpus/kube-prometheus
 * `--by-rule` adds every rule's count. Prints a table; exits 0.
 */
import { auditEngine, loadFile } from '../server/src/audit/load';
import { planAudit } from '../server/src/cli/audit';
import { DEFAULT_CONFIG } from '../server/src/engine/config';
import type { Finding } from '../server/src/engine/finding';

const args = process.argv.slice(2);
const byRule = args.includes('--by-rule');
const folders = args.filter((a) => !a.startsWith('--'));
if (folders.length === 0) {
  console.error('usage: npm run density -- [--by-rule] <folder>…');
  process.exit(2);
}

interface Audited {
  findings: Finding[];
  /** Findings on each workload (a resource with a pod spec), zero included. */
  perWorkload: number[];
}

function auditFolder(folder: string): Audited {
  const options = {
    config: DEFAULT_CONFIG,
    defaultNamespace: 'default',
    maxBytes: 5 << 20, // the CLI's default file size limit
    cwd: process.cwd(),
    exclude: [],
    excludeBase: folder,
    version: 'density',
    readStdin: () => ({ problem: 'no standard input' }),
  };
  const plan = planAudit([folder], options);
  // The folder is its own analysis unit, as `kzt audit <folder>` makes it (without rendering kustomizations).
  const engine = auditEngine({ ...options, unitRoots: plan.unitRoots });
  const uris: string[] = [];
  for (const path of plan.files) {
    const file = loadFile(path, options);
    if (!('text' in file)) continue;
    engine.workspace.setFile(file.uri, file.text);
    uris.push(file.uri);
  }
  const findings = uris.flatMap((uri) => engine.lint(uri).findings);
  const key = (uri: string, docIndex: number, kind: string, name: string) => `${uri}\0${docIndex}\0${kind}\0${name}`;
  const counts = new Map<string, number>();
  for (const resource of engine.workspace.resources()) {
    if (resource.podSpec) counts.set(key(resource.uri, resource.docIndex, resource.kind, resource.name), 0);
  }
  for (const f of findings) {
    const k = f.resource ? key(f.uri, f.docIndex, f.resource.kind, f.resource.name) : '';
    const count = counts.get(k);
    if (count !== undefined) counts.set(k, count + 1);
  }
  return { findings, perWorkload: [...counts.values()] };
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Findings that share their exact range (file, start, end) with at least one other finding. */
function onSharedSpot(findings: readonly Finding[]): number {
  const spots = new Map<string, number>();
  for (const f of findings) spots.set(`${f.uri}\0${f.start}\0${f.end}`, (spots.get(`${f.uri}\0${f.start}\0${f.end}`) ?? 0) + 1);
  return findings.filter((f) => spots.get(`${f.uri}\0${f.start}\0${f.end}`)! > 1).length;
}

const pct = (part: number, whole: number) => (whole === 0 ? '0.0 %' : `${((100 * part) / whole).toFixed(1)} %`);
const row = (cells: Array<string | number>) => console.log(`| ${cells.join(' | ')} |`);

const all: Audited = { findings: [], perWorkload: [] };
row(['folder', 'workloads', 'findings', 'median on a workload', 'findings ÷ workloads', 'on a shared spot', 'default-namespace']);
row(['---', '---:', '---:', '---:', '---:', '---:', '---:']);
const line = (name: string, a: Audited) => {
  const dn = a.findings.filter((f) => f.ruleId === 'default-namespace').length;
  const ratio = a.perWorkload.length === 0 ? '–' : (a.findings.length / a.perWorkload.length).toFixed(1);
  row([name, a.perWorkload.length, a.findings.length, median(a.perWorkload), ratio, pct(onSharedSpot(a.findings), a.findings.length), pct(dn, a.findings.length)]);
};
for (const folder of folders) {
  const audited = auditFolder(folder);
  line(folder, audited);
  all.findings.push(...audited.findings);
  all.perWorkload.push(...audited.perWorkload);
}
line('**all**', all);

if (byRule) {
  const counts = new Map<string, number>();
  for (const f of all.findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  console.log('');
  row(['rule', 'findings', 'share']);
  row(['---', '---:', '---:']);
  for (const [rule, count] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) row([rule, count, pct(count, all.findings.length)]);
}
