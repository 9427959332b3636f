/**
 * Formulas a file holds without their result (workbooks written by scripts such as openpyxl, which
 * do not calculate) are computed here with fast-formula-parser, over the values of the whole
 * workbook and in the order of their dependencies. A formula stays an UncomputedFormula, which the
 * core reports as "công thức chưa có kết quả", when it cannot be computed faithfully: a function
 * the engine lacks or that changes on every calculation, a defined name, a sheet that does not
 * exist, a cycle, a reference to another formula left uncomputed, or the work budget spent.
 */
import { UncomputedFormula } from '../../core/engine/numbers';
import { isDate } from '../../core/engine/text';

/** A formula cell without a result; `row` and `col` are 1-based. Its grid cell holds an UncomputedFormula. */
export interface PendingFormula {
  sheet: string;
  row: number;
  col: number;
  /** Without the leading "=". */
  formula: string;
}

interface CellRef {
  sheet?: string;
  row: number;
  col: number;
}
interface RangeRef {
  sheet?: string;
  from: { row: number; col: number };
  to: { row: number; col: number };
}
interface FormulaErrorLike {
  readonly error: string;
}
interface FormulaLib {
  new (config: {
    onCell: (ref: CellRef) => unknown;
    onRange: (ref: RangeRef) => unknown[][];
    onVariable: () => null;
  }): { parse(formula: string, position: CellRef): unknown };
  DepParser: new (config: { onVariable: () => null }) => { parse(formula: string, position: CellRef): (CellRef | RangeRef)[] };
  FormulaError: new (error: string) => FormulaErrorLike;
}

export const FORMULA_LIMITS = {
  /** Formulas computed per workbook (about 0.2 ms each). */
  formulas: 5_000,
  /** Cells read by all formulas together. */
  reads: 5_000_000,
  /** Dependencies between uncomputed formulas. */
  edges: 1_000_000,
};

