import { exampleEnv, exampleSheets, loadAddon } from './harness';
import { canUserEdit, cellBackground, createFakeEnv, makeEditEvent, sheetValues, type FakeEnv } from '../../dev/gas-emulator/index';
import { CRITERIA_SET, UNITS } from '../../scripts/example-data';
import { STAGE_HEADERS, STANDARD_HEADERS } from '../../src/core/sheet/template';
import { defaultSettings, settingsGrid } from '../../src/core/settings/settings';
import { generatedGrid } from '../../bench/grids';
import { price } from '../../bench/cost-model';
import { a1 } from '../../src/core/engine/text';

const OFFICE = 'vhxh.phuocchanh@gialai.gov.vn';
const CA = 'congan.phuocchanh@gialai.gov.vn';
const TT = 'ttpvhcc.phuocchanh@gialai.gov.vn';
const COUNCIL = 'hoidong.phuocchanh@gialai.gov.vn';
const OUTSIDER = 'someone@gialai.gov.vn';

function env() {
  const made = exampleEnv({ editors: [CA, TT, COUNCIL, OUTSIDER], sheetsApi: true });
  return made;
}

function may(e: FakeEnv, email: string, sheet: string, cells: string[]) {
  return cells.map((c) => canUserEdit(e.ss, sheet, c, email));
}

describe('Tạo biểu chấm', () => {
  it('creates a template criteria set first, then one sheet per unit, never overwriting', () => {
    const sheets = exampleSheets();
    sheets['Cấu hình'] = sheets['Cấu hình'].flatMap((r) =>
      r[2] === 'Trạm Y tế' ? [r, [6, 'Trường Tiểu học Phước Chánh', 'TH Phước Chánh', 'Võ Văn Nam', 'thpc@gialai.gov.vn', '', 'x']] : [r],
    );
    const e = createFakeEnv({ sheets, sheetsApi: true });
    const addon = loadAddon(e);
    addon.menuCreateUnitSheets();
    expect(e.ui.alerts.at(-1)!.message).toMatch(/Chưa có trang "Bộ tiêu chí"/);
    expect(sheetValues(e, 'Bộ tiêu chí')[0]).toEqual(['STT', 'Tiêu chí', 'Điểm tối đa', 'Đơn vị áp dụng']);
    e.ss.seedValues(
      'Bộ tiêu chí',
      CRITERIA_SET.map(([o, t, m]) => [o, t, m, o === '7.3' ? 'Công an xã' : '']),
      'A2',
    );
    addon.menuCreateUnitSheets();
    const message = e.ui.alerts.at(-1)!.message;
    expect(message).toMatch(/Đã tạo 1 biểu chấm: TH Phước Chánh/);
    expect(message).toMatch(/Văn phòng HĐND và UBND xã: .*/);
    const grid = sheetValues(e, 'TH Phước Chánh');
    expect(grid[2][0]).toBe('Đơn vị: Trường Tiểu học Phước Chánh');
    // The standard columns, then the later stages' (evidence check, appeal, extra evidence, final score and reason).
    expect(grid[4]).toEqual([...STANDARD_HEADERS, ...STAGE_HEADERS]);
    expect(grid.some((r) => r[0] === '7.3')).toBe(false); // limited to Công an xã
    expect(grid.filter((r) => typeof r[0] === 'number')).toEqual([]); // outlines stay text ("1.1", not 1.1)
    expect(grid.at(-1)![1]).toBe('TỔNG ĐIỂM');
    expect(e.ss.sheet('TH Phước Chánh').getFrozenRows()).toBe(5);
    expect(e.ss.sheet('TH Phước Chánh').getColumnWidth(2)).toBe(380);
    expect(cellBackground(e, 'TH Phước Chánh', 'D5')).toBe('#cfe2f3');
    expect(cellBackground(e, 'TH Phước Chánh', 'D6')).toBe('#ffffff');
    e.calls.reset();
    addon.menuCreateUnitSheets();
    expect(e.calls.count('Sheets.Spreadsheets.batchUpdate')).toBe(0); // nothing new to make
    expect(e.ui.alerts.at(-1)!.message).toMatch(/Đã tạo 0 biểu chấm/);
  });
});

