import type { Document } from 'yaml';
import type { Resource } from '../model/resource';
import type { WorkspaceSnapshot, WorkspaceView } from '../workspace/snapshot';
import type { LintContext } from '../workspace/units';
import { isCrossResource, resolveReport, type Profile, type ResolvedReport, type Rule, type RuleOptions } from './rule';

/**
 * Per-document results of rules, so a keystroke re-checks only the edited YAML document.
 * Reports point at nodes of the document and their fixes are in its own offsets, so they
 * stay valid wherever the document moves in its file; the linter shifts them by the
 * document's current base. Keys: the rule, the profile, `requireNamespace`, default namespace and kinds with a pod template it ran with,
 * and for cross-resource rules the snapshot's lineage and cross-resource state (`workspace/cross-state.ts`).
 */
export interface Outcome {
  reports: readonly ResolvedReport[];
  /** The rule threw (its stack); it had no reports. */
  error?: string;
}

/**
 * A document's outcomes by rule id: of local rules per profile and default namespace, of
 * cross-resource rules for the last few states of a few lineages (a fork for fix-all
 * shares documents with its parent: a new fork evicts the last fork, never the parent).
 */
interface DocOutcomes {
  local: Map<string, Map<string, Outcome>>;
  /** By lineage and unit (`scope`), then the most recently used state last. */
  cross: Map<string, CrossOutcomes[]>;
}

interface CrossOutcomes {
  readonly key: string;
  readonly byRule: Map<string, Outcome>;
}

/** A workspace and a fork of it for fix-all, each in up to a few units (the overlays that build the document). */
const SCOPES_PER_DOC = 8;
/** Enough for the state before an edit to outlive the edit, its undo and another edit. */
const STATES_PER_WORKSPACE = 3;

/** A rule's options and the key its results are kept under. */
export interface OptionsRun {
  options: RuleOptions;
  /** Empty for a rule without options: its results do not depend on them. */
  key: string;
}

/** Counters for tests and the benchmark: rule runs and reused results. */
export interface RuleRunStats {
  runs: number;
  reused: number;
}

/**
 * The results of rules by document, owned by one engine: nothing here outlives it or is seen
 * by another engine. A result is found again only under the same keys: the document (by
 * identity, and its List item), the rule and its options, the profile and default namespace, and for rules that read other
 * resources (`RuleMeta.reads`) the snapshot's lineage and cross-resource state (`workspace/cross-state.ts`).
 */
export class RuleCache {
  readonly stats: RuleRunStats = { runs: 0, reused: 0 };
  /** By document, then by List item (-1: the whole document). */
  private readonly outcomes = new WeakMap<Document, Map<number, DocOutcomes>>();
  /**
   * The keys of the context a lint runs in, built once per unit of a snapshot rather than once
   * per rule and resource (a lint of Argo CD's install.yaml asks about 3,000 times).
   */
  private readonly contexts = new WeakMap<WorkspaceView, ContextKeys>();

