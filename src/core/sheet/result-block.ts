/** The small result block the add-on writes beside a unit's table. */
import { CLASSIFICATION_COLORS } from '../engine/classify';
import type { Pending } from '../engine/findings';
import { type ScoreOptions, scoreGrid, type SheetScore, type StageResult } from '../engine/score';

export const RESULT_TITLE = 'KẾT QUẢ CHẤM ĐIỂM (tự động)';
export const RESULT_ROWS = 10;
export const RESULT_COLS = 3;

/** Locates an existing block: the cell holding the title, 0-based, in the first 20 rows. */
export function findResultBlock(grid: readonly (readonly unknown[])[]): { row: number; col: number } | null {
  for (let r = 0; r < Math.min(grid.length, 20); r++) {
    const row = grid[r];
    if (!Array.isArray(row)) continue;
    const c = row.indexOf(RESULT_TITLE);
    if (c >= 0) return { row: r, col: c };
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

export function resultBlock(self: StageResult, appraisal: StageResult | null, pending: Pending, updatedAt: string) {
  const pair = (get: (s: StageResult) => unknown): unknown[] => [get(self), appraisal ? get(appraisal) : ''];
  const values: unknown[][] = [
    [RESULT_TITLE, 'Tự chấm', 'Thẩm định'],
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
      '',
    ],
    ['Cập nhật lúc', updatedAt, ''],
  ];
  const backgrounds: string[][] = values.map((row, r) => row.map((_, c) => (r === 0 ? '#cfe2f3' : c === 0 ? '#f3f3f3' : '#ffffff')));
  backgrounds[7][1] = CLASSIFICATION_COLORS[self.classification];
  if (appraisal) backgrounds[7][2] = CLASSIFICATION_COLORS[appraisal.classification];
  return { values, backgrounds };
}