describe('Phân quyền and Khóa tự chấm', () => {
  it('lets each person edit exactly their cells, the same after running twice', () => {
    const { env: e, addon } = env();
    addon.menuApplyPermissions();
    const count = e.ss.protectionRecords().length;
    addon.menuApplyPermissions();
    expect(e.ss.protectionRecords().length).toBe(count);
    // row 8 is leaf 1.1.1 on Công an xã: D self, E explanation, F evidence, G appraisal, H reason, I request
    const row = ['B8', 'C8', 'D8', 'E8', 'F8', 'G8', 'H8', 'I8'];
    expect(may(e, CA, 'Công an xã', row)).toEqual([false, false, true, true, true, false, false, false]);
    expect(may(e, COUNCIL, 'Công an xã', row)).toEqual([false, false, false, false, false, true, true, true]);
    expect(may(e, OFFICE, 'Công an xã', row)).toEqual(row.map(() => true));
    expect(may(e, TT, 'Công an xã', row)).toEqual(row.map(() => false));
    expect(may(e, CA, 'Công an xã', ['D6', 'C6'])).toEqual([false, false]); // group subtotal, max
    expect(may(e, CA, 'Cấu hình', ['B2'])).toEqual([false]);
    expect(e.triggers().filter((t) => t.handlerFunction === 'onEditInstalled')).toHaveLength(1);
  });

  it('locks self-scoring for the council to appraise, unlocks, and logs both', () => {
    const { env: e, addon } = env();
    addon.menuApplyPermissions();
    addon.menuLockSelf();
    expect(may(e, CA, 'Công an xã', ['D8', 'E8', 'G8'])).toEqual([false, false, false]);
    expect(may(e, COUNCIL, 'Công an xã', ['G8', 'H8'])).toEqual([true, true]);
    addon.menuUnlockSelf();
    expect(may(e, CA, 'Công an xã', ['D8', 'E8'])).toEqual([true, true]);
    const log = sheetValues(e, 'Nhật ký chỉnh sửa').map((r) => r[5]);
    expect(log).toEqual(expect.arrayContaining(['Khóa tự chấm (theo yêu cầu)', 'Mở khóa tự chấm (theo yêu cầu)']));
  });
});

/** Columns of a unit sheet (0-based): D, E, F the unit's; G, H, I the council's. */
const UNIT_COLS = [3, 4, 5];
const COUNCIL_COLS = [6, 7, 8];

/**
 * Rows a person scores, found here from the outlines of column A (not by the engine): an outline no other one
 * extends, and the bonus and penalty rows (no outline, a maximum or a score, above the total row).
 */
function leafRows(grid: unknown[][]): number[] {
  const outlines = grid.map((r) => String(r[0] ?? '').trim());
  const header = outlines.indexOf('STT');
  const out: number[] = [];
  grid.forEach((r, i) => {
    if (i <= header) return;
    const o = outlines[i];
    const text = String(r[1] ?? '');
    if (o) {
      if (!outlines.some((x) => x.startsWith(`${o}.`))) out.push(i + 1);
    } else if (/^Điểm (cộng|trừ)/.test(text)) out.push(i + 1);
  });
  return out;
}

type Rights = 'open' | 'locked';

/** Who may edit a cell of `unitEmail`'s sheet, by hand: the office everything, the unit and the council their cells. */
function expectedEditors(leaves: number[], row: number, col: number, rights: Rights, unitEmail: string): string[] {
  const out = [OFFICE];
  if (!leaves.includes(row)) return out;
  if (rights === 'open' && UNIT_COLS.includes(col)) out.push(unitEmail);
  if (COUNCIL_COLS.includes(col)) out.push(COUNCIL);
  return out;
}

