/**
 * Server functions of the evidence sidebar (src/gas/sidebar.ts) against the in-memory Apps
 * Script stand-ins, on the example workbook. Every argument is treated as untrusted.
 */
import { ENTRY_NAMES } from '../../src/gas/entry-names';
import { showEvidenceSidebar } from '../../src/gas/sidebar/page';
import type { CriterionView, LinkCheck, NextResult, PollResult, Reply, WriteResult } from '../../src/core/evidence/sidebar-api';
import {
  evidenceAddLink,
  evidenceCheckLink,
  evidenceNextMissing,
  evidencePoll,
  evidenceRemoveLink,
  evidenceSetExplanation,
  evidenceSetScore,
  SIDEBAR_SERVER,
} from '../../src/gas/sidebar/server';
import { createExampleEnv, DEMO_LINKS } from '../../scripts/preview';
import { exampleSettings, unitGrid } from '../../scripts/make-example';
import {
  cellState,
  cellValue,
  createFakeEnv,
  effectiveBackground,
  installGlobals,
  type FakeEnv,
  sheetValues,
} from '../../dev/gas-emulator/index';
import { claimDailyRun } from '../../src/gas/reminders';
import { checkSheet } from '../../src/gas/check';
import { readSettings } from '../../src/gas/settings';
import { HIGHLIGHT } from '../../src/core/sheet/notes';
import { applyTestAccount } from './harness';
import { classify, price } from '../../bench/cost-model';
import { generatedGrid } from '../../bench/grids';
import { defaultSettings, settingsGrid } from '../../src/core/settings/settings';
import { appendAudit, menuApplyPermissions, menuLockSelf, PROP_EDIT_TRIGGER } from '../../src/gas/workflow';

const make = { unitGrid, exampleSettings };
const VP = 'VP HĐND-UBND';
const TT = 'TT PVHCC';
const CA = 'Công an xã';
// Rows of the standard layout: 4 title rows, the header on row 5, then the criteria set.
const ROW = { '1': 6, '1.1': 7, '1.1.1': 8, '1.1.2': 9, '1.2.1': 11, '3.4': 29, '7.5': 45, bonus: 47, penalty: 48 } as const;
const DOC = 'https://docs.google.com/document/d/1DemoHanCheKeHoach2026/edit';

let env: FakeEnv;
let restore: () => void;

function fresh(options: Parameters<typeof createExampleEnv>[1] = {}): void {
  restore?.();
  env = createExampleEnv(make, options);
  applyTestAccount(env);
  restore = installGlobals(env);
}

beforeEach(() => fresh());
afterAll(() => restore?.());

function ok<T>(r: Reply<T>): T {
  if (!r.ok) throw new Error(`expected ok, got: ${r.error}`);
  return r.data;
}

function err<T>(r: Reply<T>): string {
  if (r.ok) throw new Error('expected an error');
  // Vietnamese for the person, never a stack trace.
  expect(r.error).not.toMatch(/\n\s+at |Error:|TypeError|undefined/);
  return r.error;
}

function criterion(view: unknown): CriterionView {
  const v = view as CriterionView;
  expect(v.kind).toBe('criterion');
  return v;
}

function target(sheet: string, outline: keyof typeof ROW) {
  return { sheet, row: ROW[outline], outline };
}

function runs(sheet: string, a1: string): [string, string | null][] {
  const rich = env.gas.SpreadsheetApp.getActive().getSheetByName(sheet)!.getRange(a1).getRichTextValue()!;
  return rich.getRuns().map((r) => [r.getText(), r.getLinkUrl()]);
}

function sheetOf(name: string): GoogleAppsScript.Spreadsheet.Sheet {
  return env.gas.SpreadsheetApp.getActive().getSheetByName(name)!;
}

function select(sheet: string, a1: string): void {
  env.ss.setActiveCell(sheet, a1);
}

test('entry points are exported functions', () => {
  const mod = require('../../src/gas/sidebar/server') as Record<string, unknown>;
  for (const name of Object.keys(SIDEBAR_SERVER)) expect(typeof mod[name]).toBe('function');
  expect(Object.keys(SIDEBAR_SERVER).sort()).toEqual(ENTRY_NAMES.filter((n) => n.startsWith('evidence')).sort());
});

test('showEvidenceSidebar shows the built page as a sidebar titled in Vietnamese', () => {
  const e = createFakeEnv({ htmlFiles: { sidebar: '<p>trang</p>' } });
  const undo = installGlobals(e);
  try {
    showEvidenceSidebar();
  } finally {
    undo();
    restore = installGlobals(env);
  }
  expect(e.ui.sidebars).toHaveLength(1);
  expect(e.ui.sidebars[0]).toMatchObject({ kind: 'sidebar', title: 'Đính kèm minh chứng', content: '<p>trang</p>' });
});

