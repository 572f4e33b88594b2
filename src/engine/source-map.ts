import { isMap, isScalar, isSeq, LineCounter, type Document, type Node, type Pair } from 'yaml';
import type { FlowIssue } from './model.ts';

export type Path = readonly PropertyKey[];

/** Where a problem points: the value at a path, the key that holds it, or the mapping that lacks it. */
export interface Problem {
  path: Path;
  message: string;
  at?: 'value' | 'key' | 'parent';
  /** Offset into the scalar's text (e.g. a bad `{{` inside a say), when known. */
  offset?: number;
}

interface Found {
  node?: Node;
  pair?: Pair;
  /** The deepest node that exists on the path. */
  nearest: Node | undefined;
}

/** Turns paths into the data into 1-based line:col positions in the YAML source. */
export class SourceMap {
  constructor(
    readonly file: string,
    private readonly source: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  issue(problem: Problem): FlowIssue {
    return { file: this.file, ...this.position(problem), message: problem.message };
  }

  offsetIssue(offset: number, message: string): FlowIssue {
    return { file: this.file, ...this.lines.linePos(offset), message };
  }

  private position(problem: Problem): { line: number; col: number } {
    const found = this.find(problem.path);
    let offset: number | undefined;
    if (problem.at === 'key' && found.pair && isNode(found.pair.key)) offset = found.pair.key.range?.[0];
    else if (problem.at === 'parent') offset = this.find(problem.path.slice(0, -1)).node?.range?.[0];
    else if (found.node) offset = this.valueOffset(found.node, problem.offset);
    else if (found.pair && isNode(found.pair.key)) offset = found.pair.key.range?.[0];
    offset ??= found.nearest?.range?.[0] ?? 0;
    return this.lines.linePos(offset);
  }

  private valueOffset(node: Node, inner: number | undefined): number | undefined {
    const start = node.range?.[0];
    if (start === undefined || inner === undefined || !isScalar(node) || typeof node.value !== 'string') return start;
    const quoted = node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE';
    if (!quoted && node.type !== 'PLAIN') return start;
    const body = start + (quoted ? 1 : 0);
    // Escapes make the text differ from the source; only point inside when the prefix is verbatim.
    const verbatim = this.source.slice(body, body + inner) === node.value.slice(0, inner);
    return verbatim ? body + inner : start;
  }

  private find(path: Path): Found {
    let node: unknown = this.doc.contents;
    let pair: Pair | undefined;
    let nearest = isNode(node) ? node : undefined;
    for (const segment of path) {
      pair = undefined;
      if (isMap(node)) {
        pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
        node = pair?.value ?? undefined;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
      } else {
        node = undefined;
      }
      if (!isNode(node)) return { pair, nearest };
      nearest = node;
    }
    return { node: nearest, pair, nearest };
  }
}

function isNode(value: unknown): value is Node {
  return isScalar(value) || isMap(value) || isSeq(value);
}
