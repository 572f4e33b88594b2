/**
 * The words of the documents being indexed, numbered as they first appear and analysed once each (stop word or not,
 * stem): a base of 100,000 passages has millions of words but only some hundred thousand distinct ones, so the rest
 * of the build works on numbers, not strings.
 */
import { GrowableInt32 } from './growable.ts';
import { Interner } from './interner.ts';
import type { Analyzer } from './text.ts';

export class TokenIds {
  private readonly ids = new Interner();
  private readonly stemIds = new Map<string, number>();
  /** By stem id. */
  readonly stems: string[] = [];
  /** Per token id, its stem's id, or -1 for a function word. */
  private readonly stemIdOf = new GrowableInt32(1024);

  constructor(private readonly analyzer: Analyzer) {}

  /** By token id. */
  get tokens(): readonly string[] {
    return this.ids.strings;
  }

  /** The id of the token text[from .. to - 1]. */
  id(text: string, from: number, to: number): number {
    const known = this.ids.size;
    const id = this.ids.id(text, from, to);
    if (id < known) return id;
    const token = this.ids.strings[id]!;
    if (this.analyzer.isStop(token)) this.stemIdOf.push(-1);
    else {
      const stem = this.analyzer.stem(token);
      let s = this.stemIds.get(stem);
      if (s === undefined) this.stemIds.set(stem, (s = this.stems.length)), this.stems.push(stem);
      this.stemIdOf.push(s);
    }
    return id;
  }

  /** The stem id of token `id`, or -1 for a function word. */
  stemOf(id: number): number {
    return this.stemIdOf.at(id);
  }
}
