import { celList, celString, celTemplate, containerTarget, containerTemplateCheck, defineRule, describeContainer, isPrivileged, onlyPrivilegedContainers, POD_CEL, privilegedCel, replaceNode, WORKLOAD_KINDS, type RuleCases } from '../server/src/rule-api';
import { APPARMOR_ANNOTATION_PREFIX, CONFINED_PROFILE_TYPES, isAllowedAppArmorAnnotation, securityContextSites } from '../server/src/model/pss';

const WHY = 'That switches off the mandatory access control that keeps a compromised process away from host files, mounts and kernel interfaces.';
const USE_FIELD = 'Use runtime/default, or better the appArmorProfile field.';

const MESSAGES = {
  annotationUnconfined: `The AppArmor annotation runs container "{{container}}" unconfined. ${WHY} ${USE_FIELD}`,
  annotationRejected:
    'The AppArmor annotation of container "{{container}}" sets "{{profile}}", which admission rejects. Only runtime/default and localhost/<profile> keep a container confined, and Pod Security admission accepts nothing else. Use runtime/default.',
  podUnconfined: `The pod sets appArmorProfile.type: {{type}}, leaving its containers unconfined. ${WHY} Use RuntimeDefault.`,
  containerUnconfined: `{{container}} sets appArmorProfile.type: {{type}}, leaving it unconfined. ${WHY} Use RuntimeDefault.`,
  typeMissing: '{{who}} sets an appArmorProfile without a type. Set type: RuntimeDefault.',
};

