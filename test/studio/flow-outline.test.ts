import { describe, expect, it } from 'vitest';
import { flowOutline } from '../../src/studio/ui/flow-outline.ts';

/** The flow map's outline (src/studio/ui/flow-outline.ts): steps the start cannot reach, and gotos that loop back. */
const FLOW = `flow: survey
triggers:
  keywords: [survey]
steps:
  - id: ask_score
    ask: "How did we do, 1 to 5?"
    var: score
    validate: { type: number, min: 1, max: 5 }
  - if: "score < 3"
    then: { goto: ask_score }
  - say: Thanks!
  - goto: done
  - id: orphan
    say: Nobody gets here.
  - id: done
    say: Bye!
`;

describe("the flow map's outline", () => {
  it('marks the steps nothing reaches and the edges that loop back, and places each step on its line', () => {
    const outline = flowOutline('flows/survey.yaml', FLOW)!;
    expect(outline.nodes.filter((node) => node.unreachable).map((node) => node.id)).toEqual(['orphan']);
    const loops = outline.edges.filter((edge) => edge.loop);
    expect(loops.map((edge) => [edge.from, edge.to, edge.label])).toEqual([['#2', 'ask_score', 'then']]);
    expect(outline.nodes.find((node) => node.id === 'orphan')!.line).toBe(13); // its '- id: orphan' line
    expect(outline.nodes.find((node) => node.id === 'done')!.unreachable).toBe(false);
  });

  it('is undefined while the text does not compile', () => {
    expect(flowOutline('flows/survey.yaml', FLOW.replace('  - say: Thanks!', '  - ssay: Thanks!'))).toBeUndefined();
  });
});
