// What a document of a kind no rule checks costs (issue 19: "little more than lexing it"):
// every CustomResourceDefinition of a tree, lexed by `yaml`'s own lexer, parsed where it is read
// (server/src/parsing/lean-parse.ts, what audits do) and parsed whole. Alternated runs after a
// warm-up; prints medians as JSON. Usage: node --import tsx bench/lean.ts <dir> <runs>
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lexer, parseAllDocuments } from 'yaml';
import { RULES } from '../rules';
import { leanPolicy } from '../server/src/engine/lean-kinds';
import { PodTemplates } from '../server/src/model/pod-templates';
import { kindLine, leanDocument } from '../server/src/parsing/lean-parse';
import { PARSE_OPTIONS } from '../server/src/parsing/reparse-in-place';
import { splitDocuments } from '../server/src/parsing/split-documents';

const [dir, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);
const KIND = 'CustomResourceDefinition';
const kept = leanPolicy(RULES, PodTemplates.BUILT_IN)(KIND)!;
const docs = readdirSync(dir, { recursive: true })
  .map(String)
  .filter((f) => /\.ya?ml$/.test(f))
  .flatMap((f) => splitDocuments(readFileSync(join(dir, f), 'utf8')).map((chunk) => chunk.text))
  .filter((text) => kindLine(text) === KIND);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
const time = (f: () => void) => {
  const start = performance.now();
  f();
  return performance.now() - start;
};
const samples = { lex: [] as number[], lean: [] as number[], full: [] as number[] };
let vouched = 0;
for (let i = 0; i <= runs; i++) {
  const lex = time(() => docs.forEach((text) => {
    for (const _ of new Lexer().lex(text));
  }));
  const lean = time(() => (vouched = docs.filter((text) => leanDocument(text, KIND, kept)).length));
  const full = time(() => docs.forEach((text) => parseAllDocuments(text, PARSE_OPTIONS)));
  if (i === 0) continue; // warm-up
  samples.lex.push(lex);
  samples.lean.push(lean);
  samples.full.push(full);
}
console.log(JSON.stringify({ documents: docs.length, vouched, bytes: docs.reduce((sum, text) => sum + text.length, 0), lex: median(samples.lex), lean: median(samples.lean), full: median(samples.full) }));
