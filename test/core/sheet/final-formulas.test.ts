/**
 * The final column (the council's score after the appeal) in the live sheet, evaluated by
 * HyperFormula: subtotals, the total row and the block's fourth column, against figures worked
 * out by hand, blank until the council writes a final score, and following edits.
 */
import { HyperFormula, type RawCellContent } from 'hyperformula';
import { BLOCK_ROWS, type FormulaOptions, sheetFormulas } from '../../../src/core/sheet/formulas';
import { highlightRules } from '../../../src/core/sheet/highlights';
import { scored } from '../../helpers';

const HEADER = [
  'STT',
  'Tiêu chí',
  'Điểm tối đa',
  'Điểm tự chấm',
  'Minh chứng',
  'Điểm thẩm định',
  'Lý do điều chỉnh',
  'Giải trình sau thẩm định',
  'Điểm sau giải trình',
  'Lý do điều chỉnh lần 2',
];
const [SELF, APPRAISAL, FINAL] = [3, 5, 8];
const OPTIONS: FormulaOptions = { sep: ',', thresholds: { excellent: 90, good: 80, fair: 65, average: 50 }, bonusCap: 4 };

/** Rows: title 1, header 2, group 1 on 3, 1.1 on 4, 1.2 on 5, 2 on 6, total on 7. */
function grid(final: { r4?: unknown; r5?: unknown; r6?: unknown } = {}): unknown[][] {
  const row = (...cells: unknown[]) => [...cells, ...Array(HEADER.length - cells.length).fill('')];
  const g = [
    row('BIỂU CHẤM ĐIỂM'),
    HEADER,
    row('1', 'Nhóm 1', 60),
    row('1.1', 'Kế hoạch', 30, 30, 'https://x/1', 20, 'Chậm', 'Đúng hạn', final.r4 ?? '', final.r4 === undefined ? '' : 'Chấp nhận'),
    row('1.2', 'Báo cáo', 30, 25, 'https://x/2', 25, '', '', final.r5 ?? ''),
    row('2', 'Ứng dụng', 40, 40, 'https://x/3', 30, 'Thiếu', 'Có số liệu', final.r6 ?? '', final.r6 === undefined ? '' : 'Chấp nhận'),
    row('', 'Tổng cộng', 100),
  ];
  return g;
}

function typed(v: unknown): RawCellContent {
  if (v === '' || v === undefined) return null;
  return typeof v === 'string' && !v.startsWith('=') ? `'${v}` : (v as RawCellContent);
}

function live(g: unknown[][]) {
  const result = scored(g);
  const block = { row: result.headerRow, col: HEADER.length + 1 };
  const sheet = g.map((r) => [...r]);
  for (const c of sheetFormulas(result, block, OPTIONS)) {
    while (sheet.length < c.row) sheet.push([]);
    sheet[c.row - 1][c.col] = c.formula;
  }
  const hf = HyperFormula.buildFromSheets({ Unit: sheet.map((r) => r.map(typed)) }, { licenseKey: 'gpl-v3', useArrayArithmetic: true });
  const value = (row: number, col: number) => hf.getCellValue({ sheet: 0, row: row - 1, col });
  /** The block's column for a stage: 1 self, 2 appraisal, 3 final. */
  const blockCol = (stage: 1 | 2 | 3) =>
    Object.fromEntries(BLOCK_ROWS.map((label, k) => [label, value(block.row + 1 + k, block.col + stage)])) as Record<string, unknown>;
  const set = (row: number, col: number, v: unknown) => hf.setCellContents({ sheet: 0, row: row - 1, col }, [[typed(v)]]);
  return { result, hf, value, blockCol, set };
}

const near = (v: unknown) => Math.round(Number(v) * 1000) / 1000;

