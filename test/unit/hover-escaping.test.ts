// Hovers quote the workspace (names, namespaces, labels, selectors, ports, RBAC rules and
// subjects), and a repository anyone may have written must not put a link, an image, HTML,
// emphasis, a line break or a table cell of its own into them: every quoted value renders as
// exactly its text (control characters shown as escapes).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { networkHover } from '../../server/src/hovers/network';
import { rbacHover } from '../../server/src/hovers/rbac';
import { nodeAtOffset } from '../../server/src/model/node-path';
import { escapeControls, markdownCode } from '../../server/src/report/escape';
import { Workspace } from '../../server/src/workspace/workspace';

/** The hostile text, as written in a YAML double-quoted scalar, and as the reader must see it. */
const P_YAML = String.raw`p[a](command:x)![i](https://e/p.png)<img src=x>` + '`|*em*_u_&amp;#h' + String.raw`\r\n\e\u202E`;
const P = 'p[a](command:x)![i](https://e/p.png)<img src=x>`|*em*_u_&amp;#h\r\n\u001b\u202e';
const SHOWN = escapeControls(P);
const q = (suffix = '') => `"${P_YAML}${suffix}"`;

// ---------------------------------------------------------------------------------------------
// A reader of Markdown as VS Code's renderer (GFM) reads it, enough to check the structure.

const PUNCTUATION = /[!-/:-@[-`{-~]/;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/**
 * `structure`: the text outside code spans with every backslash escape, entity and code span
 * replaced by `·` (what the renderer may read as Markdown); `visible`: the text a reader sees.
 */
function readInline(text: string): { structure: string; visible: string } {
  let structure = '';
  let visible = '';
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length && PUNCTUATION.test(text[i + 1])) {
      structure += '·';
      visible += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(text.slice(i))![0];
      let close = -1;
      for (const m of text.slice(i + run.length).matchAll(/`+/g)) {
        if (m[0].length === run.length) {
          close = i + run.length + m.index!;
          break;
        }
      }
      if (close >= 0) {
        let content = text.slice(i + run.length, close);
        if (content.length > 1 && content.startsWith(' ') && content.endsWith(' ') && /[^ ]/.test(content)) content = content.slice(1, -1);
        structure += '·';
        visible += content;
        i = close + run.length;
      } else {
        structure += run;
        visible += run;
        i += run.length;
      }
      continue;
    }
    if (text.startsWith('**', i)) {
      // The hover's own bold: markup, not text.
      structure += '**';
      i += 2;
      continue;
    }
    const entity = c === '&' ? /^&(lt|gt|amp|quot);/.exec(text.slice(i)) : null;
    if (entity) {
      structure += '·';
      visible += ENTITIES[entity[1]];
      i += entity[0].length;
      continue;
    }
    structure += c;
    visible += c;
    i++;
  }
  return { structure, visible };
}

/** GFM table cells: split at each `|` after an even number of backslashes, then `\|` is `|`. */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/(?<!\\)((?:\\\\)*)\|$/, '$1');
  const out: string[] = [];
  let cell = '';
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '\\' && i + 1 < inner.length) {
      cell += inner[i] + inner[i + 1];
      i++;
    } else if (inner[i] === '|') {
      out.push(cell);
      cell = '';
    } else cell += inner[i];
  }
  out.push(cell);
  return out.map((c) => c.trim().replace(/\\\|/g, '|'));
}

/**
 * Asserts that the Markdown has no raw control character, no link, image, HTML or emphasis
 * outside code spans except its own `**bold**`, and tables whose rows all have the header's
 * columns. Returns the text a reader sees, one line per Markdown line (table cells joined by ` ¦ `).
 */
