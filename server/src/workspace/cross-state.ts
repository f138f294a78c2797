import { isKustomizationFile } from '../kustomize/kustomization';
import type { Resource } from '../model/resource';
import { signatureToken } from './cross-signature';
import type { WorkspaceFile } from './snapshot';

/**
 * Names what cross-resource rules see in a snapshot, so that their results for a state are
 * found again when the workspace comes back to it: a character typed and deleted, an edit
 * undone. A state is a number; a change that leaves every cross-resource signature as it was
 * keeps the state, and the workspace is back at an earlier state when every file changed since
 * then has the same signatures again and no file was added, removed or moved in between.
 */
export interface CrossHistory {
  readonly state: number;
  /** The last changes that led to it, oldest first. */
  readonly steps: readonly Step[];
}

/** A change from the state `from`: each changed file's signatures before and after. */
interface Step {
  readonly from: number;
  readonly changes: ReadonlyMap<string, { readonly before: string; readonly after: string }>;
}

/** How far back a state is looked for: undoing a few edits, not a session's history. */
const MAX_STEPS = 8;
let states = 0;

/** A state no snapshot had before, with no way back: files came or went, settings changed. */
export function freshCrossState(): CrossHistory {
  return { state: ++states, steps: [] };
}

/**
 * The history after one file changed from `before` to `after`: the same state when other
 * files cannot see the difference, an earlier one when the change undoes the last ones, else
 * a new one.
 */
export function afterFileChange(history: CrossHistory, before: WorkspaceFile, after: WorkspaceFile): CrossHistory {
  const was = fileSignature(before);
  const now = fileSignature(after);
  if (was === now) return history;
  const steps = [...history.steps, { from: history.state, changes: new Map([[after.uri, { before: was, after: now }]]) }].slice(-MAX_STEPS);
  return { state: earlierState(steps) ?? ++states, steps };
}

/** The state the latest steps started from, if they cancel out; walks back from the newest step. */
function earlierState(steps: readonly Step[]): number | undefined {
  const span = new Map<string, { before: string; after: string }>();
  for (let i = steps.length - 1; i >= 0; i--) {
    for (const [uri, change] of steps[i].changes) {
      const later = span.get(uri);
      span.set(uri, { before: change.before, after: later ? later.after : change.after });
    }
    let same = true;
    for (const change of span.values()) if (change.before !== change.after) same = false;
    if (same) return steps[i].from;
  }
  return undefined;
}

/**
 * Reads the signatures of a file's resources now: taken when a file is stored, before a later
 * parse may update its trees in place, so comparing against them later compares what was.
 */
export function takeSignatures(resources: readonly Resource[]): void {
  for (const resource of resources) signatureToken(resource);
}

function fileSignature(file: WorkspaceFile): string {
  // A kustomization decides where other files' objects land: all of it counts.
  if (isKustomizationFile(file.uri)) return file.parsed.text;
  return file.resources.map((resource) => signatureToken(resource)).join('\n');
}
