/**
 * Passage embeddings on disk, keyed by a hash of the model and the exact text embedded, so a passage is embedded
 * once until its text changes. One JSON Lines file per model under `<dataDir>/kb/embeddings/`:
 * `{"h": sha256, "v": base64 of little-endian float32}`. New vectors are appended after each batch (an
 * interrupted run keeps what it paid for); the file is rewritten without stale entries when they outnumber
 * the live ones.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export function contentHash(model: string, text: string): string {
  return createHash('sha256').update(model).update('\0').update(text).digest('hex');
}

export class EmbeddingCache {
  private readonly vectors = new Map<string, Float32Array>();
  private loaded = false;
  readonly file: string;

  constructor(dataDir: string, model: string) {
    this.file = path.join(dataDir, 'kb', 'embeddings', `${model.replace(/[^\w.-]+/g, '_')}.jsonl`);
  }

  async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    if (!existsSync(this.file)) return;
    for (const line of (await readFile(this.file, 'utf8')).split('\n')) {
      if (!line) continue;
      try {
        const { h, v } = JSON.parse(line) as { h: string; v: string };
        this.vectors.set(h, decode(v));
      } catch {
        // A line cut short by a crash: that passage is embedded again.
      }
    }
  }

  get(hash: string): Float32Array | undefined {
    return this.vectors.get(hash);
  }

  async add(entries: ReadonlyArray<{ hash: string; vector: Float32Array }>): Promise<void> {
    if (entries.length === 0) return;
    for (const { hash, vector } of entries) this.vectors.set(hash, vector);
    await mkdir(path.dirname(this.file), { recursive: true });
    await appendFile(this.file, entries.map(({ hash, vector }) => `${JSON.stringify({ h: hash, v: encode(vector) })}\n`).join(''));
  }

  /** Drops entries no passage uses any more, when they are the majority. */
  async compact(live: ReadonlySet<string>): Promise<void> {
    const stale = [...this.vectors.keys()].filter((hash) => !live.has(hash));
    if (stale.length === 0 || stale.length <= live.size) return;
    for (const hash of stale) this.vectors.delete(hash);
    const lines = [...this.vectors].map(([h, v]) => `${JSON.stringify({ h, v: encode(v) })}\n`).join('');
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, lines);
    await rename(tmp, this.file);
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
