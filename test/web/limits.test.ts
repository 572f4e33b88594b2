import { describe, expect, it } from 'vitest';
import { clientOf } from '../../src/infra/client-address.ts';
import { TokenBuckets } from '../../src/infra/token-bucket.ts';

describe('token buckets', () => {
  it('allows the burst, then one more per refill interval, and says when', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perMinute: 3, now: () => now });
    expect([1, 2, 3].map(() => buckets.take('a').ok)).toEqual([true, true, true]);
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterMs: 20_000 });
    expect(buckets.take('b').ok).toBe(true);
    now = 20_000;
    expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('a').ok).toBe(false);
  });

  it('forgets the least recently used keys past maxKeys, and 0 is no limit', () => {
    const buckets = new TokenBuckets({ perMinute: 1, maxKeys: 2, now: () => 0 });
    buckets.take('a');
    buckets.take('b');
    buckets.take('c');
    expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('c').ok).toBe(false);
    const off = new TokenBuckets({ perMinute: 0 });
    expect(Array.from({ length: 100 }, () => off.take('x').ok).every(Boolean)).toBe(true);
  });
});

describe('clientOf (the address a limit counts)', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002::9', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s counts as %s', (ip, key) => {
    expect(clientOf(ip)).toBe(key);
  });
});
