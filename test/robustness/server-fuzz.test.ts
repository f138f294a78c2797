// The language server (dist/server.js over stdio) on any text: it publishes diagnostics,
// answers hover and code-action requests (before and after incremental edits), never logs
// an uncaught error or a rule failure, and stays alive; deep nesting, alias and merge bombs,
// huge scalars and many documents included.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { aliasBomb, fcOptions, mergeBomb, mutatedManifest, preview, randomYaml, SEED } from './arbitraries';
import { ServerProcess } from './server-process';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: app\n      image: nginx\n      securityContext: {privileged: true}\n';

/** Texts that stress limits: deep nesting, bombs, huge scalars, many documents. */
function extremes(): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  // Past 256 levels the parser refuses a document (yaml recursion once aborted the process).
  for (const n of [300, 10_000, 100_000]) {
    out.push({ name: `flow sequences ${n} deep`, text: `${POD}---\nkind: ConfigMap\napiVersion: v1\ndata: ${'['.repeat(n)}${']'.repeat(n)}\n` });
    out.push({ name: `flow maps ${n} deep`, text: `${POD}---\nspec: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n` });
    out.push({ name: `block sequences ${n} deep`, text: `${'- '.repeat(n)}x\n---\n${POD}` });
    out.push({ name: `unclosed ${n} brackets`, text: `${POD}---\na: ${'[{'.repeat(n)}\n` });
  }
  out.push({ name: 'block maps 3,000 deep', text: `${Array.from({ length: 3_000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} x\n---\n${POD}` });
  out.push({ name: 'alias bomb in the pod', text: `${POD}bombs:\n${aliasBomb('  ')}\nextra: *lol9\n` });
  out.push({ name: 'alias bomb as the containers', text: POD.replace('  containers:', `  x:\n${aliasBomb('    ')}\n  initContainers: *lol9\n  containers:`) });
  out.push({ name: 'merge bomb in the pod spec', text: POD.replace('spec:\n', `bombs:\n${mergeBomb('  ')}\nspec:\n  <<: *m9\n`) });
  out.push({ name: '5 MB minus one of scalar', text: `${POD}---\na: ${'x'.repeat(5 * 1048576 - 200)}\n` });
  out.push({ name: '100 documents', text: Array(100).fill(POD).join('---\n') });
  out.push({ name: 'binary', text: String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)) });
  out.push({ name: 'only a BOM and CRLFs', text: '\uFEFF\r\n\r\n' });
  out.push({ name: 'lone surrogates', text: `${POD}a: "\uD800\uDC00\uDFFF\uD800"\n` });
  return out;
}

describe('language server robustness', () => {
  let server: ServerProcess;
  let counter = 0;
  const folder = mkdtempSync(join(tmpdir(), 'kzt-fuzz-'));

  before(async () => {
    server = await ServerProcess.start({ workspaceFolder: folder, settings: { debounceMs: 0 } });
  });
  after(() => server.stop());

  /** Opens a text, asks for everything, edits it, asks again, closes it. */
  async function exercise(text: string, edit: { at: number; length: number; text: string }): Promise<void> {
    const uri = `file://${folder}/doc-${counter++}.yaml`;
    server.open(uri, text);
    const diagnostics = await server.diagnosticsFor(uri, 30_000);
    const doc = TextDocument.create(uri, 'yaml', 1, text);
    await ask(uri, doc, diagnostics);
    // An incremental edit, as a keystroke sends it.
    const start = Math.min(edit.at, text.length);
    const range = { start: doc.positionAt(start), end: doc.positionAt(Math.min(text.length, start + edit.length)) };
    server.change(uri, 2, [{ range, text: edit.text }]);
    TextDocument.update(doc, [{ range, text: edit.text }], 2);
    await ask(uri, doc, await server.diagnosticsFor(uri, 30_000));
    server.close(uri);
  }

  async function ask(uri: string, doc: TextDocument, diagnostics: Diagnostic[]): Promise<void> {
    const end = doc.positionAt(doc.getText().length);
    for (const fraction of [0, 0.5, 1]) {
      await server.request('textDocument/hover', { textDocument: { uri }, position: doc.positionAt(Math.floor(fraction * doc.getText().length)) });
    }
    // The lightbulb at the first diagnostic (VS Code sends the diagnostics under the cursor),
    // then over the whole text with every diagnostic (select all, then the lightbulb); the
    // whole-file actions come without their edit and are resolved as when the user picks one.
    const first = diagnostics[0];
    const requests = [{ range: { start: { line: 0, character: 0 }, end }, diagnostics }];
    if (first) requests.unshift({ range: first.range, diagnostics: diagnostics.filter((d) => d.range.start.line === first.range.start.line) });
    for (const { range, diagnostics: context } of requests) {
      const actions = await server.request<Array<{ edit?: unknown; data?: unknown }>>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: context } });
      for (const action of actions.filter((a) => !a.edit && a.data !== undefined).slice(0, 3)) await server.request('codeAction/resolve', action);
    }
    await server.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end }, context: { diagnostics: [], only: ['source.fixAll.kube-zero-trust'] } });
  }

  const edit = fc.record({ at: fc.nat({ max: 5_000 }), length: fc.nat({ max: 40 }), text: fc.constantFrom('', ':', '\n', '- ', '[', '&a ', '*a', '  ', '\t', '{{ x }}', '\r\n---\r\n') });

  function assertHealthy(): void {
    assert.ok(server.alive, `the server exited: ${JSON.stringify(server.exit)} ${server.stderr.join('').slice(-2000)}`);
    const bad = server.logs.filter((l) => /Uncaught|Internal error|Unhandled|failed/i.test(l.message));
    assert.deepEqual(bad.map((l) => l.message.slice(0, 2000)), [], 'the server logged errors');
  }

  test('real manifests with random edits: every request answered, no error logged', async () => {
    await fc.assert(fc.asyncProperty(mutatedManifest(), edit, async (m, e) => exercise(m.text, e)), fcOptions(60));
    assertHealthy();
  });

  test('random Kubernetes-shaped YAML: every request answered, no error logged', async () => {
    await fc.assert(fc.asyncProperty(randomYaml, edit, async (text, e) => exercise(text, e)), fcOptions(40));
    assertHealthy();
  });

  test('extreme texts (deep nesting, bombs, huge scalars, many documents): answered within bounds', async () => {
    const random = fc.sample(edit, { seed: SEED, numRuns: 1 })[0];
    for (const { name, text } of extremes()) {
      const started = Date.now();
      try {
        await exercise(text, random);
      } catch (error) {
        assert.fail(`${name} (${preview(text, 200)}): ${error instanceof Error ? error.message : String(error)}`);
      }
      if (process.env.KZT_FUZZ_VERBOSE) console.log(`${name}: ${Date.now() - started} ms`);
      assert.ok(Date.now() - started < 30_000, `${name} took ${Date.now() - started} ms`);
    }
    assertHealthy();
    const rules = await server.request<unknown[]>('kzt/listRules', null);
    assert.ok(rules.length > 0, 'the server still answers');
  });
});
