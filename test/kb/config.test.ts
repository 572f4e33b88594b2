import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { isParleyError } from '../../src/core/errors.ts';
import { createKnowledgeBase } from '../../src/kb/index.ts';

describe('knowledge base settings', () => {
  it('defaults: ./knowledge, the one threshold 0.5, watching, offline', () => {
    const config = loadConfig({}, '/srv/shop');
    expect(config).toMatchObject({ knowledgeDir: '/srv/shop/knowledge', minConfidence: 0.5, kbWatch: true, openai: undefined });
  });

  it('UNDERSTANDING_MIN_CONFIDENCE sets the threshold; KB_MIN_CONFIDENCE, its former name, still does when it is unset', () => {
    expect(loadConfig({ UNDERSTANDING_MIN_CONFIDENCE: '0.7' }).minConfidence).toBe(0.7);
    expect(loadConfig({ KB_MIN_CONFIDENCE: '0.6' }).minConfidence).toBe(0.6);
    expect(loadConfig({ UNDERSTANDING_MIN_CONFIDENCE: '0.7', KB_MIN_CONFIDENCE: '0.6' }).minConfidence).toBe(0.7);
    expect(() => loadConfig({ UNDERSTANDING_MIN_CONFIDENCE: '1.5' })).toThrow(/UNDERSTANDING_MIN_CONFIDENCE/);
  });

  it('OpenAI is on when OPENAI_API_KEY is set, with default models', () => {
    const config = loadConfig({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', KB_MIN_CONFIDENCE: '0.8', KB_WATCH: 'false' }, '/srv');
    expect(config.openai).toEqual({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:11434/v1', chatModel: 'gpt-4o-mini', embeddingModel: 'text-embedding-3-small' });
    expect(config).toMatchObject({ minConfidence: 0.8, kbWatch: false });
  });

  it('a threshold outside 0..1 is a configuration error', async () => {
    expect(() => loadConfig({ KB_MIN_CONFIDENCE: '1.5' })).toThrow(/KB_MIN_CONFIDENCE/);
    const error = await createKnowledgeBase({ dir: '.', dataDir: '.', minConfidence: -1 }).catch((e: unknown) => e);
    expect(isParleyError(error, 'CONFIG_INVALID')).toBe(true);
  });
});
