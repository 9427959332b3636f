/** Small helpers around the Apps Script services: time, locks, messages. */

import { runTimeZone } from './api/sheets-api';

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** The spreadsheet's time zone: from the run's listing inside withRunReads (no read of its own), else one read. */
export function timeZoneOf(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): string {
  return runTimeZone(ss) ?? (ss.getSpreadsheetTimeZone() || DEFAULT_TIME_ZONE);
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

/** The document properties a run uses. */
export type DocumentProperties = Pick<
  GoogleAppsScript.Properties.Properties,
  'getProperty' | 'getProperties' | 'getKeys' | 'setProperty' | 'setProperties' | 'deleteProperty'
>;

/**
 * Document properties read in one call (getProperties) and served from it: what a run holding the document lock sees
 * (another run waits for the lock before it writes). Writes go to the store at once and into the copy.
 */
class RunProperties implements DocumentProperties {
  private readonly store: GoogleAppsScript.Properties.Properties;
  private readonly copy: Record<string, string>;
  constructor() {
    this.store = PropertiesService.getDocumentProperties();
    this.copy = this.store.getProperties();
  }
  getProperty(key: string): string | null {
    return Object.prototype.hasOwnProperty.call(this.copy, key) ? this.copy[key] : null;
  }
  getProperties(): Record<string, string> {
    return { ...this.copy };
  }
  getKeys(): string[] {
    return Object.keys(this.copy);
  }
  setProperty(key: string, value: string): GoogleAppsScript.Properties.Properties {
    this.copy[key] = String(value);
    return this.store.setProperty(key, value);
  }
  setProperties(properties: Record<string, string>): GoogleAppsScript.Properties.Properties {
    for (const [k, v] of Object.entries(properties)) this.copy[k] = String(v);
    return this.store.setProperties(properties);
  }
  deleteProperty(key: string): GoogleAppsScript.Properties.Properties {
    delete this.copy[key];
    return this.store.deleteProperty(key);
  }
}

let runProperties: RunProperties | null = null;

/** The document properties: inside withRunProperties, from the run's one read; else the store itself. */
export function documentProperties(): DocumentProperties {
  return runProperties ?? PropertiesService.getDocumentProperties();
}

/** Runs `fn` (which holds the document lock) with the document properties read once (see RunProperties). */
export function withRunProperties<T>(fn: () => T): T {
  const outer = runProperties;
  runProperties = new RunProperties();
  try {
    return fn();
  } finally {
    runProperties = outer;
  }
}

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
