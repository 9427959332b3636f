/**
 * Deadline reminders, pure: which e-mails go out on a given Vietnam calendar day, to whom, and
 * what they say. The shells (the daily Apps Script trigger, the offline `remind` command) pass in
 * today's date, the settings, each unit's status and the keys already sent; nothing here reads a
 * clock, a spreadsheet or sends anything.
 *
 * Rules (from the commune's online scoring plan):
 *  - for each milestone exactly N days away, N in settings.leadDays, every unit whose sheet still
 *    has work (unscored, missing evidence, missing explanation) gets one personal reminder, with
 *    the standing office in CC; a unit with nothing left gets none;
 *  - the day after each milestone the standing office gets one report of the incomplete units;
 *  - only official addresses are mailed (see email.ts); refused addresses are reported as skipped;
 *  - nothing is sent twice: every e-mail has a key (reminderKey) and keys already sent are left out.
 */
import { checkOfficialEmail, escapeHtml, SKIP_REASON_LABEL, type SkipReason, splitEmails } from '../settings/email';
import { type Finding, hasPending, type Pending } from '../engine/findings';
import type { ScoredSheet } from '../engine/score';
import type { Milestone, Settings, Unit } from '../settings/settings';
import { normalizeLabel } from '../engine/text';
import { SHEET_NAMES } from '../engine/workbook';

export type MissingKind = 'unscored' | 'missingEvidence' | 'missingExplanation';

export interface OpenCriterion {
  /** 1-based sheet row of the criterion. */
  row: number;
  outline: string;
  text: string;
  missing: MissingKind[];
}

export interface UnitStatus {
  unit: Unit;
  /** Sheet id for the `#gid=` link; null when unknown (offline) or the sheet is missing. */
  sheetId: number | null;
  pending: Pending;
  /** Criteria still open, in sheet order. */
  open: OpenCriterion[];
  /** True when the unit's sheet is not in the workbook or holds no score table. */
  missingSheet?: boolean;
  /** Short Vietnamese note for the office report when missingSheet (default "không tìm thấy trang tính"). */
  problem?: string;
}

export interface PlannedEmail {
  kind: 'reminder' | 'report';
  key: string;
  /** Unit name, or OFFICE_LABEL for reports. */
  unit: string;
  /** The unit's sheet, or the summary sheet for reports. */
  sheet: string;
  to: string[];
  cc: string[];
  /** YYYY-MM-DD. */
  milestone: string;
  /** Days from today to the milestone: a lead day for reminders, -1 for the day-after report. */
  daysLeft: number;
  subject: string;
  htmlBody: string;
  textBody: string;
  /** The unit's counts; for a report, the sum over all units. */
  pending: Pending;
}

export interface SkippedRecipient {
  unit: string;
  email: string;
  reason: SkipReason;
}

export interface ReminderPlan {
  today: string;
  emails: PlannedEmail[];
  skipped: SkippedRecipient[];
}

export interface PlanInput {
  /** Today in Vietnam, YYYY-MM-DD (settings.vietnamDate(new Date()) in the shells). */
  today: string;
  settings: Settings;
  units: UnitStatus[];
  spreadsheetUrl: string;
  summarySheetId: number | null;
  alreadySent: ReadonlySet<string>;
}

/** Who the reports are addressed to and who appears as "unit" for the office's own entries. */
export const OFFICE_LABEL = 'Cơ quan thường trực';
/** At most this many open criteria are listed in a reminder; the rest are counted. */
export const OPEN_LIST_LIMIT = 30;
/** Longer criterion texts are shortened in e-mails. */
const TEXT_LIMIT = 160;

export const MISSING_LABEL: Record<MissingKind, string> = {
  unscored: 'chưa tự chấm điểm',
  missingEvidence: 'thiếu minh chứng',
  missingExplanation: 'thiếu giải trình',
};

const MISSING_ORDER: MissingKind[] = ['unscored', 'missingEvidence', 'missingExplanation'];

const KIND_OF_RULE: Partial<Record<Finding['rule'], MissingKind>> = {
  unscored: 'unscored',
  'missing-evidence': 'missingEvidence',
  'missing-explanation': 'missingExplanation',
};

// ---- dates -------------------------------------------------------------------

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

