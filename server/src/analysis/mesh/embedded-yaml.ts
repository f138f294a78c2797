import { isScalar, parseDocument, Scalar } from 'yaml';

/**
 * A scalar of YAML held in a literal block scalar (`values: |`, as Linkerd's linkerd-config
 * ConfigMap holds the Helm values it was installed with), placed at its offsets in the outer
 * document's source so that a finding points at it and a fix edits it. Undefined when the
 * holder is not a literal block, its text is not YAML, the path leads to no scalar, or the
 * source does not hold the value where the literal's lines say (then nothing is placed wrong).
 */
export function embeddedScalar(holder: Scalar, source: string, path: readonly string[]): Scalar | undefined {
  if (holder.type !== Scalar.BLOCK_LITERAL || typeof holder.value !== 'string' || !holder.range) return undefined;
  const text = holder.value;
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return undefined;
  const inner = doc.getIn(path, true);
  if (!isScalar(inner) || !inner.range) return undefined;
  const [innerStart, innerEnd] = inner.range;
  // A literal block keeps its lines: value line i is source line i after the header, less the block's indentation.
  const line = text.slice(0, innerStart).split('\n').length - 1;
  const column = innerStart - (text.lastIndexOf('\n', innerStart - 1) + 1);
  let lineStart = source.indexOf('\n', holder.range[0]) + 1;
  if (lineStart === 0) return undefined;
  for (let i = 0; i < line; i++) {
    const next = source.indexOf('\n', lineStart);
    if (next < 0) return undefined;
    lineStart = next + 1;
  }
  const indent = /^ */.exec(source.slice(lineStart))![0].length - (/^ */.exec(text.split('\n')[line])![0].length);
  const start = lineStart + indent + column;
  const written = text.slice(innerStart, innerEnd);
  if (indent < 0 || source.slice(start, start + written.length) !== written) return undefined;
  const placed = new Scalar(inner.value);
  placed.range = [start, start + written.length, start + written.length];
  return placed;
}
