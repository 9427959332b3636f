import { REMEDY_PLAN_HEADERS } from '../../../src/core/sheet/own-sheets';
import { NOT_SCORED } from '../../../src/core/engine/not-applicable';
import { SAMPLE_APPENDIX_ROWS } from '../../../scripts/sample-appendix';
import { EXAMPLE_PATH } from '../../../scripts/make-example';
import { readWorkbook, workbookInputs } from '../../../src/cli/xlsx/read';
import {
  MAINTAIN,
  remedyCounts,
  REMEDY,
  remedyPlanEntries,
  remedyPlanGrid,
  remedyPlanLayout,
  remedyPlanRows,
} from '../../../src/core/workflow/remedy-plan';
import { readNumber } from '../../../src/core/engine/numbers';
import type { ScoredSheet } from '../../../src/core/engine/score';
import { appendixGrid, scored, sheet } from '../../helpers';

const VP = 'VP HĐND-UBND';
const VP_NAME = 'Văn phòng HĐND và UBND xã';
let grids: Map<string, unknown[][]>;

beforeAll(async () => {
  const wb = await readWorkbook(EXAMPLE_PATH);
  grids = new Map(workbookInputs(wb).map((s) => [s.name, s.grid]));
});

const num = (v: unknown) => {
  const n = readNumber(v);
  return n.kind === 'number' ? n.value : null;
};

/** Writes the computed subtotals and totals into a copy of the grid, as the add-on does. */
function withComputed(grid: unknown[][], r: ScoredSheet): unknown[][] {
  const copy = grid.map((row) => [...row]);
  for (const c of r.computed) copy[c.row - 1][c.col] = c.value;
  return copy;
}

describe('remedy plan of an appraised unit (example workbook, VP HĐND-UBND)', () => {
  let grid: unknown[][];
  let r: ScoredSheet;
  let rows: unknown[][];
  const row = (outline: string) => rows.find((x) => x[0] === outline)!;

  beforeAll(() => {
    grid = grids.get(VP)!;
    r = scored(grid);
    rows = remedyPlanRows(VP_NAME, r);
  });

  it('starts with the appendix header and keeps every row the same width', () => {
    expect(rows[0]).toEqual(REMEDY_PLAN_HEADERS);
    expect(REMEDY_PLAN_HEADERS).toEqual([
      'STT',
      'Tiêu chí',
      'Điểm tối đa',
      'Điểm tự chấm',
      'Điểm thẩm định',
      'Duy trì, khắc phục',
      'Bộ phận chuyên môn duy trì, khắc phục',
      'Giải pháp khắc phục',
    ]);
    for (const x of rows) expect(x).toHaveLength(8);
    // header + every criterion + the total row
    expect(rows).toHaveLength(1 + r.criteria.length + 1);
    expect(rows.slice(1, -1).map((x) => x[0])).toEqual(r.criteria.map((c) => c.outline));
  });

  it('marks "Khắc phục" exactly where the appraisal is below the max', () => {
    const header = r.headerRow; // 1-based; data rows follow
    const expected: string[] = [];
    for (const c of r.criteria) {
      if (c.children.length > 0 || c.block !== 'main') continue;
      const raw = grid[c.row - 1];
      const max = num(raw[2]);
      const appraisal = num(raw[6]);
      expect(c.row).toBeGreaterThan(header);
      expect(row(c.outline)[5]).toBe(appraisal! < max! ? REMEDY : MAINTAIN);
      if (appraisal! < max!) expect(row(c.outline)[4]).toBe(appraisal);
      if (appraisal! < max!) expected.push(c.outline);
    }
    expect(expected).toEqual(['1.4', '3.2', '7.2']);
    expect(rows.filter((x) => x[5] === REMEDY).map((x) => x[0])).toEqual(['1.4', '3.2', '7.2']);
    expect(row('3.2').slice(0, 7)).toEqual(['3.2', 'Số hóa hồ sơ, kết quả giải quyết TTHC', 5, 4.5, 4, REMEDY, VP_NAME]);
  });

  it('shows groups as computed sums without a status and leaves the solution column empty', () => {
    expect(row('1').slice(2)).toEqual([15, 13, 13, '', '', '']);
    expect(row('3').slice(2)).toEqual([18, 17.5, 17, '', '', '']);
    expect(row('7').slice(2)).toEqual([22, 22, 21.5, '', '', '']);
    for (const x of rows.slice(1)) expect(x[7]).toBe('');
    // the responsible unit only where there is something to keep up or remedy
    for (const x of rows.slice(1)) expect(x[6]).toBe(x[5] ? VP_NAME : '');
  });

  it('ends with the bonus row, the penalty row and the totals', () => {
    const tail = rows.slice(-3);
    expect(tail[0].slice(2, 7)).toEqual([4, 1, 1, MAINTAIN, VP_NAME]);
    expect(tail[0][1]).toMatch(/^Điểm cộng/);
    expect(tail[1].slice(2, 7)).toEqual(['', 0, 0, '', '']);
    expect(tail[1][1]).toMatch(/^Điểm trừ/);
    expect(tail[2]).toEqual(['', 'Tổng điểm', 100, 98.5, 97.5, '', '', '']);
    expect(remedyCounts(remedyPlanEntries(VP_NAME, r))).toEqual({ maintain: 28, remedy: 3, notAssessed: 0, basis: 'appraisal' });
  });

  it('is the same after the add-on wrote its subtotals, and the same when built twice', () => {
    const again = scored(withComputed(grid, r));
    expect(remedyPlanRows(VP_NAME, again)).toEqual(rows);
    expect(remedyPlanRows(VP_NAME, r)).toEqual(rows);
  });
});

