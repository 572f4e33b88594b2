/**
 * Passage embeddings on disk as the model returned them, keyed by a hash of the model and the exact text embedded,
 * so a passage is embedded once until its text changes. One JSON Lines file per model under
 * `<dataDir>/kb/embeddings/`: `{"h": sha256, "v": base64 of little-endian float32}`. New vectors are appended after
 * each batch (an interrupted run keeps what it paid for). The file is read line by line and only for the hashes
 * asked for: what a search uses is the compact store (vector-store.ts), which is made from it.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { appendFile, mkdir, rename, writeFile, open } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';

export function contentHash(model: string, text: string): string {
  return createHash('sha256').update(model).update('\0').update(text).digest('hex');
}

export class EmbeddingCache {
  readonly file: string;

  constructor(dataDir: string, name: string) {
    this.file = path.join(dataDir, 'kb', 'embeddings', `${name}.jsonl`);
  }

  /** Calls `found` with each vector whose hash is in `wanted` (and removes it from `wanted`). */
  async take(wanted: Set<string>, found: (hash: string, vector: Float32Array) => void): Promise<void> {
    if (wanted.size === 0 || !existsSync(this.file)) return;
    for await (const { hash, line } of lines(this.file)) {
      if (!wanted.has(hash)) continue;
      try {
        const { v } = JSON.parse(line) as { v: string };
        found(hash, decode(v));
        wanted.delete(hash);
      } catch {
        // A line cut short by a crash: that passage is embedded again.
      }
      if (wanted.size === 0) break;
    }
  }

  async add(entries: ReadonlyArray<{ hash: string; vector: Float32Array }>): Promise<void> {
    if (entries.length === 0) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    await appendFile(this.file, entries.map(({ hash, vector }) => `${JSON.stringify({ h: hash, v: encode(vector) })}\n`).join(''));
  }

  /** Rewrites the file with only the entries whose hash is in `live`. */
  async compact(live: ReadonlySet<string>): Promise<void> {
    if (!existsSync(this.file)) return;
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, '');
    const handle = await open(tmp, 'a');
    try {
      const kept = new Set<string>();
      for await (const { hash, line } of lines(this.file)) {
        if (!live.has(hash) || kept.has(hash)) continue;
        kept.add(hash);
        await handle.write(`${line}\n`);
      }
    } finally {
      await handle.close();
    }
    await rename(tmp, this.file);
  }
}

/** The file's lines with the hash each starts with (`{"h":"…"`), without parsing the rest. */
async function* lines(file: string): AsyncGenerator<{ hash: string; line: string }> {
  const reader = createInterface({ input: createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of reader) {
    const match = /^\{"h":"([0-9a-f]{64})"/.exec(line);
    if (match) yield { hash: match[1]!, line };
  }
}

function encode(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

function decode(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
