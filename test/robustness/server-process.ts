// A bare LSP client for the robustness tests: starts a server bundle (dist/server.js or a
// test variant) over stdio with extra node flags (preloads), records every log and window
// message, and notices if the process dies. test/lsp/lsp-harness.ts is the everyday harness;
// this one exists for the process-level options it does not have.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');

export interface StartOptions {
  server?: string;
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  workspaceFolder?: string;
  settings?: Record<string, unknown>;
}

export interface Message {
  type: number;
  message: string;
}

export class ServerProcess {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** The version named by each URI's last publishDiagnostics (undefined: none, e.g. a file read from disk, or cleared). */
  readonly diagnosticsVersions = new Map<string, number | undefined>();
  /** The version of each open document's latest text, as sent with didOpen/didChange. */
  private readonly sentVersions = new Map<string, number>();
  readonly logs: Message[] = [];
  readonly windowMessages: Message[] = [];
  readonly stderr: string[] = [];
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  settings: Record<string, unknown>;
  private waiters: Array<() => void> = [];

  private constructor(readonly process: ChildProcess, readonly connection: MessageConnection, settings: Record<string, unknown>) {
    this.settings = settings;
  }

  static async start(options: StartOptions = {}): Promise<ServerProcess> {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.server ?? SERVER, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    });
    child.stdin!.on('error', () => undefined);
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const server = new ServerProcess(child, connection, options.settings ?? {});
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => server.stderr.push(chunk));
    child.on('exit', (code, signal) => {
      server.exit = { code, signal };
      server.wake();
    });
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      server.diagnostics.set(params.uri, params.diagnostics);
      server.diagnosticsVersions.set(params.uri, params.version);
      server.wake();
    });
    connection.onNotification('window/logMessage', (params: Message) => {
      server.logs.push(params);
      server.wake();
    });
    connection.onNotification('window/showMessage', (params: Message) => {
      server.windowMessages.push(params);
      server.wake();
    });
    connection.onRequest('window/showMessageRequest', (params: Message) => {
      server.windowMessages.push(params);
      server.wake();
      return null;
    });
    connection.onRequest('workspace/configuration', (params: { items: Array<{ section?: string }> }) =>
      params.items.map((item) => (item.section === 'kubeZeroTrust' ? server.settings : null)),
    );
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onNotification('$/progress', () => undefined);
    connection.onError(() => undefined);
    connection.listen();
    const folder = options.workspaceFolder;
    const exited = new Promise<never>((_, reject) => child.once('exit', (code, signal) => reject(new Error(`the server exited during initialize (${code ?? signal}): ${server.stderr.join('').slice(-2000)}`))));
    exited.catch(() => undefined);
    await Promise.race([exited, connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, window: { workDoneProgress: true } },
      workspaceFolders: folder ? [{ uri: `file://${folder}`, name: 'ws' }] : null,
    })]);
    connection.sendNotification('initialized', {});
    return server;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  open(uri: string, text: string, version = 1): void {
    this.diagnostics.delete(uri);
    this.sentVersions.set(uri, version);
    this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  }

  change(uri: string, version: number, changes: unknown[]): void {
    this.diagnostics.delete(uri);
    this.sentVersions.set(uri, version);
    this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  close(uri: string): void {
    this.sentVersions.delete(uri);
    this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Resolves when `ready()` holds; rejects after `timeoutMs` or if the server exits. */
  async until<T>(what: string, ready: () => T | undefined, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = ready();
      if (value !== undefined && value !== false) return value;
      if (this.exit) throw new Error(`server exited (${JSON.stringify(this.exit)}) while waiting for ${what}; stderr: ${this.stderr.join('').slice(-2000)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /**
   * The diagnostics the server published for `version` of an open document: by default the
   * version of the text last sent with didOpen/didChange, so that diagnostics of an earlier
   * version still in flight are never taken for those of the edit. For a URI never opened, any.
   */
  diagnosticsFor(uri: string, timeoutMs?: number, version: number | undefined = this.sentVersions.get(uri)): Promise<Diagnostic[]> {
    const what = version === undefined ? `diagnostics of ${uri}` : `diagnostics of version ${version} of ${uri}`;
    return this.until(what, () => (version === undefined || this.diagnosticsVersions.get(uri) === version ? this.diagnostics.get(uri) : undefined), timeoutMs);
  }

  /** A request that must be answered within `timeoutMs`. */
  async request<T>(method: string, params: unknown, timeoutMs = 15_000): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${method} not answered within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.connection.sendRequest(method, params) as Promise<T>, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  notify(method: string, params: unknown): void {
    this.connection.sendNotification(method, params);
  }

  async stop(): Promise<void> {
    if (this.alive) {
      await this.request('shutdown', null, 5_000).catch(() => undefined);
      this.connection.sendNotification('exit');
    }
    this.connection.dispose();
    if (this.alive) {
      const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
      const timer = setTimeout(() => this.process.kill(), 3_000);
      await exited;
      clearTimeout(timer);
    }
  }

  private wake(): void {
    this.waiters.splice(0).forEach((wake) => wake());
  }
}
