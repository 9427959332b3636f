/**
 * The live sheet offline: for each scored sheet of a workbook, the same sheet plan the add-on
 * applies (src/core/sheet/plan.ts) — where the result block goes, which formulas go into which
 * cells and the value each shows until the spreadsheet recalculates, the block's labels, the
 * highlight rules and the score validation. Read from the workbook as exceljs loaded it; written
 * into the package by write.ts.
 */
import ExcelJS from 'exceljs';
import { type Finding, pendingOf } from '../../core/engine/findings';
import { type Criterion, type ScoredSheet, type Stage, STAGES, type StageResult } from '../../core/engine/score';
import { fromMicro } from '../../core/engine/decimal';
import { a1 } from '../../core/engine/text';
import type { ParsedSettings } from '../../core/settings/settings';
import { BLOCK_ROWS, type BlockRow, type FormulaCell, formulaOptionsOf } from '../../core/sheet/formulas';
import { type CellNow, type SheetPlan, sheetPlan } from '../../core/sheet/plan';
import { findResultBlock, RESULT_ROWS, resultBlockOf, resultCols } from '../../core/sheet/result-block';
import type { WorkbookScore } from '../../core/sheet/workbook';
import type { Io } from '../args';
import type { LoadedWorkbook } from '../inputs';
import { count } from './check';
import { shownValue } from './read';

/** One cell the add-on writes a formula into, with the value it shows until recalculated (null: none). */
export interface LiveFormula {
  ref: string;
  formula: string;
  cached: number | string | null;
}

/** A text of the result block: the title row, the labels, and the 'Còn thiếu'/'Cập nhật lúc' values. */
export interface BlockText {
  ref: string;
  text: string;
  /** The block's own value cell (rewritten on every run); labels are only written into empty cells. */
  refresh: boolean;
  /** The background the add-on gives it (the title row and the labels), as ARGB. */
  fill: string | null;
}

/** Score cells sharing one maximum, for one data validation. */
export interface ScoreValidation {
  max: number;
  refs: string[];
}

/** Excel refuses a formula longer than this (it "repairs" the whole file by dropping it). */
export const EXCEL_FORMULA_CHARS = 8192;

export interface LiveSheet {
  name: string;
  /** The result block's title cell (1-based row, 0-based column), and whether the sheet had it already. */
  block: { row: number; col: number; found: boolean };
  plan: SheetPlan;
  formulas: LiveFormula[];
  texts: BlockText[];
  validations: ScoreValidation[];
  /** The engine's findings and the plan's, without the mismatches that rewriting our own cells fixes. */
  findings: Finding[];
  /** Cells left without their formula, too long for Excel. */
  tooLong: string[];
}

const EMPTY: CellNow = { value: '', formula: '' };
/** What a cell inside a merged area (not its top-left) holds for the plan: never empty. */
const MERGED: CellNow = { value: '(ô gộp)', formula: '' };

/** A cell as the plan reads it: its value as shown (text with only spaces included) and its formula. */
function cellNow(ws: ExcelJS.Worksheet, row: number, col: number): CellNow {
  const cell = ws.findCell(row, col + 1);
  if (!cell) return EMPTY;
  if (cell.type === ExcelJS.ValueType.Merge) return MERGED;
  const formula = cell.type === ExcelJS.ValueType.Formula && cell.formula ? `=${cell.formula.replace(/_xl(?:fn|ws)\./gi, '')}` : '';
  return { value: shownValue(cell), formula };
}

const isEmpty = (c: CellNow) => c.formula === '' && (c.value === '' || c.value === null || c.value === undefined);

/**
 * Where the add-on puts the result block: where the sheet already has one, else beside the table
 * on its header row, one column right of the data (as src/gas/check.ts does), moved further right
 * past any cell the grid did not hold (a far cell, spaces) so that it never covers one.
 */
function blockPosition(ws: ExcelJS.Worksheet, grid: readonly (readonly unknown[])[], result: ScoredSheet): LiveSheet['block'] {
  const found = findResultBlock(grid);
  if (found) return { row: found.row + 1, col: found.col, found: true };
  const width = Math.max(0, ...grid.map((r) => r.length));
  const free = (col: number) => {
    for (let r = 0; r < RESULT_ROWS; r++)
      for (let c = 0; c < resultCols(result); c++) if (!isEmpty(cellNow(ws, result.headerRow + r, col + c))) return false;
    return true;
  };
  let col = width + 1;
  while (col + resultCols(result) <= 16384 && !free(col)) col++;
  return { row: result.headerRow, col, found: false };
}

