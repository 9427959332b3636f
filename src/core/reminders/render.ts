/** The reminder and report e-mails as HTML and plain text. Everything quoted from the sheet is escaped. */
import { SHEET_NAMES } from '../sheet/own-sheets';
import { vietnameseDay } from '../engine/dates';
import { type Pending, hasPending } from '../engine/findings';

import { SKIP_REASON_LABEL, escapeHtml } from '../settings/email';
import type { Milestone, Settings, Unit } from '../settings/settings';
import {
  MISSING_LABEL,
  NO_PENDING,
  OFFICE_LABEL,
  OPEN_LIST_LIMIT,
  type OpenCriterion,
  type ReminderInput,
  type PlannedEmail,
  type Recipients,
  type UnitStatus,
} from './types';
/** Longer criterion texts are shortened in e-mails. */
const TEXT_LIMIT = 160;

function isHttpUrl(url: string): boolean {
  return /^https?:\/\/[^\s"'<>]+$/i.test(url.trim());
}

/** The spreadsheet URL opened on one sheet; a non-URL placeholder (offline) is kept as is. */
export function sheetLink(spreadsheetUrl: string, sheetId: number | null): string {
  const url = spreadsheetUrl.trim();
  if (!isHttpUrl(url)) return url;
  const base = url.replace(/#.*$/, '');
  return sheetId === null ? base : `${base}#gid=${sheetId}`;
}

export function htmlLink(url: string, label: string): string {
  if (!isHttpUrl(url)) return escapeHtml(url);
  return `<a href="${escapeHtml(url.trim())}" style="color:#1a73e8">${escapeHtml(label)}</a>`;
}

export function shorten(text: string, limit = TEXT_LIMIT): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > limit ? `${t.slice(0, limit - 1).trimEnd()}…` : t;
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function fieldName(field: Settings['field']): string {
  return field === 'CDS' ? 'chuyển đổi số' : 'cải cách hành chính';
}

/** "xã Phước Chánh" (a name already starting with xã/phường/thị trấn is kept). */
export function communeName(commune: string): string {
  const c = oneLine(commune);
  if (!c) return '';
  return /^(xã|phường|thị trấn)\b/i.test(c) ? c : `xã ${c}`;
}

function whenText(daysLeft: number): string {
  return daysLeft === 0 ? 'hôm nay là hạn' : `còn ${daysLeft} ngày đến hạn`;
}

function pendingLines(p: Pending): string[] {
  const lines: string[] = [];
  if (p.unscored) lines.push(`${p.unscored} tiêu chí chưa tự chấm điểm`);
  if (p.missingEvidence) lines.push(`${p.missingEvidence} tiêu chí có điểm nhưng chưa có đường dẫn minh chứng`);
  if (p.missingExplanation) lines.push(`${p.missingExplanation} tiêu chí tự chấm dưới điểm tối đa nhưng chưa có giải trình`);
  return lines;
}

function missingText(o: OpenCriterion): string {
  return o.missing.map((k) => MISSING_LABEL[k]).join(', ');
}

function criterionLabel(o: OpenCriterion): string {
  return o.outline ? o.outline : `Hàng ${o.row}`;
}

/** The plan's rules, briefly, as plain sentences. */
function ruleLines(settings: Settings, unit: Unit): string[] {
  const focal = oneLine(settings.officeFocal);
  const lines = [
    'Tiêu chí tự chấm dưới điểm tối đa phải ghi rõ giải trình ở cột Giải trình.',
    'Mỗi tiêu chí có điểm phải kèm đường dẫn minh chứng số ở cột Minh chứng.',
    `Minh chứng có dung lượng lớn: nén thành tệp .zip hoặc .rar, đặt tên rõ theo đơn vị, nhóm nhiệm vụ, thời điểm cập nhật và gửi ` +
      `về cơ quan thường trực${focal ? ` qua đồng chí ${focal}` : ''}.`,
    'Chỉ trao đổi, gửi nhận hồ sơ qua email công vụ; không sử dụng email cá nhân như Gmail.',
  ];
  if (unit.sensitive) {
    lines.push(
      'Tài liệu có thông tin cá nhân, thông tin mật hoặc thuộc lĩnh vực quốc phòng, an ninh, y tế, giáo dục: chỉ cung cấp bản ' +
        'trích yếu, số liệu tổng hợp hoặc đường dẫn có phân quyền phù hợp, không chia sẻ công khai cho bất kỳ ai có đường liên kết.',
    );
  }
  return lines;
}

export function footer(settings: Settings): string {
  const commune = communeName(settings.commune);
  const office = settings.officeEmail ? ` (${oneLine(settings.officeEmail)})` : '';
  return (
    `Email được gửi tự động từ công cụ chấm điểm ${settings.field}${commune ? ` của UBND ${commune}` : ''}. Mọi vướng mắc xin ` +
    `liên hệ cơ quan thường trực${office}.`
  );
}

export const WRAP = 'font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#202124';

const TABLE = 'border-collapse:collapse;margin:8px 0';

const CELL = 'border:1px solid #dadce0;padding:4px 8px;vertical-align:top';

const HEAD = `${CELL};text-align:left;background:#f1f3f4`;

export const NOTE = 'color:#5f6368;font-size:12px';

export function htmlTable(headers: string[], rows: string[][], numeric: number[] = []): string {
  const th = headers.map((h) => `<th style="${HEAD}">${escapeHtml(h)}</th>`).join('');
  const trs = rows
    .map(
      (r) => `<tr>${r.map((c, i) => `<td style="${CELL};text-align:${numeric.includes(i) ? 'right' : 'left'}">${c}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table style="${TABLE}"><tr>${th}</tr>${trs}</table>`;
}

export function reminderEmail(
  key: string,
  m: Milestone,
  daysLeft: number,
  s: UnitStatus,
  to: string[],
  cc: string[],
  settings: Settings,
  spreadsheetUrl: string,
): PlannedEmail {
  const unit = s.unit;
  const name = oneLine(unit.name);
  const focal = oneLine(unit.focal);
  const date = vietnameseDay(m.date);
  const subject = `[Nhắc hạn ${settings.field}] ${name}: ${whenText(daysLeft)} ${date}`;
  const link = sheetLink(spreadsheetUrl, s.sheetId);
  const shown = s.open.slice(0, OPEN_LIST_LIMIT);
  const more = s.open.length - shown.length;
  const counts = pendingLines(s.pending);
  const deadline = daysLeft === 0 ? `hôm nay (${date}) là hạn cập nhật` : `còn ${daysLeft} ngày nữa là đến hạn cập nhật ${date}`;
  const intro = `Biểu chấm điểm ${fieldName(settings.field)} (${settings.field}) năm ${settings.year} của đơn vị: ${deadline}.`;
  const content = oneLine(m.content);
  const rules = ruleLines(settings, unit);

  const text: string[] = [`Kính gửi: ${name}${focal ? ` (đầu mối: ${focal})` : ''},`, '', intro];
  if (content) text.push(`Nội dung cập nhật theo kế hoạch: ${content}`);
  text.push('', 'Biểu của đơn vị hiện còn:', ...counts.map((l, i) => `- ${l}${i === counts.length - 1 ? '.' : ';'}`));
  if (shown.length > 0) {
    text.push('', 'Các tiêu chí cần hoàn thiện:');
    for (const o of shown) text.push(`- ${criterionLabel(o)}. ${shorten(o.text)}: ${missingText(o)}`);
    if (more > 0) text.push(`và ${more} tiêu chí khác.`);
  }
  text.push('', `Mở biểu chấm điểm của đơn vị: ${link}`, '', 'Lưu ý theo kế hoạch:', ...rules.map((l) => `- ${l}`), '', footer(settings));

  const html: string[] = [
    `<div style="${WRAP}">`,
    `<p>Kính gửi: <b>${escapeHtml(name)}</b>${focal ? ` (đầu mối: ${escapeHtml(focal)})` : ''},</p>`,
    `<p>Biểu chấm điểm ${escapeHtml(fieldName(settings.field))} (${escapeHtml(settings.field)}) năm ${settings.year} của đơn vị: ` +
      `<b>${escapeHtml(deadline)}</b>.</p>`,
  ];
  if (content) html.push(`<p>Nội dung cập nhật theo kế hoạch: ${escapeHtml(content)}</p>`);
  html.push(`<p>Biểu của đơn vị hiện còn:</p><ul>${counts.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`);
  if (shown.length > 0) {
    html.push('<p>Các tiêu chí cần hoàn thiện:</p>');
    html.push(
      htmlTable(
        ['STT', 'Tiêu chí', 'Còn thiếu'],
        shown.map((o) => [escapeHtml(criterionLabel(o)), escapeHtml(shorten(o.text)), escapeHtml(missingText(o))]),
      ),
    );
    if (more > 0) html.push(`<p>và ${more} tiêu chí khác.</p>`);
  }
  html.push(`<p>${htmlLink(link, 'Mở biểu chấm điểm của đơn vị')}</p>`);
  html.push(`<p><b>Lưu ý theo kế hoạch:</b></p><ul>${rules.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`);
  html.push(`<p style="${NOTE}">${escapeHtml(footer(settings))}</p>`, '</div>');

  return {
    kind: 'reminder',
    key,
    unit: unit.name,
    sheet: unit.sheet,
    to: [...to],
    cc,
    milestone: m.date,
    daysLeft,
    subject,
    htmlBody: html.join('\n'),
    textBody: text.join('\n'),
    pending: { ...s.pending },
  };
}

export function reportEmail(
  key: string,
  m: Milestone,
  today: string,
  statuses: readonly UnitStatus[],
  unitRecipients: ReadonlyMap<UnitStatus, Recipients>,
  to: string[],
  settings: Settings,
  input: ReminderInput,
): PlannedEmail {
  const date = vietnameseDay(m.date);
  const subject = `[Báo cáo ${settings.field}] Tình hình cập nhật sau mốc ${date}`;
  const total = NO_PENDING();
  const incomplete: { s: UnitStatus; note: string }[] = [];
  const complete: UnitStatus[] = [];
  for (const s of statuses) {
    total.unscored += s.pending.unscored;
    total.missingEvidence += s.pending.missingEvidence;
    total.missingExplanation += s.pending.missingExplanation;
    const notes: string[] = [];
    if (s.missingSheet) notes.push(oneLine(s.problem ?? '') || 'không tìm thấy trang tính');
    else if (!hasPending(s.pending)) {
      complete.push(s);
      continue;
    }
    const r = unitRecipients.get(s);
    if (r && r.ok.length === 0 && r.refused.length > 0) notes.push(`không gửi được nhắc hạn: ${SKIP_REASON_LABEL[r.refused[0].reason]}`);
    incomplete.push({ s, note: notes.join('; ') });
  }
  const link = sheetLink(input.spreadsheetUrl, input.summarySheetId);
  const content = oneLine(m.content);
  const intro =
    `Mốc cập nhật ${date} đã qua. Tình hình cập nhật biểu chấm điểm ${fieldName(settings.field)} (${settings.field}) ` +
    `năm ${settings.year} của các đơn vị đến ngày ${vietnameseDay(today)}:`;
  const status =
    incomplete.length === 0
      ? `Tất cả ${statuses.length} đơn vị đã cập nhật đầy đủ điểm tự chấm, giải trình và minh chứng.`
      : `Còn ${incomplete.length}/${statuses.length} đơn vị chưa hoàn thành:`;
  const countsOf = (p: Pending) =>
    `chưa chấm ${p.unscored}, thiếu minh chứng ${p.missingEvidence}, thiếu giải trình ${p.missingExplanation}`;
  const linkNote = `Xem bảng tổng hợp (nên lập lại bảng tổng hợp để có số liệu mới nhất): ${link}`;

  const text: string[] = [`Kính gửi: ${OFFICE_LABEL},`, '', intro];
  if (content) text.push(`(Nội dung mốc: ${content})`);
  text.push('', status);
  for (const { s, note } of incomplete) {
    text.push(`- ${oneLine(s.unit.name)}: ${s.missingSheet ? note : `${countsOf(s.pending)}${note ? ` (${note})` : ''}`}`);
  }
  if (incomplete.length > 0 && complete.length > 0)
    text.push('', `Đã hoàn thành: ${complete.map((s) => oneLine(s.unit.name)).join(', ')}.`);
  text.push('', linkNote, '', footer(settings));

  const html: string[] = [`<div style="${WRAP}">`, `<p>Kính gửi: ${escapeHtml(OFFICE_LABEL)},</p>`, `<p>${escapeHtml(intro)}</p>`];
  if (content) html.push(`<p style="${NOTE}">Nội dung mốc: ${escapeHtml(content)}</p>`);
  html.push(`<p><b>${escapeHtml(status)}</b></p>`);
  if (incomplete.length > 0) {
    const rows = incomplete.map(({ s, note }) => {
      const n = (v: number) => (s.missingSheet ? '' : String(v));
      return [
        escapeHtml(oneLine(s.unit.name)),
        n(s.pending.unscored),
        n(s.pending.missingEvidence),
        n(s.pending.missingExplanation),
        escapeHtml(note),
      ];
    });
    html.push(htmlTable(['Đơn vị', 'Chưa chấm', 'Thiếu minh chứng', 'Thiếu giải trình', 'Ghi chú'], rows, [1, 2, 3]));
    if (complete.length > 0) html.push(`<p>Đã hoàn thành: ${escapeHtml(complete.map((s) => oneLine(s.unit.name)).join(', '))}.</p>`);
  }
  html.push(`<p>${htmlLink(link, 'Xem bảng tổng hợp')}${isHttpUrl(link) ? ' (nên lập lại bảng tổng hợp để có số liệu mới nhất)' : ''}</p>`);
  html.push(`<p style="${NOTE}">${escapeHtml(footer(settings))}</p>`, '</div>');

  return {
    kind: 'report',
    key,
    unit: OFFICE_LABEL,
    sheet: SHEET_NAMES.summary,
    to: [...to],
    cc: [],
    milestone: m.date,
    daysLeft: -1,
    subject,
    htmlBody: html.join('\n'),
    textBody: text.join('\n'),
    pending: total,
  };
}
