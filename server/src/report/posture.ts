import type { Finding } from '../engine/finding';
import { PRINCIPLES, type Rule, type Severity } from '../engine/rule';

export interface Posture {
  total: number;
  suppressed: number;
  files: number;
  bySeverity: Record<Severity, number>;
  /** Principle → severity → count, principles in a fixed order. */
  byPrinciple: Array<{ principle: string; counts: Record<Severity, number> }>;
  byNamespace: Array<{ namespace: string; count: number }>;
  topRules: Array<{ ruleId: string; title: string; count: number }>;
}

/** The posture at a glance: counts by severity, principle, namespace and rule (pure; used by the webview and Markdown). */
export function posture(findings: readonly Finding[], suppressed: number, files: number, rules: readonly Rule[], defaultNamespace: string): Posture {
  const zero = (): Record<Severity, number> => ({ error: 0, warning: 0, info: 0 });
  const meta = new Map(rules.map((r) => [r.meta.id, r.meta]));
  const bySeverity = zero();
  const byPrinciple = new Map<string, Record<Severity, number>>(PRINCIPLES.map((p) => [p, zero()]));
  const byNamespace = new Map<string, number>();
  const byRule = new Map<string, number>();
  for (const f of findings) {
    bySeverity[f.severity]++;
    const principle = meta.get(f.ruleId)?.principle ?? 'yaml';
    if (!byPrinciple.has(principle)) byPrinciple.set(principle, zero());
    byPrinciple.get(principle)![f.severity]++;
    if (f.resource) {
      const ns = f.resource.namespace ?? (f.resource.kind === 'Namespace' ? f.resource.name : defaultNamespace);
      byNamespace.set(ns, (byNamespace.get(ns) ?? 0) + 1);
    }
    byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  }
  return {
    total: findings.length,
    suppressed,
    files,
    bySeverity,
    byPrinciple: [...byPrinciple].map(([principle, counts]) => ({ principle, counts })),
    byNamespace: [...byNamespace].map(([namespace, count]) => ({ namespace, count })).sort((a, b) => b.count - a.count || a.namespace.localeCompare(b.namespace)),
    topRules: [...byRule]
      .map(([ruleId, count]) => ({ ruleId, title: meta.get(ruleId)?.title ?? ruleId, count }))
      .sort((a, b) => b.count - a.count || a.ruleId.localeCompare(b.ruleId))
      .slice(0, 10),
  };
}
