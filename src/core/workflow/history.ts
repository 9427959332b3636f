/** History snapshots taken at each milestone (the "Lưu trữ" sheet) and the change since the last one. */
import { round3 } from '../engine/decimal';
import { readNumber } from '../engine/numbers';
import type { ScoredSheet } from '../engine/score';
import { cellText, isBlank, isDate, normalizeLabel } from '../engine/text';
import { criteriaInOrder, maxValue, stageValue } from './remedy-plan';
import { SNAPSHOT_HEADERS } from '../sheet/own-sheets';
export { SNAPSHOT_HEADERS };

export const SNAPSHOT_TOTAL_TEXT = 'Tổng điểm';

/** One row per criterion (main part, bonus, penalty) and the unit's total row, for the "Lưu trữ" sheet. */
export function snapshotRows(time: string, milestone: string, unit: string, result: ScoredSheet): unknown[][] {
  const hasAppraisal = result.appraisal !== null;
  const rows = criteriaInOrder(result).map((c) => [
    time,
    milestone,
    unit,
    c.outline,
    c.text,
    maxValue(c),
    stageValue(c, 'self', true),
    stageValue(c, 'appraisal', hasAppraisal),
  ]);
  rows.push([
    time,
    milestone,
    unit,
    '',
    SNAPSHOT_TOTAL_TEXT,
    result.self.max,
    result.self.total,
    result.appraisal ? result.appraisal.total : '',
  ]);
  return rows;
}

export interface SnapshotChange {
  /** Change of the unit's total since its last snapshot; null when there is nothing to compare. */
  selfDelta: number | null;
  appraisalDelta: number | null;
  /** The snapshot compared with. */
  previous: { time: string; milestone: string } | null;
}

function snapshotNumber(value: unknown): number | null {
  const n = readNumber(value);
  return n.kind === 'number' ? n.value : null;
}

/**
 * How the unit's totals changed since its last snapshot. `previousRows` are rows of the history
 * sheet (header rows and other units' rows are ignored when `unit` is given); the last total row wins.
 */
export function changesSinceSnapshot(previousRows: readonly (readonly unknown[])[], result: ScoredSheet, unit?: string): SnapshotChange {
  const wanted = unit === undefined ? null : normalizeLabel(unit);
  const totalKey = normalizeLabel(SNAPSHOT_TOTAL_TEXT);
  let last: readonly unknown[] | null = null;
  for (const row of previousRows) {
    if (!Array.isArray(row)) continue;
    if (!isBlank(row[3]) || normalizeLabel(row[4]) !== totalKey) continue;
    if (wanted !== null && normalizeLabel(row[2]) !== wanted) continue;
    last = row;
  }
  if (!last) return { selfDelta: null, appraisalDelta: null, previous: null };
  const prevSelf = snapshotNumber(last[6]);
  const prevAppraisal = snapshotNumber(last[7]);
  const time = isDate(last[0]) ? (last[0] as Date).toISOString() : cellText(last[0]);
  return {
    selfDelta: prevSelf === null ? null : round3(result.self.total - prevSelf),
    appraisalDelta: prevAppraisal === null || !result.appraisal ? null : round3(result.appraisal.total - prevAppraisal),
    previous: { time, milestone: cellText(last[1]) },
  };
}
