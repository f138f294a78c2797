import { execFile } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { escapeControls } from '../report/escape';
import type { KustomizeCommand } from './command';

/** What one `kustomize build` gave: the rendered YAML, or kustomize's own message. */
export type RenderOutcome =
  | { ok: true; yaml: string; resolveOrigin: (originPath: string) => string }
  | { ok: false; message: string };

export interface RenderLimits {
  /** A build taking longer is killed (a pathological kustomization, a hung plugin). */
  timeoutMs: number;
  /** Output beyond this is not read: the build is killed and reported as too large. */
  maxBytes: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = { timeoutMs: 30_000, maxBytes: 32 << 20 };

/** Error text kept of a failed build (kustomize chains every cause into one line). */
const MAX_MESSAGE = 600;

/**
 * Every address a build could fetch from goes nowhere: remote resources are refused before
 * a build runs (see rendering/remote.ts); this makes sure a missed one is not fetched either.
 * HTTP(S) goes to a proxy on a closed port, git may use no transport but local files, and
 * nothing may prompt.
 */
function offlineEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const nowhere = 'http://127.0.0.1:9';
  return {
    ...env,
    HTTP_PROXY: nowhere,
    HTTPS_PROXY: nowhere,
    ALL_PROXY: nowhere,
    http_proxy: nowhere,
    https_proxy: nowhere,
    all_proxy: nowhere,
    NO_PROXY: '',
    no_proxy: '',
    GIT_ALLOW_PROTOCOL: 'file',
    GIT_TERMINAL_PROMPT: '0',
    GIT_SSH_COMMAND: 'false',
  };
}

/**
 * Renders the kustomization in `dir` through a wrapper kustomization in a temporary folder
 * that includes it and asks for kustomize's origin annotations (`buildMetadata`): the user's
 * files are never written. The program runs without a shell, with a timeout, bounded output
 * and no network (see offlineEnvironment); plugins and Helm stay off (no `--enable-*` flag).
 */
export function renderKustomization(dir: string, command: KustomizeCommand, limits: RenderLimits = DEFAULT_RENDER_LIMITS): Promise<RenderOutcome> {
  // Its real path: kustomize reports origins relative to the folder as it resolved it.
  const wrapper = realpathSync(mkdtempSync(join(tmpdir(), 'kzt-kustomize-')));
  // kustomize refuses absolute resource paths: the wrapper names the folder relative to itself.
  const target = relative(wrapper, resolve(dir)).split(sep).join('/');
  writeFileSync(join(wrapper, 'kustomization.yaml'), `resources:\n  - ${JSON.stringify(target)}\nbuildMetadata: [originAnnotations]\n`);
  return new Promise<RenderOutcome>((done) => {
    execFile(
      command.program,
      [...command.args, wrapper],
      { cwd: wrapper, env: offlineEnvironment(process.env), timeout: limits.timeoutMs, maxBuffer: limits.maxBytes, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) {
          done({ ok: true, yaml: stdout, resolveOrigin: (originPath) => resolve(wrapper, originPath) });
          return;
        }
        const code = (error as NodeJS.ErrnoException & { killed?: boolean }).code;
        if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') done({ ok: false, message: `the rendered output is larger than ${limits.maxBytes >= 1 << 20 ? `${+(limits.maxBytes / 1048576).toFixed(1)} MB` : `${limits.maxBytes} bytes`}` });
        else if ((error as { killed?: boolean }).killed) done({ ok: false, message: `kustomize did not finish within ${limits.timeoutMs / 1000} s` });
        else if (code === 'ENOENT' || code === 'EACCES') done({ ok: false, message: `cannot run ${command.program}: ${code}` });
        else done({ ok: false, message: buildError(stderr, wrapper, resolve(dir)) });
      },
    );
  }).finally(() => rmSync(wrapper, { recursive: true, force: true }));
}

/**
 * kustomize's message without what only concerns the wrapper: kubectl's log prefix, the
 * wrapper's own "accumulating resources from '…'" layer, temporary paths; on one line, bounded,
 * without control characters.
 */
export function buildError(stderr: string, wrapper: string, dir: string): string {
  let message = stderr.replace(/^[EWI]\d{4} [\d:.]+\s+\d+ [\w.]+:\d+\] "command failed" err=/gm, '').trim();
  // kubectl quotes the error (`"…"`) or puts a long one between `<` and `>`.
  message = message.replace(/^<\s*([\s\S]*?)\s*>$/, '$1').replace(/^"([\s\S]*)"$/, '$1');
  message = message.replace(/^Error: /, '');
  const recursed = `recursed accumulation of path '${dir}': `;
  const at = message.indexOf(recursed);
  if (at >= 0) message = message.slice(at + recursed.length);
  // Untrusted text (it quotes the repository's files): one line, control characters shown as escapes.
  message = escapeControls(message.split(wrapper).join('<wrapper>').replace(/\s+/g, ' ').trim());
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message || 'kustomize failed without a message';
}
