/**
 * A parameter as an SQL literal of unknown type, which PostgreSQL reads as the type the prepared statement inferred
 * for it (as it reads a parameter's text); undefined for a value that has no such literal here (an object, an array
 * of arrays).
 * Standard-conforming strings (PostgreSQL's default, checked at open): a quote doubled is the only escape.
 */
export function sqlLiteral(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'NULL';
  const text = Array.isArray(value) ? arrayText(value) : scalarText(value);
  return text === undefined ? undefined : `'${text.replaceAll("'", "''")}'`;
}

function scalarText(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A one-dimensional array's text form (`{"a","b",NULL}`): each element quoted, its quotes and backslashes escaped. */
function arrayText(values: readonly unknown[]): string | undefined {
  const elements: string[] = [];
  for (const value of values) {
    if (value === null || value === undefined) {
      elements.push('NULL');
      continue;
    }
    const text = scalarText(value);
    if (text === undefined) return undefined;
    elements.push(`"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`);
  }
  return `{${elements.join(',')}}`;
}
