/**
 * The vector store and its IVF lists on disk (`<dataDir>/kb/embeddings/<model>.vectors`), so that a start whose
 * passages are all in it loads one file instead of reading the embeddings cache and clustering again. Layout: "PVEC",
 * the header's length (uint32 LE), the header (JSON, padded to 8 bytes), then per row its scale (float32), its place
 * among the codes (int32), its list (int32), the centroids (float32), the codes (int8, rows x stride) and per row its
 * content hash (32 bytes). The codes are in the order of the lists: loaded, the rows of a list are one stretch of
 * memory, which a search reads faster than rows scattered over all of it.
 */
import { existsSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import path from 'node:path';
import { Ivf, SKETCH } from './ivf.ts';
import { VectorStore } from './vector-store.ts';

const MAGIC = 'PVEC';
const VERSION = 2;
/** Rows of codes written at a time. */
const CHUNK = 1024;

interface Header {
  version: number;
  dims: number;
  rows: number;
  lists: number;
  trainedOn: number;
  sketch: number;
  stride: number;
}

export async function writeVectorFile(file: string, store: VectorStore): Promise<void> {
  const rows = store.rows;
  const ivf = store.ivf;
  const header: Header = { version: VERSION, dims: store.dims, rows, lists: ivf?.count ?? 0, trainedOn: ivf?.trainedOn ?? 0, sketch: SKETCH, stride: store.stride };
  let json = JSON.stringify(header);
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' ';
  const head = Buffer.alloc(8 + Buffer.byteLength(json));
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(Buffer.byteLength(json), 4);
  head.write(json, 8, 'utf8');
  const hashes = Buffer.alloc(rows * 32);
  store.hashes.forEach((hash, row) => hashes.write(hash, row * 32, 'hex'));
  const order = listOrder(store, rows);
  const placeOf = new Int32Array(rows);
  order.forEach((row, place) => (placeOf[row] = place));
  const parts: ArrayBufferView[] = [
    head,
    store.scales.subarray(0, rows),
    placeOf,
    ivf ? ivf.listOf(rows) : new Int32Array(0),
    ivf ? ivf.centroids : new Float32Array(0),
  ];
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w');
  const write = (part: ArrayBufferView) => handle.write(new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
  try {
    for (const part of parts) await write(part);
    // The codes a chunk at a time, gathered in list order; rows may be added (and the memory grow) in between, but a
    // row's codes never change.
    const stride = store.stride;
    const chunk = new Int8Array(CHUNK * stride);
    for (let from = 0; from < rows; from += CHUNK) {
      const n = Math.min(CHUNK, rows - from);
      const codes = store.codes;
      for (let k = 0; k < n; k++) {
        const at = store.slot(order[from + k]!) * stride;
        chunk.set(codes.subarray(at, at + stride), k * stride);
      }
      await write(chunk.subarray(0, n * stride));
    }
    await write(hashes);
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}

/**
 * The store kept in `file`, or null when there is none or it cannot be read (it is then made again). The codes are
 * read straight into the store's memory: loading holds them once, not twice.
 */
export async function readVectorFile(file: string): Promise<VectorStore | null> {
  if (!existsSync(file)) return null;
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const read = async (into: Uint8Array, position: number): Promise<void> => {
      for (let done = 0; done < into.byteLength; ) {
        const { bytesRead } = await handle.read(into, done, into.byteLength - done, position + done);
        if (bytesRead === 0) throw new Error('embeddings index: cut short');
        done += bytesRead;
      }
    };
    const start = Buffer.alloc(8);
    await read(start, 0);
    if (start.toString('latin1', 0, 4) !== MAGIC) return null;
    const length = start.readUInt32LE(4);
    const json = Buffer.alloc(length);
    await read(json, 8);
    const header = JSON.parse(json.toString('utf8')) as Header;
    const { dims, rows, lists, stride } = header;
    if (header.version !== VERSION || header.sketch !== SKETCH || stride !== Math.ceil(dims / 16) * 16) return null;
    // Scales, places, lists and centroids: small, read together; then the codes; then the hashes.
    const smallAt = 8 + length;
    const smallBytes = 2 * rows * 4 + (lists > 0 ? rows * 4 : 0) + lists * SKETCH * 4;
    const codesAt = smallAt + smallBytes;
    const hashesAt = codesAt + rows * stride;
    if (hashesAt + rows * 32 !== size) return null;
    return await VectorStore.restore(
      dims,
      rows,
      (codes) => read(new Uint8Array(codes.buffer, codes.byteOffset, codes.byteLength), codesAt),
      async () => {
        const small = new ArrayBuffer(smallBytes);
        await read(new Uint8Array(small), smallAt);
        const scales = new Float32Array(small, 0, rows);
        const slots = new Int32Array(small, rows * 4, rows);
        const listOf = new Int32Array(small, 2 * rows * 4, lists > 0 ? rows : 0);
        const centroids = new Float32Array(small, 2 * rows * 4 + listOf.byteLength, lists * SKETCH);
        const hashBytes = Buffer.alloc(rows * 32);
        await read(hashBytes, hashesAt);
        const hashes = Array.from({ length: rows }, (_, row) => hashBytes.toString('hex', row * 32, row * 32 + 32));
        if (!isPermutation(slots)) throw new Error('embeddings index: a place missing or repeated');
        return { hashes, scales, slots, ivf: lists > 0 ? Ivf.restore(centroids.slice(), listOf, header.trainedOn) : null };
      },
    );
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

/** The rows below `rows` in the order of their lists (the lists' order, each list's own), or row order without lists. */
function listOrder(store: VectorStore, rows: number): Int32Array {
  const order = new Int32Array(rows);
  let k = 0;
  for (const list of store.ivf?.lists ?? []) for (const row of list) if (row < rows && k < rows) order[k++] = row;
  if (k === rows && isPermutation(order)) return order;
  return order.map((_, row) => row);
}

/** Whether `values` holds each of 0..length-1 once. */
function isPermutation(values: Int32Array): boolean {
  const seen = new Uint8Array(values.length);
  for (const v of values) {
    if (v < 0 || v >= values.length || seen[v] === 1) return false;
    seen[v] = 1;
  }
  return true;
}
