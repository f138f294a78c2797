import { posix } from 'node:path';
import { celList, celString, celTemplate, containerCheck, containerTarget, defineRule, describeContainer, WORKLOAD_KINDS, type AdmissionValidation, type RuleCases } from '../server/src/rule-api';

/** Sockets of container runtimes: whoever can write to one can start a privileged container on the node. */
const RUNTIME_SOCKETS = ['docker.sock', 'containerd.sock', 'crio.sock', 'cri-dockerd.sock', 'podman.sock'];

/** Directories that hold a runtime socket, so mounting them hands it over too. */
const RUNTIME_SOCKET_DIRS = new Set(['/run', '/var/run', '/run/containerd', '/var/run/containerd', '/run/crio', '/var/run/crio', '/run/docker', '/var/run/docker']);

/**
 * Host directories whose contents (or any file below them) control the node, with what they
 * expose; the first match wins, so narrower trees come first. Several hold what the node runs
 * as root: writing there is running code as root on the node.
 */
const SENSITIVE_TREES: Array<[string, string]> = [
  ['/opt/cni/bin', 'the CNI plugin binaries the node runs as root for every pod'],
  ['/etc/cni', 'the CNI configuration that chooses the binaries the node runs as root for every pod'],
  ['/lib/modules', 'the kernel modules the node loads into its kernel'],
  ['/usr/lib/modules', 'the kernel modules the node loads into its kernel'],
  ['/var/lib/kubelet/plugins', 'the kubelet\'s plugin sockets and the CSI drivers it trusts to mount volumes as root'],
  ['/var/lib/kubelet/plugins_registry', 'the kubelet\'s plugin registration, which decides the drivers it trusts to run as root'],
  ['/var/lib/kubelet/device-plugins', 'the kubelet\'s device plugin sockets, trusted to hand devices to pods'],
  ['/usr/libexec/kubernetes/kubelet-plugins', 'the FlexVolume drivers the kubelet runs as root'],
  ['/var/lib/kubelet', 'the kubelet\'s state, including every pod\'s secrets and service-account tokens'],
  ['/etc/kubernetes', 'the node\'s Kubernetes credentials and static pod manifests'],
  ['/var/lib/etcd', 'the cluster database'],
  ['/var/lib/docker', 'the container runtime\'s images and container file systems'],
  ['/var/lib/containerd', 'the container runtime\'s images and container file systems'],
  ['/proc', 'the kernel\'s process and configuration interfaces'],
  ['/sys', 'kernel and device configuration'],
  ['/dev', 'the node\'s devices'],
  ['/boot', 'the node\'s kernel and boot loader'],
  ['/root', 'root\'s home directory and keys'],
];

/** Directories that are sensitive as a whole (a subdirectory such as /etc/ssl/certs is not). */
const SENSITIVE_DIRS: Record<string, string> = {
  '/': 'the node\'s entire file system',
  '/etc': 'the node\'s configuration, users and credentials',
  '/usr': 'the node\'s binaries',
  '/lib': 'the node\'s libraries and kernel modules',
  '/var': 'the node\'s state, including the kubelet\'s and the runtime\'s',
  '/home': 'the node\'s user home directories',
};

type Classification = { kind: 'socket' | 'sensitive' | 'plain'; exposes?: string };

/** What mounting `path` from the host exposes. */
function classifyHostPath(path: string): Classification {
  const normalized = posix.normalize(path).replace(/(.)\/+$/, '$1');
  const base = posix.basename(normalized);
  if (RUNTIME_SOCKETS.includes(base) || RUNTIME_SOCKET_DIRS.has(normalized)) return { kind: 'socket' };
  if (SENSITIVE_DIRS[normalized]) return { kind: 'sensitive', exposes: SENSITIVE_DIRS[normalized] };
  const tree = SENSITIVE_TREES.find(([dir]) => normalized === dir || normalized.startsWith(`${dir}/`));
  return tree ? { kind: 'sensitive', exposes: tree[1] } : { kind: 'plain' };
}

const SOCKET_RISK = 'Whoever can talk to it can start a privileged container and owns the node. Remove the mount; build images with a rootless builder instead.';
const ALTERNATIVES = 'Use emptyDir, a configMap/secret or a PersistentVolumeClaim instead.';