function ymdTime(s: string): number | null {
  const m = YMD.exec(String(s ?? ''));
  if (!m) return null;
  const [y, mo, d] = [+m[1], +m[2], +m[3]];
  const t = Date.UTC(y, mo - 1, d);
  const dt = new Date(t);
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return t;
}

/** True for a real calendar date written YYYY-MM-DD ("2026-02-30" is not). */
export function isYmd(s: string): boolean {
  return ymdTime(s) !== null;
}

/** Whole calendar days from `fromYmd` to `toYmd` (negative when `toYmd` is earlier). Throws on a malformed date. */
export function daysBetween(fromYmd: string, toYmd: string): number {
  const a = ymdTime(fromYmd);
  const b = ymdTime(toYmd);
  if (a === null || b === null) throw new Error(`Ngày không hợp lệ (cần dạng YYYY-MM-DD): "${a === null ? fromYmd : toYmd}".`);
  return Math.round((b - a) / 86400000);
}

/** 2026-06-15 → 15/06/2026. */
export function vietnameseDay(ymd: string): string {
  const m = YMD.exec(ymd);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : ymd;
}

// ---- keys ------------------------------------------------------------------------

/**
 * The identity of one e-mail, as stored in the reminder log: kind, milestone date, lead day
 * (-1 for the report) and the unit's sheet. The sheet name is compared like every other label
 * (case, diacritics and spacing ignored), so retyping it in the settings does not resend.
 */
export function reminderKey(kind: PlannedEmail['kind'], milestone: string, leadDays: number, unitSheet: string): string {
  return `${kind}|${milestone}|${leadDays}|${normalizeLabel(unitSheet)}`;
}

// ---- unit status -----------------------------------------------------------------

/** A unit's counts and open criteria from its scored sheet. */
export function unitStatusFromScore(unit: Unit, sheetId: number | null, result: ScoredSheet): UnitStatus {
  const pending: Pending = { unscored: 0, missingEvidence: 0, missingExplanation: 0 };
  const byRow = new Map<number, OpenCriterion>();
  const criterionAt = new Map(result.criteria.map((c) => [c.row, c]));
  for (const f of result.findings) {
    const kind = KIND_OF_RULE[f.rule];
    if (!kind) continue;
    pending[kind]++;
    let open = byRow.get(f.row);
    if (!open) {
      const c = criterionAt.get(f.row);
      open = { row: f.row, outline: c?.outline ?? f.outline, text: c?.text ?? '', missing: [] };
      byRow.set(f.row, open);
    }
    if (!open.missing.includes(kind)) open.missing.push(kind);
  }
  const open = [...byRow.values()].sort((a, b) => a.row - b.row);
  for (const o of open) o.missing.sort((a, b) => MISSING_ORDER.indexOf(a) - MISSING_ORDER.indexOf(b));
  return { unit, sheetId, pending, open };
}

const NO_PENDING = (): Pending => ({ unscored: 0, missingEvidence: 0, missingExplanation: 0 });

/** A unit whose sheet is missing (or holds no score table). */
export function missingSheetStatus(unit: Unit, problem?: string): UnitStatus {
  return { unit, sheetId: null, pending: NO_PENDING(), open: [], missingSheet: true, ...(problem ? { problem } : {}) };
}

/**
 * Statuses of the units of the settings from the workbook's scores (as the shells compute them:
 * sheet name → result, or the reason it is not a score table), matching sheet names like labels.
 */
export function unitStatuses(
  settings: Settings,
  sheetNames: readonly string[],
  scores: ReadonlyMap<string, ScoredSheet | string>,
  sheetIds: ReadonlyMap<string, number> = new Map(),
): UnitStatus[] {
  const byNorm = new Map(sheetNames.map((n) => [normalizeLabel(n), n]));
  return settings.units.map((unit) => {
    const name = byNorm.get(normalizeLabel(unit.sheet));
    const score = name !== undefined ? scores.get(name) : undefined;
    if (name === undefined || score === undefined) return missingSheetStatus(unit);
    if (typeof score === 'string') return missingSheetStatus(unit, `trang tính "${name}" không có bảng chấm điểm`);
    return unitStatusFromScore(unit, sheetIds.get(name) ?? null, score);
  });
}

/**
 * Every unit of the settings, in the settings' order, with its status. A unit listed in the
 * settings for which the caller passed no status is treated as a missing sheet; statuses of units
 * the settings do not list are kept after them.
 */
