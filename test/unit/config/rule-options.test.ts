// Rule options: the config file and the setting are validated against each rule's own schema,
// the file's options win over the setting's for the same rule, and a rule's defaults fill in
// what a configuration leaves out.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfigFile, ruleOptionsSetting } from '../../../server/src/config/config-file';
import { resolveConfig } from '../../../server/src/config/resolve-config';
import { ruleOptionsOf } from '../../../server/src/engine/config';
import { DEFAULT_SETTINGS } from '../../../server/src/protocol/protocol';
import { RULES } from '../../../rules';
import { ruleOptionsErrors } from '../../../server/src/config/rule-options';

const KNOWN = new Set(RULES.map((r) => r.meta.id));
const rule = (id: string) => RULES.find((r) => r.meta.id === id)!;

describe('rule options', () => {
  test('every rule\'s defaults are valid options of its own schema', () => {
    for (const { meta } of RULES.filter((r) => r.meta.options)) assert.deepEqual(ruleOptionsErrors(meta.options!.schema, meta.options!.defaults), [], meta.id);
  });

  test('a file\'s options parse; a wrong value, an unknown option and a rule without options are errors at their node', () => {
    const valid = parseConfigFile('ruleOptions:\n  host-path-volume:\n    allowedHostPaths:\n      - {pathPrefix: /var/log, readOnly: true}\n', KNOWN);
    assert.deepEqual(valid.errors, []);
    assert.deepEqual(valid.config?.ruleOptions, { 'host-path-volume': { allowedHostPaths: [{ pathPrefix: '/var/log', readOnly: true }] } });

    const wrong = parseConfigFile('ruleOptions:\n  host-path-volume:\n    allowedHostPaths:\n      - {pathPrefix: var/log}\n', KNOWN);
    assert.equal(wrong.errors.length, 1);
    assert.equal(wrong.errors[0].range.start.line, 3);
    assert.match(wrong.errors[0].message, /ruleOptions\.host-path-volume\.allowedHostPaths\.0\.pathPrefix: must match pattern "\^\/"/);

    const unknownOption = parseConfigFile('ruleOptions:\n  resource-limits-missing:\n    limit: [memory]\n', KNOWN);
    assert.match(unknownOption.errors[0].message, /unknown property "limit"/);
    assert.equal(unknownOption.errors[0].range.start.line, 2);

    const noOptions = parseConfigFile('ruleOptions:\n  run-as-root: {strict: true}\n', KNOWN);
    assert.match(noOptions.errors[0].message, /ruleOptions: unknown property "run-as-root"/);
  });

  test('the setting is taken only when valid; the file\'s options of a rule win over the setting\'s', () => {
    assert.deepEqual(ruleOptionsSetting({ 'resource-limits-missing': { limits: ['memory'] } }), { 'resource-limits-missing': { limits: ['memory'] } });
    assert.deepEqual(ruleOptionsSetting({ 'resource-limits-missing': { limits: 'memory' } }), {});
    const settings = { ...DEFAULT_SETTINGS, ruleOptions: { 'resource-limits-missing': { limits: ['memory'] }, 'host-path-volume': { allowedHostPaths: [{ pathPrefix: '/opt' }] } } };
    const file = { ruleOptions: { 'host-path-volume': { allowedHostPaths: [{ pathPrefix: '/var/log', readOnly: true }] } } };
    const { engine } = resolveConfig(settings, file, '2026-12-05');
    assert.deepEqual(engine.ruleOptions, { 'resource-limits-missing': { limits: ['memory'] }, 'host-path-volume': { allowedHostPaths: [{ pathPrefix: '/var/log', readOnly: true }] } });
  });

  test('a rule reads its defaults, with configured keys over them', () => {
    const limits = rule('resource-limits-missing');
    assert.deepEqual(ruleOptionsOf(limits, { profile: 'restricted', rules: {} }), { limits: ['memory', 'cpu'] });
    assert.deepEqual(ruleOptionsOf(limits, { profile: 'restricted', rules: {}, ruleOptions: { 'resource-limits-missing': { limits: [] } } }), { limits: [] });
    assert.deepEqual(ruleOptionsOf(rule('run-as-root'), { profile: 'restricted', rules: {} }), {});
  });
});
