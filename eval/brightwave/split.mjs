// Checks the Brightwave labelled set and splits it into dev and test halves.
//   node eval/brightwave/split.mjs [--check] [messages.jsonl ...]
// With files: they are the messages to split (dev.jsonl and test.jsonl are written). Without: dev.jsonl and
// test.jsonl are read back, checked and split again (the same messages always give the same halves).
// --check only checks the labels (every article, flow and intent named must exist) and that the split is current.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const INTENTS = ['consent-stop', 'consent-start', 'data-erase', 'data-export', 'link', 'prefer-channel'];
const TAGS = ['paraphrase', 'typo', 'product-name', 'two-questions', 'short', 'out-of-scope', 'rude', 'colloquial',
  'command', 'greeting', 'german-no-umlauts'];

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

const knowledge = join(root, 'knowledge');
const articles = new Set();
for (const file of walk(knowledge)) {
  const name = relative(knowledge, file).split('\\').join('/');
  if (name.endsWith('.md') && !/(^|\/)(README\.md|[_.][^/]*)$/.test(name)) articles.add(name.replace(/(\.[a-z]{2}([-_][A-Za-z]{2})?)?\.md$/, '')); // a translation (x.de.md) has x's id
  if (name.endsWith('.jsonl')) {
    for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim()) articles.add(JSON.parse(line).id);
  }
}
const flows = new Set(
  readdirSync(join(root, 'flows'))
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'))
    .map((f) => /^flow:\s*(\S+)/m.exec(readFileSync(join(root, 'flows', f), 'utf8'))?.[1])
    .filter((name) => name && name !== 'fallback'),
);

function problems(message, where) {
  const out = [];
  if (typeof message.text !== 'string' || !message.text.trim()) out.push('no text');
  if (message.locale !== 'en' && message.locale !== 'de') out.push(`locale ${message.locale}`);
  if (!Array.isArray(message.expect) || message.expect.length === 0) out.push('no expect');
  for (const e of message.expect ?? []) {
    const [kind, id] = e === 'decline' ? ['decline', ''] : [e.slice(0, e.indexOf(':')), e.slice(e.indexOf(':') + 1)];
    if (kind === 'article' && !articles.has(id)) out.push(`unknown article ${id}`);
    else if (kind === 'flow' && !flows.has(id)) out.push(`unknown flow ${id}`);
    else if (kind === 'intent' && !INTENTS.includes(id)) out.push(`unknown intent ${id}`);
    else if (!['article', 'flow', 'intent', 'decline'].includes(kind)) out.push(`bad expect ${e}`);
  }
  for (const t of message.tags ?? []) if (!TAGS.includes(t)) out.push(`unknown tag ${t}`);
  return out.map((p) => `${where}: ${p}`);
}

const read = (file) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const args = process.argv.slice(2);
const check = args.includes('--check');
const inputs = args.filter((a) => a !== '--check');
const sources = inputs.length ? inputs : [join(here, 'dev.jsonl'), join(here, 'test.jsonl')];
const messages = sources.flatMap((file) => read(file).map((m, i) => ({ m, where: `${relative(root, file)}:${i + 1}` })));

const errors = messages.flatMap(({ m, where }) => problems(m, where));
const seen = new Map();
for (const { m, where } of messages) {
  const key = m.text.trim().toLowerCase();
  if (seen.has(key)) errors.push(`${where}: same text as ${seen.get(key)}`);
  seen.set(key, where);
}
if (errors.length) {
  console.error(errors.join('\n'));
  process.exit(1);
}

// The split: messages are grouped by their first expected outcome and language; in each group, ordered by tags and
// text, they alternate dev, test. A group with an odd count gives its extra message to dev and the next odd group
// of that language gives it to test, so each label, each language and each tag is spread evenly over both halves.
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const groups = new Map();
for (const { m } of messages) {
  const key = `${m.expect[0]}\u0000${m.locale}`;
  groups.set(key, [...(groups.get(key) ?? []), m]);
}
const dev = [];
const test = [];
const odd = { en: 0, de: 0 };
for (const key of [...groups.keys()].sort(cmp)) {
  const group = groups.get(key).sort((a, b) => cmp(a.tags.join(','), b.tags.join(',')) || cmp(a.text, b.text));
  const first = odd[group[0].locale] % 2;
  if (group.length % 2 === 1) odd[group[0].locale] += 1;
  group.forEach((m, i) => ((i + first) % 2 === 0 ? dev : test).push(m));
}
const text = (list) => list.map((m) => JSON.stringify({ text: m.text, locale: m.locale, expect: m.expect, tags: m.tags })).join('\n') + '\n';

if (check) {
  const current = !inputs.length && readFileSync(join(here, 'dev.jsonl'), 'utf8') === text(dev) && readFileSync(join(here, 'test.jsonl'), 'utf8') === text(test);
  console.log(`${messages.length} messages, labels ok${inputs.length ? '' : current ? ', split current' : ', split NOT current'}`);
  process.exit(current || inputs.length ? 0 : 1);
}
writeFileSync(join(here, 'dev.jsonl'), text(dev));
writeFileSync(join(here, 'test.jsonl'), text(test));
const count = (list, locale) => list.filter((m) => m.locale === locale).length;
console.log(`dev ${dev.length} (en ${count(dev, 'en')}, de ${count(dev, 'de')}), test ${test.length} (en ${count(test, 'en')}, de ${count(test, 'de')})`);
