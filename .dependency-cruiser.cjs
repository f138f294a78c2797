// Import boundaries of kube-zero-trust, checked by `npm run lint:boundaries` (part of `npm test`).
// See README.md, "Architecture". Type-only imports count: a type import still couples the code.
//
// Every rule below can fail: each was shown to by adding a violating import and running the step.

/**
 * Layers of server/src (and the rules), lowest first. A layer may import only from layers before
 * it: with a total order this forbids every cycle between folders (and every upward dependency,
 * even an acyclic one), so each layer can be reasoned about and tested without the ones above.
 * This is the README's layering parsing → model → workspace → engine → analysis → lsp/cli, with the
 * other folders placed where their imports put them.
 */
const LAYERS = [
  { name: 'protocol', path: 'server/src/protocol', why: 'messages shared with the client; imports nothing (see protocol-is-a-leaf)' },
  { name: 'parsing', path: 'server/src/parsing', why: 'YAML text to syntax trees with exact positions' },
  { name: 'model', path: 'server/src/model', why: 'resources, pod specs and security values read from a parsed document' },
  { name: 'kustomize', path: 'server/src/kustomize', why: 'kustomizations read statically: the overlays that build each file and where they place it' },
  { name: 'workspace', path: 'server/src/workspace', why: 'the workspace of manifests and what other resources may read of a resource' },
  { name: 'edits', path: 'server/src/edits', why: 'generic text and YAML edits (offsets, setting a path, rendering a draft), which the engine applies and shifts' },
  { name: 'engine', path: 'server/src/engine', why: 'the rule contract and the linter loop' },
  { name: 'report', path: 'server/src/report', why: 'report formats and escaping (analyses escape Markdown with it)' },
  { name: 'config', path: 'server/src/config', why: 'the .kube-zero-trust.yaml parser, producing the engine configuration' },
  { name: 'analysis', path: 'server/src/analysis', why: 'cross-resource analyses (NetworkPolicy, RBAC, credentials, audit policies)' },
  { name: 'fixes', path: 'server/src/fixes', why: "the fixes the analyses' findings offer (NetworkPolicies generated from reachability, RBAC and audit-policy edits), built on the analyses and the generic edits" },
  { name: 'hovers', path: 'server/src/hovers', why: 'hover providers, built on the analyses' },
  { name: 'export-policy', path: 'server/src/export-policy', why: 'admission policies (ValidatingAdmissionPolicy, Kyverno) from the rules: the CEL vocabulary of their checks and the assembly' },
  { name: 'rules', path: 'rules|server/src/rule-api\\.ts|server/src/rules-kit', why: 'the rules, the API they are written against and the rule templates they share (rules-kit)' },
  { name: 'rendering', path: 'server/src/rendering', why: 'rendered manifests (kustomize output) linted and placed back on the files they came from; pure' },
  { name: 'kustomize-runner', path: 'server/src/kustomize-runner', why: 'runs kustomize (a process, temporary folders) for the front ends; the one place outside the CLI and the server that starts a program' },
  { name: 'audit', path: 'server/src/audit', why: 'the audit service both front ends use: files read, parsed and linted over worker threads (the one place that starts them)' },
  { name: 'front-ends', path: 'server/src/lsp|server/src/cli', why: 'the language server handlers and the CLI (independent: see lsp-and-cli-are-independent)' },
  { name: 'server-entry', path: 'server/src/server\\.ts', why: "the language server's entry point" },
];

const under = (paths) => `^(${paths})(/|$)`;
const above = (name) => under(LAYERS.slice(LAYERS.findIndex((l) => l.name === name) + 1).map((l) => l.path).join('|'));

