/**
 * The live summary: the cells of `Tổng hợp` that the spreadsheet computes from the unit sheets,
 * so the leadership's sheet follows every score the moment it is typed, with no script running.
 *
 * What is live, per unit whose sheet has a result block (the block "Kiểm tra và tính điểm"
 * writes beside the table, whose formulas are sheetFormulas'):
 * - the self total, percent and class, and the bonus and penalty: references to the block;
 * - the appraisal total, percent and class and the difference: the block's appraisal column,
 *   shown only once the appraisal is complete (every applicable criterion has a number), else the
 *   progress "đã thẩm định 12/40 tiêu chí" — the rule of finalAppraisal, decided by formulas;
 * - the progress table (criteria scored and to score, per stage), counted from the table's
 *   leaf rows, and the share of criteria self-scored computed from it;
 * - the units × sections matrices: the top-level criteria's cells in the self and appraisal columns;
 * - for every unit with a result (live or not), the rank: competition ranking ("1, 1, 3") on the
 *   appraisal percent when every unit's appraisal is complete, else on the self percent — the
 *   rule of rankBasis —, blank for a unit without a result; and the sentence saying which basis.
 * What stays a value written when the summary is built: the number of criteria, the pending
 * counts (they come from the findings), the change since the last snapshot, the notes, and every
 * number of a unit whose sheet has no result block yet (its note says to run the check).
 *
 * The rank is counted with SUMPRODUCT (1 + the units with a higher percent), which is what RANK
 * gives in Sheets, Excel and LibreOffice, because RANK is missing from HyperFormula, the engine
 * the tests and the Apps Script stand-ins evaluate the formulas with. Functions used: IF, AND,
 * N, ISNUMBER, IFERROR, COUNT, SUMPRODUCT, ROUND, LEN, LEFT, MIN, MAX — shared by all three.
 *
 * Known limits, the same as the unit sheets' own formulas: only the two words the tool writes
 * ("Chưa tính điểm", "Không áp dụng") mark a criterion not applicable; a number stored as text
 * does not count as scored; a group marked not applicable does not carry that to its children.
 */
import { runs } from '../engine/numbers';
import { CLASSIFICATION_COLORS, CLASSIFICATIONS } from '../engine/classify';
import { NOT_APPLICABLE, NOT_SCORED } from '../engine/not-applicable';
import type { Criterion, Stage } from '../engine/score';
import { columnLetter } from '../engine/text';
import { type ArgSeparator, BLOCK_ROWS, type BlockRow, quoteSheetName } from '../sheet/formulas';
import {
  finalRound,
  hasAppraisalColumn,
  isLive,
  PROGRESS_FIRST_COL,
  progressPieces,
  RANK_NOTE,
  SUMMARY_COL,
  type SummaryLayout,
  type SummaryRow,
} from './summary';

/** One live cell of the summary: 1-based row, 0-based column, the formula starting with "=". */
export interface SummaryFormula {
  row: number;
  col: number;
  formula: string;
}

const NA_WORDS = [NOT_SCORED, NOT_APPLICABLE];

/** An absolute reference: $C$7. */
const abs = (row: number, col: number) => `$${columnLetter(col)}$${row}`;

function fns(sep: ArgSeparator) {
  const call = (name: string, ...args: string[]) => `${name}(${args.join(sep)})`;
  const str = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return {
    call,
    str,
    IF: (condition: string, then: string, otherwise: string) => call('IF', condition, then, otherwise),
    /** Text pieces and formula parts joined with &. */
    concat: (pieces: readonly (string | { expr: string })[]) => pieces.map((p) => (typeof p === 'string' ? str(p) : p.expr)).join('&'),
  };
}

/**
 * The formulas of the summary's live cells, for the layout summaryLayout gave for `rows`.
 * `sep` is the argument separator: ';' through Apps Script, ',' in an .xlsx file.
 */
