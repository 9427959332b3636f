/**
 * Offline "notify": the result e-mails publishing ("Công bố") would send, without sending.
 *   notify FILE.xlsx [--today YYYY-MM-DD] [--json]
 * The JSON has the shape of `remind --json`, each e-mail with "kind": "result". Offline there is
 * no spreadsheet URL nor sheet ids, and no log of what was sent: links name the file instead.
 */
import { inferStage, officialResult, STAGE_NAMES } from '../../core/engine/stages';
import { formatExact } from '../../core/engine/decimal';
import { resultEmails, resultUnits } from '../../core/reminders/result';
import { SHEET_NAMES } from '../../core/sheet/own-sheets';
import { SKIP_REASON_LABEL } from '../../core/settings/email';
import { vietnamDate } from '../../core/settings/settings';
import { vietnameseDay } from '../../core/engine/dates';
import type { DayReminders } from '../../core/reminders/types';
import type { Command } from '../args';
import { loadWorkbook } from '../inputs';
import { remindersJson, todayOf } from './remind';

/** The e-mails as a Vietnamese listing. */
export function resultsText(file: string, plan: DayReminders, notes: ReadonlyMap<string, string>): string {
  const lines = [`Email kết quả khi công bố ngày ${vietnameseDay(plan.today)} cho tệp ${file} (chạy thử: không gửi email nào).`];
  if (plan.emails.length === 0) lines.push('Không có email kết quả nào để gửi.');
  else lines.push(`Sẽ gửi ${plan.emails.length} email:`);
  plan.emails.forEach((e, i) => {
    lines.push('', `${i + 1}. Kết quả - ${e.unit}`);
    lines.push(`   Tiêu đề: ${e.subject}`);
    lines.push(`   Người nhận: ${e.to.join(', ')}${e.cc.length ? `; CC: ${e.cc.join(', ')}` : ''}`);
    const note = notes.get(e.unit);
    if (note) lines.push(`   ${note}`);
  });
  if (plan.skipped.length > 0) {
    lines.push('', `Không gửi tới ${plan.skipped.length} địa chỉ:`);
    for (const s of plan.skipped) lines.push(`- ${s.unit}: ${s.email ? `"${s.email}"` : '(trống)'} - ${SKIP_REASON_LABEL[s.reason]}`);
  }
  return lines.join('\n');
}

export const notify: Command = async (args, io) => {
  const today = args.flags.has('--today') ? todayOf(args) : vietnamDate(new Date());
  const { parsed, scores } = await loadWorkbook(args.file, io, Number(today.slice(0, 4)));
  for (const w of parsed.warnings) io.err(`Lưu ý: ${w}`);
  const settings = parsed.settings;
  if (settings.units.length === 0) io.err(`Lưu ý: bảng đơn vị trong trang "${SHEET_NAMES.settings}" trống: không có ai để gửi kết quả.`);
  const units = resultUnits(settings, scores);
  for (const u of settings.units) {
    if (!units.some((x) => x.unit === u))
      io.err(`Lưu ý: đơn vị "${u.name}" không có biểu chấm điểm (trang "${u.sheet}"): không gửi kết quả.`);
  }
  const plan = resultEmails({ today, settings, units, spreadsheetUrl: `(tệp ${args.file})`, alreadySent: new Set<string>() });
  if (args.flags.has('--json')) {
    io.out(JSON.stringify(remindersJson(plan), null, 2));
    return;
  }
  const notes = new Map(
    units.map((u) => {
      const s = officialResult(u.result);
      const stage = STAGE_NAMES[inferStage(u.result)];
      return [u.unit.name, `Kết quả: ${formatExact(s.total)} điểm, ${formatExact(s.percent)}%, ${s.classification} (giai đoạn: ${stage})`];
    }),
  );
  io.out(resultsText(args.file, plan, notes));
};
