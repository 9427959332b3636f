/**
 * Layouts of the header, its words and its text, as offices really lay them out (issue 10, items
 * 6–9 and 14). Every total below is computed by hand in the test from the cells it builds.
 */
import fc from 'fast-check';
import { scoreGrid, type ScoreOptions } from '../../../src/core/engine/score';
import { findHeader, matchKey, roleOfLabel, termOfLabel, VOCABULARY } from '../../../src/core/engine/table';
import {
  clashesWithOwnSheetName,
  isOwnSheetName,
  ownSheetOf,
  SHEET_NAMES,
  AUDIT_HEADERS,
  SNAPSHOT_HEADERS,
} from '../../../src/core/sheet/own-sheets';
import { scoreWorkbook } from '../../../src/core/sheet/workbook';
import { RESULT_TITLE, resultBlock, scoreUnitGrid } from '../../../src/core/sheet/result-block';
import { defaultSettings, parseSettings, scoreOptionsOf, settingsGrid } from '../../../src/core/settings/settings';
import { summaryLayout } from '../../../src/core/summary/summary';
import { remedyPlanGrid } from '../../../src/core/workflow/remedy-plan';
import { appendixGrid, HEADER, scored } from '../../helpers';

const refused = (grid: unknown[][], options?: ScoreOptions) => {
  const r = scoreGrid(grid, options);
  if (r.ok) throw new Error('scored, expected a refusal');
  return r;
};

// ---- 6. two-row headers and a header anywhere ----------------------------------------------------

