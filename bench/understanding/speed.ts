/**
 * Build and query time at the size the issue names: 100 flows with 10 examples each and 1,000 knowledge passages,
 * made from the BANKING77 train messages and StackFAQ answers (figures, never pass/fail).
 */
import { Matcher, type MatchDoc } from '../../src/search/matcher/index.ts';
import type { EvalSet } from './data.ts';

export function speed(banking: EvalSet | undefined, faq: EvalSet | undefined): string | null {
  const bankDocs = banking?.parts.at(-1)?.tasks[0]?.docs;
  const faqDocs = faq?.parts.at(-1)?.tasks[0]?.docs;
  if (!bankDocs || !faqDocs) return null;
  const messages = bankDocs.flatMap((d) => d.fields.map((f) => f.text));
  const flows: MatchDoc[] = Array.from({ length: 100 }, (_, i) => ({
    id: `flow:${i}`,
    locale: 'en',
    fields: messages.slice(i * 10, i * 10 + 10).map((text) => ({ kind: 'example', text })),
  }));
  const paragraphs = faqDocs.flatMap((d) => d.fields.filter((f) => f.kind === 'text').flatMap((f) => f.text.split(/\n\s*\n/)));
  const passages: MatchDoc[] = Array.from({ length: 1000 }, (_, i) => ({
    id: `article:${i}`,
    locale: 'en',
    fields: [
      { kind: 'title', text: faqDocs[i % faqDocs.length]!.fields[0]!.text },
      { kind: 'text', text: paragraphs[i % paragraphs.length]! },
    ],
  }));
  const docs = [...flows, ...passages];
  Matcher.build(docs); // warm-up (JIT, stemmer caches)
  // CPU time of this process, not wall time: the figures stay readable on a busy machine.
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const t0 = cpu();
  const matcher = Matcher.build(docs);
  const build = cpu() - t0;
  const queries = messages.slice(2000, 2500);
  const times = queries.map((q) => {
    const t = cpu();
    matcher.rank(q, { locale: 'en', limit: 10 });
    return cpu() - t;
  });
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.floor(p * (times.length - 1))]!.toFixed(2);
  return `Speed, 100 flows × 10 examples + 1,000 passages: build ${build.toFixed(0)} ms CPU; query median ${at(0.5)} ms CPU, p95 ${at(0.95)} ms (${queries.length} queries).`;
}
