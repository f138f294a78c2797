import { celList, celTemplate, defineRule, WORKLOAD_KINDS, type RuleCases } from '../server/src/rule-api';
import { RESTRICTED_ALLOWED_VOLUMES, RESTRICTED_FORBIDDEN_VOLUMES } from '../server/src/model/pss';

const GENERAL_RISK = 'The pod spec itself, not an administrator, decides which storage the node attaches, outside the access control of PersistentVolumes.';
const FORBIDDEN = 'Volume "{{name}}" uses an inline {{source}} source, which the restricted profile forbids.';

// gitRepo and flexVolume have a sharper risk than the general one.
const MESSAGES = {
  inlineSource: `${FORBIDDEN} ${GENERAL_RISK} Use a PersistentVolumeClaim instead.`,
  gitRepo: `${FORBIDDEN} The kubelet runs git on the node as root to fill it (CVE-2024-10220 turned that into command execution on the node), and it is deprecated. Use a PersistentVolumeClaim or an init container that clones into an emptyDir instead.`,
  flexVolume: `${FORBIDDEN} It runs a driver binary on the node as root. Use a PersistentVolumeClaim instead.`,
};

export default defineRule({
  meta: {
    id: 'restricted-volume-type',
    title: 'Restricted volume type',
    principle: 'least-privilege',
    severity: 'warning',
    pss: 'restricted',
    kinds: WORKLOAD_KINDS,
    messages: MESSAGES,
    admission: {
      subject: 'pod',
      validations: () => {
        const anyOf = (sources: Iterable<string>) => [...sources].map((source) => `has(v.${source})`).join(' || ');
        const sources = [...RESTRICTED_FORBIDDEN_VOLUMES].filter((s) => s !== 'hostPath');
        const forbidden = `v, !(${anyOf(RESTRICTED_ALLOWED_VOLUMES)}) && (${anyOf(sources)})`;
        // The source the rule names: the first forbidden one the volume has, in the rule's order.
        const source = `${celList(sources)}.filter(s, s in v)[0]`;
        return [
          {
            expression: `!(has(variables.spec.volumes) && variables.spec.volumes.exists(${forbidden}))`,
            messageExpression: `variables.spec.volumes.filter(${forbidden}).map(v, ${celTemplate(MESSAGES.inlineSource, { name: 'has(v.name) ? string(v.name) : "(unnamed)"', source })})[0]`,
          },
        ];
      },
    },
    docs: {
      what: `A pod volume uses an inline source other than ${[...RESTRICTED_ALLOWED_VOLUMES].map((v) => `\`${v}\``).join(', ')} (e.g. \`nfs\`, \`iscsi\`, \`gitRepo\`, \`rbd\`, \`flexVolume\`). \`hostPath\` is reported by host-path-volume.`,
      why: 'Inline network and cloud volume sources let whoever writes a pod spec attach any share or disk they can name, with credentials and node-level mount operations that bypass the PersistentVolume model where administrators decide what storage exists and who may claim it. Some run code on the node (`flexVolume`, `gitRepo`). The restricted profile keeps storage behind claims.',
      fix: 'Replace the inline source with a `persistentVolumeClaim` bound to an administrator-provisioned PersistentVolume or a StorageClass (CSI), or with `csi`/`ephemeral` volumes. Replace `gitRepo` with an init container that clones into an `emptyDir`.',
      peers: { trivy: ['KSV-0028'] },
      links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted', 'https://kubernetes.io/docs/concepts/storage/volumes/'],
    },
  },
  check(resource, { report }) {
    for (const volume of resource.podSpec?.spec.seq('volumes')?.maps() ?? []) {
      // A source is set when its value is a map (`nfs: null` is no source); unknown keys are none either.
      if ([...RESTRICTED_ALLOWED_VOLUMES].some((source) => volume.map(source))) continue;
      // hostPath has its own rule with path-specific advice.
      const source = [...RESTRICTED_FORBIDDEN_VOLUMES].find((candidate) => candidate !== 'hostPath' && volume.map(candidate));
      if (!source) continue;
      report({
        node: volume.keyNode(source)!,
        messageId: source === 'gitRepo' || source === 'flexVolume' ? source : 'inlineSource',
        data: { name: volume.string('name') ?? '(unnamed)', source },
      });
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'the allowed sources, and a volume with no source (defaulted to emptyDir)',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - {name: app, image: nginx:1.27}
      volumes:
        - {name: scratch}
        - {name: tmp, emptyDir: {medium: Memory}}
        - {name: conf, configMap: {name: web}}
        - {name: tls, secret: {secretName: web-tls}}
        - {name: info, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}}
        - {name: token, projected: {sources: [{serviceAccountToken: {path: token}}]}}
        - {name: data, persistentVolumeClaim: {claimName: data}}
        - {name: cache, ephemeral: {volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}}}
        - {name: secrets, csi: {driver: secrets-store.csi.k8s.io, readOnly: true}}
        - {name: model, image: {reference: registry.example.com/models/llm:v1}}
`,
    },
    {
      name: 'hostPath is left to host-path-volume',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - {name: app, image: nginx:1.27}
  volumes:
    - {name: logs, hostPath: {path: /var/log}}
`,
    },
  ],
  invalid: [
    {
      name: 'nfs and gitRepo volumes in a StatefulSet',
      yaml: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: build}
spec:
  template:
    spec:
      containers:
        - {name: build, image: builder:1.0}
      volumes:
        - name: shared
          nfs:
            server: nfs.example.com
            path: /exports/build
        - name: source
          gitRepo: {repository: "https://github.com/example/app.git"}
`,
      findings: [
        { line: 10, column: 10, endLine: 10, endColumn: 13, message: 'Volume "shared" uses an inline nfs source, which the restricted profile forbids', messageId: 'inlineSource', fixes: [] },
        { line: 14, column: 10, endLine: 14, endColumn: 17, message: 'CVE-2024-10220', messageId: 'gitRepo', fixes: [] },
      ],
    },
    {
      name: 'flexVolume in a CronJob, second document',
      yaml: `apiVersion: v1
kind: ServiceAccount
metadata: {name: backup}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - {name: backup, image: restic:0.17}
          volumes:
            - {name: vault, flexVolume: {driver: example.com/vault}}
`,
      findings: [{ line: 15, column: 28, endLine: 15, endColumn: 38, message: 'It runs a driver binary on the node as root.', messageId: 'flexVolume', fixes: [] }],
    },
  ],
};
