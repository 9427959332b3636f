/**
 * The result e-mail publishing sends ("Công bố"), pure: one per unit, to its official addresses
 * with the standing office in CC (the reminders' rules), saying its official total, percent and
 * class, the criteria whose score changed at each stage with the council's reasons, and what it
 * has to remedy. Every e-mail has a key (the year and the unit's sheet), so publishing twice sends
 * nothing twice. Everything quoted from the sheet is escaped.
 */
import { formatExact, fromMicro } from '../engine/decimal';
import { pendingOf } from '../engine/findings';
import { councilStage, leafStatus, remedyItems } from '../engine/remedy';
import type { Criterion, ScoredSheet, Stage } from '../engine/score';
import { officialResult } from '../engine/stages';
import { formatPoints, normalizeLabel } from '../engine/text';
import { vietnameseDay } from '../engine/dates';
import { escapeHtml } from '../settings/email';
import type { Settings, Unit } from '../settings/settings';
import { fieldName, footer, htmlLink, htmlTable, NOTE, oneLine, sheetLink, shorten, WRAP } from './render';
import { officialRecipients, reminderKey } from './schedule';
import { type DayReminders, OFFICE_LABEL, type PlannedEmail } from './types';

export interface ResultUnit {
  unit: Unit;
  /** Sheet id for the `#gid=` link; null when unknown (offline). */
  sheetId: number | null;
  result: ScoredSheet;
}

export interface ResultInput {
  /** Today in Vietnam, YYYY-MM-DD: the day of publishing. */
  today: string;
  settings: Settings;
  units: ResultUnit[];
  spreadsheetUrl: string;
  alreadySent: ReadonlySet<string>;
}

/** Which score is the result, in words. */
const OFFICIAL_TEXT: Record<Stage, string> = {
  self: 'theo điểm tự chấm (chưa có kết quả thẩm định đầy đủ)',
  appraisal: 'theo điểm thẩm định của Hội đồng',
  final: 'theo điểm thẩm định lại sau giải trình',
};

/** The key of a unit's result e-mail: one per year and sheet, whatever the day. */
export function resultKey(year: number, unitSheet: string): string {
  return reminderKey('result', String(year), 0, unitSheet);
}

/** The units of the settings with a scored sheet (sheet names matched like labels), in the settings' order. */
export function resultUnits(
  settings: Settings,
  scores: ReadonlyMap<string, ScoredSheet | string>,
  sheetIds: ReadonlyMap<string, number> = new Map(),
): ResultUnit[] {
  const byNorm = new Map([...scores.keys()].map((n) => [normalizeLabel(n), n]));
  const out: ResultUnit[] = [];
  for (const unit of settings.units) {
    const name = byNorm.get(normalizeLabel(unit.sheet));
    const result = name !== undefined ? scores.get(name) : undefined;
    if (name !== undefined && result && typeof result === 'object') out.push({ unit, sheetId: sheetIds.get(name) ?? null, result });
  }
  return out;
}

/** The result e-mails publishing sends; refused addresses are listed in `skipped`. */
export function resultEmails(input: ResultInput): DayReminders {
  const { today, settings } = input;
  const plan: DayReminders = { today, emails: [], skipped: [] };
  const office = officialRecipients(settings.officeEmail, settings.domains);
  if (input.units.length > 0) for (const r of office.refused) plan.skipped.push({ unit: OFFICE_LABEL, ...r });
  const planned = new Set<string>();
  for (const u of input.units) {
    const to = officialRecipients(u.unit.email, settings.domains);
    for (const r of to.refused) plan.skipped.push({ unit: u.unit.name, ...r });
    const key = resultKey(settings.year, u.unit.sheet);
    if (to.ok.length === 0 || input.alreadySent.has(key) || planned.has(key)) continue;
    planned.add(key);
    const cc = office.ok.filter((e) => !to.ok.includes(e));
    plan.emails.push(resultEmail(key, u, to.ok, cc, input));
  }
  return plan;
}

/** A criterion whose score changed at a stage: its scores and the council's reasons. */
interface Change {
  c: Criterion;
  self: string;
  appraisal: string;
  reason: string;
  final: string;
  finalReason: string;
}

const cellText = (c: Criterion, stage: Stage): string => {
  const cell = c.cells[stage];
  return cell.kind === 'number' ? formatPoints(cell.value) : cell.kind === 'empty' ? '' : oneLine(String(cell.raw));
};

/** Leaves whose appraisal differs from the self score, or whose final score differs from the appraisal. */
function changes(result: ScoredSheet): Change[] {
  const out: Change[] = [];
  for (const c of result.criteria) {
    if (c.children.length > 0) continue;
    const [self, appraisal, final] = [cellText(c, 'self'), cellText(c, 'appraisal'), cellText(c, 'final')];
    const appraised = appraisal !== '' && appraisal !== self;
    const finalised = final !== '' && final !== appraisal;
    if (!appraised && !finalised) continue;
    out.push({ c, self, appraisal, reason: oneLine(c.reason), final, finalReason: oneLine(c.finalReason) });
  }
  return out;
}

const label = (c: Criterion) => c.outline || `Hàng ${c.row}`;

