import { URI, Utils } from 'vscode-uri';
import { folderOf, type KustomizeGraph } from '../kustomize/graph';
import { readKustomization } from '../kustomize/kustomization';
import type { WorkspaceFile } from '../workspace/snapshot';
import type { PatchRef } from './place';
import type { RenderTarget } from './render-contexts';

/** What kustomize renders: the graph's top-level kustomizations, with the files and patches each goes through. */
export function renderTargetsOf(graph: KustomizeGraph, files: (uri: string) => WorkspaceFile | undefined): RenderTarget[] {
  return graph.overlays.map((overlay) => {
    const patches: PatchRef[] = overlay.kustomizations.flatMap((uri) => {
      const file = files(uri);
      const kustomization = file && readKustomization(uri, file.parsed);
      const folder = URI.parse(folderOf(uri));
      return (kustomization?.patches ?? []).map((path) => ({ uri: Utils.resolvePath(folder, path).toString() }));
    });
    return {
      uri: overlay.uri,
      name: overlay.label,
      members: [...new Set([...overlay.kustomizations, ...overlay.files.keys(), ...patches.map((p) => p.uri)])],
      patches,
      remote: overlay.remote,
    };
  });
}