describe('evidencePoll follows the selection', () => {
  test('the selected criterion with its links; a sensitive unit gets the sharing checked', () => {
    const r = ok(evidencePoll(''));
    expect(r.changed).toBe(true);
    const v = criterion((r as Extract<PollResult, { changed: true }>).view);
    expect(v).toMatchObject({
      target: { sheet: CA, row: 8, outline: '1.1.1' },
      unit: 'Công an xã',
      sensitive: true,
      leaf: true,
      max: '1',
      maxValue: 1,
      self: '1',
      group: 'CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC',
      officeFocal: 'Huỳnh Quốc Việt - 0987015592',
    });
    expect(v.text).toMatch(/^Ban hành kế hoạch CCHC năm/);
    expect(v.links).toHaveLength(1);
    expect(v.links[0]).toMatchObject({ safe: true, kindLabel: 'Tệp trên Google Drive', fileName: 'Minh chứng 1.1.1 - Công an xã.pdf' });
    expect(v.links[0].warning).toContain('bất kỳ ai có đường liên kết');
    const month = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', month: '2-digit', year: 'numeric' }).format(new Date());
    expect(v.fileName).toBe(
      `Công an xã - CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC - Ban hành kế hoạch CCHC năm đầy đủ nội dung, phân công trách nhiệm, ` +
        `sản phẩm - ${month}`,
    );
  });

  test('an unchanged selection costs a few cheap calls and no read of the sheet', () => {
    const first = ok(evidencePoll(''));
    env.calls.reset();
    const again = ok(evidencePoll(first.key));
    expect(again).toEqual({ changed: false, key: first.key });
    expect(env.calls.count('Range.getValues')).toBe(0);
    expect(env.calls.count()).toBeLessThanOrEqual(5);
  });

  test('one read of the sheet and the rich text of one cell for a non-sensitive unit', () => {
    select(VP, 'C9');
    env.calls.reset();
    const v = criterion((ok(evidencePoll('')) as Extract<PollResult, { changed: true }>).view);
    expect(v.outline).toBe('1.1.2');
    expect(v.unit).toBe('Văn phòng HĐND và UBND xã');
    expect(v.links[0].fileName).toBeNull();
    expect(env.calls.count('Range.getValues')).toBe(2); // the unit sheet and the settings sheet
    expect(env.calls.count('Range.getRichTextValue')).toBe(1);
    expect(env.calls.count('Range.getRichTextValues')).toBe(0);
    expect(env.calls.count('DriveApp.getFileById')).toBe(0);
  });

  test('rows and sheets that are not criteria say what to select', () => {
    select('Cấu hình', 'A3');
    expect((ok(evidencePoll('')) as { view: { kind: string; message: string } }).view).toMatchObject({
      kind: 'none',
      message: expect.stringContaining('trang của công cụ'),
    });
    select(CA, 'A5');
    expect((ok(evidencePoll('')) as { view: unknown }).view).toMatchObject({
      kind: 'none',
      unitSheet: true,
      message: expect.stringContaining('từ hàng 6'),
    });
    select(CA, 'A60');
    expect((ok(evidencePoll('')) as { view: unknown }).view).toMatchObject({ kind: 'none', unitSheet: true });
    env.ss.insertSheet('Trang trống');
    select('Trang trống', 'A1');
    expect((ok(evidencePoll('')) as { view: unknown }).view).toMatchObject({
      kind: 'none',
      unitSheet: false,
      message: expect.stringContaining('không phải biểu chấm'),
    });
  });
});

