// Starting and stopping code-server and headless Chromium for the editor tests.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, FIXTURE_WORKSPACE } from './paths.mjs';

export const CHROMIUM = process.env.KZT_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/** Process groups of running code-servers: killed if this process ends or is interrupted. */
const live = new Set();
function killLive() {
  for (const pid of live) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  live.clear();
}
process.on('exit', killLive);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killLive();
    process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 })[signal]);
  });
}

export function elapsed(t0) {
  return `${((Date.now() - t0) / 1000).toFixed(1)} s`;
}

/** Runs test/e2e/setup/install-code-server.sh and returns the code-server entry script. */
export function installCodeServer() {
  const script = path.join(ROOT, 'test', 'e2e', 'setup', 'install-code-server.sh');
  const r = spawnSync('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`install-code-server.sh failed with exit code ${r.status}`);
  const lines = r.stdout.trim().split('\n');
  const entry = lines[lines.length - 1];
  if (!fs.existsSync(entry)) throw new Error(`code-server entry not found: ${entry}`);
  return entry;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh temp dir holding a copy of the fixture workspace plus user-data and extensions dirs. */
export function makeSandbox(prefix = 'kzt-e2e-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const workspace = path.join(dir, 'workspace');
  fs.cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  const userData = path.join(dir, 'user-data');
  const extensions = path.join(dir, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  // Quiet, deterministic workbench: no welcome page, tips, update checks or chat setup.
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'chat.commandCenter.enabled': false,
        'chat.disableAIFeatures': true,
        'git.enabled': false,
        'files.autoSave': 'off',
        'editor.hover.delay': 300,
      },
      null,
      2,
    ),
  );
  return {
    dir,
    workspace,
    userData,
    extensions,
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts code-server on a free loopback port (own process group, so that stop()
 * also ends the extension host and the language server it started).
 */
export async function startCodeServer({ entry, sandbox, env = {}, log = () => {}, timeoutMs = 60_000 }) {
  const port = await freePort();
  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', sandbox.userData,
    '--extensions-dir', sandbox.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    sandbox.workspace,
  ];
  const proc = spawn(process.execPath, args, {
    cwd: sandbox.dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // keep code-server's own config.yaml and state out of the user's home
      XDG_CONFIG_HOME: path.join(sandbox.dir, 'xdg-config'),
      XDG_DATA_HOME: path.join(sandbox.dir, 'xdg-data'),
      ...env,
    },
  });
  const logFile = fs.createWriteStream(path.join(sandbox.dir, 'code-server.log'));
  for (const stream of [proc.stdout, proc.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      logFile.write(chunk);
      for (const line of chunk.split('\n')) if (line.trim()) log(line);
    });
  }
  live.add(proc.pid);
  let exited = null;
  proc.on('exit', (code, signal) => {
    exited = { code, signal };
  });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}); see ${logFile.path}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    port,
    url,
    proc,
    logPath: logFile.path,
    /** The workbench URL for the workspace, with an optional test payload. */
    workbenchUrl(payload) {
      let u = `${url}/?folder=${encodeURIComponent(sandbox.workspace)}`;
      if (payload) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return u;
    },
    remoteUri(absPath) {
      return `vscode-remote://127.0.0.1:${port}${absPath}`;
    },
    async stop() {
      if (exited) {
        try {
          process.kill(-proc.pid, 'SIGKILL'); // children may outlive the main process
        } catch {
          /* nothing left */
        }
        live.delete(proc.pid);
        return;
      }
      const gone = new Promise((r) => proc.once('exit', r));
      try {
        process.kill(-proc.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-proc.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 5_000);
      await gone;
      clearTimeout(timer);
      // the process group may still hold the extension host or the language server
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {
        /* nothing left */
      }
      live.delete(proc.pid);
      logFile.end();
    },
  };
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
