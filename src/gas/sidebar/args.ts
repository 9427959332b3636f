/** Replies to the page and checks of every argument it sends (all untrusted). */
import type { Place, Reply, Target } from '../../core/evidence/sidebar-api';
import { describeError } from '../env';
/** An error whose message is meant for the person (Vietnamese, no stack). */
export class UserError extends Error {}

export function errorText(err: unknown): string {
  if (err instanceof UserError) return err.message;
  console.error(err);
  return describeError(err);
}

export function reply<T>(fn: () => T): Reply<T> {
  try {
    return { ok: true, data: fn() };
  } catch (err) {
    return { ok: false, error: errorText(err) };
  }
}

export function readSheetName(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '' || raw.length > 100) throw new UserError('Yêu cầu không hợp lệ: thiếu tên trang tính.');
  return raw;
}

export function readRow(raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 1) throw new UserError('Yêu cầu không hợp lệ: số hàng không đúng.');
  return raw;
}

export function readTarget(raw: unknown): Target {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new UserError('Yêu cầu không hợp lệ: thiếu tiêu chí.');
  const t = raw as Record<string, unknown>;
  const outline = t.outline === undefined ? '' : t.outline;
  if (typeof outline !== 'string' || outline.length > 50) throw new UserError('Yêu cầu không hợp lệ: số thứ tự tiêu chí không đúng.');
  return { sheet: readSheetName(t.sheet), row: readRow(t.row), outline };
}

/** Where to start looking for the next criterion without evidence: a sheet and a row (0 = the top). */
export function readPlace(raw: unknown): Place {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new UserError('Yêu cầu không hợp lệ.');
  const f = raw as Record<string, unknown>;
  const row = typeof f.row === 'number' && Number.isSafeInteger(f.row) && f.row >= 0 ? f.row : 0;
  return { sheet: readSheetName(f.sheet), row };
}
