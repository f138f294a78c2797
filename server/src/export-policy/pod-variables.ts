import type { AdmissionValidation } from '../engine/rule';
import { BUILT_IN_POD_TEMPLATES } from '../model/pod-templates';
import { apiResourceOf } from './api-resources';
import { celList, celString, celTemplate, valueOr } from './cel';

/**
 * The variables through which a `pod` admission check sees a pod spec, the same for a Pod and
 * for the pod template of every workload kind the model knows (model/pod-templates.ts) that has
 * an API resource here (api-resources.ts; the others are left to the editor), so a check
 * is written once and a bad Deployment is refused when it is applied, not when its pods fail.
 * Every variable is a map or list even when the object leaves the field out: checks need no
 * `has()` for the levels these name.
 */
export interface PolicyVariable {
  name: string;
  expression: string;
}

/** The kinds a `pod` check judges, with the path from the object to their pod template (empty: the object is the pod). */
export function podKinds(): Array<{ kind: string; path: readonly string[] }> {
  return BUILT_IN_POD_TEMPLATES.filter(({ kind, groups }) => groups.includes(apiResourceOf(kind)?.group ?? '\0')).map(({ kind, path }) => ({ kind, path }));
}

/** The pod (a Pod, or a template: a map with `metadata` and `spec`), `{}` when the object has none where its kind keeps it. */
function podExpression(): string {
  const kindsByPath = new Map<string, { path: readonly string[]; kinds: string[] }>();
  for (const { kind, path } of podKinds()) {
    const entry = kindsByPath.get(path.join('.')) ?? { path, kinds: [] };
    entry.kinds.push(kind);
    kindsByPath.set(path.join('.'), entry);
  }
  return [...kindsByPath.values()].reduceRight(
    (otherwise, { kinds, path }) =>
      `${kinds.length === 1 ? `object.kind == ${celString(kinds[0])}` : `object.kind in ${celList(kinds)}`} ? (${valueOr('object', path, '{}')}) : ${otherwise}`,
    '{}',
  );
}

/** One entry of `variables.allContainers`: the container, how messages name it, and its securityContext (`{}` when unset). */
function containerEntries(list: string, label: string): string {
  const name = `(has(c.name) ? string(c.name) : "")`;
  return `(has(variables.spec.${list}) ? variables.spec.${list}.map(c, {"label": ${celString(`${label} "`)} + ${name} + "\\"", "name": ${name}, "container": c, "sc": has(c.securityContext) ? c.securityContext : {}}) : [])`;
}

/**
 * The pod variables of a policy. `allContainers` lists every container; `containers`, what the
 * per-container checks judge, leaves out the containers a config exemption names (`container`
 * glob) where `exempt` (CEL of an entry `e`) is true: their container-level findings are exempt.
 */
export function podVariables(exempt?: string): PolicyVariable[] {
  return [
    { name: 'pod', expression: podExpression() },
    { name: 'spec', expression: valueOr('variables.pod', ['spec'], '{}') },
    { name: 'podAnnotations', expression: valueOr('variables.pod', ['metadata', 'annotations'], '{}') },
    { name: 'podSecurityContext', expression: valueOr('variables.spec', ['securityContext'], '{}') },
    {
      name: 'allContainers',
      expression: [
        containerEntries('initContainers', 'Init container'),
        containerEntries('containers', 'Container'),
        containerEntries('ephemeralContainers', 'Ephemeral container'),
      ].join(' + '),
    },
    { name: 'containers', expression: exempt ? `variables.allContainers.filter(e, !(${exempt}))` : 'variables.allContainers' },
  ];
}

/**
 * A check on every container (findings with the container as their target): admitted when no
 * entry `e` of `variables.containers` makes
 * `violation` true; the message names the first container that does, like the diagnostic.
 * `message` is CEL evaluated with that entry as `e` (a string literal, or built from its fields).
 */
export function containerCheck(violation: string, message: string): AdmissionValidation {
  return denyContainers(violation, `e.label + ${message}`);
}

/**
 * A check on every container whose denial is one of the rule's `meta.messages`: `{{container}}`
 * is the entry's label, the other placeholders CEL strings of the entry `e` given in `data`.
 */
export function containerTemplateCheck(violation: string, template: string, data: Readonly<Record<string, string>> = {}): AdmissionValidation {
  return denyContainers(violation, celTemplate(template, { container: 'e.label', ...data }));
}

function denyContainers(violation: string, message: string): AdmissionValidation {
  return {
    expression: `!variables.containers.exists(e, ${violation})`,
    messageExpression: `variables.containers.filter(e, ${violation}).map(e, ${message})[0]`,
  };
}

/** CEL of a container entry (`allContainers`): `privileged: true`, the model's isPrivileged. */
export function privilegedCel(entry: string): string {
  return `(has(${entry}.sc.privileged) && ${entry}.sc.privileged == true)`;
}

/** CEL tests of the pod that several checks share (the model's isWindowsPod, usesUserNamespace, onlyPrivilegedContainers). */
export const POD_CEL = {
  /** `spec.os.name: windows`: PSA exempts such pods from the Linux-only restricted controls. */
  isWindows: 'has(variables.spec.os) && has(variables.spec.os.name) && variables.spec.os.name == "windows"',
  /** `spec.hostUsers: false`: the pod runs in a user namespace. */
  usesUserNamespace: 'has(variables.spec.hostUsers) && variables.spec.hostUsers == false',
  /** `spec.hostNetwork: true`: every port of the pod is on the node. */
  hostNetwork: 'has(variables.spec.hostNetwork) && variables.spec.hostNetwork == true',
  /** Every container privileged: a pod-level setting they would inherit changes nothing (privileged-container reports them). */
  onlyPrivilegedContainers: `size(variables.allContainers) > 0 && variables.allContainers.all(p, ${privilegedCel('p')})`,
} as const;
