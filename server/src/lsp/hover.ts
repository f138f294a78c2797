import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { ruleSummaryMarkdown } from '../engine/rule-docs';
import { nodeAtOffset } from '../model/node-path';
import { HOVER_PROVIDERS } from '../hovers';
import type { Linting } from './linting';

/**
 * A line per rule with findings under the cursor (the editor shows their messages above it),
 * each linking to the rule's whole documentation, then what hover providers explain there.
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
  if (summaries.length) sections.push(summaries.join('\n\n'));
  const resource = file.resources.find((r) => offset >= r.parsed.base + r.span[0] && offset <= r.parsed.base + r.span[1]);
  const at = resource && nodeAtOffset(resource.root.node, offset - resource.parsed.base);
  if (resource && at) {
    for (const provider of HOVER_PROVIDERS) {
      try {
        const text = provider({ resource, at, workspace: linting.engine.workspace });
        if (text) sections.push(text);
      } catch (error) {
        linting.log(`Hover provider failed: ${error instanceof Error ? error.stack : String(error)}`);
      }
    }
  }
  return sections.length ? { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') } } : null;
}
