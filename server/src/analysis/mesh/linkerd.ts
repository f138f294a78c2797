import type { Scalar } from 'yaml';
import type { Resource } from '../../model/resource';
import type { MapView } from '../../model/yaml-view';
import { admitsAnyAddress } from '../network/cidr';
import { embeddedScalar } from './embedded-yaml';

/** Linkerd default policies that admit clients without a mesh identity, and their authenticated counterparts. */
export const LINKERD_UNAUTHENTICATED: Readonly<Record<string, string | undefined>> = {
  'all-unauthenticated': 'all-authenticated',
  'cluster-unauthenticated': 'cluster-authenticated',
  audit: undefined,
};

/** The chart's default for `proxy.defaultInboundPolicy`. */
const CHART_DEFAULT_POLICY = 'all-unauthenticated';
const CONTROL_PLANE_CHART = 'linkerd-control-plane';
const VALUES_PATH = ['proxy', 'defaultInboundPolicy'];

/** The mesh-wide default inbound policy, where the control plane's configuration sets it. */
export interface MeshDefaultPolicy {
  /** The value, or (when the values leave the chart default) the chart's name. */
  node: Scalar;
  value: string;
  /** False when the values do not set it and the chart's default applies. */
  written: boolean;
  /** `ConfigMap linkerd-config`, `HelmRelease linkerd`: what holds it. */
  where: string;
}

/**
 * `proxy.defaultInboundPolicy` of the control plane: in the `values` that the linkerd-config
 * ConfigMap keeps (what `linkerd install` and the chart write), or in the Helm values of a Flux
 * HelmRelease or an Argo CD Application of the linkerd-control-plane chart. Undefined when the
 * object is none of these, or its values come from elsewhere too (valuesFrom, valueFiles).
 */
export function meshDefaultInboundPolicy(resource: Resource): MeshDefaultPolicy | undefined {
  const group = resource.apiVersion.split('/')[0];
  if (resource.kind === 'ConfigMap' && resource.apiVersion === 'v1' && resource.name === 'linkerd-config') {
    const values = resource.root.map('data')?.scalar('values');
    const node = values && embeddedScalar(values, resource.parsed.source, VALUES_PATH);
    return node ? { node, value: String(node.value), written: true, where: `ConfigMap ${resource.name}` } : undefined;
  }
  const spec = resource.root.map('spec');
  if (resource.kind === 'HelmRelease' && group === 'helm.toolkit.fluxcd.io') {
    const chart = spec?.map('chart')?.map('spec')?.scalar('chart');
    if (!spec || chart?.value !== CONTROL_PLANE_CHART || spec.has('valuesFrom')) return undefined;
    return fromValues(spec.map('values'), undefined, chart, `HelmRelease ${resource.name}`, resource);
  }
  if (resource.kind === 'Application' && group === 'argoproj.io') {
    const sources = [spec?.map('source'), ...(spec?.seq('sources')?.maps() ?? [])];
    for (const source of sources) {
      const chart = source?.scalar('chart');
      const helm = source?.map('helm');
      if (chart?.value !== CONTROL_PLANE_CHART || helm?.has('valueFiles')) continue;
      return fromValues(helm?.map('valuesObject'), helm?.scalar('values'), chart, `Application ${resource.name}`, resource);
    }
  }
  return undefined;
}

function fromValues(values: MapView | undefined, text: Scalar | undefined, chart: Scalar, where: string, resource: Resource): MeshDefaultPolicy | undefined {
  const written = values?.map('proxy')?.scalar('defaultInboundPolicy') ?? (text && embeddedScalar(text, resource.parsed.source, VALUES_PATH));
  if (written) return { node: written, value: String(written.value), written: true, where };
  // Values given as a string we cannot place: say nothing rather than guess.
  if (text && text.value) return undefined;
  return { node: chart, value: CHART_DEFAULT_POLICY, written: false, where };
}

/**
 * Linkerd's own components that must accept callers without a mesh identity (the chart sets their
 * default inbound policy to all-unauthenticated whatever the mesh-wide one is): identity, which
 * proxies ask for their first certificate before they have one, and destination and
 * proxy-injector, whose admission webhooks the API server calls from outside the mesh.
 */
const MUST_ACCEPT_UNAUTHENTICATED = ['identity', 'destination', 'proxy-injector'] as const;
export type UnauthenticatedComponent = (typeof MUST_ACCEPT_UNAUTHENTICATED)[number];

/** The Linkerd control-plane component a workload runs, when it is one that must admit unauthenticated callers (its pods' `linkerd.io/control-plane-component`). */
export function unauthenticatedComponent(resource: Resource): UnauthenticatedComponent | undefined {
  const component = resource.podLabels['linkerd.io/control-plane-component'];
  return MUST_ACCEPT_UNAUTHENTICATED.find((c) => c === component);
}

/** True for objects a Linkerd extension ships (viz, jaeger, multicluster label theirs `linkerd.io/extension`). */
export function shippedByLinkerdExtension(resource: Resource): string | undefined {
  return resource.labels['linkerd.io/extension'];
}

/** A `NetworkAuthentication` network that covers every address, and where it is written. */
export interface OpenNetwork {
  authentication: Resource;
  cidr: string;
}

/**
 * What an AuthorizationPolicy requires of its clients when it requires no identity and admits
 * every address: its `requiredAuthenticationRefs` are NetworkAuthentications that all cover
 * every address, with no MeshTLSAuthentication or ServiceAccount beside them (every reference
 * must be satisfied, so one of those requires an identity, and a narrower network narrows the
 * sources). `find` looks a NetworkAuthentication up by namespace and name; a reference it cannot
 * find leaves the policy unjudged.
 */
export function unauthenticatedNetworks(policy: Resource, namespace: string, find: (namespace: string, name: string) => Resource | undefined): Array<OpenNetwork & { ref: Scalar }> {
  const refs = policy.root.map('spec')?.seq('requiredAuthenticationRefs')?.maps() ?? [];
  if (refs.some((ref) => ref.string('kind') !== 'NetworkAuthentication')) return [];
  const open: Array<OpenNetwork & { ref: Scalar }> = [];
  for (const ref of refs) {
    const name = ref.scalar('name');
    const authentication = name && find(ref.string('namespace') ?? namespace, String(name.value));
    if (!name || !authentication) return [];
    const networks = authentication.root.map('spec')?.seq('networks')?.maps() ?? [];
    const any = networks.find((n) => admitsAnyAddress(n.string('cidr') ?? '', n.seq('except')?.scalars().map((e) => e.value) ?? []));
    if (!any) return [];
    open.push({ authentication, cidr: any.string('cidr')!, ref: name });
  }
  return open;
}