/** The stages with a column, in the block's column order. */
function stagesOf(result: ScoredSheet): Stage[] {
  return STAGES.filter((s) => result.columns[s] !== undefined);
}

const BLOCK_VALUE: Record<BlockRow, (s: StageResult) => number | string> = {
  'Điểm tối đa áp dụng': (s) => s.applicableMax,
  'Điểm chính': (s) => s.main,
  'Điểm cộng': (s) => s.bonus,
  'Điểm trừ': (s) => s.penalty,
  'Tổng điểm': (s) => s.total,
  'Tỷ lệ (%)': (s) => s.percent,
  'Xếp loại': (s) => s.classification,
};

/**
 * The value each planned formula shows, from the engine: a subtotal's points, the stage's total,
 * the result block's figures. Blank where the formula is blank: an appraisal subtotal until one of
 * its children shows a number, the appraisal total and block until the appraisal has begun.
 */
function engineValues(
  result: ScoredSheet,
  block: { row: number; col: number },
  plan: SheetPlan,
  now: (row: number, col: number) => CellNow,
): (cell: FormulaCell) => number | string | null {
  const stages = stagesOf(result);
  const stageAt = (col: number) => stages.find((s) => result.columns[s] === col);
  const byRow = new Map(result.criteria.map((c) => [c.row, c]));
  const keys = (list: readonly FormulaCell[]) => new Set(list.map((c) => `${c.row}:${c.col}`));
  const planned = keys([...plan.writes, ...plan.inPlace]);
  const kept = keys(plan.kept);
  // Whether a child counts as begun for its group's blank rule (COUNT over the children's cells,
  // through a kept group to its own children), our planned subtotals included.
  const shows = new Map<string, boolean>();
  const begun = (c: Criterion, stage: Stage): boolean => {
    const col = result.columns[stage] as number;
    const key = `${c.row}:${col}`;
    const known = shows.get(key);
    if (known !== undefined) return known;
    const anyChild = () => c.children.some((k) => begun(result.criteria[k], stage));
    // A final score is begun where the appraisal is (a criterion without one takes its appraisal).
    const typed = () => typeof now(c.row, col).value === 'number' || (stage === 'final' && begun(c, 'appraisal'));
    const out = kept.has(key) ? anyChild() : planned.has(key) ? stage === 'self' || anyChild() : typed();
    shows.set(key, out);
    return out;
  };
  return (cell) => {
    if (cell.kind === 'block') {
      const stage = STAGES[cell.col - block.col - 1];
      const s = stage && result[stage];
      return s ? BLOCK_VALUE[BLOCK_ROWS[cell.row - block.row - 1]](s) : '';
    }
    const stage = stageAt(cell.col);
    const s = stage && result[stage];
    if (!stage || !s) return '';
    if (cell.kind === 'total') return s.total;
    const group = byRow.get(cell.row);
    if (!group) return null;
    return stage === 'self' || group.children.some((k) => begun(result.criteria[k], stage)) ? fromMicro(group.points[stage]) : '';
  };
}

/** The score cells the add-on validates (as src/gas/check.ts): leaves with a number as max, not penalties, in both stages. */
function scoreValidations(result: ScoredSheet): ScoreValidation[] {
  const byMax = new Map<number, string[]>();
  for (const c of result.criteria) {
    if (c.children.length > 0 || c.cells.max.kind !== 'number' || c.block === 'penalty') continue;
    for (const stage of stagesOf(result)) {
      const refs = byMax.get(c.cells.max.value) ?? [];
      refs.push(a1(c.row, result.columns[stage] as number));
      byMax.set(c.cells.max.value, refs);
    }
  }
  return [...byMax].map(([max, refs]) => ({ max, refs }));
}

