/**
 * Encodings for text that comes from the input (resource names, namespaces, file names,
 * suppression reasons, and the messages that quote them) on its way to a terminal, a Markdown
 * document or an editor notification. The input is a repository anyone may have written.
 */

/**
 * C0 and C1 control characters (ESC, BEL, `\r`, `\n`…), DEL, the Unicode line and paragraph
 * separators, and the bidirectional overrides and isolates that reorder what a reader sees
 * ("Trojan Source").
 */
const UNSAFE_FOR_DISPLAY = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

/** Shows every control character as a visible escape (`\e`, `\n`, `\u0007`), so a terminal never interprets one. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE_FOR_DISPLAY, (c) => NAMED_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Characters with a meaning inline in Markdown (links, images, emphasis, code, tables, raw HTML, entities). */
const MARKDOWN_INLINE = /[\\`*_[\]()!|~<>&#]/g;
const HTML_ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/**
 * Plain text as inline Markdown that renders as exactly that text: no link, image, emphasis,
 * code span, HTML tag or comment, table cell break, and no line break (control characters are
 * shown as escapes first).
 */
export function escapeMarkdown(text: string): string {
  return escapeControls(text).replace(MARKDOWN_INLINE, (c) => HTML_ENTITIES[c] ?? `\\${c}`);
}

/**
 * Editor notifications render `[text](target)` as a link (a `command:` target runs a command
 * on click) and nothing else of Markdown: breaking the `](` of every such pair keeps the
 * text readable and inert.
 */
export function escapeNotificationText(text: string): string {
  return escapeControls(text).replace(/\]\(/g, ']\u200b(');
}

/**
 * Text as an inline code span that shows exactly that text: the fence is one backtick longer
 * than the longest run of backticks in it, and a space pads it inside the fence when it starts
 * or ends with a backtick or a space (CommonMark strips one space from each side of a span
 * that has both). Control characters are shown as escapes first, so the span stays on its line.
 *
 * In a GFM table a `|` ends the cell even inside a code span unless written `\|` (an odd number
 * of backslashes before it), and the table removes that backslash before the span is read: by
 * default every unescaped `|` is written `\|`, so the span can go into a cell. `table: false`
 * leaves `|` alone for a span outside a table, where the backslash would show. (In a cell, text
 * with a backslash right before a `|` loses that backslash: no writing shows both there.)
 * An empty text is a span of one space.
 */
export function markdownCode(text: string, { table = true }: { table?: boolean } = {}): string {
  let content = escapeControls(text);
  if (table) content = content.replace(/(\\*)\|/g, (pipe: string, slashes: string) => (slashes.length % 2 === 0 ? `${slashes}\\|` : pipe));
  if (content === '') return '` `';
  const longest = (content.match(/`+/g) ?? []).reduce((max, run) => Math.max(max, run.length), 0);
  const fence = '`'.repeat(longest + 1);
  const pad = /^[ `]|[ `]$/.test(content) && /[^ ]/.test(content) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}
