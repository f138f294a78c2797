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
      if (quote === 39 || quote === 34) continue;
      continue;
    }
    if (quote) {
      if (c === quote && !(quote === 34 && text.charCodeAt(i - 1) === 92)) quote = 0;
      continue;
    }
    if (lineStart) {
      if (c === 32) {
        block += 0.5;
        continue;
      }
      if ((c === 45 || c === 63) && (text.charCodeAt(i + 1) === 32 || text.charCodeAt(i + 1) === 10)) {
        block += 1;
        i++;
        block += 0.5;
        continue;
      }
      lineStart = false;
      if (block > limit) return i;
    }
    if (c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32)) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++;
    } else if ((c === 34 || c === 39) && flow > 0) quote = c;
    else if (c === 91 || c === 123) {
      if (++flow > limit) return i;
    } else if ((c === 93 || c === 125) && flow > 0) flow--;
  }
  return block > limit ? text.length : -1;
}
