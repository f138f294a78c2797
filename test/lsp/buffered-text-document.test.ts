// The language server's open documents (`BufferedTextDocument`) must behave exactly as the
// library's `TextDocument` they replace: same text, lines and positions after any edits,
// whatever the line breaks (LF, CRLF, lone CR) and characters (latin1, wider, surrogates).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument, type Position, type Range } from 'vscode-languageserver-textdocument';
import { BufferedTextDocument, BUFFERED_TEXT_DOCUMENTS } from '../../server/src/lsp/buffered-text-document';
import { random } from '../seeded-random';

/** Characters edits are made of: YAML, every kind of line break, latin1 beyond ASCII, wider ones, half a surrogate pair. */
const PIECES = ['a', 'key: value', ' ', '\n', '\r\n', '\r', '- ', 'é', 'ÿ', 'λ', '日本', '😀', '\ud83d', '\ufeff', '---\n'];

function randomText(next: () => number, length: number): string {
  let text = '';
  while (text.length < length) text += PIECES[Math.floor(next() * PIECES.length)];
  return text;
}

/**
 * A position anywhere, including past a line's end and negative ones; past the last line too,
 * except for edits (`editable`): the library's line table goes wrong on those (it patches the
 * lines the range names, not the lines it was clamped to), and editors never send them.
 */
function randomPosition(next: () => number, document: TextDocument, editable = false): Position {
  const line = Math.floor(next() * (document.lineCount + (editable ? 1 : 2))) - 1;
  return { line, character: Math.floor(next() * 14) - 1 };
}

function assertSame(actual: BufferedTextDocument, expected: TextDocument, next: () => number, context: string): void {
  const text = expected.getText();
  assert.equal(actual.getText(), text, context);
  assert.equal(actual.lineCount, expected.lineCount, context);
  assert.equal(actual.version, expected.version, context);
  for (let offset = -1; offset <= text.length + 1; offset++) assert.deepEqual(actual.positionAt(offset), expected.positionAt(offset), `${context}: positionAt(${offset})`);
  for (let line = -1; line <= expected.lineCount; line++) {
    assert.deepEqual(actual.getLineRange(line), expected.getLineRange(line), `${context}: getLineRange(${line})`);
    assert.equal(actual.getEOLCharacters(line), expected.getEOLCharacters(line), `${context}: getEOLCharacters(${line})`);
    for (let character = -1; character < 12; character++) {
      const position = { line, character };
      assert.equal(actual.offsetAt(position), expected.offsetAt(position), `${context}: offsetAt(${JSON.stringify(position)})`);
    }
  }
  for (let i = 0; i < 5; i++) {
    const range: Range = { start: randomPosition(next, expected), end: randomPosition(next, expected) };
    assert.equal(actual.getText(range), expected.getText(range), `${context}: getText(${JSON.stringify(range)})`);
  }
}

describe('BufferedTextDocument', () => {
  test('random edits give the same text, lines and positions as the library', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const next = random(seed);
      // Half the documents start latin1 only: an edit may then need the wide encoding.
      const initial = seed % 2 ? randomText(next, 40).replace(/[^\u0000-\u00ff]/g, 'x') : randomText(next, 40);
      const expected = TextDocument.create('file:///a.yaml', 'yaml', 1, initial);
      const actual = BUFFERED_TEXT_DOCUMENTS.create('file:///a.yaml', 'yaml', 1, initial);
      assertSame(actual, expected, next, `seed ${seed}, opened`);
      for (let step = 0; step < 25; step++) {
        // One to three changes per notification, each against the text the previous one left;
        // ranges may be reversed and reach past line ends.
        const count = 1 + Math.floor(next() * 3);
        // Each change's range is valid in the text the previous changes left (`scratch`).
        let scratch = TextDocument.create('file:///scratch.yaml', 'yaml', 1, expected.getText());
        const changes = Array.from({ length: count }, () => {
          const range = { start: randomPosition(next, scratch, true), end: randomPosition(next, scratch, true) };
          const text = next() < 0.3 ? '' : randomText(next, Math.floor(next() * 8));
          scratch = TextDocument.create('file:///scratch.yaml', 'yaml', 1, TextDocument.applyEdits(scratch, [{ range, newText: text }]));
          return { range, text };
        });
        // Now and then the client sends the whole text instead.
        const all = next() < 0.05 ? [{ text: randomText(next, 30) }] : changes;
        const version = expected.version + 1;
        TextDocument.update(expected, all, version);
        assert.equal(BUFFERED_TEXT_DOCUMENTS.update(actual, all, version), actual);
        assertSame(actual, expected, next, `seed ${seed}, step ${step}, ${JSON.stringify(all)}`);
      }
    }
  });

  test('a file larger than the buffer grows it and keeps the text', () => {
    const line = 'key: value\n';
    const document = new BufferedTextDocument('file:///big.yaml', 'yaml', 1, line);
    let expected = line;
    for (let i = 0; i < 2000; i++) {
      const at = document.positionAt(document.getText().length);
      document.update([{ range: { start: at, end: at }, text: line }], i + 2);
      expected += line;
    }
    assert.equal(document.getText(), expected);
    assert.equal(document.lineCount, 2002);
    assert.deepEqual(document.positionAt(expected.length - 1), { line: 2000, character: 10 });
  });
});
