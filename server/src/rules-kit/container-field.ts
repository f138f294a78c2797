import type { Scalar } from 'yaml';
import type { AdmissionCheck, AdmissionValidation, BehaviourChange, FixSpec, Profile, ReportDescriptor, Rule, RuleOptions } from '../engine/rule';
import { celString, celTemplate, hasPath } from '../export-policy/cel';
import { containerDenial, POD_CEL, privilegedCel } from '../export-policy/pod-variables';
import type { ContainerView, PodSpecView } from '../model/pod-spec';
import { usesUserNamespace } from '../model/pss';
import { containerAnchor, containerTarget, describeContainer, isPrivileged, isWindowsPod } from '../model/security-context';
import type { MapView } from '../model/yaml-view';
import { removePair, setPath } from '../edits/yaml-edits';

/**
 * A rule of the shape "a container's securityContext field must be / must not be …", said once
 * as data (ESLint's rule helpers): the field, the value, whether the pod-level securityContext is
 * the containers' default, who is exempt, the message ids and the fix. `containerFieldRule` turns
 * it into the rule's `check` and its admission check, so the loop over containers, the finding's
 * place and target, the fix and the CEL that denies exactly what the rule reports are written once.
 */
export interface ContainerField<M extends string> {
  /** The field's path inside a securityContext: `['allowPrivilegeEscalation']`, `['windowsOptions', 'hostProcess']`. */
  field: readonly string[];
  /**
   * `mustBe`: any other value is reported, and so is an unset field (an empty value counts as
   * unset) unless `unsetIsFine`. `mustNotBe`: only that value is reported.
   */
  expect: { mustBe: boolean | string; unsetIsFine?: true } | { mustNotBe: boolean };
  /**
   * The pod-level securityContext holds the containers' default: a wrong value there is one
   * finding, at the pod (message `pod`), and the containers that inherit it are not reported
   * again; a container's own value wins.
   */
  podDefault?: true;
  /** Pods and containers the rule leaves alone (`WINDOWS_PODS`, `PRIVILEGED_CONTAINERS`…). */
  exempt?: readonly Exemption[];
  /**
   * Ids of the rule's `meta.messages`. Each is given `{{container}}` (the container's description)
   * and, when the field is set, `{{value}}` (as written).
   */
  messages: {
    /** A container sets a wrong value. */
    wrongValue: M;
    /** A container leaves the field unset: required for `mustBe` without `unsetIsFine`. */
    unset?: M;
    /** The pod sets a wrong default: required with `podDefault`. */
    pod?: M;
  };
  /**
   * The fix of a container's finding (a pod-level finding has none): `set` writes `mustBe`;
   * `remove` takes a `mustNotBe` pair out, or sets the other boolean where it cannot go cleanly.
   */
  fix?: { title: string; edit: 'set' | 'remove'; changesBehaviour?: BehaviourChange };
  /**
   * Containers whose fix the API server would reject (`allowPrivilegeEscalation: false` next to
   * an added `CAP_SYS_ADMIN`): their finding gives this message instead, and no fix.
   */
  fixBlocked?: { container: (container: ContainerView) => boolean; cel: string; messageId: M };
}

/** Who a rule leaves alone, said in the model and in CEL (the parity test holds them equal). */
export interface Exemption {
  /** `cel` undefined: the exemption does not apply under that profile. */
  pod?: { holds: (pod: PodSpecView, profile: Profile) => boolean; cel: (profile: Profile) => string | undefined };
  /** `cel` judges a container entry `e` of `variables.containers`. */
  container?: { holds: (container: ContainerView) => boolean; cel: string };
}

/** Windows pods (`spec.os.name: windows`): PSA exempts them from the Linux-only controls. */
export const WINDOWS_PODS: Exemption = { pod: { holds: isWindowsPod, cel: () => POD_CEL.isWindows } };

