// Fails when the modules of src/ import each other in a cycle (type-only imports count: a
// cycle of types is still two files that cannot be understood one without the other).
// Run by `pnpm lint`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Every .ts file under a directory. */
function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The relative modules a file imports or re-exports from, as source paths. */
function imports(file) {
  const text = readFileSync(file, 'utf8');
  const found = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gm)) {
    found.push(join(file, '..', m[1].replace(/\.js$/, '.ts')));
  }
  return found;
}

const graph = new Map(sources(SRC).map((file) => [file, imports(file)]));
const cycles = [];
const state = new Map(); // undefined: not seen, 1: on the current path, 2: done
const path = [];
function visit(file) {
  state.set(file, 1);
  path.push(file);
  for (const next of graph.get(file) ?? []) {
    if (state.get(next) === 1) cycles.push([...path.slice(path.indexOf(next)), next]);
    else if (state.get(next) === undefined) visit(next);
  }
  path.pop();
  state.set(file, 2);
}
for (const file of graph.keys()) if (state.get(file) === undefined) visit(file);

const show = (file) => relative(SRC, file);
if (cycles.length > 0) {
  console.error(`check-cycles: import cycles in src/:\n  ${cycles.map((c) => c.map(show).join(' -> ')).join('\n  ')}`);
  process.exit(1);
}
console.log(`check-cycles: ${graph.size} modules of src/, no import cycle`);
