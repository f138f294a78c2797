import type { Node } from 'yaml';
import type { EngineConfig } from '../engine/config';
import { SYNTAX_ERROR_ID } from '../engine/finding';
import type { FileResult } from '../engine/lint';
import { nodeSpan } from '../engine/lint';
import type { Rule } from '../engine/rule';
import type { WorkspaceFile } from '../workspace/snapshot';
import { mapRendered, type RenderedFindings } from './map-rendered';
import type { ContextFindings } from '../engine/contexts';
import { withContexts } from './merge-contexts';
import type { PatchRef } from './place';

/** A top-level kustomization (included by no other): what kustomize renders and deploys together. */
export interface RenderTarget {
  /** URI of its kustomization file. */
  uri: string;
  /** How messages name it: its folder relative to the workspace, `overlays/dev`. */
  name: string;
  /** Every file it includes, itself and the kustomizations it includes too (URIs). */
  members: readonly string[];
  /** Its patch files and those of the kustomizations it includes, outermost first. */
  patches: readonly PatchRef[];
  /** Resources it (or a kustomization it includes) would fetch from the network: it is never rendered. */
  remote: readonly string[];
}

/** What the runner made of one target (absent when it was not run: rendering off, or remote resources). */
export type RenderResult =
  | { ok: true; yaml: string; resolveOrigin: (originPath: string) => string }
  | { ok: false; message: string };

/** Why a kustomization was not rendered, shown on the first line of its file. */
export interface RenderNote {
  uri: string;
  start: number;
  end: number;
  level: 'warning' | 'note';
  message: string;
}

export interface RenderContextsInput {
  targets: readonly RenderTarget[];
  /** By target URI. */
  results: ReadonlyMap<string, RenderResult>;
  /** Each file's own (static) result. */
  own: (uri: string) => FileResult | undefined;
  /** The files as they were rendered. */
  sources: (uri: string) => WorkspaceFile | undefined;
  rules: readonly Rule[];
  config: (uri: string) => EngineConfig;
  defaultNamespace: string;
}

/**
 * The results of the files the rendered kustomizations deploy: each file's findings over the
 * contexts that deploy it (a rendered kustomization gives its rendered findings placed on the
 * file; one not rendered gives the file's own findings), and a note on each kustomization that
 * was not rendered. Files no target rendered keep their own results (absent from `results`).
 */
export function renderContexts(input: RenderContextsInput): { results: Map<string, FileResult>; notes: RenderNote[]; objects: number } {
  const notes: RenderNote[] = [];
  const rendered = new Map<string, RenderedFindings>();
  for (const target of input.targets) {
    if (target.remote.length) {
      const list = target.remote.join(', ');
      const what = target.remote.length === 1 ? `the remote resource ${list}, which is` : `the remote resources ${list}, which are`;
      notes.push(noteAt(input.sources(target.uri), target.uri, 'note', `${target.name} was not rendered: it includes ${what} never fetched. Its files are checked as written.`));
      continue;
    }
    const result = input.results.get(target.uri);
    if (!result) continue;
    if (!result.ok) {
      notes.push(noteAt(input.sources(target.uri), target.uri, 'warning', `kustomize could not render ${target.name}: ${result.message}. Its files are checked as written.`));
      continue;
    }
    rendered.set(target.uri, mapRendered({ kustomization: target.uri, yaml: result.yaml, resolveOrigin: result.resolveOrigin, sources: input.sources, patches: target.patches, rules: input.rules, config: input.config(target.uri), defaultNamespace: input.defaultNamespace }));
  }
  const results = new Map<string, FileResult>();
  if (rendered.size === 0) return { results, notes, objects: 0 };
  const files = new Set<string>();
  for (const target of input.targets) if (rendered.has(target.uri)) for (const uri of target.members) files.add(uri);
  for (const findings of rendered.values()) for (const uri of findings.files.keys()) files.add(uri);
  // Every kustomization file of a render gets its render's rule failures.
  for (const uri of rendered.keys()) files.add(uri);
  for (const uri of files) {
    const own = input.own(uri);
    if (!own) continue;
    const contexts: ContextFindings[] = [];
    // A rule that threw on a rendered object left the render partly checked: said on its kustomization.
    const failures = rendered.get(uri)?.failures ?? [];
    const asWritten = own.findings.filter((f) => f.ruleId !== SYNTAX_ERROR_ID);
    for (const target of input.targets) {
      const mapped = rendered.get(target.uri);
      const placed = mapped?.files.get(uri);
      if (mapped && (placed || target.members.includes(uri))) contexts.push({ label: target.name, findings: placed?.findings ?? [], suppressed: placed?.suppressed ?? [] });
      else if (target.members.includes(uri)) contexts.push({ label: target.name, findings: asWritten, suppressed: own.suppressed });
    }
    results.set(uri, withContexts(own, contexts, failures));
  }
  let objects = 0;
  for (const findings of rendered.values()) objects += findings.objects;
  return { results, notes, objects };
}

/** A note on the first line of a kustomization file. */
function noteAt(file: WorkspaceFile | undefined, uri: string, level: RenderNote['level'], message: string): RenderNote {
  const doc = file?.parsed.docs[0];
  const target = doc?.doc.contents as Node | null | undefined;
  if (!doc || !target) return { uri, start: 0, end: 0, level, message };
  const [start, end] = nodeSpan(target, doc.source);
  return { uri, start: doc.base + start, end: doc.base + end, level, message };
}
