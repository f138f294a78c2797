import { isScalar, type Node } from 'yaml';
import { celList, celString, celTemplate, containerAnchor, containerTarget, containerTemplateCheck, defineRule, describeContainer, isPrivileged, isWindowsPod, onlyPrivilegedContainers, POD_CEL, privilegedCel, replaceNode, setPath, WORKLOAD_KINDS, type MapView, type OffsetEdit, type RuleCases } from '../server/src/rule-api';
import {
  CONFINED_PROFILE_TYPES,
  SECCOMP_CONTAINER_ANNOTATION_PREFIX,
  SECCOMP_POD_ANNOTATION,
  seccompTypeFromAnnotation,
} from '../server/src/model/pss';

const FIX_TITLE = 'Set `seccompProfile: {type: RuntimeDefault}`';
const WHY = 'Every system call of the kernel stays reachable, so one kernel bug is a container escape.';
const USE_FIELD = 'or better use seccompProfile.type: RuntimeDefault';

const MESSAGES = {
  podField: `The pod sets seccompProfile.type: {{type}}, turning the seccomp filter off for its containers. ${WHY} Use RuntimeDefault.`,
  containerField: `{{container}} sets seccompProfile.type: {{type}}, turning the seccomp filter off. ${WHY} Use RuntimeDefault.`,
  podAnnotation: `The pod's seccomp annotation turns the filter off for its containers. ${WHY} Set {{key}} to runtime/default, ${USE_FIELD}.`,
  containerAnnotation: `{{container}}'s seccomp annotation turns its filter off. ${WHY} Set {{key}} to runtime/default, ${USE_FIELD}.`,
  typeMissing: '{{who}} sets a seccompProfile without a type. Set type: RuntimeDefault.',
  missing: `{{container}} runs without a seccomp profile (none on it or on the pod). ${WHY} Set seccompProfile.type: RuntimeDefault.`,
};

/** The seccomp profile a pod or container asks for, from the field or else a deprecated annotation. */
interface SeccompSetting {
  /** undefined when the field has no type. */
  type: string | undefined;
  node: Node;
  /** The deprecated annotation that sets it, when it is not the field. */
  annotation?: string;
  edits: OffsetEdit[];
}

function fieldSetting(context: MapView | undefined): SeccompSetting | undefined {
  const value = context?.get('seccompProfile');
  // `seccompProfile: null` is the same as leaving it out.
  if (!context || value === undefined || (isScalar(value) && value.value === null)) return undefined;
  const seccomp = context.map('seccompProfile');
  const type = seccomp?.scalar('type');
  const name = type?.value === undefined || type.value === null ? undefined : String(type.value);
  return {
    type: name,
    node: type ?? context.keyNode('seccompProfile')!,
    edits: type ? [replaceNode(type, context.ctx.source, 'RuntimeDefault')] : seccomp ? setPath(seccomp, ['type'], 'RuntimeDefault') : [],
  };
}

/** A deprecated annotation counts only when the field is unset and its value maps to a profile, as in the API server. */
function annotationSetting(annotations: MapView | undefined, key: string): SeccompSetting | undefined {
  const pair = annotations?.pair(key);
  const value = annotations?.string(key);
  const type = value === undefined ? undefined : seccompTypeFromAnnotation(value);
  if (!pair?.value || type === undefined) return undefined;
  return {
    type,
    node: pair.value,
    annotation: key,
    edits: [replaceNode(pair.value, annotations!.ctx.source, 'runtime/default')],
  };
}

