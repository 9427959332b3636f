import { FORMULA_MARK, type FormulaOptions } from '../../../src/core/sheet/formulas';
import { referencedCells } from '../../../src/core/sheet/formula-refs';
import { type CellNow, sameFormula, sheetPlan } from '../../../src/core/sheet/plan';
import { scored, sheet } from '../../helpers';

const OPTIONS: FormulaOptions = { sep: ';', thresholds: { excellent: 90, good: 80, fair: 65, average: 50 }, bonusCap: 4 };

// rows: 3 group 1, 4 leaf 1.1, 5 leaf 1.2, 6 group 2, 7 leaf 2.1, 8 total
const grid = () =>
  sheet(
    ['1', 'Nhóm 1', 6, ''],
    ['1.1', 'a', 3, 1],
    ['1.2', 'b', 3, 2],
    ['2', 'Nhóm 2', 4, ''],
    ['2.1', 'c', 4, 4],
    ['', 'Tổng cộng', '', ''],
  );

function planWith(cells: Record<string, CellNow>) {
  const result = scored(grid());
  return sheetPlan(result, { row: result.headerRow, col: 10 }, OPTIONS, (row, col) => cells[`${row}:${col}`] ?? { value: '', formula: '' });
}

test('empty computed cells get formulas; the result block too', () => {
  const p = planWith({});
  expect(p.writes.filter((c) => c.kind === 'subtotal').map((c) => `${c.row}:${c.col}`)).toEqual(['3:3', '3:6', '6:3', '6:6']);
  expect(p.writes.some((c) => c.kind === 'total' && c.row === 8)).toBe(true);
  // Seven rows, one column per stage (self and appraisal).
  expect(p.writes.filter((c) => c.kind === 'block')).toHaveLength(14);
  expect(p.kept).toEqual([]);
});

test('a number, spaces or a person’s formula are kept; a wrong formula is a finding with the right one', () => {
  const p = planWith({
    '3:3': { value: 3, formula: '=SUM(D4)' },
    '6:3': { value: '  ', formula: '' },
    '8:3': { value: 7, formula: '' },
  });
  expect(p.kept.map((c) => `${c.row}:${c.col}`).sort()).toEqual(['3:3', '6:3', '8:3']);
  expect(p.findings).toHaveLength(1);
  expect(p.findings[0]).toMatchObject({ rule: 'subtotal-formula', row: 3, col: 3 });
  expect(p.findings[0].message).toContain('thiếu mục 1.2');
  expect(p.findings[0].message).not.toContain(FORMULA_MARK);
});

test('our own formula in place is left; an older one of ours is rewritten', () => {
  const first = planWith({});
  const sub = first.writes.find((c) => c.row === 3)!;
  const again = planWith({ '3:3': { value: 3, formula: sub.formula.replace(/;/g, ', ') } });
  expect(again.inPlace.map((c) => c.row)).toContain(3);
  const stale = planWith({ '3:3': { value: 1, formula: `=SUM(D4)+N("${FORMULA_MARK}")` } });
  expect(stale.writes.map((c) => c.row)).toContain(3);
  expect(stale.findings).toEqual([]);
});

test('formulas compare without regard to separators, spaces and case', () => {
  expect(sameFormula('=SUM(D4; D5)', '=sum(D4,D5)')).toBe(true);
  expect(sameFormula('=SUM(D4,D5)', '=SUM(D4,D6)')).toBe(false);
});

test('a typed subtotal is kept, and every formula above it adds up its children instead of it', () => {
  // Group 1 (row 3) typed 5 while its children make 3: the total must not take the 5.
  const p = planWith({ '3:3': { value: 5, formula: '' } });
  expect(p.kept.map((c) => `${c.row}:${c.col}`)).toEqual(['3:3']);
  const cellsOf = (f: string) => [...referencedCells(f).cells].sort();
  const selfTotal = p.writes.find((c) => c.kind === 'total' && c.col === 3)!;
  expect(cellsOf(selfTotal.formula)).toEqual(expect.arrayContaining(['4:3', '5:3', '6:3']));
  expect(cellsOf(selfTotal.formula)).not.toContain('3:3');
  // The appraisal column of group 1 is not typed: it is still referred to.
  const appraisalTotal = p.writes.find((c) => c.kind === 'total' && c.col === 6)!;
  expect(cellsOf(appraisalTotal.formula)).toContain('3:6');
  // Without the typed cell, the group's own cell is what the total adds up.
  const plain = planWith({}).writes.find((c) => c.kind === 'total' && c.col === 3)!;
  expect(cellsOf(plain.formula)).toContain('3:3');
  expect(cellsOf(plain.formula)).not.toContain('4:3');
});
