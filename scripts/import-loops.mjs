// Folders of src/ and adapters/ tied into import loops: the strongly connected components of the folder graph
// (files directly in src/ count as one folder, `src`). Usage: node scripts/import-loops.mjs [--runtime] [--edges]
// --runtime leaves out `import type` / `export type`; --edges prints one import per edge inside each loop.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const runtimeOnly = process.argv.includes('--runtime');
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) { if (name !== 'public' && name !== 'node_modules') walk(full); }
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) files.push(full);
  }
};
walk(path.join(root, 'src'));
walk(path.join(root, 'adapters'));

/** src/<folder> or adapters/<folder>; files directly in src/ are the composition root, `src`. */
const folderOf = (file) => {
  const [top, second, third] = path.relative(root, file).split(path.sep);
  return third === undefined ? top : `${top}/${second}`;
};

const edges = new Map();
const IMPORT = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"](\.[^'"]+)['"]/gm;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(IMPORT)) {
    if (runtimeOnly && match[2]) continue;
    const target = path.resolve(path.dirname(file), match[3]);
    const [a, b] = [folderOf(file), folderOf(target)];
    if (a === b || !b.startsWith('src') && !b.startsWith('adapters')) continue;
    if (!edges.has(a)) edges.set(a, new Map());
    const out = edges.get(a);
    out.set(b, [...(out.get(b) ?? []), `${path.relative(root, file)} → ${path.relative(root, target)}`]);
  }
}

// Tarjan's strongly connected components.
let index = 0;
const stack = [], on = new Set(), idx = new Map(), low = new Map(), components = [];
const connect = (v) => {
  idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v);
  for (const w of edges.get(v)?.keys() ?? []) {
    if (!idx.has(w)) { connect(w); low.set(v, Math.min(low.get(v), low.get(w))); }
    else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const component = [];
    let w;
    do { w = stack.pop(); on.delete(w); component.push(w); } while (w !== v);
    if (component.length > 1) components.push(component.sort());
  }
};
for (const v of new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])])) if (!idx.has(v)) connect(v);

components.sort((a, b) => b.length - a.length);
console.log(`${runtimeOnly ? 'runtime imports' : 'all imports'}: ${components.length} loop(s); largest ${components[0]?.length ?? 0} folders`);
for (const component of components) {
  console.log(`\n${component.length} folders: ${component.join(', ')}`);
  if (process.argv.includes('--edges')) {
    const inside = new Set(component);
    for (const a of component) for (const [b, why] of edges.get(a) ?? []) if (inside.has(b)) console.log(`  ${a} → ${b} (${why.length}): ${why[0]}`);
  }
}
