import { availableParallelism } from 'node:os';
import type { KustomizeCommand } from './command';
import { DEFAULT_RENDER_LIMITS, renderKustomization, type RenderLimits, type RenderOutcome } from './render';

export interface RenderAllOptions {
  limits?: RenderLimits;
  /** Builds running at once (default: one per CPU). */
  concurrency?: number;
  /** Builds finished so far, of all. */
  onProgress?: (done: number, total: number) => void;
}

/** Renders each kustomization folder, at most `concurrency` at a time; outcomes in the order of `dirs`. */
export async function renderAll(dirs: readonly string[], command: KustomizeCommand, options: RenderAllOptions = {}): Promise<RenderOutcome[]> {
  const outcomes = new Array<RenderOutcome>(dirs.length);
  const concurrency = Math.max(1, Math.min(options.concurrency ?? availableParallelism(), dirs.length));
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < dirs.length) {
      const i = next++;
      outcomes[i] = await renderKustomization(dirs[i], command, options.limits ?? DEFAULT_RENDER_LIMITS);
      options.onProgress?.(++done, dirs.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}
