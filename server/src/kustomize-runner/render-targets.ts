import { dirname } from 'node:path';
import { URI } from 'vscode-uri';
import type { RenderResult, RenderTarget } from '../rendering/render-contexts';
import type { KustomizeCommand } from './command';
import { renderAll, type RenderAllOptions } from './render-all';

/**
 * Renders every target that can be rendered (none with remote resources: they are never
 * fetched), in parallel, bounded; results by target URI with origins resolved to URIs.
 */
export async function renderTargets(targets: readonly RenderTarget[], command: KustomizeCommand, options: RenderAllOptions = {}): Promise<Map<string, RenderResult>> {
  const local = targets.filter((target) => target.remote.length === 0 && URI.parse(target.uri).scheme === 'file');
  const outcomes = await renderAll(local.map((target) => dirname(URI.parse(target.uri).fsPath)), command, options);
  return new Map(
    local.map((target, i) => {
      const outcome = outcomes[i];
      const result: RenderResult = outcome.ok ? { ok: true, yaml: outcome.yaml, resolveOrigin: (path) => URI.file(outcome.resolveOrigin(path)).toString() } : outcome;
      return [target.uri, result];
    }),
  );
}
