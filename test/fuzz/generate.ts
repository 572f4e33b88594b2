/**
 * Seeded generators of bad input. The same seed gives the same inputs, so a failure is reproduced with
 * `PARLEY_FUZZ_SEED=<seed> npx vitest run test/fuzz`; every failure message names the seed and the case.
 */
export const FUZZ_SEED = Number(process.env.PARLEY_FUZZ_SEED ?? 20_261_123);

export type Rng = () => number;

/** mulberry32: a small, fast, seedable PRNG. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (r: Rng, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
export const pick = <T>(r: Rng, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

export function bytes(r: Rng, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(r() * 256);
  return out;
}

/** Values of the wrong type for almost any field, and strings no channel sends. */
export function wrongValue(r: Rng): unknown {
  return pick(r, [
    () => null,
    () => int(r, -1e6, 1e6),
    () => r() * 1e308 * 10, // Infinity becomes null in JSON
    () => true,
    () => [],
    () => [1, 'two', null],
    () => ({}),
    () => ({ nested: { deeper: [{}] } }),
    () => '',
    () => ' '.repeat(int(r, 1, 50)),
    () => 'x'.repeat(int(r, 5_000, 20_000)),
    () => '\u0000\u0001\u0007 control',
    () => '\ud800 lone surrogate',
    () => bytes(r, int(r, 1, 64)).toString('latin1'),
    () => '<script>alert(1)</script>',
    () => "'; DROP TABLE messages; --",
    () => '{{last_message}}',
    () => int(r, 0, 1) ? '1e999' : '-0',
  ])();
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value inside `value` (objects and arrays), the root excluded. */
export function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => [[...prefix, key], ...paths((value as Record<string | number, unknown>)[key], [...prefix, key])]);
}

/** A copy of `value` with the value at `path` replaced, or deleted when `replacement` is `DELETE`. */
export const DELETE = Symbol('delete');
export function mutate(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(value) as Json;
  let parent: any = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  const last = path.at(-1)!;
  if (replacement === DELETE) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = replacement;
  return copy;
}

export interface BadBody {
  /** What kind of bad input this is, for the failure message. */
  kind: string;
  body: Buffer;
  contentType: string | undefined;
  /** True when no reading of it is a valid request: it must get a 4xx. Mutants of a valid body may still be valid. */
  mustRefuse: boolean;
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8'];
const OTHER_TYPES = [undefined, 'text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml'];

/** One bad body, built from a valid example of the endpoint's payload. */
export function badBody(r: Rng, valid: unknown): BadBody {
  const text = JSON.stringify(valid);
  const json = (kind: string, value: string | Buffer, mustRefuse: boolean): BadBody => ({
    kind, body: Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8'), contentType: pick(r, JSON_TYPES), mustRefuse,
  });
  const all = paths(valid);
  switch (int(r, 0, 9)) {
    case 0:
      return json('truncated', text.slice(0, int(r, 0, text.length - 1)), true);
    case 1:
      return json('binary', bytes(r, int(r, 1, 4096)), true);
    case 2:
      return { kind: 'binary, not JSON', body: bytes(r, int(r, 1, 4096)), contentType: pick(r, OTHER_TYPES), mustRefuse: true };
    case 3:
      return json('oversized', JSON.stringify({ ...(valid as object), padding: 'x'.repeat(int(r, 1_100_000, 1_500_000)) }), true);
    case 4:
      return json('deeply nested', `${'['.repeat(int(r, 1000, 20_000))}${']'.repeat(int(r, 0, 10))}`, true);
    case 5:
      return json('not an object', JSON.stringify(pick(r, [null, 0, 'text', [], [valid], true])), true);
    case 6:
      return { kind: 'valid JSON, wrong content type', body: Buffer.from(text), contentType: pick(r, OTHER_TYPES.slice(1)), mustRefuse: false };
    case 7: {
      const path = pick(r, all);
      return json(`missing ${path.join('.')}`, JSON.stringify(mutate(valid, path, DELETE)), false);
    }
    default: {
      const path = pick(r, all);
      const replacement = wrongValue(r);
      return json(`wrong type at ${path.join('.')}`, JSON.stringify(mutate(valid, path, replacement)), false);
    }
  }
}