export function summaryFormulas(layout: SummaryLayout, rows: readonly SummaryRow[], sep: ArgSeparator): SummaryFormula[] {
  const { call, str, IF, concat } = fns(sep);
  const out: SummaryFormula[] = [];
  const put = (row: number, col: number, formula: string) => out.push({ row, col, formula: `=${formula}` });
  if (rows.length === 0) return out;
  const first = layout.firstUnitRow;
  const column = (col: number) => `${abs(first, col)}:${abs(layout.lastUnitRow, col)}`;
  const selfPercents = column(SUMMARY_COL.selfPercent);
  const appraisalPercents = column(SUMMARY_COL.appraisalPercent);
  const officialPercents = column(SUMMARY_COL.officialPercent);
  // The appraisal percent shows only when complete: every unit with a result has one.
  const byAppraisal = call('AND', `${call('COUNT', selfPercents)}>0`, `${call('COUNT', appraisalPercents)}=${call('COUNT', selfPercents)}`);

  // The sentence on the ranking basis; "under way" counts the progress texts in the class column.
  const prefix = progressPieces('', '')[0] as string;
  const underway = call('SUMPRODUCT', `--(${call('LEFT', column(SUMMARY_COL.appraisalClass), String(prefix.length))}=${str(prefix)})`);
  const why = IF(`${underway}>0`, concat([RANK_NOTE.underway[0], { expr: underway }, RANK_NOTE.underway[1]]), '""');
  put(
    layout.noteRow,
    0,
    IF(byAppraisal, str(RANK_NOTE.byAppraisal + RANK_NOTE.ties), concat([RANK_NOTE.bySelf, { expr: why }, RANK_NOTE.ties])),
  );

  rows.forEach((r, i) => {
    const row = first + i;
    const at = (col: number) => abs(row, col);
    // 1 + the units with a higher percent: ties share a rank.
    const rankOn = (percents: string, col: number) => `1+${call('SUMPRODUCT', `${call('ISNUMBER', percents)}*(${percents}>${at(col)})`)}`;
    if (r.self) {
      put(
        row,
        SUMMARY_COL.rank,
        IF(
          call('ISNUMBER', at(SUMMARY_COL.selfPercent)),
          IF(byAppraisal, rankOn(officialPercents, SUMMARY_COL.officialPercent), rankOn(selfPercents, SUMMARY_COL.selfPercent)),
          '""',
        ),
      );
    }
    if (!isLive(r)) return;
    const result = r.result as NonNullable<SummaryRow['result']>;
    const block = r.block as NonNullable<SummaryRow['block']>;
    const sheet = `${quoteSheetName(r.sheet)}!`;
    const ref = (rowInSheet: number, col: number) => sheet + abs(rowInSheet, col);
    const appraisal = hasAppraisalColumn(r);
    /** A cell of the unit's result block: stage 0 self, 1 appraisal, 2 final (as sheetFormulas lays them out). */
    const blockCell = (label: BlockRow, stage: 0 | 1 | 2) => ref(block.row + 1 + BLOCK_ROWS.indexOf(label), block.col + 1 + stage);
    // The final round, complete when the summary was built: its block column, live from then on.
    const final = result.columns.final !== undefined && finalRound(r) !== null;
    const finalDone = call('ISNUMBER', at(SUMMARY_COL.finalTotal));
    if (final) {
      put(row, SUMMARY_COL.finalTotal, blockCell('Tổng điểm', 2));
      put(row, SUMMARY_COL.finalClass, blockCell('Xếp loại', 2));
    }
    const orFinal = (label: BlockRow, otherwise: string) => (final ? IF(finalDone, blockCell(label, 2), otherwise) : otherwise);

    // Progress: criteria scored and to score, counted over the table's main leaf rows.
    const progressRow = layout.progressHeaderRow + 1 + i;
    const [selfScored, selfApplicable, appraisalScored, appraisalApplicable] = [0, 1, 2, 3].map((k) =>
      abs(progressRow, PROGRESS_FIRST_COL + k),
    );
    progressFormulas(result, sheet, sep, appraisal).forEach((f, k) => put(progressRow, PROGRESS_FIRST_COL + k, f));
    put(row, SUMMARY_COL.scoredShare, IF(`${call('N', selfApplicable)}>0`, call('ROUND', `${selfScored}/${selfApplicable}*100`, '3'), '0'));

    put(row, SUMMARY_COL.selfTotal, blockCell('Tổng điểm', 0));
    put(row, SUMMARY_COL.selfPercent, blockCell('Tỷ lệ (%)', 0));
    put(row, SUMMARY_COL.selfClass, blockCell('Xếp loại', 0));
    if (appraisal) {
      const complete = call('AND', `${call('N', appraisalApplicable)}>0`, `${call('N', appraisalScored)}=${appraisalApplicable}`);
      const done = call('ISNUMBER', at(SUMMARY_COL.appraisalTotal));
      const judged = (label: BlockRow) => orFinal(label, IF(done, blockCell(label, 1), blockCell(label, 0)));
      const progress = concat(progressPieces({ expr: appraisalScored }, { expr: appraisalApplicable }));
      put(row, SUMMARY_COL.appraisalTotal, IF(complete, blockCell('Tổng điểm', 1), '""'));
      put(
        row,
        SUMMARY_COL.difference,
        IF(done, call('ROUND', `${at(SUMMARY_COL.appraisalTotal)}-${at(SUMMARY_COL.selfTotal)}`, '3'), '""'),
      );
      put(row, SUMMARY_COL.bonus, judged('Điểm cộng'));
      put(row, SUMMARY_COL.penalty, judged('Điểm trừ'));
      put(row, SUMMARY_COL.appraisalPercent, IF(done, blockCell('Tỷ lệ (%)', 1), '""'));
      const official = IF(
        call('ISNUMBER', at(SUMMARY_COL.appraisalPercent)),
        at(SUMMARY_COL.appraisalPercent),
        at(SUMMARY_COL.selfPercent),
      );
      put(row, SUMMARY_COL.officialPercent, orFinal('Tỷ lệ (%)', official));
      // Started: the block's appraisal column shows numbers once anything is typed in the stage.
      const started = `${call('LEN', blockCell('Tổng điểm', 1))}>0`;
      put(row, SUMMARY_COL.appraisalClass, IF(done, blockCell('Xếp loại', 1), IF(started, progress, '""')));
    } else {
      put(row, SUMMARY_COL.bonus, orFinal('Điểm cộng', blockCell('Điểm cộng', 0)));
      put(row, SUMMARY_COL.penalty, orFinal('Điểm trừ', blockCell('Điểm trừ', 0)));
      put(row, SUMMARY_COL.officialPercent, orFinal('Tỷ lệ (%)', at(SUMMARY_COL.selfPercent)));
    }

    // The matrices: each section's cell in the stage's column.
    const sectionCell = (c: Criterion, stage: Stage): string => {
      const cell = ref(c.row, result.columns[stage] as number);
      const points =
        c.children.length > 0
          ? call('N', cell)
          : c.cells.max.kind === 'number'
            ? call('IFERROR', call('MIN', call('MAX', call('N', cell), '0'), ref(c.row, result.columns.max as number)), '0')
            : call('MAX', call('N', cell), '0');
      return stage === 'self' ? points : IF(`${cell}=""`, '""', points);
    };
    const matrix = (headerRow: number | null, stage: Stage) => {
      if (headerRow === null) return;
      const sections = layout.values[headerRow - 1].slice(2);
      sections.forEach((label, k) => {
        const cell = typeof label === 'string' && label !== '' ? r.sections.get(label) : undefined;
        if (cell) put(headerRow + 1 + i, 2 + k, sectionCell(cell.criterion, stage));
      });
    };
    matrix(layout.matrixHeaderRow, 'self');
    if (appraisal) matrix(layout.appraisalMatrixHeaderRow, 'appraisal');
  });
  return out;
}

