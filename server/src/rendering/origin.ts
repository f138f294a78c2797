import { parse } from 'yaml';
import type { Resource } from '../model/resource';

/** kustomize's record of where a rendered object came from (`buildMetadata: [originAnnotations]`). */
export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';

/**
 * `path`: the file the object was read from; `configuredIn`: the kustomization whose
 * generator made it (a ConfigMap or Secret generator). Paths as kustomize wrote them,
 * relative to the folder it was run on.
 */
export interface Origin {
  path?: string;
  configuredIn?: string;
}

/** A rendered object's origin, or undefined when kustomize recorded none (or a malformed one). */
export function readOrigin(resource: Resource): Origin | undefined {
  const text = resource.annotations[ORIGIN_ANNOTATION];
  if (!text) return undefined;
  let value: unknown;
  try {
    value = parse(text, { maxAliasCount: 0 });
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const { path, configuredIn } = value as Record<string, unknown>;
  const origin: Origin = {};
  if (typeof path === 'string' && path) origin.path = path;
  if (typeof configuredIn === 'string' && configuredIn) origin.configuredIn = configuredIn;
  return origin.path || origin.configuredIn ? origin : undefined;
}
