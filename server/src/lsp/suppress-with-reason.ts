import { TextDocumentEdit, TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { shiftEdit, type OffsetEdit } from '../edits/offset-edit';
import { suppressForResource, suppressLine } from '../edits/suppress';
import type { SuppressionRequest } from '../protocol/protocol';
import type { Linting } from './linting';

export type { SuppressionRequest };

/**
 * The edit for "Suppress <rule> for this resource… / on this line…" once the client asked
 * for a reason; null if the document changed or the finding is gone.
 */
export function suppressionEdit(linting: Linting, document: TextDocument | undefined, request: SuppressionRequest): WorkspaceEdit | null {
  const file = linting.engine.workspace.getFile(request.uri);
  if (!document || !file || document.version !== request.version || file.parsed.text !== document.getText()) return null;
  const finding = linting
    .result(request.uri)
    .findings.find((f) => f.ruleId === request.ruleId && f.range.start.line === request.position.line && f.range.start.character === request.position.character);
  if (!finding) return null;
  let edits: OffsetEdit[];
  if (request.scope === 'line') edits = [suppressLine(file.parsed.text, finding.start, finding.ruleId, request.reason || undefined)];
  else {
    const resource = file.resources.find((r) => r.docIndex === finding.docIndex && r.item === finding.item);
    if (!resource) return null;
    edits = suppressForResource(resource, finding.ruleId, request.reason || undefined).map((e) => shiftEdit(e, resource.parsed.base));
  }
  const lines = file.parsed.lines;
  return {
    documentChanges: [
      TextDocumentEdit.create({ uri: request.uri, version: request.version }, edits.map((e) => TextEdit.replace({ start: lines.positionAt(e.start), end: lines.positionAt(e.end) }, e.text))),
    ],
  };
}
