/** Shared helpers for tests: grids from the example data and the sample appendix. */
import { SAMPLE_APPENDIX_HEADER, SAMPLE_APPENDIX_ROWS } from '../scripts/sample-appendix';
import { type ScoredSheet, scoreGrid, type ScoreOptions } from '../src/core/engine/score';

/** The sample appendix as a sheet: three title rows, a blank row, the header on row 5. */
export function appendixGrid(): unknown[][] {
  return [
    ['PHỤ LỤC'],
    ['Nhiệm vụ duy trì…'],
    ['(Kèm theo Kế hoạch…)'],
    [],
    [...SAMPLE_APPENDIX_HEADER],
    ...SAMPLE_APPENDIX_ROWS.map((r) => [...r]),
  ];
}

export function scored(grid: unknown[][], options?: ScoreOptions): ScoredSheet {
  const r = scoreGrid(grid, options);
  if (!r.ok) throw new Error(`not recognised: ${r.reason}`);
  return r;
}

export const HEADER = ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', 'Giải trình', 'Minh chứng', 'Điểm thẩm định', 'Lý do điều chỉnh'];

/** A small sheet in the standard layout; rows are [stt, text, max, self, explanation, evidence, appraisal, reason]. */
export function sheet(...rows: unknown[][]): unknown[][] {
  return [['BIỂU CHẤM ĐIỂM'], HEADER, ...rows];
}