describe('remedy plan without an appraisal stage (Công an xã)', () => {
  it('decides on the self score and keeps "Chưa tính điểm" apart', () => {
    const r = scored(grids.get('Công an xã')!);
    expect(r.appraisal).toBeNull();
    const rows = remedyPlanRows('Công an xã', r);
    const at = (o: string) => rows.find((x) => x[0] === o)!;
    for (const x of rows.slice(1)) expect(x[4]).toBe('');
    expect(at('2.2').slice(2, 6)).toEqual([4, 3.5, '', REMEDY]);
    expect(at('7.4').slice(2, 7)).toEqual([4, NOT_SCORED, '', NOT_SCORED, 'Công an xã']);
    const penalty = rows[rows.length - 2];
    expect(penalty[1]).toMatch(/^Điểm trừ/);
    expect(penalty.slice(3, 6)).toEqual([1, '', REMEDY]);
    expect(remedyCounts(remedyPlanEntries('Công an xã', r))).toEqual({ maintain: 27, remedy: 3, notAssessed: 1, basis: 'self' });
  });

  it('falls back to the self score for a leaf the council has not appraised yet', () => {
    const r = scored(sheet(['1', 'A', 10], ['1.1', 'a', 5, 5, '', '', 5], ['1.2', 'b', 5, 5, '', '', ''], ['1.3', 'c', 0, 0, '', '', '']));
    const entries = remedyPlanEntries('X', r).filter((e) => e.kind === 'leaf');
    expect(entries.map((e) => [e.values[0], e.status, e.basis])).toEqual([
      ['1.1', MAINTAIN, 'appraisal'],
      ['1.2', MAINTAIN, 'self'],
      ['1.3', MAINTAIN, 'self'],
    ]);
  });
});

describe('remedy plan of the real 2024 appendix', () => {
  const r = scored(appendixGrid());
  const rows = remedyPlanRows('UBND xã', r);
  const main = (outline: string) => rows.find((x, i) => i > 0 && x[0] === outline)!;

  it('lists the main part, then the bonus and penalty blocks, like the sample', () => {
    const outlines = rows.slice(1, -1).map((x) => x[0]);
    expect(outlines.slice(0, 3)).toEqual(['1', '1.1', '1.1.1']);
    expect(outlines.slice(-11)).toEqual(['II', '1', '1.1', '1.2', '1.3', '1.4', '2', '2.1', '2.2', '2.3', '2.4']);
    expect(rows).toHaveLength(1 + 92 + 1); // 94 sample rows minus two wrapped lines and the total row
    // main max 85 + SIPAS 12; self 80.96 + bonus 4; appraisal 73.47 + bonus 4 (the sample typed 100, 85,915, 84,43)
    expect(rows[rows.length - 1]).toEqual(['', 'Tổng điểm', 97, 84.96, 77.47, '', '', '']);
    expect(rows[rows.length - 1].slice(2, 5)).toEqual([r.self.max, r.self.total, r.appraisal!.total]);
  });

  it('recomputes the group sums the sample got wrong', () => {
    expect(main('2').slice(2, 5)).toEqual([13, 13, 11.25]); // typed "12,25"
    expect(main('2.5').slice(2, 5)).toEqual([3, 3, 1.75]); // typed "2,75"
    expect(main('7').slice(2, 5)).toEqual([12, 10.46, 8.4]); // typed 11.96
    expect(main('6.2').slice(2, 5)).toEqual([4, 4, 4]); // typed max 3, children 1 + 3
    expect(main('2.6').slice(2, 5)).toEqual([1, 1, 1]); // "1.000" typed as text
  });

  it('agrees with the sample\'s "Duy trì"/"Khắc phục" on every leaf except the sample\'s own slips', () => {
    const sample = new Map<string, string>();
    let block = 0; // 1 once the numbering restarts after section II
    for (const s of SAMPLE_APPENDIX_ROWS) {
      if (s[0] === '') continue; // wrapped lines
      sample.set(`${block}:${s[0]}`, String(s[5]));
      if (s[0] === 'II') block = 1;
    }
    const differ: string[] = [];
    for (const e of remedyPlanEntries('UBND xã', r)) {
      if (e.kind !== 'leaf') continue;
      const c = e.criterion!;
      const key = `${c.block === 'main' ? 0 : 1}:${c.outline}`;
      if ((sample.get(key) ?? '') !== e.status)
        differ.push(`${c.block === 'main' ? '' : `${c.block} `}${c.outline}: ${sample.get(key) || '(trống)'} → ${e.status}`);
    }
    expect(differ).toEqual([
      '2.1: (trống) → Duy trì', // 2 of 2, left without a status
      '2.5.2: Duy trì → Khắc phục', // appraised 1 of 2
      '5.1.1: Duy trì → Khắc phục', // 0,5 of 1
      '7.2: (trống) → Khắc phục', // 0 of 1
      '7.6: Duy trì → Khắc phục', // 0,5 of 1
      'II: (trống) → Khắc phục', // SIPAS 0 of 12
    ]);
    // the bonus rows are kept up, the penalty rows (no penalty incurred) have no task
    expect(
      remedyPlanEntries('UBND xã', r)
        .filter((e) => e.criterion?.block === 'penalty')
        .map((e) => e.status),
    ).toEqual(['', '', '', '', '']);
  });
});