function allStatuses(settings: Settings, given: readonly UnitStatus[]): UnitStatus[] {
  const byKey = new Map<string, UnitStatus>();
  for (const s of given) {
    const k = normalizeLabel(s.unit.sheet);
    if (!byKey.has(k)) byKey.set(k, s);
  }
  const used = new Set<UnitStatus>();
  const out: UnitStatus[] = [];
  for (const unit of settings.units) {
    const s = byKey.get(normalizeLabel(unit.sheet));
    if (s && !used.has(s)) {
      used.add(s);
      out.push(s);
    } else out.push(missingSheetStatus(unit));
  }
  for (const s of given) if (!used.has(s)) out.push(s);
  return out;
}

// ---- recipients --------------------------------------------------------------------

interface Recipients {
  ok: string[];
  refused: { email: string; reason: SkipReason }[];
}

function recipients(cell: string, domains: readonly string[]): Recipients {
  const out: Recipients = { ok: [], refused: [] };
  const emails = splitEmails(cell);
  if (emails.length === 0) out.refused.push({ email: '', reason: 'missing-email' });
  for (const email of emails) {
    const reason = checkOfficialEmail(email, domains);
    if (reason) out.refused.push({ email, reason });
    else if (!out.ok.includes(email)) out.ok.push(email);
  }
  return out;
}

// ---- the plan --------------------------------------------------------------------------

/**
 * Today's e-mails.
 *  - No units in the settings: nobody to mail, the plan is empty (the caller says so).
 *  - A unit whose sheet is missing (or is no score table) gets no reminder: it cannot act on a
 *    sheet it does not have, and creating or renaming sheets is the standing office's job. It
 *    appears in the office report as "không tìm thấy trang tính" (or the caller's `problem`).
 *  - On a reminder day every unit's address is checked, and each refused one is listed in
 *    `skipped` even when that unit has nothing left to do, so the office can fix the address
 *    before the unit falls behind. The office address is checked on any reminder or report day;
 *    refused, reminders go without CC and the report is not sent (unit = OFFICE_LABEL).
 *  - Keys already sent, or planned earlier in the same plan (two units sharing one sheet, a
 *    milestone listed twice), are left out: first one wins.
 *  - Exact days only: a day the trigger did not run is not caught up later.
 */
export function planReminders(input: PlanInput): ReminderPlan {
  const { today, settings } = input;
  if (!isYmd(today)) throw new Error(`Ngày hôm nay không hợp lệ (cần dạng YYYY-MM-DD): "${today}".`);
  const plan: ReminderPlan = { today, emails: [], skipped: [] };
  if (settings.units.length === 0) return plan;

  const statuses = allStatuses(settings, input.units);
  const leads = [...new Set(settings.leadDays.filter((n) => Number.isInteger(n) && n >= 0))];
  const milestones = uniqueMilestones(settings.milestones);
  const office = recipients(settings.officeEmail, settings.domains);
  const unitRecipients = new Map(statuses.map((s) => [s, recipients(s.unit.email, settings.domains)]));
  const planned = new Set<string>();
  const skippedSeen = new Set<string>();
  const skip = (unit: string, email: string, reason: SkipReason) => {
    const k = `${unit}\u0000${email}\u0000${reason}`;
    if (skippedSeen.has(k)) return;
    skippedSeen.add(k);
    plan.skipped.push({ unit, email, reason });
  };
  const checkOffice = () => office.refused.forEach((r) => skip(OFFICE_LABEL, r.email, r.reason));
  const fresh = (key: string) => !input.alreadySent.has(key) && !planned.has(key);

  for (const m of milestones) {
    const daysLeft = daysBetween(today, m.date);
    if (leads.includes(daysLeft)) {
      checkOffice();
      for (const s of statuses) {
        const r = unitRecipients.get(s) as Recipients;
        r.refused.forEach((x) => skip(s.unit.name, x.email, x.reason));
        if (s.missingSheet || !hasPending(s.pending) || r.ok.length === 0) continue;
        const key = reminderKey('reminder', m.date, daysLeft, s.unit.sheet);
        if (!fresh(key)) continue;
        planned.add(key);
        const cc = office.ok.filter((e) => !r.ok.includes(e));
        plan.emails.push(reminderEmail(key, m, daysLeft, s, r.ok, cc, settings, input.spreadsheetUrl));
      }
    }
    if (daysLeft === -1) {
      checkOffice();
      const key = reminderKey('report', m.date, -1, OFFICE_LABEL);
      if (office.ok.length === 0 || !fresh(key)) continue;
      planned.add(key);
      plan.emails.push(reportEmail(key, m, today, statuses, unitRecipients, office.ok, settings, input));
    }
  }
  return plan;
}

