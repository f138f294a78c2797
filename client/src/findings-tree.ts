import * as vscode from 'vscode';
import type { AuditItem, AuditResult } from '../../server/src/protocol/protocol';

export type Grouping = 'principle' | 'namespace' | 'file';

interface Group {
  kind: 'group';
  label: string;
  description: string;
  /** The highest severity among its active findings; none when all are suppressed (or it is the Not checked group). */
  severity?: AuditItem['severity'];
  /** Set when the group is a file: it opens the file. */
  uri?: string;
  children: TreeNode[];
}

interface Leaf {
  kind: 'finding';
  item: AuditItem;
}

/** A file the audit could not check: shown, never silently left out. */
interface NotChecked {
  kind: 'not-checked';
  uri: string;
  reason: string;
}

type TreeNode = Group | Leaf | NotChecked;

const SEVERITY_ICON = { error: 'error', warning: 'warning', info: 'info' } as const;

/**
 * The "Zero Trust" view: the last audit grouped by principle → rule → resource, by namespace →
 * resource, or by folder → file → finding; group rows carry the icon of their worst severity; a
 * finding opens its file at the exact range.
 */
export class FindingsTree implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private result: AuditResult | undefined;
  grouping: Grouping = 'principle';

  show(result: AuditResult): void {
    this.result = result;
    this.changed.fire();
  }

  groupBy(grouping: Grouping): void {
    this.grouping = grouping;
    void vscode.commands.executeCommand('setContext', 'kubeZeroTrust.grouping', grouping);
    this.changed.fire();
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (node) return node.kind === 'group' ? node.children : [];
    if (!this.result) return [];
    const items = [...this.result.items].sort((a, b) => rank(a) - rank(b));
    const groups =
      this.grouping === 'principle'
        ? group(items, (i) => i.principle, (byPrinciple) => group(byPrinciple, (i) => i.ruleId, (byRule) => group(byRule, resourceLabel, leaves)))
        : this.grouping === 'namespace'
          ? group(items, (i) => (i.resource ? i.resource.namespace ?? this.result!.defaultNamespace ?? 'default' : '(not a resource)'), (byNamespace) => group(byNamespace, resourceLabel, leaves))
          : group(sortByPlace(items), folderOf, (byFolder) => group(byFolder, (i) => i.uri, leaves, fileName));
    const notChecked = this.result.notChecked.map((f): NotChecked => ({ kind: 'not-checked', ...f }));
    return notChecked.length ? [{ kind: 'group', label: 'Not checked', description: `${notChecked.length}`, children: notChecked }, ...groups] : groups;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
      item.description = node.description;
      item.iconPath = new vscode.ThemeIcon(node.severity ? SEVERITY_ICON[node.severity] : node.label === 'Not checked' ? 'warning' : 'pass');
      if (node.uri) item.resourceUri = vscode.Uri.parse(node.uri);
      return item;
    }
    if (node.kind === 'not-checked') {
      const uri = vscode.Uri.parse(node.uri);
      const item = new vscode.TreeItem(vscode.workspace.asRelativePath(uri), vscode.TreeItemCollapsibleState.None);
      item.description = node.reason;
      item.tooltip = node.reason;
      item.iconPath = new vscode.ThemeIcon('warning');
      return item;
    }
    const { item: finding } = node;
    const uri = vscode.Uri.parse(finding.uri);
    const item = new vscode.TreeItem(finding.message, vscode.TreeItemCollapsibleState.None);
    // The suppression comes first: descriptions are cut at the sidebar's width.
    const suppressed = finding.suppressed ? `suppressed (${finding.suppressed.by}${finding.suppressed.reason ? `: ${finding.suppressed.reason}` : ''})` : '';
    item.description = [suppressed, finding.ruleId, `${vscode.workspace.asRelativePath(uri)}:${finding.range.start.line + 1}`].filter(Boolean).join(' · ');
    // The message and the reason quote the workspace's names: appended as text, never as Markdown.
    const tooltip = new vscode.MarkdownString(`**${finding.ruleId}** (${finding.severity})\n\n`).appendText(finding.message);
    item.tooltip = suppressed ? tooltip.appendMarkdown('\n\n').appendText(suppressed) : tooltip;
    item.iconPath = new vscode.ThemeIcon(finding.suppressed ? 'pass' : SEVERITY_ICON[finding.severity]);
    const range = new vscode.Range(finding.range.start.line, finding.range.start.character, finding.range.end.line, finding.range.end.character);
    item.command = { title: 'Reveal', command: 'vscode.open', arguments: [uri, { selection: range }] };
    return item;
  }
}

function rank(item: AuditItem): number {
  return (item.suppressed ? 10 : 0) + { error: 0, warning: 1, info: 2 }[item.severity];
}

function resourceLabel(item: AuditItem): string {
  return item.resource ? `${item.resource.kind}/${item.resource.name}` : vscode.workspace.asRelativePath(vscode.Uri.parse(item.uri));
}

function leaves(items: AuditItem[]): TreeNode[] {
  return items.map((item) => ({ kind: 'finding', item }));
}

/** Groups by `key`; `label` names a group from its key (a file group keeps its URI to open it). */
function group(items: AuditItem[], key: (item: AuditItem) => string, children: (items: AuditItem[]) => TreeNode[], label?: (key: string) => string): TreeNode[] {
  const groups = new Map<string, AuditItem[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups].map(([name, members]) => {
    const active = members.filter((m) => !m.suppressed);
    const severity = (['error', 'warning', 'info'] as const).find((s) => active.some((m) => m.severity === s));
    return {
      kind: 'group',
      label: label ? label(name) : name,
      description: `${active.length} finding${active.length === 1 ? '' : 's'}${active.length < members.length ? `, ${members.length - active.length} suppressed` : ''}`,
      ...(severity ? { severity } : {}),
      ...(label ? { uri: name } : {}),
      children: children(members),
    };
  });
}

/** By folder, then file, then position: the "by file" grouping reads like the Explorer. */
function sortByPlace(items: AuditItem[]): AuditItem[] {
  return [...items].sort((a, b) => a.uri.localeCompare(b.uri) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function folderOf(item: AuditItem): string {
  const path = vscode.workspace.asRelativePath(vscode.Uri.parse(item.uri));
  return path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.';
}

function fileName(uri: string): string {
  const path = vscode.workspace.asRelativePath(vscode.Uri.parse(uri));
  return path.slice(path.lastIndexOf('/') + 1);
}
