import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RULE_DOCUMENTATION_REQUEST } from '../../server/src/protocol/protocol';

export const DOCS_SCHEME = 'kube-zero-trust-docs';

/**
 * Diagnostic codes link to the rule's documentation inside the editor (works offline)
 * instead of the web page the server and CLI reports point to.
 */
export function linkCodesToLocalDocs(uri: vscode.Uri, diagnostics: vscode.Diagnostic[], next: (uri: vscode.Uri, diagnostics: vscode.Diagnostic[]) => void): void {
  for (const diagnostic of diagnostics) {
    // Only rule findings carry a documentation link (YAML and config errors have none).
    if (typeof diagnostic.code !== 'object' || typeof diagnostic.code.value !== 'string') continue;
    const code = diagnostic.code.value;
    diagnostic.code = { value: code, target: vscode.Uri.parse(`command:kubeZeroTrust.showRuleDocumentation?${encodeURIComponent(JSON.stringify([code]))}`) };
  }
  next(uri, diagnostics);
}

/** Serves `kube-zero-trust-docs:/<rule>.md` from the server's rule metadata. */
export class RuleDocsProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly client: LanguageClient) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    const markdown = await this.client.sendRequest<string | null>(RULE_DOCUMENTATION_REQUEST, id);
    return markdown ?? `# ${id}\n\nNo rule with this id.`;
  }
}

export function ruleDocsUri(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DOCS_SCHEME, path: `/${id}.md` });
}
