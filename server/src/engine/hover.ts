import type { Resource } from '../model/resource';
import type { NodeAtOffset } from '../model/node-path';
import type { WorkspaceView } from '../workspace/snapshot';

export interface HoverContext {
  resource: Resource;
  /** The node under the cursor and its path from the document root. */
  at: NodeAtOffset;
  workspace: WorkspaceView;
}

/** Explains what is under the cursor in Markdown, or returns undefined to stay silent. */
export type HoverProvider = (context: HoverContext) => string | undefined;
