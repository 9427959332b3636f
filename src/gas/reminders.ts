/**
 * Deadline reminders: one daily time-driven trigger, the reminder log sheet, sending with
 * MailApp. What to send and to whom is decided by the pure planner in core/reminders.ts.
 */
import { REMINDER_LOG_HEADERS, SHEET_NAMES } from '../core/sheet/own-sheets';
import type { PlannedEmail, DayReminders, UnitStatus } from '../core/reminders/types';
import { escapeHtml, SKIP_REASON_LABEL } from '../core/settings/email';
import { remindersForDay, unitStatuses } from '../core/reminders/schedule';
import { type ParsedSettings, vietnamDate } from '../core/settings/settings';

import { errorMessage, formatNow, runMenuAction, toast, withDocumentLock } from './env';
import { findSheet, readSettings } from './settings';
import { scoreAllSheets } from './summary';
import { LOCK_WAIT } from './env';
import type { EntryName } from './entry-names';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** The daily time-driven trigger's handler (src/gas/daily.ts). */
export const TRIGGER_HANDLER: EntryName = 'dailyTick';
const LOG_HEADERS = REMINDER_LOG_HEADERS;
export const STATUS_SENT = 'Đã gửi';

/** Unit statuses for the planner, from one read of each unit sheet. */
export function statusesOf(ss: Spreadsheet, parsed: ParsedSettings): UnitStatus[] {
  const { names, scores, ids } = scoreAllSheets(ss, parsed);
  return unitStatuses(parsed.settings, names, scores, ids);
}

function logSheet(ss: Spreadsheet): GoogleAppsScript.Spreadsheet.Sheet {
  const existing = findSheet(ss, SHEET_NAMES.reminderLog);
  if (existing) return existing;
  const sheet = ss.insertSheet(SHEET_NAMES.reminderLog);
  sheet.getRange(1, 1, 1, LOG_HEADERS.length).setValues([LOG_HEADERS]).setFontWeight('bold');
  sheet.setFrozenRows(1);
  return sheet;
}

/** Keys of what was already sent, from the log (one read). */
export function sentKeys(ss: Spreadsheet): Set<string> {
  const sheet = findSheet(ss, SHEET_NAMES.reminderLog);
  const keys = new Set<string>();
  if (!sheet || sheet.getLastRow() < 2) return keys;
  const rows = sheet.getRange(2, 1, sheet.getLastRow() - 1, LOG_HEADERS.length).getValues();
  for (const row of rows) if (row[6] === STATUS_SENT && row[7]) keys.add(String(row[7]));
  return keys;
}

export interface SendOutcome {
  plan: DayReminders;
  sent: number;
  failed: number;
  quotaStopped: boolean;
}

/** Today's plan and its sending. Every e-mail's outcome and every refused address is logged. */
export function runReminders(ss: Spreadsheet, parsed: ParsedSettings, now: Date = new Date()): SendOutcome {
  const summary = findSheet(ss, SHEET_NAMES.summary);
  const plan = remindersForDay({
    today: vietnamDate(now),
    settings: parsed.settings,
    units: statusesOf(ss, parsed),
    spreadsheetUrl: ss.getUrl(),
    summarySheetId: summary ? summary.getSheetId() : null,
    alreadySent: sentKeys(ss),
  });
  return sendPlanned(ss, plan, now);
}

const KIND_LABEL: Record<PlannedEmail['kind'], string> = { reminder: 'Nhắc hạn', report: 'Báo cáo', result: 'Kết quả' };

/** Sends a planned batch (reminders, reports, results) within the day's quota and logs every outcome in one write. */
export function sendPlanned(ss: Spreadsheet, plan: DayReminders, now: Date = new Date()): SendOutcome {
  const stamp = formatNow(ss, now);
  const log: unknown[][] = [];
  let sent = 0;
  let failed = 0;
  let quotaStopped = false;
  for (const email of plan.emails) {
    const recipients = email.to.length + email.cc.length;
    const row = (status: string) => [
      stamp,
      email.unit,
      [...email.to, ...email.cc].join(', '),
      email.milestone,
      email.daysLeft,
      KIND_LABEL[email.kind],
      status,
      email.key,
    ];
    if (quotaStopped || MailApp.getRemainingDailyQuota() < recipients) {
      quotaStopped = true;
      log.push(row('Chưa gửi: hết hạn mức gửi email trong ngày'));
      continue;
    }
    try {
      MailApp.sendEmail({
        to: email.to.join(','),
        cc: email.cc.join(','),
        subject: email.subject,
        body: email.textBody,
        htmlBody: email.htmlBody,
        name: 'Chấm điểm CCHC/CDS',
      });
      sent++;
      log.push(row(STATUS_SENT));
    } catch (err) {
      failed++;
      log.push(row(`Lỗi: ${errorMessage(err)}`));
    }
  }
  for (const s of plan.skipped) log.push([stamp, s.unit, s.email, '', '', 'Bỏ qua', `Không gửi: ${SKIP_REASON_LABEL[s.reason]}`, '']);
  if (log.length > 0) {
    const sheet = logSheet(ss);
    sheet.getRange(sheet.getLastRow() + 1, 1, log.length, LOG_HEADERS.length).setValues(log);
  }
  return { plan, sent, failed, quotaStopped };
}

function reminderTriggers(): GoogleAppsScript.Script.Trigger[] {
  return ScriptApp.getProjectTriggers().filter((t) => t.getHandlerFunction() === TRIGGER_HANDLER);
}

