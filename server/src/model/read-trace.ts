import type { YAMLMap, YAMLSeq } from 'yaml';
import type { YamlContext } from './yaml-view';

/**
 * Which fields of which documents a computation reads: every read of a mapping's key, or of a
 * whole mapping or sequence, goes through the views of `yaml-view.ts`, which report it here
 * while a tracer is installed. Tests use it to hold cross-resource rules to the reads they
 * declare (`RuleMeta.reads`); outside them no tracer is installed and a read costs one check.
 */
export interface ReadTracer {
  /** `key` of `node` was read; undefined: every entry of it (a whole map or sequence). */
  read(node: YAMLMap | YAMLSeq, key: string | undefined, ctx: YamlContext): void;
}

let active: ReadTracer | undefined;

export function traceReads<T>(tracer: ReadTracer, run: () => T): T {
  const previous = active;
  active = tracer;
  try {
    return run();
  } finally {
    active = previous;
  }
}

export function noteRead(node: YAMLMap | YAMLSeq, key: string | undefined, ctx: YamlContext): void {
  if (active) active.read(node, key, ctx);
}