describe('attaching links', () => {
  test('a link becomes a new hyperlinked line and what was in the cell is kept', () => {
    const before = String(cellValue(env, VP, 'F8'));
    const r = ok(evidenceAddLink(target(VP, '1.1.1'), DOC));
    expect(r.message).toBe('Đã đính kèm minh chứng cho tiêu chí 1.1.1.');
    expect(cellValue(env, VP, 'F8')).toBe(`${before}\n${DOC}`);
    expect(runs(VP, 'F8')).toEqual([
      [before, before],
      ['\n', null],
      [DOC, DOC],
    ]);
    const v = criterion(r.view);
    expect(v.links.map((l) => l.url)).toEqual([before, DOC]);
    expect(r.check).toMatchObject({ drive: 'ok', fileName: 'Kế hoạch CCHC năm 2026', kindLabel: 'Google Tài liệu', warning: null });
  });

  test('a cell with notes and a rich link keeps both; several links, one per line', () => {
    const sheet = env.gas.SpreadsheetApp.getActive().getSheetByName(TT)!;
    const rich = env.gas.SpreadsheetApp.newRichTextValue().setText('Quyết định 12/QĐ-UBND\nĐang bổ sung').setLinkUrl(0, 21, DOC).build();
    sheet.getRange('F29').setRichTextValue(rich);
    ok(evidenceAddLink(target(TT, '3.4'), DEMO_LINKS.web));
    const r = ok(evidenceAddLink(target(TT, '3.4'), 'drive.google.com/file/d/1DemoHanCheKeHoach2026/view'));
    expect(cellValue(env, TT, 'F29')).toBe(
      `Quyết định 12/QĐ-UBND\nĐang bổ sung\n${DEMO_LINKS.web}\nhttps://drive.google.com/file/d/1DemoHanCheKeHoach2026/view`,
    );
    expect(runs(TT, 'F29').filter(([, url]) => url)).toEqual([
      ['Quyết định 12/QĐ-UBND', DOC],
      [DEMO_LINKS.web, DEMO_LINKS.web],
      ['https://drive.google.com/file/d/1DemoHanCheKeHoach2026/view', 'https://drive.google.com/file/d/1DemoHanCheKeHoach2026/view'],
    ]);
    const v = criterion(r.view);
    expect(v.links.map((l) => l.text)).toEqual([
      'Quyết định 12/QĐ-UBND',
      DEMO_LINKS.web,
      'https://drive.google.com/file/d/1DemoHanCheKeHoach2026/view',
    ]);
    expect(v.otherText).toBe('Đang bổ sung');
  });

  test('a write is one read of the unit sheet, under the document lock, and no re-check', () => {
    ok(evidenceSetScore(target(TT, '7.5'), '2')); // the audit log exists from now on
    env.calls.reset();
    ok(evidenceAddLink(target(TT, '3.4'), DEMO_LINKS.web));
    expect(env.calls.count('LockService.getDocumentLock')).toBe(1);
    expect(env.calls.count('Lock.releaseLock')).toBe(1);
    // No SpreadsheetApp read or write of cells, rich text or the log: the Sheets API does both.
    for (const name of ['Range.getValues', 'Range.getRichTextValue', 'Range.getFormula', 'Range.setRichTextValue', 'Range.setValues']) {
      expect([name, env.calls.count(name)]).toEqual([name, 0]);
    }
    expect(env.calls.count('Sheets.Spreadsheets.get')).toBe(1);
    expect(env.calls.count('Sheets.Spreadsheets.batchUpdate')).toBe(1);
  });

  test('after "Kiểm tra", the "missing evidence" highlight follows a sidebar write with no re-check', () => {
    checkSheet(sheetOf(TT), readSettings(env.gas.SpreadsheetApp.getActive()));
    ok(evidenceSetScore(target(TT, '3.4'), '3'));
    expect(effectiveBackground(sheetOf(TT), 'F29')).toBe(HIGHLIGHT.warning);
    ok(evidenceAddLink(target(TT, '3.4'), DEMO_LINKS.web));
    expect(effectiveBackground(sheetOf(TT), 'F29')).toBe('#ffffff');
    // The note with the full message is refreshed by the next check (or the daily run).
    checkSheet(sheetOf(TT), readSettings(env.gas.SpreadsheetApp.getActive()));
    expect(cellState(env, TT, 'F29').note).not.toContain('chưa có đường dẫn minh chứng');
  });

  test('a duplicate link is refused', () => {
    const existing = String(cellValue(env, VP, 'F8'));
    expect(
      err(
        evidenceAddLink(
          target(VP, '1.1.1'),
          existing.toUpperCase().replace('/FILE/D/', '/file/d/').replace('MINHCHUNG/VIEW', 'MinhChung/view'),
        ),
      ),
    ).toContain('đã được đính kèm');
    expect(err(evidenceAddLink(target(VP, '1.1.1'), existing))).toContain('đã được đính kèm');
  });

  test.each([
    ['javascript:alert(1)', 'http:// hoặc https://'],
    ['javascript:window.__xss=1//https://drive.google.com', 'http:// hoặc https://'],
    ['data:text/html,<img src=x onerror=alert(1)>', 'http:// hoặc https://'],
    [`https://example.com/${'a'.repeat(2100)}`, 'dài quá 2.048 ký tự'],
    ['https://a.com/<img src=x onerror=alert(1)>', 'ký tự không hợp lệ'],
    [42, 'Hãy dán'],
    [null, 'Hãy dán'],
  ])('refuses the link #%# and leaves the cell as it was', (url, message) => {
    const before = cellValue(env, VP, 'F8');
    expect(err(evidenceAddLink(target(VP, '1.1.1'), url))).toContain(message);
    expect(cellValue(env, VP, 'F8')).toBe(before);
  });

  test('a Drive file shared with anyone: warned for a sensitive unit only', () => {
    const sensitive = ok(evidenceCheckLink(target(CA, '1.1.1'), DEMO_LINKS.anyoneWithLink));
    expect(sensitive).toMatchObject({ drive: 'ok', fileName: 'Báo cáo kết quả CCHC quý III năm 2026.pdf' });
    expect(sensitive.warning).toContain('Đơn vị nhạy cảm');
    expect(sensitive.warning).toContain('Bị hạn chế');
    expect(ok(evidenceCheckLink(target(CA, '1.1.1'), DEMO_LINKS.publicOnWeb)).warning).toContain('công khai trên Internet');
    expect(ok(evidenceCheckLink(target(CA, '1.1.1'), DEMO_LINKS.restrictedDoc)).warning).toBeNull();
    expect(ok(evidenceCheckLink(target(VP, '1.1.1'), DEMO_LINKS.anyoneWithLink)).warning).toBeNull();
    const added = ok(evidenceAddLink(target(CA, '1.2.1'), DEMO_LINKS.anyoneWithLink));
    expect(added.check?.warning).toContain('Đơn vị nhạy cảm');
    expect(criterion(added.view).links.map((l) => Boolean(l.warning))).toEqual([true, true]);
  });

  test('without Drive permission it says it could not check, and still attaches', () => {
    env.setDriveAuthorized(false);
    const c: LinkCheck = ok(evidenceCheckLink(target(CA, '1.1.1'), DEMO_LINKS.anyoneWithLink));
    expect(c).toMatchObject({ drive: 'no-permission', fileName: null, warning: null });
    expect(c.note).toContain('Không kiểm tra được tệp trên Google Drive');
    expect(c.note).toContain('chia sẻ hạn chế');
    const r = ok(evidenceAddLink(target(CA, '1.2.1'), DEMO_LINKS.anyoneWithLink));
    expect(String(cellValue(env, CA, 'F11'))).toContain(DEMO_LINKS.anyoneWithLink);
    expect(criterion(r.view).links[1].note).toContain('Không kiểm tra được');
    expect(ok(evidenceCheckLink(target(CA, '1.1.1'), DEMO_LINKS.unknownDrive)).drive).toBe('no-permission');
    env.setDriveAuthorized(true);
    expect(ok(evidenceCheckLink(target(CA, '1.1.1'), DEMO_LINKS.unknownDrive))).toMatchObject({
      drive: 'not-found',
      note: expect.stringContaining('Không đọc được tệp'),
    });
    expect(ok(evidenceCheckLink(target(CA, '1.1.1'), DEMO_LINKS.web))).toMatchObject({
      drive: 'not-drive',
      note: expect.stringContaining('không thuộc Google Drive'),
    });
  });
});

