// Shared by the network tests: resources from YAML text, and a whole-workspace lint with the network rules.
import { Engine } from '../../../server/src/engine/engine';
import type { Finding } from '../../../server/src/engine/finding';
import type { Resource } from '../../../server/src/model/resource';
import { Workspace } from '../../../server/src/workspace/workspace';
import { RULES } from '../../../rules';

export const NETWORK_RULES = RULES.filter((r) =>
  [
    'namespace-without-default-deny',
    'workload-not-isolated',
    'networkpolicy-allows-any',
    'networkpolicy-selects-nothing',
    'default-deny-blocks-dns',
    'service-exposed-externally',
    'ingress-without-tls',
  ].includes(r.meta.id),
);

/** The resources of one YAML text (documents in order). */
export function resourcesOf(yaml: string): Resource[] {
  return [...new Workspace().setFile('file:///test.yaml', yaml).resources];
}

export function workspaceOf(files: Record<string, string>): Workspace {
  const workspace = new Workspace();
  for (const [uri, text] of Object.entries(files)) workspace.setFile(uri, text);
  return workspace;
}

/** Findings of the network rules in every file of the workspace, as `rule file:line resource`. */
export function lintAll(workspace: Workspace): Finding[] {
  const engine = new Engine(workspace, { profile: 'restricted', rules: {} }, NETWORK_RULES);
  return workspace.uris().flatMap((uri) => engine.lint(uri).findings);
}

export function summary(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${f.uri.split('/').pop()}:${f.range.start.line} ${f.resource?.kind}/${f.resource?.name}`).sort();
}
