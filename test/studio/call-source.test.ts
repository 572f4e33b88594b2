import { describe, expect, it } from 'vitest';
import { callSource, type PreviewCall } from '../../src/studio/ui/call-source.ts';

/** What the preview chat says answered a call step (src/studio/ui/call-source.ts): "recorded 3 days ago", "your sample". */
const NOW = Date.parse('2026-12-06T09:00:00Z');
const order = { endpoint: 'order_lookup', sample: false };

describe('what answered a preview call step', () => {
  it.each<[PreviewCall, string]>([
    [{ ...order, sample: true }, 'answered by your sample'],
    [{ ...order, live: true }, 'called for real: a safe endpoint, live calls allowed'],
    [{ ...order, recordedAt: '2026-12-03T08:00:00Z' }, 'answered by its answer recorded 3 days ago'],
    [{ ...order, recordedAt: '2026-12-06T06:00:00Z' }, 'answered by its answer recorded 3 hours ago'],
    [{ ...order, recordedAt: '2026-12-06T08:59:00Z' }, 'answered by its answer recorded 1 minute ago'],
    [{ ...order, recordedAt: '2026-12-06T08:59:40Z' }, 'answered by its answer recorded just now'],
    [{ ...order, demo: true }, 'answered by the demo order API'],
    [order, 'no sample and nothing recorded: it failed as not configured'],
  ])('%o: %s', (call, said) => {
    expect(callSource(call, NOW)).toBe(said);
  });
});
