/**
 * Deadline reminders: one daily time-driven trigger, the reminder log sheet, sending with
 * MailApp. What to send and to whom is decided by the pure planner in core/reminders.ts.
 */
import { documentProperties, errorMessage, formatNow, runMenuAction, timeZoneOf, withDocumentLock, LOCK_WAIT } from './env';
import { REMINDER_LOG_HEADERS, SHEET_NAMES } from '../core/sheet/own-sheets';
import type { PlannedEmail, DayReminders, UnitStatus } from '../core/reminders/types';
import { escapeHtml, SKIP_REASON_LABEL } from '../core/settings/email';
import { remindersForDay, unitStatuses } from '../core/reminders/schedule';
import { calendarDate, type ParsedSettings, todayOf } from '../core/settings/settings';

import {
  claimDay,
  dailyOff,
  type EnsureOutcome,
  ensureTrigger,
  noteRun,
  ownerText,
  PROP_DAILY_OFF,
  removeOwnTriggers,
  runningAccount,
  type TriggerRecord,
  triggerRecord,
} from './triggers';
import { findSheet, readSettings, sheetIdOf } from './settings';
import { scoreAllSheets } from './summary';
import type { EntryName } from './entry-names';
import { appendLogRows, drainAuditQueue, type LogSheet } from './workflow';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** The daily time-driven trigger's handler (src/gas/daily.ts). */
export const TRIGGER_HANDLER: EntryName = 'dailyTick';
const LOG_HEADERS = REMINDER_LOG_HEADERS;
/** The reminder log's columns kept as text (1-based): all but the days left. */
const LOG_TEXT_COLS = [1, 2, 3, 4, 6, 7, 8];
/** Unit statuses for the planner, from one read of each unit sheet. */
export function statusesOf(ss: Spreadsheet, parsed: ParsedSettings): UnitStatus[] {
  const { names, scores, ids } = scoreAllSheets(ss, parsed);
  return unitStatuses(parsed.settings, names, scores, ids);
}

/** The reminder log: every e-mail planned, sent or not. */
const REMINDER_LOG: LogSheet = { name: SHEET_NAMES.reminderLog, headers: LOG_HEADERS, textCols: LOG_TEXT_COLS };

export const STATUS_SENT = 'Đã gửi';
/** Logged when the day's mail quota ran out; such an e-mail is retried on the following days while it is due. */
export const STATUS_UNSENT = 'Chưa gửi: hết hạn mức gửi email trong ngày (sẽ gửi lại vào các ngày sau)';

/** An e-mail logged as not sent and not sent since. */
export interface UnsentEntry {
  key: string;
  unit: string;
  milestone: string;
}

/** What the log says was sent, and what is still unsent (one read). */
export function logState(ss: Spreadsheet): { sent: Set<string>; unsent: UnsentEntry[] } {
  const sheet = findSheet(ss, SHEET_NAMES.reminderLog);
  const sent = new Set<string>();
  const unsent = new Map<string, UnsentEntry>();
  if (!sheet || sheet.getLastRow() < 2) return { sent, unsent: [] };
  const rows = sheet.getRange(2, 1, sheet.getLastRow() - 1, LOG_HEADERS.length).getValues();
  for (const row of rows) {
    const key = String(row[7] ?? '');
    if (!key) continue;
    if (row[6] === STATUS_SENT) sent.add(key);
    else if (String(row[6]).startsWith('Chưa gửi')) unsent.set(key, { key, unit: String(row[1]), milestone: String(row[3]) });
  }
  return { sent, unsent: [...unsent.values()].filter((u) => !sent.has(u.key)) };
}

export interface SendOutcome {
  plan: DayReminders;
  sent: number;
  failed: number;
  quotaStopped: boolean;
  /** The e-mails of the plan not sent for want of quota (logged STATUS_UNSENT). */
  unsent: PlannedEmail[];
}

/** Today's plan (with the retries of what is still unsent) and its sending. Every outcome is logged. */
export function runReminders(ss: Spreadsheet, parsed: ParsedSettings, now: Date = new Date()): SendOutcome {
  const summary = sheetIdOf(ss, SHEET_NAMES.summary);
  const log = logState(ss);
  const plan = remindersForDay({
    today: todayOf(parsed, now),
    settings: parsed.settings,
    units: statusesOf(ss, parsed),
    spreadsheetUrl: ss.getUrl(),
    summarySheetId: summary,
    alreadySent: log.sent,
    unsent: new Set(log.unsent.map((u) => u.key)),
  });
  return sendPlanned(ss, plan, now);
}

const KIND_LABEL: Record<PlannedEmail['kind'], string> = { reminder: 'Nhắc hạn', report: 'Báo cáo', result: 'Kết quả' };