describe('the remedy-plan sheet', () => {
  const a = scored(sheet(['1', 'Nhóm A', 60], ['1.1', 'a', 60, 60, '', 'l', 50], ['2', 'b', 40, 40, '', 'l', 40]));
  const b = scored(sheet(['1', 'Nhóm A', 60], ['1.1', 'a', 60, 30, 'x', 'l'], ['2', 'b', 40, 'Chưa tính điểm']));
  const meta = { commune: 'Phước Chánh', field: 'CCHC' as const, year: 2026 };
  const layout = remedyPlanLayout(
    [
      { name: 'Đơn vị A', result: a },
      { name: 'Đơn vị B', result: b },
    ],
    meta,
  );

  it('has the appendix title rows, then one block per unit, all rows the same width', () => {
    const v = layout.values;
    expect(v[0][0]).toBe('PHỤ LỤC');
    expect(v[1][0]).toBe(
      'Nhiệm vụ duy trì, giải pháp khắc phục những tồn tại, hạn chế qua đánh giá, chấm điểm các tiêu chí, tiêu chí thành phần ' +
        'nhiệm vụ CCHC năm 2026',
    );
    expect(v[2][0]).toContain('của UBND xã Phước Chánh');
    for (const row of v) expect(row).toHaveLength(REMEDY_PLAN_HEADERS.length);
    expect(layout.titleRows).toEqual([1, 2, 3]);
    expect(layout.unitRows.map((r) => v[r - 1][1])).toEqual(['Đơn vị: Đơn vị A', 'Đơn vị: Đơn vị B']);
    expect(layout.headerRows.map((r) => v[r - 1])).toEqual([REMEDY_PLAN_HEADERS, REMEDY_PLAN_HEADERS]);
    expect(
      remedyPlanGrid(
        [
          { name: 'Đơn vị A', result: a },
          { name: 'Đơn vị B', result: b },
        ],
        meta,
      ),
    ).toEqual(v);
    const blockA = v.slice(layout.headerRows[0] - 1, layout.headerRows[0] - 1 + 5);
    expect(blockA).toEqual(remedyPlanRows('Đơn vị A', a));
  });

  it('bolds titles, unit names, headers, groups and totals but not the leaves', () => {
    const bold = new Set(layout.boldRows);
    const text = (r: number) => `${layout.values[r - 1][0]}|${layout.values[r - 1][1]}`;
    const boldTexts = layout.values
      .map((_, i) => i + 1)
      .filter((r) => bold.has(r))
      .map(text);
    expect(boldTexts).toEqual([
      'PHỤ LỤC|',
      `${layout.values[1][0]}|`,
      '|Đơn vị: Đơn vị A',
      'STT|Tiêu chí',
      '1|Nhóm A',
      '|Tổng điểm',
      '|Đơn vị: Đơn vị B',
      'STT|Tiêu chí',
      '1|Nhóm A',
      '|Tổng điểm',
    ]);
    const leafB = layout.values.find((x) => x[1] === 'b' && x[3] === 'Chưa tính điểm')!;
    expect(leafB.slice(5, 7)).toEqual([NOT_SCORED, 'Đơn vị B']);
  });

  it('says so when there is no unit', () => {
    const empty = remedyPlanLayout([], { commune: '', field: 'CDS', year: 2027 });
    expect(empty.values[1][0]).toMatch(/nhiệm vụ CDS năm 2027$/);
    expect(empty.values[2][0]).toMatch(/của UBND xã\)$/);
    expect(empty.values.some((x) => String(x[1]).startsWith('Không có biểu chấm điểm'))).toBe(true);
    expect(empty.headerRows).toEqual([]);
  });
});
