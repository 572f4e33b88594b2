/**
 * Numbers distinct strings as they first appear, looked up by a range of characters of a longer string (a word of a
 * field's text, an n-gram of a word) rather than a string of their own: building an index of 100,000 passages looks up
 * millions of words and n-grams, and making a string of each and hashing it in a Map was most of the build's time.
 * An open-addressing table of ids over typed arrays; the characters of each string kept once in a pool.
 */
export class Interner {
  /** Each slot: id + 1, or 0 when empty; power-of-two sized, at most half full. */
  private slots = new Int32Array(1 << 12);
  private hashes = new Int32Array(1 << 11);
  /** String i's characters are pool[starts[i]] .. pool[starts[i + 1] - 1]. */
  private starts = new Int32Array(1 << 11);
  private pool = new Uint16Array(1 << 14);
  /** By id. */
  readonly strings: string[] = [];

  get size(): number {
    return this.strings.length;
  }

  /** The id of text[from .. to - 1] (added when new). */
  id(text: string, from: number, to: number): number {
    let h = 0x811c9dc5;
    for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    const length = to - from;
    const mask = this.slots.length - 1;
    let slot = h & mask;
    for (let entry = this.slots[slot]!; entry !== 0; entry = this.slots[slot]!) {
      const id = entry - 1;
      const start = this.starts[id]!;
      if (this.hashes[id] === h && this.starts[id + 1]! - start === length) {
        let k = 0;
        while (k < length && this.pool[start + k] === text.charCodeAt(from + k)) k++;
        if (k === length) return id;
      }
      slot = (slot + 1) & mask;
    }
    return this.add(text, from, to, h, slot);
  }

  private add(text: string, from: number, to: number, h: number, slot: number): number {
    const id = this.strings.length;
    this.strings.push(from === 0 && to === text.length ? text : text.slice(from, to));
    if (id + 2 > this.starts.length) {
      this.starts = grown(this.starts, id + 2);
      this.hashes = grown(this.hashes, id + 2);
    }
    const start = this.starts[id]!;
    if (start + to - from > this.pool.length) this.pool = grown(this.pool, start + to - from);
    for (let i = from; i < to; i++) this.pool[start + i - from] = text.charCodeAt(i);
    this.starts[id + 1] = start + to - from;
    this.hashes[id] = h;
    this.slots[slot] = id + 1;
    if (2 * (id + 1) > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let id = 0; id < this.strings.length; id++) {
      let slot = this.hashes[id]! & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = id + 1;
    }
  }
}

function grown<T extends Int32Array | Uint16Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
}
