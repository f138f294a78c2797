/**
 * CEL literals and patterns for the exported admission checks. Standard CEL only: what the
 * checks contain must run on every Kubernetes version with ValidatingAdmissionPolicy, in
 * Kyverno, and in an evaluator outside a cluster (the parity tests use @bufbuild/cel).
 */

/**
 * A CEL string literal. A JSON string is one: CEL's double-quoted strings take the same
 * escapes (`\"`, `\\`, `\n`, `\uXXXX`…), so any text, hostile or not, stays inside the quotes.
 */
export function celString(text: string): string {
  return JSON.stringify(text);
}

/** A CEL list of string literals. */
export function celList(items: Iterable<string>): string {
  return `[${[...items].map(celString).join(', ')}]`;
}

/**
 * An RE2 pattern (for CEL's `matches`) that matches the whole of a text exactly when the
 * exemption wildcard does (engine/wildcard.ts: `*` any run, `?` one character, nothing else
 * special). RE2 runs in linear time, so a hostile pattern cannot stall the API server.
 */
export function wildcardRegex(pattern: string): string {
  let regex = '';
  for (const char of pattern) {
    if (char === '*') regex += '.*';
    else if (char === '?') regex += '.';
    else regex += char.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
  }
  return `^${regex}$`;
}

/** `has(a.b) && has(a.b.c) …` for a path under `root`: true when every step is present. */
export function hasPath(root: string, path: readonly string[]): string {
  return path.map((_, i) => `has(${[root, ...path.slice(0, i + 1)].join('.')})`).join(' && ') || 'true';
}

/** The value at `path` under `root` when present, else `fallback`. */
export function valueOr(root: string, path: readonly string[], fallback: string): string {
  return path.length === 0 ? root : `${hasPath(root, path)} ? ${[root, ...path].join('.')} : ${fallback}`;
}

/**
 * A rule's message template (`meta.messages`) as CEL, so a denial says what the diagnostic says
 * without restating it: the text as string literals, each `{{name}}` the CEL string expression
 * `data` gives for it. A placeholder without an expression is the rule's bug: it throws.
 */
export function celTemplate(template: string, data: Readonly<Record<string, string>> = {}): string {
  const parts = template.split(/\{\{\s*(\w+)\s*\}\}/);
  return parts
    .map((part, i) => {
      if (i % 2 === 0) return part === '' ? undefined : celString(part);
      if (!Object.hasOwn(data, part)) throw new Error(`message template "${template}": no CEL for {{${part}}}`);
      return `(${data[part]})`;
    })
    .filter((part) => part !== undefined)
    .join(' + ') || '""';
}
