// The keystroke path is incremental: only the edited YAML document is parsed and checked
// again, a large document only in the edited block, and the result is always exactly what a
// cold parse and lint give. Correctness only: nothing here is timed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isPair, isScalar, parseAllDocuments, type Document } from 'yaml';
import { Engine, lintText } from '../../../server/src/engine/engine';
import type { FileResult } from '../../../server/src/engine/lint';
import { appliesTo, defineRule } from '../../../server/src/engine/rule';
import { LineIndex } from '../../../server/src/parsing/line-index';
import { IN_PLACE_MIN_CHARS, parseFile, parseStats, PROVISIONAL_MIN_CHARS, settledErrors, type ParsedFile } from '../../../server/src/parsing/parse-file';
import { PARSE_OPTIONS } from '../../../server/src/parsing/reparse-in-place';
import { Workspace } from '../../../server/src/workspace/workspace';
import { random } from '../../seeded-random';

const URI = 'file:///multi.yaml';

const deployment = (i: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: shop
  labels: {app: app-${i}}
spec:
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}}
    spec:
      containers:
      - name: app
        image: registry.example.com/app-${i}:1.${i}
        securityContext:
          runAsNonRoot: true
          allowPrivilegeEscalation: ${i % 3 === 0}
          capabilities:
            drop: [ALL]