describe('removing links', () => {
  test('removes one link and its line; the other link stays hyperlinked', () => {
    const first = String(cellValue(env, VP, 'F8'));
    ok(evidenceAddLink(target(VP, '1.1.1'), DOC));
    const r = ok(evidenceRemoveLink(target(VP, '1.1.1'), first));
    expect(r.message).toBe('Đã gỡ minh chứng.');
    expect(cellValue(env, VP, 'F8')).toBe(DOC);
    expect(runs(VP, 'F8')).toEqual([[DOC, DOC]]);
    ok(evidenceRemoveLink(target(VP, '1.1.1'), DOC));
    expect(cellValue(env, VP, 'F8')).toBe('');
    expect(criterion(ok(evidenceRemoveLink(target(VP, '1.1.2'), String(cellValue(env, VP, 'F9')))).view).links).toEqual([]);
  });

  test('a link that is not there, or not a string', () => {
    expect(err(evidenceRemoveLink(target(VP, '1.1.1'), DOC))).toContain('Không còn thấy đường dẫn này');
    expect(err(evidenceRemoveLink(target(VP, '1.1.1'), { url: DOC }))).toContain('thiếu đường dẫn');
  });

  test('a javascript: link put in the cell by hand is listed as unsafe and can be removed', () => {
    const sheet = env.gas.SpreadsheetApp.getActive().getSheetByName(VP)!;
    sheet
      .getRange('F8')
      .setRichTextValue(env.gas.SpreadsheetApp.newRichTextValue().setText('bấm vào đây').setLinkUrl('javascript:window.__xss=1').build());
    select(VP, 'B8');
    const v = criterion((ok(evidencePoll('')) as Extract<PollResult, { changed: true }>).view);
    expect(v.links).toEqual([expect.objectContaining({ url: 'javascript:window.__xss=1', safe: false, text: 'bấm vào đây' })]);
    ok(evidenceAddLink(target(VP, '1.1.1'), DOC));
    // Re-writing the cell never writes a non-http link back.
    expect(runs(VP, 'F8')).toEqual([
      ['bấm vào đây\n', null],
      [DOC, DOC],
    ]);
  });
});

describe('score and explanation', () => {
  test('"1,5" is stored as the number 1.5; "Chưa tính điểm" as text; empty clears', () => {
    checkSheet(sheetOf(VP), readSettings(env.gas.SpreadsheetApp.getActive()));
    const r = ok(evidenceSetScore(target(VP, '1.1.2'), '1,5'));
    expect(cellValue(env, VP, 'D9')).toBe(1.5);
    expect(r.message).toBe('Đã lưu điểm tự chấm: 1,5 điểm.');
    expect(criterion(r.view).self).toBe('1,5');
    // The group's subtotal formula (written by "Kiểm tra") follows: 1 + 1,5.
    expect(cellValue(env, VP, 'D7')).toBe(2.5);
    // The group, viewed after the write, shows the same sum.
    select(VP, 'B7');
    expect(criterion((ok(evidencePoll('')) as Extract<PollResult, { changed: true }>).view).self).toBe('2,5');
    ok(evidenceSetScore(target(VP, '1.1.2'), 'chưa tính điểm'));
    expect(cellValue(env, VP, 'D9')).toBe('Chưa tính điểm');
    ok(evidenceSetScore(target(VP, '1.1.2'), ''));
    expect(cellValue(env, VP, 'D9')).toBe('');
  });

  test('the same 0..max check as the sheet', () => {
    expect(err(evidenceSetScore(target(VP, '1.1.2'), '2,5'))).toContain('vượt điểm tối đa 2');
    expect(err(evidenceSetScore(target(VP, '1.1.2'), '-1'))).toContain('không được âm');
    expect(err(evidenceSetScore(target(VP, '1.1.2'), 'đạt'))).toContain('"đạt" không phải là điểm');
    expect(err(evidenceSetScore(target(VP, '1.1.2'), '=1+1'))).toContain('không phải là điểm');
    expect(cellValue(env, VP, 'D9')).toBe(2);
  });

  test('explanations are stored as text, limited to 2,000 characters; groups may have one', () => {
    ok(evidenceSetExplanation(target(VP, '1.1.2'), '=IMPORTXML("https://evil.example","//a")'));
    expect(cellState(env, VP, 'E9')).toMatchObject({ value: '=IMPORTXML("https://evil.example","//a")', formula: '' });
    ok(evidenceSetExplanation(target(VP, '1.1.2'), '15/6'));
    expect(cellValue(env, VP, 'E9')).toBe('15/6');
    const r = ok(evidenceSetExplanation(target(VP, '1'), 'Hoàn thành\r\ncả nhóm'));
    expect(cellValue(env, VP, 'E6')).toBe('Hoàn thành\ncả nhóm');
    expect(criterion(r.view).explanation).toBe('Hoàn thành\ncả nhóm');
    expect(err(evidenceSetExplanation(target(VP, '1.1.2'), 'a'.repeat(2001)))).toContain('tối đa 2.000 ký tự');
    expect(err(evidenceSetExplanation(target(VP, '1.1.2'), 12))).toContain('Giải trình không hợp lệ');
  });
});

