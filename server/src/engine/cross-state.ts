import { isKustomizationFile } from '../kustomize/kustomization';
import { signatureToken } from '../workspace/cross-signature';
import type { Workspace, WorkspaceFile } from '../workspace/workspace';

/**
 * Names what cross-resource rules see in a workspace, so that their results for a state are
 * found again when the workspace comes back to it: a character typed and deleted, an edit
 * undone. `crossEpoch` only counts changes. A state is a number; the workspace is back at an
 * earlier state when every file changed since then has the same cross-resource signatures
 * again and no file was added, removed or moved in between.
 */
export function crossState(workspace: Workspace): number {
  const history = histories.get(workspace);
  if (history?.epoch === workspace.crossEpoch) return history.state;
  const uris = workspace.uris();
  const files = uris.map((uri) => workspace.getFile(uri)!);
  const changes = history && changedFiles(history, uris, files);
  const steps = changes ? [...history.steps, { from: history.state, changes }].slice(-MAX_STEPS) : [];
  const state = earlierState(steps) ?? ++states;
  histories.set(workspace, { epoch: workspace.crossEpoch, state, uris, files, steps });
  return state;
}

/** A change from the state `from`: each changed file's signatures before and after. */
interface Step {
  readonly from: number;
  readonly changes: ReadonlyMap<string, { readonly before: string; readonly after: string }>;
}

interface History {
  readonly epoch: number;
  readonly state: number;
  /** The files of that state, in the workspace's order. */
  readonly uris: readonly string[];
  readonly files: readonly WorkspaceFile[];
  /** The last changes that led to it, oldest first. */
  readonly steps: readonly Step[];
}

/** How far back a state is looked for: undoing a few edits, not a session's history. */
const MAX_STEPS = 8;
const histories = new WeakMap<Workspace, History>();
let states = 0;

/** Files whose object changed, or undefined when none did or the list of files changed. */
function changedFiles(before: History, uris: readonly string[], files: readonly WorkspaceFile[]): Step['changes'] | undefined {
  if (uris.length !== before.uris.length) return undefined;
  const changes = new Map<string, { before: string; after: string }>();
  for (let i = 0; i < uris.length; i++) {
    if (uris[i] !== before.uris[i]) return undefined;
    if (files[i] !== before.files[i]) changes.set(uris[i], { before: fileSignature(before.files[i]), after: fileSignature(files[i]) });
  }
  return changes.size > 0 ? changes : undefined;
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

function fileSignature(file: WorkspaceFile): string {
  // A kustomization decides where other files' objects land: all of it counts.
  if (isKustomizationFile(file.uri)) return file.parsed.text;
  return file.resources.map((resource) => signatureToken(resource)).join('\n');
}