export default defineRule({
  meta: {
    id: 'seccomp-not-enforced',
    title: 'Seccomp not enforced',
    principle: 'least-privilege',
    severity: 'warning',
    groups: ['restricted-security-context'],
    pss: 'baseline',
    kinds: WORKLOAD_KINDS,
    messages: MESSAGES,
    admission: {
      subject: 'pod',
      validations: (profile) => {
        const annotations = 'variables.podAnnotations';
        // A deprecated annotation counts when the field is unset and its value maps to a profile (seccompTypeFromAnnotation).
        const annotationSet = (key: string) =>
          `(${key} in ${annotations} && (string(${annotations}[${key}]) in ["runtime/default", "docker/default", "unconfined"] || string(${annotations}[${key}]).startsWith("localhost/")))`;
        const annotationOff = (key: string) => `(${key} in ${annotations} && string(${annotations}[${key}]) == "unconfined")`;
        const typed = (sc: string) => `has(${sc}.seccompProfile) && has(${sc}.seccompProfile.type)`;
        const fieldOff = (sc: string) => `${typed(sc)} && !(string(${sc}.seccompProfile.type) in ${celList(CONFINED_PROFILE_TYPES)})`;
        const untyped = (sc: string) => `has(${sc}.seccompProfile) && !has(${sc}.seccompProfile.type)`;
        const podKey = celString(SECCOMP_POD_ANNOTATION);
        const containerKey = `(${celString(SECCOMP_CONTAINER_ANNOTATION_PREFIX)} + e.name)`;
        const podSC = 'variables.podSecurityContext';
        const podSet = `(has(${podSC}.seccompProfile) || ${annotationSet(podKey)})`;
        const containerSet = `(has(e.sc.seccompProfile) || ${annotationSet(containerKey)})`;
        // One validation per message: the field's type, a field without a type, the deprecated annotation.
        const podCheck = (violation: string, messageExpression: string) => ({ expression: `${POD_CEL.onlyPrivilegedContainers} || !(${violation})`, messageExpression });
        const containerSite = (violation: string) => `!${privilegedCel('e')} && ${violation}`;
        const validations = [
          podCheck(fieldOff(podSC), celTemplate(MESSAGES.podField, { type: `string(${podSC}.seccompProfile.type)` })),
          podCheck(untyped(podSC), celTemplate(MESSAGES.typeMissing, { who: '"The pod"' })),
          podCheck(`!has(${podSC}.seccompProfile) && ${annotationOff(podKey)}`, celTemplate(MESSAGES.podAnnotation, { key: podKey })),
          containerTemplateCheck(containerSite(fieldOff('e.sc')), MESSAGES.containerField, { type: 'string(e.sc.seccompProfile.type)' }),
          containerTemplateCheck(containerSite(untyped('e.sc')), MESSAGES.typeMissing, { who: 'e.label' }),
          containerTemplateCheck(containerSite(`!has(e.sc.seccompProfile) && ${annotationOff(containerKey)}`), MESSAGES.containerAnnotation, { key: containerKey }),
        ];
        if (profile === 'restricted') {
          validations.push(
            containerTemplateCheck(`!(${POD_CEL.isWindows}) && !${privilegedCel('e')} && !${podSet} && !${containerSet}`, MESSAGES.missing),
          );
        }
        return validations;
      },
    },
    docs: {
      what: 'A pod or container sets `seccompProfile.type: Unconfined` (or the deprecated `seccomp.security.alpha.kubernetes.io` annotation to `unconfined`) in either profile, or, in the restricted profile, a container runs without `RuntimeDefault` or `Localhost` set on it or inherited from the pod. A privileged container is left to privileged-container, which reports it once.',
      why: 'Seccomp filters the system calls a container may make. Without it every call of the kernel is reachable, including rarely used ones (`keyctl`, `unshare`, `bpf`, `userfaultfd`) behind many container escapes. `RuntimeDefault` blocks them at no cost for almost every workload, shrinking the kernel attack surface an attacker can reach from inside.',
      fix: 'Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod (inherited by every container) or on each container; use `Localhost` with a tailored profile for a tighter filter. Never set `Unconfined`. The API server still turns the deprecated seccomp annotations into the field when it is unset, so they count too; move them to the field. Windows pods (`spec.os.name: windows`) are exempt from the restricted requirement.',
      peers: { polaris: ['linuxHardening'], checkov: ['CKV_K8S_31'], trivy: ['KSV-0030', 'KSV-0104'], kubescape: ['C-0210', 'C-0055'] },
      links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/', 'https://kubernetes.io/docs/tutorials/security/seccomp/'],
    },
  },
  check(resource, { report, profile }) {
    const pod = resource.podSpec;
    if (!pod) return;
    const annotations = pod.podMetadata?.map('annotations');
    const podSetting = fieldSetting(pod.securityContext) ?? annotationSetting(annotations, SECCOMP_POD_ANNOTATION);
    const sites = [
      { setting: podSetting, container: undefined },
      ...pod.containers.map((container) => ({
        container,
        setting: fieldSetting(container.securityContext) ?? annotationSetting(annotations, SECCOMP_CONTAINER_ANNOTATION_PREFIX + container.name),
      })),
    ];
    for (const { setting, container } of sites) {
      // A privileged container runs without seccomp whatever it sets: privileged-container reports it.
      if (container ? isPrivileged(container) : onlyPrivilegedContainers(pod)) continue;
      // Baseline (both profiles): an explicit profile other than RuntimeDefault or Localhost.
      if (setting && !(setting.type !== undefined && CONFINED_PROFILE_TYPES.has(setting.type))) {
        const who = container ? describeContainer(container) : 'The pod';
        report({
          node: setting.node,
          target: container ? containerTarget(container) : undefined,
          ...(setting.type === undefined
            ? { messageId: 'typeMissing', data: { who } }
            : setting.annotation !== undefined
              ? { messageId: container ? 'containerAnnotation' : 'podAnnotation', data: { container: who, key: setting.annotation } }
              : { messageId: container ? 'containerField' : 'podField', data: { container: who, type: setting.type } }),
          fixes: setting.edits.length ? [{ title: FIX_TITLE, edits: setting.edits }] : [],
        });
      }
      // Restricted: every container needs a confining profile, its own or the pod's. A bad pod-level
      // profile is reported once, at the pod; Windows pods are exempt (PSA 1.25+).
      if (!container || setting || podSetting || profile !== 'restricted' || isWindowsPod(pod)) continue;
      report({
        node: containerAnchor(container),
        target: containerTarget(container),
        messageId: 'missing',
        data: { container: describeContainer(container) },
        fixes: [{ title: FIX_TITLE, edits: setPath(container.map, ['securityContext', 'seccompProfile', 'type'], 'RuntimeDefault') }],
      });
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'privileged containers run without seccomp whatever they set: privileged-container reports them once',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: driver}
spec:
  securityContext:
    seccompProfile: {type: Unconfined}
  containers:
    - {name: gpu, image: driver:1.0, securityContext: {privileged: true}}
    - {name: sidecar, image: driver:1.0, securityContext: {privileged: true, seccompProfile: {type: Unconfined}}}
`,
    },
    {
      name: 'pod-level RuntimeDefault is inherited; a container may pick Localhost',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      securityContext:
        seccompProfile: {type: RuntimeDefault}
      initContainers:
        - {name: init, image: busybox:1.36}
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            seccompProfile:
              type: Localhost
              localhostProfile: profiles/nginx.json
`,
    },
    {
      name: 'baseline profile: an unset profile is allowed',
      profile: 'baseline',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - {name: app, image: nginx:1.27}
`,
    },
    {
      name: 'restricted profile: the deprecated pod annotation runtime/default still sets the profile',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: legacy}
spec:
  template:
    metadata:
      annotations: {seccomp.security.alpha.kubernetes.io/pod: runtime/default}
    spec:
      containers:
        - {name: app, image: nginx:1.27}
`,
    },
    {
      name: 'restricted profile: Windows pods are exempt from the requirement',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: win}
spec:
  os: {name: windows}
  containers:
    - {name: app, image: mcr.microsoft.com/windows/nanoserver:ltsc2022}
`,
    },
  ],
  invalid: [
    {
      name: 'baseline profile: a deprecated container annotation still turns seccomp off; the field wins where both are set',
      profile: 'baseline',
      yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    container.seccomp.security.alpha.kubernetes.io/app: unconfined
    container.seccomp.security.alpha.kubernetes.io/side: unconfined
spec:
  containers:
    - {name: app, image: nginx:1.27}
    - {name: side, image: envoy:1.30, securityContext: {seccompProfile: {type: RuntimeDefault}}}
`,
      findings: [
        {
          line: 5, column: 56, endLine: 5, endColumn: 66, message: 'Container "app"\'s seccomp annotation turns its filter off.', messageId: 'containerAnnotation',
          fixes: [
            {
              title: 'Set `seccompProfile: {type: RuntimeDefault}`',
              output: `apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    container.seccomp.security.alpha.kubernetes.io/app: runtime/default
    container.seccomp.security.alpha.kubernetes.io/side: unconfined
spec:
  containers:
    - {name: app, image: nginx:1.27}
    - {name: side, image: envoy:1.30, securityContext: {seccompProfile: {type: RuntimeDefault}}}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'baseline profile: the deprecated pod annotation unconfined, and a container profile without a type',
      profile: 'baseline',
      yaml: `apiVersion: v1
kind: Pod
metadata:
  name: legacy
  annotations:
    seccomp.security.alpha.kubernetes.io/pod: unconfined
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        seccompProfile: {}
`,
      findings: [
        {
          line: 5, column: 46, endLine: 5, endColumn: 56, message: 'The pod\'s seccomp annotation turns the filter off for its containers.', messageId: 'podAnnotation',
          fixes: [{ title: 'Set `seccompProfile: {type: RuntimeDefault}`', output: `apiVersion: v1
kind: Pod
metadata:
  name: legacy
  annotations:
    seccomp.security.alpha.kubernetes.io/pod: runtime/default
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        seccompProfile: {}
` }],
        },
        {
          line: 11, column: 8, endLine: 11, endColumn: 22, message: 'Container "app" sets a seccompProfile without a type.', messageId: 'typeMissing',
          fixes: [{ title: 'Set `seccompProfile: {type: RuntimeDefault}`', output: `apiVersion: v1
kind: Pod
metadata:
  name: legacy
  annotations:
    seccomp.security.alpha.kubernetes.io/pod: unconfined
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        seccompProfile: {type: RuntimeDefault}
` }],
        },
      ],
    },
    {
      name: 'baseline profile: container-level Unconfined is replaced in place (comment kept)',
      profile: 'baseline',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        seccompProfile:
          # the profile broke io_uring
          type: Unconfined
`,
      findings: [
        {
          line: 10, column: 16, endLine: 10, endColumn: 26, message: 'Container "app" sets seccompProfile.type: Unconfined, turning the seccomp filter off.', messageId: 'containerField',
          fixes: [
            {
              title: 'Set `seccompProfile: {type: RuntimeDefault}`',
              output: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        seccompProfile:
          # the profile broke io_uring
          type: RuntimeDefault
`,
            },
          ],
        },
      ],
    },
    {
      name: 'restricted profile: pod-level Unconfined is reported once, not again for each inheriting container',
      yaml: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  template:
    spec:
      securityContext: {seccompProfile: {type: Unconfined}}
      containers:
        - {name: db, image: postgres:16}
        - {name: backup, image: wal-g:3.0}
`,
      findings: [
        {
          line: 6, column: 47, endLine: 6, endColumn: 57, message: 'The pod sets seccompProfile.type: Unconfined, turning the seccomp filter off for its containers.', messageId: 'podField',
          fixes: [
            {
              title: 'Set `seccompProfile: {type: RuntimeDefault}`',
              output: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  template:
    spec:
      securityContext: {seccompProfile: {type: RuntimeDefault}}
      containers:
        - {name: db, image: postgres:16}
        - {name: backup, image: wal-g:3.0}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'restricted profile: no profile anywhere; the fix creates it at container level',
      yaml: `apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      initContainers:
        - name: wait
          image: busybox:1.36
          securityContext:
            runAsNonRoot: true
      containers:
        - {name: run, image: migrate:4.17}
      ephemeralContainers:
        - {name: debug, image: busybox:1.36, securityContext: {seccompProfile: {type: RuntimeDefault}}}
`,
      findings: [
        {
          line: 9, column: 10, endLine: 9, endColumn: 25, message: 'Init container "wait" runs without a seccomp profile', messageId: 'missing',
          fixes: [
            {
              title: 'Set `seccompProfile: {type: RuntimeDefault}`',
              output: `apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      initContainers:
        - name: wait
          image: busybox:1.36
          securityContext:
            runAsNonRoot: true
            seccompProfile:
              type: RuntimeDefault
      containers:
        - {name: run, image: migrate:4.17}
      ephemeralContainers:
        - {name: debug, image: busybox:1.36, securityContext: {seccompProfile: {type: RuntimeDefault}}}
`,
            },
          ],
        },
        {
          line: 12, column: 17, endLine: 12, endColumn: 20, message: 'Container "run" runs without a seccomp profile', messageId: 'missing',
          fixes: [
            {
              title: 'Set `seccompProfile: {type: RuntimeDefault}`',
              output: `apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      initContainers:
        - name: wait
          image: busybox:1.36
          securityContext:
            runAsNonRoot: true
      containers:
        - {name: run, image: migrate:4.17, securityContext: {seccompProfile: {type: RuntimeDefault}}}
      ephemeralContainers:
        - {name: debug, image: busybox:1.36, securityContext: {seccompProfile: {type: RuntimeDefault}}}
`,
            },
          ],
        },
      ],
    },
  ],
};