`;

/** A Deployment of a few kilobytes (many environment variables), like most of Argo CD's. */
function bigDeployment(): string {
  const env = Array.from({ length: 40 }, (_, i) => `        - name: VAR_${i}\n          valueFrom:\n            configMapKeyRef: {name: settings, key: key.${i}, optional: true}`);
  return `${deployment(7)}        env:\n${env.join('\n')}\n`;
}

const fiftyDocs = () => Array.from({ length: 50 }, (_, i) => deployment(i)).join('---\n');

/** A CustomResourceDefinition-sized document (about 60 KB), the shape that dominates real install files. */
function bigCrd(): string {
  const lines = ['apiVersion: apiextensions.k8s.io/v1', 'kind: CustomResourceDefinition', 'metadata:', '  name: widgets.example.com', 'spec:', '  group: example.com', '  names: {kind: Widget, plural: widgets}', '  scope: Namespaced', '  versions:', '  - name: v1', '    served: true', '    storage: true', '    schema:', '      openAPIV3Schema:', '        type: object', '        properties:'];
  for (let i = 0; i < 120; i++) {
    lines.push(`          field${i}:`, `            description: |-`, `              Field ${i} of the widget.`, `              It has two lines.`, `            type: object`, `            properties:`);
    for (let j = 0; j < 4; j++) lines.push(`              sub${j}:`, `                type: string`, `                enum:`, `                - a${j}`, `                - "b${j}"`);
    lines.push(`            required:`, `            - sub0`);
  }
  return `${lines.join('\n')}\n`;
}

/** Values, kinds and every node range of a document, for exact comparison. */
function shape(doc: Document.Parsed): unknown[] {
  const out: unknown[] = [JSON.stringify(doc.range), doc.errors.map((e) => [e.code, e.pos])];
  const walk = (node: unknown): void => {
    if (isPair(node)) {
      walk(node.key);
      walk(node.value);
      return;
    }
    if (!node || typeof node !== 'object') {
      out.push(node ?? null);
      return;
    }
    const n = node as { constructor: { name: string }; range?: number[]; items?: unknown[]; comment?: string | null };
    out.push([n.constructor.name, n.range?.join(','), isScalar(node) ? node.value : undefined, n.comment ?? null]);
    n.items?.forEach(walk);
  };
  walk(doc.contents);
  return out;
}

function sameParse(incremental: ParsedFile, fresh: ParsedFile): void {
  assert.equal(incremental.docs.length, fresh.docs.length);
  incremental.docs.forEach((doc, i) => {
    assert.equal(doc.base, fresh.docs[i].base);
    assert.equal(doc.source, fresh.docs[i].source);
    assert.deepEqual(shape(doc.doc), shape(fresh.docs[i].doc), `document ${i}`);
  });
  assert.deepEqual(incremental.syntaxErrors, fresh.syntaxErrors);
  assert.equal(incremental.templated, fresh.templated);
  assert.equal(incremental.lines.lineCount, fresh.lines.lineCount);
  for (let offset = 0; offset <= fresh.text.length; offset += 97) assert.deepEqual(incremental.lines.positionAt(offset), fresh.lines.positionAt(offset));
}

const view = (r: FileResult) => ({
  findings: r.findings.map((f) => ({ ruleId: f.ruleId, start: f.start, end: f.end, range: f.range, message: f.message, docIndex: f.docIndex, fixes: f.fixes })),
  suppressed: r.suppressed.map((f) => [f.ruleId, f.start, f.suppressed]),
});

/** A random small edit: type or delete characters, duplicate or delete a line, break a key. */
function edit(text: string, rnd: () => number): string {
  const pos = Math.floor(rnd() * text.length);
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  const nl = text.indexOf('\n', pos);
  const lineEnd = nl < 0 ? text.length : nl + 1;
  switch (Math.floor(rnd() * 6)) {
    case 0: return `${text.slice(0, pos)}x${text.slice(pos)}`;
    case 1: return text.slice(0, pos) + text.slice(pos + 1);
    case 2: return text.slice(0, lineStart) + text.slice(lineStart, lineEnd) + text.slice(lineStart);
    case 3: return text.slice(0, lineStart) + text.slice(lineEnd);
    case 4: return `${text.slice(0, pos)}: ${text.slice(pos)}`;
    default: return `${text.slice(0, lineEnd)}${' '.repeat(pos - lineStart)}extra: 1\n${text.slice(lineEnd)}`;
  }
}

describe('incremental parsing', () => {
  test('an edit in document 3 of 50 re-parses only that document', () => {
    const text = fiftyDocs();
    const first = parseFile(text);
    const offset = first.docs[3].base + first.docs[3].source.indexOf('1.3');
    const edited = `${text.slice(0, offset)}2${text.slice(offset + 1)}`;
    const before = { ...parseStats };
    const next = parseFile(edited, first, { mayMutatePrevious: true });
    assert.equal(parseStats.chunksParsed - before.chunksParsed, 1);
    assert.equal(parseStats.charsParsed - before.charsParsed, first.docs[3].source.length);
    next.docs.forEach((doc, i) => assert.equal(doc.doc === first.docs[i].doc, i !== 3, `document ${i} reused`));
    sameParse(next, parseFile(edited));
  });

  test('adding and removing document markers merges and splits documents like a fresh parse', () => {
    let text = fiftyDocs();
    let parsed = parseFile(text);
    const rnd = random(7);
    for (let step = 0; step < 40; step++) {
      const markers = [...text.matchAll(/^---\n/gm)].map((m) => m.index);
      if (step % 2 === 0) {
        const at = markers[Math.floor(rnd() * markers.length)];
        text = text.slice(0, at) + text.slice(at + 4);
      } else {
        const lines = [...text.matchAll(/\n/g)].map((m) => m.index + 1);
        const at = lines[Math.floor(rnd() * lines.length)];
        text = `${text.slice(0, at)}---\n${text.slice(at)}`;
      }
      parsed = parseFile(text, parsed, { mayMutatePrevious: true });
      sameParse(parsed, parseFile(text));
    }
  });

  test('a large document is updated in place, and equals a fresh parse after every edit', () => {
    const rnd = random(42);
    for (const crlf of [false, true]) {
      const base = fiftyDocs().split('---\n').slice(0, 3).join('---\n') + '---\n' + bigCrd() + '---\n' + deployment(99);
      let text = crlf ? base.replace(/\n/g, '\r\n') : base;
      let parsed = parseFile(text);
      let inPlace = 0;
      let valid = text;
      for (let step = 0; step < 150; step++) {
        // Like typing: an edit that breaks the YAML is undone by the next step.
        text = text === valid ? edit(text, rnd) : valid;
        const before = parseStats.inPlace;
        parsed = parseFile(text, parsed, { mayMutatePrevious: true });
        inPlace += parseStats.inPlace - before;
        const fresh = parseFile(text);
        sameParse(parsed, fresh);
        if (fresh.syntaxErrors.length === 0) valid = text;
      }
      assert.ok(inPlace > 30, `most edits of the large document were applied in place (${inPlace})`);
    }
  });

  test('a document of a few kilobytes is updated in place too, and equals a fresh parse', () => {
    const rnd = random(8);
    assert.ok(bigDeployment().length >= IN_PLACE_MIN_CHARS);
    let text = `${deployment(1)}---\n${bigDeployment()}---\n${deployment(2)}`;
    let parsed = parseFile(text);
    let valid = text;
    const before = parseStats.inPlace;
    for (let step = 0; step < 120; step++) {
      text = text === valid ? edit(text, rnd) : valid;
      parsed = parseFile(text, parsed, { mayMutatePrevious: true });
      const fresh = parseFile(text);
      sameParse(parsed, fresh);
      if (fresh.syntaxErrors.length === 0) valid = text;
    }
    assert.ok(parseStats.inPlace - before > 20, `edits were applied in place (${parseStats.inPlace - before})`);
  });

  test('a `{{` typed or deleted in a document updated in place marks the file templated or not', () => {
    const text = `${deployment(1)}---\n${bigDeployment().replace('app-7:1.7', 'app-7:{1.7')}`;
    const brace = text.indexOf('{1.7');
    for (const at of [brace, brace + 1]) {
      const parsed = parseFile(text);
      const before = parseStats.inPlace;
      const typed = parseFile(`${text.slice(0, at)}{${text.slice(at)}`, parsed, { mayMutatePrevious: true });
      assert.equal(typed.templated, true);
      assert.equal(parseFile(text, typed, { mayMutatePrevious: true }).templated, false);
      assert.equal(parseStats.inPlace - before, 2);
    }
  });

  test('typing document markers and directives character by character splits files like a fresh parse', () => {
    const rnd = random(21);
    const pieces = ['-', '---', '--- ', '%', '%YAML 1.1', '\n', '\r', '\r\n', ' ', 'x', '.', '...'];
    const six = fiftyDocs().split('---\n').slice(0, 6).join('---\n');
    for (const start of [six, six.replace(/\n/g, '\r\n'), `%YAML 1.1\n---\n${deployment(1)}%TAG ! tag:example.com,2000:\n---\n${bigDeployment()}`]) {
      let text = start;
      let parsed = parseFile(text);
      for (let step = 0; step < 300; step++) {
        // At the start of a line, mostly one next to a marker or directive, where they begin.
        const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
        const boundaries = lineStarts.flatMap((at, i) => (/^(?:---|%)/.test(text.slice(at, at + 3)) ? [i - 1, i, i + 1] : [])).filter((i) => i >= 0 && i < lineStarts.length);
        const lines = boundaries.length && rnd() < 0.8 ? boundaries : lineStarts.map((_, i) => i);
        const at = Math.min(text.length, lineStarts[lines[Math.floor(rnd() * lines.length)]] + Math.floor(rnd() * 5));
        const removed = rnd() < 0.4 ? Math.floor(rnd() * 4) : 0;
        text = text.slice(0, at) + (removed ? '' : pieces[Math.floor(rnd() * pieces.length)]) + text.slice(at + removed);
        parsed = parseFile(text, parsed, { mayMutatePrevious: true });
        sameParse(parsed, parseFile(text));
      }
    }
  });

  test('without ownership the previous parse is never mutated', () => {
    const text = `${bigCrd()}---\n${deployment(1)}`;
    const first = parseFile(text);
    const snapshot = first.docs.map((d) => shape(d.doc));
    const at = text.indexOf('Field 7 of');
    parseFile(`${text.slice(0, at)}A ${text.slice(at)}`, first);
    assert.deepEqual(first.docs.map((d) => shape(d.doc)), snapshot);
  });

  test('the line index is updated by the edit and equals a fresh one', () => {
    const rnd = random(3);
    let text = 'a: 1\r\nb: 2\rc: 3\n\nd:\r\n  - e\n';
    let lines = new LineIndex(text);
    const pieces = ['\n', '\r', '\r\n', 'x', 'yy\nz', ''];
    for (let step = 0; step < 500; step++) {
      const from = Math.floor(rnd() * (text.length + 1));
      const to = Math.min(text.length, from + Math.floor(rnd() * 3));
      const insert = pieces[Math.floor(rnd() * pieces.length)];
      const next = text.slice(0, from) + insert + text.slice(to);
      lines = LineIndex.edited(lines, next, from, to, from + insert.length);
      const fresh = new LineIndex(next);
      assert.equal(lines.lineCount, fresh.lineCount, JSON.stringify(next));
      for (let offset = 0; offset <= next.length; offset++) assert.deepEqual(lines.positionAt(offset), fresh.positionAt(offset));
      text = next;
    }
  });

  test('a value emptied at the end of an edited block (`key:` being typed) is placed as a fresh parse places it', () => {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: a}', 'data:', '  props:'];
    for (let i = 0; i < 100; i++) lines.push(`    f${i}:`, '      type: string', '      enum:', `      - a${i}`, `      - "b${i}"`, '      other: 1');
    const base = `${lines.join('\n')}\n`;
    const edits: Array<[string, string]> = [['"b50"', '"b50": '], ['"b50"', '"b50":'], ['other: 1\n    f51', 'other: \n    f51'], ['other: 1\n    f51', 'other:\n    f51'], ['- "b99"\n', '- "b99":\n'], ['other: 1\n', 'other:\n']];
    for (const [from, to] of edits) {
      const at = base.lastIndexOf(from, from.includes('99') || from === 'other: 1\n' ? base.length : base.indexOf('f51:'));
      const text = base.slice(0, at) + to + base.slice(at + from.length);
      sameParse(parseFile(text, parseFile(base), { mayMutatePrevious: true }), parseFile(text));
    }
  });

  test('typing a key in a large document: the edited block alone says it is invalid, and the key completed is an update in place', () => {
    const crd = bigCrd();
    assert.ok(crd.length >= PROVISIONAL_MIN_CHARS);
    const head = `${deployment(1)}---\n`;
    let text = `${head}${crd}---\n${deployment(2)}`;
    let parsed = parseFile(text);
    const at = text.indexOf('\n', text.indexOf('field50:')) + 1; // a new line at the start of field50's properties
    const indent = '            ';
    text = `${text.slice(0, at)}${indent}\n${text.slice(at)}`;
    parsed = parseFile(text, parsed, { mayMutatePrevious: true, provisional: true });
    let column = at + indent.length;
    for (const ch of 'newKey: x') {
      text = `${text.slice(0, column)}${ch}${text.slice(column)}`;
      column++;
      const [chunks, inPlace, provisional] = [parseStats.chunksParsed, parseStats.inPlace, parseStats.provisional];
      parsed = parseFile(text, parsed, { mayMutatePrevious: true, provisional: true });
      assert.equal(parseStats.chunksParsed, chunks, `typing ${JSON.stringify(ch)} parsed no document whole`);
      const fresh = parseFile(text);
      if (fresh.syntaxErrors.length === 0) {
        assert.equal(parsed.provisional, false);
        assert.equal(parseStats.inPlace, inPlace + 1);
        sameParse(parsed, fresh);
        continue;
      }
      assert.equal(parsed.provisional, true, `after ${JSON.stringify(ch)}`);
      assert.equal(parseStats.provisional, provisional + 1);
      // The error is in the CRD, on the line being typed, and the other documents are intact.
      const [error] = parsed.syntaxErrors;
      assert.equal(error.docIndex, 1);
      assert.equal(parsed.lines.positionAt(error.start).line, parsed.lines.positionAt(at).line);
      assert.deepEqual(shape(parsed.docs[0].doc), shape(fresh.docs[0].doc));
      assert.deepEqual(shape(parsed.docs[2].doc), shape(fresh.docs[2].doc));
      // Parsing the same text again without the option gives the exact errors.
      sameParse(parseFile(text, parsed), fresh);
    }
    assert.ok(text.includes(`${indent}newKey: x\n`));
  });

  test('with provisional errors allowed, random edits of a large document give a fresh parse or a true provisional error', () => {
    const rnd = random(7);
    let text = `${deployment(1)}---\n${bigCrd()}`;
    let parsed = parseFile(text);
    let valid = text;
    let pending = 0;
    let provisional = 0;
    for (let step = 0; step < 200; step++) {
      // Like typing: up to three edits pile up on an invalid document, then it is undone.
      if (text !== valid && pending >= 3) [text, pending] = [valid, 0];
      else [text, pending] = [edit(text, rnd), pending + 1];
      parsed = parseFile(text, parsed, { mayMutatePrevious: true, provisional: true });
      const fresh = parseFile(text);
      if (parsed.provisional) {
        provisional++;
        assert.ok(fresh.syntaxErrors.length > 0, 'a provisional error is an error of the full parse too');
        sameParse(parseFile(text, parsed), fresh);
      } else sameParse(parsed, fresh);
      if (fresh.syntaxErrors.length === 0) [valid, pending] = [text, 0];
    }
    assert.ok(provisional > 10, `edits left the document provisionally invalid (${provisional})`);
  });

  test('settled with errors computed elsewhere (the parse thread): the exact errors of a full parse, and the next edits still update the last valid tree in place', () => {
    const rnd = random(11);
    let text = `${deployment(1)}---\n${bigCrd()}`;
    let parsed = parseFile(text);
    let valid = text;
    let pending = 0;
    let settledCount = 0;
    for (let step = 0; step < 120; step++) {
      if (text !== valid && pending >= 3) [text, pending] = [valid, 0];
      else [text, pending] = [edit(text, rnd), pending + 1];
      parsed = parseFile(text, parsed, { mayMutatePrevious: true, provisional: true });
      const fresh = parseFile(text);
      if (parsed.provisional) {
        // As the language server does: the provisional chunks' texts go to another thread, their errors come back.
        const errors = new Map(parsed.chunks.filter((chunk) => chunk.provisional).map((chunk) => [chunk.text, settledErrors(chunk.text)]));
        const chunksParsed = parseStats.chunksParsed;
        const settled = parseFile(text, parsed, { settled: (chunk) => errors.get(chunk) });
        assert.equal(parseStats.chunksParsed - chunksParsed, [...errors.values()].filter((e) => e === undefined).length, 'only chunks with a valid document are parsed here');
        assert.equal(settled.provisional, false);
        assert.deepEqual(settled.syntaxErrors, fresh.syntaxErrors);
        assert.equal(settled.docs.length, fresh.docs.length);
        parsed = settled;
        settledCount++;
      } else if (parsed.chunks.some((chunk) => chunk.settled)) {
        // A settled document the edit did not touch keeps its stand-ins: the same errors as a full parse.
        assert.deepEqual(parsed.syntaxErrors, fresh.syntaxErrors);
        assert.equal(parsed.docs.length, fresh.docs.length);
      } else sameParse(parsed, fresh);
      if (fresh.syntaxErrors.length === 0) [valid, pending] = [text, 0];
    }
    assert.ok(settledCount > 10, `edits were settled (${settledCount})`);
  });

  test('YAML the in-place path does not handle falls back to a full parse of the document', () => {
    const crd = bigCrd();
    const withAnchor = crd.replace('        type: object\n        properties:', '        type: &t object\n        x-alias: *t\n        properties:');
    const parsed = parseFile(withAnchor);
    const before = parseStats.inPlace;
    const at = withAnchor.indexOf('Field 9 of');
    const edited = `${withAnchor.slice(0, at)}Z${withAnchor.slice(at)}`;
    sameParse(parseFile(edited, parsed, { mayMutatePrevious: true }), parseFile(edited));
    assert.equal(parseStats.inPlace, before);
    assert.equal(parseAllDocuments(edited, PARSE_OPTIONS).length, 1);
  });
});

describe('incremental linting', () => {
  test('an edit re-runs the rules of the edited document only and lints like a cold lint', () => {
    const engine = new Engine(new Workspace());
    let text = fiftyDocs();
    engine.workspace.setFile(URI, text);
    engine.lint(URI);
    const rnd = random(11);
    for (let step = 0; step < 30; step++) {
      const doc = Math.floor(rnd() * 50);
      const parsed = engine.workspace.getFile(URI)!.parsed;
      // Typing in a value or a key of the container: nothing other documents depend on.
      const key = step % 2 ? 'allowPrivilegeEscalation: ' : 'image: ';
      const at = parsed.docs[doc].base + parsed.docs[doc].source.indexOf(key) + key.length + (step % 3);
      text = `${text.slice(0, at)}x${text.slice(at)}`;
      engine.workspace.setFile(URI, text);
      const before = { ...engine.cache.stats };
      const incremental = engine.lint(URI);
      const runs = engine.cache.stats.runs - before.runs;
      assert.ok(runs <= engine.rules.length, `at most one document's rules ran (${runs})`);
      assert.ok(engine.cache.stats.reused - before.reused > 0, 'the other documents reused their results');
      assert.deepEqual(view(incremental), view(lintText(text, { uri: URI })), `after edit ${step}`);
    }
  });

  test('edits of a large document in place give the findings of a cold lint', () => {
    const engine = new Engine(new Workspace());
    const rnd = random(5);
    let text = `${deployment(1)}---\n${bigCrd()}---\n${deployment(2).replace('runAsNonRoot: true', 'privileged: true')}`;
    engine.workspace.setFile(URI, text);
    for (let step = 0; step < 40; step++) {
      text = edit(text, rnd);
      engine.workspace.setFile(URI, text);
      assert.deepEqual(view(engine.lint(URI)), view(lintText(text, { uri: URI })), `after edit ${step}`);
    }
  });

  test('a rule that declares no reads cannot query the workspace (its results are cached per document): it fails, never serves a stale result', () => {
    const counting = defineRule({
      meta: { id: 'test-counts-config-maps', title: 't', principle: 'least-privilege', severity: 'warning', docs: { what: '', why: '', fix: '', peers: {} } },
      check(resource, { workspace, report }) {
        if (resource.kind === 'Pod') report({ node: resource.root.node, message: `${workspace.ofKind('ConfigMap').length} config maps` });
      },
    });
    const engine = new Engine(new Workspace(), { profile: 'restricted', rules: {} }, [counting]);
    engine.workspace.setFile('file:///pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n');
    const result = engine.lint('file:///pod.yaml');
    assert.deepEqual(result.findings, []);
    assert.match(result.failures[0].error, /rule test-counts-config-maps queried the workspace but declares no reads/);
    // Declared, it is keyed by the workspace's state: a new ConfigMap is seen.
    const declared = defineRule({ ...counting, meta: { ...counting.meta, reads: ['identity'] } });
    const cross = new Engine(new Workspace(), { profile: 'restricted', rules: {} }, [declared]);
    cross.workspace.setFile('file:///pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n');
    assert.match(cross.lint('file:///pod.yaml').findings[0].message, /^0 config maps/);
    cross.workspace.setFile('file:///cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
    assert.match(cross.lint('file:///pod.yaml').findings[0].message, /^1 config maps/);
  });

  test('fix-all on a fork leaves the parent workspace intact', () => {
    const text = `${bigCrd()}---\n${deployment(3).replace('runAsNonRoot: true', 'privileged: true')}`;
    const engine = new Engine(new Workspace());
    engine.workspace.setFile(URI, text);
    const before = view(engine.lint(URI));
    const parsed = engine.workspace.getFile(URI)!.parsed;
    const shapes = parsed.docs.map((d) => shape(d.doc));
    assert.ok(engine.fixAll(URI, () => true));
    assert.deepEqual(parsed.docs.map((d) => shape(d.doc)), shapes);
    assert.deepEqual(view(engine.lint(URI)), before);
  });
});

