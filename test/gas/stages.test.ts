/**
 * A scoring year played through its stages on the example workbook, with the office (owner), the
 * council and the units at the keyboard: who may edit which cells at each stage, cell by cell.
 */
import { canUserEdit, type FakeEnv, makeEditEvent, sheetValues } from '../../dev/gas-emulator/index';
import { UNITS } from '../../scripts/example-data';
import { checkOfficialEmail } from '../../src/core/settings/email';
import { parseSettings } from '../../src/core/settings/settings';
import { type Addon, exampleEnv, setSetting } from './harness';

const OFFICE = 'vhxh.phuocchanh@gialai.gov.vn';
const CA = 'congan.phuocchanh@gialai.gov.vn';
const VP = 'vanphong.phuocchanh@gialai.gov.vn';
const COUNCIL = 'hoidong.phuocchanh@gialai.gov.vn';
const CA_SHEET = 'Công an xã';
const VP_SHEET = 'VP HĐND-UBND';

// The example sheets: A STT … I request, then the stage columns added on request:
// J Kiểm tra minh chứng, K Giải trình sau thẩm định, L Minh chứng bổ sung, M Điểm sau giải trình, N Lý do điều chỉnh lần 2.
const COLUMNS = ['D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N'];
const row = (r: number) => COLUMNS.map((c) => `${c}${r}`);

/** The cells of a row a person may edit, as the letters of their columns. */
function editable(e: FakeEnv, email: string, sheet: string, r: number): string {
  return row(r)
    .filter((cell) => canUserEdit(e.ss, sheet, cell, email))
    .map((cell) => cell[0])
    .join('');
}

function start(): { e: FakeEnv; addon: Addon } {
  const { env: e, addon } = exampleEnv({ editors: [CA, VP, COUNCIL] });
  return { e, addon };
}

/** Types a value as `email` (the edit is refused like Sheets refuses it when the cell is protected for them). */
function typeAs(e: FakeEnv, email: string, sheet: string, cell: string, value: string): void {
  e.setActiveUser(email);
  try {
    makeEditEvent(e, sheet, cell, undefined, value);
  } finally {
    e.setActiveUser(OFFICE);
  }
}

const logRows = (e: FakeEnv) => sheetValues(e, 'Nhật ký chỉnh sửa').slice(1);

