import { createHash } from 'node:crypto';

/** Names of prepared statements, by their text: a name stands for one text on every connection. */
const names = new Map<string, string>();

/** The name a statement is prepared under (see QueryOptions.prepared). */
export function statementName(sql: string): string {
  let name = names.get(sql);
  if (name === undefined) names.set(sql, (name = `parley_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`));
  return name;
}