describe('two-row headers', () => {
  // "Điểm" over "Tối đa | Tự chấm | Thẩm định"; STT, Tiêu chí and Minh chứng merged down over both rows.
  const grid = [
    ['BIỂU CHẤM ĐIỂM CẢI CÁCH HÀNH CHÍNH NĂM 2025'],
    [],
    ['STT', 'Tiêu chí', 'Điểm', '', '', 'Minh chứng'],
    ['', '', 'Tối đa', 'Tự chấm', 'Thẩm định', ''],
    ['1', 'Công tác chỉ đạo, điều hành', '', '', '', ''],
    ['1.1', 'Kế hoạch cải cách hành chính', 40, 35, 30, 'https://x/1'],
    ['1.2', 'Báo cáo định kỳ', 60, 50, 58, 'https://x/2'],
    ['', 'TỔNG ĐIỂM', 100, '', '', ''],
  ];
  const merges = [
    { row: 3, col: 0, numRows: 2, numCols: 1 },
    { row: 3, col: 1, numRows: 2, numCols: 1 },
    { row: 3, col: 2, numRows: 1, numCols: 3 },
    { row: 3, col: 5, numRows: 2, numCols: 1 },
  ];

  it.each([
    ['with the merged areas', { merges }],
    ['from the values alone (blank cells right of a group)', {}],
  ])('reads group cells over sub-labels %s; the table starts after the second row', (_, options) => {
    const r = scored(grid, options);
    expect(r.headerRow).toBe(4);
    expect(r.columns).toEqual({ outline: 0, text: 1, max: 2, self: 3, appraisal: 4, evidence: 5 });
    expect(r.criteria.map((c) => c.outline)).toEqual(['1', '1.1', '1.2']);
    expect(r.leafCount).toBe(2);
    expect(r.self.total).toBe(35 + 50);
    expect(r.appraisal?.total).toBe(30 + 58);
    expect(r.self.max).toBe(40 + 60);
    // The header's own merges are above the table: not reported as merged score cells.
    expect(r.findings.filter((f) => f.rule === 'merged-cells')).toEqual([]);
  });

  it('reads "Điểm thẩm định" over "Lần 1 | Lần 2" as the first appraisal; the second is carried', () => {
    const r = scored([
      ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', 'Điểm thẩm định', ''],
      ['', '', '', '', 'Lần 1', 'Lần 2'],
      ['1', 'Tiêu chí A', 50, 45, 40, 44],
      ['2', 'Tiêu chí B', 50, 40, 35, 50],
    ]);
    expect(r.headerRow).toBe(2);
    expect(r.columns.appraisal).toBe(4);
    expect(r.self.total).toBe(45 + 40);
    expect(r.appraisal?.total).toBe(40 + 35);
  });

  it('takes a row above a complete header only when a merged group cell ties them', () => {
    const grid = [
      ['', '', '', '', 'Điểm thẩm định', ''],
      ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', 'Lần 1', 'Lần 2'],
      ['1', 'Tiêu chí A', 50, 45, 40, 44],
      ['2', 'Tiêu chí B', 50, 40, 35, 50],
    ];
    const merged = scored(grid, { merges: [{ row: 1, col: 4, numRows: 1, numCols: 2 }] });
    expect(merged.headerRow).toBe(2);
    expect(merged.appraisal?.total).toBe(40 + 35);
    // Without the merge the second row is the header: "Lần 1" names nothing, no appraisal is read (never "Lần 2").
    const alone = scored(grid);
    expect(alone.headerRow).toBe(2);
    expect(alone.appraisal).toBeNull();
    expect(alone.self.total).toBe(45 + 40);
  });

  it('does not take the first data row, or a column-number row, for a second header row', () => {
    const withData = scored([
      ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', '', 'Minh chứng'],
      ['1', 'Tiêu chí A', 60, 50, 'x', 'https://x/1'],
      ['2', 'Tiêu chí B', 40, 30, '', 'https://x/2'],
    ]);
    expect(withData.headerRow).toBe(1);
    expect(withData.self.total).toBe(50 + 30);
    const numbers = findHeader([HEADER, ['(1)', '(2)', '(3)', '(4)', '(5)', '(6)', '(7)', '(8)']]);
    expect(numbers.ok && numbers.header.rowIndex).toBe(0);
    // A bullet line under STT-less, text-filled cells is data too.
    const bullet = findHeader([
      ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', 'Điểm thẩm định', ''],
      ['', '- mô tả thêm', '', '', 'ghi chú', 'ghi chú'],
    ]);
    expect(bullet.ok && bullet.header.rowIndex).toBe(0);
  });

  it('finds a header below thousands of rows', () => {
    const notes = Array.from({ length: 5000 }, (_, i) => ['Ghi chú', `Dòng ghi chép số ${i + 1}`]);
    const r = scored([...notes, HEADER, ['1', 'Tiêu chí A', 70, 61.5], ['2', 'Tiêu chí B', 30, 28]]);
    expect(r.headerRow).toBe(5001);
    expect(r.self.total).toBe(61.5 + 28);
  });

  it('stays fast on 100,000 rows with or without a header', () => {
    const rows: unknown[][] = Array.from({ length: 100_000 }, (_, i) => [
      `${i + 1}`,
      `Thực hiện nhiệm vụ số ${i + 1} theo kế hoạch năm`,
      i % 10,
      'Đạt',
      `Số liệu ${i}`,
      `https://drive.example/${i}`,
    ]);
    let t = Date.now();
    expect(findHeader(rows).ok).toBe(false);
    const without = Date.now() - t;
    const grid = [...rows, HEADER, ['1', 'Tiêu chí A', 100, 73]];
    t = Date.now();
    const r = scored(grid);
    const withHeader = Date.now() - t;
    expect(r.self.total).toBe(73);
    // About 0.1 s each on an idle machine; the bound leaves room for a busy one.
    expect(without).toBeLessThan(3000);
    expect(withHeader).toBeLessThan(3000);
  });
});