function kindLabel(email: PlannedEmail): string {
  return email.retry ? `${KIND_LABEL[email.kind]} (gửi lại)` : KIND_LABEL[email.kind];
}

/** Sends a planned batch (reminders, reports, results) within the day's quota and logs every outcome in one write. */
export function sendPlanned(ss: Spreadsheet, plan: DayReminders, now: Date = new Date()): SendOutcome {
  const stamp = formatNow(ss, now);
  const log: unknown[][] = [];
  let sent = 0;
  let failed = 0;
  let quotaStopped = false;
  const unsent: PlannedEmail[] = [];
  for (const email of plan.emails) {
    const recipients = email.to.length + email.cc.length;
    const row = (status: string) => [
      stamp,
      email.unit,
      [...email.to, ...email.cc].join(', '),
      email.milestone,
      email.daysLeft,
      kindLabel(email),
      status,
      email.key,
    ];
    // Every recipient (To and CC) uses one unit of the day's quota.
    if (quotaStopped || MailApp.getRemainingDailyQuota() < recipients) {
      quotaStopped = true;
      unsent.push(email);
      log.push(row(STATUS_UNSENT));
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
  // Time, milestone and key stay text: a general-format cell would turn "12/09/2026 07:30" and "2026-09-15" into dates.
  appendLogRows(ss, REMINDER_LOG, log);
  return { plan, sent, failed, quotaStopped, unsent };
}

/** Installs the daily trigger (about 7:00 Vietnam time) unless one of this or another account does the job. */
export function enableReminders(now: Date = new Date()): EnsureOutcome {
  documentProperties().deleteProperty(PROP_DAILY_OFF);
  return ensureTrigger('daily', now, () => {
    ScriptApp.newTrigger(TRIGGER_HANDLER).timeBased().everyDays(1).atHour(7).inTimezone('Asia/Ho_Chi_Minh').create();
  });
}

/**
 * Turns the daily run off for every account: the current account's triggers are deleted, and the document records
 * "off", so a trigger another account installed (which only that account can delete) does nothing either.
 */
export function disableReminders(now: Date = new Date()): { removed: number; other: TriggerRecord | null } {
  const me = runningAccount();
  documentProperties().setProperty(PROP_DAILY_OFF, JSON.stringify({ by: me, at: now.toISOString() }));
  const removed = removeOwnTriggers('daily');
  return { removed, other: triggerRecord('daily') };
}

/**
 * The daily run's guard: true when this run does today's work. False when reminders are off, or another trigger
 * (another account's) already claimed today: that run did or does it. Never throws.
 */
export function claimDailyRun(triggerUid: string | undefined, now: Date = new Date()): boolean {
  try {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const today = calendarDate(now, timeZoneOf(ss));
    return withDocumentLock(() => {
      // Audit rows units wrote through the sidebar reach the log as the office's account, even on a day off.
      try {
        drainAuditQueue(ss);
      } catch (err) {
        console.error(`Nhật ký chỉnh sửa: ${errorMessage(err)}`);
      }
      if (triggerUid) noteRun('daily', now);
      return !dailyOff() && claimDay('daily', today, triggerUid);
    });
  } catch (err) {
    // The lock held for the whole wait: another daily run is doing the work.
    console.error(`Chạy hằng ngày: ${errorMessage(err)}`);
    return false;
  }
}

const LEAVES =
  'Trình kích hoạt chỉ chạy khi tài khoản đã cài nó còn quyền sửa bảng tính; nếu tài khoản đó rời cơ quan, ' +
  'một tài khoản khác của cơ quan chọn lại "Bật nhắc hạn tự động" (sau hai ngày không chạy, trình kích hoạt cũ được thay).';

/** Where the daily run stands, for every menu about reminders: on or off, whose trigger, what to do. */
export function remindersStatusText(ss: Spreadsheet): string {
  const off = dailyOff();
  const rec = triggerRecord('daily');
  if (off) {
    const by = off.by || 'không xác định';
    return `Nhắc hạn tự động đang tắt (tài khoản ${by} tắt lúc ${formatNow(ss, new Date(off.at))}).`;
  }
  if (!rec) return 'Nhắc hạn tự động chưa được bật.';
  const mine = rec.owner !== '' && rec.owner.toLowerCase() === runningAccount().toLowerCase();
  return `Nhắc hạn tự động đang bật, chạy bằng trình kích hoạt của ${ownerText(ss, rec)}${mine ? ' (tài khoản của bạn)' : ''}. ${LEAVES}`;
}

export function menuEnableReminders(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const outcome = withDocumentLock(() => enableReminders());
    const who = ownerText(ss, outcome.record);
    const message = {
      installed: `Đã bật nhắc hạn tự động: mỗi ngày khoảng 7 giờ sáng, bằng trình kích hoạt của ${who}.`,
      mine: `Nhắc hạn tự động đã được bật từ trước, bằng trình kích hoạt của ${who} (tài khoản của bạn).`,
      other:
        `Nhắc hạn tự động đã được bật từ trước, bằng trình kích hoạt của ${who}: không cài thêm, để không gửi hai lần. ` +
        'Chỉ tài khoản đó gỡ được trình kích hoạt của mình.',
    }[outcome.state];
    SpreadsheetApp.getUi().alert('Nhắc hạn', `${message}\n${LEAVES}`, SpreadsheetApp.getUi().ButtonSet.OK);
  });
}

