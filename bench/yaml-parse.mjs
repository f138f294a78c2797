// The floor of an audit: `yaml` itself (parseAllDocuments with the engine's options) parsing every
// .yaml/.yml file under a folder, one thread. Prints the milliseconds of parsing alone, the
// files read first (reading is timed apart). Usage: node bench/yaml-parse.mjs <dir>
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

// server/src/parsing/reparse-in-place.ts PARSE_OPTIONS.
const OPTIONS = { version: '1.1', keepSourceTokens: false, prettyErrors: false, uniqueKeys: false, strict: false };

const files = readdirSync(process.argv[2], { recursive: true }).map(String).filter((f) => /\.ya?ml$/.test(f)).sort();
const started = performance.now();
const texts = files.map((f) => readFileSync(join(process.argv[2], f), 'utf8'));
const read = performance.now();
let documents = 0;
for (const text of texts) documents += parseAllDocuments(text, OPTIONS).length;
const parsed = performance.now();
console.log(JSON.stringify({ files: files.length, bytes: texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0), documents, ms: { read: read - started, parse: parsed - read } }));
