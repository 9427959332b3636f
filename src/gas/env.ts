/** Small helpers around the Apps Script services: time, locks, messages. */

import { runTimeZone } from './api/sheets-api';

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** The spreadsheet's time zone: from the run's listing inside withRunReads (no read of its own), else one read. */
export function timeZoneOf(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): string {
  return runTimeZone(ss.getId()) ?? (ss.getSpreadsheetTimeZone() || DEFAULT_TIME_ZONE);
}

export function formatNow(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, now: Date = new Date()): string {
  return formatInZone(timeZoneOf(ss), now);
}

/** The time as the sheets show it ("25/11/2026 17:00"), in a time zone read once per run. */
export function formatInZone(timeZone: string, now: Date): string {
  return Utilities.formatDate(now, timeZone, 'dd/MM/yyyy HH:mm');
}

/** The message of anything thrown (duck-typed: errors may come from another realm). */
export function errorMessage(err: unknown): string {
  const message = err && typeof err === 'object' ? (err as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(err);
}

/** Vietnamese text for an error thrown by a service or by our code. */
export function describeError(err: unknown): string {
  const msg = errorMessage(err);
  if (/protected cell|protected range|protected sheet/i.test(msg)) {
    return 'Ô này đang được bảo vệ (có thể tự chấm đã bị khóa). Bạn không sửa được; hãy liên hệ cơ quan thường trực.';
  }
  if (/lock timeout|holding the lock/i.test(msg)) {
    return 'Có người khác đang chạy một lệnh chấm điểm trên bảng tính này. Vui lòng đợi một lát rồi thử lại.';
  }
  if (/too many times/i.test(msg)) return 'Đã dùng hết hạn mức dịch vụ của Google trong ngày. Vui lòng thử lại vào ngày mai.';
  if (/permission|authori[sz]/i.test(msg))
    return 'Tiện ích chưa được cấp quyền hoặc bạn không có quyền chỉnh sửa. Hãy chọn lại mục trong menu và cấp quyền.';
  return `Không thực hiện được: ${msg}. Vui lòng thử lại; nếu lỗi lặp lại, hãy báo cơ quan thường trực.`;
}

/** Runs a menu action; any error reaches the person as a Vietnamese alert, never a stack trace. */
export function runMenuAction(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    try {
      SpreadsheetApp.getUi().alert('Chấm điểm', describeError(err), SpreadsheetApp.getUi().ButtonSet.OK);
    } catch (_) {
      console.error(describeError(err));
    }
  }
}

/** How long a command waits for another one holding the document lock before giving up (ms). */
export const LOCK_WAIT = {
  /** A menu command that touches one sheet or a few. */
  menu: 20_000,
  /** Commands over every unit sheet, which may wait for another long one. */
  long: 60_000,
  /** A sidebar write: the person is waiting on the page. */
  sidebar: 10_000,
} as const;

/** Runs `fn` holding the document lock, so two runs cannot interleave their writes. */
export function withDocumentLock<T>(fn: () => T, waitMs: number = LOCK_WAIT.menu): T {
  const lock = LockService.getDocumentLock();
  lock.waitLock(waitMs);
  try {
    return fn();
  } finally {
    SpreadsheetApp.flush();
    lock.releaseLock();
  }
}

export function toast(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, message: string, seconds = 8): void {
  ss.toast(message, 'Chấm điểm', seconds);
}
