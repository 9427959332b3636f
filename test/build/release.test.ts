/**
 * `npm run release` (scripts/release.mjs, run here with --no-build on the dist/ the suite built): one
 * archive named with the version, holding the one-file edition, the clasp edition and the guide; the
 * guide names every permission and advanced service of the manifest and the Vietnamese labels a person
 * clicks.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';

const GUIDE = 'HUONG-DAN-CAI-DAT.md';
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string };
const manifest = JSON.parse(readFileSync('appsscript.json', 'utf8')) as {
  oauthScopes: string[];
  dependencies?: { enabledAdvancedServices?: { serviceId: string }[] };
};
const guide = readFileSync(GUIDE, 'utf8');

describe('npm run release', () => {
  let out: string;
  let zip: JSZip;
  const folder = `${pkg.name}-${pkg.version}`;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'release-'));
    execFileSync(process.execPath, ['scripts/release.mjs', '--no-build', '--quiet', '--out', out]);
    expect(readdirSync(out)).toEqual([`${folder}.zip`]);
    zip = await JSZip.loadAsync(readFileSync(join(out, `${folder}.zip`)));
  });

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const text = (path: string) => zip.file(`${folder}/${path}`)!.async('string');

  it('holds the guide, both editions and nothing else, under one folder named with the version', () => {
    const files = Object.values(zip.files)
      .filter((f) => !f.dir)
      .map((f) => f.name)
      .sort();
    const dist = readdirSync('dist').map((f) => `${folder}/clasp/dist/${f}`);
    expect(dist).toEqual(expect.arrayContaining([`${folder}/clasp/dist/Code.js`, `${folder}/clasp/dist/sidebar.html`]));
    expect(files).toEqual(
      [
        `${folder}/${GUIDE}`,
        `${folder}/mot-tep/Code.gs`,
        `${folder}/mot-tep/appsscript.json`,
        `${folder}/clasp/appsscript.json`,
        `${folder}/clasp/.clasp.json.example`,
        ...dist,
      ].sort(),
    );
  });

  it('packs the built files unchanged', async () => {
    expect(await text(GUIDE)).toBe(guide);
    expect(await text('mot-tep/Code.gs')).toBe(readFileSync('dist-onefile/Code.gs', 'utf8'));
    expect(await text('mot-tep/appsscript.json')).toBe(readFileSync('appsscript.json', 'utf8'));
    expect(await text('clasp/appsscript.json')).toBe(readFileSync('appsscript.json', 'utf8'));
    for (const file of readdirSync('dist')) expect(await text(`clasp/dist/${file}`)).toBe(readFileSync(join('dist', file), 'utf8'));
    expect(JSON.parse(await text('clasp/.clasp.json.example'))).toEqual({ scriptId: 'DAN_SCRIPT_ID_CUA_BAN_VAO_DAY', rootDir: 'dist' });
  });

  it('fails with a message, and writes no archive, when the build is missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'release-empty-'));
    writeFileSync(join(empty, 'package.json'), JSON.stringify(pkg));
    let stderr = '';
    try {
      execFileSync(process.execPath, [join(process.cwd(), 'scripts/release.mjs'), '--no-build', '--out', 'out'], { cwd: empty, stdio: 'pipe' });
    } catch (err) {
      stderr = String((err as { stderr: Buffer }).stderr);
    }
    expect(stderr).toContain('dist/Code.js is missing: run the build first');
    expect(readdirSync(empty)).toEqual(['package.json']);
    rmSync(empty, { recursive: true, force: true });
  });
});

describe('the install guide', () => {
  it.each(manifest.oauthScopes)('explains the permission %s', (scope) => {
    const line = guide.split('\n').find((l) => l.includes(`\`${scope}\``));
    expect(line).toBeDefined();
    // The row says what Google shows and what the add-on uses it for: two more non-empty cells.
    const cells = line!.split('|').map((c) => c.trim());
    expect(cells.filter((c) => c.length > 0)).toHaveLength(3);
  });

  it('names the advanced services the manifest enables', () => {
    const services = manifest.dependencies?.enabledAdvancedServices ?? [];
    for (const { serviceId } of services) expect(guide).toContain(`\`${serviceId}\``);
    expect(guide).toContain('Google Sheets API');
  });

  it('walks through the Vietnamese interface, the unverified-app screen, updating and removing', () => {
    for (const label of [
      '**Tiện ích mở rộng → Apps Script**',
      '**Cài đặt dự án**',
      '**Hiển thị tệp kê khai "appsscript.json" trong trình chỉnh sửa**',
      '**Dịch vụ**',
      '**Thêm dịch vụ**',
      '**Lưu dự án**',
      '**Google chưa xác minh ứng dụng này**',
      '**Nâng cao**',
      '(không an toàn)**',
      '**Cho phép**',
      '**Trình kích hoạt**',
      '## 7. Cập nhật lên phiên bản mới (không mất dữ liệu)',
      '## 8. Gỡ tiện ích',
      'mot-tep/Code.gs',
      'mot-tep/appsscript.json',
    ]) {
      expect(guide).toContain(label);
    }
  });
});
