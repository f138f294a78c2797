// A message template as CEL (celTemplate): a denial reads like the diagnostic, whatever the text holds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { celEnv, parse, plan, type CelInput } from '@bufbuild/cel';
import { celTemplate } from '../../../server/src/export-policy/cel';

function run(expression: string, bindings: Record<string, unknown> = {}): unknown {
  return plan(celEnv(), parse(expression))(bindings as Record<string, CelInput>);
}

test('placeholders become the given CEL, the text around them string literals', () => {
  const cel = celTemplate('{{container}} sets procMount: {{value}}. Use "Default" \\ not {{ value }}.', { container: 'e.label', value: 'string(e.v)' });
  assert.equal(run(cel, { e: { label: 'Container "app"', v: 'Unmasked' } }), 'Container "app" sets procMount: Unmasked. Use "Default" \\ not Unmasked.');
});

test('a template without placeholders is one literal; an empty one the empty string', () => {
  assert.equal(celTemplate('No {curly} braces here.'), '"No {curly} braces here."');
  assert.equal(run(celTemplate('')), '');
});

test('a placeholder without CEL is the rule\'s bug', () => {
  assert.throws(() => celTemplate('{{container}} is {{what}}.', { container: 'e.label' }), /no CEL for \{\{what\}\}/);
});
