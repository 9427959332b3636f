// Builds everything from src/:
//   dist/   what `clasp push` uploads: Code.js (Apps Script entry points as top-level functions),
//           appsscript.json and one self-contained .html per sidebar/dialog page.
//   build/  Node bundles of the offline tools: cli.cjs, make-example.cjs, bench.cjs, preview.cjs.
// Flags: --cli-only (skip dist/), --quiet (print nothing), --addon (menu under Extensions, as an
// editor add-on; the default is a script bound to the spreadsheet, menu in the menu bar).
import * as esbuild from 'esbuild';
import { generate } from 'gas-entry-generator';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');
const log = (msg) => {
  if (!quiet) console.log(msg);
};

/** Apps Script: one IIFE bundle that assigns its entry points to `global`, then top-level stubs. */
async function buildAppsScript() {
  rmSync('dist', { recursive: true, force: true });
  mkdirSync('dist', { recursive: true });
  const result = await esbuild.build({
    entryPoints: ['src/gas/main.ts'],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    platform: 'neutral',
    charset: 'utf8',
    write: false,
    banner: { js: 'var global = this;' },
    define: { __ADDON__: args.has('--addon') ? 'true' : 'false' },
    logLevel: 'warning',
  });
  const bundle = result.outputFiles[0].text;
  // gas-entry-generator finds every `global.name = ...` and declares `function name() {}` for it,
  // so Apps Script (menus, triggers, google.script.run) sees each entry point at top level.
  const { entryPointFunctions } = generate(bundle, { comment: true });
  if (!entryPointFunctions.trim()) throw new Error('No entry points found in src/gas/main.ts');
  writeFileSync('dist/Code.js', `${entryPointFunctions}\n${bundle}`);
  copyFileSync('appsscript.json', 'dist/appsscript.json');

  // Pages: src/pages/NAME.html with <!-- inline:NAME.ts --> and <!-- inline:NAME.css --> markers.
  const pagesDir = 'src/pages';
  if (existsSync(pagesDir)) {
    for (const file of readdirSync(pagesDir).filter((f) => f.endsWith('.html'))) {
      const name = basename(file, '.html');
      let html = readFileSync(join(pagesDir, file), 'utf8');
      const script = join(pagesDir, `${name}.ts`);
      if (existsSync(script)) {
        const js = await esbuild.build({
          entryPoints: [script],
          bundle: true,
          format: 'iife',
          target: 'es2019',
          write: false,
          minify: true,
          charset: 'utf8',
          logLevel: 'warning',
        });
        // A literal "</script" inside the code would end the tag early.
        const code = js.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
        html = html.replace(`<!-- inline:${name}.ts -->`, () => `<script>${code}</script>`);
      }
      const css = join(pagesDir, `${name}.css`);
      if (existsSync(css)) html = html.replace(`<!-- inline:${name}.css -->`, () => `<style>${readFileSync(css, 'utf8')}</style>`);
      writeFileSync(join('dist', file), html);
    }
  }
  const files = readdirSync('dist');
  log(`dist/: ${files.join(', ')}`);
}

/** Node tools: the offline command line, the example generator, the benchmark, the page preview. */
async function buildNodeTools() {
  const entries = {
    cli: 'src/cli/main.ts',
    'make-example': 'scripts/make-example.ts',
    bench: 'bench/bench.ts',
    preview: 'scripts/preview.ts',
  };
  mkdirSync('build', { recursive: true });
  await Promise.all(
    Object.entries(entries)
      .filter(([, src]) => existsSync(src))
      .map(([name, src]) =>
        esbuild.build({
          entryPoints: [src],
          bundle: true,
          platform: 'node',
          target: 'node20',
          format: 'cjs',
          outfile: `build/${name}.cjs`,
          external: ['exceljs', 'playwright-core', 'esbuild'],
          logLevel: 'warning',
        }),
      ),
  );
  log('build/: node tools built');
}

if (!args.has('--cli-only')) await buildAppsScript();
await buildNodeTools();