/** Installs exactly one daily trigger at about 7:00 Vietnam time. Returns false when one existed. */
export function enableReminders(): boolean {
  if (reminderTriggers().length > 0) return false;
  ScriptApp.newTrigger(TRIGGER_HANDLER).timeBased().everyDays(1).atHour(7).inTimezone('Asia/Ho_Chi_Minh').create();
  return true;
}

export function disableReminders(): number {
  const triggers = reminderTriggers();
  for (const t of triggers) ScriptApp.deleteTrigger(t);
  return triggers.length;
}

export function menuEnableReminders(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const created = withDocumentLock(enableReminders);
    toast(ss, created ? 'Đã bật nhắc hạn tự động: mỗi ngày khoảng 7 giờ sáng.' : 'Nhắc hạn tự động đã được bật từ trước.');
  });
}

export function menuDisableReminders(): void {
  runMenuAction(() => {
    const removed = withDocumentLock(disableReminders);
    toast(SpreadsheetApp.getActiveSpreadsheet(), removed > 0 ? 'Đã tắt nhắc hạn tự động.' : 'Nhắc hạn tự động chưa được bật.');
  });
}

export function menuSendRemindersNow(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const parsed = readSettings(ss);
    const outcome = withDocumentLock(() => runReminders(ss, parsed), LOCK_WAIT.long);
    const ui = SpreadsheetApp.getUi();
    const lines = [`Hôm nay (${outcome.plan.today}): đã gửi ${outcome.sent} email, lỗi ${outcome.failed}.`];
    if (outcome.plan.emails.length === 0) lines.push('Hôm nay không có email nào cần gửi (chưa đến ngày nhắc, hoặc đã gửi rồi).');
    if (outcome.quotaStopped) lines.push('Đã hết hạn mức gửi email trong ngày: các email còn lại được ghi "Chưa gửi" trong nhật ký.');
    for (const s of outcome.plan.skipped) lines.push(`Không gửi cho ${s.unit} (${s.email || 'chưa có email'}): cần email công vụ.`);
    ui.alert('Nhắc hạn', lines.join('\n'), ui.ButtonSet.OK);
  });
}

/** Menu: preview the reminder a chosen unit would get at the next milestone; nothing is sent. */
export function menuPreviewReminder(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const parsed = readSettings(ss);
    const ui = SpreadsheetApp.getUi();
    const units = parsed.settings.units;
    if (units.length === 0) {
      ui.alert('Xem trước email', 'Bảng đơn vị trong trang "Cấu hình" đang trống.', ui.ButtonSet.OK);
      return;
    }
    const list = units.map((u, i) => `${i + 1}. ${u.name}`).join('\n');
    const answer = ui.prompt('Xem trước email nhắc hạn', `Nhập số thứ tự đơn vị:\n${list}`, ui.ButtonSet.OK_CANCEL);
    if (answer.getSelectedButton() !== ui.Button.OK) return;
    const index = Number(answer.getResponseText().trim()) - 1;
    if (!Number.isInteger(index) || index < 0 || index >= units.length) {
      ui.alert('Xem trước email', 'Số thứ tự không hợp lệ.', ui.ButtonSet.OK);
      return;
    }
    const { email, refused } = previewFor(ss, parsed, index, new Date());
    const style = 'font:13px Arial,sans-serif';
    const html = refused.length
      ? `<p style="${style}">Không gửi được email cho ${escapeHtml(units[index].name)}: ` +
        `${refused.map((r) => `${escapeHtml(r.email || '(chưa có email)')} — ${escapeHtml(SKIP_REASON_LABEL[r.reason])}`).join('; ')}. ` +
        'Hãy sửa cột Email trong trang "Cấu hình" thành email công vụ.</p>'
      : email
        ? `<div style="${style}"><p><b>Gửi đến:</b> ${escapeHtml(email.to.join(', '))}<br><b>CC:</b> ` +
          `${escapeHtml(email.cc.join(', '))}<br><b>Tiêu đề:</b> ${escapeHtml(email.subject)}</p><hr>${email.htmlBody}</div>`
        : `<p style="${style}">${escapeHtml(units[index].name)} không còn việc cần nhắc, hoặc không còn mốc nào sắp tới.</p>`;
    ui.showModalDialog(HtmlService.createHtmlOutput(html).setWidth(640).setHeight(520), 'Xem trước email (chưa gửi)');
  });
}

/** The reminder unit `index` would get N days before the next milestone, or why it would get none. */
export function previewFor(
  ss: Spreadsheet,
  parsed: ParsedSettings,
  index: number,
  now: Date,
): { email: PlannedEmail | null; refused: DayReminders['skipped'] } {
  const today = vietnamDate(now);
  const next = parsed.settings.milestones.find((m) => m.date >= today);
  if (!next) return { email: null, refused: [] };
  const lead = parsed.settings.leadDays[0] ?? 7;
  const day = new Date(Date.parse(`${next.date}T00:00:00Z`) - lead * 86400000);
  const unit = parsed.settings.units[index];
  const statuses = statusesOf(ss, parsed).filter((s) => s.unit === unit);
  const plan = remindersForDay({
    today: day.toISOString().slice(0, 10),
    settings: { ...parsed.settings, leadDays: [lead], units: [unit], domains: parsed.settings.domains },
    units: statuses,
    spreadsheetUrl: ss.getUrl(),
    summarySheetId: null,
    alreadySent: new Set(),
  });
  return { email: plan.emails.find((e) => e.kind === 'reminder') ?? null, refused: plan.skipped.filter((x) => x.unit === unit.name) };
}