/**
 * The progress counts of one unit's table, over its main leaf rows with a max above 0 (as the
 * engine counts them): self scored, self to score, and, with an appraisal column, appraised and
 * to appraise. A criterion is to score unless marked not applicable in the stage (for the
 * appraisal, also a blank appraisal on a criterion self-scored not applicable); scored when its
 * cell holds a number — or, for a cell holding a number typed as text when the summary was built
 * (which the engine reads, and the unit's own formulas too), anything but blank or those words.
 * A cell showing an error in these columns leaves the count blank until it is fixed.
 */
function progressFormulas(result: NonNullable<SummaryRow['result']>, sheet: string, sep: ArgSeparator, appraisal: boolean): string[] {
  const { call, str } = fns(sep);
  const cols = result.columns;
  const leaves = result.criteria.filter((c) => c.block === 'main' && c.children.length === 0);
  const range = (col: number, [from, to]: [number, number]) => `${sheet}${abs(from, col)}:${abs(to, col)}`;
  const isWord = (cells: string) => `(${NA_WORDS.map((w) => `(${cells}=${str(w)})`).join('+')})`;
  type Cells = { max: string; self: string; appraisal: string };
  /** Over the given rows, in runs: SUMPRODUCT(max > 0 × what). */
  const sum = (rows: readonly Criterion[], what: (c: Cells) => string): string[] =>
    runs(rows.map((c) => c.row)).map((span) => {
      const c = {
        max: range(cols.max as number, span),
        self: range(cols.self as number, span),
        appraisal: cols.appraisal !== undefined ? range(cols.appraisal, span) : '',
      };
      return call('SUMPRODUCT', `${call('ISNUMBER', c.max)}*(${c.max}>0)*${what(c)}`);
    });
  const total = (terms: readonly string[]) => call('IFERROR', terms.join('+') || '0', '""');
  const scored = (stage: 'self' | 'appraisal') => {
    const asText = (c: Criterion) => c.cells[stage].kind === 'number' && (c.cells[stage] as { asText: boolean }).asText;
    return total([
      ...sum(
        leaves.filter((c) => !asText(c)),
        (c) => call('ISNUMBER', c[stage]),
      ),
      ...sum(leaves.filter(asText), (c) => `(${call('LEN', call('TRIM', c[stage]))}>0)*(1-${isWord(c[stage])})`),
    ]);
  };
  const formulas = [scored('self'), total(sum(leaves, (c) => `(1-${isWord(c.self)})`))];
  if (appraisal)
    formulas.push(scored('appraisal'), total(sum(leaves, (c) => `(1-${isWord(c.appraisal)}-(${c.appraisal}="")*${isWord(c.self)})`)));
  return formulas;
}