describe('untrusted targets', () => {
  test.each([
    [null, 'thiếu tiêu chí'],
    ['VP HĐND-UBND', 'thiếu tiêu chí'],
    [[VP, 8, '1.1.1'], 'thiếu tiêu chí'],
    [{ sheet: '', row: 8, outline: '1.1.1' }, 'thiếu tên trang tính'],
    [{ sheet: 'x'.repeat(101), row: 8, outline: '1.1.1' }, 'thiếu tên trang tính'],
    [{ sheet: VP, row: '8', outline: '1.1.1' }, 'số hàng không đúng'],
    [{ sheet: VP, row: 8.5, outline: '1.1.1' }, 'số hàng không đúng'],
    [{ sheet: VP, row: -1, outline: '1.1.1' }, 'số hàng không đúng'],
    [{ sheet: VP, row: 1e300, outline: '1.1.1' }, 'số hàng không đúng'],
    [{ sheet: VP, row: NaN, outline: '1.1.1' }, 'số hàng không đúng'],
    [{ sheet: VP, row: 8, outline: 5 }, 'số thứ tự tiêu chí không đúng'],
    [{ sheet: 'Không có trang này', row: 8, outline: '1.1.1' }, 'Không tìm thấy trang tính'],
    [{ sheet: 'Cấu hình', row: 17, outline: '' }, 'trang của công cụ chấm điểm'],
    [{ sheet: VP, row: 5, outline: 'STT' }, 'không phải là một tiêu chí'],
    [{ sheet: VP, row: 3000, outline: '' }, 'không phải là một tiêu chí'],
    [{ sheet: VP, row: 9, outline: '1.1.1' }, 'các hàng đã dời chỗ'],
    [{ sheet: VP, row: 7, outline: '1.1' }, 'là mục nhóm'],
  ])('%j is refused with a Vietnamese message', (t, message) => {
    const before = cellValue(env, VP, 'F8');
    expect(err(evidenceAddLink(t, DOC))).toContain(message);
    expect(err(evidenceSetScore(t, '1'))).toContain(message);
    expect(err(evidenceCheckLink(t, DOC))).toContain(message);
    expect(cellValue(env, VP, 'F8')).toBe(before);
  });

  test('a sheet the engine does not recognise', () => {
    env.ss.insertSheet('Ghi chép');
    env.ss.seedValues('Ghi chép', [
      ['STT', 'Nội dung'],
      [1, 'abc'],
    ]);
    expect(err(evidenceAddLink({ sheet: 'Ghi chép', row: 2, outline: '1' }, DOC))).toContain('không phải biểu chấm điểm');
  });

  test('another execution holding the lock: a Vietnamese message and nothing written', () => {
    const before = cellValue(env, VP, 'F8');
    env.locks.holdByOther('document');
    expect(err(evidenceAddLink(target(VP, '1.1.1'), DOC))).toContain('Có người khác đang chạy');
    expect(cellValue(env, VP, 'F8')).toBe(before);
  });

  test('a protected evidence column: a Vietnamese message', () => {
    const e = createFakeEnv({
      sheets: {
        [VP]: unitGrid((require('../../scripts/example-data') as typeof import('../../scripts/example-data')).UNITS[0], exampleSettings()),
      },
      editors: ['canbo@gialai.gov.vn'],
    });
    restore();
    restore = installGlobals(e);
    const p = e.gas.SpreadsheetApp.getActive().getSheetByName(VP)!.getRange('F1:F60').protect();
    p.removeEditor('canbo@gialai.gov.vn');
    e.setActiveUser('canbo@gialai.gov.vn');
    expect(err(evidenceAddLink(target(VP, '1.1.1'), DOC))).toContain('đang được bảo vệ');
  });
});

