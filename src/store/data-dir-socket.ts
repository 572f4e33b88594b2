/**
 * The embedded database (PGlite) can be opened by one process only (data-dir-lock.ts). So that command-line tools
 * (`parley report`, `kb gaps`, `customers …`, `releases …`) still work while `parley start` holds it, the server
 * answers SQL on a Unix socket under DATA_DIR (data-dir-server.ts) and the command, finding the directory claimed,
 * sends its queries there (data-dir-client.ts). What can reach the socket is what can already read the database's
 * files: the socket sits in `DATA_DIR/control`, a directory only its owner may enter (0700), and is itself 0600.
 *
 * Frames on the socket: a 4-byte big-endian length, then the message in V8's serialization (Dates, Uint8Arrays
 * and nested objects come through as PGlite returned them, unlike JSON).
 */
import { relative, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';

/** Bumped when the messages below change; a client refuses a server that speaks another version. */
export const PROTOCOL_VERSION = 1;
/** A client's frame larger than this closes the connection (a publish of every flow and article is far below it). */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;
/** The longest socket path the platforms take (macOS 104 bytes with the terminating zero; Linux 108). */
const MAX_SOCKET_PATH_BYTES = 103;

export type ClientMessage =
  | { op: 'query'; sql: string; params?: unknown[] }
  | { op: 'begin' }
  | { op: 'commit' }
  | { op: 'rollback' };

/** What a database error carries besides its message: fields callers branch on (`code` = SQLSTATE, e.g. 23505). */
export interface WireError {
  message: string;
  [field: string]: string | undefined;
}

export type Answer = { ok: true; rows?: unknown[]; rowCount?: number } | { ok: false; error: WireError };
export type ServerMessage = { hello: 'parley-db'; version: number; pid: number } | Answer;

export function controlDir(dataDir: string): string {
  return join(dataDir, 'control');
}

export function socketFile(dataDir: string): string {
  return join(controlDir(dataDir), 'db.sock');
}

/**
 * The path to bind or connect to: the absolute one, or the one relative to the working directory when that is
 * shorter (a deep DATA_DIR can exceed what a socket address holds); undefined when both are too long.
 */
export function socketAddress(dataDir: string, cwd = process.cwd()): string | undefined {
  const absolute = socketFile(dataDir);
  const fromCwd = relative(cwd, absolute);
  const shortest = Buffer.byteLength(fromCwd) < Buffer.byteLength(absolute) ? fromCwd : absolute;
  return Buffer.byteLength(shortest) <= MAX_SOCKET_PATH_BYTES ? shortest : undefined;
}

export function encodeFrame(message: ClientMessage | ServerMessage): Buffer {
  const body = serialize(message);
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  return Buffer.concat([header, body]);
}

/** Collects a stream's chunks and returns the whole frames in them, in order. */
export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  constructor(private readonly maxBytes = Number.POSITIVE_INFINITY) {}

  push(chunk: Buffer): unknown[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const messages: unknown[] = [];
    while (this.buffered.length >= 4) {
      const length = this.buffered.readUInt32BE(0);
      if (length > this.maxBytes) throw new RangeError(`a frame of ${length} bytes is over the limit of ${this.maxBytes}`);
      if (this.buffered.length < 4 + length) break;
      messages.push(deserialize(this.buffered.subarray(4, 4 + length)));
      this.buffered = this.buffered.subarray(4 + length);
    }
    return messages;
  }
}

/** The fields of a database error worth sending: its message and the string fields `pg` and PGlite set. */
export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { message: String(error) };
  const wire: WireError = { message: error.message };
  for (const field of ['code', 'detail', 'hint', 'severity', 'schema', 'table', 'column', 'constraint', 'where']) {
    const value = (error as unknown as Record<string, unknown>)[field];
    if (typeof value === 'string') wire[field] = value;
  }
  return wire;
}

export function fromWireError(wire: WireError): Error {
  const { message, ...fields } = wire;
  return Object.assign(new Error(message), fields);
}
