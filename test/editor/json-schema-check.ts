/**
 * A small JSON Schema (2020-12) checker for the keywords zod's toJSONSchema emits, so the tests can check demo
 * files against the committed schema the way an editor's YAML extension does, without another dependency.
 * Throws on a keyword it does not know, so a schema that grows new keywords cannot pass unchecked.
 */
type Schema = Record<string, unknown> | boolean;

const KNOWN = new Set([
  '$schema', '$defs', '$ref', 'title', 'description', 'type', 'properties', 'required', 'additionalProperties',
  'propertyNames', 'items', 'anyOf', 'oneOf', 'allOf', 'enum', 'const', 'pattern', 'minLength', 'maxLength',
  'minItems', 'maxItems', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'format', 'default',
]);

/** Problems as `path: what`; empty when `value` is valid. */
export function validateJson(root: Record<string, unknown>, value: unknown): string[] {
  const errors: string[] = [];
  const resolve = (ref: string): Schema => {
    const match = /^#\/\$defs\/(.+)$/.exec(ref);
    const found = match ? (root.$defs as Record<string, Schema> | undefined)?.[match[1]!] : ref === '#' ? root : undefined;
    if (found === undefined) throw new Error(`unresolvable $ref ${ref}`);
    return found;
  };
  const check = (schema: Schema, data: unknown, path: string, out: string[]): void => {
    if (schema === true) return;
    if (schema === false) return void out.push(`${path}: not allowed`);
    for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`json-schema-check: unsupported keyword ${key}`);
    const s = schema as Record<string, any>;
    if (s.$ref) check(resolve(s.$ref), data, path, out);
    if (s.type !== undefined && !(Array.isArray(s.type) ? s.type : [s.type]).some((t: string) => isType(t, data))) {
      return void out.push(`${path}: expected ${s.type}`);
    }
    if (s.const !== undefined && data !== s.const) out.push(`${path}: expected ${JSON.stringify(s.const)}`);
    if (s.enum && !s.enum.includes(data)) out.push(`${path}: expected one of ${s.enum.join(', ')}`);
    if (typeof data === 'string') {
      if (s.minLength !== undefined && [...data].length < s.minLength) out.push(`${path}: too short`);
      if (s.maxLength !== undefined && [...data].length > s.maxLength) out.push(`${path}: too long`);
      if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(data)) out.push(`${path}: does not match ${s.pattern}`);
    }
    if (typeof data === 'number') {
      if (s.minimum !== undefined && data < s.minimum) out.push(`${path}: below ${s.minimum}`);
      if (s.maximum !== undefined && data > s.maximum) out.push(`${path}: above ${s.maximum}`);
      if (s.exclusiveMinimum !== undefined && data <= s.exclusiveMinimum) out.push(`${path}: not above ${s.exclusiveMinimum}`);
      if (s.exclusiveMaximum !== undefined && data >= s.exclusiveMaximum) out.push(`${path}: not below ${s.exclusiveMaximum}`);
    }
    if (Array.isArray(data)) {
      if (s.minItems !== undefined && data.length < s.minItems) out.push(`${path}: needs ${s.minItems} item(s)`);
      if (s.maxItems !== undefined && data.length > s.maxItems) out.push(`${path}: at most ${s.maxItems} item(s)`);
      if (s.items !== undefined) data.forEach((item, i) => check(s.items, item, `${path}[${i}]`, out));
    }
    if (isType('object', data)) {
      const record = data as Record<string, unknown>;
      for (const key of s.required ?? []) if (!(key in record)) out.push(`${path}: missing ${key}`);
      for (const [key, item] of Object.entries(record)) {
        if (s.propertyNames) check(s.propertyNames, key, `${path}.${key} (name)`, out);
        if (s.properties && key in s.properties) check(s.properties[key], item, `${path}.${key}`, out);
        else if (s.additionalProperties !== undefined) check(s.additionalProperties, item, `${path}.${key}`, out);
      }
    }
    for (const part of s.allOf ?? []) check(part, data, path, out);
    for (const [keyword, wanted] of [['anyOf', (n: number) => n >= 1], ['oneOf', (n: number) => n === 1]] as const) {
      if (!s[keyword]) continue;
      const passing = (s[keyword] as Schema[]).filter((option) => {
        const inner: string[] = [];
        check(option, data, path, inner);
        return inner.length === 0;
      }).length;
      if (!wanted(passing)) out.push(`${path}: matches ${passing} of the ${keyword} options`);
    }
  };
  check(root, value, '$', errors);
  return errors;
}

function isType(type: string, data: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof data === 'object' && data !== null && !Array.isArray(data);
    case 'array':
      return Array.isArray(data);
    case 'integer':
      return Number.isInteger(data);
    case 'null':
      return data === null;
    default:
      return typeof data === type;
  }
}
