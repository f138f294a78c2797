import { containerCheck, containerTarget, defineRule, describeContainer, WORKLOAD_KINDS, type RuleCases } from '../server/src/rule-api';

type ImagePin = { kind: 'digest' | 'tag'; tag?: string } | { kind: 'none' };

/**
 * How an image reference is pinned, following the distribution reference grammar: a digest
 * (`@sha256:…`) pins it; otherwise the tag is what follows the last `:` of the last path
 * component, so the port of `registry:5000/app` is not a tag.
 */
function imagePin(image: string): ImagePin {
  if (image.includes('@')) return { kind: 'digest' };
  const lastComponent = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastComponent.lastIndexOf(':');
  return colon < 0 ? { kind: 'none' } : { kind: 'tag', tag: lastComponent.slice(colon + 1) };
}

const WHY = 'The node runs whatever that name points to when it pulls, so the image can change (or be swapped by anyone who can push to the registry) without any change to this manifest.';
const PIN = 'Pin "{{image}}" by digest (@sha256:…).';

export default defineRule({
  meta: {
    id: 'image-tag-mutable',
    title: 'Mutable image reference',
    principle: 'supply-chain',
    severity: 'warning',
    kinds: WORKLOAD_KINDS,
    messages: {
      noTag: `{{container}}'s image has no tag, which means latest. ${WHY} ${PIN}`,
      latestTag: `{{container}}'s image uses the mutable latest tag. ${WHY} ${PIN}`,
    },
    admission: {
      subject: 'pod',
      validations: () => {
        const image = 'e.container.image';
        // As imagePin: a digest pins; otherwise the tag follows the last `:` after the last `/` (a registry port is not a tag).
        const mutable =
          `has(${image}) && type(${image}) == string && !${image}.matches("^\\\\s*$") && !${image}.contains("{{") && !${image}.contains("\${") && ` +
          `!${image}.contains("@") && (!${image}.matches(":[^/]*$") || ${image}.matches(":latest\\\\s*$"))`;
        return [containerCheck(mutable, `"'s image has no tag or the mutable latest tag. ${WHY} Pin \\"" + ${image} + "\\" by digest (@sha256:…)."`)];
      },
    },
    docs: {
      what: 'A container image has no tag or uses the `latest` tag, and is not pinned by digest.',
      why: 'An image reference without a tag means `latest`, and `latest` moves with every push. What runs then depends on when each node pulled, rollbacks do not roll back, and a compromised registry account can replace the workload silently. Zero trust verifies what runs: that starts with naming it immutably.',
      fix: 'Pin the image by digest (`registry.example.com/app@sha256:…`, optionally keeping a tag for humans: `app:1.4.2@sha256:…`), ideally with admission-time signature verification. At the very least use a specific version tag.',
      peers: { kubeLinter: ['latest-tag'], polaris: ['tagNotSpecified'], checkov: ['CKV_K8S_14', 'CKV_K8S_43'], trivy: ['KSV-0013'], kubescape: ['C-0075', 'C-0306'] },
      links: ['https://kubernetes.io/docs/concepts/containers/images/#image-names', 'https://kubernetes.io/docs/concepts/configuration/overview/#container-images'],
    },
  },
  check(resource, { report }) {
    for (const container of resource.podSpec?.containers ?? []) {
      const node = container.map.scalar('image');
      const image = typeof node?.value === 'string' ? node.value.trim() : '';
      // Unrendered template placeholders are not image references.
      if (!node || !image || /\{\{|\$\{/.test(image)) continue;
      const pin = imagePin(image);
      if (pin.kind === 'digest' || (pin.kind === 'tag' && pin.tag !== 'latest')) continue;
      report({
        node,
        target: containerTarget(container),
        messageId: pin.kind === 'none' ? 'noTag' : 'latestTag',
        data: { container: describeContainer(container), image },
      });
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'version tags, digests, and a registry with a port',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      initContainers:
        - {name: init, image: "registry.example.com:5000/tools/busybox:1.36"}
      containers:
        - name: app
          image: nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31
        - name: sidecar
          image: envoyproxy/envoy:latest@sha256:3f0bd1a4e5d4e2c7a6b9d8c7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7
        - name: local
          image: localhost:5000/app:v2
`,
    },
    {
      name: 'unrendered template placeholders are skipped',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - {name: app, image: "\${REGISTRY}/app"}
`,
    },
  ],
  invalid: [
    {
      name: 'no tag, latest, and a registry port that is not a tag',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx
    - name: cache
      image: redis:latest
    - name: internal
      image: registry.example.com:5000/team/app
`,
      findings: [
        { line: 6, column: 13, endLine: 6, endColumn: 18, message: 'Container "app"\'s image has no tag, which means latest. The node runs',  messageId: 'noTag', fixes: [] },
        { line: 8, column: 13, endLine: 8, endColumn: 25, message: 'Container "cache"\'s image uses the mutable latest tag.', messageId: 'latestTag', fixes: [] },
        { line: 10, column: 13, endLine: 10, endColumn: 47, message: 'Pin "registry.example.com:5000/team/app" by digest', messageId: 'noTag', fixes: [] },
      ],
    },
    {
      name: 'init and ephemeral containers of a CronJob (flow style, second document)',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata: {name: c}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers: [{name: fetch, image: "curlimages/curl:latest"}]
          containers: [{name: run, image: restic/restic:0.17.1}]
          ephemeralContainers: [{name: debug, image: busybox}]
`,
      findings: [
        { line: 12, column: 48, endLine: 12, endColumn: 72, message: 'Init container "fetch"', messageId: 'latestTag', fixes: [] },
        { line: 14, column: 53, endLine: 14, endColumn: 60, message: 'Ephemeral container "debug"\'s image has no tag', messageId: 'noTag', fixes: [] },
      ],
    },
  ],
};
