import { readFileSync } from 'node:fs';
import { exampleEnv, exampleSheets, loadAddon } from './harness';
import {
  cellBackground,
  cellNote,
  createFakeEnv,
  effectiveBackground,
  installGlobals,
  makeEditEvent,
  makeOpenEvent,
  sheetValues,
  type FakeEnv,
} from '../../dev/gas-emulator/index';
import { HIGHLIGHT } from '../../src/core/sheet/notes';
import { ENTRY_NAMES } from '../../src/gas/entry-names';
import { RESULT_TITLE } from '../../src/core/sheet/result-block';
import { STANDARD_HEADERS } from '../../src/core/sheet/template';

const VP = 'VP HĐND-UBND';
const TT = 'TT PVHCC';

function writes(env: FakeEnv): string[] {
  return env.calls.list().filter((c) => /\.(set[A-Z]\w*|insertSheet|clear\w*|insertChart|removeChart|deleteSheet|merge|protect)$/.test(c));
}

describe('the built dist/', () => {
  it('has every entry point as a top-level function and runs without require, module or timers', () => {
    const code = readFileSync('dist/Code.js', 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    const declared = [...code.matchAll(/^function (\w+)\(/gm)].map((m) => m[1]).sort();
    expect(declared).toEqual([...ENTRY_NAMES].sort());
    // No simple onEdit: a typed score costs no script (totals and highlights are live).
    expect(code).not.toMatch(/^function onEdit\(/m);
    for (const fn of [
      'onOpen',
      'onInstall',
      'onEditInstalled',
      'dailyTick',
      'menuCheckSheet',
      'menuCheckAll',
      'menuBuildSummary',
      'menuSettings',
      'menuHelp',
      'showEvidenceSidebar',
      'evidencePoll',
      'evidenceAddLink',
    ]) {
      expect(code).toMatch(new RegExp(`^function ${fn}\\(`, 'm'));
    }
    const { addon } = exampleEnv();
    const ctx = addon as unknown as Record<string, unknown>;
    expect([typeof ctx.require, typeof ctx.module, typeof ctx.setTimeout, typeof ctx.process]).toEqual([
      'undefined',
      'undefined',
      'undefined',
      'undefined',
    ]);
    expect(typeof addon.onOpen).toBe('function');
  });

  it('ships a minimal V8 manifest in the Vietnam time zone', () => {
    const manifest = JSON.parse(readFileSync('dist/appsscript.json', 'utf8'));
    expect(manifest).toMatchObject({ runtimeVersion: 'V8', timeZone: 'Asia/Ho_Chi_Minh' });
    // The Sheets advanced service (whole-workbook reads and writes) needs the full spreadsheets scope.
    expect(manifest.oauthScopes).toContain('https://www.googleapis.com/auth/spreadsheets');
    expect(manifest.oauthScopes).not.toContain('https://www.googleapis.com/auth/spreadsheets.currentonly');
    expect(manifest.dependencies.enabledAdvancedServices).toEqual([{ userSymbol: 'Sheets', serviceId: 'sheets', version: 'v4' }]);
    expect(manifest.oauthScopes.every((s: string) => s.startsWith('https://www.googleapis.com/auth/'))).toBe(true);
  });
});

describe('onOpen', () => {
  it('adds the "Chấm điểm" menu whose every item is a top-level function', () => {
    const { env, addon } = exampleEnv();
    addon.onOpen(makeOpenEvent(env));
    const menu = env.ui.menus.find((m) => m.name === 'Chấm điểm')!;
    expect(menu.addon).toBe(false);
    const items = menu.items.flatMap((i) =>
      i.type === 'item' ? [i] : i.type === 'submenu' ? i.menu.items.filter((x) => x.type === 'item') : [],
    ) as { caption: string; functionName: string }[];
    expect(items.map((i) => i.caption)).toEqual(
      expect.arrayContaining([
        'Kiểm tra và tính điểm trang này',
        'Kiểm tra và tính điểm tất cả đơn vị',
        'Lập/cập nhật bảng tổng hợp',
        'Cấu hình',
        'Hướng dẫn',
      ]),
    );
    for (const item of items) expect([item.functionName, typeof addon[item.functionName]]).toEqual([item.functionName, 'function']);
  });

  it('under AuthMode.NONE builds an add-on menu and touches nothing else', () => {
    const { env, addon } = exampleEnv();
    env.setAuthMode('NONE');
    addon.onOpen(makeOpenEvent(env, { authMode: 'NONE' }));
    expect(env.ui.menus[0].addon).toBe(true);
    expect(env.calls.list().every((c) => c === 'SpreadsheetApp.getUi' || c.startsWith('Ui.') || c.startsWith('Menu.'))).toBe(true);
  });
});

describe('check and compute', () => {
  it('writes subtotals, totals and the result block, and nothing a person typed', () => {
    const { env, addon } = exampleEnv();
    const before = sheetValues(env, VP);
    env.ss.setActiveCell(VP, 'D10');
    addon.menuCheckSheet();
    const after = sheetValues(env, VP);
    // group 1.1 (row 7) = 1 + 2, group 1 (row 6) = 3 + 4 + 6 + 0, total row
    expect(after[6][3]).toBe(3);
    expect(after[5][3]).toBe(13);
    expect(after[5][6]).toBe(13);
    const total = after.findIndex((r) => r[1] === 'TỔNG ĐIỂM');
    expect(after[total][3]).toBe(98.5);
    expect(after[total][6]).toBe(97.5);
    const title = after[4].indexOf(RESULT_TITLE);
    expect(title).toBe(STANDARD_HEADERS.length + 1);
    expect(after[11][title]).toBe('Xếp loại');
    expect(after[11].slice(title + 1, title + 3)).toEqual(['Xuất sắc', 'Xuất sắc']);
    const groupRows = new Set([5, 6, 9, 13, 18, 19, 24, 29, 32, 36, 39, total]);
    before.forEach((row, r) =>
      row.forEach((v, c) => {
        if (c >= STANDARD_HEADERS.length) return;
        if (groupRows.has(r) && (c === 3 || c === 6)) return;
        expect([r + 1, c, after[r][c]]).toEqual([r + 1, c, v]);
      }),
    );
    expect(env.ui.toasts.at(-1)!.message).toMatch(/VP HĐND-UBND: tổng thẩm định 97,5 điểm \(97,5%, Xuất sắc\)/);
  });

  it('marks findings with its own notes and highlights, refreshes them and removes them when fixed', () => {
    const { env, addon } = exampleEnv();
    env.ss.setActiveCell(TT, 'A1');
    // a person's own note on a cell that also has a finding
    env.ss.sheet(TT).getRange('F29').setNote('Chị Lan sẽ bổ sung');
    addon.menuCheckSheet();
    expect(cellNote(env, TT, 'D38')).toMatch(/Tiêu chí 6\.1 chưa tự chấm điểm/);
    expect(cellBackground(env, TT, 'D38')).toBe(HIGHLIGHT.warning);
    expect(cellNote(env, TT, 'F29')).toBe('Chị Lan sẽ bổ sung');
    // Missing evidence is a live highlight (a conditional format), not a static background.
    expect(effectiveBackground(env.ss.sheet(TT), 'F29')).toBe(HIGHLIGHT.warning);
    expect(cellBackground(env, TT, 'F29')).toBe('#ffffff');

    env.calls.reset();
    addon.menuCheckSheet();
    for (const write of [
      'Range.setNotes',
      'Range.setBackgrounds',
      'Range.setFormulas',
      'Range.setValues',
      'Sheet.setConditionalFormatRules',
    ])
      expect([write, env.calls.count(write)]).toEqual([write, 0]);

    makeEditEvent(env, TT, 'D38', '', '5');
    env.ss.sheet(TT).getRange('F38').setValue('https://drive.google.com/file/d/abc/view');
    env.ss.sheet(TT).getRange('F29').setValue('https://drive.google.com/file/d/def/view');
    expect(effectiveBackground(env.ss.sheet(TT), 'F29')).toBe('#ffffff'); // live, before any check
    addon.menuCheckSheet();
    expect(cellNote(env, TT, 'D38')).toBe('');
    expect(cellBackground(env, TT, 'D38')).toBe('#ffffff');
    expect(cellNote(env, TT, 'F29')).toBe('Chị Lan sẽ bổ sung');
    expect(effectiveBackground(env.ss.sheet(TT), 'F29')).toBe('#ffffff');
  });

  it('puts a score validation from 0 to max on score cells', () => {
    const { env, addon } = exampleEnv();
    env.ss.setActiveCell(VP, 'A1');
    addon.menuCheckSheet();
    const rule = env.ss.sheet(VP).getRange('D9').getDataValidation()!; // 1.1.2, max 2
    expect(rule.getCriteriaValues()).toEqual([0, 2]);
    expect(rule.getHelpText()).toMatch(/từ 0 đến 2/);
    expect(env.ss.sheet(VP).getRange('D6').getDataValidation()).toBeNull();
  });

  it('leaves an unrecognised sheet untouched and says what is missing', () => {
    const env = createFakeEnv({
      sheets: {
        'Ghi chép': [
          ['STT', 'Nội dung', 'Điểm tối đa', 'Ghi chú'],
          ['1', 'x', 5, ''],
        ],
      },
    });
    const addon = loadAddon(env);
    env.ss.setActiveCell('Ghi chép', 'A1');
    addon.menuCheckSheet();
    expect(writes(env)).toEqual([]);
    expect(env.ui.alerts.at(-1)!.message).toMatch(/được giữ nguyên.*thiếu cột "Điểm tự chấm"/s);
  });

  it('handles an empty workbook and a deleted settings sheet with clear messages', () => {
    const env = createFakeEnv();
    const addon = loadAddon(env);
    addon.menuCheckSheet();
    expect(env.ui.alerts.at(-1)!.message).toMatch(/đang trống/);
    addon.menuCheckAll();
    expect(env.ui.alerts.at(-1)!.message).toMatch(/Chưa có trang "Cấu hình"/);
    expect(writes(env)).toEqual([]);
  });

  it('reports text, comma decimals and formula errors in score cells without a wrong total', () => {
    const { env, addon } = exampleEnv();
    env.ss.setActiveCell('Trạm Y tế', 'A1');
    addon.menuCheckSheet();
    expect(cellNote(env, 'Trạm Y tế', 'D31')).toMatch(/#REF!/); // 4.1
    env.ss.setActiveCell('Công an xã', 'A1');
    addon.menuCheckSheet();
    expect(cellNote(env, 'Công an xã', 'D23')).toMatch(/"3,5" được nhập dạng chữ; đã đọc là 3,5/);
  });

  it('two runs at once cannot interleave: a held lock gives a Vietnamese message', () => {
    const { env, addon } = exampleEnv();
    env.locks.holdByOther('document');
    env.ss.setActiveCell(VP, 'A1');
    addon.menuCheckSheet();
    expect(env.ui.alerts.at(-1)!.message).toMatch(/Có người khác đang chạy/);
    expect(writes(env)).toEqual([]);
  });

  it('costs the same number of Spreadsheet calls for 20 rows and 2,000 rows once its formulas are in place', () => {
    const grid = (rows: number) => {
      const g: unknown[][] = [[...STANDARD_HEADERS]];
      for (let s = 1; g.length <= rows; s++) {
        g.push([String(s), `Mục ${s}`, '', '', '', '', '', '', '']);
        for (let l = 1; l <= 9 && g.length <= rows; l++)
          g.push([`${s}.${l}`, 'Tiêu chí', 1, 1, '', 'https://drive.google.com/x', '', '', '']);
      }
      return g;
    };
    const counts = [20, 2000].map((rows) => {
      const env = createFakeEnv({ sheets: { 'Đơn vị': grid(rows) } });
      const addon = loadAddon(env);
      env.ss.setActiveCell('Đơn vị', 'A1');
      env.calls.reset();
      addon.menuCheckSheet();
      // First run: the whole sheet read in three Sheets API calls (formulas, values, details), every formula, note and
      // rule written in one.
      expect(env.calls.list().filter((c) => c.startsWith('Sheets.'))).toEqual([
        'Sheets.Spreadsheets.Values.batchGet',
        'Sheets.Spreadsheets.Values.batchGet',
        'Sheets.Spreadsheets.get',
        'Sheets.Spreadsheets.batchUpdate',
      ]);
      expect(sheetValues(env, 'Đơn vị')[1][3]).toBe(9); // the first group's subtotal, a formula now
      env.calls.reset();
      addon.menuCheckSheet();
      return env.calls.count();
    });
    expect(counts[0]).toBeGreaterThan(5);
    expect(counts[1]).toBe(counts[0]);
    expect(counts[0]).toBeLessThan(25);
  });
});

describe('evidence sidebar in the built bundle', () => {
  it('opens one self-contained page from the menu function', () => {
    const { env, addon } = exampleEnv();
    env.ss.setActiveCell(VP, 'D8');
    addon.showEvidenceSidebar();
    const shown = env.ui.sidebars.at(-1)!;
    expect(shown.title).toBe('Đính kèm minh chứng');
    expect(shown.content).toMatch(/<script>/);
    expect(shown.content).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    expect(shown.content).not.toMatch(/\.innerHTML\s*=/);
  });
});

describe('editing a score', () => {
  it('runs no script: the totals follow as formulas, and an edit elsewhere changes nothing computed', () => {
    const { env, addon } = exampleEnv();
    env.ss.setActiveCell(TT, 'A1');
    addon.menuCheckSheet();
    env.calls.reset();
    makeEditEvent(env, TT, 'D38', '', '4');
    expect(sheetValues(env, TT)[36][3]).toBe(4); // group 6 = 4 + its empty 6.2
    const before = sheetValues(env, TT);
    makeEditEvent(env, TT, 'B2', '', 'Tiêu đề mới');
    makeEditEvent(env, TT, 'I10', '', 'Bổ sung quyết định');
    const after = sheetValues(env, TT);
    expect(after[36][3]).toBe(4);
    expect(after.map((r) => r.filter((_, c) => c !== 1 && c !== 8))).toEqual(before.map((r) => r.filter((_, c) => c !== 1 && c !== 8)));
    expect(env.calls.count()).toBe(0);
  });
});

describe('settings', () => {
  it('creates Cấu hình pre-filled with the plan defaults, once', () => {
    const sheets = exampleSheets();
    delete sheets['Cấu hình'];
    const env = createFakeEnv({ sheets, now: new Date('2026-03-01T00:00:00Z') });
    const addon = loadAddon(env);
    addon.menuSettings();
    addon.menuSettings();
    expect(env.ss.getSheets().filter((s) => s.getName() === 'Cấu hình')).toHaveLength(1);
    const cfg = sheetValues(env, 'Cấu hình');
    const find = (label: string) => cfg.find((r) => r[0] === label);
    expect(find('Năm')![1]).toBe(2026);
    expect(find('Ngưỡng Xuất sắc (%)')![1]).toBe(90);
    expect(find('Nhắc trước (ngày)')![1]).toBe('7, 3, 1');
    expect(cfg.find((r) => r[0] === 'STT' && r[1] === 'Đơn vị')).toEqual([
      'STT',
      'Đơn vị',
      'Trang tính',
      'Đầu mối',
      'Email',
      'Điện thoại',
      'Nhạy cảm',
    ]);
    expect(cfg.filter((r) => /^\d+$/.test(String(r[0])) && String(r[2]) === VP)).toHaveLength(1);
    const milestones = cfg.slice(cfg.findIndex((r) => r[1] === 'Hạn') + 1).map((r) => r[1]);
    expect(milestones.slice(0, 3)).toEqual(['15/06/2026', '15/09/2026', '10/11/2026']);
  });

  it('falls back to defaults with a visible warning for wrong values', () => {
    const sheets = exampleSheets();
    sheets['Cấu hình'] = sheets['Cấu hình'].map((r) => (r[0] === 'Ngưỡng Tốt (%)' ? [r[0], 'tám mươi', ...r.slice(2)] : r));
    const env = createFakeEnv({ sheets });
    const addon = loadAddon(env);
    addon.menuSettings();
    expect(env.ui.alerts.at(-1)!.message).toMatch(/"Ngưỡng Tốt \(%\)" không hợp lệ \("tám mươi"\); dùng giá trị mặc định 80/);
  });
});

describe('summary', () => {
  it('builds Tổng hợp for the leadership, the same on refresh, touching no other sheet', () => {
    const { env, addon } = exampleEnv();
    const others = () =>
      env.ss
        .getSheets()
        .filter((s) => s.getName() !== 'Tổng hợp')
        .map((s) => [s.getName(), sheetValues(env, s.getName())]);
    const before = others();
    addon.menuBuildSummary();
    const first = sheetValues(env, 'Tổng hợp');
    addon.menuBuildSummary();
    expect(sheetValues(env, 'Tổng hợp')).toEqual(first);
    expect(others()).toEqual(before);
    expect(first[0][0]).toBe('BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM CCHC NĂM 2026 - XÃ PHƯỚC CHÁNH');
    expect(first[1][0]).toBe('Cập nhật lúc 23/11/2026 08:00');
    expect(first.slice(4, 9).map((r) => r[1])).toEqual([
      'Văn phòng HĐND và UBND xã',
      'Trung tâm Phục vụ hành chính công xã',
      'Công an xã',
      'Ban Chỉ huy Quân sự xã',
      'Trạm Y tế xã',
    ]);
    expect(env.ss.chartRecords('Tổng hợp')).toHaveLength(1);
    expect(env.ss.sheet('Tổng hợp').getFrozenRows()).toBe(4);
    // fits an A4 landscape page at 100% (about 978 px of printable width)
    const widths = first[3].map((_, i) => env.ss.sheet('Tổng hợp').getColumnWidth(i + 1));
    expect(widths.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(980);
  });
});

describe('check all', () => {
  it('stops starting new sheets before the 6-minute limit and says which remain', () => {
    // In-process (not the vm bundle) so Date.now can be stepped: each call is 100 s later. Sheets are taken in chunks
    // (read and written together); with chunks of one sheet, two are started before the 4.5-minute budget is spent.
    const { env } = exampleEnv();
    const restore = installGlobals(env);
    let t = 0;
    const now = jest.spyOn(Date, 'now').mockImplementation(() => (t += 100_000));
    try {
      const { checkSheets, CHECK_ALL_BUDGET_MS } = jest.requireActual('../../src/gas/check') as typeof import('../../src/gas/check');
      const { readSettings } = jest.requireActual('../../src/gas/settings') as typeof import('../../src/gas/settings');
      const ss = env.gas.SpreadsheetApp.getActiveSpreadsheet();
      const deadline = Date.now() + CHECK_ALL_BUDGET_MS;
      const { outcomes, remaining } = checkSheets(ss, readSettings(ss), new Date(), deadline, { chunk: 1 });
      expect(outcomes.map((o) => o.sheet)).toEqual(['VP HĐND-UBND', 'TT PVHCC']);
      expect(remaining).toEqual(['Công an xã', 'Ban CHQS', 'Trạm Y tế', 'Phòng Kinh tế']);
    } finally {
      now.mockRestore();
      restore();
    }
  });

  it('reports every unit in one Vietnamese dialog', () => {
    const { env, addon } = exampleEnv();
    addon.menuCheckAll();
    const message = env.ui.alerts.at(-1)!.message;
    expect(message.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(6);
    expect(message).toMatch(/Ban CHQS: tổng tự chấm 95 điểm/);
  });
});

describe('merged cells', () => {
  it('explains merged score cells instead of silently counting the rows below as empty', () => {
    const { env, addon } = exampleEnv();
    env.ss.sheet(VP).getRange('D10:D11').merge();
    env.ss.setActiveCell(VP, 'A1');
    addon.menuCheckSheet();
    expect(cellNote(env, VP, 'D10')).toMatch(/Ô gộp D10:D11 trong cột điểm/);
  });
});

describe('computed cells and what people typed', () => {
  it('keeps its formulas current, keeps a subtotal a person typed and explains it, and refills a cleared one', () => {
    const { env, addon } = exampleEnv();
    env.ss.setActiveCell(TT, 'A1');
    addon.menuCheckSheet();
    makeEditEvent(env, TT, 'D38', '', '4');
    expect(sheetValues(env, TT)[36][3]).toBe(4); // group 6 follows
    makeEditEvent(env, TT, 'D39', '', '5');
    expect(sheetValues(env, TT)[36][3]).toBe(9); // and again
    makeEditEvent(env, TT, 'D37', '9', '10'); // a person types a subtotal over the formula
    makeEditEvent(env, TT, 'D39', '5', '4');
    addon.menuCheckSheet();
    expect(sheetValues(env, TT)[36][3]).toBe(10); // kept as typed
    expect(cellNote(env, TT, 'D37')).toMatch(/ghi 10 nhưng tổng các mục con là 8/);
    makeEditEvent(env, TT, 'D37', '10', '');
    addon.menuCheckSheet();
    expect(sheetValues(env, TT)[36][3]).toBe(8); // cleared → our formula again (4 + 4)
    expect(cellNote(env, TT, 'D37')).toBe('');
  });
});

describe('a table that fills the sheet', () => {
  it('makes room for the result block instead of failing', () => {
    const wide = (row: unknown[]) => [...row, ...Array(26 - row.length).fill('')];
    const grid = [wide([...STANDARD_HEADERS]), wide(['1', 'a', 100, 100, '', 'https://drive.google.com/x'])];
    grid[0][25] = 'Ghi chú';
    const env = createFakeEnv({ sheets: { 'Đơn vị': grid } });
    const addon = loadAddon(env);
    env.ss.setActiveCell('Đơn vị', 'A1');
    addon.menuCheckSheet();
    expect(env.ui.alerts).toEqual([]);
    expect(sheetValues(env, 'Đơn vị')[0][27]).toBe(RESULT_TITLE);
  });
});
