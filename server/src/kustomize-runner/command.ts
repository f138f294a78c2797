import { accessSync, constants, statSync } from 'node:fs';
import { basename, delimiter, isAbsolute, join } from 'node:path';

/** A program and the arguments before the kustomization directory: `kustomize build <dir>`, `kubectl kustomize <dir>`. */
export interface KustomizeCommand {
  program: string;
  args: string[];
}

/**
 * What `kubeZeroTrust.kustomize.command` / `--kustomize` say: `off`, `auto` (default) or a
 * command. The command comes only from the user's settings or command line, never from the
 * workspace (its config file could otherwise choose the program run).
 */
export type KustomizeSetting = 'auto' | 'off' | (string & {});

/**
 * The command to render with, or undefined when rendering is off or no kustomize is found.
 * `auto` looks on PATH for `kustomize`, then `kubectl` (which embeds it). A command given is
 * a program (a path, or a name looked up on PATH) and optionally leading arguments, separated
 * by spaces (`kubectl kustomize`); `kustomize` alone gets `build`, `kubectl` alone `kustomize`.
 */
export function resolveKustomizeCommand(setting: KustomizeSetting, env: NodeJS.ProcessEnv = process.env): KustomizeCommand | undefined {
  const value = setting.trim();
  if (value === 'off' || value === '') return undefined;
  if (value === 'auto') {
    const kustomize = findOnPath('kustomize', env);
    if (kustomize) return { program: kustomize, args: ['build'] };
    const kubectl = findOnPath('kubectl', env);
    return kubectl ? { program: kubectl, args: ['kustomize'] } : undefined;
  }
  // A path with spaces is one program when it is an executable file.
  const [name, ...given] = isExecutable(value) ? [value] : value.split(/\s+/);
  const program = isAbsolute(name) || name.includes('/') || name.includes('\\') ? (isExecutable(name) ? name : undefined) : findOnPath(name, env);
  if (!program) return undefined;
  if (given.length) return { program, args: given };
  const tool = basename(program).replace(/\.exe$/i, '');
  return { program, args: tool === 'kubectl' ? ['kustomize'] : ['build'] };
}

/** A short description for logs and progress: `kubectl kustomize`. */
export function describeCommand(command: KustomizeCommand): string {
  return [basename(command.program), ...command.args].join(' ');
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    // An empty PATH entry means the working directory, which may be the audited repository: never.
    if (!dir || !isAbsolute(dir)) continue;
    for (const extension of extensions) {
      const candidate = join(dir, name + extension);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
