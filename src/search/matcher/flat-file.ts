/**
 * The kept index's file: a JSON header, then each typed array and long string of the index as one section, aligned
 * to 8 bytes. Reading it is one readFile and a view per array (nothing is copied or rebuilt), so an unchanged base
 * of 100,000 passages is ready in well under a second; V8's serialiser took seconds for the same arrays and Maps.
 *
 * `writeFlatFile` takes any tree of plain objects, arrays, numbers, strings, booleans, nulls and typed arrays; `decode`
 * gives the same tree back, its typed arrays as views over the file's bytes.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const MAGIC = 'PARLEYIX';
/** Strings at least this long go into a section of their own rather than the JSON header. */
const LONG = 1024;

type Typed = Int32Array | Float32Array | Float64Array | Uint8Array;
const TYPES = { Int32Array, Float32Array, Float64Array, Uint8Array } as const;
type TypeName = keyof typeof TYPES;

/** How a long string's section is encoded (`string`: UTF-8, as files written before Latin-1 and UTF-16 were). */
type StringEncoding = 'string' | 'latin1' | 'utf16le';

interface SectionRef {
  $section: number;
  type: TypeName | StringEncoding;
}

const LATIN1 = /^[\u0000-\u00ff]*$/;

/** The file's bytes, in the order they are written: one Buffer of them all would double the memory of a large index. */
export function encodeParts(tree: unknown): Uint8Array[] {
  const parts: Array<{ bytes: Uint8Array; type: TypeName | StringEncoding }> = [];
  const header = JSON.stringify(tree, function (this: unknown, _key, value: unknown) {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const type = value.constructor.name as TypeName;
      if (!(type in TYPES)) throw new Error(`flat-file: ${type} is not supported`);
      parts.push({ bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength), type });
      return { $section: parts.length - 1, type } satisfies SectionRef;
    }
    if (typeof value === 'string' && value.length >= LONG) {
      // Decoding UTF-8 with any non-ASCII character in it took ~35 ms per MB; Latin-1 and UTF-16 are copied as they are.
      const type = LATIN1.test(value) ? 'latin1' : 'utf16le';
      parts.push({ bytes: Buffer.from(value, type), type });
      return { $section: parts.length - 1, type } satisfies SectionRef;
    }
    return value;
  });
  const headerBytes = Buffer.from(header, 'utf8');
  const out: Uint8Array[] = [];
  const start = Buffer.alloc(MAGIC.length + 8);
  start.write(MAGIC, 0, 'latin1');
  start.writeUInt32LE(headerBytes.length, MAGIC.length);
  out.push(start, headerBytes);
  let at = MAGIC.length + 8 + headerBytes.length;
  const sections: Array<[number, number]> = [];
  for (const part of parts) {
    if (align(at) > at) out.push(Buffer.alloc(align(at) - at));
    at = align(at);
    sections.push([at, part.bytes.byteLength]);
    out.push(part.bytes);
    at += part.bytes.byteLength;
  }
  if (align(at) > at) out.push(Buffer.alloc(align(at) - at));
  const table = Buffer.from(JSON.stringify(sections), 'utf8');
  start.writeUInt32LE(table.length, MAGIC.length + 4);
  out.push(table);
  return out;
}

/** Writes `tree` to `file` part by part (see encodeParts). */
export function writeFlatFile(file: string, tree: unknown): void {
  const fd = openSync(file, 'w');
  try {
    for (const part of encodeParts(tree)) for (let done = 0; done < part.byteLength; ) done += writeSync(fd, part, done);
  } finally {
    closeSync(fd);
  }
}

export function decode(file: Buffer): unknown {
  if (file.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error('flat-file: not an index file');
  // Views need the bytes aligned to their element size: a file read into a pooled buffer may not be.
  const bytes = file.byteOffset % 8 === 0 ? file : Buffer.from(file);
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const tableLength = bytes.readUInt32LE(MAGIC.length + 4);
  const table = JSON.parse(bytes.toString('utf8', bytes.length - tableLength)) as Array<[number, number]>;
  return JSON.parse(bytes.toString('utf8', MAGIC.length + 8, MAGIC.length + 8 + headerLength), (_key, value: unknown) => {
    if (!isRef(value)) return value;
    const [offset, length] = table[value.$section]!;
    if (value.type === 'string') return bytes.toString('utf8', offset, offset + length);
    if (value.type === 'latin1' || value.type === 'utf16le') return bytes.toString(value.type, offset, offset + length);
    const Type = TYPES[value.type];
    return new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset + offset, length / Type.BYTES_PER_ELEMENT) as Typed;
  });
}

function isRef(value: unknown): value is SectionRef {
  return typeof value === 'object' && value !== null && '$section' in value && 'type' in value;
}

function align(n: number): number {
  return Math.ceil(n / 8) * 8;
}
