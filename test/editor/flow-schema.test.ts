import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { STEP_KINDS } from '../../src/engine/schema.ts';
import { conversationTestJsonSchema, flowJsonSchema, schemaText } from '../../src/editor/flow-json-schema.ts';
import { demoFlowsDir, repoRoot } from '../support/app.ts';
import { validateJson } from './json-schema-check.ts';

const committed = (name: string) => readFileSync(path.join(repoRoot, 'schemas', name), 'utf8');
const flowSchema = JSON.parse(committed('flow.schema.json')) as Record<string, unknown>;
const testSchema = JSON.parse(committed('flow-test.schema.json')) as Record<string, unknown>;
const demo = readdirSync(demoFlowsDir).filter((name) => name.endsWith('.yaml')).sort();
const flowFiles = demo.filter((name) => !name.endsWith('.test.yaml'));
const testFiles = demo.filter((name) => name.endsWith('.test.yaml'));
const read = (name: string) => readFileSync(path.join(demoFlowsDir, name), 'utf8');

describe('schemas/*.schema.json: what editors\' YAML tooling validates against', () => {
  it('are exactly what `parley flows schema` generates now (regenerate them when the format changes)', () => {
    expect(committed('flow.schema.json'), 'run: parley flows schema --out schemas/flow.schema.json').toBe(schemaText(flowJsonSchema()));
    expect(committed('flow-test.schema.json'), 'run: parley flows schema --tests --out schemas/flow-test.schema.json')
      .toBe(schemaText(conversationTestJsonSchema()));
  });

  it('describe every step kind, each with its required key', () => {
    const options = ((flowSchema.$defs as Record<string, { anyOf?: { required?: string[]; title?: string }[] }>) ?? {});
    const steps = Object.values(options).find((def) => def.anyOf?.some((o) => o.title?.endsWith(' step')))?.anyOf ?? [];
    expect(steps.map((o) => o.title)).toEqual(STEP_KINDS.map((kind) => `${kind} step`));
    for (const [i, kind] of STEP_KINDS.entries()) expect(steps[i]!.required).toContain(kind);
    expect(flowSchema.required).toEqual(['flow', 'steps']);
  });

  it.each(flowFiles)('demo flow %s validates, and points at the schema on its first line', (name) => {
    const source = read(name);
    expect(source.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/flow.schema.json');
    expect(validateJson(flowSchema, parse(source))).toEqual([]);
  });

  it.each(testFiles)('demo conversation test %s validates against the test schema', (name) => {
    const source = read(name);
    expect(source.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/flow-test.schema.json');
    expect(validateJson(testSchema, parse(source))).toEqual([]);
  });

  it('rejects the mistakes an editor makes: a misspelt step, a missing var, an unknown key', () => {
    const flow = parse(read('returns.yaml')) as { steps: Record<string, unknown>[] };
    const misspelt = { ...flow, steps: [{ sya: 'hi' }] };
    const noVar = { ...flow, steps: [{ ask: 'Your email?' }] };
    const unknownKey = { ...flow, descripton: 'typo' };
    expect(validateJson(flowSchema, misspelt)).toContain('$.steps[0]: matches 0 of the anyOf options');
    expect(validateJson(flowSchema, noVar)).toContain('$.steps[0]: matches 0 of the anyOf options');
    expect(validateJson(flowSchema, unknownKey)).toEqual(['$.descripton: not allowed']);
  });
});