/** Every cell of the sheet's first rows and columns A–J, for each person: may they edit it? */
function expectRights(e: FakeEnv, sheet: string, unitEmail: string, rights: Rights) {
  const grid = exampleSheets()[sheet];
  const leaves = leafRows(grid);
  const people = [OFFICE, CA, TT, COUNCIL, OUTSIDER];
  const wrong: string[] = [];
  for (let row = 1; row <= grid.length + 2; row++) {
    for (let col = 0; col < 10; col++) {
      const allowed = expectedEditors(leaves, row, col, rights, unitEmail);
      for (const who of people) {
        if (canUserEdit(e.ss, sheet, a1(row, col), who) !== allowed.includes(who)) wrong.push(`${who} ${a1(row, col)}`);
      }
    }
  }
  expect(wrong).toEqual([]);
}

describe('Phân quyền: who may edit which cells, cell by cell', () => {
  it('finds the leaf rows by hand as the engine does (bonus and penalty rows in, groups and the total out)', () => {
    const leaves = leafRows(exampleSheets()['Công an xã']);
    expect(leaves.slice(0, 5)).toEqual([8, 9, 11, 12, 13]);
    expect(leaves.slice(-3)).toEqual([46, 47, 48]);
    expect(leaves).not.toContain(49);
  });

  it('gives the office, the unit and the council exactly their cells after Phân quyền, lock and unlock', () => {
    const { env: e, addon } = env();
    addon.menuApplyPermissions();
    expectRights(e, 'Công an xã', CA, 'open');
    expectRights(e, 'TT PVHCC', TT, 'open');
    addon.menuLockSelf();
    expectRights(e, 'Công an xã', CA, 'locked');
    addon.menuUnlockSelf();
    expectRights(e, 'Công an xã', CA, 'open');
    // the add-on's own sheets: the office alone
    expect(may(e, CA, 'Nhật ký chỉnh sửa', ['A2'])).toEqual([false]);
    expect(may(e, OFFICE, 'Nhật ký chỉnh sửa', ['A2'])).toEqual([true]);
  });

  it('writes three protections per unit sheet, every open cell covered by a range protection', () => {
    const { env: e, addon } = env();
    addon.menuApplyPermissions();
    const records = e.ss.protectionRecords().filter((p) => p.sheet === 'Công an xã');
    expect(records.map((p) => [p.type, p.range])).toEqual([
      ['SHEET', 'Công an xã'],
      ['RANGE', 'D8:F48'],
      ['RANGE', 'G8:I48'],
    ]);
    // unprotected ranges are open to every editor of the file: each lies inside a block naming its editors
    const whole = records[0];
    expect(whole.unprotectedRanges.length).toBeGreaterThan(0);
    for (const r of whole.unprotectedRanges) {
      const [from, to = from] = r.split(':');
      expect([from, to].every((c) => /^[D-I](\d+)$/.test(c) && Number(c.slice(1)) >= 8 && Number(c.slice(1)) <= 48)).toBe(true);
    }
  });
});

describe('Phân quyền with two units on one sheet', () => {
  it('protects the sheet once, for the first unit, and says so for the second', () => {
    const sheets = exampleSheets();
    sheets['Cấu hình'] = sheets['Cấu hình'].flatMap((r) =>
      r[2] === 'Trạm Y tế' ? [r, [6, 'Đội Công an (trùng trang)', 'Công an xã', 'Võ Văn Nam', OUTSIDER, '', '']] : [r],
    );
    const e = createFakeEnv({ sheets, owner: OFFICE, editors: [CA, TT, COUNCIL, OUTSIDER], sheetsApi: true });
    const addon = loadAddon(e);
    addon.menuApplyPermissions();
    const message = e.ui.alerts.at(-1)!.message;
    expect(message).toContain('• Công an xã: đã phân quyền.');
    expect(message).toContain('• Đội Công an (trùng trang): trang "Công an xã" đã được phân quyền cho một đơn vị khác trong danh sách.');
    expect(e.ss.protectionRecords().filter((p) => p.sheet === 'Công an xã')).toHaveLength(3);
    expect(may(e, CA, 'Công an xã', ['D8'])).toEqual([true]);
    expect(may(e, OUTSIDER, 'Công an xã', ['D8'])).toEqual([false]);
  });
});