/** Privileged containers: privileged-container reports them once for every control they switch off. */
export const PRIVILEGED_CONTAINERS: Exemption = { container: { holds: isPrivileged, cel: privilegedCel('e') } };

/** Pods in a user namespace (`hostUsers: false`), which the baseline profile relaxes (PSA 1.35); restricted does not. */
export const USER_NAMESPACED_PODS_IN_BASELINE: Exemption = {
  pod: {
    holds: (pod, profile) => profile === 'baseline' && usesUserNamespace(pod),
    cel: (profile) => (profile === 'baseline' ? POD_CEL.usesUserNamespace : undefined),
  },
};

/** The rule's `check` and its `meta.admission`, from the field and the rule's message templates. */
export function containerFieldRule<M extends string>(spec: ContainerField<M>, templates: Readonly<Record<M, string>>): { check: Rule<RuleOptions, M>['check']; admission: AdmissionCheck } {
  const { field, messages } = spec;
  if (reportsUnset(spec) && !messages.unset) throw new Error(`containerFieldRule ${field.join('.')}: an unset field is reported, so messages.unset is needed`);
  if (spec.podDefault && !messages.pod) throw new Error(`containerFieldRule ${field.join('.')}: a pod-level default is reported, so messages.pod is needed`);
  return {
    check: (resource, { profile, report }) => checkPod(spec, resource.podSpec, profile, report),
    admission: { subject: 'pod', validations: (profile) => admissionChecks(spec, templates, profile) },
  };
}

function checkPod<M extends string>(spec: ContainerField<M>, pod: PodSpecView | undefined, profile: Profile, report: (descriptor: ReportDescriptor<M>) => void): void {
  if (!pod || spec.exempt?.some((e) => e.pod?.holds(pod, profile))) return;
  const podValue = spec.podDefault ? valueIn(spec.field, pod.securityContext) : undefined;
  if (isSet(podValue) && isWrong(spec, podValue)) report({ node: podValue, messageId: spec.messages.pod!, data: { value: written(spec, podValue) } });
  for (const container of pod.containers) {
    if (spec.exempt?.some((e) => e.container?.holds(container))) continue;
    const own = valueIn(spec.field, container.securityContext);
    if (isSet(own) ? !isWrong(spec, own) : isSet(podValue) || !reportsUnset(spec)) continue;
    const blocked = spec.fixBlocked?.container(container) === true;
    report({
      node: own ?? containerAnchor(container),
      target: containerTarget(container),
      messageId: blocked ? spec.fixBlocked!.messageId : isSet(own) ? spec.messages.wrongValue : spec.messages.unset!,
      data: { container: describeContainer(container), ...(isSet(own) ? { value: written(spec, own) } : {}) },
      fixes: blocked || !spec.fix ? [] : [fixOf(spec, spec.fix, container)],
    });
  }
}

/** The field's scalar in a securityContext; undefined when a level of the path is missing or not a map. */
function valueIn(field: readonly string[], context: MapView | undefined): Scalar | undefined {
  return parentOf(field, context)?.scalar(field[field.length - 1]);
}

function parentOf(field: readonly string[], context: MapView | undefined): MapView | undefined {
  return field.slice(0, -1).reduce<MapView | undefined>((map, key) => map?.map(key), context);
}

/** Set to something: an empty value (`key:`) is unset for the API server. */
function isSet(value: Scalar | undefined): value is Scalar {
  return value !== undefined && value.value !== null;
}

function reportsUnset(spec: ContainerField<string>): boolean {
  return 'mustBe' in spec.expect && !spec.expect.unsetIsFine;
}

function isWrong(spec: ContainerField<string>, value: Scalar): boolean {
  return 'mustBe' in spec.expect ? value.value !== spec.expect.mustBe : value.value === spec.expect.mustNotBe;
}