function checkMarkdown(markdown: string): string {
  assert.doesNotMatch(markdown, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/, 'no raw control character');
  const shown: string[] = [];
  let columns: number | undefined;
  for (const line of markdown.split('\n')) {
    let parts: string[];
    if (line.startsWith('|')) {
      parts = cells(line);
      columns ??= parts.length;
      assert.equal(parts.length, columns, `a table row keeps its ${columns} columns: ${line}`);
    } else {
      columns = undefined;
      parts = [line];
    }
    const read = parts.map(readInline);
    for (const { structure } of read) {
      assert.doesNotMatch(structure, /\]\s*\(|\]\s*\[|!\[/, `no link or image: ${structure}`);
      assert.doesNotMatch(structure, /</, `no HTML: ${structure}`);
      assert.doesNotMatch(structure.replace(/\*\*/g, ''), /[*_~]/, `no emphasis but the hover's own bold: ${structure}`);
      assert.doesNotMatch(structure, /&/, `no entity but escapes: ${structure}`);
    }
    shown.push(read.map((r) => r.visible).join(' ¦ '));
  }
  return shown.join('\n');
}

/** The hover of `provider` at the first occurrence of `needle` (plus `shift` characters) in `uri`. */
function hoverAt(provider: typeof networkHover, ws: Workspace, uri: string, needle: string, shift = 0): string {
  const file = ws.getFile(uri)!;
  const start = file.parsed.text.indexOf(needle);
  assert.ok(start >= 0, `${needle} in ${uri}`);
  const offset = start + shift;
  const resource = file.resources.find((r) => offset >= r.parsed.base && offset <= r.parsed.base + r.parsed.source.length)!;
  const at = nodeAtOffset(resource.parsed.doc.contents, offset - resource.parsed.base)!;
  const text = provider({ resource, at, workspace: ws });
  assert.ok(text, `a hover at ${needle}`);
  return text;
}

function workspace(files: Record<string, string>): Workspace {
  const ws = new Workspace();
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  return ws;
}

// ---------------------------------------------------------------------------------------------

describe('markdownCode', () => {
  test('a fence longer than every backtick run, padded when the text starts or ends with a backtick or a space', () => {
    assert.equal(markdownCode('web'), '`web`');
    assert.equal(markdownCode('a`b'), '``a`b``');
    assert.equal(markdownCode('a``b`'), '``` a``b` ```');
    assert.equal(markdownCode('`'), '`` ` ``');
    assert.equal(markdownCode(' a '), '`  a  `');
    assert.equal(markdownCode('  '), '`  `', 'only spaces: CommonMark strips nothing');
    assert.equal(markdownCode(''), '` `');
  });

  test('controls shown as escapes; `|` escaped for a table cell unless outside a table', () => {
    assert.equal(markdownCode('a\r\nb\u001b\u202e'), '`a\\r\\nb\\e\\u202e`');
    assert.equal(markdownCode('a|b'), '`a\\|b`');
    assert.equal(markdownCode('a\\\\|b'), '`a\\\\\\|b`', 'an even run of backslashes before the pipe: one more');
    assert.equal(markdownCode('a\\|b'), '`a\\|b`', 'already an odd run: the pipe cannot end the cell');
    assert.equal(markdownCode('a|b', { table: false }), '`a|b`');
    assert.equal(markdownCode('<img src=x>[a](command:x)*e*'), '`<img src=x>[a](command:x)*e*`', 'nothing else has a meaning in a span');
  });

  test('whatever the text, it reads back exactly (controls as escapes), in a table cell too', () => {
    for (const text of [P, '`', '``', ' ` ', 'a | b', '|', '\\', '`a|`', '   ', '\\\\|']) {
      const inline = markdownCode(text, { table: false });
      assert.equal(checkMarkdown(inline), escapeControls(text), inline);
      const row = `| ${markdownCode(text)} | x |`;
      const expected = /(^|[^\\])(\\\\)*\\\|/.test(escapeControls(text)) ? undefined : `${escapeControls(text)} ¦ x`;
      const read = checkMarkdown(`| a | b |\n| --- | --- |\n${row}`).split('\n')[2];
      if (expected) assert.equal(read, expected, row);
    }
  });
});

// ---------------------------------------------------------------------------------------------

const NETWORK = {
  'file:///app.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${q()}
  namespace: ${q()}
spec:
  template:
    metadata:
      labels: {${q()}: ${q()}}
    spec:
      containers: [{name: web, image: nginx, ports: [{name: ${q()}, containerPort: 8080}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${q('lb')}
  namespace: ${q()}
spec:
  template:
    metadata:
      labels: {role: ${q()}}
    spec:
      containers: [{name: lb, image: envoy}]
`,
  'file:///policy.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${q()}
  namespace: ${q()}
spec:
  podSelector:
    matchLabels: {${q()}: ${q()}}
    matchExpressions:
      - {key: ${q()}, operator: In, values: [${q()}, ${q('2')}]}
      - {key: ${q()}, operator: NotIn, values: [${q('3')}]}
      - {key: ${q()}, operator: Exists}
      - {key: ${q('4')}, operator: DoesNotExist}
  ingress:
    - from:
        - podSelector: {matchLabels: {role: ${q()}}}
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ${q()}}}
          podSelector: {matchExpressions: [{key: ${q()}, operator: Exists}]}
        - namespaceSelector: {matchLabels: {${q()}: ${q()}}}
      ports: [{port: ${q()}}, {port: ${q('5')}, protocol: ${q()}}]
    - from: [{ipBlock: {cidr: ${q()}, except: [${q()}]}}]
  egress:
    - to: [{podSelector: {matchLabels: {role: ${q()}}}}]
`,
};

describe('network hovers quote the workspace as text', () => {
  const ws = workspace(NETWORK);

  test('on a NetworkPolicy: names, namespaces, selectors, ports and addresses', () => {
    const shown = checkMarkdown(hoverAt(networkHover, ws, 'file:///policy.yaml', 'name: "', 6));
    assert.ok(shown.startsWith(`NetworkPolicy ${SHOWN} selects Deployment/${SHOWN} (pods ${SHOWN}=${SHOWN}, ${SHOWN} in (${SHOWN}, ${SHOWN}2), ${SHOWN} notin (${SHOWN}3), ${SHOWN}, !${SHOWN}4).`), shown);
    assert.ok(shown.includes(`from pods role=${SHOWN} of namespace ${SHOWN} (Deployment/${SHOWN}lb)`), shown);
    assert.ok(shown.includes(`pods ${SHOWN} of namespace ${SHOWN}`), shown);
    assert.ok(shown.includes(`every pod of namespaces ${SHOWN}=${SHOWN}`), shown);
    assert.ok(shown.includes(`on ${SHOWN}/TCP (8080), ${SHOWN}5/${SHOWN}`), shown);
    assert.ok(shown.includes(`from addresses ${SHOWN} except ${SHOWN} on any port`), shown);
  });

  test('on one rule of a NetworkPolicy', () => {
    const onPeers = checkMarkdown(hoverAt(networkHover, ws, 'file:///policy.yaml', 'podSelector: {matchLabels: {role'));
    assert.ok(onPeers.startsWith(`This ingress rule allows connections from pods role=${SHOWN} of namespace ${SHOWN} (Deployment/${SHOWN}lb)`), onPeers);
    const onAddresses = checkMarkdown(hoverAt(networkHover, ws, 'file:///policy.yaml', 'ipBlock'));
    assert.equal(onAddresses, `This ingress rule allows connections from addresses ${SHOWN} except ${SHOWN} on any port.`);
  });

  test('on a workload: its reachability', () => {
    const shown = checkMarkdown(hoverAt(networkHover, ws, 'file:///app.yaml', 'name: "', 6));
    assert.ok(shown.startsWith(`Reachability of Deployment/${SHOWN} (namespace ${SHOWN}, pods ${SHOWN}=${SHOWN})`), shown);
    assert.ok(shown.includes(`isolated by NetworkPolicy ${SHOWN}. Allowed:`), shown);
    assert.ok(shown.includes(`to pods role=${SHOWN} of namespace ${SHOWN} (Deployment/${SHOWN}lb) on any port (${SHOWN})`), shown);
  });
});

// ---------------------------------------------------------------------------------------------

const RBAC = {
  'file:///rbac.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ${q()}
  namespace: ${q()}
rules:
  - {apiGroups: [${q()}], resources: [${q()}], resourceNames: [${q()}], verbs: [${q()}, get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ${q('rb')}, namespace: ${q()}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ${q()}}
subjects:
  - {kind: ServiceAccount, name: ${q()}}
  - {kind: ${q('kind')}, name: ${q()}}
  - {kind: Group, name: ${q('group')}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ${q('crb')}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${q('refkind')}, name: ${q('nowhere')}}
subjects: [{kind: Group, name: "system:serviceaccounts:${P_YAML}"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ${q('agg-binding')}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${q('agg')}}
subjects: [{kind: ServiceAccount, name: ${q()}, namespace: ${q()}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ${q('agg')}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {${q()}: ${q()}}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ${q('source')}
  labels: {${q()}: ${q()}}
rules: [{nonResourceURLs: [${q()}], verbs: [get]}]
`,
  'file:///app.yaml': `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${q()}
  namespace: ${q()}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: ${q()}}
spec:
  template:
    spec:
      serviceAccountName: ${q()}
      containers: [{name: api, image: api:1}]
`,
};

describe('identity hovers quote the workspace as text', () => {
  const ws = workspace(RBAC);

  test('on a ServiceAccount: the permissions table keeps its columns', () => {
    for (const [needle, shift] of [['name: "', 6], ['serviceAccountName: "', 21]] as const) {
      const shown = checkMarkdown(hoverAt(rbacHover, ws, 'file:///app.yaml', needle, shift));
      assert.ok(shown.startsWith(`ServiceAccount ${SHOWN}/${SHOWN}`), shown);
      assert.ok(shown.includes(`${SHOWN}, get ¦ ${SHOWN} (${SHOWN}) named ${SHOWN} ¦ namespace ${SHOWN} ¦ RoleBinding ${SHOWN}rb → Role ${SHOWN}`), shown);
      assert.ok(shown.includes(`— ¦ the role is defined nowhere: grants nothing ¦ cluster-wide ¦ ClusterRoleBinding ${SHOWN}crb (group system:serviceaccounts:${SHOWN}) → ${SHOWN}refkind ${SHOWN}nowhere (defined nowhere)`), shown);
      assert.ok(shown.includes(`get ¦ URLs ${SHOWN} (from ClusterRole ${SHOWN}source) ¦ cluster-wide ¦ ClusterRoleBinding ${SHOWN}agg-binding → ClusterRole ${SHOWN}agg`), shown);
    }
  });

  test('on a Role: its title and the holders table keep their structure', () => {
    const shown = checkMarkdown(hoverAt(rbacHover, ws, 'file:///rbac.yaml', 'name: "', 6));
    assert.ok(shown.startsWith(`Role ${SHOWN}\n`), shown);
    assert.ok(shown.includes(`ServiceAccount ${SHOWN}/${SHOWN}, ${SHOWN}kind ${SHOWN}, Group ${SHOWN}group ¦ RoleBinding ${SHOWN}rb ¦ namespace ${SHOWN}`), shown);
  });

  test('on an aggregated ClusterRole and on one of its sources', () => {
    const aggregate = checkMarkdown(hoverAt(rbacHover, ws, 'file:///rbac.yaml', `name: ${q('agg')}\naggregationRule`, 6));
    assert.ok(aggregate.includes(`Aggregates the rules of: ClusterRole ${SHOWN}source.`), aggregate);
    const source = checkMarkdown(hoverAt(rbacHover, ws, 'file:///rbac.yaml', `${P_YAML}source`, 0));
    assert.ok(source.includes(`ServiceAccount ${SHOWN}/${SHOWN} ¦ ClusterRoleBinding ${SHOWN}agg-binding (through aggregated ClusterRole ${SHOWN}agg) ¦ cluster-wide`), source);
  });
});