describe('Phân quyền run by another account', () => {
  const OWNER = 'chutep@gialai.gov.vn';

  function ownedByOther() {
    const e = createFakeEnv({ sheets: exampleSheets(), owner: OWNER, editors: [OFFICE, CA, TT, COUNCIL], sheetsApi: true });
    return { e, addon: loadAddon(e) };
  }

  it('keeps the office (who runs it, not the owner) an editor of every protection it writes', () => {
    const { e, addon } = ownedByOther();
    e.setActiveUser(OFFICE);
    addon.menuApplyPermissions();
    const records = e.ss.protectionRecords();
    expect(records.length).toBeGreaterThan(0);
    for (const p of records) expect(p.editors).toEqual(expect.arrayContaining([OFFICE]));
    expect(may(e, OFFICE, 'Công an xã', ['A1', 'C8', 'D8', 'G8', 'D49'])).toEqual([true, true, true, true, true]);
    expect(may(e, CA, 'Công an xã', ['D8', 'G8', 'D49'])).toEqual([true, false, false]);
  });

  it.each([
    ['a unit', CA, 'menuApplyPermissions', 'Phân quyền'],
    ['the file owner', OWNER, 'menuLockSelf', 'Khóa tự chấm'],
    ['a unit', CA, 'menuUnlockSelf', 'Mở khóa tự chấm'],
  ])('refuses %s (%s) running %s, writing nothing', (_who, email, entry, title) => {
    const { e, addon } = ownedByOther();
    e.setActiveUser(email);
    e.calls.reset();
    addon[entry]();
    const alert = e.ui.alerts.at(-1)!;
    expect(alert.title).toBe(title);
    expect(alert.message).toContain(`Chỉ tài khoản cơ quan thường trực (${OFFICE}) được`);
    expect(alert.message).toContain(`Bạn đang dùng ${email}`);
    expect(e.ss.protectionRecords()).toEqual([]);
    expect(e.calls.count('Sheets.Spreadsheets.batchUpdate')).toBe(0);
    expect(e.triggers()).toEqual([]);
  });
});

describe('Phân quyền is all or nothing', () => {
  it('leaves every sheet as it was when the batch fails, never half protected', () => {
    const e = createFakeEnv({ sheets: exampleSheets(), owner: OFFICE, editors: [CA, TT, COUNCIL], sheetsApi: true });
    // The Sheets service the script sees refuses one request in the second half of the batch (an unprotected range on
    // a range protection, which the API refuses), after the requests of other sheets.
    const real = e.globals.Sheets as GoogleAppsScript.Sheets;
    let sent = 0;
    let failing = false;
    const batchUpdate = (resource: GoogleAppsScript.Sheets.Schema.BatchUpdateSpreadsheetRequest, id: string) => {
      const requests = resource.requests ?? [];
      sent = requests.length;
      const i = requests.findIndex((r, k) => k > requests.length / 2 && r.addProtectedRange?.protectedRange?.range?.startRowIndex);
      if (failing && i > 0) {
        const bad = requests[i].addProtectedRange?.protectedRange as GoogleAppsScript.Sheets.Schema.ProtectedRange;
        bad.unprotectedRanges = [{ sheetId: bad.range?.sheetId, startRowIndex: 0, endRowIndex: 1, startColumnIndex: 0, endColumnIndex: 1 }];
      }
      return real.Spreadsheets.batchUpdate(resource, id);
    };
    e.globals.Sheets = { Spreadsheets: { get: real.Spreadsheets.get, Values: real.Spreadsheets.Values, batchUpdate } };
    const addon = loadAddon(e);
    addon.menuApplyPermissions();
    addon.menuLockSelf();
    const locked = e.ss.protectionRecords();
    expectRights(e, 'Công an xã', CA, 'locked');
    failing = true;
    addon.menuUnlockSelf();
    expect(sent).toBeGreaterThan(10);
    expect(e.ui.alerts.at(-1)!.title).toBe('Chấm điểm'); // the error, not the unlock's report
    expect(e.ss.protectionRecords()).toEqual(locked);
    expectRights(e, 'Công an xã', CA, 'locked');
    expectRights(e, 'TT PVHCC', TT, 'locked');
    expect(sheetValues(e, 'Nhật ký chỉnh sửa').map((r) => r[5])).not.toContain('Mở khóa tự chấm (theo yêu cầu)');
  });
});

