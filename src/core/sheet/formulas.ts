/**
 * The live sheet: the formulas the add-on writes so that the spreadsheet itself computes every
 * subtotal, the total row and the result block (max, applicable max, main, bonus with its cap,
 * penalty, total, percent and class) the moment a score is typed, for every editor, with no
 * script running — and the same formulas go into the .xlsx files the CLI writes.
 *
 * Formulas use only functions Google Sheets, Excel and LibreOffice share (SUM, SUMIF, SUMIFS,
 * MIN, MAX, IF, IFERROR, COUNT, N, ROUND, ROUNDDOWN, VALUE and text functions), no decimal literals (thresholds are
 * referenced or integers) and
 * a configurable argument separator: ',' in .xlsx files (the file format's own form) and ';' for
 * Apps Script, which Google Sheets accepts in every locale (in vi_VN, where ',' may be the decimal
 * separator, as well as in en_US). They agree with the engine (src/core/engine/score.ts) cell for
 * cell: leaf scores are clamped to [0, max], "Chưa tính điểm"/"Không áp dụng" leave the
 * denominator, the bonus is capped, the total floored at 0, the class decided exactly.
 */
import { type Classification, CLASSIFICATIONS, type Thresholds } from '../engine/classify';
import { NOT_APPLICABLE, NOT_SCORED } from '../engine/not-applicable';
import type { CellNumber } from '../engine/numbers';
import { type Criterion, type ScoredSheet, type Stage, STAGES } from '../engine/score';
import { a1, columnLetter } from '../engine/text';
import type { FormulaKey, ParsedSettings } from '../settings/settings';
import { runs } from '../engine/numbers';

export type ArgSeparator = ',' | ';';

export interface FormulaOptions {
  /** Argument separator: ',' in .xlsx files, ';' through Apps Script. */
  sep: ArgSeparator;
  /** Thresholds as absolute references to the settings sheet (so a change reclassifies at once), or numbers. */
  thresholds: Record<keyof Thresholds, string | number>;
  /** The bonus cap used when the bonus row has no max of its own: a reference or a number. */
  bonusCap: string | number;
}

/** One cell the add-on computes with a formula, with the value the engine expects it to show. */
export interface FormulaCell {
  /** 1-based row, 0-based column (as ComputedCell). */
  row: number;
  col: number;
  /** The formula, starting with "=". */
  formula: string;
  kind: 'subtotal' | 'total' | 'block';
}

/** The result block's rows: label and the per-stage formulas (self, appraisal, final). */
export const BLOCK_ROWS = ['Điểm tối đa áp dụng', 'Điểm chính', 'Điểm cộng', 'Điểm trừ', 'Tổng điểm', 'Tỷ lệ (%)', 'Xếp loại'] as const;
export type BlockRow = (typeof BLOCK_ROWS)[number];

/**
 * Every formula the add-on writes carries this mark, a no-op (N of a text is 0 in every
 * spreadsheet), so its own formulas are recognised from their text even after rows move, and a
 * formula a person typed never is.
 */
export const FORMULA_MARK = 'Chấm điểm tự động';
const MARK_CALL = `N("${FORMULA_MARK}")`;

/** True when a cell's formula is one the add-on wrote (whatever separators the locale shows). */
export function isOwnFormula(formula: unknown): boolean {
  return typeof formula === 'string' && formula.replace(/\s+/g, '').includes(MARK_CALL.replace(/\s+/g, ''));
}

/** The two words the formulas recognise (case-insensitive, exactly as the tool writes them). */
const NA_WORDS = [NOT_SCORED, NOT_APPLICABLE];

/** Formula builders bound to one separator. */
function fns(sep: ArgSeparator) {
  const call = (name: string, ...args: string[]) => `${name}(${args.join(sep)})`;
  return {
    call,
    sum: (terms: readonly string[]) => (terms.length === 0 ? '0' : call('SUM', ...terms)),
    str: (s: string) => `"${s.replace(/"/g, '""')}"`,
    /** A numeric expression with the mark. */
    num: (f: string) => `${f}+${MARK_CALL}`,
    /** A text expression with the mark (T of a number is ""). */
    text: (f: string) => `${f}&T(${MARK_CALL})`,
  };
}

function rangeOf(col: number, [from, to]: [number, number]): string {
  return from === to ? a1(from, col) : `${a1(from, col)}:${a1(to, col)}`;
}

const isLeaf = (c: Criterion) => c.children.length === 0;

