/**
 * A numbered set of strings kept as one string, the offsets of each in it, and an open-addressing hash table of
 * ids, all plain data: a kept index loads it as it was written (one decode of the text, views over the rest), where
 * a Map of a million character n-grams would take longer to rebuild than the whole index takes to read.
 */
export interface StringTableData {
  text: string;
  starts: Int32Array;
  slots: Int32Array;
}

export class StringTable {
  private constructor(
    private readonly text: string,
    /** String i is text[starts[i]] .. text[starts[i + 1] - 1] (UTF-16 offsets). */
    private readonly starts: Int32Array,
    /** Power-of-two sized; each slot holds id + 1, or 0 when empty. */
    private readonly slots: Int32Array,
  ) {}

  /** Numbers `strings` in their order (string i gets id i); of equal strings, `id` finds the first. */
  static from(strings: readonly string[]): StringTable {
    const starts = new Int32Array(strings.length + 1);
    strings.forEach((s, i) => (starts[i + 1] = starts[i]! + s.length));
    let size = 2;
    while (size < strings.length * 2) size *= 2;
    const slots = new Int32Array(size);
    const table = new StringTable(strings.join(''), starts, slots);
    strings.forEach((s, i) => {
      let slot = hash(s) & (size - 1);
      while (slots[slot] !== 0) {
        if (table.at(slots[slot]! - 1) === s) return;
        slot = (slot + 1) & (size - 1);
      }
      slots[slot] = i + 1;
    });
    return table;
  }

  static restore(data: StringTableData): StringTable {
    return new StringTable(data.text, data.starts, data.slots);
  }

  data(): StringTableData {
    return { text: this.text, starts: this.starts, slots: this.slots };
  }

  get size(): number {
    return this.starts.length - 1;
  }

  at(id: number): string {
    return this.text.slice(this.starts[id]!, this.starts[id + 1]!);
  }

  /** The UTF-16 code unit at `index` of string `id` (from its end when negative), NaN past either end. */
  codeAt(id: number, index: number): number {
    const start = this.starts[id]!;
    const end = this.starts[id + 1]!;
    const at = index < 0 ? end + index : start + index;
    return at >= start && at < end ? this.text.charCodeAt(at) : Number.NaN;
  }

  /** The string's id, or undefined when it is not in the table. */
  id(s: string): number | undefined {
    const mask = this.slots.length - 1;
    for (let slot = hash(s) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) return undefined;
      const start = this.starts[entry - 1]!;
      if (this.starts[entry]! - start === s.length && this.text.startsWith(s, start)) return entry - 1;
    }
  }

  has(s: string): boolean {
    return this.id(s) !== undefined;
  }
}

/** FNV-1a over UTF-16 code units. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
