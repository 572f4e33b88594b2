/**
 * Dot products of int8 vectors in WebAssembly SIMD (16 products per step; plain JavaScript does one): what lets a
 * question score thousands of 1,536-dimensional rows within a millisecond or two. The module is eleven instructions
 * of hand-written WebAssembly, assembled below; its memory belongs to the caller (a VectorStore) and grows with it.
 *
 *   (func (export "dot") (param $a i32) (param $b i32) (param $n i32) (result i32)   ;; n: a multiple of 16
 *     (local $end i32) (local $acc v128)
 *     end = a + n
 *     loop while a < end:
 *       acc += i32x4.extadd_pairwise_i16x8_s(i16x8.extmul_low_i8x16_s(load a, load b))
 *       acc += i32x4.extadd_pairwise_i16x8_s(i16x8.extmul_high_i8x16_s(load a, load b))
 *       a += 16; b += 16
 *     return the sum of acc's four lanes)
 */

const get = (local: number) => [0x20, local];
const set = (local: number) => [0x21, local];
const load = [0xfd, 0x00, 0x00, 0x00];
const addPairsTo = (extmul: number) => [...get(4), ...get(0), ...load, ...get(1), ...load, 0xfd, extmul, 0x01, 0xfd, 0x7e, 0xfd, 0xae, 0x01, ...set(4)];
const advance = (local: number) => [...get(local), 0x41, 0x10, 0x6a, ...set(local)];
const lane = (n: number) => [...get(4), 0xfd, 0x1b, n];

const body = [
  0x02, 0x01, 0x7f, 0x01, 0x7b, // locals: one i32 (end), one v128 (acc)
  ...get(0), ...get(2), 0x6a, ...set(3),
  0x02, 0x40, 0x03, 0x40, // block, loop
  ...get(0), ...get(3), 0x4f, 0x0d, 0x01, // a >= end: out
  ...addPairsTo(0x9c), ...addPairsTo(0x9d),
  ...advance(0), ...advance(1),
  0x0c, 0x00, 0x0b, 0x0b, // again; end loop, end block
  ...lane(0), ...lane(1), 0x6a, ...lane(2), 0x6a, ...lane(3), 0x6a,
  0x0b,
];

function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

function leb(n: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (n !== 0);
  return bytes;
}

const text = (s: string) => [s.length, ...Buffer.from(s, 'latin1')];

const bytes = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7f]),
  ...section(2, [0x01, ...text('m'), ...text('memory'), 0x02, 0x00, 0x01]),
  ...section(3, [0x01, 0x00]),
  ...section(7, [0x01, ...text('dot'), 0x00, 0x00]),
  ...section(10, [0x01, ...leb(body.length), ...body]),
]);

const module = new WebAssembly.Module(bytes);

/** `dot(a, b, n)`: the dot product of the int8 vectors at byte offsets a and b of `memory`, n bytes long (a multiple of 16). */
export function int8Dot(memory: WebAssembly.Memory): (a: number, b: number, n: number) => number {
  const instance = new WebAssembly.Instance(module, { m: { memory } });
  return instance.exports.dot as (a: number, b: number, n: number) => number;
}