describe('the final column in the live sheet', () => {
  it('adds up the final scores, a criterion without one counting its appraisal', () => {
    const { hf, value, blockCol } = live(grid({ r4: 28, r6: 35 }));
    try {
      // group 1: 28 (final) + 25 (appraisal of 1.2); total 53 + 35.
      expect(value(3, FINAL)).toBe(53);
      expect(value(7, FINAL)).toBe(88);
      const b = blockCol(3);
      expect([b['Điểm tối đa áp dụng'], b['Điểm chính'], b['Tổng điểm'], near(b['Tỷ lệ (%)']), b['Xếp loại']]).toEqual([
        100,
        88,
        88,
        88,
        'Tốt',
      ]);
      // the appraisal column is untouched: 20 + 25 + 30
      expect(value(7, APPRAISAL)).toBe(75);
      expect(blockCol(2)['Tổng điểm']).toBe(75);
    } finally {
      hf.destroy();
    }
  });

  it('stays blank until the council writes a final score, then follows every edit', () => {
    const { hf, value, blockCol, set, result } = live(grid());
    try {
      expect(result.final).toBeNull();
      expect([value(3, FINAL), value(7, FINAL), blockCol(3)['Tổng điểm'], blockCol(3)['Xếp loại']]).toEqual(['', '', '', '']);
      set(4, FINAL, 30);
      // 30 + 25 + 30 (appraisal of 2)
      expect([value(3, FINAL), value(7, FINAL), blockCol(3)['Tổng điểm']]).toEqual([55, 85, 85]);
      set(6, FINAL, 'Không áp dụng');
      // 2 leaves the denominator: 55 of 60
      expect([value(7, FINAL), blockCol(3)['Điểm tối đa áp dụng'], near(blockCol(3)['Tỷ lệ (%)']), blockCol(3)['Xếp loại']]).toEqual([
        55,
        60,
        91.666,
        'Xuất sắc',
      ]);
      set(4, FINAL, 45); // above the max: counted as 30
      expect(value(3, FINAL)).toBe(55);
    } finally {
      hf.destroy();
    }
  });

  it('takes "not applicable" from the appraisal, or from the self score when both later cells are blank', () => {
    const g = grid({ r4: 28 });
    g[5][APPRAISAL] = 'Chưa tính điểm';
    const a = live(g);
    try {
      // 2 not applicable by its appraisal, no final score: 28 + 25 of 60.
      expect([a.value(7, FINAL), a.blockCol(3)['Điểm tối đa áp dụng'], near(a.blockCol(3)['Tỷ lệ (%)'])]).toEqual([53, 60, 88.333]);
      expect(a.result.final?.applicableMax).toBe(60);
    } finally {
      a.hf.destroy();
    }
    const s = grid({ r4: 28 });
    s[5][SELF] = 'Chưa tính điểm';
    s[5][APPRAISAL] = '';
    s[5][7] = '';
    const b = live(s);
    try {
      expect([b.value(7, FINAL), b.blockCol(3)['Điểm tối đa áp dụng']]).toEqual([53, 60]);
      expect(b.result.final?.applicableMax).toBe(60);
      // a final score typed on it brings it back
      b.set(6, FINAL, 10);
      expect([b.value(7, FINAL), b.blockCol(3)['Điểm tối đa áp dụng']]).toEqual([63, 100]);
    } finally {
      b.hf.destroy();
    }
  });

  it('highlights a final score that differs from the appraisal without a reason', () => {
    const g = grid({ r5: 30 });
    const result = scored(g);
    const rule = highlightRules(result, ',').find((r) => r.key === 'missing-final-reason');
    if (!rule) throw new Error('no missing-final-reason rule');
    expect(rule.ranges).toEqual(['J4:J6']);
    // The rule's formula, relative to J4, evaluated in each row of the range.
    const sheet = g.map((r) => r.map(typed));
    const probe = HEADER.length + 2;
    for (const row of [4, 5, 6]) sheet[row - 1][probe] = rule.formula.replace(/(\$?[A-Z])4\b/g, `$1${row}`);
    const hf = HyperFormula.buildFromSheets({ Unit: sheet }, { licenseKey: 'gpl-v3' });
    try {
      const lit = [4, 5, 6].map((row) => hf.getCellValue({ sheet: 0, row: row - 1, col: probe }));
      // 1.2: final 30 against the appraisal 25, no reason; the others have no final score.
      expect(lit).toEqual([false, true, false]);
      expect(result.findings.filter((f) => f.rule === 'missing-final-reason').map((f) => f.cell)).toEqual(['J5']);
    } finally {
      hf.destroy();
    }
  });
});