/** dd/MM/yyyy HH:mm in local time, as the add-on writes 'Cập nhật lúc'. */
function formatNow(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(now.getDate())}/${p(now.getMonth() + 1)}/${now.getFullYear()} ${p(now.getHours())}:${p(now.getMinutes())}`;
}

/** The block's texts: the title row, the labels and the two value cells written as text. */
function blockTexts(result: ScoredSheet, findings: readonly Finding[], block: { row: number; col: number }, now: Date): BlockText[] {
  const { values, backgrounds } = resultBlockOf(result, pendingOf(findings), formatNow(now));
  const out: BlockText[] = [];
  values.forEach((row, r) => {
    row.forEach((value, c) => {
      const isLabel = r === 0 || c === 0;
      const isText = r > BLOCK_ROWS.length && c === 1;
      if (!(isLabel || isText) || value === '') return;
      // The values' backgrounds are left out: a class colour written once would be wrong after the next edit.
      const fill = isLabel ? `FF${backgrounds[r][c].slice(1).toUpperCase()}` : null;
      out.push({ ref: a1(block.row + r, block.col + c), text: String(value), refresh: isText, fill });
    });
  });
  return out;
}

/** The live plan of every scored sheet. `settingsSheet` is the workbook's settings sheet, if it has one. */
export function livePlans(
  wb: ExcelJS.Workbook,
  grids: ReadonlyMap<string, readonly (readonly unknown[])[]>,
  scored: WorkbookScore,
  parsed: ParsedSettings,
  settingsSheet: string | null,
  now: Date = new Date(),
): LiveSheet[] {
  // Without a settings sheet the thresholds and bonus cap are written as numbers.
  const options = formulaOptionsOf(settingsSheet ? parsed : { ...parsed, found: false }, settingsSheet ?? '', ',');
  return scored.sheets.flatMap(({ name, result }) => {
    const ws = wb.getWorksheet(name);
    if (!ws) return [];
    const at = (row: number, col: number) => cellNow(ws, row, col);
    const block = blockPosition(ws, grids.get(name) ?? [], result);
    const plan = sheetPlan(result, block, options, at);
    const own = [...plan.writes, ...plan.inPlace];
    const value = engineValues(result, block, plan, at);
    const rewritten = new Set(own.map((c) => a1(c.row, c.col)));
    const findings = [...result.findings, ...plan.findings]
      .filter((f) => !(rewritten.has(f.cell) && (f.rule === 'subtotal-mismatch' || f.rule === 'total-mismatch')))
      .sort((a, b) => a.row - b.row || a.col - b.col);
    // Our own formulas already in place are written again: the value they show may be stale.
    const formulas = own.map((c) => ({ ref: a1(c.row, c.col), formula: c.formula, cached: value(c) }));
    // "=" is not stored: the limit is on the rest.
    const fits = (f: LiveFormula) => f.formula.length - 1 <= EXCEL_FORMULA_CHARS;
    return [
      {
        name,
        block,
        plan,
        formulas: formulas.filter(fits),
        tooLong: formulas.filter((f) => !fits(f)).map((f) => f.ref),
        texts: blockTexts(result, findings, block, now),
        validations: scoreValidations(result),
        findings,
      },
    ];
  });
}

/**
 * The live plans of a loaded workbook's scored sheets, for a copy written with `--out`; a cell whose formula is too
 * long for Excel is said on stderr.
 */
export function liveCopyPlans(
  loaded: Pick<LoadedWorkbook, 'wb' | 'inputs' | 'parsed' | 'settingsSheet' | 'scored'>,
  io: Pick<Io, 'err'>,
): LiveSheet[] {
  const grids = new Map(loaded.inputs.map((s) => [s.name, s.grid]));
  const live = livePlans(loaded.wb, grids, loaded.scored, loaded.parsed, loaded.settingsSheet);
  for (const s of live.filter((l) => l.tooLong.length))
    io.err(
      `Lưu ý: trang "${s.name}": công thức tự tính ở ô ${s.tooLong.join(', ')} dài quá ${count(EXCEL_FORMULA_CHARS)} ký tự, ` +
        'Excel không nhận nên không ghi. Khối kết quả của trang này sẽ không tự tính đúng khi sửa điểm trong tệp: ' +
        'hãy chạy lại lệnh sau mỗi lần sửa.',
    );
  return live;
}
