/**
 * The vector store and its IVF lists on disk (`<dataDir>/kb/embeddings/<model>.vectors`), so that a start whose
 * passages are all in it loads one file instead of reading the embeddings cache and clustering again. Layout: "PVEC",
 * the header's length (uint32 LE), the header (JSON, padded to 8 bytes), then per row its scale (float32), its list
 * (int32), the centroids (float32), the codes (int8, rows x stride) and the content hashes (32 bytes each).
 */
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { Ivf, SKETCH } from './ivf.ts';
import { VectorStore } from './vector-store.ts';

const MAGIC = 'PVEC';
const VERSION = 1;

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
  const parts: ArrayBufferView[] = [
    head,
    store.scales.subarray(0, rows),
    ivf ? ivf.listOf(rows) : new Int32Array(0),
    ivf ? ivf.centroids : new Float32Array(0),
    store.codes.subarray(0, rows * store.stride),
    hashes,
  ];
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    for (const part of parts) await handle.write(new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}

/** The store kept in `file`, or null when there is none or it cannot be read (it is then made again). */
export async function readVectorFile(file: string): Promise<VectorStore | null> {
  if (!existsSync(file)) return null;
  const raw = await readFile(file);
  // Typed arrays are laid over the buffer in place: it must start on an 8-byte boundary (a large file's always does).
  const data = raw.byteOffset % 8 === 0 ? raw : Buffer.from(raw);
  try {
    if (data.toString('latin1', 0, 4) !== MAGIC) return null;
    const length = data.readUInt32LE(4);
    const header = JSON.parse(data.toString('utf8', 8, 8 + length)) as Header;
    if (header.version !== VERSION || header.sketch !== SKETCH) return null;
    const { dims, rows, lists } = header;
    if (header.stride !== Math.ceil(dims / 16) * 16) return null;
    let at = 8 + length;
    const take = <T>(make: (buffer: ArrayBuffer, offset: number, length: number) => T, count: number, bytes: number): T => {
      const view = make(data.buffer, data.byteOffset + at, count);
      at += count * bytes;
      return view;
    };
    const scales = take((b, o, n) => new Float32Array(b, o, n), rows, 4);
    const listOf = take((b, o, n) => new Int32Array(b, o, n), lists > 0 ? rows : 0, 4);
    const centroids = take((b, o, n) => new Float32Array(b, o, n), lists * SKETCH, 4);
    const codes = take((b, o, n) => new Int8Array(b, o, n), rows * header.stride, 1);
    if (at + rows * 32 !== data.byteLength) return null;
    const hashes = Array.from({ length: rows }, (_, row) => data.toString('hex', at + row * 32, at + row * 32 + 32));
    return VectorStore.restore(dims, hashes, codes, scales, lists > 0 ? Ivf.restore(centroids, listOf, header.trainedOn) : null);
  } catch {
    return null;
  }
}
