// Opening the 34,000-line file in process: `yaml` parsing it alone versus our engine (split,
// parse, line index, resource model, every rule). Alternated runs; prints medians as JSON.
// Usage: node --import tsx bench/open.ts <file> <runs>
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { Engine } from '../server/src/engine/engine';
import { Workspace } from '../server/src/workspace/workspace';
import { LineIndex } from '../server/src/parsing/line-index';
import { splitDocuments } from '../server/src/parsing/split-documents';

const [file, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const text = readFileSync(file, 'utf8');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
const time = (f: () => unknown) => {
  const start = performance.now();
  f();
  return performance.now() - start;
};
const samples: Record<string, number[]> = { yamlParse: [], open: [], setFile: [], lint: [], lineIndex: [], split: [] };
for (let i = 0; i < runs + 1; i++) {
  const yamlParse = time(() => parseAllDocuments(text));
  const engine = new Engine(new Workspace());
  const setFile = time(() => engine.workspace.setFile('file:///install.yaml', text));
  const lint = time(() => engine.lint('file:///install.yaml'));
  const lineIndex = time(() => new LineIndex(text));
  const split = time(() => splitDocuments(text));
  if (i === 0) continue; // warm-up
  samples.yamlParse.push(yamlParse);
  samples.open.push(setFile + lint);
  samples.setFile.push(setFile);
  samples.lint.push(lint);
  samples.lineIndex.push(lineIndex);
  samples.split.push(split);
}
console.log(JSON.stringify(Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]))));