describe('a sidebar write: one Sheets API read and one API write', () => {
  const LOG = 'Nhật ký chỉnh sửa';
  const writes: [string, () => Reply<WriteResult>][] = [
    ['score', () => evidenceSetScore(target(TT, '3.4'), '2,5')],
    ['explanation', () => evidenceSetExplanation(target(TT, '3.4'), 'Thiếu 1 báo cáo quý')],
    ['add link', () => evidenceAddLink(target(VP, '1.1.1'), DEMO_LINKS.web)],
    ['remove link', () => evidenceRemoveLink(target(VP, '1.1.1'), String(cellValue(env, VP, 'F8')))],
  ];

  /** The calls from the lock on: the API's, and those the cost model prices as a read or a write of the spreadsheet. */
  function underLock(): { api: string[]; spreadsheet: string[]; before: string[] } {
    const calls = env.calls.list();
    const at = calls.indexOf('Lock.waitLock');
    expect(at).toBeGreaterThan(-1);
    const rest = calls.slice(at);
    return {
      api: rest.filter((c) => classify(c) === 'api'),
      spreadsheet: rest.filter((c) => classify(c) === 'read' || classify(c) === 'write'),
      before: calls.slice(0, at).filter((c) => classify(c) !== 'lookup'),
    };
  }

  test.each([true, false])(
    'log exists: %s — each write is one get and one batchUpdate, no SpreadsheetApp read after the lock',
    (logExists) => {
      for (const [what, run] of writes) {
        fresh();
        if (logExists) ok(evidenceSetScore(target(TT, '7.5'), '2'));
        expect(!!sheetOf(LOG)).toBe(logExists);
        env.calls.reset();
        ok(run());
        const calls = underLock();
        expect([what, calls.api]).toEqual([what, ['Sheets.Spreadsheets.get', 'Sheets.Spreadsheets.batchUpdate']]);
        expect([what, calls.spreadsheet]).toEqual([what, []]);
        // Before the lock: the sheet list only (the get must name existing sheets).
        expect([what, calls.before]).toEqual([what, ['Spreadsheet.getSheets']]);
        expect(sheetValues(env, LOG).length).toBe(logExists ? 3 : 2);
      }
    },
  );

  test('the log created by the first write is the one ownSheet creates: header, formats, protection once permissions are set', () => {
    // A second implementation: the log as the edit trigger's path (appendAudit → ownSheet) creates it.
    const shape = () => {
      const log = sheetOf(LOG);
      const p = log.getProtections(env.gas.SpreadsheetApp.ProtectionType.SHEET);
      return {
        header: sheetValues(env, LOG)[0],
        bold: cellState(env, LOG, 'A1').fontWeight,
        frozen: log.getFrozenRows(),
        text: ['A2', 'B2', 'E2', 'F2', 'A900'].map((a) => cellState(env, LOG, a).numberFormat),
        protections: p.map((x) => ({
          description: x.getDescription(),
          editors: x
            .getEditors()
            .map((u) => u.getEmail())
            .sort(),
          domain: x.canDomainEdit(),
        })),
      };
    };
    env.gas.PropertiesService.getDocumentProperties().setProperty(PROP_EDIT_TRIGGER, '1');
    appendAudit(env.gas.SpreadsheetApp.getActive(), [['x', 'y', 'z', 'A1', '', '']]);
    const expected = shape();
    fresh();
    env.gas.PropertiesService.getDocumentProperties().setProperty(PROP_EDIT_TRIGGER, '1');
    ok(evidenceSetScore(target(TT, '3.4'), '2,5'));
    expect(shape()).toEqual(expected);
    expect(expected.protections).toHaveLength(1);
    expect(expected.text).toEqual(['@', expect.anything(), '@', '@', '@']);
    expect(expected.text[1]).not.toBe('@');
    // A unit cannot edit the log.
    env.setActiveUser('canbo.ttpvhcc@gialai.gov.vn');
    expect(() => sheetOf(LOG).getRange('A5').setValue('x')).toThrow(/protected/);
  });

  test('the log rows keep text as typed ("3,5", "=…", a date) in plain-text columns, after the last row', () => {
    ok(evidenceSetExplanation(target(VP, '1.1.2'), '3,5'));
    ok(evidenceSetExplanation(target(VP, '1.1.2'), '=1+1'));
    ok(evidenceSetExplanation(target(VP, '1.1.2'), '15/6'));
    const rows = sheetValues(env, LOG).slice(1);
    expect(rows.map((r) => r.slice(3))).toEqual([
      ['E9', '', '3,5'],
      ['E9', '3,5', '=1+1'],
      ['E9', '=1+1', '15/6'],
    ]);
    expect(cellState(env, LOG, 'F3')).toMatchObject({ value: '=1+1', formula: '', numberFormat: '@' });
    expect(cellState(env, LOG, 'E4').numberFormat).toBe('@');
  });

  test('a formula cell is not overwritten: the same message, nothing written, nothing logged', () => {
    sheetOf(VP).getRange('D8').setFormula('=1+0');
    expect(err(evidenceSetScore(target(VP, '1.1.1'), '1'))).toBe(
      'Ô D8 đang chứa công thức nên tiện ích không ghi đè. Hãy sửa trực tiếp trên trang tính.',
    );
    sheetOf(VP).getRange('F8').setFormula('=HYPERLINK("https://example.com","x")');
    expect(err(evidenceAddLink(target(VP, '1.1.1'), DOC))).toContain('Ô F8 đang chứa công thức');
    expect(sheetOf(LOG)).toBeNull();
    expect(env.calls.count('Sheets.Spreadsheets.batchUpdate')).toBe(0);
  });

  test('a protected cell: the Vietnamese message, no cell written, no log row and nothing queued', () => {
    ok(evidenceSetScore(target(TT, '7.5'), '2')); // the log exists
    const log = sheetOf(LOG).protect();
    log.removeEditors(log.getEditors().map((u) => u.getEmail()));
    const cell = sheetOf(TT).getRange('D29').protect();
    cell.removeEditors(cell.getEditors().map((u) => u.getEmail()));
    env.setActiveUser('canbo.ttpvhcc@gialai.gov.vn');
    const props = () => env.gas.PropertiesService.getDocumentProperties().getKeys().sort();
    const before = props();
    expect(err(evidenceSetScore(target(TT, '3.4'), '1'))).toBe(
      'Ô này đang được bảo vệ (có thể tự chấm đã bị khóa). Bạn không sửa được; hãy liên hệ cơ quan thường trực.',
    );
    expect(cellValue(env, TT, 'D29')).toBe(3);
    expect(sheetValues(env, LOG)).toHaveLength(2);
    expect(props()).toEqual(before);
  });

  /** Runs `meanwhile` as another execution would, while the write waits for the document lock (after its listing). */
  function whileWaiting(meanwhile: () => void): () => void {
    const real = LockService;
    let done = false;
    const wrapped = {
      getDocumentLock: () => {
        const lock = real.getDocumentLock();
        return {
          waitLock: (ms: number) => {
            if (!done) meanwhile();
            done = true;
            lock.waitLock(ms);
          },
          releaseLock: () => lock.releaseLock(),
        };
      },
    };
    (globalThis as { LockService: unknown }).LockService = wrapped;
    return () => {
      (globalThis as { LockService: unknown }).LockService = real;
    };
  }

  test('the log created by another run while the write waited: listed again, the cell written once and logged once', () => {
    const undo = whileWaiting(() => appendAudit(env.gas.SpreadsheetApp.getActive(), [['x', 'khác', TT, 'A1', '', '']]));
    try {
      env.calls.reset();
      const r = ok(evidenceSetScore(target(TT, '3.4'), '2,5'));
      expect(r.message).toBe('Đã lưu điểm tự chấm: 2,5 điểm.');
    } finally {
      undo();
    }
    expect(cellValue(env, TT, 'D29')).toBe(2.5);
    expect(
      sheetValues(env, LOG)
        .slice(1)
        .map((r) => r.slice(1, 6)),
    ).toEqual([
      ['khác', TT, 'A1', '', ''],
      [env.gas.Session.getActiveUser().getEmail(), TT, 'D29', 3, 2.5],
    ]);
    // The other run's listing and write (it created the log) come first; then the write's refused batch, which wrote
    // nothing, and the second one, which wrote the cell and the row.
    expect(env.calls.list().filter((c) => c.startsWith('Sheets.'))).toEqual([
      'Sheets.Spreadsheets.get',
      'Sheets.Spreadsheets.batchUpdate',
      'Sheets.Spreadsheets.get',
      'Sheets.Spreadsheets.batchUpdate',
      'Sheets.Spreadsheets.get',
      'Sheets.Spreadsheets.batchUpdate',
    ]);
  });

  test('the unit sheet renamed while the write waited: the sidebar says so and nothing is written', () => {
    // The stand-in has no Sheet.setName: the other execution's rename is made in its state.
    const undo = whileWaiting(() => Object.assign(env.ss._sheets.find((x) => x._name === TT)!, { _name: 'TT mới' }));
    try {
      expect(err(evidenceSetScore(target(TT, '3.4'), '1'))).toContain(`Không tìm thấy trang tính "${TT}"`);
    } finally {
      undo();
    }
    expect(env.ss._sheets.find((x) => x._name === 'TT mới')!._peek(29, 4).value).toBe(3);
    expect(sheetOf(LOG)).toBeNull();
  });

  test('after "Phân quyền": a unit\'s row is queued, the office\'s logged; after "Khóa tự chấm" the unit is refused', () => {
    const office = 'vhxh.phuocchanh@gialai.gov.vn';
    const unit = 'ttpvhcc.phuocchanh@gialai.gov.vn';
    const queued = () =>
      env.gas.PropertiesService.getDocumentProperties()
        .getKeys()
        .filter((k) => k.startsWith('chamdiem.auditQueue.'));
    env.setActiveUser(office);
    menuApplyPermissions();
    const logged = sheetValues(env, LOG).length;
    env.setActiveUser(unit);
    expect(ok(evidenceSetScore(target(TT, '3.4'), '2')).message).toBe('Đã lưu điểm tự chấm: 2 điểm.');
    expect(cellValue(env, TT, 'D29')).toBe(2);
    expect(sheetValues(env, LOG)).toHaveLength(logged);
    expect(queued()).toHaveLength(1);
    env.setActiveUser(office);
    ok(evidenceSetScore(target(TT, '3.4'), '2,5'));
    expect(sheetValues(env, LOG).at(-1)!.slice(1)).toEqual([office, TT, 'D29', 2, 2.5]);
    menuLockSelf();
    const rows = sheetValues(env, LOG).length;
    env.setActiveUser(unit);
    expect(err(evidenceSetScore(target(TT, '3.4'), '1'))).toContain('đang được bảo vệ');
    expect(cellValue(env, TT, 'D29')).toBe(2.5);
    expect(sheetValues(env, LOG)).toHaveLength(rows);
    expect(queued()).toHaveLength(1);
  });

  test('the reply is the view after the write, as a fresh read shows it', () => {
    const r = criterion(ok(evidenceAddLink(target(TT, '3.4'), DEMO_LINKS.web)).view);
    select(TT, 'B29');
    const fresh = criterion((ok(evidencePoll('')) as Extract<PollResult, { changed: true }>).view);
    expect(r).toEqual(fresh);
  });
});

