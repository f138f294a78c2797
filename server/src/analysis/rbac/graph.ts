import type { Node } from 'yaml';
import type { Resource } from '../../model/resource';
import type { WorkspaceView } from '../../workspace/snapshot';
import { BUILT_IN_CLUSTER_ROLES, type BuiltInRole } from './built-in-roles';
import { matchesLabels, parseSelector } from '../network/label-selector';
import { readRules, type PolicyRule, type WrittenRule } from './policy-rule';

export type RoleKind = 'Role' | 'ClusterRole';

/** A Role or ClusterRole: written in the workspace (possibly in several files), built in, or both unknown. */
export interface RoleNode {
  readonly kind: RoleKind;
  readonly name: string;
  /** Namespace of a Role; undefined for a ClusterRole. */
  readonly namespace: string | undefined;
  readonly objects: readonly Resource[];
  /**
   * The bootstrap definition the API server reconciles this ClusterRole with at every start:
   * alone when the workspace does not define the role, else together with the workspace's
   * definition (see `reconcile`).
   */
  readonly builtIn: BuiltInRole | undefined;
  /** A `system:` ClusterRole of the cluster that this analysis does not know: what it grants is unknown. */
  readonly unknown: boolean;
  readonly labels: Readonly<Record<string, string>>;
  /** For an aggregated ClusterRole (`aggregationRule`): whether it collects the rules of a ClusterRole with these labels. */
  readonly aggregates: ((labels: Readonly<Record<string, string>>) => boolean) | undefined;
}

/** A rule a role grants, with the role it is written in (an aggregated role's rules come from others). */
export interface SourcedRule {
  readonly rule: PolicyRule;
  readonly source: RoleNode;
  /** The rule as written in the workspace, for positions; undefined for built-in rules. */
  readonly written: WrittenRule | undefined;
}

export interface SubjectRef {
  readonly kind: string;
  readonly name: string;
  /** For ServiceAccounts: as written, else the RoleBinding's namespace; undefined if neither. */
  readonly namespace: string | undefined;
  /** The subject's `name` value (else the subject item) in the binding's document. */
  readonly node: Node;
  /** Position in the binding's `subjects` sequence. */
  readonly index: number;
}

export interface BindingNode {
  readonly object: Resource;
  readonly kind: 'RoleBinding' | 'ClusterRoleBinding';
  readonly name: string;
  /** The namespace a RoleBinding grants in; undefined for a ClusterRoleBinding (everywhere). */
  readonly namespace: string | undefined;
  readonly roleRef: { readonly kind: string; readonly name: string; readonly node: Node | undefined };
  readonly subjects: readonly SubjectRef[];
}

/** Who is asking: a user name and its groups, as the authenticator reports them. */
export interface Identity {
  readonly user: string;
  readonly groups: readonly string[];
}

/** A binding that applies to an identity, with what its role grants and where. */
export interface Grant {
  readonly binding: BindingNode;
  /** The subject of the binding that names the identity (directly or through a group). */
  readonly subject: SubjectRef;
  /** undefined when the binding references a role that exists nowhere. */
  readonly role: RoleNode | undefined;
  readonly rules: readonly SourcedRule[];
  /** Where the rules apply: a RoleBinding's namespace, or undefined for the whole cluster. */
  readonly namespace: string | undefined;
}