describe('history and audit', () => {
  it('snapshots at each milestone once, append-only, locks after the last, and the summary shows the change', () => {
    const { env: e, addon } = env();
    e.clock.set(new Date('2026-06-16T00:30:00Z'));
    addon.dailyTick();
    const first = sheetValues(e, 'Lưu trữ');
    expect(first[0]).toEqual(['Thời gian', 'Mốc', 'Đơn vị', 'STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', 'Điểm thẩm định']);
    expect(new Set(first.slice(1).map((r) => r[1]))).toEqual(new Set(['2026-06-15']));
    expect(first.filter((r) => r[4] === 'Tổng điểm')).toHaveLength(6);
    expect(first.find((r) => r[3] === '1.1')).toBeDefined();
    addon.dailyTick();
    expect(sheetValues(e, 'Lưu trữ')).toEqual(first);

    makeEditEvent(e, 'TT PVHCC', 'D38', '', '5');
    e.clock.set(new Date('2026-09-16T00:30:00Z'));
    addon.dailyTick();
    const second = sheetValues(e, 'Lưu trữ');
    expect(second.slice(0, first.length)).toEqual(first);
    expect(second.length).toBe(first.length * 2 - 1);

    makeEditEvent(e, 'TT PVHCC', 'D39', '', '5');
    addon.menuBuildSummary();
    const summary = sheetValues(e, 'Tổng hợp');
    const header = summary[3];
    const tt = summary.find((r) => r[1] === 'Trung tâm Phục vụ hành chính công xã')!;
    expect(tt[header.indexOf('Thay đổi so với lần lưu trước')]).toBe(5);

    e.clock.set(new Date('2026-11-11T00:30:00Z'));
    addon.dailyTick();
    expect(may(e, CA, 'Công an xã', ['D8'])).toEqual([false]);
    expect(sheetValues(e, 'Nhật ký chỉnh sửa').some((r) => String(r[5]).startsWith('Khóa tự chấm (tự động sau mốc 2026-11-10)'))).toBe(
      true,
    );
  });

  it("does not lock after the last milestone when the daily run is not the office's, and says why", () => {
    const { env: e, addon } = env();
    addon.menuApplyPermissions();
    e.clock.set(new Date('2026-11-11T00:30:00Z'));
    // the daily trigger of another office account: it runs as that account
    const other = loadAddon(e, { account: 'office2' });
    other.dailyTick();
    expect(may(e, CA, 'Công an xã', ['D8'])).toEqual([true]);
    expect(e.logs.map((l) => l.message).join('\n')).toContain(`Chỉ tài khoản cơ quan thường trực (${OFFICE}) được tự động khóa tự chấm`);
    // the office's own run still locks, the same day
    e.setActiveUser(OFFICE);
    addon.dailyTick();
    expect(may(e, CA, 'Công an xã', ['D8'])).toEqual([false]);
  });

  it('completes a milestone snapshot cut off part way, without doubling the units already saved', () => {
    const { env: e, addon } = env();
    e.clock.set(new Date('2026-06-16T00:30:00Z'));
    addon.dailyTick();
    const full = sheetValues(e, 'Lưu trữ');
    // as if the run had stopped after the first unit's rows: the others are cleared
    const first = full[1][2];
    const kept = full.filter((r, i) => i === 0 || r[2] === first);
    const raw = e.ss.sheet('Lưu trữ');
    raw.clear();
    e.ss.seedValues('Lưu trữ', kept);
    addon.dailyTick();
    const again = sheetValues(e, 'Lưu trữ');
    expect(again.slice(0, kept.length)).toEqual(kept);
    expect(again.length).toBe(full.length);
    const key = (r: unknown[]) => `${r[2]}|${r[3]}|${r[4]}|${r[6]}`;
    expect(new Set(again.slice(1).map(key))).toEqual(new Set(full.slice(1).map(key)));
    expect(again.filter((r) => r[4] === 'Tổng điểm')).toHaveLength(UNITS.length);
    expect(again.slice(1).every((r) => r[1] === '2026-06-15' && typeof r[0] === 'string')).toBe(true); // text, not dates
  });

  it('records every change to watched cells, never editing what is recorded, even when runs overlap', () => {
    const { env: e, addon } = env();
    e.setActiveUser(CA);
    addon.onEditInstalled(makeEditEvent(e, 'Công an xã', 'D23', '3,5', '3'));
    addon.onEditInstalled(makeEditEvent(e, 'Công an xã', 'B2', '', 'Tiêu đề'));
    const first = sheetValues(e, 'Nhật ký chỉnh sửa');
    expect(first[0]).toEqual(['Thời gian', 'Người sửa', 'Trang tính', 'Ô', 'Giá trị cũ', 'Giá trị mới']);
    expect(first.slice(1)).toEqual([['23/11/2026 08:00', CA, 'Công an xã', 'D23', '3,5', '3']]);
    // another run holds the document lock: the edit is still logged
    e.locks.holdByOther('document');
    addon.onEditInstalled(makeEditEvent(e, 'Công an xã', 'E23', '', 'Thiếu 1 báo cáo quý'));
    const second = sheetValues(e, 'Nhật ký chỉnh sửa');
    expect(second.slice(0, first.length)).toEqual(first);
    expect(second.at(-1)!.slice(3)).toEqual(['E23', '', 'Thiếu 1 báo cáo quý']);
  });
});