describe('cost of a sidebar write (issue 12 cost model, mid)', () => {
  it.each([
    [10, 120, 5],
    [100, 300, 1.5],
  ])('%i units × %i rows: at most %d s, the first write (the log created) and the next', (units, rows, limit) => {
    const settings = defaultSettings(2026);
    const sheets: Record<string, unknown[][]> = {};
    for (let i = 1; i <= units; i++) {
      const name = `Đơn vị ${i}`;
      settings.units.push({ name, sheet: name, focal: '', email: `dv${i}@gialai.gov.vn`, phone: '', sensitive: false });
      sheets[name] = generatedGrid(rows);
    }
    restore();
    env = createFakeEnv({ sheets: { 'Cấu hình': settingsGrid(settings), ...sheets } });
    restore = installGlobals(env);
    const row = generatedGrid(rows).findIndex((r) => r[0] === '1.1.1') + 1;
    for (const value of ['0,5', '1']) {
      env.calls.reset();
      ok(evidenceSetScore({ sheet: 'Đơn vị 1', row, outline: '1.1.1' }, value));
      const p = price(env.calls.records());
      expect(p.apiCalls).toBe(2);
      expect(p.seconds.mid).toBeLessThanOrEqual(limit);
    }
    expect(sheetValues(env, 'Nhật ký chỉnh sửa')).toHaveLength(3);
  });
});

