import { isMap, type YAMLMap } from 'yaml';
import type { ParsedFile } from '../parsing/parse-file';
import { MapView, YamlContext, type SeqView } from '../model/yaml-view';

/** The file names kustomize reads as a folder's kustomization, in the order it looks for them. */
export const KUSTOMIZATION_FILE_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Whether a file (by URI or path) is a kustomization by its name. */
export function isKustomizationFile(uri: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.includes(uri.slice(uri.lastIndexOf('/') + 1));
}

/** Labels a kustomization adds: `labels:` entries, and `commonLabels` (selectors and templates included). */
export interface LabelSet {
  readonly pairs: Readonly<Record<string, string>>;
  readonly includeSelectors: boolean;
  readonly includeTemplates: boolean;
}

/**
 * What the static model reads of a kustomization (`kustomization.yaml`, a `Kustomization` or a
 * `Component`): the files and folders it builds from, the files it patches them with, and the
 * transformations that change where and how its objects land. Paths stay as written (relative to
 * the kustomization's folder); `graph.ts` resolves them.
 */
export interface Kustomization {
  /** URI of the kustomization file. */
  readonly uri: string;
  readonly component: boolean;
  /** `resources` and the deprecated `bases`: files, or folders holding a kustomization. */
  readonly resources: readonly string[];
  readonly components: readonly string[];
  /** Files named as patches (`patches[].path`, `patchesStrategicMerge` paths, `patchesJson6902[].path`). */
  readonly patches: readonly string[];
  readonly namespace: string | undefined;
  readonly namePrefix: string;
  readonly nameSuffix: string;
  readonly labels: readonly LabelSet[];
  readonly annotations: Readonly<Record<string, string>>;
}

/** Reads a kustomization file; undefined when its first document is not a map (not a kustomization kustomize could read). */
export function readKustomization(uri: string, parsed: ParsedFile): Kustomization | undefined {
  const doc = parsed.docs[0];
  if (!doc || !isMap(doc.doc.contents)) return undefined;
  const root = new MapView(doc.doc.contents as YAMLMap, new YamlContext(doc.doc, doc.source));
  const labels: LabelSet[] = [];
  const common = root.map('commonLabels')?.record();
  if (common && Object.keys(common).length) labels.push({ pairs: common, includeSelectors: true, includeTemplates: true });
  for (const entry of root.seq('labels')?.maps() ?? []) {
    const pairs = entry.map('pairs')?.record();
    const includeSelectors = entry.bool('includeSelectors') === true;
    if (pairs) labels.push({ pairs, includeSelectors, includeTemplates: includeSelectors || entry.bool('includeTemplates') === true });
  }
  return {
    uri,
    component: root.string('kind') === 'Component',
    resources: [...strings(root.seq('resources')), ...strings(root.seq('bases'))],
    components: strings(root.seq('components')),
    patches: [
      ...pathsOf(root.seq('patches')),
      // An entry of patchesStrategicMerge is a path, or an inline patch (a multi-line string).
      ...strings(root.seq('patchesStrategicMerge')).filter((entry) => !entry.includes('\n')),
      ...pathsOf(root.seq('patchesJson6902')),
    ],
    namespace: nonEmpty(root.string('namespace')),
    namePrefix: root.string('namePrefix') ?? '',
    nameSuffix: root.string('nameSuffix') ?? '',
    labels,
    annotations: root.map('commonAnnotations')?.record() ?? {},
  };
}

function strings(seq: SeqView | undefined): string[] {
  return (seq?.scalars() ?? []).map((s) => s.value.trim()).filter((value) => value !== '');
}

function pathsOf(seq: SeqView | undefined): string[] {
  return (seq?.maps() ?? []).flatMap((entry) => {
    const path = nonEmpty(entry.string('path')?.trim());
    return path ? [path] : [];
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value ? value : undefined;
}
