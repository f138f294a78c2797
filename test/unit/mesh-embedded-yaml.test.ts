// YAML held in a literal block scalar (linkerd-config's `values: |`): a scalar inside it is placed
// at its own offsets in the outer document, or not at all when its place is not certain.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isScalar, parseDocument, type Scalar } from 'yaml';
import { embeddedScalar } from '../../server/src/analysis/mesh/embedded-yaml';

function place(source: string): string | undefined {
  const holder = parseDocument(source).getIn(['data', 'values'], true);
  assert.ok(isScalar(holder));
  const placed = embeddedScalar(holder as Scalar, source, ['proxy', 'defaultInboundPolicy']);
  return placed?.range ? source.slice(placed.range[0], placed.range[1]) : undefined;
}

test('a scalar of a literal block is placed at its offsets, LF, CRLF, an indentation indicator and a quoted value alike', () => {
  const lines = ['data:', '  values: |', '    clusterDomain: cluster.local', '', '    proxy:', '      defaultInboundPolicy: all-unauthenticated', '      await: true', ''];
  assert.equal(place(lines.join('\n')), 'all-unauthenticated');
  assert.equal(place(lines.join('\r\n')), 'all-unauthenticated');
  assert.equal(place('data:\n  values: |2\n    proxy:\n      defaultInboundPolicy: audit\n'), 'audit');
  assert.equal(place('data:\n  values: |-\n    proxy: {defaultInboundPolicy: "cluster-unauthenticated"}\n'), '"cluster-unauthenticated"');
});

test('nothing is placed for a folded or quoted block, text that is not YAML, or a path that leads nowhere', () => {
  assert.equal(place('data:\n  values: >\n    proxy:\n      defaultInboundPolicy: all-unauthenticated\n'), undefined);
  assert.equal(place('data:\n  values: "proxy:\\n  defaultInboundPolicy: all-unauthenticated\\n"\n'), undefined);
  assert.equal(place('data:\n  values: |\n    proxy: [unclosed\n'), undefined);
  assert.equal(place('data:\n  values: |\n    proxy:\n      logLevel: info\n'), undefined);
});
