/**
 * `parley kb ask [--kb DIR] [--json] [--offline] [QUESTION]`. With a question: the answer, readable or as one
 * JSON line. Without: one question per standard-input line, one JSON line per question, in order (an empty line
 * gets an empty result, so output line n always answers input line n). {{opening_hours}} in an answer reads
 * OPENING_HOURS (else the demo's week), as the server fills it.
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '../config.ts';
import { fillOpeningHours } from '../hours/hours-placeholder.ts';
import { describedHours } from '../hours/hours-when-unset.ts';
import type { OpeningHoursSetting } from '../hours/opening-hours.ts';
import { createKnowledgeBase, type KnowledgeBase } from '../kb/index.ts';
import { knowledgeDirectory } from './directories.ts';
import { cliLogger } from './kb.ts';
import { parseCliArgs } from './parse-cli-args.ts';

/** Results per question: "at least five when the base has them". */
const RESULTS = 10;

export interface AskLine {
  question: string;
  results: Array<{ id: string; title: string; score: number }>;
  confidence: number;
  answer: string | null;
  sources: string[];
}

export async function kbAskCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs({
    args,
    options: { kb: { type: 'string' }, json: { type: 'boolean' }, offline: { type: 'boolean' } },
    allowPositionals: true,
  });
  const config = loadConfig();
  const kb = await createKnowledgeBase({
    dir: await knowledgeDirectory(config, values.kb),
    dataDir: config.dataDir,
    minConfidence: config.minConfidence,
    openai: values.offline ? undefined : config.openai,
    recordGaps: false,
    logger: cliLogger(config),
  });
  const hours = describedHours(config.handoff.openingHours);
  try {
    const question = positionals.join(' ').trim();
    if (question !== '') {
      const line = await ask(kb, hours, question);
      process.stdout.write(values.json ? `${JSON.stringify(line)}\n` : readable(line, config.minConfidence));
      return 0;
    }
    await askEachLine(kb, hours);
    return 0;
  } finally {
    await kb.close();
  }
}

async function ask(kb: KnowledgeBase, hours: OpeningHoursSetting, question: string): Promise<AskLine> {
  if (question === '') return { question, results: [], confidence: 0, answer: null, sources: [] };
  const answer = await kb.answer(question, { limit: RESULTS });
  return {
    question,
    results: answer.results.map((hit) => ({ id: hit.id, title: hit.title, score: hit.score })),
    confidence: answer.confidence,
    answer: answer.answer && fillOpeningHours(answer.answer, hours, undefined),
    sources: answer.sources,
  };
}

async function askEachLine(kb: KnowledgeBase, hours: OpeningHoursSetting): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let buffer = '';
  for await (const raw of lines) {
    buffer += `${JSON.stringify(await ask(kb, hours, raw.trim()))}\n`;
    if (buffer.length > 64 * 1024) buffer = await flush(buffer);
  }
  await flush(buffer);
}

/** Writes and waits for the pipe to drain, so a large batch does not pile up in memory. */
function flush(text: string): Promise<string> {
  if (text === '') return Promise.resolve('');
  return new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve(''))));
}

function readable(line: AskLine, threshold: number): string {
  const out: string[] = [];
  if (line.answer !== null) {
    out.push(`Answer (confidence ${line.confidence.toFixed(2)}; source: ${line.sources.join(', ')}):`, '', indent(line.answer), '');
  } else {
    out.push(`No answer: confidence ${line.confidence.toFixed(2)} is under ${threshold}. The bot would say it is not sure and offer a person.`, '');
  }
  out.push(line.results.length > 0 ? 'Results:' : 'No article matched.');
  line.results.forEach((r, i) => out.push(`  ${String(i + 1).padStart(2)}. ${r.title}  [${r.id}]  ${r.score.toFixed(2)}`));
  return `${out.join('\n')}\n`;
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}
