/**
 * Live highlights: the conditional-format rules the add-on owns on a unit sheet. The spreadsheet
 * applies them as people type, for every editor, with no script; "Kiểm tra và tính điểm" only
 * replaces them when the table's structure changes. Each rule carries the formula mark, so the
 * add-on replaces its own rules and never a person's.
 *
 * A rule's formula is relative to the top-left cell of its first range (as Sheets, Excel and
 * LibreOffice read a custom-formula rule), with the criterion's other columns anchored by `$`.
 */
import type { Severity } from '../engine/findings';
import { type Criterion, type ScoredSheet, STAGES } from '../engine/score';
import { columnLetter } from '../engine/text';
import { type ArgSeparator, FORMULA_MARK } from './formulas';
import { HIGHLIGHT } from './notes';
import { runs } from '../engine/numbers';

export type HighlightKey =
  | 'above-max'
  | 'negative'
  | 'text-in-score'
  | 'missing-explanation'
  | 'missing-evidence'
  | 'missing-adjust-reason'
  | 'missing-final-reason';

export interface HighlightRule {
  key: HighlightKey;
  /** A1 ranges, e.g. ["D9:D12", "D14"]. */
  ranges: string[];
  /** The condition, starting with "=", relative to the first range's top-left cell. */
  formula: string;
  /** Background colour (#rrggbb) when the condition holds. */
  background: string;
  severity: Severity;
}

/** The rule's formula and whether a formula is one of ours (the mark, whatever the separators). */
export function isOwnRuleFormula(formula: unknown): boolean {
  // Spaces are dropped from both sides: the mark itself has spaces, and a locale may show some more.
  return typeof formula === 'string' && formula.replace(/\s+/g, '').includes(`N("${FORMULA_MARK}")=0`.replace(/\s+/g, ''));
}

/** The add-on's highlight rules for a scored sheet (empty when the table lacks the columns). */
export function highlightRules(result: ScoredSheet, sep: ArgSeparator): HighlightRule[] {
  const cols = result.columns;
  if (cols.max === undefined || cols.self === undefined) return [];
  const call = (name: string, ...args: string[]) => `${name}(${args.join(sep)})`;
  const and = (...conditions: string[]) => `=${call('AND', ...conditions, `N("${FORMULA_MARK}")=0`)}`;
  const leaves = result.criteria.filter((c) => c.children.length === 0 && !(c.block === 'bonus' && c.isBlockHeader));
  const scored = leaves.filter((c: Criterion) => c.cells.max.kind === 'number');
  const rows = (list: readonly Criterion[]) => runs(list.map((c) => c.row));
  const rangesIn = (col: number, list: readonly Criterion[]) =>
    rows(list).map(([a, b]) => (a === b ? `${columnLetter(col)}${a}` : `${columnLetter(col)}${a}:${columnLetter(col)}${b}`));
  const first = (list: readonly Criterion[]) => rows(list)[0]?.[0] ?? result.headerRow + 1;
  /** Column `col` of the first row: relative ("D9") or anchored to its column ("$D9"). */
  const at = (col: number | undefined, list: readonly Criterion[], anchored = true) =>
    col === undefined ? '' : `${anchored ? '$' : ''}${columnLetter(col)}${first(list)}`;
  const out: HighlightRule[] = [];
  const add = (key: HighlightKey, severity: Severity, col: number | undefined, list: readonly Criterion[], formula: string) => {
    if (col === undefined || list.length === 0) return;
    out.push({ key, ranges: rangesIn(col, list), formula, background: HIGHLIGHT[severity], severity });
  };

  for (const stage of STAGES) {
    const col = cols[stage];
    if (col === undefined) continue;
    const me = at(col, scored, false);
    const max = at(cols.max, scored);
    add('above-max', 'error', col, scored, and(call('ISNUMBER', me), `${me}>${max}`));
    const meAll = at(col, leaves, false);
    add('negative', 'error', col, leaves, and(call('ISNUMBER', meAll), `${meAll}<0`));
    add('text-in-score', 'warning', col, leaves, and(call('ISTEXT', meAll), `${meAll}<>"Chưa tính điểm"`, `${meAll}<>"Không áp dụng"`));
  }

  const mainScored = scored.filter((c) => c.block === 'main');
  const self = (list: readonly Criterion[]) => at(cols.self, list);
  const blank = (col: number | undefined, list: readonly Criterion[]) => `${call('LEN', call('TRIM', at(col, list, false)))}=0`;
  add(
    'missing-explanation',
    'warning',
    cols.explanation,
    mainScored,
    and(call('ISNUMBER', self(mainScored)), `${self(mainScored)}<${at(cols.max, mainScored)}`, blank(cols.explanation, mainScored)),
  );
  const evidenced = leaves.filter((c) => c.block !== 'penalty');
  add(
    'missing-evidence',
    'warning',
    cols.evidence,
    evidenced,
    and(call('ISNUMBER', self(evidenced)), `${self(evidenced)}>0`, blank(cols.evidence, evidenced)),
  );
  /** `me` differs from `other` as the engine says: a blank or a word in `other` differs too (in a
   *  spreadsheet a blank equals 0, so `me<>other` alone misses an appraisal of 0 over a blank). */
  const differs = (me: string, other: string) => call('OR', `NOT(${call('ISNUMBER', other)})`, `${me}<>${other}`);
  if (cols.appraisal !== undefined) {
    const appraisal = at(cols.appraisal, leaves);
    add(
      'missing-adjust-reason',
      'warning',
      cols.reason,
      leaves,
      and(call('ISNUMBER', appraisal), differs(appraisal, self(leaves)), blank(cols.reason, leaves)),
    );
    if (cols.final !== undefined) {
      const final = at(cols.final, leaves);
      add(
        'missing-final-reason',
        'warning',
        cols.finalReason,
        leaves,
        and(call('ISNUMBER', final), differs(final, appraisal), blank(cols.finalReason, leaves)),
      );
    }
  }
  return out;
}
