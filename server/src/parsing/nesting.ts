/**
 * `yaml` recurses once per nesting level; a few thousand levels exhaust the stack (and near
 * the limit V8 may abort the whole process). Documents nested deeper than this are refused
 * before parsing. Real manifests stay far below it: CRD schemas reach a few dozen levels.
 */
export const MAX_NESTING = 256;

/**
 * An upper bound of a text's nesting depth, in one pass: flow brackets outside quotes and
 * comments, plus block depth estimated from each line's indentation and leading `- ` / `? `
 * indicators. Returns the offset where the limit is first exceeded, or -1.
 */
export function nestingOverflow(text: string, limit = MAX_NESTING): number {
  let flow = 0;
  let quote = 0;
  let lineStart = true;
  let block = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      block = 0;
      continue;
    }
    if (quote) {
      if (quote === 34 && c === 92) i++; // an escaped character, `\"` included
      else if (c === quote) quote = 0;
      continue;
    }
    if (lineStart) {
      if (c === 32) {
        block += 0.5;
        continue;
      }
      if ((c === 45 || c === 63) && (text.charCodeAt(i + 1) === 32 || text.charCodeAt(i + 1) === 10)) {
        // An indicator and its space: one level, plus the column it takes.
        block += 1.5;
        i++;
        continue;
      }
      lineStart = false;
      if (block > limit) return i;
    }
    if (c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32)) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++;
    } else if ((c === 34 || c === 39) && startsScalar(text, i)) quote = c;
    else if (c === 91 || c === 123) {
      if (++flow > limit) return i;
    } else if ((c === 93 || c === 125) && flow > 0) flow--;
  }
  return block > limit ? text.length : -1;
}

/** A quote opens a quoted scalar only where a scalar may start; `it's` is a plain scalar. */
function startsScalar(text: string, at: number): boolean {
  let i = at - 1;
  const before = text.charCodeAt(i);
  if (i >= 0 && before !== 32 && before !== 9 && before !== 10 && before !== 91 && before !== 123 && before !== 44) return false;
  while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
  if (i < 0 || text.charCodeAt(i) === 10) return true;
  return '[{,:-?'.includes(text[i]);
}
