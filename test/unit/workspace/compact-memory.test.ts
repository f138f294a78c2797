// A compact file (one nobody looks at) must keep nothing of its parse: at 25,000 indexed
// resources a retained tree per file is the difference between 50 MB and 450 MB of heap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Workspace } from '../../../server/src/workspace/workspace';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const TEXT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n';

/** Sets the file parsed, then compact, and returns weak references to the trees it had. */
function parsedThenCompacted(workspace: Workspace, uri: string): WeakRef<object>[] {
  const file = workspace.setFile(uri, TEXT);
  const refs = [new WeakRef<object>(file.parsed), new WeakRef<object>(file.parsed.docs[0].doc)];
  const compact = workspace.setFile(uri, TEXT, { compact: true });
  assert.equal(compact.compact, true);
  assert.equal(compact.parsed.text, TEXT, 'the text is still there');
  return refs;
}

test('a file made compact keeps none of its syntax trees', async () => {
  const workspace = new Workspace();
  const refs = parsedThenCompacted(workspace, 'file:///web.yaml');
  // A WeakRef keeps its target until the current job ends.
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
  assert.deepEqual(refs.map((ref) => ref.deref() === undefined), [true, true]);
  assert.equal(workspace.resources()[0].name, 'web', 'its resources are still known');
});
