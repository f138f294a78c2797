import type { BehaviourChange } from './rule';

/**
 * A fix's title as an editor shows it: what it removes is said in the title, so nobody takes a
 * privilege away without reading that it goes ("Remove `privileged: true`" stays as it is; "Apply
 * the restricted security context to this container (removes privileged: true, NET_ADMIN)").
 */
export function titleWithRemovals(title: string, change: BehaviourChange | undefined): string {
  const removes = (change?.removes ?? []).filter((what) => !title.includes(what));
  return removes.length ? `${title} (removes ${removes.join(', ')})` : title;
}

/** The changes of several fixes applied together (a container's restricted context, fix-all), each item once. */
export function mergeChanges(changes: ReadonlyArray<BehaviourChange | undefined>): BehaviourChange | undefined {
  const removes = unique(changes.flatMap((c) => c?.removes ?? []));
  const creates = unique(changes.flatMap((c) => c?.creates ?? []));
  if (!removes.length && !creates.length && !changes.some((c) => c)) return undefined;
  return { ...(removes.length ? { removes } : {}), ...(creates.length ? { creates } : {}) };
}

/** One sentence for a confirmation: what goes and what comes. */
export function describeChange(change: BehaviourChange): string {
  const parts = [
    change.removes?.length ? `removes ${change.removes.join(', ')}` : '',
    change.creates?.length ? `creates ${change.creates.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? `Changes how the workload runs: ${parts.join('; ')}.` : 'Changes how the workload runs.';
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