function uniqueMilestones(milestones: readonly Milestone[]): Milestone[] {
  const byDate = new Map<string, Milestone>();
  for (const m of milestones) if (isYmd(m.date) && !byDate.has(m.date)) byDate.set(m.date, m);
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

// ---- rendering ----------------------------------------------------------------------------

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

function htmlLink(url: string, label: string): string {
  if (!isHttpUrl(url)) return escapeHtml(url);
  return `<a href="${escapeHtml(url.trim())}" style="color:#1a73e8">${escapeHtml(label)}</a>`;
}

function shorten(text: string, limit = TEXT_LIMIT): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > limit ? `${t.slice(0, limit - 1).trimEnd()}…` : t;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function fieldName(field: Settings['field']): string {
  return field === 'CDS' ? 'chuyển đổi số' : 'cải cách hành chính';
}

/** "xã Phước Chánh" (a name already starting with xã/phường/thị trấn is kept). */
function communeName(commune: string): string {
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
    `Minh chứng có dung lượng lớn: nén thành tệp .zip hoặc .rar, đặt tên rõ theo đơn vị, nhóm nhiệm vụ, thời điểm cập nhật và gửi về cơ quan thường trực${focal ? ` qua đồng chí ${focal}` : ''}.`,
    'Chỉ trao đổi, gửi nhận hồ sơ qua email công vụ; không sử dụng email cá nhân như Gmail.',
  ];
  if (unit.sensitive) {
    lines.push(
      'Tài liệu có thông tin cá nhân, thông tin mật hoặc thuộc lĩnh vực quốc phòng, an ninh, y tế, giáo dục: chỉ cung cấp bản trích yếu, số liệu tổng hợp hoặc đường dẫn có phân quyền phù hợp, không chia sẻ công khai cho bất kỳ ai có đường liên kết.',
    );
  }
  return lines;
}

function footer(settings: Settings): string {
  const commune = communeName(settings.commune);
  const office = settings.officeEmail ? ` (${oneLine(settings.officeEmail)})` : '';
  return `Email được gửi tự động từ công cụ chấm điểm ${settings.field}${commune ? ` của UBND ${commune}` : ''}. Mọi vướng mắc xin liên hệ cơ quan thường trực${office}.`;
}

const WRAP = 'font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#202124';
const TABLE = 'border-collapse:collapse;margin:8px 0';
const CELL = 'border:1px solid #dadce0;padding:4px 8px;vertical-align:top';
const HEAD = `${CELL};text-align:left;background:#f1f3f4`;
const NOTE = 'color:#5f6368;font-size:12px';

function htmlTable(headers: string[], rows: string[][], numeric: number[] = []): string {
  const th = headers.map((h) => `<th style="${HEAD}">${escapeHtml(h)}</th>`).join('');
  const trs = rows
    .map(
      (r) => `<tr>${r.map((c, i) => `<td style="${CELL};text-align:${numeric.includes(i) ? 'right' : 'left'}">${c}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table style="${TABLE}"><tr>${th}</tr>${trs}</table>`;
}

function reminderEmail(
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
    `<p>Biểu chấm điểm ${escapeHtml(fieldName(settings.field))} (${escapeHtml(settings.field)}) năm ${settings.year} của đơn vị: <b>${escapeHtml(deadline)}</b>.</p>`,
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

function reportEmail(
  key: string,
  m: Milestone,
  today: string,
  statuses: readonly UnitStatus[],
  unitRecipients: ReadonlyMap<UnitStatus, Recipients>,
  to: string[],
  settings: Settings,
  input: PlanInput,
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
  const intro = `Mốc cập nhật ${date} đã qua. Tình hình cập nhật biểu chấm điểm ${fieldName(settings.field)} (${settings.field}) năm ${settings.year} của các đơn vị đến ngày ${vietnameseDay(today)}:`;
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