/** A conditional-format rule of the summary: where, when (relative to the range's top-left), which colour. */
export interface SummaryRule {
  range: string;
  formula: string;
  background: string;
}

/** The class colours of the class columns, as conditional formats, so they follow the live classes. */
export function summaryRules(layout: SummaryLayout): SummaryRule[] {
  if (layout.lastUnitRow < layout.firstUnitRow) return [];
  const from = columnLetter(SUMMARY_COL.selfClass);
  const to = columnLetter(SUMMARY_COL.finalClass);
  return CLASSIFICATIONS.map((cls) => ({
    range: `${from}${layout.firstUnitRow}:${to}${layout.lastUnitRow}`,
    formula: `=${from}${layout.firstUnitRow}="${cls}"`,
    background: CLASSIFICATION_COLORS[cls],
  }));
}

/** A rectangle of formulas to write with one setFormulas: top-left (1-based row, 0-based column). */
export interface FormulaBlock {
  row: number;
  col: number;
  formulas: string[][];
}

/** The formulas gathered into rectangles: runs of adjacent cells in a row, stacked while rows repeat the run. */
export function formulaBlocks(cells: readonly SummaryFormula[]): FormulaBlock[] {
  const sorted = [...cells].sort((a, b) => a.row - b.row || a.col - b.col);
  const spans: { row: number; col: number; formulas: string[] }[] = [];
  for (const c of sorted) {
    const last = spans[spans.length - 1];
    if (last && last.row === c.row && last.col + last.formulas.length === c.col) last.formulas.push(c.formula);
    else spans.push({ row: c.row, col: c.col, formulas: [c.formula] });
  }
  const blocks: FormulaBlock[] = [];
  const open = new Map<string, FormulaBlock>();
  for (const s of spans) {
    const key = `${s.col}:${s.formulas.length}`;
    const block = open.get(key);
    if (block && block.row + block.formulas.length === s.row) block.formulas.push(s.formulas);
    else {
      const added = { row: s.row, col: s.col, formulas: [s.formulas] };
      blocks.push(added);
      open.set(key, added);
    }
  }
  return blocks;
}