describe('sidebar writes are audited by the server function', () => {
  const LOG = 'Nhật ký chỉnh sửa';
  const logRows = () => (sheetOf(LOG) ? sheetValues(env, LOG).slice(1) : []);
  const me = () => env.gas.Session.getActiveUser().getEmail();

  test('score, explanation and evidence: who, where, the value before and after, one row each', () => {
    // 3.4 of TT PVHCC: self score 3 in column D, no evidence (F), no explanation (E).
    ok(evidenceSetScore(target(TT, '3.4'), '2,5'));
    ok(evidenceSetExplanation(target(TT, '3.4'), 'Thiếu 1 báo cáo quý'));
    ok(evidenceAddLink(target(TT, '3.4'), DOC));
    ok(evidenceRemoveLink(target(TT, '3.4'), DOC));
    expect(logRows().map((r) => r.slice(1))).toEqual([
      [me(), TT, 'D29', 3, 2.5],
      [me(), TT, 'E29', '', 'Thiếu 1 báo cáo quý'],
      [me(), TT, 'F29', '', DOC],
      [me(), TT, 'F29', DOC, ''],
    ]);
    expect(logRows()[0][0]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  });

  test('a refused write (protected cell) is reported to the person and not logged', () => {
    const p = sheetOf(TT).getRange('D29').protect();
    p.removeEditors(p.getEditors().map((u) => u.getEmail()));
    env.setActiveUser('canbo.ttpvhcc@gialai.gov.vn');
    expect(err(evidenceSetScore(target(TT, '3.4'), '1'))).toContain('đang được bảo vệ');
    expect(cellValue(env, TT, 'D29')).toBe(3);
    expect(logRows()).toEqual([]);
  });

  test("a unit that may not write the protected log: the row waits, and the office's next run moves it in once", () => {
    const office = me(); // the owner, or GAS_TEST_ACCOUNT's account
    ok(evidenceSetScore(target(TT, '3.4'), '3')); // creates the log
    const p = sheetOf(LOG).protect();
    p.removeEditors(p.getEditors().map((u) => u.getEmail()));
    const unit = 'canbo.ttpvhcc@gialai.gov.vn';
    env.setActiveUser(unit);
    const r = ok(evidenceSetScore(target(TT, '3.4'), '1'));
    expect(r.message).toBe('Đã lưu điểm tự chấm: 1 điểm.');
    expect(cellValue(env, TT, 'D29')).toBe(1);
    expect(logRows()).toHaveLength(1);
    env.setActiveUser('owner@example.com'); // the owner's daily run moves the row in
    expect(claimDailyRun(undefined)).toBe(true);
    expect(claimDailyRun(undefined)).toBe(true);
    expect(logRows().map((r) => r.slice(1))).toEqual([
      [office, TT, 'D29', 3, 3],
      [unit, TT, 'D29', 3, 1],
    ]);
  });
});

describe('next criterion without evidence', () => {
  test('goes to the next leaf with a score above 0 and no link, wrapping around, and selects it', () => {
    // TT PVHCC: 3.4 (self 3) and 7.5 (self 3) have no evidence; 6.1, 6.2, 7.6 have no score.
    let r: NextResult = ok(evidenceNextMissing({ sheet: TT, row: ROW['1.1.1'] }));
    expect(r).toMatchObject({
      found: true,
      message: 'Tiêu chí 3.4 (hàng 29) chưa có minh chứng. Còn 2 tiêu chí có điểm nhưng chưa có minh chứng.',
    });
    expect(criterion(r.view).outline).toBe('3.4');
    expect(env.ss.getActiveSheet().getName()).toBe(TT);
    expect(env.ss.getActiveRange().getA1Notation()).toBe('F29');
    r = ok(evidenceNextMissing({ sheet: TT, row: 29 }));
    expect(criterion(r.view).outline).toBe('7.5');
    expect(env.ss.getActiveRange().getA1Notation()).toBe('F45');
    r = ok(evidenceNextMissing({ sheet: TT, row: 45 }));
    expect(criterion(r.view).outline).toBe('3.4');
    // The selection key matches the next poll: nothing to reload.
    expect(ok(evidencePoll(criterion(r.view).key)).changed).toBe(false);
  });

  test('a cell with text but no link is missing; a rich link without a URL in the text is not', () => {
    const sheet = env.gas.SpreadsheetApp.getActive().getSheetByName(TT)!;
    sheet.getRange('F29').setValue('Đang bổ sung');
    sheet.getRange('F45').setRichTextValue(env.gas.SpreadsheetApp.newRichTextValue().setText('Quyết định 12').setLinkUrl(DOC).build());
    env.calls.reset();
    const r = ok(evidenceNextMissing({ sheet: TT, row: 0 }));
    expect(r.message).toBe('Tiêu chí 3.4 (hàng 29) chưa có minh chứng. Đây là tiêu chí duy nhất còn thiếu.');
    expect(env.calls.count('Range.getRichTextValues')).toBe(1);
    expect(env.calls.count('Range.getRichTextValue')).toBe(0);
  });

  test('nothing missing, nothing scored, not a unit sheet', () => {
    expect(ok(evidenceNextMissing({ sheet: VP, row: 1 }))).toEqual({
      found: false,
      message: 'Mọi tiêu chí có điểm tự chấm đều đã có minh chứng.',
    });
    expect(ok(evidenceNextMissing({ sheet: 'Trạm Y tế', row: 1 })).found).toBe(true);
    expect(err(evidenceNextMissing({ sheet: 'Cấu hình', row: 1 }))).toContain('trang của công cụ');
    expect(err(evidenceNextMissing('Cấu hình'))).toContain('không hợp lệ');
    const empty = unitGrid(
      { ...(require('../../scripts/example-data') as typeof import('../../scripts/example-data')).UNITS[4], rows: {} },
      exampleSettings(),
    );
    env.ss.insertSheet('Đơn vị mới');
    env.ss.seedValues('Đơn vị mới', empty);
    expect(ok(evidenceNextMissing({ sheet: 'Đơn vị mới', row: 1 }))).toEqual({
      found: false,
      message: 'Chưa có tiêu chí nào có điểm tự chấm lớn hơn 0.',
    });
  });
});

test('write results are plain JSON (what google.script.run can carry)', () => {
  const r = evidenceAddLink(target(VP, '1.1.1'), DOC);
  expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  const w = ok(r) as WriteResult;
  expect(w.view.kind).toBe('criterion');
});