/** The identity a ServiceAccount's token authenticates as (k8s.io/apiserver serviceaccount). */
export function serviceAccountIdentity(namespace: string, name: string): Identity {
  return {
    user: `system:serviceaccount:${namespace}:${name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
  };
}

/** The workspace's roles and bindings, resolved once per workspace state. */
export function rbacGraph(workspace: WorkspaceView): RbacGraph {
  return workspace.memo('rbac/graph', () => new RbacGraph(workspace));
}

export class RbacGraph {
  readonly bindings: readonly BindingNode[];
  private readonly clusterRoles = new Map<string, RoleNode>();
  private readonly roles = new Map<string, RoleNode>();
  private readonly rulesCache = new Map<RoleNode, readonly SourcedRule[]>();
  /**
   * Bindings by the identity key a subject matches (`user:…` or `group:…`), as positions in
   * `bindings`: each workload asks for its grants, so scanning every binding for every
   * workload would grow with the square of the workspace.
   */
  private readonly bySubject = new Map<string, number[]>();
  private readonly byResource = new Map<Resource, BindingNode[]>();
  private readonly grantsCache = new Map<string, Grant[]>();

  constructor(workspace: WorkspaceView) {
    for (const obj of workspace.ofKind('ClusterRole')) addDefinition(this.clusterRoles, obj.name, obj, undefined);
    for (const obj of workspace.ofKind('Role')) {
      const namespace = obj.effectiveNamespace(workspace.defaultNamespace);
      addDefinition(this.roles, `${namespace}/${obj.name}`, obj, namespace);
    }
    for (const builtIn of BUILT_IN_CLUSTER_ROLES) {
      const written = this.clusterRoles.get(builtIn.name);
      if (written && written.objects.every(optsOutOfReconciliation)) continue;
      this.clusterRoles.set(builtIn.name, reconcile(builtIn, written));
    }
    this.bindings = [
      ...workspace.ofKind('ClusterRoleBinding').map((obj) => bindingOf(obj, undefined)),
      ...workspace.ofKind('RoleBinding').map((obj) => bindingOf(obj, obj.effectiveNamespace(workspace.defaultNamespace))),
    ];
    this.bindings.forEach((binding, i) => {
      const inResource = this.byResource.get(binding.object);
      if (inResource) inResource.push(binding);
      else this.byResource.set(binding.object, [binding]);
      for (const subject of binding.subjects) {
        const key = subjectKey(subject);
        if (key === undefined) continue;
        const list = this.bySubject.get(key);
        if (!list) this.bySubject.set(key, [i]);
        else if (list[list.length - 1] !== i) list.push(i);
      }
    });
  }

  /** The bindings written in a document. */
  bindingsIn(resource: Resource): readonly BindingNode[] {
    return this.byResource.get(resource) ?? [];
  }

  /** The role a binding references, as the authorizer resolves it; undefined if it exists nowhere. */
  roleOf(binding: BindingNode): RoleNode | undefined {
    const { kind, name } = binding.roleRef;
    if (kind === 'Role') return binding.namespace === undefined ? undefined : this.roles.get(`${binding.namespace}/${name}`);
    if (kind !== 'ClusterRole') return undefined;
    const known = this.clusterRoles.get(name);
    if (known || !name.startsWith('system:')) return known;
    const unknown: RoleNode = { kind: 'ClusterRole', name, namespace: undefined, objects: [], builtIn: undefined, unknown: true, labels: {}, aggregates: undefined };
    this.clusterRoles.set(name, unknown);
    return unknown;
  }

  /** Every namespace's Role of that name. */
  rolesNamed(name: string): RoleNode[] {
    return [...this.roles.values()].filter((role) => role.name === name);
  }

  /** The workspace's definition of a role, for the objects rules and hovers look at. */
  roleNamed(kind: RoleKind, name: string, namespace: string | undefined): RoleNode | undefined {
    return kind === 'ClusterRole' ? this.clusterRoles.get(name) : this.roles.get(`${namespace}/${name}`);
  }

  /**
   * What a role grants. An aggregated ClusterRole grants the union of the rules of every
   * other ClusterRole one of its selectors matches (recursively), and only those: the
   * aggregation controller overwrites whatever its own `rules` say.
   */
  rulesOf(role: RoleNode, visiting: ReadonlySet<RoleNode> = new Set()): readonly SourcedRule[] {
    const cached = this.rulesCache.get(role);
    if (cached) return cached;
    let rules: SourcedRule[];
    if (role.aggregates) {
      const seen = new Set<SourcedRule>();
      const inner = new Set([...visiting, role]);
      for (const other of this.clusterRoles.values()) {
        if (other === role || inner.has(other) || !role.aggregates(other.labels)) continue;
        for (const r of this.rulesOf(other, inner)) seen.add(r);
      }
      rules = [...seen];
    } else {
      rules = [
        ...(role.builtIn?.rules ?? []).map((rule) => ({ rule, source: role, written: undefined })),
        ...role.objects.flatMap((obj) => writtenRulesOf(obj).map((written) => ({ rule: written, source: role, written }))),
      ];
    }
    // Inside a cycle of aggregations the result depends on where the walk started.
    if (!role.aggregates || visiting.size === 0) this.rulesCache.set(role, rules);
    return rules;
  }

  /** Aggregated ClusterRoles whose rules include this role's. */
  aggregatedInto(role: RoleNode): RoleNode[] {
    if (role.kind !== 'ClusterRole') return [];
    return [...this.clusterRoles.values()].filter((other) => other !== role && other.aggregates && this.rulesOf(other).some((r) => r.source === role));
  }

  bindingsOf(role: RoleNode): BindingNode[] {
    return this.bindings.filter((b) => this.roleOf(b) === role);
  }

  /** Every binding that applies to the identity, with the rules it grants, in workspace order. */
  grantsTo(identity: Identity): Grant[] {
    const cacheKey = [identity.user, ...identity.groups].join('\n');
    const cached = this.grantsCache.get(cacheKey);
    if (cached) return cached;
    const candidates = new Set<number>();
    for (const key of [`user:${identity.user}`, ...identity.groups.map((group) => `group:${group}`)]) for (const i of this.bySubject.get(key) ?? []) candidates.add(i);
    const grants: Grant[] = [];
    for (const i of [...candidates].sort((a, b) => a - b)) {
      const binding = this.bindings[i];
      const subject = binding.subjects.find((s) => subjectApplies(s, identity));
      if (!subject) continue;
      const role = this.roleOf(binding);
      grants.push({ binding, subject, role, rules: role ? this.rulesOf(role) : [], namespace: binding.namespace });
    }
    this.grantsCache.set(cacheKey, grants);
    return grants;
  }
}

/** The identity key under which `subjectApplies` can match a subject, or undefined if it matches nothing. */
function subjectKey(subject: SubjectRef): string | undefined {
  switch (subject.kind) {
    case 'User':
      return `user:${subject.name}`;
    case 'Group':
      return `group:${subject.name}`;
    case 'ServiceAccount':
      return subject.namespace === undefined ? undefined : `user:system:serviceaccount:${subject.namespace}:${subject.name}`;
    default:
      return undefined;
  }
}

/** `appliesToUser` of the RBAC authorizer. */
export function subjectApplies(subject: SubjectRef, identity: Identity): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === identity.user;
    case 'Group':
      return identity.groups.includes(subject.name);
    case 'ServiceAccount':
      return subject.namespace !== undefined && `system:serviceaccount:${subject.namespace}:${subject.name}` === identity.user;
    default:
      return false;
  }
}

export function roleLabel(role: Pick<RoleNode, 'kind' | 'name'>): string {
  return `${role.kind} ${role.name}`;
}

export function bindingLabel(binding: BindingNode): string {
  return `${binding.kind} ${binding.name}`;
}

export function subjectLabel(subject: SubjectRef): string {
  if (subject.kind !== 'ServiceAccount') return `${subject.kind} ${subject.name}`;
  return `ServiceAccount ${subject.namespace ? `${subject.namespace}/` : ''}${subject.name}`;
}

const AUTOUPDATE = 'rbac.authorization.kubernetes.io/autoupdate';

/** `rbac.authorization.kubernetes.io/autoupdate: "false"`: the API server leaves this definition as it is. */
function optsOutOfReconciliation(obj: Resource): boolean {
  return obj.metadata?.map('annotations')?.string(AUTOUPDATE) === 'false';
}

/**
 * A built-in ClusterRole as the API server leaves it after its start-up reconciliation
 * (k8s.io/kubernetes pkg/registry/rbac/reconciliation, without RemoveExtraPermissions): the
 * rules of the workspace's definition plus every built-in rule it lacks, its labels plus the
 * built-in ones, and for aggregated roles the built-in selectors plus its own. So a manifest
 * that redefines `cluster-admin` with harmless rules does not make it harmless; only the
 * annotation `rbac.authorization.kubernetes.io/autoupdate: "false"` keeps the written definition
 * as it is. A written `aggregationRule` on a role that the bootstrap policy does not aggregate
 * is left out: honouring it would let the aggregation hide the built-in rules.
 */
function reconcile(builtIn: BuiltInRole, written: RoleNode | undefined): RoleNode {
  const label = builtIn.aggregates;
  const own = label ? (labels: Readonly<Record<string, string>>) => labels[label] === 'true' : undefined;
  const extra = written?.aggregates;
  const aggregates = own && extra ? (labels: Readonly<Record<string, string>>) => own(labels) || extra(labels) : own;
  return {
    kind: 'ClusterRole',
    name: builtIn.name,
    namespace: undefined,
    objects: written?.objects ?? [],
    builtIn,
    unknown: false,
    labels: { ...builtIn.labels, ...written?.labels },
    aggregates,
  };
}

function addDefinition(into: Map<string, RoleNode>, key: string, obj: Resource, namespace: string | undefined): void {
  const existing = into.get(key);
  const aggregates = aggregationOf(obj);
  if (existing) {
    into.set(key, { ...existing, objects: [...existing.objects, obj], aggregates: existing.aggregates ?? aggregates });
    return;
  }
  into.set(key, { kind: obj.kind as RoleKind, name: obj.name, namespace, objects: [obj], builtIn: undefined, unknown: false, labels: obj.labels, aggregates });
}

/**
 * `aggregationRule.clusterRoleSelectors`, as the aggregation controller reads them: a
 * ClusterRole is collected when any selector matches its labels (an empty selector matches
 * every ClusterRole, an invalid one none).
 */
function aggregationOf(obj: Resource): RoleNode['aggregates'] {
  const aggregation = obj.kind === 'ClusterRole' ? obj.root.map('aggregationRule') : undefined;
  if (!aggregation) return undefined;
  const selectors = (aggregation.seq('clusterRoleSelectors')?.maps() ?? []).map((map) => parseSelector(map));
  return (labels) => selectors.some((selector) => matchesLabels(selector, labels));
}

/** Per object, kept with its document (`Resource.derived`): the graph is rebuilt on every edit. */
function bindingOf(obj: Resource, namespace: string | undefined): BindingNode {
  // A ClusterRoleBinding has no namespace; a RoleBinding's may be written as "".
  return obj.derived('rbac/binding', namespace === undefined ? '\0' : namespace, () => readBinding(obj, namespace));
}

function writtenRulesOf(obj: Resource): readonly WrittenRule[] {
  return obj.derived('rbac/rules', '', () => readRules(obj.root));
}

function readBinding(obj: Resource, namespace: string | undefined): BindingNode {
  const roleRef = obj.root.map('roleRef');
  const subjects: SubjectRef[] = [];
  const seq = obj.root.seq('subjects');
  seq?.node.items.forEach((item, index) => {
    const map = seq.ctx.map(item);
    if (!map) return;
    const kind = map.string('kind') ?? '';
    const name = map.string('name') ?? '';
    // kustomize's namespace transformer sets the namespace of subjects named `default` only.
    const placed = obj.placement?.namespace;
    const written = placed !== undefined && name === 'default' ? placed : map.string('namespace');
    subjects.push({
      kind,
      name,
      // A ServiceAccount subject of a RoleBinding defaults to the binding's namespace.
      namespace: kind === 'ServiceAccount' ? (written || namespace) : written,
      node: map.get('name') ?? map.node,
      index,
    });
  });
  return {
    object: obj,
    kind: obj.kind as BindingNode['kind'],
    name: obj.name,
    namespace,
    roleRef: { kind: roleRef?.string('kind') ?? '', name: roleRef?.string('name') ?? '', node: roleRef?.get('name') ?? obj.root.keyNode('roleRef') },
    subjects,
  };
}
