import fc from 'fast-check';
import { EXAMPLE_PATH } from '../../../scripts/make-example';
import { remedyPlanRows } from '../../../src/core/workflow/remedy-plan';
import { scoreGrid } from '../../../src/core/engine/score';
import { readWorkbook, workbookInputs } from '../../../src/cli/xlsx/read';
import type { ScoredSheet } from '../../../src/core/engine/score';
import { defaultSettings, parseSettings, type Settings, type Unit } from '../../../src/core/settings/settings';
import { unitSheetGrid } from '../../../src/core/sheet/template';
import { parseA1Cell } from '../../../src/core/engine/text';
import { AUDIT_HEADERS, auditRow, isWatchedColumn } from '../../../src/core/workflow/audit';
import {
  criteriaForUnit,
  criteriaFromSet,
  unitSheetSpecs,
  type SetCriterion,
  splitUnitList,
} from '../../../src/core/workflow/criteria-set';
import { changesSinceSnapshot, SNAPSHOT_HEADERS, snapshotRows } from '../../../src/core/workflow/history';
import { isOwnProtection, protectionSpec, rangesOf, selfLockedSpec } from '../../../src/core/workflow/protections';
import { HEADER, scored, sheet } from '../../helpers';

const unit = (name: string, sheetName = name, email = ''): Unit => ({
  name,
  sheet: sheetName,
  focal: '',
  email,
  phone: '',
  sensitive: false,
});

const SET_HEADER = [
  'STT',
  'Tiêu chí',
  'Điểm tối đa',
  'Điểm tự chấm',
  'Giải trình',
  'Minh chứng',
  'Điểm thẩm định',
  'Lý do điều chỉnh',
  'Yêu cầu bổ sung minh chứng',
  'Đơn vị áp dụng',
];
const setRow = (outline: string, text: string, max: unknown, units = '') => [outline, text, max, '', '', '', '', '', '', units];

