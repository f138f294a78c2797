import type { WorkspaceView } from '../../workspace/snapshot';
import { describeRole } from './describe';
import { bindingLabel, rbacGraph, roleLabel, subjectLabel, type Grant, type RbacGraph, type RoleNode, type SourcedRule } from './graph';
import type { PolicyRule } from './policy-rule';
import { escapeMarkdown as text, markdownCode } from '../../report/escape';

/**
 * Markdown tables for hovers: what an identity can do, and who holds a role. Every name, namespace,
 * kind and rule entry comes from the workspace and is written through `text` (escaped inline
 * Markdown, `|` included) or `code` (a code span safe in a cell): it renders as exactly that text
 * and cannot add a cell.
 */

const MAX_ROWS = 25;

/** Verbs × resources, one row per rule, with where it applies and the binding it comes from. */
export function permissionsTable(grants: readonly Grant[]): string {
  const rows: string[] = [];
  let total = 0;
  for (const grant of grants) {
    const where = grant.namespace === undefined ? 'cluster-wide' : `namespace ${text(grant.namespace)}`;
    const via = grant.subject.kind === 'Group' ? ` (group ${text(grant.subject.name)})` : '';
    const from = `${text(bindingLabel(grant.binding))}${via} → ${describeRole(grant.role, grant.binding.roleRef, text)}`;
    const entries: Array<[string, string]> = grant.rules.map((r) => [verbsCell(r.rule), `${targetsCell(r.rule)}${aggregatedFrom(r, grant.role)}`]);
    if (!grant.role) entries.push(['—', 'the role is defined nowhere: grants nothing']);
    else if (grant.role.unknown) entries.push(['?', 'built-in role not known here']);
    else if (grant.rules.length === 0) entries.push(['—', 'no rules']);
    for (const [verbs, targets] of entries) {
      total++;
      if (rows.length < MAX_ROWS) rows.push(row([verbs, targets, where, from]));
    }
  }
  const more = total > rows.length ? `\n\n… and ${total - rows.length} more rules` : '';
  return `${row(['Verbs', 'Resources', 'Where', 'Granted by'])}\n${row(['---', '---', '---', '---'])}\n${rows.join('\n')}${more}`;
}

/** Subjects × bindings of a role, including bindings of aggregated ClusterRoles that collect its rules. */
export function holdersTable(role: RoleNode, workspace: WorkspaceView): string | undefined {
  const graph = rbacGraph(workspace);
  const rows: string[] = [];
  const add = (target: RoleNode, through: string) => {
    for (const binding of graph.bindingsOf(target)) {
      const where = binding.namespace === undefined ? 'cluster-wide' : `namespace ${text(binding.namespace)}`;
      const subjects = binding.subjects.length ? binding.subjects.map((s) => text(subjectLabel(s))).join(', ') : '(no subjects)';
      rows.push(row([subjects, `${text(bindingLabel(binding))}${through}`, where]));
    }
  };
  add(role, '');
  for (const aggregate of graph.aggregatedInto(role)) add(aggregate, ` (through aggregated ${text(roleLabel(aggregate))})`);
  if (rows.length === 0) return undefined;
  return `${row(['Subjects', 'Binding', 'Where'])}\n${row(['---', '---', '---'])}\n${rows.slice(0, MAX_ROWS).join('\n')}${rows.length > MAX_ROWS ? `\n\n… and ${rows.length - MAX_ROWS} more bindings` : ''}`;
}

/** The ClusterRoles an aggregated role collects, as Markdown. */
export function aggregatedSources(role: RoleNode, graph: RbacGraph): string[] {
  return [...new Set(graph.rulesOf(role).map((r) => r.source))].map((source) => describeRole(source, source, text));
}

function aggregatedFrom(rule: SourcedRule, role: RoleNode | undefined): string {
  return role && rule.source !== role ? ` (from ${text(roleLabel(rule.source))})` : '';
}

function verbsCell(rule: PolicyRule): string {
  return code(rule.verbs.join(', '));
}

function targetsCell(rule: PolicyRule): string {
  if (rule.resources.length === 0) return `URLs ${code(rule.nonResourceURLs.join(', '))}`;
  const groups = code(rule.apiGroups.map((g) => (g === '' ? 'core' : g)).join(', '));
  const names = rule.resourceNames.length ? ` named ${code(rule.resourceNames.join(', '))}` : '';
  return `${code(rule.resources.join(', '))} (${groups})${names}`;
}

function code(value: string): string {
  return value ? markdownCode(value) : '—';
}

/** A table row of cells already written for a table: their `|` are escaped, escaping again would unescape them. */
function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}
