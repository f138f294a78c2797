// Every exported document validates against the Kubernetes and Kyverno schemas (bundled in
// ./schemas, strict: unknown fields fail), for both profiles, with and without exemptions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import type { EngineConfig } from '../../../server/src/engine/config';
import { exportPolicies, POLICY_FORMATS } from '../../../server/src/export-policy/export-policies';
import { RULES } from '../../../rules';
import vap from './schemas/validatingadmissionpolicy-admissionregistration-v1.json';
import binding from './schemas/validatingadmissionpolicybinding-admissionregistration-v1.json';
import clusterPolicy from './schemas/clusterpolicy-kyverno.io-v1.json';

const ajv = new Ajv({ allErrors: true, strict: false });
const SCHEMAS: Record<string, ReturnType<typeof ajv.compile>> = {
  ValidatingAdmissionPolicy: ajv.compile(vap),
  ValidatingAdmissionPolicyBinding: ajv.compile(binding),
  ClusterPolicy: ajv.compile(clusterPolicy),
};

/** Kubernetes names: DNS subdomains of at most 253 characters; matchCondition names are qualified names of at most 63. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

const CONFIGS: EngineConfig[] = [
  { profile: 'restricted', rules: {} },
  { profile: 'baseline', rules: { 'run-as-root': 'info' } },
  {
    profile: 'restricted',
    rules: {},
    today: '2026-01-01',
    strict: ['privileged-container'],
    exemptions: [
      { kind: 'Deployment', name: 'legacy-*', reason: 'r', expires: '2027-01-01' },
      { namespace: 'kube-system', reason: 'r' },
      { kind: 'DaemonSet', reason: 'r' },
      { namespace: 'team-*', container: 'istio-proxy', reason: 'r' },
      { kind: 'Rollout', reason: 'r' },
    ],
  },
  {
    profile: 'restricted',
    rules: {},
    podTemplates: [
      { apiVersion: 'platform.example.com/v1', kind: 'WebApp', path: 'spec.runtime.template', resource: 'webapps' },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', path: 'spec.template' },
      { apiVersion: 'batch.example.com/*', kind: 'Job', path: 'spec.template', resource: 'jobs' },
      { apiVersion: 'example.com/*', kind: 'Batch', path: 'spec.template' },
    ],
  },
];

describe('exported documents validate against the Kubernetes and Kyverno schemas', () => {
  for (const format of POLICY_FORMATS) {
    CONFIGS.forEach((config, i) => {
      test(`${format}, configuration ${i + 1}`, () => {
        const docs = parseAllDocuments(exportPolicies({ format, rules: RULES, config }).yaml).map((d) => d.toJS() as Record<string, any>);
        assert.ok(docs.length > 0);
        assert.equal(new Set(docs.map((d) => `${d.kind}/${d.metadata.name}`)).size, docs.length, 'names are unique');
        for (const doc of docs) {
          const validate = SCHEMAS[doc.kind];
          assert.ok(validate, `unexpected kind ${doc.kind}`);
          assert.ok(validate(doc), `${doc.kind} ${doc.metadata.name}: ${ajv.errorsText(validate.errors)}`);
          assert.match(doc.metadata.name, DNS_SUBDOMAIN);
          // Kyverno derives label keys and webhook names from a policy's name: 63 characters at most.
          if (doc.kind === 'ClusterPolicy') assert.ok(doc.metadata.name.length <= 63, doc.metadata.name);
          const conditions = doc.spec.matchConditions ?? doc.spec.rules?.[0].celPreconditions ?? [];
          for (const condition of conditions) assert.match(condition.name, QUALIFIED_NAME);
          assert.ok(conditions.length <= 64, 'at most 64 match conditions');
        }
      });
    });
  }
});