/**
 * The formulas of one scored sheet. `block` is where the result block's top-left (its title cell)
 * is, 1-based row and 0-based column; its formulas fill the two columns right of the labels.
 * `kept` lists the group cells ("row:col") a person owns (a typed number, text or formula the
 * add-on leaves alone): the formulas above such a group add up its children instead of that
 * cell, so that a wrong typed subtotal never changes the total (it is reported instead).
 */
export function sheetFormulas(
  result: ScoredSheet,
  block: { row: number; col: number },
  options: FormulaOptions,
  kept: ReadonlySet<string> = new Set(),
): FormulaCell[] {
  const { call, sum, str, num, text } = fns(options.sep);
  const cols = result.columns;
  const maxCol = cols.max as number;
  const criteria = result.criteria;
  const stages: [Stage, number][] = STAGES.filter((s) => cols[s] !== undefined).map((s) => [s, cols[s] as number]);
  const maxRef = (c: Criterion) => `$${columnLetter(maxCol)}${c.row}`;

  const stageOf = new Map(stages.map(([stage, col]) => [col, stage]));
  /**
   * A cell's number. A number typed as text ("3,5" stored as text) is not added up by any
   * spreadsheet, but the engine reads it (with a warning to retype it): for such a cell, found
   * when the check runs, the formula reads the text itself — the whole and decimal digits with
   * VALUE, which does not depend on the locale — so the sheet and the engine still agree.
   */
  const numberOf = (ref: string, cell: CellNumber): string => {
    if (cell.kind !== 'number' || !cell.asText) return ref;
    const t = call('TRIM', ref);
    const k = call('FIND', str(','), call('SUBSTITUTE', t, str('.'), str(',')));
    const decimals = call('MID', t, `${k}+1`, '20');
    const split = `${call('VALUE', call('LEFT', t, `${k}-1`))}+${call('VALUE', decimals)}/10^${call('LEN', decimals)}`;
    return call('IF', call('ISNUMBER', ref), ref, call('IFERROR', split, call('VALUE', t)));
  };
  const maxOf = (c: Criterion) => numberOf(maxRef(c), c.cells.max);

  const childrenOf = (c: Criterion) => c.children.map((k) => criteria[k]);
  const isKept = (c: Criterion, col: number) => !isLeaf(c) && kept.has(`${c.row}:${col}`);
  /**
   * What a criterion contributes to its parent's sum in column `col`. In the final column a leaf
   * without a final score counts its appraisal.
   */
  const term = (c: Criterion, col: number): string | null => {
    const leafTerm = ownTerm(c, col);
    if (leafTerm === null || !isLeaf(c) || stageOf.get(col) !== 'final' || cols.appraisal === undefined) return leafTerm;
    const blankFinal = `${call('LEN', call('TRIM', a1(c.row, col)))}=0`;
    return call('IF', blankFinal, ownTerm(c, cols.appraisal) as string, leafTerm);
  };
  const ownTerm = (c: Criterion, col: number): string | null => {
    const cell = a1(c.row, col);
    if (isKept(c, col)) return sum(terms(childrenOf(c), col));
    if (!isLeaf(c)) return cell;
    if (c.cells.max.kind === 'na') return null;
    const stage = stageOf.get(col);
    const positive = call('MAX', stage ? numberOf(cell, c.cells[stage]) : cell, '0');
    // The engine caps a bonus row without children as a block, not by its own max.
    const capped = c.cells.max.kind === 'number' && !(c.block === 'bonus' && c.isBlockHeader);
    // A cell showing an error (#REF!…) counts 0, as in the engine, instead of spreading the error.
    return call('IFERROR', capped ? call('MIN', positive, maxOf(c)) : positive, '0');
  };
  const terms = (list: readonly Criterion[], col: number): string[] => list.map((c) => term(c, col)).filter((t): t is string => t !== null);
  /** The cells whose numbers say a stage has begun for a group: its children's, through a kept child to that child's own. */
  const countRefs = (list: readonly Criterion[], col: number): string[] =>
    list.flatMap((c) => (isKept(c, col) ? countRefs(childrenOf(c), col) : [a1(c.row, col)]));
  /** The final stage has begun for a group where its children hold a final score or an appraisal. */
  const stageRefs = (stage: Stage, list: readonly Criterion[], col: number): string[] =>
    stage === 'final' && cols.appraisal !== undefined
      ? [...countRefs(list, col), ...countRefs(list, cols.appraisal)]
      : countRefs(list, col);
  /** For a stage that may not have started: blank until one of `refs` holds a number. */
  const blankUntil = (stage: Stage, refs: readonly string[], formula: string) =>
    stage === 'self' || refs.length === 0 ? formula : call('IF', `${call('COUNT', ...refs)}=0`, '""', formula);
  // The criteria rows, without the total row (whose own formula would otherwise refer to itself).
  const lastBodyRow = result.totalRow !== null ? result.totalRow - 1 : result.lastRow;
  const bodyRanges = (col: number) => [rangeOf(col, [result.headerRow + 1, Math.max(result.headerRow + 1, lastBodyRow)])];
  // The final column counts as begun on its leaves only (as the engine's): its group cells hold our own formulas.
  const leafRuns = runs(criteria.filter(isLeaf).map((c) => c.row));
  /** Blank until anything (a number, a word, an error) is typed in the stage's column of the table. */
  const blankUntilTyped = (stage: Stage, col: number, formula: string) => {
    if (stage === 'self') return formula;
    const ranges = stage === 'final' ? leafRuns.map((r) => rangeOf(col, r)) : bodyRanges(col);
    const typed = ranges.map((range) => call('SUMPRODUCT', call('LEN', range))).join('+') || '0';
    return call('IF', `${call('IFERROR', typed, '1')}=0`, '""', formula);
  };

  const out: FormulaCell[] = [];

  // 1. Group subtotals: exactly the children's cells, leaves clamped.
  for (const c of criteria) {
    if (isLeaf(c)) continue;
    const children = childrenOf(c);
    for (const [stage, col] of stages) {
      if (c.cells[stage].kind === 'na') continue;
      let formula = blankUntil(stage, stageRefs(stage, children, col), num(sum(terms(children, col))));
      // The final column stays blank until the council writes a final score anywhere in it.
      if (stage === 'final') formula = blankUntilTyped(stage, col, formula);
      out.push({ row: c.row, col, formula: `=${formula}`, kind: 'subtotal' });
    }
  }

  // 2. The parts of the total, per stage, as expressions over the table.
  const top = (block: Criterion['block']) => criteria.filter((c) => c.parent === -1 && c.block === block);
  const mainLeaves = criteria.filter((c) => c.block === 'main' && isLeaf(c));
  const mainRuns = runs(mainLeaves.map((c) => c.row));
  const bonusHeader = criteria.find((c) => c.block === 'bonus' && c.isBlockHeader);
  const cap =
    bonusHeader && bonusHeader.cells.max.kind !== 'empty'
      ? call('IF', `${call('N', maxRef(bonusHeader))}>0`, maxRef(bonusHeader), String(options.bonusCap))
      : String(options.bonusCap);
  const parts = (stage: Stage, col: number) => {
    const textMax = mainLeaves.filter((c) => c.cells.max.kind === 'number' && c.cells.max.asText).map(maxOf);
    const max = sum([...mainRuns.map((r) => rangeOf(maxCol, r)), ...textMax]);
    const naDeduction = (naCol: number) =>
      mainRuns.flatMap((r) => NA_WORDS.map((w) => call('SUMIF', rangeOf(naCol, r), str(w), rangeOf(maxCol, r))));
    const deductions = naDeduction(col);
    /**
     * The max of the rows whose `wordCol` holds a word and whose `blankCols` are all blank, by
     * inclusion and exclusion over SUMIFS (every row with the word, less those with a later cell typed…).
     */
    const wordWithBlanks = (wordCol: number, blankCols: readonly number[]) => {
      for (const r of mainRuns) {
        for (const w of NA_WORDS) {
          const subsets: number[][] = [[]];
          for (const b of blankCols) subsets.push(...subsets.map((typed) => [...typed, b]));
          const parts = subsets.map((typed) =>
            typed.length === 0
              ? call('SUMIF', rangeOf(wordCol, r), str(w), rangeOf(maxCol, r))
              : call('SUMIFS', rangeOf(maxCol, r), rangeOf(wordCol, r), str(w), ...typed.flatMap((t) => [rangeOf(t, r), str('<>')])),
          );
          deductions.push(`(${parts.map((p, i) => (i === 0 ? p : `${subsets[i].length % 2 ? '-' : '+'}${p}`)).join('')})`);
        }
      }
    };
    // A blank appraisal on a criterion self-scored "Chưa tính điểm" is not applicable either;
    // a blank final score takes the appraisal's (or, both blank, the self score's) word.
    if (stage === 'final' && cols.appraisal !== undefined) wordWithBlanks(cols.appraisal, [col]);
    if (stage !== 'self' && cols.self !== undefined) {
      wordWithBlanks(cols.self, stage === 'final' && cols.appraisal !== undefined ? [cols.appraisal, col] : [col]);
    }
    return {
      applicable: deductions.length === 0 ? max : `${max}-${deductions.join('-')}`,
      main: sum(terms(top('main'), col)),
      bonus: call('MIN', sum(terms(top('bonus'), col)), cap),
      penalty: sum(terms(top('penalty'), col)),
    };
  };

  // 3. The total row: the same total the result block shows, computed from the table itself.
  if (result.totalRow !== null) {
    for (const [stage, col] of stages) {
      const p = parts(stage, col);
      const total = call('MAX', '0', `${p.main}+${p.bonus}-${p.penalty}`);
      out.push({ row: result.totalRow, col, formula: `=${blankUntilTyped(stage, col, num(total))}`, kind: 'total' });
    }
  }

  // 4. The result block: one column per stage, each row referring to the rows above it.
  const t = options.thresholds;
  stages.forEach(([stage, col]) => {
    // Each stage has its own column of the block, present or not in the table: self, appraisal, final.
    const i = STAGES.indexOf(stage);
    const at = (r: BlockRow) => a1(block.row + 1 + BLOCK_ROWS.indexOf(r), block.col + 1 + i);
    const p = parts(stage, col);
    const guard = (f: string) => blankUntilTyped(stage, col, f);
    const appl = at('Điểm tối đa áp dụng');
    const total = at('Tổng điểm');
    // The percent is cut (never rounded up toward a higher class), float noise removed first.
    // Exact comparison, as the engine's: total × 100 ≥ threshold × applicable max (float noise rounded away).
    const atLeast = (threshold: string | number) => `${call('ROUND', `${total}*100-${threshold}*${appl}`, '6')}>=0`;
    const classes: [Classification, keyof Thresholds][] = [
      ['Xuất sắc', 'excellent'],
      ['Tốt', 'good'],
      ['Khá', 'fair'],
      ['Trung bình', 'average'],
    ];
    const classFormula = classes.reduceRight<string>(
      (otherwise, [name, key]) => call('IF', atLeast(t[key]), str(name), otherwise),
      str(CLASSIFICATIONS[CLASSIFICATIONS.length - 1]),
    );
    const formulas: Record<BlockRow, string> = {
      'Điểm tối đa áp dụng': p.applicable,
      'Điểm chính': p.main,
      'Điểm cộng': p.bonus,
      'Điểm trừ': p.penalty,
      'Tổng điểm': call('MAX', '0', `${at('Điểm chính')}+${at('Điểm cộng')}-${at('Điểm trừ')}`),
      'Tỷ lệ (%)': call('IF', `${call('N', appl)}>0`, call('ROUNDDOWN', call('ROUND', `${total}/${appl}*100`, '9'), '3'), '0'),
      'Xếp loại': call('IF', `${call('N', appl)}>0`, classFormula, str(CLASSIFICATIONS[CLASSIFICATIONS.length - 1])),
    };
    BLOCK_ROWS.forEach((r, k) => {
      const marked = r === 'Xếp loại' ? text(formulas[r]) : num(formulas[r]);
      out.push({ row: block.row + 1 + k, col: block.col + 1 + i, formula: `=${guard(marked)}`, kind: 'block' });
    });
  });
  return out;
}

/** A sheet's name as a formula refers to it: quoted, an apostrophe doubled ('Đội ''A'''). */
export function quoteSheetName(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/**
 * Formula options from the parsed settings: each threshold and the bonus cap referred to in the
 * settings sheet where it was read (a percentage typed as 0,9 is scaled as the engine scales
 * it), or written as a number when the sheet has no usable cell for it.
 */
export function formulaOptionsOf(parsed: ParsedSettings, settingsSheet: string, sep: ArgSeparator): FormulaOptions {
  const quoted = quoteSheetName(settingsSheet);
  const ref = (key: FormulaKey, value: number): string | number => {
    const cell = parsed.found ? parsed.cells?.[key] : undefined;
    if (!cell) return value;
    const at = `${quoted}!$B$${cell.row}`;
    return cell.percent ? `(${at}*100)` : at;
  };
  const t = parsed.settings.thresholds;
  return {
    sep,
    thresholds: {
      excellent: ref('excellent', t.excellent),
      good: ref('good', t.good),
      fair: ref('fair', t.fair),
      average: ref('average', t.average),
    },
    bonusCap: ref('bonusCap', parsed.settings.bonusCap),
  };
}
