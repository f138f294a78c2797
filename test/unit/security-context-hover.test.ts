// The securityContext field hover says where a field applies: on the pod, to every container
// that does not set its own; on a container, over the pod's value.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { securityContextHover } from '../../server/src/hovers/security-context';
import { nodeAtOffset } from '../../server/src/model/node-path';
import { Workspace } from '../../server/src/workspace/workspace';

const POD = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            runAsNonRoot: true
            privileged: false
`;

function hoverAt(line: number): string | undefined {
  const workspace = new Workspace();
  const [resource] = workspace.setFile('file:///web.yaml', POD).resources;
  const offset = POD.split('\n').slice(0, line).join('\n').length + 1 + POD.split('\n')[line].search(/\S/);
  const at = nodeAtOffset(resource.parsed.doc.contents, offset)!;
  return securityContextHover({ resource, at, workspace });
}

describe('securityContext field hover', () => {
  test('pod-level runAsNonRoot: applies to every container that does not set its own', () => {
    assert.equal(
      hoverAt(7),
      '**pod securityContext.runAsNonRoot**\n\nThe kubelet refuses to start the container if its user would be UID 0. Set here, on the pod, it applies to every container that does not set its own.\n\n*Pod Security Standards:* Restricted: must be `true` (container or pod level).',
    );
  });

  test('container-level runAsNonRoot: overrides the pod-level value', () => {
    assert.match(hoverAt(12)!, /^\*\*securityContext\.runAsNonRoot\*\*\n\nThe kubelet refuses .* Overrides the pod-level value for this container; unset, the pod-level value applies\./);
    assert.doesNotMatch(hoverAt(13)!, /pod-level/, 'privileged exists only on containers');
  });
});
