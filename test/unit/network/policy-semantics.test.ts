// NetworkPolicy semantics as the API server defaults and evaluates them: policyTypes, peers, ports, ipBlocks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allowsEverything, anyPeerOf } from '../../../server/src/analysis/network/allows-any';
import { admitsAnyAddress, cidrsOverlap, parseCidr } from '../../../server/src/analysis/network/cidr';
import { activeRules, parseNetworkPolicy, type NetworkPolicyModel } from '../../../server/src/analysis/network/network-policy';
import { portAdmits, type ContainerPort, type PortList } from '../../../server/src/analysis/network/ports';
import { resourcesOf } from './helpers';

function policy(spec: string): NetworkPolicyModel {
  const [resource] = resourcesOf(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n${spec}`);
  return parseNetworkPolicy(resource, 'default');
}

const types = (p: NetworkPolicyModel) => [...p.types].sort().join(',');

describe('policyTypes defaults (pkg/apis/networking/v1/defaults.go)', () => {
  const table: Array<[string, string, string]> = [
    ['nothing written: Ingress only', '  podSelector: {}\n', 'ingress'],
    ['ingress rules only: Ingress only', '  podSelector: {}\n  ingress: [{}]\n', 'ingress'],
    ['egress rules: Ingress and Egress', '  podSelector: {}\n  egress: [{}]\n', 'egress,ingress'],
    ['an empty egress list has no rules: Ingress only', '  podSelector: {}\n  egress: []\n', 'ingress'],
    ['written Egress only: ingress rules are ignored', '  podSelector: {}\n  policyTypes: [Egress]\n  ingress: [{}]\n', 'egress'],
    ['written both with no rules: a full default deny', '  podSelector: {}\n  policyTypes: [Ingress, Egress]\n', 'egress,ingress'],
  ];
  for (const [name, spec, expected] of table) test(name, () => assert.equal(types(policy(spec)), expected));

  test('rules of a direction outside the types do not take effect', () => {
    const p = policy('  podSelector: {}\n  policyTypes: [Egress]\n  ingress: [{}]\n');
    assert.equal(p.rules.ingress.length, 1);
    assert.equal(activeRules(p, 'ingress').length, 0);
  });

  test('a missing podSelector decodes to the empty selector (every pod)', () => {
    assert.deepEqual(policy('  policyTypes: [Ingress]\n').podSelector.requirements, []);
  });
});

describe('rules and peers', () => {
  test('missing, null and empty `from` admit every source; a null item is an empty rule', () => {
    const p = policy('  podSelector: {}\n  ingress:\n    - ports: [{port: 80}]\n    - from:\n    - from: []\n    -\n');
    assert.deepEqual(p.rules.ingress.map((r) => r.peers), ['any', 'any', 'any', 'any']);
    assert.equal(allowsEverything(p.rules.ingress[3]), true);
    assert.equal(allowsEverything(p.rules.ingress[0]), false, 'limited to port 80');
  });

  test('a peer without selector or ipBlock is invalid and admits nothing', () => {
    const p = policy('  podSelector: {}\n  ingress:\n    - from: [{}]\n');
    assert.equal(p.rules.ingress[0].peers.length, 1);
    assert.equal(anyPeerOf(p.rules.ingress[0]), undefined);
  });

  test('ipBlock with except, podSelector and namespaceSelector are read per peer', () => {
    const p = policy('  podSelector: {}\n  egress:\n    - to:\n        - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}\n        - {namespaceSelector: {matchLabels: {team: a}}, podSelector: {matchLabels: {app: db}}}\n');
    const [block, both] = p.rules.egress[0].peers as Exclude<typeof p.rules.egress[0]['peers'], 'any'>;
    assert.deepEqual(block.ipBlock && { cidr: block.ipBlock.cidr, except: block.ipBlock.except }, { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] });
    assert.ok(both.namespaceSelector && both.podSelector && !both.ipBlock);
  });
});

const portsAdmit = (ports: PortList, port: number, protocol: string, pod: ContainerPort[]) => ports === 'all' || ports.some((spec) => portAdmits(spec, port, protocol, pod));

describe('ports', () => {
  const pod: ContainerPort[] = [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }];
  const ports = (flow: string) => policy(`  podSelector: {}\n  ingress:\n    - ports: ${flow}\n`).rules.ingress[0].ports;

  test('protocol defaults to TCP; an empty list means every port', () => {
    const [spec] = ports('[{port: 80}]') as Exclude<ReturnType<typeof ports>, 'all'>;
    assert.equal(spec.protocol, 'TCP');
    assert.equal(ports('[]'), 'all');
  });

  const table: Array<[string, string, number, string, boolean]> = [
    ['number and protocol', '[{port: 8080}]', 8080, 'TCP', true],
    ['protocol differs', '[{port: 8080}]', 8080, 'UDP', false],
    ['endPort range includes', '[{port: 8000, endPort: 8100}]', 8080, 'TCP', true],
    ['endPort range excludes', '[{port: 8000, endPort: 8050}]', 8080, 'TCP', false],
    ['named port resolved against the pod', '[{port: http}]', 8080, 'TCP', true],
    ['named port of another protocol', '[{port: dns}]', 53, 'UDP', false],
    ['named port with its protocol', '[{port: dns, protocol: UDP}]', 53, 'UDP', true],
    ['named port the pod does not declare', '[{port: metrics}]', 9090, 'TCP', false],
    ['protocol only: every port of it', '[{protocol: UDP}]', 5353, 'UDP', true],
    ['no ports: everything', '[]', 1, 'SCTP', true],
  ];
  for (const [name, flow, port, protocol, expected] of table) {
    test(name, () => assert.equal(portsAdmit(ports(flow), port, protocol, pod), expected));
  }

});

describe('ipBlock and "any" peers', () => {
  test('CIDR parsing and overlap', () => {
    assert.equal(parseCidr('10.0.0.0/33'), undefined);
    assert.equal(parseCidr('not-an-ip/8'), undefined);
    assert.ok(cidrsOverlap(parseCidr('10.0.0.0/8')!, parseCidr('10.20.0.0/16')!));
    assert.ok(cidrsOverlap(parseCidr('10.20.0.0/16')!, parseCidr('10.0.0.0/8')!));
    assert.ok(!cidrsOverlap(parseCidr('10.0.0.0/8')!, parseCidr('192.168.0.0/16')!));
    assert.ok(!cidrsOverlap(parseCidr('10.0.0.0/8')!, parseCidr('fc00::/7')!));
  });

  const table: Array<[string, string, string[], boolean]> = [
    ['0.0.0.0/0', '0.0.0.0/0', [], true],
    ['::/0', '::/0', [], true],
    ['0.0.0.0/0 except only the metadata address', '0.0.0.0/0', ['169.254.169.254/32'], true],
    ['0.0.0.0/0 except a private range: the internet only', '0.0.0.0/0', ['10.0.0.0/8'], false],
    ['0.0.0.0/0 except a part of a private range', '0.0.0.0/0', ['10.96.0.0/12'], false],
    ['::/0 except unique local addresses', '::/0', ['fd00::/8'], false],
    ['::/0 with an IPv4 except still admits every IPv6 address', '::/0', ['10.0.0.0/8'], true],
    ['a bounded block', '203.0.113.0/24', [], false],
  ];
  for (const [name, cidr, except, expected] of table) test(name, () => assert.equal(admitsAnyAddress(cidr, except), expected));

  const peers: Array<[string, string, boolean]> = [
    ['lone namespaceSelector: {}', '[{namespaceSelector: {}}]', true],
    ['namespaceSelector: {} with podSelector: {}', '[{namespaceSelector: {}, podSelector: {}}]', true],
    ['namespaceSelector: {} with pod labels: bounded', '[{namespaceSelector: {}, podSelector: {matchLabels: {app: prometheus}}}]', false],
    ['podSelector: {} alone: the own namespace only', '[{podSelector: {}}]', false],
    ['namespaceSelector with labels', '[{namespaceSelector: {matchLabels: {team: a}}}]', false],
    ['ipBlock 0.0.0.0/0 among other peers', '[{podSelector: {matchLabels: {a: b}}}, {ipBlock: {cidr: 0.0.0.0/0}}]', true],
  ];
  for (const [name, flow, expected] of peers) {
    test(`peer: ${name}`, () => assert.equal(anyPeerOf(policy(`  podSelector: {}\n  ingress:\n    - from: ${flow}\n`).rules.ingress[0]) !== undefined, expected));
  }
});
