import type { Document } from 'yaml';
import type { Resource } from '../model/resource';
import type { Workspace, WorkspaceView } from '../workspace/workspace';
import type { Profile, Report, Rule } from './rule';

/**
 * Per-document results of rules, so a keystroke re-checks only the edited YAML document.
 * Reports point at nodes of the document and their fixes are in its own offsets, so they
 * stay valid wherever the document moves in its file; the linter shifts them by the
 * document's current base. Keys: the rule, the profile and default namespace it ran with,
 * and for cross-resource rules the workspace and its `crossEpoch`.
 */
export interface Outcome {
  reports: readonly Report[];
  /** The rule threw (its stack); it had no reports. */
  error?: string;
}

const outcomes = new WeakMap<Document, Map<string, Outcome>>();

/** Rules not marked `crossResource` that queried the workspace anyway: cached as cross-resource. */
const queriesWorkspace = new Set<string>();

/** Counters for tests and the benchmark. */
export const ruleRunStats = { runs: 0, reused: 0 };

export function runRule(rule: Rule, resource: Resource, workspace: Workspace, profile: Profile): Outcome {
  const id = rule.meta.id;
  const cross = rule.meta.crossResource === true || queriesWorkspace.has(id);
  const key = `${id}\0${profile}\0${workspace.defaultNamespace}${cross ? `\0${workspace.id}:${workspace.crossEpoch}` : ''}`;
  const doc = resource.parsed.doc;
  let byKey = outcomes.get(doc);
  const cached = byKey?.get(key);
  if (cached) {
    ruleRunStats.reused++;
    return cached;
  }
  ruleRunStats.runs++;
  let queried = false;
  const view: WorkspaceView = cross
    ? workspace
    : {
        get defaultNamespace() {
          return workspace.defaultNamespace;
        },
        resources: () => ((queried = true), workspace.resources()),
        ofKind: (kind) => ((queried = true), workspace.ofKind(kind)),
        memo: (memoKey, compute) => ((queried = true), workspace.memo(memoKey, compute)),
      };
  const reports: Report[] = [];
  let outcome: Outcome;
  try {
    rule.check(resource, { profile, workspace: view, report: (r) => reports.push(r) });
    outcome = { reports };
  } catch (error) {
    outcome = { reports: [], error: error instanceof Error ? error.stack ?? error.message : String(error) };
  }
  if (queried) {
    // Not pure after all: never reuse this result, and key the rule's next results by epoch.
    queriesWorkspace.add(id);
    return outcome;
  }
  if (!byKey) outcomes.set(doc, (byKey = new Map()));
  byKey.set(key, outcome);
  return outcome;
}