describe('cross-resource signature', () => {
  const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n';

  test('workload-local edits keep the cross-resource state; labels, kinds and other documents change it', () => {
    const workspace = new Workspace();
    workspace.setFile('file:///policy.yaml', policy);
    let text = deployment(1);
    workspace.setFile(URI, text);
    const epoch = () => workspace.snapshot.crossState;
    const step = (from: string, to: string) => {
      const before = epoch();
      text = text.replace(from, to);
      workspace.setFile(URI, text);
      return epoch() !== before;
    };
    assert.equal(step('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true'), false);
    assert.equal(step('image: registry.example.com/app-1:1.1', 'image: registry.example.com/app-1:1.2'), false);
    assert.equal(step('labels: {app: app-1}\n    spec', 'labels: {app: app-2}\n    spec'), true);
    assert.equal(step('namespace: shop', 'namespace: shop2'), true);
    assert.equal(step('kind: Deployment', 'kind: StatefulSet'), true);
    const before = epoch();
    workspace.setFile('file:///policy.yaml', policy.replace('[Ingress]', '[Ingress, Egress]'));
    assert.notEqual(epoch(), before);
  });

  test('memos are recomputed after any change', () => {
    const workspace = new Workspace();
    workspace.setFile(URI, deployment(1));
    let computed = 0;
    const memo = () => workspace.memo('test', () => ++computed);
    memo();
    memo();
    workspace.setFile(URI, deployment(1).replace('1.1', '1.2'));
    memo();
    assert.equal(computed, 2);
  });
});

