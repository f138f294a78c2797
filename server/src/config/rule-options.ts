import Ajv from 'ajv';
import type { RuleMeta, RuleOptionsSchema } from '../engine/rule';

const ajv = new Ajv({ allErrors: true });

/** What is wrong with `value` as options of a rule with this schema (empty when nothing is). */
export function ruleOptionsErrors(schema: RuleOptionsSchema, value: unknown): string[] {
  const validate = ajv.compile(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath.slice(1).replace(/\//g, '.') || '(options)'}: ${e.message}`);
}

/**
 * The `ruleOptions` part of the configuration's JSON Schema: each rule with options by id, so
 * the config file and the editor setting are validated (and completed) against the rules' own schemas.
 */
export function ruleOptionsSchema(rules: readonly Pick<RuleMeta, 'id' | 'options'>[]): Record<string, unknown> {
  return {
    description: 'Options of the rules that have some, by rule id (see each rule\'s documentation). Given options replace the rule\'s defaults key by key.',
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(rules.filter((r) => r.options).map((r) => [r.id, r.options!.schema])),
  };
}