describe('the stages of the scoring year', () => {
  it('gives each person exactly their cells at every stage, logs each move and publishes once', () => {
    const { e, addon } = start();
    const before = sheetValues(e, VP_SHEET);
    addon.menuAddStageColumns();
    const grid = sheetValues(e, VP_SHEET);
    expect(grid[4].slice(9, 14)).toEqual([
      'Kiểm tra minh chứng',
      'Giải trình sau thẩm định',
      'Minh chứng bổ sung',
      'Điểm sau giải trình',
      'Lý do điều chỉnh lần 2',
    ]);
    // Nothing typed was touched: every other cell is as it was.
    expect(grid.map((r) => r.slice(0, 9))).toEqual(before);
    expect(grid.filter((_, i) => i !== 4).every((r) => r.slice(9).every((v) => v === ''))).toBe(true);
    addon.menuAddStageColumns();
    expect(e.ui.alerts.at(-1)!.message).toContain(`• Văn phòng HĐND và UBND xã: đã có đủ cột.`);

    addon.menuApplyPermissions();
    setSetting(e, 'Hạn giải trình', '15/12/2026');

    // Tự chấm → Kiểm tra minh chứng, for every unit; one write to the log for the moves (appendCells in one batch).
    const logged = sheetValues(e, 'Nhật ký chỉnh sửa').length;
    e.calls.reset();
    addon.menuStageNextAll();
    expect(e.calls.count('Range.setValues') + e.calls.count('Sheet.appendRow')).toBe(0);
    // The unit sheets read together, not one getValues each: one values.batchGet before the confirmation, one under
    // the lock for the rights (applyPermissions); getValues only for the settings.
    expect(e.calls.count('Sheets.Spreadsheets.Values.batchGet')).toBe(2);
    expect(e.calls.count('Range.getValues')).toBe(1);
    const moved = sheetValues(e, 'Nhật ký chỉnh sửa').slice(logged);
    expect(moved.length).toBeGreaterThan(1);
    expect(moved.every((r) => String(r[5]).startsWith('Giai đoạn: Kiểm tra minh chứng'))).toBe(true);
    const confirm = e.ui.alerts.at(-2)!;
    // The summary shows the recorded stage of every unit (not the one its data suggests).
    addon.menuBuildSummary();
    const summary = sheetValues(e, 'Tổng hợp');
    const head = summary.findIndex((r) => r.includes('Giai đoạn'));
    const stageCol = summary[head].indexOf('Giai đoạn');
    const stageOf = (unit: string) => summary.find((r, i) => i > head && r[1] === unit)?.[stageCol];
    for (const u of UNITS) expect([u.name, stageOf(u.name)]).toEqual([u.name, 'Kiểm tra minh chứng']);
    expect(confirm.message).toContain(`Chuyển ${UNITS.length} biểu chấm từ "Tự chấm" sang giai đoạn "Kiểm tra minh chứng".`);
    // TT PVHCC: 6.1, 6.2 and 7.6 unscored; 3.4 and 7.5 scored without evidence.
    expect(confirm.message).toContain('• Trung tâm Phục vụ hành chính công xã: 3 tiêu chí chưa tự chấm; 2 tiêu chí chưa có minh chứng.');
    const moves = logRows(e).filter((r) => String(r[4]).startsWith('Giai đoạn'));
    expect(moves.map((r) => [r[1], r[2], r[4], r[5]])).toEqual(
      UNITS.map((u) => u.sheet).map((s) => [OFFICE, s, 'Giai đoạn: Tự chấm', 'Giai đoạn: Kiểm tra minh chứng']),
    );
    expect(editable(e, CA, CA_SHEET, 8)).toBe('');
    expect(editable(e, COUNCIL, CA_SHEET, 8)).toBe('');
    expect(editable(e, OFFICE, CA_SHEET, 8)).toBe(COLUMNS.join(''));
    // The office asks for more evidence on 1.1.1, then applies the stage's rights again.
    typeAs(e, OFFICE, CA_SHEET, 'J8', 'Cần bổ sung: thiếu kế hoạch ký số');
    typeAs(e, OFFICE, CA_SHEET, 'J9', 'Đạt');
    addon.menuStageApplyRights();
    expect([8, 9].map((r) => editable(e, CA, CA_SHEET, r))).toEqual(['F', '']);
    typeAs(e, CA, CA_SHEET, 'F8', 'https://drive.google.com/file/d/1KeHoachKySo/view');
    expect(() => typeAs(e, CA, CA_SHEET, 'D8', '0')).toThrow();

    expect(e.ui.alerts.at(-1)!.message).toContain('• Công an xã: đã cập nhật quyền sửa theo giai đoạn "Kiểm tra minh chứng".');

    // → Thẩm định: the council scores, the unit waits.
    // Rows claiming points (above 0 in D, "3,5" as typed too; groups and the total have none) that the office has not
    // checked (J empty): the criteria and the bonus row.
    const points = (v: unknown) => Number(String(v).replace(',', '.'));
    const unchecked = sheetValues(e, CA_SHEET).filter((r, i) => i > 4 && r[3] !== '' && points(r[3]) > 0 && !r[9]);
    addon.menuStageNextAll();
    expect(e.ui.alerts.at(-2)!.message).toContain(
      `• Công an xã: ${unchecked.length} tiêu chí chưa kiểm tra minh chứng; 1 tiêu chí được ghi "Cần bổ sung" minh chứng.`,
    );
    expect(e.ui.alerts.at(-1)!.message).toContain('• Công an xã: đã chuyển sang giai đoạn "Thẩm định".');
    for (const r of [8, 9, 23]) {
      expect(editable(e, COUNCIL, CA_SHEET, r)).toBe('GHI');
      expect(editable(e, CA, CA_SHEET, r)).toBe('');
    }
    expect(editable(e, COUNCIL, CA_SHEET, 6)).toBe(''); // a group row
    typeAs(e, COUNCIL, CA_SHEET, 'G8', '0,5');
    typeAs(e, COUNCIL, CA_SHEET, 'H8', 'Kế hoạch chưa ký số');
    typeAs(e, COUNCIL, CA_SHEET, 'G9', '2');
    typeAs(e, COUNCIL, CA_SHEET, 'G23', '3');
    typeAs(e, COUNCIL, CA_SHEET, 'H23', 'Thiếu báo cáo quý IV');

    // → Giải trình: the unit explains where the appraisal is below its self score, until the deadline.
    addon.menuStageNextAll();
    // 1.1.1 (1 → 0,5) and 2.2 (3,5 → 3) on Công an xã; 3.2 and 7.2 on the office's own example sheet.
    expect([8, 9, 23].map((r) => editable(e, CA, CA_SHEET, r))).toEqual(['KL', '', 'KL']);
    expect([27, 42, 26].map((r) => editable(e, VP, VP_SHEET, r))).toEqual(['KL', 'KL', '']);
    expect(editable(e, COUNCIL, CA_SHEET, 8)).toBe('');

    // Reminders 7 days before the deadline to units that may explain and have not.
    e.clock.set(new Date('2026-12-08T00:30:00Z'));
    addon.dailyTick();
    const first = e.mail.filter((m) => /15\/12\/2026/.test(m.subject));
    expect(first.map((m) => m.to).sort()).toEqual([[CA], [VP]]);
    const toCA = first.find((m) => m.to[0] === CA)!;
    expect(toCA.subject).toBe('[Nhắc hạn giải trình CCHC] Công an xã: còn 7 ngày đến hạn 15/12/2026');
    expect(toCA.body).toContain('- 2 tiêu chí có điểm thẩm định thấp hơn điểm tự chấm, đơn vị chưa giải trình.');
    expect(toCA.body).toContain('- 1.1.1. Ban hành kế hoạch CCHC năm');
    expect(toCA.body).toContain(': chưa giải trình sau thẩm định');
    expect(`${toCA.body}${toCA.htmlBody}`).not.toMatch(/thiếu giải trình|dưới điểm tối đa nhưng/);
    // The same day again: nothing twice.
    addon.dailyTick();
    expect(e.mail.filter((m) => /15\/12\/2026/.test(m.subject))).toHaveLength(2);
    typeAs(e, CA, CA_SHEET, 'K8', 'Kế hoạch đã ký số ngày 10/12, xin chấm lại');
    typeAs(e, CA, CA_SHEET, 'L8', 'https://drive.google.com/file/d/1KeHoachKySoLai/view');
    e.clock.set(new Date('2026-12-12T00:30:00Z'));
    addon.dailyTick();
    const second = e.mail.filter((m) => /15\/12\/2026/.test(m.subject)).slice(first.length);
    expect(second.map((m) => m.to)).toEqual([[VP]]);
    // After the deadline the appeal cells close, once.
    e.clock.set(new Date('2026-12-16T00:30:00Z'));
    addon.dailyTick();
    expect(editable(e, CA, CA_SHEET, 23)).toBe('');
    expect(editable(e, VP, VP_SHEET, 27)).toBe('');
    expect(logRows(e).filter((r) => r[5] === 'Hết hạn giải trình: khóa ô giải trình')).toHaveLength(1);
    addon.dailyTick();
    expect(logRows(e).filter((r) => r[5] === 'Hết hạn giải trình: khóa ô giải trình')).toHaveLength(1);

    // → Thẩm định lại: the council re-scores the appealed criteria only.
    addon.menuStageNextAll();
    expect(e.ui.alerts.at(-2)!.message).toContain('• Công an xã: 1 tiêu chí đơn vị đã giải trình.');
    expect([8, 9, 23].map((r) => editable(e, COUNCIL, CA_SHEET, r))).toEqual(['MN', '', '']);
    expect(editable(e, COUNCIL, VP_SHEET, 27)).toBe('');
    expect(editable(e, CA, CA_SHEET, 8)).toBe('');
    typeAs(e, COUNCIL, CA_SHEET, 'M8', '1');
    typeAs(e, COUNCIL, CA_SHEET, 'N8', 'Đã bổ sung kế hoạch ký số');

    // Back one stage for Công an xã only, logged; then forward again.
    e.ss.setActiveCell(CA_SHEET, 'A1');
    addon.menuStageBackSheet();
    expect(e.ui.alerts.at(-2)!.message.split('\n')[0]).toBe('Quay lại giai đoạn "Giải trình" cho 1 biểu chấm (đang ở "Thẩm định lại").');
    expect(logRows(e).at(-1)!.slice(1)).toEqual([OFFICE, CA_SHEET, '', 'Giai đoạn: Thẩm định lại', 'Giai đoạn: Giải trình (quay lại)']);
    expect(e.ui.alerts.at(-1)!.message).toContain('• Công an xã: đã quay lại giai đoạn "Giải trình".');
    expect(editable(e, CA, CA_SHEET, 8)).toBe(''); // the deadline is over
    expect(editable(e, COUNCIL, VP_SHEET, 42)).toBe(''); // the others stay where they were
    addon.menuStageNextSheet();
    expect(editable(e, COUNCIL, CA_SHEET, 8)).toBe('MN');

    // → Công bố: nobody but the office; one snapshot; publishing again sends and saves nothing twice.
    const mails = e.mail.length;
    addon.menuStageNextAll();
    for (const [who, sheet, r] of [
      [CA, CA_SHEET, 8],
      [COUNCIL, CA_SHEET, 8],
      [VP, VP_SHEET, 27],
      [COUNCIL, VP_SHEET, 27],
    ] as const)
      expect(editable(e, who, sheet, r)).toBe('');
    expect(editable(e, OFFICE, CA_SHEET, 8)).toBe(COLUMNS.join(''));
    const history = sheetValues(e, 'Lưu trữ');
    expect(new Set(history.slice(1).map((r) => r[1]))).toEqual(new Set(['Công bố 2026-12-16']));
    expect(history.filter((r) => r[4] === 'Tổng điểm')).toHaveLength(UNITS.length);
    const sentAfterPublish = e.mail.length;
    addon.menuStageNextAll();
    expect(e.ui.alerts.at(-1)!.message).toContain('Không có biểu chấm nào để chuyển.');
    e.ss.setActiveCell(CA_SHEET, 'A1');
    addon.menuStageBackSheet();
    addon.menuStageNextSheet();
    expect(e.ui.alerts.at(-1)!.message).toContain('Điểm hôm nay đã được lưu vào trang "Lưu trữ" từ trước.');
    expect(sheetValues(e, 'Lưu trữ')).toEqual(history);
    expect(e.mail.length).toBe(sentAfterPublish);
    // The first publish sent one result e-mail to each unit sheet's unit whose address is official, and no other.
    const settings = parseSettings(sheetValues(e, 'Cấu hình'), 2026).settings;
    const published = new Set(history.slice(1).map((r) => String(r[2])));
    const reachable = settings.units.filter((u) => published.has(u.name) && checkOfficialEmail(u.email.trim(), settings.domains) === null);
    expect(reachable.length).toBeGreaterThan(0);
    const results = e.mail.slice(mails, sentAfterPublish);
    expect(results).toHaveLength(reachable.length);
    expect(results.map((m) => m.to.join(',')).sort()).toEqual(reachable.map((u) => u.email.trim()).sort());
    for (const m of results) expect(m.subject).toMatch(/kết quả/i);
  });

  it('skips the stages Cấu hình names, and refuses a unit at the keyboard', () => {
    const { e, addon } = start();
    addon.menuAddStageColumns();
    setSetting(e, 'Giai đoạn bỏ qua', 'Kiểm tra minh chứng, Giải trình');
    addon.menuApplyPermissions();
    addon.menuStageNextAll();
    expect(e.ui.alerts.at(-2)!.message).toContain('sang giai đoạn "Thẩm định"');
    expect(editable(e, COUNCIL, CA_SHEET, 8)).toBe('GHI');
    addon.menuStageNextAll();
    expect(e.ui.alerts.at(-2)!.message).toContain('sang giai đoạn "Công bố"');

    e.setActiveUser(CA);
    addon.menuStageBackAll();
    expect(e.ui.alerts.at(-1)!.message).toBe('Chỉ cơ quan thường trực chuyển giai đoạn chấm điểm.');
  });

  it('adds the stage columns beside a typed column by inserting them, never over typed cells', () => {
    const { e, addon } = start();
    e.ss.seedValues(CA_SHEET, [['Ghi chú riêng'], ['giữ nguyên']], 'K5');
    addon.menuAddStageColumns();
    const message = e.ui.alerts.at(-1)!.message;
    expect(sheetValues(e, CA_SHEET)[4][10]).toBe('Ghi chú riêng');
    expect(sheetValues(e, CA_SHEET)[5][10]).toBe('giữ nguyên');
    // Sheets inserts the columns after I (the note moves right); the emulator inserts only at a sheet's end, so here
    // the sheet is reported and left as it was, and the other sheets still get their columns.
    expect(message).toMatch(/• Công an xã: chưa thêm được cột/);
    expect(message).toContain('• Trạm Y tế xã: đã thêm cột "Kiểm tra minh chứng", "Giải trình sau thẩm định", "Minh chứng bổ sung", ');
  });
});