/** A "Bộ tiêu chí" sheet: sections 1 and 3 for everyone, section 2 for the one-stop centre and the police. */
function setGrid(): unknown[][] {
  return [
    ['BỘ TIÊU CHÍ CHẤM ĐIỂM CCHC NĂM 2026'],
    [],
    SET_HEADER,
    setRow('1', 'CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH', 30),
    setRow('1.1', 'Kế hoạch CCHC', 10),
    setRow('1.2', 'Tuyên truyền CCHC', 20, 'VP HĐND-UBND; Công an xã'),
    setRow('2', 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH', 40, 'Trung tâm Phục vụ hành chính công xã'),
    setRow('2.1', 'Tiếp nhận, trả kết quả tại Bộ phận Một cửa', 25),
    setRow('', 'đúng hạn, có phiếu hẹn', ''),
    setRow('2.2', 'Dịch vụ công trực tuyến', 15, 'cong an xa, Phòng Kinh tế'),
    setRow('3', 'CHỮ KÝ SỐ', 30, 'Tất cả đơn vị'),
    setRow('', 'Điểm cộng: sáng kiến được công nhận', 4),
    setRow('', 'Điểm trừ', ''),
    setRow('', 'TỔNG ĐIỂM', 100),
  ];
}

const VP = unit('Văn phòng HĐND và UBND xã', 'VP HĐND-UBND', 'vanphong@gialai.gov.vn');
const TT = unit('Trung tâm Phục vụ hành chính công xã', 'TT PVHCC');
const CA = unit('Công an xã');

function settingsWith(units: Unit[]): Settings {
  const s = defaultSettings(2026);
  s.commune = 'Phước Chánh';
  s.units = units;
  return s;
}

const brief = (list: readonly SetCriterion[]) => list.map((c) => [c.outline, c.max]);

describe('criteria set', () => {
  const set = criteriaFromSet(setGrid());

  it('reads the criteria, their "Đơn vị áp dụng" lists and the tree, leaving out bonus, penalty and total rows', () => {
    expect(set.reason).toBeUndefined();
    expect(set.criteria.map((c) => [c.outline, c.max, c.units, c.parent])).toEqual([
      ['1', 30, [], -1],
      ['1.1', 10, [], 0],
      ['1.2', 20, ['VP HĐND-UBND', 'Công an xã'], 0],
      ['2', 40, ['Trung tâm Phục vụ hành chính công xã'], -1],
      ['2.1', 25, [], 3],
      ['2.2', 15, ['cong an xa', 'Phòng Kinh tế'], 3],
      ['3', 30, [], -1],
    ]);
    expect(set.criteria[4].text).toBe('Tiếp nhận, trả kết quả tại Bộ phận Một cửa đúng hạn, có phiếu hẹn');
    expect(set.warnings).toEqual([
      'Bỏ qua 2 hàng điểm cộng, điểm trừ của bộ tiêu chí: biểu của mỗi đơn vị đã có sẵn hàng Điểm cộng và Điểm trừ.',
    ]);
  });

  it('splits unit lists on commas, semicolons and line breaks; "Tất cả" means every unit', () => {
    expect(splitUnitList('VP HĐND-UBND;Công an xã ,\nTrạm Y tế')).toEqual(['VP HĐND-UBND', 'Công an xã', 'Trạm Y tế']);
    expect(splitUnitList('  ')).toEqual([]);
    expect(splitUnitList('Tất cả')).toEqual([]);
  });

  it('filters per unit by unit or sheet name (case and diacritics ignored), inheriting the group list', () => {
    expect(brief(criteriaForUnit(set.criteria, VP))).toEqual([
      ['1', 30],
      ['1.1', 10],
      ['1.2', 20],
      ['3', 30],
    ]);
    // 1.2 is not for the centre: group 1 keeps only 1.1 and its max follows
    expect(brief(criteriaForUnit(set.criteria, TT))).toEqual([
      ['1', 10],
      ['1.1', 10],
      ['2', 25],
      ['2.1', 25],
      ['3', 30],
    ]);
    expect(brief(criteriaForUnit(set.criteria, CA))).toEqual([
      ['1', 30],
      ['1.1', 10],
      ['1.2', 20],
      ['2', 15],
      ['2.2', 15],
      ['3', 30],
    ]);
    expect(brief(criteriaForUnit(set.criteria, unit('Trạm Y tế xã', 'Trạm Y tế')))).toEqual([
      ['1', 10],
      ['1.1', 10],
      ['3', 30],
    ]);
    const ca = criteriaForUnit(set.criteria, CA);
    expect(ca.map((c) => c.parent)).toEqual([-1, 0, 0, -1, 3, -1]);
  });

  it('accepts a set without a self-score column and explains a sheet without a header', () => {
    const bare = criteriaFromSet([
      ['STT', 'Tiêu chí', 'Điểm tối đa', 'Đơn vị áp dụng'],
      ['1', 'A', 60],
      ['2', 'B', 40, 'Công an xã'],
    ]);
    expect(bare.criteria.map((c) => [c.outline, c.text, c.max, c.units])).toEqual([
      ['1', 'A', 60, []],
      ['2', 'B', 40, ['Công an xã']],
    ]);
    const none = criteriaFromSet([['Ghi chú'], ['Xem trang khác']]);
    expect(none.criteria).toEqual([]);
    expect(none.reason).toMatch(/Không tìm thấy hàng tiêu đề/);
    expect(criteriaFromSet([SET_HEADER]).reason).toBe('Bộ tiêu chí chưa có tiêu chí nào dưới hàng tiêu đề.');
  });
});

describe('unit sheets from the criteria set', () => {
  const { criteria } = criteriaFromSet(setGrid());
  const long = 'Đ'.repeat(101);
  const units = [
    VP,
    TT,
    CA,
    unit('Trường Mẫu giáo', 'Trường MG: điểm chính'),
    unit('Trường Tiểu học', long),
    unit('Đội dân phòng', 'Công an xã'),
    unit('Tổ tổng hợp', 'Tổng hợp'),
  ];
  const settings = settingsWith(units);
  const plan = unitSheetSpecs(settings, ['Cấu hình', 'vp hđnd-ubnd'], criteria);

  it("creates the missing sheets with the standard template and the unit's criteria", () => {
    expect(plan.create.map((c) => [c.unit.name, c.sheet])).toEqual([
      ['Trung tâm Phục vụ hành chính công xã', 'TT PVHCC'],
      ['Công an xã', 'Công an xã'],
    ]);
    const tt = plan.create[0];
    expect(tt.grid).toEqual(
      unitSheetGrid(
        TT.name,
        settings,
        [
          { outline: '1', text: 'CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH', max: 10 },
          { outline: '1.1', text: 'Kế hoạch CCHC', max: 10 },
          { outline: '2', text: 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH', max: 25 },
          { outline: '2.1', text: 'Tiếp nhận, trả kết quả tại Bộ phận Một cửa đúng hạn, có phiếu hẹn', max: 25 },
          { outline: '3', text: 'CHỮ KÝ SỐ', max: 30 },
        ],
        true, // with the later stages' columns
      ),
    );
    const r = scored(plan.create[1].grid);
    expect(r.headerRow).toBe(5);
    expect(r.self.max).toBe(75);
    expect(r.findings.filter((f) => f.rule === 'max-sum-mismatch')).toEqual([]);
  });

  it('never overwrites an existing sheet and skips invalid or taken names with a reason', () => {
    expect(plan.skipped.map((s) => [s.unit.name, s.reason])).toEqual([
      ['Văn phòng HĐND và UBND xã', 'Trang "VP HĐND-UBND" đã có: giữ nguyên, không ghi đè.'],
      ['Trường Mẫu giáo', 'Tên trang "Trường MG: điểm chính" chứa ký tự không được dùng trong tên trang ([ ] * ? : / \\).'],
      ['Trường Tiểu học', `Tên trang "${'Đ'.repeat(40)}…" dài hơn 100 ký tự.`],
      ['Đội dân phòng', 'Trang "Công an xã" đã dành cho đơn vị "Công an xã".'],
      ['Tổ tổng hợp', 'Tên trang "Tổng hợp" trùng tên trang của công cụ chấm điểm.'],
    ]);
    expect(plan.warnings).toEqual(['"Phòng Kinh tế" ở cột "Đơn vị áp dụng" không khớp đơn vị hay trang tính nào trong bảng đơn vị.']);
  });

  it('creates nothing the second time', () => {
    const names = ['Cấu hình', 'vp hđnd-ubnd', ...plan.create.map((c) => c.sheet)];
    const again = unitSheetSpecs(settings, names, criteria);
    expect(again.create).toEqual([]);
    expect(again.skipped.filter((s) => s.reason.includes('đã có')).map((s) => s.unit.name)).toEqual([
      VP.name,
      TT.name,
      CA.name,
      'Đội dân phòng',
    ]);
  });

  it('skips every unit when the set is empty, and says when no unit is declared', () => {
    const empty = unitSheetSpecs(settingsWith([TT]), [], []);
    expect(empty.create).toEqual([]);
    expect(empty.skipped.map((s) => s.reason)).toEqual(['Bộ tiêu chí chưa có tiêu chí nào.']);
    expect(unitSheetSpecs(settingsWith([]), [], criteria).warnings[0]).toBe('Bảng đơn vị trong trang "Cấu hình" chưa có đơn vị nào.');
  });
});

describe('protections of the example layout', () => {
  let grid: unknown[][];
  let r: ScoredSheet;
  let settings: Settings;
  let vp: Unit;

  beforeAll(async () => {
    const inputs = workbookInputs(await readWorkbook(EXAMPLE_PATH));
    grid = inputs.find((s) => s.name === 'VP HĐND-UBND')!.grid;
    settings = parseSettings(inputs.find((s) => s.name === 'Cấu hình')!.grid, 2026).settings;
    vp = settings.units.find((u) => u.sheet === 'VP HĐND-UBND')!;
    r = scored(grid);
  });

  const runs = ['8:9', '11:13', '15:18', '21:24', '26:29', '31:32', '34:36', '38:39', '41:48'];
  const cells = (ranges: string[]) =>
    ranges.flatMap((range) => {
      const [from, to = from] = range.split(':');
      const a = parseA1Cell(from);
      const b = parseA1Cell(to);
      const out: string[] = [];
      for (let row = a.row; row <= b.row; row++) for (let col = a.col; col <= b.col; col++) out.push(`${row}:${col}`);
      return out;
    });

  it('lets the unit edit D:F and the council G:I on the criteria rows (leaves, bonus and penalty)', () => {
    const p = protectionSpec(r, vp, settings, 1000);
    expect(p.unitRanges).toEqual(runs.map((x) => x.replace(/(\d+):(\d+)/, 'D$1:F$2')));
    expect(p.councilRanges).toEqual(runs.map((x) => x.replace(/(\d+):(\d+)/, 'G$1:I$2')));
    expect(p.unitEditors).toEqual(['vanphong.phuocchanh@gialai.gov.vn']);
    expect(p.councilEditors).toEqual(['hoidong.phuocchanh@gialai.gov.vn']);
    expect(p.officeEditors).toEqual(['vhxh.phuocchanh@gialai.gov.vn']);
    expect(p.warnings).toEqual([]);
    expect(p.sheetDescription).toBe(
      'Chấm điểm CCHC/CDS – Văn phòng HĐND và UBND xã: đơn vị sửa Điểm tự chấm, Giải trình, Minh chứng; tổ thẩm định sửa Điểm thẩm ' +
        'định, Lý do điều chỉnh, Yêu cầu bổ sung minh chứng; các ô khác do cơ quan thường trực quản lý.',
    );
    expect(
      isOwnProtection(p.sheetDescription) && isOwnProtection(p.rangeDescriptions.unit) && isOwnProtection(p.rangeDescriptions.council),
    ).toBe(true);
    expect(isOwnProtection('Khóa của người dùng')).toBe(false);
  });

  it('never gives the header, the max column, group subtotals or the total row to anyone', () => {
    const p = protectionSpec(r, vp, settings, 1000);
    const unitCells = cells(p.unitRanges);
    const councilCells = cells(p.councilRanges);
    const groups = new Set(r.criteria.filter((c) => c.children.length > 0).map((c) => c.row));
    for (const cell of [...unitCells, ...councilCells]) {
      const [row, col] = cell.split(':').map(Number);
      expect(row).toBeGreaterThan(r.headerRow);
      expect(row).toBeLessThan(r.totalRow!);
      expect(groups.has(row)).toBe(false);
      expect([0, 1, 2]).not.toContain(col);
    }
    expect(unitCells.filter((c) => councilCells.includes(c))).toEqual([]);
    // every leaf row's self score is editable by the unit
    for (const c of r.criteria.filter((x) => x.children.length === 0)) expect(unitCells).toContain(`${c.row}:3`);
  });

  it('keeps ranges inside the sheet and gives the same plan every time', () => {
    expect(protectionSpec(r, vp, settings, 40).unitRanges.slice(-1)).toEqual(['D38:F39']);
    const once = protectionSpec(r, vp, settings, 1000);
    const computedWritten = grid.map((row) => [...row]);
    for (const c of r.computed) computedWritten[c.row - 1][c.col] = c.value;
    expect(protectionSpec(scored(computedWritten), vp, settings, 1000)).toEqual(once);
    expect(protectionSpec(r, vp, settings, 1000)).toEqual(once);
    expect(selfLockedSpec(r, vp, settings, 1000)).toEqual(selfLockedSpec(r, vp, settings, 1000));
  });

  it('opens exactly the unit and council cells in the sheet protection, each inside a block naming its editors', () => {
    const first = Number(runs[0].split(':')[0]);
    const last = Number(runs[runs.length - 1].split(':')[1]);
    for (const p of [protectionSpec(r, vp, settings, 1000), selfLockedSpec(r, vp, settings, 1000)]) {
      // the open cells are the unit's and the council's, no more, no less
      expect(new Set(cells(p.openRanges))).toEqual(new Set([...cells(p.unitRanges), ...cells(p.councilRanges)]));
      // an open cell is open to every editor of the file: each must lie in a range protection of its role
      const unitBlock = new Set(cells(p.unitBlocks));
      const councilBlock = new Set(cells(p.councilBlocks));
      for (const c of cells(p.unitRanges)) expect(unitBlock.has(c)).toBe(true);
      for (const c of cells(p.councilRanges)) expect(councilBlock.has(c)).toBe(true);
      expect([...unitBlock].filter((c) => councilBlock.has(c))).toEqual([]);
      expect(p.councilBlocks).toEqual([`G${first}:I${last}`]);
    }
    expect(protectionSpec(r, vp, settings, 1000).unitBlocks).toEqual([`D${first}:F${last}`]);
    expect(protectionSpec(r, vp, settings, 1000).openRanges).toEqual(runs.map((x) => x.replace(/(\d+):(\d+)/, 'D$1:I$2')));
    expect(selfLockedSpec(r, vp, settings, 1000).unitBlocks).toEqual([]);
  });

  it('locks the self score for the appraisal, optionally leaving the evidence column open', () => {
    const open = protectionSpec(r, vp, settings, 1000);
    const locked = selfLockedSpec(r, vp, settings, 1000);
    expect(locked.mode).toBe('selfLocked');
    expect(locked.unitRanges).toEqual([]);
    expect(locked.unitEditors).toEqual([]);
    expect(locked.councilRanges).toEqual(open.councilRanges);
    expect(locked.councilEditors).toEqual(open.councilEditors);
    expect(locked.officeEditors).toEqual(open.officeEditors);
    expect(locked.sheetDescription).toMatch(
      /^Chấm điểm CCHC\/CDS – Văn phòng HĐND và UBND xã: đã khóa phần tự chấm của đơn vị; tổ thẩm định sửa/,
    );
    const evidence = selfLockedSpec(r, vp, settings, 1000, { allowEvidence: true });
    expect(evidence.unitRanges).toEqual(runs.map((x) => x.replace(/(\d+):(\d+)/, 'F$1:F$2')));
    expect(evidence.unitEditors).toEqual(['vanphong.phuocchanh@gialai.gov.vn']);
  });

  it('warns about missing e-mails and drops malformed ones', () => {
    const s = defaultSettings(2026);
    s.council = ['TO.THAM.DINH@gialai.gov.vn', 'không-phải-email', 'to.tham.dinh@gialai.gov.vn'];
    const p = protectionSpec(r, unit('Trạm Y tế xã', 'Trạm Y tế', 'gmail'), s, 1000);
    expect(p.councilEditors).toEqual(['to.tham.dinh@gialai.gov.vn']);
    expect(p.unitEditors).toEqual([]);
    expect(p.officeEditors).toEqual([]);
    s.domains = ['gialai.gov.vn'];
    s.officeEmail = 'vhxh@gmail.com';
    expect(protectionSpec(r, unit('Trạm Y tế xã', 'Trạm Y tế', 'tramyte@gmail.com'), s, 1000).warnings).toEqual([
      'Email tramyte@gmail.com không thuộc tên miền công vụ (gialai.gov.vn): nên đổi sang email công vụ trước khi cấp quyền sửa.',
      'Email vhxh@gmail.com không thuộc tên miền công vụ (gialai.gov.vn): nên đổi sang email công vụ trước khi cấp quyền sửa.',
    ]);
    expect(p.warnings).toEqual([
      'Đơn vị "Trạm Y tế xã" chưa có email hợp lệ: chỉ cơ quan thường trực sửa được phần tự chấm.',
      'Chưa khai báo "Email cơ quan thường trực" trong trang "Cấu hình": chỉ chủ sở hữu tệp sửa được các ô còn lại.',
    ]);
  });
});

describe('protection ranges of other layouts', () => {
  it('splits columns that are not next to each other and skips a missing appraisal column', () => {
    // STT, Tiêu chí, Điểm tối đa, Điểm tự chấm, Ghi chú, Minh chứng: evidence is not next to the self score
    const r = scored([
      ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', 'Ghi chú', 'Minh chứng'],
      ['1', 'A', 60],
      ['1.1', 'a', 60, 60],
      ['2', 'b', 40, 40],
    ]);
    const p = protectionSpec(r, unit('A', 'A', 'a@x.gov.vn'), defaultSettings(2026), 100);
    expect(p.unitRanges).toEqual(['D3:D4', 'F3:F4']);
    expect(p.councilRanges).toEqual([]);
    expect(p.warnings).toContain('Biểu chưa có cột "Điểm thẩm định": không có vùng dành cho tổ thẩm định.');
    expect(rangesOf([5], [2])).toEqual(['C5']);
    expect(rangesOf([7, 5, 6, 9], [4, 3])).toEqual(['D5:E7', 'D9:E9']);
  });
});

describe('history snapshots', () => {
  const grid = sheet(
    ['1', 'Phần A', 60],
    ['1.1', 'a', 60, 50, 'x', 'l'],
    ['2', 'b', 40, 40, '', 'l'],
    ['3', 'c', 0, 'Chưa tính điểm'],
    ['', 'Điểm cộng', 4, 1, '', 'l'],
    ['', 'Điểm trừ', '', 0.5, 'chậm báo cáo'],
  );
  const r = scored(grid);

  it('has one row per criterion and a total row, all as wide as the header', () => {
    const rows = snapshotRows('15/06/2026 08:00', 'Mốc 15/6', 'Đơn vị A', r);
    expect(SNAPSHOT_HEADERS).toEqual(['Thời gian', 'Mốc', 'Đơn vị', 'STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', 'Điểm thẩm định']);
    expect(rows.map((x) => x.slice(3))).toEqual([
      ['1', 'Phần A', 60, 50, ''],
      ['1.1', 'a', 60, 50, ''],
      ['2', 'b', 40, 40, ''],
      ['3', 'c', 0, 'Chưa tính điểm', ''],
      ['', 'Điểm cộng', 4, 1, ''],
      ['', 'Điểm trừ', '', 0.5, ''],
      ['', 'Tổng điểm', 100, 90.5, ''],
    ]);
    for (const x of rows) expect(x.slice(0, 3)).toEqual(['15/06/2026 08:00', 'Mốc 15/6', 'Đơn vị A']);
    for (const x of rows) expect(x).toHaveLength(SNAPSHOT_HEADERS.length);
  });

  it("gives the change of the unit's totals since its last snapshot", () => {
    const history: unknown[][] = [
      SNAPSHOT_HEADERS,
      ...snapshotRows('15/06/2026', 'Mốc 15/6', 'Đơn vị A', r),
      ...snapshotRows('15/06/2026', 'Mốc 15/6', 'Đơn vị B', scored(sheet(['1', 'x', 100, 10]))),
    ];
    expect(changesSinceSnapshot(history, r, 'Đơn vị A')).toEqual({
      selfDelta: 0,
      appraisalDelta: null,
      previous: { time: '15/06/2026', milestone: 'Mốc 15/6' },
    });

    const later = grid.map((row) => [...row]);
    later[3][3] = 60; // 1.1 self 50 → 60
    later[3][6] = 55; // appraised
    const r2 = scored(later);
    expect(changesSinceSnapshot(history, r2, 'đơn vị a')).toMatchObject({ selfDelta: 10, appraisalDelta: null });
    history.push(...snapshotRows('15/09/2026', 'Mốc 15/9', 'Đơn vị A', r2));
    // read back as text with a comma, as a sheet may return it
    expect(history[history.length - 1][7]).toBe(55); // only 1.1 appraised so far
    history[history.length - 1][7] = '55,0';
    const later2 = later.map((row) => [...row]);
    later2[3][6] = 58;
    const r3 = scored(later2);
    expect(r3.appraisal!.total).toBe(58);
    expect(changesSinceSnapshot(history, r3, 'Đơn vị A')).toEqual({
      selfDelta: 0,
      appraisalDelta: 3,
      previous: { time: '15/09/2026', milestone: 'Mốc 15/9' },
    });
    expect(changesSinceSnapshot(history, r3, 'Đơn vị C')).toEqual({ selfDelta: null, appraisalDelta: null, previous: null });
    expect(changesSinceSnapshot([], r3)).toEqual({ selfDelta: null, appraisalDelta: null, previous: null });
  });
});

describe('audit log', () => {
  it('has the documented columns and rows safe to write back', () => {
    expect(AUDIT_HEADERS).toEqual(['Thời gian', 'Người sửa', 'Trang tính', 'Ô', 'Giá trị cũ', 'Giá trị mới']);
    expect(auditRow('20/11/2026 09:15', 'lan@gialai.gov.vn', 'VP HĐND-UBND', 'D8', undefined, 1)).toEqual([
      '20/11/2026 09:15',
      'lan@gialai.gov.vn',
      'VP HĐND-UBND',
      'D8',
      '',
      1,
    ]);
    expect(auditRow('t', '', 'S', 'D9', '=SUM(D1:D2)', '2,5')).toEqual(['t', 'không xác định', 'S', 'D9', "'=SUM(D1:D2)", '2,5']);
    expect(String(auditRow('t', 'u', 'S', 'F9', 'x'.repeat(60000), '')[4]).length).toBe(50000);
  });

  it('watches the score, explanation, evidence and reason columns only', () => {
    const r = scored(sheet(['1', 'a', 100, 100]));
    const cols = { ...r.columns, request: 8 };
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((c) => isWatchedColumn(cols, c))).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('properties', () => {
  const cell = fc.oneof(
    fc.integer({ min: -5, max: 200 }),
    fc.double({ min: -10, max: 10, noNaN: true }),
    fc.string({ maxLength: 6 }),
    fc.constantFrom(
      '',
      '#REF!',
      '12,25',
      'Chưa tính điểm',
      'Điểm cộng',
      'Điểm trừ',
      'Tổng điểm',
      'I',
      'II',
      '1',
      '1.1',
      '1.1.1',
      '2',
      '2.1',
    ),
    fc.constant(null),
  );

  it('on any score table the plans are well formed and never touch the header or the max column', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: 9 }), { maxLength: 25 }), (rows) => {
        const r = scoreGrid([['Biểu'], [...HEADER, 'Yêu cầu bổ sung minh chứng'], ...rows]);
        if (!r.ok) return;
        const planRows = remedyPlanRows('Đơn vị', r);
        for (const x of planRows) expect(x).toHaveLength(8);
        expect(snapshotRows('t', 'm', 'u', r)).toHaveLength(r.criteria.length + 1);
        const p = protectionSpec(r, unit('Đơn vị', 'Đơn vị', 'a@b.gov.vn'), defaultSettings(2026), 1000);
        expect(protectionSpec(r, unit('Đơn vị', 'Đơn vị', 'a@b.gov.vn'), defaultSettings(2026), 1000)).toEqual(p);
        for (const range of [...p.unitRanges, ...p.councilRanges]) {
          for (const end of range.split(':')) {
            const { row, col } = parseA1Cell(end);
            expect(row).toBeGreaterThan(2);
            expect(col).toBeGreaterThan(2);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
