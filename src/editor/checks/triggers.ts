/**
 * Triggers two flows share: the same keyword (compared as the engine matches them: case, accents, punctuation
 * and plural s ignored) is an error, since only one of the flows can ever win it; the same example is a
 * warning. Payloads claimed twice are reported by the loader.
 */
import { terms, words } from '../../engine/text.ts';
import type { Check, CheckContext, Finding, Severity } from './finding.ts';

export const checkTriggers: Check = (ctx) => [
  ...collisions(ctx, 'keywords', (text) => terms(text).join(' '), 'error'),
  ...collisions(ctx, 'examples', (text) => words(text).join(' '), 'warning'),
];

function collisions(ctx: CheckContext, key: 'keywords' | 'examples', normalize: (text: string) => string, severity: Severity): Finding[] {
  const findings: Finding[] = [];
  const first = new Map<string, { flow: string; index: number }>();
  const flows = [...ctx.graph.flows.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const flow of flows) {
    flow.triggers[key].forEach((text, index) => {
      const normal = normalize(text);
      if (normal === '') return;
      const owner = first.get(normal);
      if (!owner) first.set(normal, { flow: flow.name, index });
      else if (owner.flow !== flow.name) {
        const where = ctx.locate(owner.flow, { at: ['triggers', key, owner.index] });
        findings.push({
          severity, flow: flow.name, place: { at: ['triggers', key, index] },
          message: `${key === 'keywords' ? 'keyword' : 'example'} '${text}' is also ${key === 'keywords' ? 'a keyword' : 'an example'} of flow '${owner.flow}' (${where.file}:${where.line}): ` +
            (key === 'keywords' ? 'a message with it can start only one of them' : 'the two flows compete for the same messages'),
        });
      }
    });
  }
  return findings;
}
