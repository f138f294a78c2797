import type { HoverContext, HoverProvider } from '../engine/hover';
import { describeRole } from '../analysis/rbac/describe';
import { rbacGraph, serviceAccountIdentity, type RoleKind } from '../analysis/rbac/graph';
import { serviceAccountUse, serviceAccountsNamed, tokenMount } from '../analysis/rbac/service-accounts';
import { aggregatedSources, holdersTable, permissionsTable } from '../analysis/rbac/tables';
import type { PathSegment } from '../model/node-path';
import type { Resource } from '../model/resource';
import { escapeMarkdown } from '../report/escape';

/**
 * Identity hovers: on a ServiceAccount's name or a workload's `serviceAccountName`, what the
 * account can do (verbs × resources and the binding each comes from); on a Role's or
 * ClusterRole's name, who holds it and through which bindings. Names from the workspace are
 * escaped: they render as text, never as Markdown.
 */
export const rbacHover: HoverProvider = (context) => {
  const { resource, at, workspace } = context;
  const field = at.path[at.path.length - 1];
  if (resource.podSpec && (field === 'serviceAccountName' || field === 'serviceAccount') && at.path.includes('spec')) {
    const use = serviceAccountUse(resource, workspace)!;
    const mount = tokenMount(resource.podSpec, serviceAccountsNamed(workspace, use.namespace, use.name));
    return accountHover(context, use.namespace, use.name, `token ${mount.mounted ? 'mounted into these pods' : 'not mounted'}`);
  }
  if (!isNameOrKind(at.path)) return undefined;
  if (resource.kind === 'ServiceAccount') return accountHover(context, resource.effectiveNamespace(workspace.defaultNamespace), resource.name);
  if (resource.kind === 'Role' || resource.kind === 'ClusterRole') return roleHover(context, resource);
  return undefined;
};

function accountHover({ workspace }: HoverContext, namespace: string, name: string, note?: string): string {
  const grants = rbacGraph(workspace).grantsTo(serviceAccountIdentity(namespace, name));
  const title = `**ServiceAccount ${escapeMarkdown(`${namespace}/${name}`)}**${note ? ` (${note})` : ''}`;
  if (grants.length === 0) return `${title}\n\nNo binding in the workspace grants this account anything.`;
  return `${title}: effective permissions\n\n${permissionsTable(grants)}`;
}

function roleHover({ workspace }: HoverContext, obj: Resource): string {
  const graph = rbacGraph(workspace);
  const role = graph.roleNamed(obj.kind as RoleKind, obj.name, obj.kind === 'Role' ? obj.effectiveNamespace(workspace.defaultNamespace) : undefined)!;
  const title = `**${describeRole(role, obj, escapeMarkdown)}**`;
  const sources = role.aggregates ? `\n\nAggregates the rules of: ${aggregatedSources(role, graph).join(', ') || 'no ClusterRole of the workspace'}.` : '';
  const holders = holdersTable(role, workspace);
  return `${title}${sources}\n\n${holders ? `Held through:\n\n${holders}` : 'No binding in the workspace references this role.'}`;
}

function isNameOrKind(path: readonly PathSegment[]): boolean {
  return (path.length === 1 && path[0] === 'kind') || (path.length === 2 && path[0] === 'metadata' && path[1] === 'name');
}
