import type { Position } from 'vscode-languageserver-textdocument';

/**
 * Maps string offsets to LSP positions. JavaScript string indices are UTF-16 code units,
 * which is exactly what LSP columns count, so no re-encoding is needed; CRLF and lone CR
 * both end a line.
 */
export class LineIndex {
  /**
   * Line start offsets, from 0. A typed array: a keystroke copies it (34,000 lines in Argo
   * CD's install.yaml) with memcpy, into memory outside the JavaScript heap, so it does not
   * fill the young generation (a plain array was 270 KB of garbage per keystroke).
   */
  private readonly starts: Int32Array;

  /** `starts` is for `LineIndex.edited`; omit it to scan the text. */
  constructor(readonly text: string, starts?: Int32Array) {
    if (starts) {
      this.starts = starts;
      return;
    }
    const list = [0];
    if (text.indexOf('\r') < 0) {
      // No CR: `indexOf` finds the line ends far faster than a character loop.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) list.push(i + 1);
    } else scanLineStarts(text, 0, text.length, list);
    this.starts = Int32Array.from(list);
  }

  /**
   * The index of `text`, which equals the previous text except that `[from, oldEnd)` became
   * `[from, newEnd)`: lines before the edit are kept, lines after it are shifted, and only
   * the edited lines are scanned (a keystroke in a 34,000-line file scans one line).
   */
  static edited(previous: LineIndex, text: string, from: number, oldEnd: number, newEnd: number): LineIndex {
    const delta = newEnd - oldEnd;
    const old = previous.starts;
    // Restart at the start of the line before the edit: a CR at its end may now pair with an LF.
    const first = previous.lineOf(Math.max(0, from - 1));
    const middle: number[] = [];
    // Old line starts after the edit, and where scanning may stop (it has rejoined them).
    let next = previous.lineOf(oldEnd) + 1;
    let rejoined = false;
    for (let i = old[first]; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      const start = i + 1;
      if (start > newEnd) {
        while (next < old.length && old[next] + delta < start) next++;
        if (next < old.length && old[next] + delta === start) {
          rejoined = true;
          break;
        }
      }
      middle.push(start);
    }
    if (!rejoined) next = old.length;
    const starts = new Int32Array(first + 1 + middle.length + (old.length - next));
    starts.set(old.subarray(0, first + 1));
    starts.set(middle, first + 1);
    let at = first + 1 + middle.length;
    if (delta === 0) starts.set(old.subarray(next), at);
    else for (let k = next; k < old.length; k++) starts[at++] = old[k] + delta;
    return new LineIndex(text, starts);
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(clamped);
    return { line, character: clamped - this.starts[line] };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, position.line)];
    const next = position.line + 1 < this.starts.length ? this.starts[position.line + 1] : this.text.length;
    return Math.min(start + Math.max(0, position.character), next);
  }

  /** Offset of the first character of the line that contains `offset`. */
  lineStart(offset: number): number {
    return this.starts[this.positionAt(offset).line];
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 0-based line that contains `offset` (a line start belongs to its own line). */
  private lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}

function scanLineStarts(text: string, from: number, to: number, starts: number[]): void {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
}
