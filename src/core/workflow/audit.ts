/** The audit log of edits ("Nhật ký chỉnh sửa"): its rows and which columns are watched. */
import type { ColumnMap, ColumnRole } from '../engine/table';
import { isDate } from '../engine/text';
import { AUDIT_HEADERS } from '../sheet/own-sheets';
export { AUDIT_HEADERS };

/** A sheet cell holds at most 50,000 characters. */
const CELL_LIMIT = 50000;

function auditValue(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || isDate(value)) return value;
  let s = String(value);
  if (s.length > CELL_LIMIT) s = `${s.slice(0, CELL_LIMIT - 1)}…`;
  // Written back with setValues, a leading "=" would turn the logged text into a live formula.
  return s.startsWith('=') ? `'${s}` : s;
}

/** Written in the log when Apps Script does not say who edited (across domains, consumer accounts). */
export const UNKNOWN_EDITOR = 'không xác định';

/** One row of the "Nhật ký chỉnh sửa" sheet. An unknown editor is logged as UNKNOWN_EDITOR. */
export function auditRow(time: string, user: string, sheet: string, cell: string, oldValue: unknown, newValue: unknown): unknown[] {
  return [time, user.trim() || UNKNOWN_EDITOR, sheet, cell, auditValue(oldValue), auditValue(newValue)];
}

export const WATCHED_ROLES: ColumnRole[] = ['max', 'self', 'appraisal', 'explanation', 'evidence', 'reason'];

/** True for the columns whose edits are logged and re-checked: scores, explanation, evidence, reason. */
export function isWatchedColumn(columns: ColumnMap, col0: number): boolean {
  return WATCHED_ROLES.some((r) => columns[r] === col0);
}
