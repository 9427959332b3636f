// `npm run release`: builds, then packs what a commune needs to install the add-on into
// release/cham-diem-cchc-cds-VERSION.zip (VERSION from package.json), under one folder of that name:
//   HUONG-DAN-CAI-DAT.md      the install guide in Vietnamese (one-file edition first)
//   mot-tep/Code.gs           the one-file edition (dist-onefile/), pasted into the Apps Script editor
//   mot-tep/appsscript.json   its manifest
//   clasp/dist/…              the clasp edition (dist/), for `clasp push`
//   clasp/.clasp.json.example, clasp/appsscript.json
// Flags: --no-build (pack the dist/ and dist-onefile/ already built), --out DIR (default release).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';

const argv = process.argv.slice(2);
const outAt = argv.indexOf('--out');
const outDir = outAt >= 0 ? argv[outAt + 1] : 'release';
if (!outDir) throw new Error('--out needs a folder');

const GUIDE = 'HUONG-DAN-CAI-DAT.md';
const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));

if (!argv.includes('--no-build')) execFileSync(process.execPath, ['build.mjs', '--quiet'], { stdio: 'inherit' });

for (const file of ['dist/Code.js', 'dist/appsscript.json', 'dist-onefile/Code.gs', 'dist-onefile/appsscript.json', GUIDE]) {
  if (!existsSync(file)) throw new Error(`${file} is missing: run the build first (npm run release without --no-build)`);
}

const folder = `${name}-${version}`;
const zip = new JSZip();
const root = zip.folder(folder);
const add = (path, content) => root.file(path, content, { binary: typeof content !== 'string' });
add(GUIDE, readFileSync(GUIDE, 'utf8'));
add('mot-tep/Code.gs', readFileSync('dist-onefile/Code.gs', 'utf8'));
add('mot-tep/appsscript.json', readFileSync('dist-onefile/appsscript.json', 'utf8'));
for (const file of readdirSync('dist')) add(`clasp/dist/${file}`, readFileSync(join('dist', file)));
add('clasp/appsscript.json', readFileSync('appsscript.json', 'utf8'));
// Never a real Script ID: the person pastes theirs (Cài đặt dự án → Mã tập lệnh).
add('clasp/.clasp.json.example', `${JSON.stringify({ scriptId: 'DAN_SCRIPT_ID_CUA_BAN_VAO_DAY', rootDir: 'dist' }, null, 2)}\n`);

const archive = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
mkdirSync(outDir, { recursive: true });
const out = join(outDir, `${folder}.zip`);
writeFileSync(out, archive);
if (!argv.includes('--quiet')) console.log(`${out}: ${Math.round(statSync(out).size / 1024)} KB`);
