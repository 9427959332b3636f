/**
 * What "Kiểm tra" writes to make the sheet live, beside the plan's formulas (src/core/sheet/plan.ts): the result
 * block's content, the class colours and which findings the highlight rules already show, and the fingerprints that
 * tell a sheet unchanged. check.ts writes them through the Sheets API; the spreadsheet then computes every total,
 * class and highlight as people type.
 *
 * Formulas are given to Apps Script with ';' between arguments (the core builds them so): Google
 * Sheets accepts ';' in every locale, in a Vietnamese spreadsheet (comma decimals) as in an
 * English one, and no formula carries a decimal literal.
 */
import { CLASSIFICATION_COLORS, CLASSIFICATIONS } from '../core/engine/classify';
import type { Finding, RuleCode } from '../core/engine/findings';
import type { ScoredSheet } from '../core/engine/score';
import { a1, mergeFromA1 } from '../core/engine/text';
import { type ArgSeparator, BLOCK_ROWS, FORMULA_MARK, isOwnFormula } from '../core/sheet/formulas';
import type { HighlightKey } from '../core/sheet/highlights';
import type { SheetPlan } from '../core/sheet/plan';

/** A conditional-format rule the add-on owns: a custom formula and a background on A1 ranges. */
export interface OwnRule {
  ranges: string[];
  formula: string;
  background: string;
}

/**
 * The result block's content, 10 × 3 as resultBlock lays it out, with its seven stage rows as the
 * plan's formulas (a cell a person owns keeps what it holds: its formula, else its value).
 */
export function blockContent(
  laidOut: readonly (readonly unknown[])[],
  plan: SheetPlan,
  top: { row: number; col: number },
  now: (row: number, col: number) => { value: unknown; formula: string },
): unknown[][] {
  const content = laidOut.map((r) => [...r]);
  for (const c of [...plan.writes, ...plan.inPlace]) {
    if (c.kind === 'block') content[c.row - top.row][c.col - top.col] = c.formula;
  }
  for (const c of plan.kept) {
    if (c.kind !== 'block') continue;
    const held = now(c.row, c.col);
    content[c.row - top.row][c.col - top.col] = held.formula || held.value;
  }
  return content;
}

/** The class cells of the result block coloured by class, as live rules (the class is a formula now). */
export function classRules(top: { row: number; col: number }, sep: ArgSeparator, width = 3): OwnRule[] {
  const row = top.row + 1 + BLOCK_ROWS.indexOf('Xếp loại');
  const first = a1(row, top.col + 1);
  return CLASSIFICATIONS.map((name) => ({
    ranges: [`${first}:${a1(row, top.col + width - 1)}`],
    formula: `=AND(${first}="${name}"${sep}N("${FORMULA_MARK}")=0)`,
    background: CLASSIFICATION_COLORS[name],
  }));
}

/** The engine's findings each live rule shows as people type. */
const LIVE_FINDINGS: Record<HighlightKey, readonly RuleCode[]> = {
  'above-max': ['score-above-max'],
  negative: ['score-negative'],
  'text-in-score': ['score-not-number', 'number-as-text'],
  'missing-explanation': ['missing-explanation'],
  'missing-evidence': ['missing-evidence'],
  'missing-adjust-reason': ['missing-adjust-reason'],
  'missing-final-reason': ['missing-final-reason'],
};

/**
 * Which findings a live rule already highlights (they need no static background). The rules
 * comparing a score with the max read numbers only, so on a row where a max or score is a
 * number typed as text only the text rule is counted on.
 */
export function liveHighlighted(result: ScoredSheet, rules: readonly { key: HighlightKey; ranges: string[] }[]): (f: Finding) => boolean {
  const lit = new Map<string, Set<RuleCode>>();
  for (const rule of rules) {
    for (const range of rule.ranges) {
      const m = mergeFromA1(range);
      for (let row = m.row; row < m.row + m.numRows; row++) {
        for (let col = m.col; col < m.col + m.numCols; col++) {
          const key = `${row}:${col}`;
          const set = lit.get(key) ?? new Set<RuleCode>();
          for (const code of LIVE_FINDINGS[rule.key]) set.add(code);
          lit.set(key, set);
        }
      }
    }
  }
  const textRows = new Set(
    result.criteria
      .filter((c) => [c.cells.max, c.cells.self, c.cells.appraisal].some((n) => n.kind === 'number' && n.asText))
      .map((c) => c.row),
  );
  return (f) =>
    (lit.get(`${f.row}:${f.col}`)?.has(f.rule) ?? false) &&
    (f.rule === 'score-not-number' || f.rule === 'number-as-text' || !textRows.has(f.row));
}

/**
 * The values an older version wrote into computed cells, from the per-sheet record it kept
 * ("D12=13;D20=4.5"): a cell still holding its recorded value is the add-on's, to be given its
 * formula; any other content is a person's. Read once per sheet, then the record is deleted.
 */
export function legacyValues(text: string | null): Map<string, number> | null {
  if (text === null) return null;
  const owned = new Map<string, number>();
  for (const part of text.split(';')) {
    const m = /^([A-Z]+\d+)=(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)$/.exec(part);
    if (m) owned.set(m[1], Number(m[2]));
  }
  return owned;
}

/**
 * The fingerprint of what a check of the table depends on: its values and formulas, the cells
 * holding our formulas counted by their formula only (their values follow from the rest), and
 * the settings used. The result block is left out (it shows the time of the check).
 */
export function tableFingerprint(
  values: readonly (readonly unknown[])[],
  formulas: readonly (readonly string[])[],
  cols: number,
  settings: unknown,
): string {
  // Each cell as [value, formula], trailing empty cells of a row left out (the gap before the block).
  const table = values.map((row, r) => {
    const cells = row.slice(0, cols).map((v, c) => {
      const f = formulas[r]?.[c] ?? '';
      return [isOwnFormula(f) ? '' : v, f];
    });
    while (cells.length && cells[cells.length - 1][0] === '' && cells[cells.length - 1][1] === '') cells.pop();
    return cells;
  });
  return fingerprint(JSON.stringify([table, settings]));
}

/** A short fingerprint of a text (53-bit hash, base 36), to notice a change without keeping the text. */
export function fingerprint(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