describe('cross-resource state', () => {
  const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: app-1}}\n  policyTypes: [Ingress]\n';
  const POLICY = 'file:///policy.yaml';

  test('undoing an edit finds the cross-resource results of the state before it', () => {
    const engine = new Engine(new Workspace());
    const original = fiftyDocs().split('---\n').slice(0, 10).join('---\n');
    engine.workspace.setFile(POLICY, policy);
    engine.workspace.setFile(URI, original);
    engine.lint(URI);
    const start = engine.workspace.snapshot.crossState;
    const deployment = engine.workspace.getFile(URI)!.resources[0];
    const perDocument = engine.rules.filter((rule) => appliesTo(rule.meta, deployment)).length;
    // Edits in three documents, each undone: the start state outlives the states in between.
    for (const app of ['app-1', 'app-3', 'app-0']) {
      const relabelled = original.replace(`labels: {app: ${app}}\n    spec`, `labels: {app: ${app}x}\n    spec`);
      for (const [text, sameState] of [[relabelled, false], [original, true]] as const) {
        engine.workspace.setFile(URI, text);
        const before = engine.cache.stats.runs;
        const result = engine.lint(URI);
        assert.equal(engine.workspace.snapshot.crossState === start, sameState);
        if (sameState) assert.ok(engine.cache.stats.runs - before <= perDocument, `only the edited document's rules ran (${engine.cache.stats.runs - before})`);
        assert.deepEqual(view(result), view(lintText(text, { uri: URI, files: { [POLICY]: policy } })));
      }
    }
  });

  test('a state counts as the earlier one only when every file changed since has its signatures back', () => {
    const workspace = new Workspace();
    workspace.setFile(POLICY, policy);
    workspace.setFile(URI, deployment(1));
    const states = [workspace.snapshot.crossState];
    const step = (uri: string, text: string) => {
      workspace.setFile(uri, text);
      states.push(workspace.snapshot.crossState);
    };
    step(URI, deployment(2));
    step(POLICY, policy.replace('app-1', 'app-2'));
    step(URI, deployment(1));
    assert.equal(new Set(states).size, 4, 'each state differs: the policy still differs from the start');
    step(POLICY, policy);
    assert.equal(states[4], states[0], 'both files are back');
    step(URI, deployment(1).replace('image: ', 'image: x'));
    assert.equal(states[5], states[0], 'a workload-local edit keeps the state');
  });
});

