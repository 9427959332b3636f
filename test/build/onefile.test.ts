/**
 * The one-file edition (dist-onefile/Code.gs): loaded alone, as the Apps Script editor holds it
 * after a person pastes it, with no .html file in the project, it builds the menu, opens the
 * sidebar from its embedded page and answers the sidebar's calls on the stand-ins.
 */
import { readFileSync, readdirSync } from 'node:fs';
import vm from 'node:vm';
import { exampleSheets, loadAddon } from '../gas/harness';
import { cellValue, createFakeEnv, makeOpenEvent, sheetValues } from '../../dev/gas-emulator/index';
import { ENTRY_NAMES } from '../../src/gas/entry-names';

const ONE_FILE = 'dist-onefile/Code.gs';
const VP = 'VP HĐND-UBND';

/** A workbook whose Apps Script project holds no file but the one pasted (htmlFiles: none). */
function pastedAlone(file: string) {
  const env = createFakeEnv({
    sheets: exampleSheets(),
    htmlFiles: {},
    owner: 'vhxh.phuocchanh@gialai.gov.vn',
    now: new Date('2026-11-23T01:00:00Z'),
  });
  return { env, addon: loadAddon(env, { file }) };
}

type MenuItem = { type: 'item'; caption: string; functionName: string } | { type: 'submenu'; menu: { items: MenuItem[] } } | { type: string };

function menuItems(items: MenuItem[]): { caption: string; functionName: string }[] {
  return items.flatMap((i) =>
    i.type === 'item'
      ? [i as { caption: string; functionName: string }]
      : i.type === 'submenu'
        ? menuItems((i as { menu: { items: MenuItem[] } }).menu.items)
        : [],
  );
}

describe('the one-file edition', () => {
  const code = readFileSync(ONE_FILE, 'utf8');

  it('is the clasp edition code, preceded only by the pages as strings', () => {
    const clasp = readFileSync('dist/Code.js', 'utf8');
    expect(code.endsWith(clasp)).toBe(true);
    const prefix = code.slice(0, code.length - clasp.length);
    // The prefix alone defines EMBEDDED_PAGES: every built page of dist/, byte for byte, and nothing else.
    const context = vm.createContext({});
    vm.runInContext(prefix, context);
    const pages = Object.fromEntries(
      readdirSync('dist')
        .filter((f) => f.endsWith('.html'))
        .map((f) => [f.replace(/\.html$/, ''), readFileSync(`dist/${f}`, 'utf8')]),
    );
    expect(Object.keys(pages)).toContain('sidebar');
    expect(JSON.parse(JSON.stringify(context.EMBEDDED_PAGES))).toEqual(pages);
    expect(Object.keys(context)).toEqual(['EMBEDDED_PAGES']);
    const declared = [...code.matchAll(/^function (\w+)\(/gm)].map((m) => m[1]).sort();
    expect(declared).toEqual([...ENTRY_NAMES].sort());
  });

  it('comes with the manifest of the repository, as read at build time', () => {
    expect(readFileSync('dist-onefile/appsscript.json', 'utf8')).toBe(readFileSync('appsscript.json', 'utf8'));
  });

  it('loaded alone, builds the menu, opens the sidebar and answers the sidebar on the stand-ins', () => {
    const { env, addon } = pastedAlone(ONE_FILE);
    const ctx = addon as unknown as Record<string, unknown>;
    expect([typeof ctx.require, typeof ctx.module, typeof ctx.process]).toEqual(['undefined', 'undefined', 'undefined']);

    addon.onOpen(makeOpenEvent(env));
    const menu = env.ui.menus.find((m) => m.name === 'Chấm điểm');
    expect(menu).toBeDefined();
    const items = menuItems(menu!.items as MenuItem[]);
    expect(items.map((i) => i.caption)).toContain('Đính kèm minh chứng…');
    for (const item of items) expect(typeof ctx[item.functionName]).toBe('function');

    env.ss.setActiveCell(VP, 'D8');
    addon.showEvidenceSidebar();
    expect(env.ui.alerts).toEqual([]);
    expect(env.ui.sidebars).toHaveLength(1);
    expect(env.ui.sidebars[0].title).toBe('Đính kèm minh chứng');
    expect(env.ui.sidebars[0].content).toBe(readFileSync('dist/sidebar.html', 'utf8'));

    const poll = addon.evidencePoll('') as { ok: boolean; data: { changed: boolean; view: { kind: string; outline: string } } };
    expect(poll.ok).toBe(true);
    expect(poll.data.view).toMatchObject({ kind: 'criterion', outline: '1.1.1' });

    // The self score of 1.1.1 (max 1) on row 8, in the column headed "Điểm tự chấm" on row 5.
    const selfCol = sheetValues(env, VP)[4].indexOf('Điểm tự chấm');
    expect(selfCol).toBeGreaterThan(0);
    const a1 = `${String.fromCharCode(65 + selfCol)}8`;
    const next = cellValue(env, VP, a1) === 1 ? 0 : 1;
    const saved = addon.evidenceSetScore({ sheet: VP, row: 8, outline: '1.1.1' }, String(next)) as { ok: boolean };
    expect(saved.ok).toBe(true);
    expect(cellValue(env, VP, a1)).toBe(next);
  });

  it('differs from the clasp edition, which needs its .html files in the project', () => {
    const { env, addon } = pastedAlone('dist/Code.js');
    addon.showEvidenceSidebar();
    expect(env.ui.sidebars).toEqual([]);
    expect(env.ui.alerts.map((a) => a.message).join()).toMatch(/No HTML file named sidebar/);
  });
});
