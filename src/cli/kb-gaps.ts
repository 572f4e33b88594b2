/** `parley kb gaps`: the questions the bot could not answer, similar ones grouped, most frequent first. */
import { loadConfig } from '../config.ts';
import { ParleyError } from '../core/errors.ts';
import { groupGaps, type KbGapGroup } from '../kb/index.ts';
import { gapRepository } from '../kb/gap-store.ts';
import { parseCliArgs } from './parse-cli-args.ts';
import { withStore } from './with-store.ts';

export async function kbGapsCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs({
    args,
    options: { limit: { type: 'string' }, since: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: false,
  });
  const limit = values.limit === undefined ? 30 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new ParleyError('BAD_REQUEST', `--limit must be a whole number of at least 1, not '${values.limit}'`);
  const since = values.since === undefined ? undefined : new Date(values.since);
  if (since && Number.isNaN(since.getTime())) throw new ParleyError('BAD_REQUEST', `--since must be a date such as 2025-01-31, not '${values.since}'`);

  const config = loadConfig();
  return withStore(config, async (store) => {
    const groups = groupGaps(await store.repository(gapRepository).list({ limit: 5000, since })).slice(0, limit);
    process.stdout.write(values.json ? groups.map((g) => `${JSON.stringify(g)}\n`).join('') : readable(groups));
    return 0;
  });
}

function readable(groups: readonly KbGapGroup[]): string {
  if (groups.length === 0) return 'No unanswered questions recorded.\n';
  const width = String(groups[0]!.count).length + 1;
  const lines = groups.flatMap((g) => [
    `${`${g.count}×`.padStart(width + 1)}  ${g.question}`,
    ...g.examples.map((e) => `${' '.repeat(width + 3)}also: ${e}`),
    `${' '.repeat(width + 3)}last ${g.lastAt.toISOString().slice(0, 16).replace('T', ' ')}${g.nearestArticleId ? `, nearest article: ${g.nearestArticleId}` : ''}`,
  ]);
  return `${lines.join('\n')}\n`;
}
