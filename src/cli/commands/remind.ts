/**
 * Offline "remind": what the daily reminder trigger would send on a given day, without sending.
 *   remind FILE.xlsx --today YYYY-MM-DD [--json]
 * Offline there is no spreadsheet URL nor sheet ids: links name the file instead.
 */
import { SHEET_NAMES } from '../../core/sheet/own-sheets';
import { vietnameseDay, isYmd } from '../../core/engine/dates';
import type { DayReminders } from '../../core/reminders/types';
import { SKIP_REASON_LABEL } from '../../core/settings/email';
import { remindersForDay, unitStatuses } from '../../core/reminders/schedule';

import { loadWorkbook } from '../inputs';
import type { Command, ParsedArgs } from '../args';
import { CliError } from '../args';

/** The --today flag, checked: a real calendar date written YYYY-MM-DD. */
export function todayOf(args: ParsedArgs): string {
  const value = args.flags.get('--today');
  if (value === undefined || value === true) {
    throw new CliError('Thiếu --today YYYY-MM-DD: ngày (theo giờ Việt Nam) cần xem trước các email nhắc hạn, ví dụ --today 2026-06-12.');
  }
  const today = value.trim();
  if (!isYmd(today))
    throw new CliError(`--today "${value}" không phải ngày hợp lệ: cần một ngày có thật dạng YYYY-MM-DD, ví dụ 2026-06-12.`);
  return today;
}

/** The plan as printed by --json: one object, without the bodies. */
export function remindersJson(plan: DayReminders) {
  return {
    today: plan.today,
    emails: plan.emails.map((e) => ({
      kind: e.kind,
      unit: e.unit,
      to: e.to,
      cc: e.cc,
      milestone: e.milestone,
      daysLeft: e.daysLeft,
      subject: e.subject,
      pending: {
        unscored: e.pending.unscored,
        missingEvidence: e.pending.missingEvidence,
        missingExplanation: e.pending.missingExplanation,
      },
    })),
    skipped: plan.skipped.map((s) => ({ unit: s.unit, email: s.email, reason: s.reason })),
  };
}

/** The plan as a Vietnamese listing. */
export function remindersText(file: string, plan: DayReminders, milestones: readonly string[]): string {
  const lines = [`Nhắc hạn ngày ${vietnameseDay(plan.today)} cho tệp ${file} (chạy thử: không gửi email nào).`];
  if (plan.emails.length === 0) {
    lines.push('Hôm nay không có email nào cần gửi.');
    const next = milestones.filter((d) => d >= plan.today).sort()[0];
    if (next) lines.push(`Mốc cập nhật kế tiếp: ${vietnameseDay(next)}.`);
  } else {
    lines.push(`Sẽ gửi ${plan.emails.length} email:`);
    plan.emails.forEach((e, i) => {
      const what = e.kind === 'report' ? 'Báo cáo' : 'Nhắc hạn';
      lines.push('', `${i + 1}. ${what} - ${e.unit}`);
      lines.push(`   Tiêu đề: ${e.subject}`);
      lines.push(`   Người nhận: ${e.to.join(', ')}${e.cc.length ? `; CC: ${e.cc.join(', ')}` : ''}`);
      const p = e.pending;
      lines.push(
        `   ${e.kind === 'report' ? 'Tổng các đơn vị còn' : 'Còn'}: chưa chấm ${p.unscored}, thiếu minh chứng ` +
          `${p.missingEvidence}, thiếu giải trình ${p.missingExplanation}`,
      );
    });
  }
  if (plan.skipped.length > 0) {
    lines.push('', `Không gửi tới ${plan.skipped.length} địa chỉ:`);
    for (const s of plan.skipped) lines.push(`- ${s.unit}: ${s.email ? `"${s.email}"` : '(trống)'} - ${SKIP_REASON_LABEL[s.reason]}`);
  }
  return lines.join('\n');
}

export const remind: Command = async (args, io) => {
  const today = todayOf(args);
  const { parsed, names, scores } = await loadWorkbook(args.file, io, Number(today.slice(0, 4)));
  for (const w of parsed.warnings) io.err(`Lưu ý: ${w}`);
  const settings = parsed.settings;
  if (settings.units.length === 0) io.err(`Lưu ý: bảng đơn vị trong trang "${SHEET_NAMES.settings}" trống: không có ai để nhắc.`);

  const plan = remindersForDay({
    today,
    settings,
    units: unitStatuses(settings, names, scores),
    spreadsheetUrl: `(tệp ${args.file})`,
    summarySheetId: null,
    alreadySent: new Set<string>(),
  });
  if (args.flags.has('--json')) io.out(JSON.stringify(remindersJson(plan), null, 2));
  else
    io.out(
      remindersText(
        args.file,
        plan,
        settings.milestones.map((m) => m.date),
      ),
    );
};
