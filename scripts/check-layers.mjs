// Checks what the compiler cannot: which layer may import which, that nothing imports in a
// cycle, and the line-length limit. Run by `npm test`; prints each problem and exits 1.
//
// Layers of src/: core (pure) ← gas (Apps Script), pages (browser), cli (Node). Inside the core,
// folders have ranks and a module imports only from its own folder or a lower rank, so no
// feature reaches into another feature for a helper.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const CORE_RANK = { engine: 0, settings: 1, sheet: 2, summary: 3, reminders: 3, workflow: 3, evidence: 3, report: 3 };
const SHELLS = { core: ['core'], gas: ['gas', 'core'], pages: ['pages', 'core'], cli: ['cli', 'core'] };
const MAX_LINE = 140;
// Source code everywhere; tests and their fixtures hold raw XML and whole expected messages,
// which Biome's 140-column formatter already keeps in check where it can break lines.
const LINE_ROOTS = ['src', 'dev', 'scripts', 'bench'];

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

/** Relative imports of a file: [specifier resolved to a file, type-only]. */
function importsOf(file, text) {
  const out = [];
  const re = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.[^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) {
    const base = normalize(join(dirname(file), m[3]));
    const target = [`${base}.ts`, join(base, 'index.ts')].find((p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    });
    if (target) out.push({ target, typeOnly: Boolean(m[2]) });
  }
  return out;
}

const problems = [];
const files = walk('src').filter((f) => f.endsWith('.ts'));
const graph = new Map();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const [, shell, folder] = file.split('/');
  const edges = importsOf(file, text);
  graph.set(
    file,
    edges.filter((e) => !e.typeOnly).map((e) => e.target),
  );
  for (const { target } of edges) {
    const [, tShell, tFolder] = target.split('/');
    if (!SHELLS[shell]?.includes(tShell)) problems.push(`${file}: the ${shell} layer may not import ${target}`);
    else if (shell === 'core' && tShell === 'core' && folder !== tFolder) {
      const from = CORE_RANK[folder];
      const to = CORE_RANK[tFolder];
      if (from === undefined || to === undefined) problems.push(`${file}: core folder without a rank (${folder} or ${tFolder})`);
      else if (to >= from) problems.push(`${file}: core/${folder} may not import core/${tFolder} (same or higher rank)`);
    }
  }
  if (shell === 'core' && /^\s*import\s[^'"]*['"][^.]/m.test(text)) problems.push(`${file}: the core imports a package`);
}

// Cycles (runtime imports only: `import type` is erased).
const state = new Map();
const stack = [];
function visit(node) {
  state.set(node, 1);
  stack.push(node);
  for (const next of graph.get(node) ?? []) {
    if (state.get(next) === 1) problems.push(`import cycle: ${[...stack.slice(stack.indexOf(next)), next].join(' → ')}`);
    else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(node, 2);
}
for (const f of graph.keys()) if (!state.has(f)) visit(f);

for (const root of LINE_ROOTS) {
  for (const file of walk(root)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if ([...line].length > MAX_LINE) problems.push(`${relative('.', file)}:${i + 1}: line longer than ${MAX_LINE} characters`);
      });
  }
}

if (problems.length > 0) {
  for (const p of problems) console.error(p);
  console.error(`check-layers: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`check-layers: ${files.length} modules, layers and line length ok`);