describe('remedy plan', () => {
  it('builds the next year appendix for every unit', () => {
    const { env: e, addon } = env();
    addon.menuRemedyPlan();
    const plan = sheetValues(e, 'Kế hoạch khắc phục');
    expect(plan[0][0]).toBe('PHỤ LỤC');
    const vp = plan.findIndex((r) => r[1] === 'Đơn vị: Văn phòng HĐND và UBND xã');
    expect(vp).toBeGreaterThan(0);
    const row32 = plan.slice(vp).find((r) => r[0] === '3.2')!;
    expect(row32.slice(2, 6)).toEqual([5, 4.5, 4, 'Khắc phục']);
    expect(plan.slice(vp).find((r) => r[0] === '3.1')![5]).toBe('Duy trì');
  });
});

/** A generated workbook (bench/grids.ts) of `units` sheets of `rows` rows, the office, a council and unit addresses. */
function generatedBook(units: number, rows: number): Record<string, unknown[][]> {
  const settings = defaultSettings(2026);
  settings.officeEmail = OFFICE;
  settings.council = [COUNCIL];
  const sheets: Record<string, unknown[][]> = {};
  for (let i = 1; i <= units; i++) {
    const name = `Đơn vị ${i}`;
    settings.units.push({ name, sheet: name, focal: '', email: `dv${i}@gialai.gov.vn`, phone: '', sensitive: false });
    sheets[name] = generatedGrid(rows);
  }
  return { 'Cấu hình': settingsGrid(settings), ...sheets };
}