const layering = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.name}`,
  severity: 'error',
  comment:
    `${layer.name} (${layer.why}) may import only from the layers below it: ` +
    `${LAYERS.slice(0, i).map((l) => l.name).join(', ') || 'none'}. Upward imports would create folder cycles.`,
  from: {
    path: under(layer.path),
    // The one known upward import is checked apart (engine-imports-only-the-rules-registry).
    ...(layer.name === 'engine' ? { pathNot: '^server/src/engine/engine\\.ts$' } : {}),
  },
  to: { path: above(layer.name) },
}));

const CORE = 'server/src/(engine|model|parsing|analysis|edits|fixes|hovers|rendering|export-policy|rules-kit)|server/src/rule-api\\.ts|rules';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle-across-folders',
      severity: 'error',
      comment:
        'No import cycle may leave the folder it starts in (folders of server/src, their subfolders such as ' +
        'analysis/network and analysis/rbac, the rules, the client): a cycle makes module initialisation order ' +
        'matter and ties folders that must be testable apart. The layer rules forbid upward imports; this ' +
        'also covers folders of one layer (analysis subfolders, lsp and cli, rules and rule-api.ts). Cycles ' +
        'inside one folder are that folder\'s own business.',
      // $1: the folder of the importing module.
      from: { path: '^(.+)/[^/]+$' },
      to: { circular: true, via: { pathNot: '^$1/[^/]+$' } },
    },
    ...layering,
    {
      name: 'engine-imports-only-the-rules-registry',
      severity: 'error',
      comment:
        'The one known upward import (a folder cycle engine → rules → engine, reported in issue 14): ' +
        'engine/engine.ts defaults to the registry rules/index.ts. Nothing else in the engine may reach the rules or the layers above it.',
      from: { path: '^server/src/engine/engine\\.ts$' },
      to: { path: above('engine'), pathNot: '^rules/index\\.ts$' },
    },
    {
      name: 'lsp-and-cli-are-independent',
      severity: 'error',
      comment: 'The language server and the CLI are two front ends on the same engine; shared code belongs in a lower layer.',
      from: { path: '^server/src/(lsp|cli)/' },
      // $1 is the importing front end: imports inside its own folder are fine.
      to: { path: '^server/src/(lsp|cli)/', pathNot: '^server/src/$1/' },
    },
    {
      name: 'protocol-is-a-leaf',
      severity: 'error',
      comment:
        'server/src/protocol/ is compiled into the client: it holds plain wire types and constants, ' +
        'so it may import nothing from the server, no package and no Node built-in.',
      from: { path: '^server/src/protocol/' },
      to: { pathNot: '^server/src/protocol/' },
    },
    {
      name: 'client-imports-only-the-protocol',
      severity: 'error',
      comment:
        'The client is a thin VS Code extension: from the server it sees only the protocol (messages and ' +
        'settings); otherwise only vscode, vscode-languageclient and Node built-ins. Anything else would be ' +
        'bundled into the extension host and couple the client to server internals.',
      from: { path: '^client/', pathNot: '^client/webview/' },
      to: {
        pathNot: '^(client/|server/src/protocol/|vscode$|node_modules/@types/vscode/|node_modules/vscode-languageclient/)',
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'webview-imports-only-the-graph-library',
      severity: 'error',
      comment:
        'client/webview/ runs inside the posture report webview (a browser, no Node, no vscode): it sees the ' +
        'protocol wire shapes and cytoscape, which esbuild bundles (no CDN under the report CSP).',
      from: { path: '^client/webview/' },
      to: { pathNot: '^(client/webview/|server/src/protocol/|node_modules/cytoscape/)' },
    },
    {
      name: 'engine-core-is-pure',
      severity: 'error',
      comment:
        'The engine core (engine, model, parsing, analysis, fixes, hovers, rules) is pure: text in, findings ' +
        'and edits out. It never touches the editor API, the LSP connection, the front ends, the disk, ' +
        'processes, threads or the network, so it runs the same in the server, the CLI, its workers and tests, ' +
        'and its results depend only on its inputs (incremental results that are correct by construction).',
      from: { path: under(CORE) },
      to: {
        path: [
          '^(vscode$|node_modules/@types/vscode/)',
          '^(node_modules/)?vscode-languageserver(/|$)',
          '^(node_modules/)?vscode-languageserver-protocol(/|$)',
          '^(node_modules/)?vscode-jsonrpc(/|$)',
          '^server/src/(lsp|cli)/',
          '^server/src/server\\.ts$',
          '^(node:)?(fs|fs/promises|child_process|dgram|dns|dns/promises|tls|http|https|http2|worker_threads|cluster)$',
        ],
      },
    },
    {
      name: 'engine-core-network-module-only-for-address-arithmetic',
      severity: 'error',
      comment:
        'The engine core opens no socket. node:net is allowed in one place: analysis/network/cidr.ts uses its ' +
        'pure address helpers (isIP, BlockList) to compare CIDR blocks.',
      from: { path: under(CORE), pathNot: '^server/src/analysis/network/cidr\\.ts$' },
      to: { path: '^(node:)?net$' },
    },
    {
      name: 'engine-core-textdocument-types-only',
      severity: 'error',
      comment:
        'vscode-languageserver-textdocument is used by the core only for its Range/Position types (plain ' +
        'line/character records); a value import would pull the editor document model into the engine.',
      from: { path: under(CORE) },
      to: { path: '^(node_modules/)?vscode-languageserver-textdocument(/|$)', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // A checkout whose node_modules is a link (a git worktree) names packages as node_modules/… too.
    preserveSymlinks: true,
    // Type-only imports are dependencies too (they are erased at run time, but couple the code).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