export function menuDisableReminders(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const { removed, other } = withDocumentLock(() => disableReminders());
    const lines = ['Đã tắt nhắc hạn tự động: không gửi email nhắc hạn, không tự lưu điểm theo mốc, không tự khóa tự chấm.'];
    if (removed > 0) lines.push('Đã gỡ trình kích hoạt hằng ngày của tài khoản bạn.');
    if (other) {
      lines.push(
        `Trình kích hoạt hằng ngày của ${ownerText(ss, other)} vẫn còn (chỉ tài khoản đó gỡ được) nhưng sẽ không làm gì ` +
          'cho đến khi có người chọn lại "Bật nhắc hạn tự động". Muốn gỡ hẳn, tài khoản đó mở bảng tính và chọn "Tắt nhắc hạn tự động".',
      );
    } else if (removed === 0) {
      lines.push(
        'Tài khoản của bạn không có trình kích hoạt hằng ngày; nếu một tài khoản khác đã bật, trình kích hoạt của họ cũng sẽ không làm gì.',
      );
    }
    SpreadsheetApp.getUi().alert('Nhắc hạn', lines.join('\n'), SpreadsheetApp.getUi().ButtonSet.OK);
  });
}

/** "Công an xã (hạn 15/06/2026)" for the lists of what is still unsent. */
function unsentLine(unit: string, milestone: string): string {
  return `• ${unit}${milestone ? ` (hạn ${milestone})` : ''}`;
}

export function menuSendRemindersNow(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const parsed = readSettings(ss);
    const outcome = withDocumentLock(() => runReminders(ss, parsed), LOCK_WAIT.long);
    const ui = SpreadsheetApp.getUi();
    const retried = outcome.plan.emails.filter((e) => e.retry).length;
    const lines = [`Hôm nay (${outcome.plan.today}): đã gửi ${outcome.sent} email, lỗi ${outcome.failed}.`];
    if (retried > 0) lines.push(`Trong kế hoạch hôm nay có ${retried} email gửi lại (trước đó chưa gửi được vì hết hạn mức).`);
    if (outcome.plan.emails.length === 0) lines.push('Hôm nay không có email nào cần gửi (chưa đến ngày nhắc, hoặc đã gửi rồi).');
    if (outcome.quotaStopped) {
      lines.push(
        `Đã hết hạn mức gửi email trong ngày: ${outcome.unsent.length} email chưa gửi, được ghi "Chưa gửi" trong nhật ký và sẽ ` +
          'được gửi lại vào các ngày sau cho đến hạn (khi nhắc hạn tự động đang bật):',
        ...outcome.unsent.map((e) => unsentLine(e.unit, e.milestone)),
      );
    }
    for (const s of outcome.plan.skipped) lines.push(`Không gửi cho ${s.unit} (${s.email || 'chưa có email'}): cần email công vụ.`);
    lines.push('', remindersStatusText(ss));
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
    const waiting = logState(ss).unsent;
    const footer =
      `<hr><p style="${style}">${escapeHtml(remindersStatusText(ss))}</p>` +
      (waiting.length
        ? `<p style="${style}"><b>Còn ${waiting.length} email chưa gửi được (hết hạn mức), sẽ gửi lại vào các ngày sau:</b><br>` +
          `${waiting.map((w) => escapeHtml(unsentLine(w.unit, w.milestone))).join('<br>')}</p>`
        : '');
    ui.showModalDialog(
      HtmlService.createHtmlOutput(html + footer)
        .setWidth(640)
        .setHeight(520),
      'Xem trước email (chưa gửi)',
    );
  });
}

/** The reminder unit `index` would get N days before the next milestone, or why it would get none. */
export function previewFor(
  ss: Spreadsheet,
  parsed: ParsedSettings,
  index: number,
  now: Date,
): { email: PlannedEmail | null; refused: DayReminders['skipped'] } {
  const today = todayOf(parsed, now);
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
