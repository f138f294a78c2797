// Drives the bundled language server (dist/server.js) over real LSP stdio, as an editor does.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');

/** The last `publishDiagnostics` of a document: the version it names (if any) and how many came so far. */
export interface Publication {
  version: number | undefined;
  diagnostics: Diagnostic[];
  /** Publications for this URI so far, this one included. */
  count: number;
}

export class LspHarness {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly publications = new Map<string, Publication>();
  settings: Record<string, unknown> = {};
  private waiters: Array<() => void> = [];

  private constructor(readonly process: ChildProcess, readonly connection: MessageConnection) {}

  static async start(workspaceFolder?: string, settings: Record<string, unknown> = {}, initializationOptions?: Record<string, unknown>): Promise<LspHarness> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    // A late message from the server must not write into a pipe that closed with it.
    child.stdin!.on('error', () => undefined);
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const harness = new LspHarness(child, connection);
    harness.settings = settings;
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      harness.diagnostics.set(params.uri, params.diagnostics);
      const count = (harness.publications.get(params.uri)?.count ?? 0) + 1;
      harness.publications.set(params.uri, { version: params.version, diagnostics: params.diagnostics, count });
      harness.waiters.splice(0).forEach((wake) => wake());
    });
    connection.onRequest('workspace/configuration', (params: { items: Array<{ section?: string }> }) =>
      params.items.map((item) => (item.section === 'kubeZeroTrust' ? harness.settings : null)),
    );
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onNotification('window/logMessage', () => undefined);
    connection.onNotification('$/progress', () => undefined);
    connection.listen();
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceEdit: { documentChanges: true, changeAnnotationSupport: { groupsOnLabel: true } } }, window: { workDoneProgress: true } },
      workspaceFolders: workspaceFolder ? [{ uri: `file://${workspaceFolder}`, name: 'ws' }] : null,
      ...(initializationOptions ? { initializationOptions } : {}),
    });
    connection.sendNotification('initialized', {});
    return harness;
  }

  open(uri: string, text: string, version = 1): void {
    this.diagnostics.delete(uri);
    this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  }

  /** Replaces a range (incremental sync, as editors send keystrokes). */
  edit(uri: string, version: number, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): void {
    this.diagnostics.delete(uri);
    this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  /** Replaces the whole text (full sync). */
  change(uri: string, version: number, text: string): void {
    this.diagnostics.delete(uri);
    this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** How many diagnostics publications `uri` has had: pass it as `after` to wait for a later one. */
  publicationCount(uri: string): number {
    return this.publications.get(uri)?.count ?? 0;
  }

  /**
   * Resolves with the diagnostics the server published for `version` of the document (as sent
   * with didOpen/didChange), never those of an earlier version still in flight. `after`: only a
   * publication later than that count (a re-check of the same version, e.g. after a settings
   * change); `accept`: only diagnostics it accepts (a later re-check of the version may differ,
   * e.g. a provisional syntax error replaced by the exact one).
   */
  async diagnosticsFor(
    uri: string,
    version: number,
    options: { after?: number; accept?: (d: Diagnostic[]) => boolean; timeoutMs?: number } = {},
  ): Promise<Diagnostic[]> {
    const { after = 0, accept = () => true, timeoutMs = 10000 } = options;
    const matches = (p: Publication | undefined): boolean => p !== undefined && p.version === version && p.count > after && accept(p.diagnostics);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = this.publications.get(uri);
      if (current && matches(current)) return current.diagnostics;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no diagnostics for version ${version} of ${uri}${after ? ` after publication ${after}` : ''}; last: version ${current?.version}, publication ${current?.count}, ${JSON.stringify(current?.diagnostics.map((d) => d.code))}`);
      }
      await this.wake(left);
    }
  }

  /** Resolves when diagnostics for `uri` satisfy `accept` (rejects after `timeoutMs`). */
  async waitForDiagnostics(uri: string, accept: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 10000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = this.diagnostics.get(uri);
      if (current && accept(current)) return current;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching diagnostics for ${uri}; last: ${JSON.stringify(current?.map((d) => d.code))}`);
      await this.wake(left);
    }
  }

  /** Resolves at the next publication or after `ms`. */
  private wake(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  notify(method: string, params: unknown): void {
    this.connection.sendNotification(method, params);
  }

  /** Shuts the server down as an editor does and waits for it to exit before closing the pipes. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.process.exitCode !== null) resolve();
      else this.process.once('exit', () => resolve());
    });
    await this.connection.sendRequest('shutdown').catch(() => undefined);
    await this.connection.sendNotification('exit').catch(() => undefined);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
    this.connection.dispose();
    this.process.kill();
  }
}