export default defineRule({
  meta: {
    id: 'apparmor-unconfined',
    title: 'AppArmor disabled',
    principle: 'least-privilege',
    severity: 'warning',
    pss: 'baseline',
    kinds: WORKLOAD_KINDS,
    messages: MESSAGES,
    admission: {
      subject: 'pod',
      validations: () => {
        const annotation = `k, k.startsWith(${celString(APPARMOR_ANNOTATION_PREFIX)}) && !(string(variables.podAnnotations[k]) == "" || string(variables.podAnnotations[k]) == "runtime/default" || string(variables.podAnnotations[k]).startsWith("localhost/")) && !variables.allContainers.exists(c, k == ${celString(APPARMOR_ANNOTATION_PREFIX)} + c.name && ${privilegedCel('c')})`;
        const unconfined = (sc: string) => `has(${sc}.appArmorProfile) && has(${sc}.appArmorProfile.type) && !(string(${sc}.appArmorProfile.type) in ${celList(CONFINED_PROFILE_TYPES)})`;
        const untyped = (sc: string) => `has(${sc}.appArmorProfile) && !has(${sc}.appArmorProfile.type)`;
        const podSC = 'variables.podSecurityContext';
        const podCheck = (violation: string, messageExpression: string) => ({ expression: `${POD_CEL.onlyPrivilegedContainers} || !(${violation})`, messageExpression });
        return [
          {
            expression: `!variables.podAnnotations.exists(${annotation})`,
            messageExpression: `"The AppArmor annotation " + variables.podAnnotations.filter(${annotation})[0] + " leaves its container unconfined. ${WHY} ${USE_FIELD}"`,
          },
          podCheck(unconfined(podSC), celTemplate(MESSAGES.podUnconfined, { type: `string(${podSC}.appArmorProfile.type)` })),
          podCheck(untyped(podSC), celTemplate(MESSAGES.typeMissing, { who: '"The pod"' })),
          containerTemplateCheck(`!${privilegedCel('e')} && ${unconfined('e.sc')}`, MESSAGES.containerUnconfined, { type: 'string(e.sc.appArmorProfile.type)' }),
          containerTemplateCheck(`!${privilegedCel('e')} && ${untyped('e.sc')}`, MESSAGES.typeMissing, { who: 'e.label' }),
        ];
      },
    },
    docs: {
      what: 'The pod or a container sets `appArmorProfile.type` to anything but `RuntimeDefault` or `Localhost` (e.g. `Unconfined`), or a `container.apparmor.security.beta.kubernetes.io/<container>` annotation to anything but `runtime/default` or `localhost/<profile>`. A privileged container is left to privileged-container, which reports it once.',
      why: 'On nodes with AppArmor (Ubuntu, Debian, COS, SUSE) the runtime confines every container with a default profile that denies writes to `/proc` and `/sys`, mounts and other escape routes. `Unconfined` switches that layer off, so a compromised process meets one defence fewer on its way to the node.',
      fix: 'Remove the override or set `securityContext.appArmorProfile.type: RuntimeDefault` (pod or container level); use `Localhost` with `localhostProfile` for a tailored profile. The beta annotations are deprecated since Kubernetes 1.30: move to the `appArmorProfile` field.',
      peers: { polaris: ['linuxHardening'], trivy: ['KSV-0002'] },
      links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', 'https://kubernetes.io/docs/tutorials/security/apparmor/'],
    },
  },
  check(resource, { report }) {
    const pod = resource.podSpec;
    if (!pod) return;
    for (const [key, value, pair] of pod.podMetadata?.map('annotations')?.entries() ?? []) {
      if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX)) continue;
      const profile = value === null ? '' : String(value);
      if (isAllowedAppArmorAnnotation(profile)) continue;
      const container = key.slice(APPARMOR_ANNOTATION_PREFIX.length);
      // A privileged container runs unconfined whatever it sets: privileged-container reports it.
      if (pod.containers.some((c) => c.name === container && isPrivileged(c))) continue;
      const node = pair.value ?? pair.key;
      report({
        node,
        ...(profile === 'unconfined' ? { messageId: 'annotationUnconfined', data: { container } } : { messageId: 'annotationRejected', data: { container, profile } }),
        fixes: [{ title: 'Set the AppArmor annotation to `runtime/default`', edits: [replaceNode(node, resource.parsed.source, 'runtime/default')] }],
      });
    }
    for (const { context, container } of securityContextSites(pod)) {
      const apparmor = context.map('appArmorProfile');
      if (!apparmor || (container ? isPrivileged(container) : onlyPrivilegedContainers(pod))) continue;
      const type = apparmor.scalar('type');
      const value = type?.value === undefined || type.value === null ? undefined : String(type.value);
      if (value !== undefined && CONFINED_PROFILE_TYPES.has(value)) continue;
      const who = container ? describeContainer(container) : 'The pod';
      // `localhostProfile` is only valid with `type: Localhost`: switching the type would break the object.
      const fixable = type !== undefined && !apparmor.has('localhostProfile');
      report({
        node: type ?? context.keyNode('appArmorProfile')!,
        target: container ? containerTarget(container) : undefined,
        ...(value === undefined
          ? { messageId: 'typeMissing', data: { who } }
          : { messageId: container ? 'containerUnconfined' : 'podUnconfined', data: { container: who, type: value } }),
        fixes: fixable ? [{ title: 'Set `appArmorProfile: {type: RuntimeDefault}`', edits: [replaceNode(type, context.ctx.source, 'RuntimeDefault')] }] : [],
      });
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'privileged containers run unconfined whatever they set: privileged-container reports them once',
      yaml: `apiVersion: v1
kind: Pod
metadata:
  name: driver
  annotations:
    container.apparmor.security.beta.kubernetes.io/gpu: unconfined
spec:
  securityContext:
    appArmorProfile: {type: Unconfined}
  containers:
    - {name: gpu, image: driver:1.0, securityContext: {privileged: true, appArmorProfile: {type: Unconfined}}}
`,
    },
    {
      name: 'RuntimeDefault and Localhost fields, runtime/default and localhost/ annotations',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata:
      annotations:
        container.apparmor.security.beta.kubernetes.io/app: runtime/default
        container.apparmor.security.beta.kubernetes.io/sidecar: localhost/envoy
    spec:
      securityContext:
        appArmorProfile: {type: RuntimeDefault}
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            appArmorProfile: {type: Localhost, localhostProfile: k8s-nginx}
        - {name: sidecar, image: envoy:1.30}
`,
    },
    {
      name: 'an unconfined annotation on the Deployment itself is not the pod\'s',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    container.apparmor.security.beta.kubernetes.io/app: unconfined
spec:
  template:
    spec:
      containers:
        - {name: app, image: nginx:1.27}
`,
    },
  ],
  invalid: [
    {
      name: 'a pod-level appArmorProfile without a type: no fix, since localhostProfile needs type Localhost',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext:
    appArmorProfile: {localhostProfile: k8s-nginx}
  containers:
    - {name: app, image: nginx:1.27}
`,
      findings: [{ line: 5, column: 4, endLine: 5, endColumn: 19, message: 'The pod sets an appArmorProfile without a type.', messageId: 'typeMissing', fixes: [] }],
    },
    {
      name: 'unconfined annotation on a Pod: the fix replaces the value, the comment stays',
      yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    # set while debugging
    container.apparmor.security.beta.kubernetes.io/app: unconfined
spec:
  containers:
    - {name: app, image: nginx:1.27}
`,
      findings: [
        {
          line: 6, column: 56, endLine: 6, endColumn: 66, message: 'The AppArmor annotation runs container "app" unconfined.', messageId: 'annotationUnconfined',
          fixes: [
            {
              title: 'Set the AppArmor annotation to `runtime/default`',
              output: `apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    # set while debugging
    container.apparmor.security.beta.kubernetes.io/app: runtime/default
spec:
  containers:
    - {name: app, image: nginx:1.27}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Unconfined at pod level and in an init container (flow style); an unknown annotation value',
      yaml: `apiVersion: batch/v1
kind: CronJob
metadata: {name: scan}
spec:
  jobTemplate:
    spec:
      template:
        metadata:
          annotations: {container.apparmor.security.beta.kubernetes.io/scan: "custom-profile"}
        spec:
          securityContext:
            appArmorProfile:
              type: Unconfined
          initContainers:
            - {name: fetch, image: curl:8.9, securityContext: {appArmorProfile: {type: Unconfined}}}
          containers:
            - {name: scan, image: trivy:0.55}
`,
      findings: [
        {
          line: 8, column: 77, endLine: 8, endColumn: 93, message: 'The AppArmor annotation of container "scan" sets "custom-profile", which admission rejects.', messageId: 'annotationRejected',
          fixes: [
            {
              title: 'Set the AppArmor annotation to `runtime/default`',
              output: `apiVersion: batch/v1
kind: CronJob
metadata: {name: scan}
spec:
  jobTemplate:
    spec:
      template:
        metadata:
          annotations: {container.apparmor.security.beta.kubernetes.io/scan: runtime/default}
        spec:
          securityContext:
            appArmorProfile:
              type: Unconfined
          initContainers:
            - {name: fetch, image: curl:8.9, securityContext: {appArmorProfile: {type: Unconfined}}}
          containers:
            - {name: scan, image: trivy:0.55}
`,
            },
          ],
        },
        {
          line: 12, column: 20, endLine: 12, endColumn: 30, message: 'The pod sets appArmorProfile.type: Unconfined, leaving its containers unconfined.', messageId: 'podUnconfined',
          fixes: [
            {
              title: 'Set `appArmorProfile: {type: RuntimeDefault}`',
              output: `apiVersion: batch/v1
kind: CronJob
metadata: {name: scan}
spec:
  jobTemplate:
    spec:
      template:
        metadata:
          annotations: {container.apparmor.security.beta.kubernetes.io/scan: "custom-profile"}
        spec:
          securityContext:
            appArmorProfile:
              type: RuntimeDefault
          initContainers:
            - {name: fetch, image: curl:8.9, securityContext: {appArmorProfile: {type: Unconfined}}}
          containers:
            - {name: scan, image: trivy:0.55}
`,
            },
          ],
        },
        {
          line: 14, column: 87, endLine: 14, endColumn: 97, message: 'Init container "fetch" sets appArmorProfile.type: Unconfined, leaving it unconfined.', messageId: 'containerUnconfined',
          fixes: [
            {
              title: 'Set `appArmorProfile: {type: RuntimeDefault}`',
              output: `apiVersion: batch/v1
kind: CronJob
metadata: {name: scan}
spec:
  jobTemplate:
    spec:
      template:
        metadata:
          annotations: {container.apparmor.security.beta.kubernetes.io/scan: "custom-profile"}
        spec:
          securityContext:
            appArmorProfile:
              type: Unconfined
          initContainers:
            - {name: fetch, image: curl:8.9, securityContext: {appArmorProfile: {type: RuntimeDefault}}}
          containers:
            - {name: scan, image: trivy:0.55}
`,
            },
          ],
        },
      ],
    },
  ],
};
