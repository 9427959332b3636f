/**
 * Checking a subtotal formula a person typed: which cells of its own sheet it adds up, against
 * the group's children. A formula that misses a child or adds a cell that is not a child is
 * reported with the formula the add-on would write.
 */
import type { Criterion, ScoredSheet } from '../engine/score';

/** More cells than any score table has: a range beyond this is reported, not expanded. */
const MAX_EXPANDED = 20_000;

function colIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** A reference not in quotes: optional sheet, cell, optional ":cell". */
const REF = /(?:('(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?/g;

export interface FormulaCells {
  /** Cells of the formula's own sheet, as "row:col" (1-based row, 0-based column). */
  cells: Set<string>;
  /** True when it refers to another sheet or to a range too large to list. */
  elsewhere: boolean;
}

/** The cells a formula refers to. String literals are skipped; function names are not references. */
export function referencedCells(formula: string): FormulaCells {
  const out: FormulaCells = { cells: new Set(), elsewhere: false };
  const code = formula.replace(/"(?:[^"]|"")*"/g, '""');
  for (const m of code.matchAll(REF)) {
    const next = code[(m.index ?? 0) + m[0].length];
    if (next === '(') continue; // LOG10(…) is a function, not cell LOG10
    if (m[1]) {
      out.elsewhere = true;
      continue;
    }
    const [c1, r1] = [colIndex(m[2]), Number(m[3])];
    const [c2, r2] = m[4] ? [colIndex(m[4]), Number(m[5])] : [c1, r1];
    const rows = Math.abs(r2 - r1) + 1;
    const cols = Math.abs(c2 - c1) + 1;
    if (rows * cols > MAX_EXPANDED) {
      out.elsewhere = true;
      continue;
    }
    for (let r = Math.min(r1, r2); r <= Math.max(r1, r2); r++) {
      for (let c = Math.min(c1, c2); c <= Math.max(c1, c2); c++) out.cells.add(`${r}:${c}`);
    }
  }
  return out;
}

export interface SubtotalFormulaCheck {
  /** Children the formula leaves out. */
  missing: Criterion[];
  /** Cells it adds that are not children ("row:col"). */
  extra: string[];
  elsewhere: boolean;
}

/** How a person's subtotal formula in `col` of group `group` differs from "the sum of its children". */
export function checkSubtotalFormula(result: ScoredSheet, group: Criterion, col: number, formula: string): SubtotalFormulaCheck | null {
  const refs = referencedCells(formula);
  const children = group.children.map((k) => result.criteria[k]);
  const childCells = new Set(children.map((c) => `${c.row}:${col}`));
  const missing = children.filter((c) => !refs.cells.has(`${c.row}:${col}`));
  const extra = [...refs.cells].filter((k) => !childCells.has(k));
  if (missing.length === 0 && extra.length === 0 && !refs.elsewhere) return null;
  return { missing, extra, elsewhere: refs.elsewhere };
}