const MESSAGES = {
  noPath: `Volume "{{name}}" is a hostPath volume. It exposes the node's file system to the pod. ${ALTERNATIVES}`,
  runtimeSocket: `Volume "{{name}}" mounts the node's container runtime socket {{path}}. ${SOCKET_RISK}`,
  runtimeSocketDir: `Volume "{{name}}" mounts {{path}}, which holds the node's container runtime sockets. ${SOCKET_RISK}`,
  sensitive: 'Volume "{{name}}" mounts {{path}} from the node, a sensitive path. It exposes {{exposes}}. Remove the hostPath volume; use a configMap, secret or PersistentVolumeClaim.',
  plain: `Volume "{{name}}" mounts {{path}} from the node. A hostPath breaks the pod's file-system isolation and ties it to one node. ${ALTERNATIVES}`,
  writableMount: '{{container}} mounts hostPath volume "{{volume}}" ({{path}}) writable. The configuration allows that path only read-only, so a compromised process could change the node\'s files. Set readOnly: true on the mount.',
};

/** A host path the team accepts, with PodSecurityPolicy's `allowedHostPaths` semantics. */
type HostPathAllowance = { pathPrefix: string; readOnly?: boolean };
type Options = { allowedHostPaths: readonly HostPathAllowance[] };

/**
 * Paths with `.`/`..` segments or doubled slashes match no allowance: what they name is not
 * what they spell (the API server refuses `..`; the rest is reported rather than resolved).
 */
const UNCLEAN_PATH = '(^|/)\\.{1,2}(/|$)|//';

