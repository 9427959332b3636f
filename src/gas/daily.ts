/** The daily time-driven trigger: reminders, milestone snapshots, locking after the last milestone. */
import { errorMessage, withDocumentLock } from './env';
import { runReminders } from './reminders';
import { readSettings } from './settings';
import { dailyWorkflow } from './workflow';
import { LOCK_WAIT } from './env';

/** Never throws: a failure of one part is logged and the other parts still run. */
export function dailyTick(): void {
  const now = new Date();
  try {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const parsed = readSettings(ss, now);
    withDocumentLock(() => {
      try {
        runReminders(ss, parsed, now);
      } catch (err) {
        console.error(`Nhắc hạn: ${errorMessage(err)}`);
      }
      try {
        dailyWorkflow(ss, parsed, now);
      } catch (err) {
        console.error(`Lưu trữ/khóa: ${errorMessage(err)}`);
      }
    }, LOCK_WAIT.long);
  } catch (err) {
    console.error(errorMessage(err));
  }
}
