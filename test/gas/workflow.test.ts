import { exampleEnv, exampleSheets, loadAddon } from './harness';
import { canUserEdit, createFakeEnv, makeEditEvent, sheetValues, type FakeEnv } from '../../dev/gas-emulator/index';
import { CRITERIA_SET } from '../../scripts/example-data';
import { STANDARD_HEADERS } from '../../src/core/sheet/template';

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
    const e = createFakeEnv({ sheets });
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
    expect(grid[4]).toEqual(STANDARD_HEADERS);
    expect(grid.some((r) => r[0] === '7.3')).toBe(false); // limited to Công an xã
    expect(grid.filter((r) => typeof r[0] === 'number')).toEqual([]); // outlines stay text ("1.1", not 1.1)
    expect(grid.at(-1)![1]).toBe('TỔNG ĐIỂM');
    expect(e.ss.sheet('TH Phước Chánh').getFrozenRows()).toBe(5);
    addon.menuCreateUnitSheets();
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

describe('history and audit', () => {
  it('snapshots at each milestone once, append-only, locks after the last, and the summary shows the change', () => {
    const { env: e, addon } = env();
    e.clock.set(new Date('2026-06-16T00:30:00Z'));
    addon.dailyTick();
    const first = sheetValues(e, 'Lưu trữ');
    expect(first[0]).toEqual(['Thời gian', 'Mốc', 'Đơn vị', 'STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', 'Điểm thẩm định']);
    expect(new Set(first.slice(1).map((r) => r[1]))).toEqual(new Set(['2026-06-15']));
    expect(first.filter((r) => r[4] === 'Tổng điểm')).toHaveLength(5);
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