describe('header properties', () => {
  const words = fc.constantFrom(
    '',
    'STT',
    'TT',
    'Tiêu chí',
    'Điểm',
    'Tối đa',
    'Tự chấm',
    'Thẩm định',
    'Lần 1',
    'Lần 2',
    'Năm 2025',
    'Minh chứng',
    '1',
    7,
  );
  const merge = fc.record({
    row: fc.integer({ min: -1, max: 8 }),
    col: fc.integer({ min: -1, max: 8 }),
    numRows: fc.integer({ min: 0, max: 3 }),
    numCols: fc.integer({ min: 0, max: 9 }),
  });

  it('any rows of header words and any merges: no throw, and a found header names distinct columns inside the row', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(words, { maxLength: 8 }), { maxLength: 8 }),
        fc.array(merge, { maxLength: 4 }),
        fc.option(fc.constantFrom(2024, 2025)),
        (rows, merges, year) => {
          const r = findHeader(rows, Infinity, { merges, year: year ?? undefined });
          if (!r.ok) return;
          const cols = Object.values(r.header.columns);
          expect(new Set(cols).size).toBe(cols.length);
          const width = Math.max(rows[r.header.firstRowIndex].length, rows[r.header.rowIndex].length);
          for (const c of cols) expect(c).toBeLessThan(width);
          expect(r.header.rowIndex - r.header.firstRowIndex).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

// ---- 7. other provinces' words: one vocabulary, a test per family ------------------------------

describe('the column vocabulary', () => {
  it.each([
    [
      'criterion',
      'text',
      ['Lĩnh vực/Tiêu chí/Tiêu chí thành phần', 'Nội dung đánh giá', 'Nhiệm vụ', 'Tiêu chí', 'Lĩnh vực, tiêu chí', 'Nội dung'],
    ],
    ['max', 'max', ['Điểm chuẩn', 'Điểm tối đa', 'Thang điểm', 'ĐIỂM TỐI ĐA', 'Điểm\ntối đa']],
    ['self', 'self', ['Điểm tự đánh giá', 'Điểm đơn vị tự chấm', 'Điểm tự chấm', 'DIEM TU CHAM']],
    ['appraisal', 'appraisal', ['Điểm thẩm định', 'Điểm phúc tra', 'Điểm Hội đồng', 'Điểm thẩm định lần 1', 'Điểm Hội đồng chấm lại']],
    ['evidence', 'evidence', ['Tài liệu kiểm chứng', 'Minh chứng', 'Đường dẫn minh chứng']],
    ['outline', 'outline', ['STT', 'TT', 'Số TT', 'Số thứ tự', 'stt.']],
    ['explanation', 'explanation', ['Giải trình', 'Giải trình lý do chưa đạt']],
    ['reason', 'reason', ['Lý do điều chỉnh', 'Lý do điều chỉnh điểm thẩm định']],
    ['request', 'request', ['Yêu cầu bổ sung minh chứng', 'Bổ sung minh chứng']],
  ])('family %s', (_, role, labels) => {
    for (const label of labels as string[]) expect([label, roleOfLabel(label)]).toEqual([label, role]);
  });

  it('carries figures and notes without scoring them', () => {
    for (const label of ['Số liệu thực hiện', 'Tỷ lệ đạt được', 'Tỷ lệ (%)', 'Cách tính điểm', 'Ghi chú']) {
      expect([label, termOfLabel(label)?.role]).toEqual([label, null]);
    }
  });

  it('gives the later stages their own roles, before the broader words they contain', () => {
    const later: [string, string][] = [
      ['Điểm thẩm định lần 2', 'final'],
      ['Điểm sau giải trình', 'final'],
      ['Điểm chính thức', 'final'],
      ['Giải trình sau thẩm định', 'appeal'],
      ['Ý kiến giải trình của đơn vị', 'appeal'],
      ['Minh chứng bổ sung', 'extraEvidence'],
      ['Kiểm tra minh chứng', 'check'],
      ['Kết quả kiểm tra', 'check'],
      ['Lý do điều chỉnh lần 2', 'finalReason'],
    ];
    for (const [label, role] of later) expect([label, termOfLabel(label)?.role]).toEqual([label, role]);
    // Other rounds stay carried, and the earlier roles keep their words.
    expect(termOfLabel('Điểm tự chấm lần 3')?.role).toBeNull();
    expect(termOfLabel('Giải trình')?.role).toBe('explanation');
    expect(termOfLabel('Bổ sung minh chứng')?.role).toBe('request');
    expect(termOfLabel('Lý do điều chỉnh')?.role).toBe('reason');
    expect(termOfLabel('Nhận xét')).toBeNull();
  });

  it('is one table of normalised words', () => {
    for (const t of VOCABULARY) expect(matchKey(t.words)).toBe(t.words);
  });

  it('reads the right columns when carried columns stand before them', () => {
    const header = [
      'STT',
      'Nội dung đánh giá',
      'Cách tính điểm',
      'Điểm chuẩn',
      'Số liệu thực hiện',
      'Tỷ lệ đạt được',
      'Điểm tự đánh giá',
      'Tài liệu kiểm chứng',
      'Điểm thẩm định lần 2',
      'Điểm phúc tra',
      'Ghi chú',
    ];
    const r = scored([
      header,
      ['1', 'Ban hành kế hoạch', '1 điểm/văn bản', 30, 12, 0.8, 24, 'https://x/1', 29, 27, 'x'],
      ['2', 'Giải quyết hồ sơ đúng hạn', 'Theo tỷ lệ', 70, 500, 1, 70, 'https://x/2', 70, 65, ''],
    ]);
    expect(r.columns).toEqual({ outline: 0, text: 1, max: 3, self: 6, evidence: 7, final: 8, appraisal: 9 });
    expect(r.self.max).toBe(30 + 70);
    expect(r.self.total).toBe(24 + 70);
    expect(r.appraisal?.total).toBe(27 + 65);
  });
});

// ---- 8. two columns for one role -----------------------------------------------------------------

describe('two columns for one role', () => {
  const twoYears = (a: string, b: string) => [
    ['STT', 'Tiêu chí', 'Điểm tối đa', a, b],
    ['1', 'Tiêu chí A', 60, 40, 55],
    ['2', 'Tiêu chí B', 40, 30, 38.5],
  ];

  it('picks the column of the settings year', () => {
    const grid = twoYears('Điểm tự chấm năm 2024', 'Điểm tự chấm năm 2025');
    const y2025 = scored(grid, { year: 2025 });
    expect(y2025.columns.self).toBe(4);
    expect(y2025.self.total).toBe(55 + 38.5);
    const y2024 = scored(grid, { year: 2024 });
    expect(y2024.columns.self).toBe(3);
    expect(y2024.self.total).toBe(40 + 30);
    // The year comes from "Cấu hình".
    const settings = parseSettings([['Năm', 2025]], 2030).settings;
    expect(scoreOptionsOf(settings).year).toBe(2025);
    expect(scored(grid, scoreOptionsOf(settings)).self.total).toBe(55 + 38.5);
  });

  it('refuses to guess without a year, naming both columns', () => {
    for (const [grid, options] of [
      [twoYears('Điểm tự chấm', 'Điểm tự chấm'), { year: 2025 }],
      [twoYears('Điểm tự chấm năm 2023', 'Điểm tự chấm năm 2024'), { year: 2025 }],
      [twoYears('Điểm tự chấm năm 2024', 'Điểm tự chấm năm 2025'), {}],
    ] as [unknown[][], ScoreOptions][]) {
      const r = refused(grid, options);
      expect(r.rule).toBe('ambiguous-column');
      expect(r.reason).toMatch(/cột D \("Điểm tự chấm[^"]*"\) và cột E \("Điểm tự chấm[^"]*"\)/);
      expect(r.reason).toContain('không đoán');
    }
  });

  it('warns, and reads neither, for two columns of a role no total depends on', () => {
    const r = scored([
      ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', 'Minh chứng', 'Tài liệu kiểm chứng'],
      ['1', 'Tiêu chí A', 60, 50, '', 'https://x/1'],
      ['2', 'Tiêu chí B', 40, 40, 'https://x/2', ''],
    ]);
    expect(r.self.total).toBe(90);
    expect(r.columns.evidence).toBeUndefined();
    const warnings = r.findings.filter((f) => f.rule === 'ambiguous-column');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ severity: 'warning', row: 1, cell: 'E1' });
    expect(warnings[0].message).toMatch(/cột E \("Minh chứng"\) và cột F \("Tài liệu kiểm chứng"\)/);
    expect(r.findings.filter((f) => f.rule === 'missing-evidence')).toEqual([]);
  });

  it('picks by year in a two-row header too', () => {
    const r = scored(
      [
        ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', ''],
        ['', '', '', 'Năm 2024', 'Năm 2025'],
        ['1', 'Tiêu chí A', 60, 40, 55],
        ['2', 'Tiêu chí B', 40, 30, 38.5],
      ],
      { year: 2025 },
    );
    expect(r.headerRow).toBe(2);
    expect(r.self.total).toBe(55 + 38.5);
  });
});

// ---- 9. invisible characters ---------------------------------------------------------------------

describe('invisible characters pasted from Word', () => {
  it('are ignored in labels, STT and numbers', () => {
    const r = scored([
      ['S\u200bTT', '\ufeffTiêu\u0007 chí', 'Điểm\u00a0tối\u00a0đa', 'Điểm tự ch\u00adấm'],
      ['1\u200b', 'Nhóm tiêu chí', '', ''],
      ['1.1\u00a0', 'Tiêu chí A', '\u200b40', '3\u200b5'],
      ['\ufeff1.2', 'Tiêu chí B', 60, '5\u00ad0'],
      ['\u200b', '\u00a0', '\u200c', ''],
      ['', 'Tổng\u200b điểm', 100, ''],
    ]);
    expect(r.columns).toEqual({ outline: 0, text: 1, max: 2, self: 3 });
    expect(r.criteria.map((c) => [c.outline, c.parent])).toEqual([
      ['1', -1],
      ['1.1', 0],
      ['1.2', 0],
    ]);
    expect(r.self.total).toBe(35 + 50);
    expect(r.self.max).toBe(100);
    expect(r.totalRow).toBe(6);
    expect(r.findings.filter((f) => f.rule === 'score-not-number')).toEqual([]);
  });
});

// ---- 14. sheets that only look like ours ---------------------------------------------------------

describe('own sheets by their content, not a loose name', () => {
  const unit = [HEADER, ['1', 'Tiêu chí A', 60, 52.5], ['2', 'Tiêu chí B', 40, 31]];

  it('scores a unit sheet named "Tong hop", "LƯU TRỮ" or even "Tổng hợp"', () => {
    const wb = scoreWorkbook(['Tong hop', 'LƯU TRỮ', 'Tổng hợp', 'Cau hinh'].map((name) => ({ name, grid: unit })));
    expect(wb.skipped).toEqual([]);
    expect(wb.sheets.map((s) => [s.name, s.result.self.total])).toEqual([
      ['Tong hop', 83.5],
      ['LƯU TRỮ', 83.5],
      ['Tổng hợp', 83.5],
      ['Cau hinh', 83.5],
    ]);
    expect(isOwnSheetName('Tong hop')).toBe(false);
    expect(isOwnSheetName('LƯU TRỮ')).toBe(false);
    expect(isOwnSheetName(SHEET_NAMES.history)).toBe(true);
    // Creating a unit sheet still avoids names the add-on would take for its own.
    expect(clashesWithOwnSheetName('tong hop')).toBe(true);
  });

  it('skips the layouts the add-on writes, whatever their name, with the true reason', () => {
    const summary = summaryLayout({ commune: 'Phước Chánh', field: 'CCHC', year: 2025, updatedAt: '01/01/2025 08:00' }, [], []).values;
    const history = [SNAPSHOT_HEADERS, ['01/06/2025', '15/6', 'Văn phòng', '1', 'Tiêu chí A', 60, 52.5, '']];
    const plan = remedyPlanGrid([{ name: 'Văn phòng', result: scored(unit) }], { commune: '', field: 'CCHC', year: 2025 });
    const sheets = [
      { name: 'Cấu hình cũ', grid: settingsGrid(defaultSettings(2025)) },
      { name: 'Tổng hợp 2024', grid: summary },
      { name: 'Lưu trữ', grid: history },
      { name: 'Nhật ký', grid: [AUDIT_HEADERS] },
      { name: 'Kế hoạch năm sau', grid: plan },
    ];
    const wb = scoreWorkbook(sheets);
    expect(wb.sheets).toEqual([]);
    expect(wb.skipped.map((s) => [s.name, s.own, s.reason])).toEqual([
      ['Cấu hình cũ', true, 'Trang cấu hình của công cụ chấm điểm, không phải biểu chấm.'],
      ['Tổng hợp 2024', true, 'Trang tổng hợp kết quả của công cụ chấm điểm, không phải biểu chấm.'],
      ['Lưu trữ', true, 'Trang lưu điểm theo các mốc của công cụ chấm điểm, không phải biểu chấm.'],
      ['Nhật ký', true, 'Trang nhật ký chỉnh sửa của công cụ chấm điểm, không phải biểu chấm.'],
      ['Kế hoạch năm sau', true, 'Trang kế hoạch khắc phục của công cụ chấm điểm, không phải biểu chấm.'],
    ]);
  });

  it("scores an office's own appendix, which shares the remedy plan's header", () => {
    expect(ownSheetOf('Phụ lục 2024', appendixGrid())).toBeNull();
  });

  it('takes a sheet by its exact own name only when it holds no score table', () => {
    expect(ownSheetOf('Cấu hình', [['Năm', 2025]])?.kind).toBe('settings');
    expect(
      ownSheetOf('Bộ tiêu chí', [
        ['STT', 'Tiêu chí', 'Điểm tối đa'],
        ['1', 'A', 10],
      ])?.kind,
    ).toBe('criteriaSet');
    expect(ownSheetOf('Cấu hình', unit)).toBeNull();
    const notes = scoreWorkbook([{ name: 'Ghi chép', grid: [['Họp giao ban'], ['Rà soát hồ sơ tồn đọng']] }]);
    expect(notes.skipped).toEqual([{ name: 'Ghi chép', own: false, reason: expect.stringMatching(/^Không tìm thấy hàng tiêu đề/) }]);
  });

  it('does not hide the table behind a heading that repeats the result title', () => {
    const grid = [[RESULT_TITLE], ['', 'Tự chấm', 'Thẩm định'], ...unit];
    const r = scoreUnitGrid(grid);
    expect(r.ok && r.self.total).toBe(52.5 + 31);
  });

  it('leaves out a real result block beside the table, found by its structure anywhere', () => {
    const zero = {
      max: 0,
      applicableMax: 0,
      main: 0,
      bonus: 0,
      penalty: 0,
      total: 0,
      percent: 0,
      classification: 'Yếu' as const,
      complete: false,
      scored: 0,
      applicable: 0,
    };
    const block = resultBlock(zero, zero, { unscored: 0, missingEvidence: 0, missingExplanation: 0 }, '01/01/2025').values;
    const title = Array.from({ length: 30 }, (_, i) => [`Dòng tiêu đề ${i + 1}`]);
    const table = [HEADER, ['1', 'Tiêu chí A', 60, 52.5, '', '', 50], ['2', 'Tiêu chí B', 40, 31, '', '', 30]];
    const width = HEADER.length + 1;
    const grid: unknown[][] = [...title, ...table, [], [], [], [], [], [], [], []].map((row) => [
      ...row,
      ...Array(width - row.length).fill(''),
    ]);
    block.forEach((cells, k) => grid[30 + k].push(...cells));
    const r = scoreUnitGrid(grid);
    if (!r.ok) throw new Error(r.reason);
    expect(r.headerRow).toBe(31);
    expect(r.columns.self).toBe(3);
    expect(r.self.total).toBe(52.5 + 31);
    expect(r.appraisal?.total).toBe(50 + 30);
  });
});
