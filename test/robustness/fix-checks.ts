// The fix-safety checks: applying a fix yields valid YAML, the targeted finding disappears,
// no other document changes, comments survive (a key's trailing comment on the key's line,
// when the key had no value); fix-all applied twice changes nothing the
// second time. Used by fix-safety.test.ts (and handy on one failing file from a script).
import assert from 'node:assert/strict';
import { Engine, lintText } from '../../server/src/engine/engine';
import type { Finding, FindingFix } from '../../server/src/engine/finding';
import { applyEdits, editsConflict, type OffsetEdit } from '../../server/src/edits/offset-edit';
import { parseFile, type ParsedFile } from '../../server/src/parsing/parse-file';
import { Workspace } from '../../server/src/workspace/workspace';
import { commentsOf, preview, type Comment } from './arbitraries';

const URI = 'file:///fix.yaml';

/** What identifies a finding across an edit: rule, document and target (else its message). */
const keyOf = (f: Finding) => `${f.ruleId}|${f.docIndex}|${f.item ?? ''}|${f.target ?? f.message}`;
const count = (findings: readonly Finding[], key: string) => findings.filter((f) => keyOf(f) === key).length;

/** Each document's text (its slice of the file, exactly), or undefined if it has errors. */
/**
 * Each document's own text (undefined when invalid). Documents of one `---` chunk separated by
 * `...` share its source: each is the slice from the end of the one before it to its own end.
 */
function documents(parsed: ParsedFile): Array<string | undefined> {
  return parsed.docs.map(({ doc, source, base }, i) => {
    if (doc.errors.length) return undefined;
    const previous = parsed.docs[i - 1];
    const from = previous && previous.base === base ? previous.doc.range[2] : 0;
    const next = parsed.docs[i + 1];
    const to = next && next.base === base ? doc.range[2] : source.length;
    return `${source.slice(from, to)}\u0000${doc.range[0] - from}`;
  });
}

