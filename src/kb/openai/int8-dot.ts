/**
 * Dot products of int8 vectors in WebAssembly SIMD (16 products per step; plain JavaScript does one): what lets a
 * question score thousands of 1,536-dimensional rows within a millisecond or two. The module is hand-written
 * WebAssembly, assembled below; its memory belongs to the caller (a VectorStore) and grows with it.
 *
 * `scores` takes a whole batch of rows per call (a search's probed lists) and four rows at a time: one call per row
 * cost more than the products, and a row is 1,536 bytes somewhere in 150 MB, whose fetch from memory the processor
 * waits for unless the loads of several rows are interleaved (scoring 5,000 rows scattered over 100,000 took 3.2 ms
 * one at a time, 0.5 ms four at a time; eight at a time was no faster). Eight codes at a time are loaded
 * sign-extended to int16 (`v128.load8x8_s`, one instruction on x64) and multiplied and summed in pairs into int32
 * (`i32x4.dot_i16x8_s`). `dot` scores one pair of vectors.
 *
 *   (func (export "scores") (param $q i32) (param $at i32) (param $count i32) (param $n i32)
 *     ;; count: a multiple of 4; n: a multiple of 16
 *     last = at + 4 * count
 *     loop while at < last:                 ;; at: four rows' byte offsets in, their dot products with q out
 *       a = q; end = q + n; b0..b3 = load at, at + 4, at + 8, at + 12; acc0..acc3 = 0
 *       loop while a < end:
 *         qv = load8x8_s a;       acc_j += i32x4.dot_i16x8_s(qv, load8x8_s b_j)        for j = 0..3
 *         qv = load8x8_s (a + 8); acc_j += i32x4.dot_i16x8_s(qv, load8x8_s (b_j + 8))  for j = 0..3
 *         a += 16; b_j += 16
 *       store at + 4j (the sum of acc_j's four lanes); at += 16)
 *
 *   (func (export "dot") (param $a i32) (param $b i32) (param $n i32) (result i32)
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
const add = 0x6a;
const i32 = (n: number) => [0x41, ...sleb(n)];
const breakIfAtLeast = (a: number, b: number) => [...get(a), ...get(b), 0x4f, 0x0d, 0x01]; // a >= b (unsigned): out of the block
const load8x8 = (local: number, offset: number) => [...get(local), 0xfd, 0x01, 0x00, offset]; // v128.load8x8_s
const advance = (local: number, by: number) => [...get(local), ...i32(by), add, ...set(local)];
const sumLanes = (acc: number) => [...get(acc), 0xfd, 0x1b, 0, ...get(acc), 0xfd, 0x1b, 1, add, ...get(acc), 0xfd, 0x1b, 2, add, ...get(acc), 0xfd, 0x1b, 3, add];
const load = [0xfd, 0x00, 0x00, 0x00];
const addPairsTo = (extmul: number) => [...get(4), ...get(0), ...load, ...get(1), ...load, 0xfd, extmul, 0x01, 0xfd, 0x7e, 0xfd, 0xae, 0x01, ...set(4)];

/** Rows `scores` takes together: their loads interleave, so the memory fetches four rows at once. */
export const ROWS_AT_ONCE = 4;
const Q = 0, AT = 1, COUNT = 2, N = 3, LAST = 4, A = 5, END = 6, B = 7, QV = 7 + ROWS_AT_ONCE, ACC = QV + 1;
const rowsOf = (f: (j: number) => number[]) => Array.from({ length: ROWS_AT_ONCE }, (_, j) => j).flatMap(f);

const scoresBody = [
  0x02, 3 + ROWS_AT_ONCE, 0x7f, 1 + ROWS_AT_ONCE, 0x7b, // locals: seven i32 (last, a, end, four b), five v128 (qv, four acc)
  ...get(AT), ...get(COUNT), ...i32(2), 0x74, add, ...set(LAST), // last = at + (count << 2)
  0x02, 0x40, 0x03, 0x40, // block, loop over the rows, four at a time
  ...breakIfAtLeast(AT, LAST),
  ...get(Q), ...set(A),
  ...get(Q), ...get(N), add, ...set(END),
  ...rowsOf((j) => [...get(AT), 0x28, 0x02, 4 * j, ...set(B + j)]), // b_j = i32.load at + 4j
  ...rowsOf((j) => [0xfd, 0x0c, ...new Array<number>(16).fill(0), ...set(ACC + j)]), // acc_j = v128.const 0
  0x02, 0x40, 0x03, 0x40, // block, loop over the dimensions
  ...breakIfAtLeast(A, END),
  ...[0, 8].flatMap((offset) => [
    ...load8x8(A, offset), ...set(QV),
    ...rowsOf((j) => [...get(ACC + j), ...get(QV), ...load8x8(B + j, offset), 0xfd, 0xba, 0x01, 0xfd, 0xae, 0x01, ...set(ACC + j)]),
  ]),
  ...advance(A, 16), ...rowsOf((j) => advance(B + j, 16)),
  0x0c, 0x00, 0x0b, 0x0b, // again; end loop, end block
  ...rowsOf((j) => [...get(AT), ...sumLanes(ACC + j), 0x36, 0x02, 4 * j]), // i32.store at + 4j
  ...advance(AT, 4 * ROWS_AT_ONCE),
  0x0c, 0x00, 0x0b, 0x0b,
  0x0b,
];

const dotBody = [
  0x02, 0x01, 0x7f, 0x01, 0x7b, // locals: one i32 (end), one v128 (acc)
  ...get(0), ...get(2), add, ...set(3),
  0x02, 0x40, 0x03, 0x40,
  ...breakIfAtLeast(0, 3),
  ...addPairsTo(0x9c), ...addPairsTo(0x9d),
  ...advance(0, 16), ...advance(1, 16),
  0x0c, 0x00, 0x0b, 0x0b,
  ...sumLanes(4),
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

/** Signed LEB128, for i32.const. */
function sleb(n: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...bytes, byte];
    bytes.push(byte | 0x80);
  }
}

const text = (s: string) => [s.length, ...Buffer.from(s, 'latin1')];

const bytes = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [0x02, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x00, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7f]),
  ...section(2, [0x01, ...text('m'), ...text('memory'), 0x02, 0x00, 0x01]),
  ...section(3, [0x02, 0x00, 0x01]),
  ...section(7, [0x02, ...text('scores'), 0x00, 0x00, ...text('dot'), 0x00, 0x01]),
  ...section(10, [0x02, ...leb(scoresBody.length), ...scoresBody, ...leb(dotBody.length), ...dotBody]),
]);

const module = new WebAssembly.Module(bytes);

export interface Int8Kernels {
  /**
   * `scores(q, at, count, n)`: for each of the `count` int32 (a multiple of ROWS_AT_ONCE) at byte offset `at` of the
   * memory, each the byte offset of an int8 vector n bytes long (a multiple of 16), writes in its place that vector's
   * dot product with the one at q.
   */
  scores: (q: number, at: number, count: number, n: number) => void;
  /** `dot(a, b, n)`: the dot product of the int8 vectors at byte offsets a and b, n bytes long (a multiple of 16). */
  dot: (a: number, b: number, n: number) => number;
}

export function int8Kernels(memory: WebAssembly.Memory): Int8Kernels {
  const instance = new WebAssembly.Instance(module, { m: { memory } });
  return instance.exports as unknown as Int8Kernels;
}
