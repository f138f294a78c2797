// The peer for the workspace audit: @monokle/validation on the same files, offline (no remote
// schema, policy or plugin loading), with its cross-resource links on. Prints a JSON summary.
// Usage: node bench/peers/monokle-audit.mjs <dir>
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { AnnotationSuppressor, DisabledFixer, FingerprintSuppressor, MonokleValidator, RemotePluginLoader, ResourceParser, SchemaLoader, requireFromStringCustomPluginLoader } from '@monokle/validation';

// Since the process started: node itself and loading @monokle/validation and yaml (counted, as our CLI's bundle load is).
const started = performance.now();
const root = process.argv[2];
const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.ya?ml$/.test(entry)) files.push(path);
  }
};
walk(root);

// Monokle validates already-extracted resources; this is the extraction its CLI does.
const resources = [];
for (const path of files) {
  const text = readFileSync(path, 'utf8');
  const filePath = relative(root, path);
  for (const doc of parseAllDocuments(text)) {
    const content = doc.toJS();
    if (!content?.kind || !content?.apiVersion) continue;
    const [start, , end] = doc.range;
    resources.push({
      id: `${filePath}#${resources.length}`,
      fileId: filePath,
      filePath,
      fileOffset: text.slice(0, start).split('\n').length - 1,
      name: content.metadata?.name ?? '',
      apiVersion: content.apiVersion,
      kind: content.kind,
      namespace: content.metadata?.namespace,
      content,
      text: text.slice(start, end),
    });
  }
}
const parsed = performance.now();

// Its default validator minus the plugins that download at load time: kubernetes-schema
// (JSON schemas), open-policy-agent (a WASM policy bundle), admission-policy (a CEL module).
const config = { plugins: { 'yaml-syntax': true, 'pod-security-standards': true, 'resource-links': true, practices: true, metadata: true } };
const validator = new MonokleValidator(
  {
    loader: new RemotePluginLoader(requireFromStringCustomPluginLoader),
    parser: new ResourceParser(),
    schemaLoader: new SchemaLoader(),
    suppressors: [new AnnotationSuppressor(), new FingerprintSuppressor()],
    fixer: new DisabledFixer(),
  },
  config,
);
await validator.preload(config);
const loaded = performance.now();
const response = await validator.validate({ resources });
const done = performance.now();
const results = response.runs.reduce((n, run) => n + run.results.length, 0);
console.log(JSON.stringify({ files: files.length, resources: resources.length, results, ms: { import: started, extract: parsed - started, preload: loaded - parsed, validate: done - loaded, total: done } }));