/** A string where a boolean belongs keeps its quotes: `"false"` is not false. */
function written(spec: ContainerField<string>, value: Scalar): string {
  return typeof value.value === 'string' && expectsBoolean(spec) ? JSON.stringify(value.value) : String(value.value);
}

function expectsBoolean(spec: ContainerField<string>): boolean {
  return typeof ('mustBe' in spec.expect ? spec.expect.mustBe : spec.expect.mustNotBe) === 'boolean';
}

function fixOf(spec: ContainerField<string>, fix: NonNullable<ContainerField<string>['fix']>, container: ContainerView): FixSpec {
  const changes = fix.changesBehaviour ? { changesBehaviour: fix.changesBehaviour } : {};
  const key = spec.field[spec.field.length - 1];
  const parent = parentOf(spec.field, container.securityContext);
  // A reported `mustNotBe` value is there, and so is the map that holds it.
  if (fix.edit === 'remove' && parent && 'mustNotBe' in spec.expect) {
    return { title: fix.title, edits: [removePair(parent, key) ?? setPath(parent, [key], String(!spec.expect.mustNotBe))[0]], ...changes };
  }
  const value = 'mustBe' in spec.expect ? spec.expect.mustBe : !spec.expect.mustNotBe;
  return { title: fix.title, edits: setPath(container.map, ['securityContext', ...spec.field], String(value)), ...changes };
}

/** The same decisions in CEL: one validation for the pod's default, one for the containers. */
function admissionChecks<M extends string>(spec: ContainerField<M>, templates: Readonly<Record<M, string>>, profile: Profile): AdmissionValidation[] {
  const podSC = 'variables.podSecurityContext';
  const podGuards = (spec.exempt ?? []).flatMap((e) => {
    const cel = e.pod?.cel(profile);
    return cel === undefined ? [] : [`!(${cel})`];
  });
  const containerGuards = (spec.exempt ?? []).flatMap((e) => (e.container ? [`!${e.container.cel}`] : []));
  const has = (root: string) => hasPath(root, spec.field);
  const path = (root: string) => [root, ...spec.field].join('.');
  const literal = celLiteral('mustBe' in spec.expect ? spec.expect.mustBe : spec.expect.mustNotBe);
  const wrong = (root: string) => `${path(root)} ${'mustBe' in spec.expect ? '!=' : '=='} ${literal}`;
  const value = (root: string) => (expectsBoolean(spec) ? `(type(${path(root)}) == string ? "\\"" + ${path(root)} + "\\"" : string(${path(root)}))` : `string(${path(root)})`);

  const validations: AdmissionValidation[] = [];
  if (spec.podDefault) {
    validations.push({
      expression: `!(${[...podGuards, has(podSC), wrong(podSC)].join(' && ')})`,
      messageExpression: celTemplate(templates[spec.messages.pod!], { value: value(podSC) }),
    });
  }
  // With a pod-level default, a container without its own value is the pod's to answer for.
  const violation = !reportsUnset(spec)
    ? `${has('e.sc')} && ${wrong('e.sc')}`
    : spec.podDefault
      ? `(${has('e.sc')} ? ${wrong('e.sc')} : !(${has(podSC)}))`
      : `!(${has('e.sc')} && ${path('e.sc')} == ${literal})`;
  const entry = { container: 'e.label' };
  const wrongMessage = celTemplate(templates[spec.messages.wrongValue], { ...entry, value: value('e.sc') });
  let message = reportsUnset(spec) ? `(${has('e.sc')} ? ${wrongMessage} : ${celTemplate(templates[spec.messages.unset!], entry)})` : wrongMessage;
  if (spec.fixBlocked) message = `(${spec.fixBlocked.cel} ? ${celTemplate(templates[spec.fixBlocked.messageId], entry)} : ${message})`;
  validations.push(containerDenial([...podGuards, ...containerGuards, violation].join(' && '), message));
  return validations;
}

function celLiteral(value: boolean | string): string {
  return typeof value === 'string' ? celString(value) : String(value);
}
