/**
 * The sheet plan: what the add-on writes into a unit sheet — the formulas of its computed cells,
 * the result block and the highlight rules — given what the sheet holds now, and the findings
 * that follow from cells a person owns. One pure function for both shells (Apps Script and the
 * offline .xlsx writer), so they write exactly the same thing.
 *
 * Rules: a formula goes only into an empty cell or a cell holding a formula the add-on wrote
 * (recognised by its mark); a number, a text (even spaces only) or a formula a person typed is
 * never overwritten. A person's subtotal formula is checked against the group's children; a
 * typed number is already checked by the engine (subtotal-mismatch).
 */
import { findingAt, type Finding } from '../engine/findings';
import type { ScoredSheet } from '../engine/score';
import { a1 } from '../engine/text';
import { checkSubtotalFormula } from './formula-refs';
import { type FormulaCell, type FormulaOptions, isOwnFormula, sheetFormulas } from './formulas';
import { type HighlightRule, highlightRules } from './highlights';

/** What a cell holds now: its value as getValues gives it, and its formula ('' when none). */
export interface CellNow {
  value: unknown;
  formula: string;
}

export interface SheetPlan {
  /** Formulas to write: the cell is empty or holds an older formula of ours. */
  writes: FormulaCell[];
  /** Planned formulas already in place (nothing to write). */
  inPlace: FormulaCell[];
  /** Cells a person owns where a formula was planned (left alone). */
  kept: FormulaCell[];
  /** Findings about those cells, to add to the sheet's findings. */
  findings: Finding[];
  rules: HighlightRule[];
}

/** Formulas compared as the spreadsheet may show them: separators and spaces do not matter. */
export function sameFormula(a: string, b: string): boolean {
  const norm = (f: string) => f.replace(/\s+/g, '').replace(/;/g, ',').toUpperCase();
  return norm(a) === norm(b);
}

export function sheetPlan(
  result: ScoredSheet,
  block: { row: number; col: number },
  options: FormulaOptions,
  now: (row: number, col: number) => CellNow,
): SheetPlan {
  const plan: SheetPlan = { writes: [], inPlace: [], kept: [], findings: [], rules: highlightRules(result, options.sep) };
  const byRow = new Map(result.criteria.map((c) => [c.row, c]));
  const ours = (cell: CellNow) =>
    cell.formula ? isOwnFormula(cell.formula) : cell.value === '' || cell.value === null || cell.value === undefined;
  // The cells a person owns first: the formulas above them add up their children instead.
  const kept = new Set(
    sheetFormulas(result, block, options)
      .filter((c) => !ours(now(c.row, c.col)))
      .map((c) => `${c.row}:${c.col}`),
  );
  for (const cell of sheetFormulas(result, block, options, kept)) {
    const { formula } = now(cell.row, cell.col);
    if (!kept.has(`${cell.row}:${cell.col}`)) {
      (formula && sameFormula(formula, cell.formula) ? plan.inPlace : plan.writes).push(cell);
    } else {
      plan.kept.push(cell);
      const group = byRow.get(cell.row);
      if (formula && cell.kind === 'subtotal' && group) {
        const check = checkSubtotalFormula(result, group, cell.col, formula);
        if (check) {
          const parts = [
            ...(check.missing.length ? [`thiếu mục ${check.missing.map((c) => c.outline || `ở hàng ${c.row}`).join(', ')}`] : []),
            ...(check.extra.length ? [`cộng cả ô không phải mục con (${check.extra.map(cellName).join(', ')})`] : []),
            ...(check.elsewhere ? ['lấy số từ ngoài bảng'] : []),
          ];
          plan.findings.push(
            findingAt(
              'subtotal-formula',
              group,
              cell.col,
              `Công thức tổng chưa đúng: ${parts.join('; ')}. Công thức đúng: ${cell.formula.replace(/\+N\("[^"]*"\)/g, '')} ` +
                '(hoặc xóa ô để công cụ tự điền).',
            ),
          );
        }
      }
    }
  }
  return plan;
}

function cellName(key: string): string {
  const [row, col] = key.split(':').map(Number);
  return a1(row, col);
}