/** A path under `pathPrefix` (at a segment boundary: `/var/log` covers `/var/log/pods`, not `/var/logs`), as a regular expression that means the same in JavaScript and RE2. */
function underPrefix(pathPrefix: string): string {
  const prefix = pathPrefix.replace(/\/+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `^${prefix}(/[\\s\\S]*)?$`;
}

const UNCLEAN = new RegExp(UNCLEAN_PATH);

/** The allowances' prefix patterns, compiled once per configured list rather than once per volume. */
const compiled = new WeakMap<readonly HostPathAllowance[], Array<{ allowance: HostPathAllowance; pattern: RegExp }>>();
function prefixPatterns(allowed: readonly HostPathAllowance[]): Array<{ allowance: HostPathAllowance; pattern: RegExp }> {
  let patterns = compiled.get(allowed);
  if (!patterns) compiled.set(allowed, (patterns = allowed.map((allowance) => ({ allowance, pattern: new RegExp(underPrefix(allowance.pathPrefix)) }))));
  return patterns;
}

/** How the team's allowances admit `path`: `writable` if one without `readOnly` covers it, `read-only` if only read-only ones do. */
function allowanceOf(path: string, allowed: readonly HostPathAllowance[]): 'writable' | 'read-only' | undefined {
  if (UNCLEAN.test(path)) return undefined;
  const covering = prefixPatterns(allowed).filter(({ pattern }) => pattern.test(path)).map(({ allowance }) => allowance);
  if (covering.length === 0) return undefined;
  return covering.some((a) => a.readOnly !== true) ? 'writable' : 'read-only';
}

/** CEL: the hostPath volume `v` is covered by one of `allowances`. */
function celCovered(allowances: readonly HostPathAllowance[]): string {
  if (allowances.length === 0) return 'false';
  const path = 'v.hostPath.path';
  return `(has(${path}) && type(${path}) == string && !${path}.matches(${celString(UNCLEAN_PATH)}) && ${celList(allowances.map((a) => underPrefix(a.pathPrefix)))}.exists(r, ${path}.matches(r)))`;
}

/** The admission checks: hostPath volumes no allowance covers, and writable mounts of volumes allowed read-only. */
function admissionChecks(options: Options): AdmissionValidation[] {
  const allowed = options.allowedHostPaths;
  const covered = celCovered(allowed);
  const writable = celCovered(allowed.filter((a) => a.readOnly !== true));
  const volumes = 'variables.spec.volumes';
  const denied = `has(v.hostPath) && !${covered}`;
  const checks: AdmissionValidation[] = [
    {
      expression: `!(has(${volumes}) && ${volumes}.exists(v, ${denied}))`,
      messageExpression: `${volumes}.filter(v, ${denied}).map(v, ${celTemplate(MESSAGES.plain, { name: 'has(v.name) ? string(v.name) : "(unnamed)"', path: 'has(v.hostPath.path) ? string(v.hostPath.path) : "a hostPath"' })})[0]`,
    },
  ];
  if (allowed.some((a) => a.readOnly === true)) {
    const readOnlyVolumes = `(has(${volumes}) ? ${volumes}.filter(v, has(v.hostPath) && has(v.name) && ${covered} && !${writable}).map(v, v.name) : [])`;
    const writableMount = `has(e.container.volumeMounts) && e.container.volumeMounts.exists(m, has(m.name) && m.name in ${readOnlyVolumes} && !(has(m.readOnly) && m.readOnly == true))`;
    checks.push(containerCheck(writableMount, '" mounts a hostPath volume writable that the configuration allows only read-only. A compromised process could change the node\'s files. Set readOnly: true on the mount."'));
  }
  return checks;
}

export default defineRule<Options>({
  meta: {
    id: 'host-path-volume',
    title: 'hostPath volume',
    principle: 'least-privilege',
    severity: 'error',
    pss: 'baseline',
    kinds: WORKLOAD_KINDS,
    messages: MESSAGES,
    admission: { subject: 'pod', validations: (_profile, options) => admissionChecks(options) },
    options: {
      schema: {
        type: 'object',
        properties: {
          allowedHostPaths: {
            description: 'Host paths the team accepts, as PodSecurityPolicy\'s `allowedHostPaths` did: `pathPrefix` covers that path and everything below it at a path-segment boundary (`/var/log` covers `/var/log/pods`, not `/var/logs`); with `readOnly: true` every container must mount the volume `readOnly: true`. A path with `.` or `..` segments or `//` is never covered. Exempting a node agent this way keeps every other check on it.',
            type: 'array',
            maxItems: 100,
            items: {
              type: 'object',
              required: ['pathPrefix'],
              additionalProperties: false,
              properties: { pathPrefix: { type: 'string', pattern: '^/', maxLength: 1024 }, readOnly: { type: 'boolean' } },
            },
          },
        },
        additionalProperties: false,
      },
      defaults: { allowedHostPaths: [] },
    },
    docs: {
      what: 'The pod mounts a directory or file of the node through a `hostPath` volume; container runtime sockets (`docker.sock`, `containerd.sock`, `crio.sock`) and sensitive paths (`/`, `/etc`, `/proc`, `/sys`, `/var/lib/kubelet`…, and the paths whose contents the node runs as root: the CNI `/opt/cni/bin` and `/etc/cni/net.d`, `/lib/modules`, the kubelet\'s plugin directories) are called out as such.',
      why: 'A hostPath volume punches through the container\'s file-system isolation. A runtime socket lets the pod start a privileged container and own the node; `/var/lib/kubelet` holds every pod\'s secrets; `/etc`, `/proc` and `/sys` control the node itself. Even a harmless-looking path ties the pod to one node and can be swapped for a symlink. Zero trust keeps workloads out of the node\'s file system entirely.',
      fix: 'Replace the hostPath with `emptyDir` (scratch space), a `configMap`/`secret`/`projected` volume (configuration and credentials) or a PersistentVolumeClaim (durable data). Never mount a container runtime socket; build images with a rootless builder (BuildKit rootless, kaniko) instead. Node agents that need host files belong in a tightly controlled namespace with a suppression that says why, mounting `readOnly: true` and the narrowest path.',
      peers: { kubeLinter: ['sensitive-host-mounts', 'docker-sock', 'writable-host-mount'], polaris: ['hostPathSet'], checkov: ['CKV_K8S_27'], trivy: ['KSV-0023', 'KSV-0121', 'KSV-0006'], kubescape: ['C-0048', 'C-0074', 'C-0045'] },
      links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', 'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath'],
    },
  },
  check(resource, { report, options }) {
    const readOnlyVolumes = new Map<string, string>();
    for (const volume of resource.podSpec?.spec.seq('volumes')?.maps() ?? []) {
      // `hostPath: null` is no source at all (the API server defaults the volume to emptyDir).
      const hostPath = volume.map('hostPath');
      if (!hostPath) continue;
      const name = volume.string('name') ?? '(unnamed)';
      const path = hostPath.string('path');
      const node = hostPath.scalar('path') ?? volume.keyNode('hostPath')!;
      const allowance = path === undefined ? undefined : allowanceOf(path, options.allowedHostPaths);
      if (allowance === 'read-only' && volume.string('name') !== undefined) readOnlyVolumes.set(name, path!);
      if (allowance) continue;
      if (path === undefined) {
        report({ node, messageId: 'noPath', data: { name } });
        continue;
      }
      const { kind, exposes } = classifyHostPath(path);
      if (kind === 'sensitive') report({ node, messageId: 'sensitive', data: { name, path, exposes: exposes! } });
      else if (kind === 'socket') report({ node, messageId: path.endsWith('.sock') ? 'runtimeSocket' : 'runtimeSocketDir', data: { name, path } });
      else report({ node, messageId: 'plain', data: { name, path } });
    }
    for (const container of readOnlyVolumes.size ? (resource.podSpec?.containers ?? []) : []) {
      for (const mount of container.map.seq('volumeMounts')?.maps() ?? []) {
        const volume = mount.string('name');
        if (volume === undefined || !readOnlyVolumes.has(volume) || mount.value('readOnly') === true) continue;
        report({
          node: mount.scalar('readOnly') ?? mount.scalar('name')!,
          target: containerTarget(container),
          messageId: 'writableMount',
          data: { container: describeContainer(container), volume, path: readOnlyVolumes.get(volume)! },
        });
      }
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'emptyDir, configMap, projected and PVC volumes',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - {name: app, image: nginx:1.27}
      volumes:
        - {name: tmp, emptyDir: {}}
        - {name: conf, configMap: {name: web}}
        - name: token
          projected:
            sources: [{serviceAccountToken: {path: token, audience: vault}}]
        - {name: data, persistentVolumeClaim: {claimName: data}}
`,
    },
    {
      name: 'a volume that only mentions a socket path in a configMap item is not a hostPath',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - {name: app, image: nginx:1.27}
  volumes:
    - name: conf
      configMap:
        name: docker-sock-settings
        items: [{key: docker.sock, path: docker.sock}]
`,
    },
    {
      name: 'List items: one suppressed by its annotation, one by a `# kzt-ignore` comment above the node',
      yaml: `apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: DaemonSet
  metadata:
    name: node-agent
    annotations:
      kube-zero-trust.io/ignore: host-path-volume # reads the node's logs
  spec:
    template:
      spec:
        containers:
        - {name: agent, image: agent:1}
        volumes:
        - {name: logs, hostPath: {path: /var/log}}
- apiVersion: v1
  kind: Pod
  metadata: {name: debug}
  spec:
    containers:
    - {name: shell, image: busybox:1}
    volumes:
    - name: logs
      # kzt-ignore host-path-volume -- one-off debugging pod
      hostPath: {path: /var/log}
`,
    },
    {
      name: 'option allowedHostPaths: a log shipper reads /var/log/pods (read-only allowance, read-only mounts) and writes its own state dir',
      options: { allowedHostPaths: [{ pathPrefix: '/var/log', readOnly: true }, { pathPrefix: '/var/lib/shipper/' }] },
      yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: shipper}
spec:
  template:
    spec:
      initContainers:
        - {name: init, image: shipper:2, volumeMounts: [{name: pods, mountPath: /pods, readOnly: true}]}
      containers:
        - name: app
          image: shipper:2
          volumeMounts:
            - {name: pods, mountPath: /pods, readOnly: true}
            - {name: state, mountPath: /state}
      volumes:
        - {name: pods, hostPath: {path: /var/log/pods}}
        - {name: state, hostPath: {path: /var/lib/shipper, type: DirectoryOrCreate}}
`,
    },
  ],
  invalid: [
    {
      name: 'a CNI and CSI agent: node paths whose contents the node runs as root are sensitive, not generic',
      yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: cni-agent, namespace: kube-system}
spec:
  template:
    spec:
      containers:
        - {name: agent, image: cni-agent:1.0}
      volumes:
        - {name: cni-bin, hostPath: {path: /opt/cni/bin}}
        - {name: cni-conf, hostPath: {path: /etc/cni/net.d}}
        - {name: modules, hostPath: {path: /lib/modules, type: Directory}}
        - {name: csi, hostPath: {path: /var/lib/kubelet/plugins/csi.example.com}}
`,
      findings: [
        { line: 9, column: 43, endLine: 9, endColumn: 55, message: 'the CNI plugin binaries the node runs as root for every pod', messageId: 'sensitive', fixes: [] },
        { line: 10, column: 44, endLine: 10, endColumn: 58, message: 'the CNI configuration that chooses the binaries the node runs as root', messageId: 'sensitive', fixes: [] },
        { line: 11, column: 43, endLine: 11, endColumn: 55, message: 'the kernel modules the node loads', messageId: 'sensitive', fixes: [] },
        { line: 12, column: 39, endLine: 12, endColumn: 79, message: 'the CSI drivers it trusts to mount volumes as root', messageId: 'sensitive', fixes: [] },
      ],
    },
    {
      name: 'runtime sockets, a socket directory and a sensitive path are called out (multi-document)',
      yaml: `apiVersion: v1
kind: Namespace
metadata: {name: ci}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: builder, namespace: ci}
spec:
  template:
    spec:
      containers:
        - {name: build, image: docker:27}
      volumes:
        - name: docker
          hostPath: {path: /var/run/docker.sock, type: Socket}
        - name: containerd
          hostPath:
            path: /run/containerd/
        - name: kubelet
          hostPath:
            path: /var/lib/kubelet/pods
        - name: root
          hostPath: {path: /}
`,
      findings: [
        { line: 14, column: 27, endLine: 14, endColumn: 47, message: 'Volume "docker" mounts the node\'s container runtime socket /var/run/docker.sock.', messageId: 'runtimeSocket', fixes: [] },
        { line: 17, column: 18, endLine: 17, endColumn: 34, message: 'mounts /run/containerd/, which holds the node\'s container runtime sockets.', messageId: 'runtimeSocketDir', fixes: [] },
        { line: 20, column: 18, endLine: 20, endColumn: 39, message: 'a sensitive path. It exposes the kubelet\'s state', messageId: 'sensitive', fixes: [] },
        { line: 22, column: 27, endLine: 22, endColumn: 28, message: 'the node\'s entire file system', messageId: 'sensitive', fixes: [] },
      ],
    },
    {
      name: 'a plain host directory in a CronJob, and a hostPath without a path',
      yaml: `apiVersion: batch/v1
kind: CronJob
metadata: {name: rotate}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - {name: rotate, image: logrotate:3.21}
          volumes:
            - name: logs
              hostPath:
                path: /var/log/app
            - name: broken
              hostPath: {}
`,
      findings: [
        { line: 13, column: 22, endLine: 13, endColumn: 34, message: 'Volume "logs" mounts /var/log/app from the node. A hostPath breaks', messageId: 'plain', fixes: [] },
        { line: 15, column: 14, endLine: 15, endColumn: 22, message: 'Volume "broken" is a hostPath volume.', messageId: 'noPath', fixes: [] },
      ],
    },
    {
      name: 'a DaemonSet among the items of a List (kubectl get -o yaml) mounts the Docker socket',
      yaml: `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: settings}
  data: {mode: fast}
- apiVersion: apps/v1
  kind: DaemonSet
  metadata:
    name: builder
  spec:
    template:
      spec:
        containers:
        - name: build
          image: docker:27
        volumes:
        - name: docker
          hostPath: {path: /var/run/docker.sock, type: Socket}
`,
      findings: [{ line: 19, column: 27, endLine: 19, endColumn: 47, message: 'Volume "docker" mounts the node\'s container runtime socket /var/run/docker.sock.', messageId: 'runtimeSocket', fixes: [] }],
    },
    {
      name: 'a KEDA ScaledJob runs the pod template of its jobTargetRef',
      yaml: `apiVersion: keda.sh/v1alpha1
kind: ScaledJob
metadata: {name: thumbnails, namespace: media}
spec:
  jobTargetRef:
    template:
      spec:
        restartPolicy: Never
        containers:
          - name: worker
            image: media/thumbnailer:3.1
        volumes:
          - name: host-root
            hostPath: {path: /}
  triggers:
    - type: rabbitmq
      metadata: {queueName: thumbnails}
`,
      findings: [
        {
          line: 13,
          column: 29,
          endLine: 13,
          endColumn: 30,
          message: 'Volume "host-root" mounts / from the node, a sensitive path', messageId: 'sensitive',
          fixes: [],
        },
      ],
    },
    {
      name: 'option allowedHostPaths: a sibling of the prefix, a path with .. segments, and a writable mount of a read-only allowance',
      options: { allowedHostPaths: [{ pathPrefix: '/var/log', readOnly: true }] },
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: shipper}
spec:
  containers:
    - name: app
      image: shipper:2
      volumeMounts:
        - {name: pods, mountPath: /pods}
        - {name: pods, mountPath: /again, readOnly: false}
  volumes:
    - {name: pods, hostPath: {path: /var/log/pods}}
    - {name: other, hostPath: {path: /var/logs}}
    - {name: escape, hostPath: {path: /var/log/../../etc}}
`,
      findings: [
        { line: 8, column: 17, endLine: 8, endColumn: 21, message: 'Container "app" mounts hostPath volume "pods" (/var/log/pods) writable. The configuration allows that path only read-only', messageId: 'writableMount', fixes: [] },
        { line: 9, column: 52, endLine: 9, endColumn: 57, message: 'Container "app" mounts hostPath volume "pods" (/var/log/pods) writable', messageId: 'writableMount', fixes: [] },
        { line: 12, column: 37, endLine: 12, endColumn: 46, message: 'Volume "other" mounts /var/logs from the node', messageId: 'plain', fixes: [] },
        { line: 13, column: 38, endLine: 13, endColumn: 56, message: 'Volume "escape" mounts /var/log/../../etc from the node', messageId: 'sensitive', fixes: [] },
      ],
    },
  ],
};
