import type { FixSpec } from '../../engine/rule';
import type { Resource } from '../../model/resource';
import { appendDocument } from '../../edits/block-edits';
import { defaultDenyPolicy, leastPrivilegePolicy, unusedPolicyName } from './generate-policy';
import type { NetworkIndex } from '../../analysis/network/network-index';
import type { Direction } from '../../analysis/network/network-policy';
import type { Workload } from '../../analysis/network/workloads';
import { renderBlock, textStyleOf, type TextStyle } from '../../edits/yaml-render';

/**
 * The default-deny policy for a namespace, its name and text in a given style. `writeNamespace`
 * is false when the resource the fix starts from leaves its namespace to `kubectl -n`: the policy
 * then follows it into the same namespace.
 */
function defaultDenyPolicyText(index: NetworkIndex, namespace: string, options: { writeNamespace: boolean; allowDns: boolean; style: TextStyle }): { name: string; text: string } {
  const name = unusedPolicyName(index, namespace, options.allowDns ? 'default-deny-allow-dns' : 'default-deny');
  return { name, text: renderBlock(defaultDenyPolicy({ name, namespace, writeNamespace: options.writeNamespace, allowDns: options.allowDns }), options.style) };
}

/** "Add a default-deny NetworkPolicy for namespace X" (or its DNS variant), as a new document after the resource. */
export function defaultDenyFix(index: NetworkIndex, resource: Resource, namespace: string, options: { writeNamespace: boolean; allowDns: boolean; manual?: boolean }): FixSpec {
  const { name, text } = defaultDenyPolicyText(index, namespace, { ...options, style: textStyleOf(resource.parsed.source) });
  return {
    title: `Add a default-deny NetworkPolicy for namespace ${namespace}${options.allowDns ? ' that allows DNS' : ''}`,
    edits: [appendDocument(resource, text)],
    changesBehaviour: { creates: [`NetworkPolicy ${name}`] },
    ...(options.manual ? { manual: true } : {}),
  };
}

/**
 * The same policies as files beside the resource's file (`default-deny-<namespace>.yaml`), for
 * an editor that can create files. The namespace is always written: a file of its own is
 * applied on its own.
 */
export function defaultDenyNewFiles(index: NetworkIndex, resource: Resource, namespace: string, takenUris: ReadonlySet<string>): FixSpec[] {
  const style = textStyleOf(resource.parsed.source);
  const folder = resource.uri.slice(0, resource.uri.lastIndexOf('/') + 1);
  return [false, true].map((allowDns) => {
    const base = `${folder}default-deny-${namespace}${allowDns ? '-allow-dns' : ''}`;
    let uri = `${base}.yaml`;
    for (let i = 2; takenUris.has(uri); i++) uri = `${base}-${i}.yaml`;
    const { name, text } = defaultDenyPolicyText(index, namespace, { writeNamespace: true, allowDns, style });
    return {
      title: `Add a default-deny NetworkPolicy for namespace ${namespace}${allowDns ? ' that allows DNS' : ''} in a new file`,
      edits: [],
      newFiles: [{ uri, text }],
      changesBehaviour: { creates: [`NetworkPolicy ${name}`] },
    };
  });
}

/** "Generate a least-privilege NetworkPolicy for this workload", as a new document after it. */
export function leastPrivilegeFix(index: NetworkIndex, workload: Workload, directions: readonly Direction[]): FixSpec | undefined {
  const policy = leastPrivilegePolicyText(index, workload, directions, textStyleOf(workload.resource.parsed.source), new Set());
  if (!policy) return undefined;
  return {
    title: 'Generate a least-privilege NetworkPolicy for this workload',
    edits: [appendDocument(workload.resource, policy.text)],
    changesBehaviour: { creates: [`NetworkPolicy ${policy.name}`] },
  };
}

/**
 * "Isolate namespace X": its default deny and, for each workload it leaves open, the
 * least-privilege policy that keeps the traffic the workspace shows, as new documents after the
 * resource. Automatic (fix-all) only when every open workload gets a policy: a workload without
 * labels to select would lose all its traffic to the default deny, so then it is offered on request.
 */
export function isolateNamespaceFix(index: NetworkIndex, resource: Resource, namespace: string, open: readonly Workload[], writeNamespace: boolean): FixSpec {
  const style = textStyleOf(resource.parsed.source);
  const deny = defaultDenyPolicyText(index, namespace, { writeNamespace, allowDns: false, style });
  // Two workloads of one name (a Deployment and a Pod) get distinct policy names.
  const taken = new Set([deny.name]);
  const allowed = open.flatMap((w) => leastPrivilegePolicyText(index, w, index.openDirections(w), style, taken) ?? []);
  return {
    title: `Isolate namespace ${namespace}: a default deny and a least-privilege NetworkPolicy for each workload`,
    edits: [appendDocument(resource, [deny, ...allowed].map((p) => p.text).join('---\n'))],
    changesBehaviour: { creates: [deny, ...allowed].map((p) => `NetworkPolicy ${p.name}`) },
    ...(allowed.length < open.length ? { manual: true } : {}),
  };
}

/** A workload's least-privilege policy, named apart from the policies of its namespace and `taken` (which it joins). */
function leastPrivilegePolicyText(index: NetworkIndex, workload: Workload, directions: readonly Direction[], style: TextStyle, taken: Set<string>): { name: string; text: string } | undefined {
  const name = unusedPolicyName(index, workload.namespace, `${workload.resource.name}-least-privilege`, taken);
  const draft = leastPrivilegePolicy(index, workload, name, directions);
  if (!draft) return undefined;
  taken.add(name);
  return { name, text: renderBlock(draft, style) };
}