function multiset(values: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/**
 * Comments a fix may drop: those inside whole lines it deletes (the trailing comment of a
 * removed `privileged: true`, the comments inside a removed list item). A comment on its
 * own line above a removed pair stays, like every other comment.
 */
function droppable(text: string, comments: readonly Comment[], edits: readonly OffsetEdit[]): Set<number> {
  const out = new Set<number>();
  for (const c of comments) {
    for (const e of edits) {
      const wholeLines = e.text === '' && (e.start === 0 || /[\r\n]/.test(text[e.start - 1]));
      if (wholeLines && e.start < c.offset && c.offset + c.source.length <= e.end) out.add(c.offset);
    }
  }
  return out;
}

/**
 * Every kept comment is still there: as a comment of its own, or at the end of the comment a fix
 * made of its line (a removed pair is commented out with its reason: `# privileged: true # why`).
 */
function assertCommentsKept(where: string, kept: readonly Comment[], after: string): void {
  const have = commentsOf(after).map((c) => c.source.trimEnd());
  for (const [comment, n] of multiset(kept.map((c) => c.source.trimEnd()))) {
    const found = have.filter((source) => source === comment || source.endsWith(` ${comment}`)).length;
    assert.ok(found >= n, `comment lost: ${comment}: ${where}\n--- after:\n${after}`);
  }
}

/**
 * Trailing comments of keys with no value (`securityContext: # why`, or `key: null # why`): a
 * fix that fills the key in keeps the comment on the key's line, where the user wrote it.
 */
interface KeyComment {
  /** The line up to the colon: indentation, sequence dashes and key (`      - securityContext:`). */
  key: string;
  comment: string;
  offset: number;
}

const EMPTY_KEY = /^([ \t]*(?:- )*[^\s#'"{}[\],][^#'"{}[\],]*:)(?:[ \t]+(?:null|~))?[ \t]*$/;

function keyComments(text: string, comments: readonly Comment[]): KeyComment[] {
  const out: KeyComment[] = [];
  for (const c of comments) {
    if (c.fullLine) continue;
    const lineStart = Math.max(text.lastIndexOf('\n', c.offset - 1), text.lastIndexOf('\r', c.offset - 1)) + 1;
    const match = EMPTY_KEY.exec(text.slice(lineStart, c.offset));
    if (match) out.push({ key: match[1], comment: c.source.trimEnd(), offset: c.offset });
  }
  return out;
}

function assertKeyCommentsKept(where: string, kept: readonly KeyComment[], after: string): void {
  const lines = after.split(/\r\n|\r|\n/).map((l) => l.trimEnd());
  for (const { key, comment } of kept) {
    const onItsLine = lines.some((l) => l.startsWith(key) && l.endsWith(comment) && !l.slice(key.length, l.length - comment.length).includes('#'));
    assert.ok(onItsLine, `comment moved off its key: "${key} ${comment}": ${where}\n--- after:\n${after}`);
  }
}

/** Edits of one fix may touch (they are computed together) but not overlap or insert at one place. */
function overlap(a: OffsetEdit, b: OffsetEdit): boolean {
  return a.start === b.start || (a.start < b.end && b.start < a.end);
}

interface Before {
  text: string;
  parsed: ParsedFile;
  docs: Array<string | undefined>;
  comments: Comment[];
  findings: readonly Finding[];
  resources: ReadonlyArray<{ docIndex: number; kind: string; name: string }>;
}

function before(input: string): Before {
  const parsed = parseFile(input);
  const text = parsed.text;
  return {
    text,
    parsed,
    docs: documents(parsed),
    comments: commentsOf(text),
    findings: lintText(text, { uri: URI }).findings,
    resources: new Workspace().setFile(URI, text).resources.map((r) => ({ docIndex: r.docIndex, kind: r.kind, name: r.name })),
  };
}

/** Applies one fix of one finding and checks everything the issue asks of it. */
export function checkFix(b: Before, finding: Finding, fix: FindingFix): void {
  const where = `${finding.ruleId} "${fix.title}" at ${finding.range.start.line + 1}:${finding.range.start.character + 1}`;
  const input = `\n--- input:\n${preview(b.text, 3000)}`;
  const doc = b.parsed.docs[finding.docIndex];
  assert.ok(doc, `${where}: finding in document ${finding.docIndex}, which does not exist${input}`);
  // A fix edits its finding's document, and another object only when its title names it
  // ("Set automountServiceAccountToken: false on ServiceAccount worker").
  const named = b.resources.filter((r) => r.name && fix.title.includes(`${r.kind} ${r.name}`)).map((r) => r.docIndex);
  const editable = new Set([finding.docIndex, ...named]);
  for (let i = 0; i < fix.edits.length; i++) {
    for (let j = i + 1; j < fix.edits.length; j++) assert.ok(!overlap(fix.edits[i], fix.edits[j]), `${where}: the fix's own edits overlap: ${JSON.stringify(fix.edits)}${input}`);
    const e = fix.edits[i];
    const inside = [...editable].some((d) => e.start >= b.parsed.docs[d].base && e.end <= b.parsed.docs[d].base + b.parsed.docs[d].source.length);
    assert.ok(inside, `${where}: edit ${JSON.stringify(e)} leaves its document (${doc.base}-${doc.base + doc.source.length})${input}`);
  }
  const fixed = applyEdits(b.text, fix.edits);
  // The other documents unchanged and in order; the fixed ones, and any document the fix
  // adds (e.g. a default-deny NetworkPolicy after the finding's), valid YAML.
  const others = b.docs.filter((_, i) => !editable.has(i));
  const afterParsed = parseFile(fixed);
  const afterDocs = documents(afterParsed);
  assert.ok(afterDocs.length >= b.docs.length, `${where}: the fix removed a document:\n${fixed}${input}`);
  let next = 0;
  afterDocs.forEach((d, i) => {
    if (next < others.length && d === others[next]) next++;
    else assert.ok(d !== undefined, `${where}: document ${i} of the fixed text is not valid YAML: ${JSON.stringify(afterParsed.docs[i].doc.errors.map((e) => e.message))}\n${fixed}${input}`);
  });
  assert.equal(next, others.length, `${where}: another document of the file changed:\n${fixed}${input}`);
  const mayDrop = droppable(b.text, b.comments, fix.edits);
  assertCommentsKept(where + input, b.comments.filter((c) => !mayDrop.has(c.offset)), fixed);
  assertKeyCommentsKept(where + input, keyComments(b.text, b.comments).filter((c) => !mayDrop.has(c.offset)), fixed);
  // Files the fix creates (a NetworkPolicy "in a new file"): valid YAML, next to this one, and
  // part of the workspace when the finding is looked for again.
  const created: Record<string, string> = {};
  for (const file of fix.newFiles ?? []) {
    assert.notEqual(file.uri, URI, `${where}: a new file replaces the file being fixed${input}`);
    for (const doc of parseFile(file.text).docs) assert.deepEqual(doc.doc.errors.map((e) => e.message), [], `${where}: the new file ${file.uri} is not valid YAML:\n${file.text}${input}`);
    created[file.uri] = file.text;
  }
  const relinted = lintText(fixed, { uri: URI, files: created });
  assert.deepEqual(relinted.failures, [], `${where}: a rule threw on the fixed text${input}`);
  const key = keyOf(finding);
  assert.ok(count(relinted.findings, key) < count(b.findings, key), `${where}: the finding is still there after its fix:\n${fixed}${input}`);
  // A fix may set the namespace, never change the kind or name.
  const resourceAfter = relinted.findings.find((f) => f.docIndex === finding.docIndex && f.item === finding.item && f.resource)?.resource;
  if (finding.resource && resourceAfter) assert.deepEqual([resourceAfter.kind, resourceAfter.name], [finding.resource.kind, finding.resource.name], `${where}: the fix changed which object this is${input}`);
}

/**
 * Fix-all twice: the second time changes nothing; every document stays valid YAML, and
 * comments survive but those inside lines a fix deleted whole. Fix-all's passes are replayed
 * here (and must give the engine's result) to know which comments each pass may drop.
 */
export function checkFixAll(b: Before, compareWithEngine = true): void {
  const engine = new Engine();
  engine.workspace.setFile(URI, b.text);
  const first = compareWithEngine ? engine.fixAll(URI, () => true) : undefined;
  const where = 'fix-all';
  const input = `\n--- input:\n${preview(b.text, 3000)}`;
  let current = b.text;
  let kept = b.comments.map((c) => c.source.trimEnd());
  let keyKept = keyComments(b.text, b.comments);
  for (let pass = 0; pass < 10; pass++) {
    const chosen: OffsetEdit[] = [];
    for (const finding of lintText(current, { uri: URI }).findings) {
      // Fix-all applies the first fix that is automatic and stays in the file.
      const edits = finding.fixes.find((f) => !f.manual && !f.newFiles?.length)?.edits;
      if (!edits || edits.some((e) => chosen.some((o) => editsConflict(e, o)))) continue;
      chosen.push(...edits);
    }
    if (!chosen.length) break;
    const comments = commentsOf(current);
    const mayDrop = droppable(current, comments, chosen);
    for (const c of comments) {
      const i = kept.indexOf(c.source.trimEnd());
      if (mayDrop.has(c.offset) && i >= 0) kept.splice(i, 1);
    }
    const dropped = new Set(keyComments(current, comments).filter((c) => mayDrop.has(c.offset)).map((c) => `${c.key} ${c.comment}`));
    keyKept = keyKept.filter((c) => !dropped.has(`${c.key} ${c.comment}`));
    current = applyEdits(current, chosen);
  }
  if (compareWithEngine) assert.equal(first ? applyEdits(b.text, [first]) : b.text, current, `${where}: fix-all differs from applying the fixes pass by pass${input}`);
  if (current === b.text) return;
  const fixed = current;
  // Every document valid YAML, but those that were already invalid and stay as they were.
  const invalidBefore = new Set(b.parsed.docs.filter((d) => d.doc.errors.length).map((d) => d.source));
  for (const d of parseFile(fixed).docs) {
    if (!invalidBefore.has(d.source)) assert.deepEqual(d.doc.errors.map((e) => e.message), [], `${where}: fix-all made a document invalid:\n${fixed}${input}`);
  }
  assertCommentsKept(where + input, kept.map((source) => ({ offset: 0, source, fullLine: true })), fixed);
  assertKeyCommentsKept(where + input, keyKept, fixed);
  engine.workspace.setFile(URI, fixed);
  const second = engine.fixAll(URI, () => true);
  assert.equal(second && applyEdits(fixed, [second]), undefined, `${where}: fix-all is not idempotent; after the first time:\n${fixed}${input}`);
}

/**
 * Fixes of the findings of a text (in documents that are valid YAML), then fix-all twice.
 * `perRule` checks the first fix of each rule in each document only; without
 * `compareWithEngine`, fix-all's first application is only replayed pass by pass (the
 * engine's fix-all still runs for the idempotence check).
 */
export function checkAllFixes(text: string, options: { perRule?: boolean; compareWithEngine?: boolean } = {}): number {
  const b = before(text);
  const seen = new Set<string>();
  let checked = 0;
  for (const finding of b.findings) {
    if (b.parsed.docs[finding.docIndex]?.doc.errors.length) continue;
    for (const fix of finding.fixes) {
      const key = `${finding.ruleId}|${finding.docIndex}`;
      if (options.perRule && seen.has(key)) continue;
      seen.add(key);
      checkFix(b, finding, fix);
      checked++;
    }
  }
  checkFixAll(b, options.compareWithEngine ?? true);
  return checked;
}