describe('cost of Phân quyền, lock and unlock (issue 12 cost model, mid)', () => {
  it.each([
    [10, 120, 5],
    [100, 300, 30],
  ])('%i units × %i rows: a few API calls and at most %i s each', (units, rows, limit) => {
    const editors = [COUNCIL, ...Array.from({ length: units }, (_, i) => `dv${i + 1}@gialai.gov.vn`)];
    const e = createFakeEnv({ sheets: generatedBook(units, rows), owner: OFFICE, editors, sheetsApi: true });
    const addon = loadAddon(e);
    const figures: string[] = [];
    for (const entry of ['menuApplyPermissions', 'menuLockSelf', 'menuUnlockSelf']) {
      e.calls.reset();
      addon[entry]();
      const p = price(e.calls.records());
      figures.push(`${entry} ${units}×${rows}: ${p.calls} calls, ${p.apiCalls} API, ${p.bytes} B, mid ${p.seconds.mid} s`);
      expect(e.ui.alerts.at(-1)!.message).toContain(`Đơn vị ${units}: đã`);
      // one listing with the protections, one values.batchGet, one batchUpdate per 2 MB
      expect(p.apiCalls).toBeLessThanOrEqual(2 + Math.ceil(e.calls.bytes('Sheets.Spreadsheets.batchUpdate') / 2_000_000));
      // a first run makes the edit log (a few SpreadsheetApp calls); nothing is read or written per sheet
      expect(p.byClass.read + p.byClass.write).toBeLessThan(30);
      expect(p.seconds.mid).toBeLessThanOrEqual(limit);
    }
    // three protections per unit sheet, the settings and the edit log
    expect(e.ss.protectionRecords()).toHaveLength(3 * units + 2);
    const last = `Đơn vị ${units}`;
    const leaf = generatedGrid(rows).findIndex((r) => r[0] === '1.1.1') + 1;
    expect(canUserEdit(e.ss, last, `D${leaf}`, `dv${units}@gialai.gov.vn`)).toBe(true);
    expect(canUserEdit(e.ss, last, `D${leaf - 1}`, `dv${units}@gialai.gov.vn`)).toBe(false); // the group row above
    expect(canUserEdit(e.ss, last, `D${leaf}`, 'dv1@gialai.gov.vn')).toBe(units === 1);
    process.stdout.write(`${figures.join('\n')}\n`);
  });
});

describe('cost of Tạo biểu chấm and snapshots (issue 12 cost model, mid)', () => {
  it.each([
    [10, 120, 5],
    [100, 300, 30],
  ])('%i units × %i rows: a few API calls and at most %i s each', (units, rows, limit) => {
    const book = generatedBook(units, rows);
    const set = generatedGrid(rows)
      .slice(2)
      .map((r) => r.slice(0, 3));
    const unitSheets = Object.keys(book).filter((name) => name !== 'Cấu hình');
    const sheets = { 'Cấu hình': book['Cấu hình'], 'Bộ tiêu chí': [['STT', 'Tiêu chí', 'Điểm tối đa'], ...set] };
    const e = createFakeEnv({ sheets, owner: OFFICE, sheetsApi: true });
    const addon = loadAddon(e);
    const figures: string[] = [];
    const measure = (entry: string) => {
      e.calls.reset();
      addon[entry]();
      const p = price(e.calls.records());
      figures.push(`${entry} ${units}×${rows}: ${p.calls} calls, ${p.apiCalls} API, ${p.bytes} B, mid ${p.seconds.mid} s`);
      expect(p.seconds.mid).toBeLessThanOrEqual(limit);
      return p;
    };
    const created = measure('menuCreateUnitSheets');
    expect(e.ui.alerts.at(-1)!.message).toContain(`Đã tạo ${units} biểu chấm`);
    expect(created.apiCalls).toBeLessThanOrEqual(2 + Math.ceil(e.calls.bytes('Sheets.Spreadsheets.batchUpdate') / 2_000_000));
    expect(e.ss.sheet(unitSheets[units - 1]).getColumnWidth(2)).toBe(380);
    const snapshot = measure('menuSnapshot');
    // one row per criterion and a total row per unit, every unit
    const history = sheetValues(e, 'Lưu trữ');
    const perUnit = history.filter((r) => r[2] === 'Đơn vị 1').length;
    expect(history.length).toBe(1 + units * perUnit);
    expect(history.filter((r) => r[4] === 'Tổng điểm')).toHaveLength(units);
    // the listing, the history's columns, the sheets' values and their date formats; one batchUpdate per 2 MB
    expect(snapshot.apiCalls).toBeLessThanOrEqual(4 + Math.ceil(e.calls.bytes('Sheets.Spreadsheets.batchUpdate') / 2_000_000));
    process.stdout.write(`${figures.join('\n')}\n`);
  });
});
