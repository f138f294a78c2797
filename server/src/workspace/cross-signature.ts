import { createHash } from 'node:crypto';
import type { Document } from 'yaml';
import type { Resource } from '../model/resource';
import { NeedsText, projectedValue, type PlainNode } from './projections';

/**
 * What other resources' cross-resource results can depend on, as one string per resource:
 * the projections of `projections.ts` (what rules declare they read of other resources), or
 * the document's text when only the text says it exactly (aliases, merge keys, custom tags).
 * When an edit leaves the signatures of a file's resources unchanged, no other file's
 * cross-resource findings can change, so the keystroke re-lints only the edited file.
 */

/**
 * Tokens by parsed document, then by List item and the kinds with a pod template it was read
 * with (which fields are pod specs); and the tokens rebuilt resources carry from their parse.
 */
const tokens = new WeakMap<Document, Map<string, string>>();
const presetTokens = new WeakMap<Resource, string>();

/**
 * The resource's cross-resource signature as a hash, computed once per parsed document:
 * keeping the signature itself would keep a copy of the text of every version of a file
 * that some state still refers to. Two resources with the same token look the same to
 * other files' cross-resource rules.
 */
export function signatureToken(resource: Resource, json = () => crossResourceJson(resource)): string {
  const preset = presetTokens.get(resource);
  if (preset !== undefined) return preset;
  const doc = resource.parsed.doc;
  let byItem = tokens.get(doc);
  if (!byItem) tokens.set(doc, (byItem = new Map()));
  const key = `${resource.item ?? ''}\0${resource.podTemplates.key}`;
  let token = byItem.get(key);
  if (token === undefined) {
    token = tokenOf(signature(resource, json));
    byItem.set(key, token);
  }
  return token;
}

/** A resource rebuilt from an extract (another thread's parse, a compacted file) carries the token taken from its parse. */
export function presetToken(resource: Resource, token: string): void {
  presetTokens.set(resource, token);
}

function tokenOf(signature: string): string {
  return createHash('sha1').update(signature).digest('base64');
}

function signature(resource: Resource, json: () => string | undefined): string {
  const head = `${resource.uri}\n${resource.item ?? ''}\n${resource.apiVersion}\n${resource.kind}\n`;
  return head + (json() ?? resource.parsed.source);
}

export type { PlainNode };

/** `crossResourceValue` as JSON text: a tenth of the memory of the same value as objects. */
export function crossResourceJson(resource: Resource): string | undefined {
  const value = crossResourceValue(resource);
  return value === undefined ? undefined : JSON.stringify(value);
}

/**
 * What other resources may read of this one (every declared projection) as plain data, or
 * undefined when only its text says it exactly (aliases, merge keys, custom tags).
 */
export function crossResourceValue(resource: Resource): PlainNode | undefined {
  try {
    return projectedValue(resource);
  } catch (error) {
    if (error instanceof NeedsText) return undefined;
    throw error;
  }
}
