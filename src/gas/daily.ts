/**
 * The daily time-driven trigger: reminders, milestone snapshots, locking after the last
 * milestone, then a refresh of the unit sheets (notes with the full message, formulas and
 * highlight rules where a sheet's structure changed) within the time left.
 */
import { documentProperties, withRunProperties, errorMessage, withDocumentLock, LOCK_WAIT } from './env';
import { CHECK_ALL_BUDGET_MS, checkSheets } from './check';
import { claimDailyRun, runReminders } from './reminders';
import { readSettings } from './settings';
import type { ParsedSettings } from '../core/settings/settings';
import { dailyStages } from './stages';
import { dailyWorkflow } from './workflow';
import { withRunReads } from './api/sheets-api';

/** The sheet the next daily refresh starts with, so every sheet is reached over the days. */
export const PROP_REFRESH_NEXT = 'chamdiem.dailyRefreshNext';

/**
 * Never throws: a failure of one part is logged and the other parts still run. A run steps aside (does nothing)
 * when reminders are off or another account's daily trigger already did today's work (claimDailyRun).
 */
export function dailyTick(e?: GoogleAppsScript.Events.TimeDriven): void {
  const now = new Date();
  const deadline = Date.now() + CHECK_ALL_BUDGET_MS;
  try {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    // The steps read the same sheets: one listing (with the time zone), one read of each sheet's values, shared.
    withRunReads(ss.getId(), () => {
      if (claimDailyRun(e?.triggerUid)) dailySteps(ss, now, deadline);
    });
  } catch (err) {
    console.error(errorMessage(err));
  }
}

/**
 * The daily run's steps, each on its own (a failure of one is logged and the next still runs), under the document lock:
 * no other run writes the document properties meanwhile, so they are read once for every step (withRunProperties).
 */
function dailySteps(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, now: Date, deadline: number): void {
  const parsed = readSettings(ss, now);
  const step = (label: string, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      console.error(`${label}: ${errorMessage(err)}`);
    }
  };
  withDocumentLock(
    () =>
      withRunProperties(() => {
        step('Nhắc hạn', () => runReminders(ss, parsed, now));
        step('Lưu trữ/khóa', () => dailyWorkflow(ss, parsed, now));
        step('Giải trình', () => dailyStages(ss, parsed, now));
        step('Làm mới ghi chú', () => refreshSheets(ss, parsed, now, deadline));
      }),
    LOCK_WAIT.long,
  );
}

/**
 * "Kiểm tra và tính điểm" on every unit sheet changed since its last check, until the deadline, starting where the
 * last daily refresh stopped; the first sheet not reached is remembered for tomorrow. One listing, whole-workbook
 * reads and batched writes (check.ts); the time budget is the run's.
 */
function refreshSheets(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, parsed: ParsedSettings, now: Date, deadline: number): void {
  const props = documentProperties();
  const next = props.getProperty(PROP_REFRESH_NEXT);
  const order = (titles: readonly string[]) => Math.max(0, titles.indexOf(next ?? ''));
  const { outcomes, remaining } = checkSheets(ss, parsed, now, deadline, { onlyIfChanged: true, order });
  for (const o of outcomes) if (o.status === 'skipped') console.info(o.message);
  if (remaining.length) props.setProperty(PROP_REFRESH_NEXT, remaining[0]);
  else if (next !== null) props.deleteProperty(PROP_REFRESH_NEXT);
}
