/**
 * Writing the live sheet through Apps Script: the plan's formulas (src/core/sheet/plan.ts) and the
 * highlight rules as conditional formats, with as few calls as possible and nothing when they are
 * already in place. The spreadsheet then computes every total, class and highlight as people type.
 *
 * Formulas are given to Apps Script with ';' between arguments (the core builds them so): Google
 * Sheets accepts ';' in every locale, in a Vietnamese spreadsheet (comma decimals) as in an
 * English one, and no formula carries a decimal literal.
 */
import { CLASSIFICATION_COLORS, CLASSIFICATIONS } from '../core/engine/classify';
import type { Finding, RuleCode } from '../core/engine/findings';
import type { ScoredSheet } from '../core/engine/score';
import { a1, mergeFromA1 } from '../core/engine/text';
import { type ArgSeparator, BLOCK_ROWS, FORMULA_MARK, type FormulaCell, isOwnFormula } from '../core/sheet/formulas';
import { type HighlightKey, isOwnRuleFormula } from '../core/sheet/highlights';
import { type SheetPlan, sameFormula } from '../core/sheet/plan';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** A conditional-format rule the add-on owns: a custom formula and a background on A1 ranges. */
export interface OwnRule {
  ranges: string[];
  formula: string;
  background: string;
}

/**
 * Writes the plan's table formulas (subtotals, the total row): one setFormulas per run of
 * consecutive planned cells in a column that holds at least one cell to write. A run covers only
 * cells of the plan (empty or ours), never a cell a person owns.
 */
export function writeTableFormulas(sheet: Sheet, plan: SheetPlan): void {
  const toWrite = new Set(plan.writes.map((c) => `${c.row}:${c.col}`));
  const byCol = new Map<number, FormulaCell[]>();
  for (const c of [...plan.writes, ...plan.inPlace]) {
    if (c.kind === 'block') continue;
    byCol.set(c.col, [...(byCol.get(c.col) ?? []), c]);
  }
  for (const [col, cells] of byCol) {
    cells.sort((x, y) => x.row - y.row);
    for (let i = 0; i < cells.length; ) {
      let j = i + 1;
      while (j < cells.length && cells[j].row === cells[j - 1].row + 1) j++;
      const run = cells.slice(i, j);
      if (run.some((c) => toWrite.has(`${c.row}:${c.col}`))) {
        // ';' between arguments: accepted by Sheets whatever the spreadsheet's locale.
        sheet.getRange(run[0].row, col + 1, run.length, 1).setFormulas(run.map((c) => [c.formula]));
      }
      i = j;
    }
  }
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

/** A rule of ours as the sheet holds it: its condition and colour (its ranges are not read back). */
export interface HeldRule {
  formula: string;
  background: string;
}

/** The sheet's conditional-format rules split into ours and a person's (kept as they are). */
export function readRules(sheet: Sheet): { ours: HeldRule[]; others: GoogleAppsScript.Spreadsheet.ConditionalFormatRule[] } {
  const ours: HeldRule[] = [];
  const others: GoogleAppsScript.Spreadsheet.ConditionalFormatRule[] = [];
  for (const rule of sheet.getConditionalFormatRules()) {
    const condition = rule.getBooleanCondition();
    const formula = condition?.getCriteriaValues()[0];
    if (condition && isOwnRuleFormula(formula)) ours.push({ formula: String(formula), background: condition.getBackground() ?? '' });
    else others.push(rule);
  }
  return { ours, others };
}

/**
 * Replaces the add-on's rules by `wanted` unless they are in place: the same conditions and
 * colours on the sheet, and the same rules (ranges included) as written last time, whose
 * fingerprint `written` the caller keeps. Ours go first (so a person's rule never hides a
 * finding), a person's rules after them in their order. Returns the fingerprint of `wanted`.
 */
export function syncRules(sheet: Sheet, current: ReturnType<typeof readRules>, wanted: readonly OwnRule[], written: string | null): string {
  const print = fingerprint(JSON.stringify(wanted));
  const inPlace =
    print === written &&
    current.ours.length === wanted.length &&
    current.ours.every(
      (r, i) => sameFormula(r.formula, wanted[i].formula) && r.background.toLowerCase() === wanted[i].background.toLowerCase(),
    );
  if (inPlace) return print;
  // Every range of every rule in one call, then handed out rule by rule.
  const ranges = wanted.length ? sheet.getRangeList(wanted.flatMap((r) => r.ranges)).getRanges() : [];
  let next = 0;
  const built = wanted.map((r) =>
    SpreadsheetApp.newConditionalFormatRule()
      .whenFormulaSatisfied(r.formula)
      .setBackground(r.background)
      .setRanges(ranges.slice(next, (next += r.ranges.length)))
      .build(),
  );
  sheet.setConditionalFormatRules([...built, ...current.others]);
  return print;
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
