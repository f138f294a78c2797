// A minimal LSP client over stdio, as an editor drives a language server: used to time
// keystroke-to-diagnostics for our server and for yaml-language-server on the same edits.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');

export class LspClient {
  static async start(command, args, { settings = {}, workspaceFolder } = {}) {
    // SERVER_STDERR=1 shows the server's stderr (logs, profiles' messages) when investigating a run.
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', process.env.SERVER_STDERR ? 'inherit' : 'ignore'] });
    child.stdin.on('error', () => undefined); // the server may exit before our last write
    const client = new LspClient(child, settings);
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: workspaceFolder ? `file://${workspaceFolder}` : null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: {}, synchronization: { didSave: true } },
        window: { workDoneProgress: true },
      },
      workspaceFolders: workspaceFolder ? [{ uri: `file://${workspaceFolder}`, name: 'bench' }] : null,
    });
    client.configured = new Promise((resolve) => (client.onConfigured = resolve));
    client.connection.sendNotification('initialized', {});
    return client;
  }

  constructor(child, settings) {
    this.child = child;
    this.settings = settings;
    this.waiters = new Map();
    this.connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (params) => {
      const waiter = this.waiters.get(params.uri);
      // Diagnostics of an earlier version (a settled parse published late) are not the ones awaited.
      if (waiter && !(params.version !== undefined && waiter.version !== undefined && params.version < waiter.version)) {
        this.waiters.delete(params.uri);
        waiter(params.diagnostics);
      }
    });
    this.connection.onRequest('workspace/configuration', (params) => {
      this.onConfigured?.();
      return params.items.map((item) => this.settings[item.section] ?? null);
    });
    for (const method of ['client/registerCapability', 'window/workDoneProgress/create', 'client/unregisterCapability']) this.connection.onRequest(method, () => null);
    this.connection.onRequest('custom/schema/request', () => []);
    for (const method of ['window/logMessage', '$/progress', 'window/showMessage', 'telemetry/event']) this.connection.onNotification(method, () => undefined);
    this.connection.listen();
  }

  /** Resolves with the next diagnostics published for `uri` (for `version` or later, when the server says which). */
  nextDiagnostics(uri, timeoutMs = 120000, version = undefined) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri}`)), timeoutMs);
      const waiter = (d) => {
        clearTimeout(timer);
        resolve(d);
      };
      waiter.version = version;
      this.waiters.set(uri, waiter);
    });
  }

  open(uri, text) {
    this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  }

  change(uri, version, range, text) {
    this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  request(method, params) {
    return this.connection.sendRequest(method, params);
  }

  /** Resident set size of the server process, in MiB (current and peak). */
  memory() {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  }

  async stop() {
    await Promise.race([this.connection.sendRequest('shutdown').catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
    await this.connection.sendNotification('exit')?.catch?.(() => undefined);
    this.connection.dispose();
    this.child.kill();
  }
}