/** Functions whose result is not a fact about the workbook. */
const VOLATILE = /\b(RAND|RANDBETWEEN|WEBSERVICE|NOW|TODAY|INFO|CELL)\s*\(/i;
const ERROR_TEXT = /^#(REF!|N\/A|VALUE!|DIV\/0!|NAME\?|NUM!|NULL!)$/;
/** Excel's serial day 0 (1899-12-30) in the 1900 date system. */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

class Blocked extends Error {}

export interface FormulaReport {
  pending: number;
  computed: number;
}

/** Replaces the UncomputedFormula of each pending cell in `grids` (by sheet name) with its result when it can. */
export function computeFormulas(grids: ReadonlyMap<string, unknown[][]>, pending: readonly PendingFormula[]): FormulaReport {
  if (pending.length === 0) return { pending: 0, computed: 0 };
  // Loaded only when needed: the engine takes most of a second to load.
  const lib = require('fast-formula-parser') as FormulaLib;
  const bySheet = new Map<string, unknown[][]>();
  for (const [name, grid] of grids) bySheet.set(name.toLowerCase(), grid);
  const todo = pending
    .slice(0, FORMULA_LIMITS.formulas)
    .filter((p) => bySheet.get(p.sheet.toLowerCase())?.[p.row - 1]?.[p.col - 1] instanceof UncomputedFormula && !VOLATILE.test(p.formula));
  let reads = 0;
  let blocked = false;
  const gridOf = (sheet: string | undefined, at: CellRef): unknown[][] => {
    const grid = bySheet.get((sheet ?? at.sheet ?? '').toLowerCase());
    if (!grid) throw new Blocked('sheet');
    return grid;
  };
  const input = (value: unknown): unknown => {
    if (value instanceof UncomputedFormula) {
      blocked = true;
      return null;
    }
    if (value === '' || value === undefined) return null;
    if (isDate(value)) return (value.getTime() - EXCEL_EPOCH) / 86_400_000;
    if (typeof value === 'string' && ERROR_TEXT.test(value)) return new lib.FormulaError(value);
    return value;
  };
  let position: CellRef = { sheet: '', row: 1, col: 1 };
  const parser = new lib({
    onCell: (ref) => {
      if (++reads > FORMULA_LIMITS.reads) throw new Blocked('budget');
      return input(gridOf(ref.sheet, position)[ref.row - 1]?.[ref.col - 1]);
    },
    onRange: (ref) => {
      const grid = gridOf(ref.sheet, position);
      const lastRow = Math.min(ref.to.row, grid.length);
      let lastCol = ref.from.col - 1;
      for (let r = ref.from.row; r <= lastRow; r++) lastCol = Math.max(lastCol, Math.min(ref.to.col, grid[r - 1]?.length ?? 0));
      const rows: unknown[][] = [];
      for (let r = ref.from.row; r <= lastRow; r++) {
        reads += lastCol - ref.from.col + 1;
        if (reads > FORMULA_LIMITS.reads) throw new Blocked('budget');
        const row: unknown[] = [];
        for (let c = ref.from.col; c <= lastCol; c++) row.push(input(grid[r - 1]?.[c - 1]));
        rows.push(row);
      }
      return rows;
    },
    onVariable: () => {
      blocked = true;
      return null;
    },
  });

  const evaluate = (p: PendingFormula): boolean => {
    const grid = bySheet.get(p.sheet.toLowerCase())!;
    blocked = false;
    position = { sheet: p.sheet, row: p.row, col: p.col };
    let result: unknown;
    try {
      result = parser.parse(p.formula, position);
    } catch {
      return false;
    }
    const value = output(result);
    if (blocked || value === undefined) return false;
    grid[p.row - 1][p.col - 1] = value;
    return true;
  };

  let computed = 0;
  let left = dependencyOrder(lib, todo);
  // A dependency the order missed shows as a blocked read: try those again while it helps.
  for (let pass = 0; pass < 3 && left.length > 0 && reads <= FORMULA_LIMITS.reads; pass++) {
    const failed = left.filter((p) => !evaluate(p));
    computed += left.length - failed.length;
    if (failed.length === left.length) break;
    left = failed;
  }
  return { pending: pending.length, computed };
}

/** A result as a cell value; undefined when it is not one a cell can show faithfully. */
function output(result: unknown): unknown {
  if (result === null || result === undefined) return 0;
  if (typeof result === 'number') return Number.isFinite(result) ? result : '#NUM!';
  if (typeof result === 'string' || typeof result === 'boolean') return result;
  if (result instanceof Error && typeof (result as unknown as FormulaErrorLike).error === 'string') {
    const error = (result as unknown as FormulaErrorLike).error;
    return ERROR_TEXT.test(error) && error !== '#NAME?' ? error : undefined;
  }
  return undefined;
}

/** Pending formulas with each one after those it reads (Kahn's order); formulas in a cycle last. */
function dependencyOrder(lib: FormulaLib, todo: readonly PendingFormula[]): PendingFormula[] {
  const index = new Map<string, number>();
  todo.forEach((p, i) => index.set(`${p.sheet.toLowerCase()}!${p.row}:${p.col}`, i));
  const rowsBySheet = new Map<string, number[]>();
  for (const [i, p] of todo.entries()) {
    const list = rowsBySheet.get(p.sheet.toLowerCase()) ?? [];
    list.push(i);
    rowsBySheet.set(p.sheet.toLowerCase(), list);
  }
  for (const list of rowsBySheet.values()) list.sort((a, b) => todo[a].row - todo[b].row);

  const dependents: number[][] = todo.map(() => []);
  const waiting = todo.map(() => 0);
  const deps = new lib.DepParser({ onVariable: () => null });
  let edges = 0;
  const link = (from: number, to: number) => {
    if (++edges > FORMULA_LIMITS.edges) return;
    dependents[from].push(to);
    waiting[to]++;
  };
  todo.forEach((p, i) => {
    let refs: (CellRef | RangeRef)[] = [];
    try {
      refs = deps.parse(p.formula, { sheet: p.sheet, row: p.row, col: p.col });
    } catch {
      return;
    }
    for (const ref of refs) {
      const sheet = (ref.sheet ?? p.sheet).toLowerCase();
      if ('from' in ref) {
        const list = rowsBySheet.get(sheet) ?? [];
        let lo = 0;
        let hi = list.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (todo[list[mid]].row < ref.from.row) lo = mid + 1;
          else hi = mid;
        }
        for (let k = lo; k < list.length && todo[list[k]].row <= ref.to.row; k++) {
          const q = todo[list[k]];
          if (q.col >= ref.from.col && q.col <= ref.to.col) link(list[k], i);
        }
      } else {
        const j = index.get(`${sheet}!${ref.row}:${ref.col}`);
        if (j !== undefined) link(j, i);
      }
    }
  });
  const order: number[] = [];
  for (let i = 0; i < todo.length; i++) if (waiting[i] === 0) order.push(i);
  for (let k = 0; k < order.length; k++) {
    for (const j of dependents[order[k]]) if (--waiting[j] === 0) order.push(j);
  }
  const placed = new Set(order);
  // Formulas in a cycle (or past the edge budget) are still tried last: a read of an uncomputed cell blocks them.
  const rest = [...todo.keys()].filter((i) => !placed.has(i));
  return [...order, ...rest].map((i) => todo[i]);
}
