/** The small result block the add-on writes beside a unit's table. */
import { CLASSIFICATION_COLORS } from '../engine/classify';
import type { Pending } from '../engine/findings';
import { type ScoredSheet, type ScoreOptions, scoreGrid, type SheetScore, type StageResult } from '../engine/score';

export const RESULT_TITLE = 'KẾT QUẢ CHẤM ĐIỂM (tự động)';
export const RESULT_ROWS = 10;
/** The block's width: the labels, self and appraisal (one more for the final score when the table has its column, resultCols). */
export const RESULT_COLS = 3;

/** The block's width for a table: one more column when it has a final-score column. */
export function resultCols(result: Pick<ScoredSheet, 'columns'>): number {
  return result.columns.final !== undefined ? RESULT_COLS + 1 : RESULT_COLS;
}

/** The block as resultBlock writes it, with zero values: its structure, from the one place that writes it. */
let shape: readonly (readonly unknown[])[] | null = null;
function blockShape(): readonly (readonly unknown[])[] {
  const zero: StageResult = {
    max: 0,
    applicableMax: 0,
    main: 0,
    bonus: 0,
    penalty: 0,
    total: 0,
    percent: 0,
    classification: 'Yếu',
    complete: false,
    scored: 0,
    applicable: 0,
  };
  shape ??= resultBlock(zero, null, { unscored: 0, missingEvidence: 0, missingExplanation: 0 }, '').values;
  return shape;
}

/**
 * Whether the cell at (r, c) starts a result block as the add-on writes it: the title with
 * "Tự chấm" and "Thẩm định" to its right, and the block's labels below it (as far as the grid goes).
 * A heading that only repeats the title is not a block.
 */
function isResultBlockAt(grid: readonly (readonly unknown[])[], r: number, c: number): boolean {
  const block = blockShape();
  if (!block[0].every((v, i) => grid[r][c + i] === v)) return false;
  let below = 0;
  for (let k = 1; k < block.length && r + k < grid.length; k++) {
    const next = grid[r + k];
    if (!Array.isArray(next) || next[c] !== block[k][0]) return false;
    below++;
  }
  return below > 0;
}

/**
 * Locates the add-on's result block (0-based cell of its title) anywhere in the sheet, by its
 * exact structure, to the right of at least one column. A title typed as a heading does not count.
 */
export function findResultBlock(grid: readonly (readonly unknown[])[]): { row: number; col: number } | null {
  const rows = Array.isArray(grid) ? grid : [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (!Array.isArray(row)) continue;
    for (let c = row.indexOf(RESULT_TITLE); c >= 0; c = row.indexOf(RESULT_TITLE, c + 1)) {
      if (c > 0 && isResultBlockAt(rows, r, c)) return { row: r, col: c };
    }
  }
  return null;
}

/** The table's width: the columns left of the add-on's result block (all when there is none). */
export function tableWidth(grid: readonly (readonly unknown[])[]): number | undefined {
  const block = findResultBlock(grid);
  return block ? block.col : undefined;
}

/** Scores a unit sheet's grid, leaving out the add-on's own result block on its right. */
export function scoreUnitGrid(grid: readonly (readonly unknown[])[], options: ScoreOptions = {}): SheetScore {
  return scoreGrid(grid, { ...options, ignoreFromColumn: tableWidth(grid) ?? options.ignoreFromColumn });
}

/** The block of a scored table: a final column when the table has one. */
export function resultBlockOf(result: ScoredSheet, pending: Pending, updatedAt: string) {
  return resultBlock(result.self, result.appraisal, pending, updatedAt, result.columns.final !== undefined ? result.final : undefined);
}

/** `final` undefined: the table has no final-score column, the block has no column for it. */
export function resultBlock(
  self: StageResult,
  appraisal: StageResult | null,
  pending: Pending,
  updatedAt: string,
  final?: StageResult | null,
) {
  const withFinal = final !== undefined;
  const pair = (get: (s: StageResult) => unknown): unknown[] => [
    get(self),
    appraisal ? get(appraisal) : '',
    ...(withFinal ? [final ? get(final) : ''] : []),
  ];
  const blank = withFinal ? ['', ''] : [''];
  const values: unknown[][] = [
    [RESULT_TITLE, 'Tự chấm', 'Thẩm định', ...(withFinal ? ['Sau giải trình'] : [])],
    ['Điểm tối đa áp dụng', ...pair((s) => s.applicableMax)],
    ['Điểm chính', ...pair((s) => s.main)],
    ['Điểm cộng', ...pair((s) => s.bonus)],
    ['Điểm trừ', ...pair((s) => s.penalty)],
    ['Tổng điểm', ...pair((s) => s.total)],
    ['Tỷ lệ (%)', ...pair((s) => s.percent)],
    ['Xếp loại', ...pair((s) => s.classification)],
    [
      'Còn thiếu',
      `${pending.unscored} chưa chấm, ${pending.missingEvidence} thiếu minh chứng, ${pending.missingExplanation} thiếu giải trình`,
      ...blank,
    ],
    ['Cập nhật lúc', updatedAt, ...blank],
  ];
  const backgrounds: string[][] = values.map((row, r) => row.map((_, c) => (r === 0 ? '#cfe2f3' : c === 0 ? '#f3f3f3' : '#ffffff')));
  backgrounds[7][1] = CLASSIFICATION_COLORS[self.classification];
  if (appraisal) backgrounds[7][2] = CLASSIFICATION_COLORS[appraisal.classification];
  if (final) backgrounds[7][3] = CLASSIFICATION_COLORS[final.classification];
  return { values, backgrounds };
}
