import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { ruleSummaryMarkdown } from '../engine/rule-docs';
import { nodeAtOffset } from '../model/node-path';
import { HOVER_PROVIDERS } from '../hovers';
import { escapeMarkdown } from '../report/escape';
import type { Linting } from './linting';

/**
 * One line linking each rule with findings under the cursor (the editor shows their messages
 * and rule ids above it) to the rule's whole documentation, then what hover providers explain there.
 */
export function hover(linting: Linting, uri: string, position: Position): Hover | null {
  const file = linting.engine.workspace.getFile(uri);
  if (!file) return null;
  const offset = file.parsed.lines.offsetAt(position);
  const sections: string[] = [];
  const summaries: string[] = [];
  const seen = new Set<string>();
  for (const finding of linting.result(uri).findings) {
    if (offset < finding.start || offset > finding.end || seen.has(finding.ruleId)) continue;
    seen.add(finding.ruleId);
    const rule = linting.engine.rules.find((r) => r.meta.id === finding.ruleId);
    if (rule) summaries.push(ruleSummaryMarkdown(rule.meta));
  }
  // One line for all of them: the messages above are the long part of a hover over several findings.
  if (summaries.length) sections.push(`Documentation: ${summaries.join(' · ')}`);
  const resource = file.resources.find((r) => offset >= r.parsed.base + r.span[0] && offset <= r.parsed.base + r.span[1]);
  const at = resource && nodeAtOffset(resource.root.node, offset - resource.parsed.base);
  if (resource && at) {
    // As each overlay that builds the file sees it; said once when they all see the same.
    const workspace = linting.engine.workspace;
    // A patch file is in no build: its fields are still explained, against the whole workspace.
    const built = workspace.contextsOf(uri);
    const contexts = built.length ? built : [{ label: undefined, view: workspace, place: (r: typeof resource) => r }];
    const explained = contexts.map((context) => {
      const texts: string[] = [];
      for (const provider of HOVER_PROVIDERS) {
        try {
          const text = provider({ resource: context.place(resource), at, workspace: context.view });
          if (text) texts.push(text);
        } catch (error) {
          linting.log(`Hover provider failed: ${error instanceof Error ? error.stack : String(error)}`);
        }
      }
      return { label: context.label, text: texts.join('\n\n---\n\n') };
    });
    const distinct = new Set(explained.map((e) => e.text));
    if (distinct.size === 1) {
      if (explained[0].text) sections.push(explained[0].text);
    } else for (const { label, text } of explained) if (text) sections.push(`**In ${escapeMarkdown(label ?? '')}**\n\n${text}`);
  }
  return sections.length ? { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') } } : null;
}