function resultEmail(key: string, u: ResultUnit, to: string[], cc: string[], input: ResultInput): PlannedEmail {
  const { settings, today } = input;
  const r = u.result;
  const official = officialResult(r);
  const name = oneLine(u.unit.name);
  const focal = oneLine(u.unit.focal);
  const pts = (v: number) => formatExact(v);
  const score =
    `${pts(official.total)}/${pts(official.applicableMax)} điểm (${pts(official.percent)}%), ` + `xếp loại ${official.classification}`;
  const subject = `[Kết quả ${settings.field} ${settings.year}] ${name}: ${pts(official.total)} điểm, xếp loại ${official.classification}`;
  const intro =
    `Kết quả chấm điểm ${fieldName(settings.field)} (${settings.field}) năm ${settings.year} của đơn vị đã được công bố ` +
    `ngày ${vietnameseDay(today)}, ${OFFICIAL_TEXT[r.official]}:`;
  const changed = changes(r);
  const remedies = remedyItems(r);
  const link = sheetLink(input.spreadsheetUrl, u.sheetId);
  // The points the status was decided on: the council's where it scored the criterion, else the self score.
  const earned = (c: Criterion) => formatPoints(fromMicro(c.points[leafStatus(c, councilStage(r)).basis ?? 'self']));
  const remedyScore = (c: Criterion) => (c.block === 'penalty' ? `trừ ${earned(c)}` : `${earned(c)}/${formatPoints(fromMicro(c.max))}`);
  const hasFinal = changed.some((x) => x.final !== '');

  const stagesLine = `Điểm tự chấm: ${pts(r.self.total)}${r.appraisal ? `; điểm thẩm định: ${pts(r.appraisal.total)}` : ''}.`;
  const text: string[] = [`Kính gửi: ${name}${focal ? ` (đầu mối: ${focal})` : ''},`, '', intro, `- ${score}.`, `- ${stagesLine}`];
  if (changed.length > 0) {
    text.push('', 'Các tiêu chí được điều chỉnh điểm:');
    for (const x of changed) {
      const steps = [`tự chấm ${x.self || '(trống)'}`];
      if (x.appraisal !== '') steps.push(`thẩm định ${x.appraisal}${x.reason ? ` (lý do: ${x.reason})` : ''}`);
      if (x.final !== '') steps.push(`sau giải trình ${x.final}${x.finalReason ? ` (lý do: ${x.finalReason})` : ''}`);
      text.push(`- ${label(x.c)}. ${shorten(x.c.text)}: ${steps.join(' → ')}`);
    }
  } else text.push('', 'Không có tiêu chí nào được điều chỉnh so với điểm tự chấm.');
  if (remedies.length > 0) {
    text.push('', 'Các tiêu chí cần khắc phục trong năm tới:');
    for (const c of remedies) text.push(`- ${label(c)}. ${shorten(c.text)}: ${remedyScore(c)}`);
  } else text.push('', 'Đơn vị không có tiêu chí nào cần khắc phục.');
  text.push('', `Xem biểu chấm điểm của đơn vị: ${link}`, '', footer(settings));

  const html: string[] = [
    `<div style="${WRAP}">`,
    `<p>Kính gửi: <b>${escapeHtml(name)}</b>${focal ? ` (đầu mối: ${escapeHtml(focal)})` : ''},</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<p><b>${escapeHtml(score)}</b><br>${escapeHtml(stagesLine)}</p>`,
  ];
  if (changed.length > 0) {
    const headers = ['STT', 'Tiêu chí', 'Tự chấm', 'Thẩm định', 'Lý do điều chỉnh', ...(hasFinal ? ['Sau giải trình', 'Lý do lần 2'] : [])];
    const rows = changed.map((x) =>
      [label(x.c), shorten(x.c.text), x.self, x.appraisal, x.reason, ...(hasFinal ? [x.final, x.finalReason] : [])].map(escapeHtml),
    );
    html.push('<p>Các tiêu chí được điều chỉnh điểm:</p>', htmlTable(headers, rows, hasFinal ? [2, 3, 5] : [2, 3]));
  } else html.push('<p>Không có tiêu chí nào được điều chỉnh so với điểm tự chấm.</p>');
  if (remedies.length > 0) {
    const rows = remedies.map((c) => [label(c), shorten(c.text), remedyScore(c)].map(escapeHtml));
    html.push('<p>Các tiêu chí cần khắc phục trong năm tới:</p>', htmlTable(['STT', 'Tiêu chí', 'Điểm đạt'], rows, [2]));
  } else html.push('<p>Đơn vị không có tiêu chí nào cần khắc phục.</p>');
  html.push(
    `<p>${htmlLink(link, 'Xem biểu chấm điểm của đơn vị')}</p>`,
    `<p style="${NOTE}">${escapeHtml(footer(settings))}</p>`,
    '</div>',
  );

  return {
    kind: 'result',
    key,
    unit: u.unit.name,
    sheet: u.unit.sheet,
    to: [...to],
    cc,
    milestone: today,
    daysLeft: 0,
    subject,
    htmlBody: html.join('\n'),
    textBody: text.join('\n'),
    pending: pendingOf(r.findings),
  };
}
