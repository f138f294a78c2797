import type { Document } from 'yaml';
import type { Resource } from '../model/resource';
import type { Workspace, WorkspaceView } from '../workspace/workspace';
import { crossState } from './cross-state';
import { isCrossResource, type Profile, type Report, type Rule } from './rule';

/**
 * Per-document results of rules, so a keystroke re-checks only the edited YAML document.
 * Reports point at nodes of the document and their fixes are in its own offsets, so they
 * stay valid wherever the document moves in its file; the linter shifts them by the
 * document's current base. Keys: the rule, the profile and default namespace it ran with,
 * and for cross-resource rules the workspace and its cross-resource state (`cross-state.ts`).
 */
export interface Outcome {
  reports: readonly Report[];
  /** The rule threw (its stack); it had no reports. */
  error?: string;
}

/**
 * A document's outcomes by rule id: of local rules per profile and default namespace, of
 * cross-resource rules for the last few states of at most two workspaces (a fork for fix-all
 * shares documents with its parent: a new fork evicts the last fork, never the parent).
 */
interface DocOutcomes {
  local: Map<string, Map<string, Outcome>>;
  /** By workspace id, then the most recently used state last. */
  cross: Map<number, CrossOutcomes[]>;
}

interface CrossOutcomes {
  readonly key: string;
  readonly byRule: Map<string, Outcome>;
}

const WORKSPACES_PER_DOC = 2;
/** Enough for the state before an edit to outlive the edit, its undo and another edit. */
const STATES_PER_WORKSPACE = 3;

/** Counters for tests and the benchmark: rule runs and reused results. */
export interface RuleRunStats {
  runs: number;
  reused: number;
}

/**
 * The results of rules by document, owned by one engine: nothing here outlives it or is seen
 * by another engine. A result is found again only under the same keys: the document (by
 * identity, and its List item), the rule, the profile and default namespace, and for rules that read other
 * resources (`RuleMeta.reads`) the workspace and its cross-resource state (`cross-state.ts`).
 */
export class RuleCache {
  readonly stats: RuleRunStats = { runs: 0, reused: 0 };
  /** By document, then by List item (-1: the whole document). */
  private readonly outcomes = new WeakMap<Document, Map<number, DocOutcomes>>();
  /**
   * The keys of the context a lint runs in, built once per workspace state rather than once
   * per rule and resource (a lint of Argo CD's install.yaml asks about 3,000 times).
   */
  private readonly contexts = new WeakMap<Workspace, ContextKeys>();

  run(rule: Rule, resource: Resource, workspace: Workspace, profile: Profile): Outcome {
    const id = rule.meta.id;
    const cross = isCrossResource(rule.meta);
    const { local, crossKey } = this.contextKeys(workspace, profile);
    let byItem = this.outcomes.get(resource.parsed.doc);
    let entry = byItem?.get(resource.item ?? -1);
    const crossOutcomes = cross && entry ? recentCrossOutcomes(entry, workspace.id, crossKey) : undefined;
    const cached = cross ? crossOutcomes?.byRule.get(id) : entry?.local.get(local)?.get(id);
    if (cached) {
      this.stats.reused++;
      return cached;
    }
    this.stats.runs++;
    const reports: Report[] = [];
    let outcome: Outcome;
    try {
      rule.check(resource, { profile, workspace: cross ? workspace : new OwnResourceOnly(workspace, id), report: (r) => reports.push(r) });
      outcome = { reports };
    } catch (error) {
      outcome = { reports: [], error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    if (!byItem) this.outcomes.set(resource.parsed.doc, (byItem = new Map()));
    if (!entry) byItem.set(resource.item ?? -1, (entry = { local: new Map(), cross: new Map() }));
    if (cross) {
      if (crossOutcomes) crossOutcomes.byRule.set(id, outcome);
      else addCrossOutcomes(entry, workspace.id, { key: crossKey, byRule: new Map([[id, outcome]]) });
    } else {
      let byRule = entry.local.get(local);
      if (!byRule) entry.local.set(local, (byRule = new Map()));
      byRule.set(id, outcome);
    }
    return outcome;
  }

  private contextKeys(workspace: Workspace, profile: Profile): ContextKeys {
    const last = this.contexts.get(workspace);
    if (last && last.profile === profile && last.namespace === workspace.defaultNamespace && last.epoch === workspace.crossEpoch) return last;
    const local = `${profile}\0${workspace.defaultNamespace}`;
    const keys = { profile, namespace: workspace.defaultNamespace, epoch: workspace.crossEpoch, local, crossKey: `${local}\0${crossState(workspace)}` };
    this.contexts.set(workspace, keys);
    return keys;
  }
}

/**
 * The workspace as a rule that declares no reads sees it: its default namespace only. Its
 * results are kept per document, so a query of other resources would give stale results:
 * it fails instead, naming the rule (the rule must declare what it reads).
 */
class OwnResourceOnly implements WorkspaceView {
  constructor(private readonly workspace: Workspace, private readonly ruleId: string) {}
  get defaultNamespace(): string {
    return this.workspace.defaultNamespace;
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
function recentCrossOutcomes(entry: DocOutcomes, workspaceId: number, key: string): CrossOutcomes | undefined {
  const states = entry.cross.get(workspaceId);
  if (!states) return undefined;
  const last = states[states.length - 1];
  if (last.key === key) return last;
  const at = states.findIndex((s) => s.key === key);
  if (at < 0) return undefined;
  const [found] = states.splice(at, 1);
  states.push(found);
  return found;
}

function addCrossOutcomes(entry: DocOutcomes, workspaceId: number, outcomes: CrossOutcomes): void {
  let states = entry.cross.get(workspaceId);
  if (!states) {
    if (entry.cross.size >= WORKSPACES_PER_DOC) entry.cross.delete(Math.max(...entry.cross.keys()));
    entry.cross.set(workspaceId, (states = []));
  }
  states.push(outcomes);
  if (states.length > STATES_PER_WORKSPACE) states.shift();
}

interface ContextKeys {
  readonly profile: Profile;
  readonly namespace: string;
  readonly epoch: number;
  readonly local: string;
  readonly crossKey: string;
}