  /**
   * The outcome of `rule` on `resource` (as `context` places it) in `context`'s unit of
   * `snapshot`: cross-resource rules see that unit's resources.
   */
  run(rule: Rule, resource: Resource, snapshot: WorkspaceSnapshot, context: LintContext, profile: Profile, options: OptionsRun, requireNamespace: boolean): Outcome {
    // Results under other options are other results.
    const id = options.key ? `${rule.meta.id}\0${options.key}` : rule.meta.id;
    const cross = isCrossResource(rule.meta);
    const keys = this.contextKeys(snapshot, context, profile, requireNamespace);
    const local = resource.placement ? `${keys.local}\0${resource.placement.key}` : keys.local;
    let byItem = this.outcomes.get(resource.parsed.doc);
    let entry = byItem?.get(resource.item ?? -1);
    const crossOutcomes = cross && entry ? recentCrossOutcomes(entry, keys.scope, keys.crossKey) : undefined;
    const cached = cross ? crossOutcomes?.byRule.get(id) : entry?.local.get(local)?.get(id);
    if (cached && !reachesChangedDocument(cached, snapshot)) {
      this.stats.reused++;
      return cached;
    }
    this.stats.runs++;
    const reports: ResolvedReport[] = [];
    let outcome: Outcome;
    try {
      const workspaceView = cross ? context.view : new OwnResourceOnly(context.view, rule.meta.id);
      rule.check(resource, { profile, options: options.options, requireNamespace, workspace: workspaceView, report: (r) => reports.push(resolveReport(rule.meta, r)) });
      outcome = { reports };
    } catch (error) {
      outcome = { reports: [], error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    if (!byItem) this.outcomes.set(resource.parsed.doc, (byItem = new Map()));
    if (!entry) byItem.set(resource.item ?? -1, (entry = { local: new Map(), cross: new Map() }));
    if (cross) {
      if (crossOutcomes) crossOutcomes.byRule.set(id, outcome);
      else addCrossOutcomes(entry, keys.scope, { key: keys.crossKey, byRule: new Map([[id, outcome]]) });
    } else {
      let byRule = entry.local.get(local);
      if (!byRule) entry.local.set(local, (byRule = new Map()));
      byRule.set(id, outcome);
    }
    return outcome;
  }

  /**
   * A unit's cross-resource results are keyed by the whole snapshot's cross-resource state: an
   * edit anywhere that other files can see re-runs them (correct whatever the unit holds). A
   * unit's view belongs to one snapshot, so its keys are built once per profile and `requireNamespace`.
   */
  private contextKeys(snapshot: WorkspaceSnapshot, context: LintContext, profile: Profile, requireNamespace: boolean): ContextKeys {
    const last = this.contexts.get(context.view);
    if (last?.profile === profile && last.requireNamespace === requireNamespace) return last;
    // Generated NetworkPolicies (fixes, kept with their reports) admit traffic from the ingress controllers' namespaces.
    const namespace = `${snapshot.defaultNamespace}\0${snapshot.ingressControllerNamespaces?.join(',') ?? ''}`;
    const local = `${profile}\0${requireNamespace}\0${namespace}\0${snapshot.podTemplates.key}`;
    const keys = {
      profile,
      requireNamespace,
      local,
      scope: `${snapshot.lineage}\0${context.scope}`,
      crossKey: `${local}\0${snapshot.crossState}`,
    };
    this.contexts.set(context.view, keys);
    return keys;
  }
}

/** Whether a report's fixes edit another document of its file that has changed since (`Report.fixesReach`). */
function reachesChangedDocument(outcome: Outcome, snapshot: WorkspaceSnapshot): boolean {
  return outcome.reports.some((report) =>
    report.fixesReach?.some((target) => !snapshot.getFile(target.uri)?.resources.some((r) => r.parsed.doc === target.parsed.doc)),
  );
}

/**
 * The workspace as a rule that declares no reads sees it: its default namespace only. Its
 * results are kept per document, so a query of other resources would give stale results:
 * it fails instead, naming the rule (the rule must declare what it reads).
 */
class OwnResourceOnly implements WorkspaceView {
  constructor(private readonly workspace: WorkspaceView, private readonly ruleId: string) {}
  get defaultNamespace(): string {
    return this.workspace.defaultNamespace;
  }
  get ingressControllerNamespaces(): readonly string[] | undefined {
    return this.workspace.ingressControllerNamespaces;
  }
  resources(): readonly Resource[] {
    throw this.undeclared();
  }
  ofKind(): readonly Resource[] {
    throw this.undeclared();
  }
  memo<T>(): T {
    throw this.undeclared();
  }
  private undeclared(): Error {
    return new Error(`rule ${this.ruleId} queried the workspace but declares no reads (RuleMeta.reads)`);
  }
}

/** The outcomes for the workspace's state `key`, made the most recently used. */
function recentCrossOutcomes(entry: DocOutcomes, scope: string, key: string): CrossOutcomes | undefined {
  const states = entry.cross.get(scope);
  if (!states) return undefined;
  const last = states[states.length - 1];
  if (last.key === key) return last;
  const at = states.findIndex((s) => s.key === key);
  if (at < 0) return undefined;
  const [found] = states.splice(at, 1);
  states.push(found);
  return found;
}

/** Adds a state's outcomes; a full document evicts a scope of the newest lineage (a fork), never its parent's first. */
function addCrossOutcomes(entry: DocOutcomes, scope: string, outcomes: CrossOutcomes): void {
  let states = entry.cross.get(scope);
  if (!states) {
    if (entry.cross.size >= SCOPES_PER_DOC) {
      const newest = Math.max(...[...entry.cross.keys()].map(lineageOf));
      entry.cross.delete([...entry.cross.keys()].find((key) => lineageOf(key) === newest)!);
    }
    entry.cross.set(scope, (states = []));
  }
  states.push(outcomes);
  if (states.length > STATES_PER_WORKSPACE) states.shift();
}

function lineageOf(scope: string): number {
  return Number(scope.slice(0, scope.indexOf('\0')));
}

interface ContextKeys {
  readonly scope: string;
  readonly profile: Profile;
  readonly requireNamespace: boolean;
  readonly local: string;
  readonly crossKey: string;
}
