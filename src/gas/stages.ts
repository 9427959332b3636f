/**
 * The stages of the scoring year in the add-on (issue 14): moving unit sheets to the next stage or
 * back (with a confirmation, recorded per sheet and in the audit log), the rights of each stage,
 * publishing, the appeal reminders and the later stages' columns on existing sheets.
 */
import { documentProperties, describeError, formatNow, LOCK_WAIT, runMenuAction, timeZoneOf, withDocumentLock } from './env';
import type { ScoredSheet } from '../core/engine/score';
import { ROLE_LABELS } from '../core/engine/table';
import { normalizeLabel } from '../core/engine/text';
import { officeEmails } from '../core/settings/email';
import { remindersForDay } from '../core/reminders/schedule';
import { resultEmails } from '../core/reminders/result';
import { type DayReminders, MISSING_LABEL, type PlannedEmail, type UnitStatus } from '../core/reminders/types';
import { findResultBlock, scoreUnitGrid } from '../core/sheet/result-block';
import { type ParsedSettings, scoreOptionsOf, type Settings, type Unit, vietnamDate } from '../core/settings/settings';
import { auditRow } from '../core/workflow/audit';
import type { SpecBuilder } from '../core/workflow/protections';
import {
  appealAllowed,
  appealClosed,
  appealed,
  moveConfirmation,
  nextStage,
  previousStage,
  type RowFacts,
  rowFacts,
  STAGE,
  STAGE_COLUMN_ROLES,
  STAGE_COLUMN_WIDTHS,
  STAGE_FLOW,
  stageColumnsPlan,
  stageFlow,
  type StageName,
  stageOf,
  stageSpec,
} from '../core/workflow/stages';
import { logState, sendPlanned } from './reminders';
import { recordedStageNames, stageProperty } from './stage-store';
import { readSettings, titleMatching } from './settings';
import { readSheets } from './api/sheets-api';
import { activeUserEmail, appendAudit, applyPermissions, PROP_AUTO_LOCK_DONE, PROP_EDIT_TRIGGER, snapshotAll } from './workflow';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Grid = unknown[][];

/** Set to the appeal deadline once the appeal cells were locked after it. */
export const PROP_APPEAL_CLOSED = 'chamdiem.appealClosed';

/** The recorded stage of each sheet (the first stage for a sheet never moved), from one read of the properties. */
function stagesOf(sheets: readonly Sheet[]): Map<number, StageName> {
  const recorded = recordedStageNames(sheets.map((s) => s.getSheetId()));
  return new Map(sheets.map((s) => [s.getSheetId(), stageOf(recorded.get(s.getSheetId())) ?? STAGE_FLOW[0]]));
}

/** A unit sheet read once: its grid, its score and its criteria rows' facts. */
interface UnitSheet {
  unit: Unit;
  sheet: Sheet;
  grid: Grid;
  result: ScoredSheet;
  facts: RowFacts[];
  stage: StageName;
}

function readUnitSheet(unit: Unit, sheet: Sheet, grid: Grid, settings: Settings, stage: StageName): UnitSheet | string {
  const result = scoreUnitGrid(grid, scoreOptionsOf(settings));
  if (!result.ok) return `${unit.name}: trang được giữ nguyên (${result.reason})`;
  return { unit, sheet, grid, result, facts: rowFacts(result, grid), stage };
}

/**
 * The unit sheets in the settings (or only the active one), read; and why the others are left out.
 * With `atStage`, only the sheets recorded at that stage are read (and nothing is said of the others).
 */
function readUnitSheets(
  ss: Spreadsheet,
  settings: Settings,
  onlyActive: boolean,
  atStage?: StageName,
): { sheets: UnitSheet[]; notes: string[] } {
  const notes: string[] = [];
  let units = settings.units;
  if (onlyActive) {
    const name = normalizeLabel(ss.getActiveSheet().getName());
    units = units.filter((u) => normalizeLabel(u.sheet) === name);
    if (units.length === 0)
      notes.push(`Trang "${ss.getActiveSheet().getName()}" không phải biểu chấm của đơn vị nào trong trang "Cấu hình".`);
  }
  const sheets: UnitSheet[] = [];
  // One listing, then the sheets wanted read together through the Sheets API (one values.batchGet, one get for dates).
  const all = ss.getSheets();
  const titles = all.map((s) => s.getName());
  const found = units.map((unit) => {
    const title = titleMatching(titles, unit.sheet);
    return { unit, title, sheet: title === null ? null : all[titles.indexOf(title)] };
  });
  const stages = stagesOf(found.flatMap((f) => (f.sheet ? [f.sheet] : [])));
  const wanted = found.flatMap(({ unit, title, sheet }) => {
    if (!sheet || title === null) {
      if (!atStage) notes.push(`${unit.name}: không tìm thấy trang "${unit.sheet}".`);
      return [];
    }
    const stage = stages.get(sheet.getSheetId()) ?? STAGE_FLOW[0];
    return atStage && stage !== atStage ? [] : [{ unit, sheet, stage, title }];
  });
  const grids = readSheets(ss.getId(), [...new Set(wanted.map((w) => w.title))], {}, timeZoneOf(ss));
  const gridOf = new Map(grids.map((g) => [g.title, g.values]));
  for (const w of wanted) {
    const read = readUnitSheet(
      w.unit,
      w.sheet,
      (gridOf.get(w.title) ?? [[]]).map((r) => [...r]),
      settings,
      w.stage,
    );
    if (typeof read === 'string') notes.push(read);
    else sheets.push(read);
  }
  return { sheets, notes };
}

/** Only the standing office moves stages: a unit or a council member at the keyboard is refused. */
function refusedUser(settings: Settings): string | null {
  const me = normalizeLabel(activeUserEmail());
  if (!me || officeEmails(settings).map(normalizeLabel).includes(me)) return null;
  const others = [...settings.units.map((u) => u.email), ...settings.council].map(normalizeLabel);
  return others.includes(me) ? 'Chỉ cơ quan thường trực chuyển giai đoạn chấm điểm.' : null;
}

// ---- rights ----------------------------------------------------------------------------

/** Applies each sheet's stage rights (as recorded now) to the given sheets. */
function applyStageRights(
  ss: Spreadsheet,
  parsed: ParsedSettings,
  sheets: readonly UnitSheet[],
  now: Date,
  label: (stage: StageName) => string = (stage) => `đã cập nhật quyền sửa theo giai đoạn "${stage}"`,
): string[] {
  const today = vietnamDate(now);
  const byUnit = new Map(sheets.map((s) => [s.unit, s]));
  const lines: string[] = [];
  for (const stage of STAGE_FLOW) {
    const group = sheets.filter((s) => s.stage === stage);
    if (group.length === 0) continue;
    const specFor: SpecBuilder = (result, unit, settings, maxRows) => {
      const read = byUnit.get(unit);
      // applyPermissions scored the sheet again under the document lock: the same grid as read.
      const facts = read ? rowFacts(result, read.grid) : [];
      return stageSpec(stage, result, facts, unit, settings, maxRows, today);
    };
    const units = group.map((s) => s.unit);
    lines.push(...applyPermissions(ss, { ...parsed, settings: { ...parsed.settings, units } }, specFor, label(stage)));
  }
  return lines;
}

// ---- moving ----------------------------------------------------------------------------

export interface StageMove {
  sheets: (UnitSheet & { to: StageName })[];
  /** Sheets left where they are, and why. */
  notes: string[];
  flow: StageName[];
  warnings: string[];
}

/** Where each sheet goes: the next stage of the commune's flow, or the previous one with `back`. */
export function planMove(ss: Spreadsheet, parsed: ParsedSettings, onlyActive: boolean, back: boolean): StageMove {
  const { flow, warnings } = stageFlow(parsed.settings);
  const { sheets, notes } = readUnitSheets(ss, parsed.settings, onlyActive);
  const moving: StageMove['sheets'] = [];
  for (const s of sheets) {
    const to = back ? previousStage(flow, s.stage) : nextStage(flow, s.stage);
    if (to) moving.push({ ...s, to });
    else notes.push(`${s.unit.name}: đang ở giai đoạn ${back ? 'đầu' : 'cuối'} ("${s.stage}").`);
  }
  return { sheets: moving, notes, flow, warnings };
}

/** The confirmation of a move: one part per stage the sheets go to. */
export function confirmationOf(move: StageMove, settings: Settings, back: boolean, now: Date): string {
  const today = vietnamDate(now);
  const parts = STAGE_FLOW.filter((to) => move.sheets.some((s) => s.to === to)).map((to) =>
    moveConfirmation(
      to,
      back,
      move.sheets.filter((s) => s.to === to).map((s) => ({ unit: s.unit.name, from: s.stage, result: s.result, facts: s.facts })),
      settings,
      move.flow,
      today,
    ),
  );
  const extra = [...move.notes, ...move.warnings];
  return [...parts, ...(extra.length ? [`Không chuyển:\n${extra.map((n) => `• ${n}`).join('\n')}`] : [])].join('\n\n');
}

/**
 * Records the move (the stage of each sheet, and one audit row per sheet written at once), applies
 * the new stages' rights and, for sheets published, takes the snapshot and sends the result e-mails.
 * A sheet another person moved since the confirmation was read is left alone.
 */
export function performMove(ss: Spreadsheet, parsed: ParsedSettings, move: StageMove, back: boolean, now: Date = new Date()): string[] {
  const props = documentProperties();
  const lines: string[] = [];
  const moved: UnitSheet[] = [];
  const currentStages = stagesOf(move.sheets.map((s) => s.sheet));
  const written: Record<string, string> = {};
  for (const s of move.sheets) {
    const current = currentStages.get(s.sheet.getSheetId());
    if (current !== s.stage) {
      lines.push(`• ${s.unit.name}: đã được chuyển sang "${current}" trong lúc chờ xác nhận; giữ nguyên.`);
      continue;
    }
    written[stageProperty(s.sheet.getSheetId())] = s.to;
    moved.push({ ...s, stage: s.to });
  }
  if (moved.length === 0) return lines;
  props.setProperties(written);
  // The stages decide the rights from now on: the automatic "Khóa tự chấm" after the last milestone would undo them.
  props.setProperty(PROP_AUTO_LOCK_DONE, '1');
  const time = formatNow(ss, now);
  const user = activeUserEmail();
  const fromOf = new Map(move.sheets.map((s) => [s.sheet.getSheetId(), s.stage]));
  appendAudit(
    ss,
    moved.map((s) =>
      auditRow(
        time,
        user,
        s.sheet.getName(),
        '',
        `Giai đoạn: ${fromOf.get(s.sheet.getSheetId())}`,
        `Giai đoạn: ${s.stage}${back ? ' (quay lại)' : ''}`,
      ),
    ),
  );
  const verb = back ? 'đã quay lại' : 'đã chuyển sang';
  lines.push(...applyStageRights(ss, parsed, moved, now, (stage) => `${verb} giai đoạn "${stage}"`));
  const published = moved.filter((s) => s.stage === STAGE.publish);
  if (!back && published.length > 0) lines.push(...publish(ss, parsed, published, now));
  return lines;
}

// ---- publishing -------------------------------------------------------------------------

/** One result e-mail per published unit; `alreadySent` makes publishing twice send nothing twice. */
function resultPlan(ss: Spreadsheet, parsed: ParsedSettings, units: readonly UnitSheet[], now: Date, sent: Set<string>): DayReminders {
  return resultEmails({
    today: vietnamDate(now),
    settings: parsed.settings,
    units: units.map((u) => ({ unit: u.unit, sheetId: u.sheet.getSheetId(), result: u.result })),
    spreadsheetUrl: ss.getUrl(),
    alreadySent: sent,
  });
}

/** Công bố: a snapshot of every unit (once a day) and one result e-mail per unit published. */
function publish(ss: Spreadsheet, parsed: ParsedSettings, units: readonly UnitSheet[], now: Date): string[] {
  const rows = snapshotAll(ss, parsed, `${STAGE.publish} ${vietnamDate(now)}`, now);
  const outcome = sendPlanned(ss, resultPlan(ss, parsed, units, now, logState(ss).sent), now);
  const lines = [
    rows > 0 ? `Đã lưu ${rows} dòng điểm vào trang "Lưu trữ".` : 'Điểm hôm nay đã được lưu vào trang "Lưu trữ" từ trước.',
    `Email kết quả: đã gửi ${outcome.sent}, lỗi ${outcome.failed}.`,
  ];
  if (outcome.quotaStopped) lines.push('Đã hết hạn mức gửi email trong ngày: các email còn lại được ghi "Chưa gửi" trong nhật ký.');
  return lines;
}

// ---- the daily part: appeal reminders, closing the appeal ---------------------------------

/** What the appeal reminder asks, shown as the milestone's content. */
export const APPEAL_CONTENT =
  'Giải trình sau thẩm định: đơn vị ghi ý kiến giải trình và minh chứng bổ sung ở các tiêu chí có điểm thẩm định thấp hơn ' +
  'điểm tự chấm (nếu đồng ý với kết quả thẩm định thì không cần ghi).';

/** A unit at Giải trình with an appraisal below its self score and no appeal written yet: what it may still explain. */
function appealStatus(s: UnitSheet): UnitStatus | null {
  if (s.facts.some(appealed)) return null;
  const open = s.facts.filter(appealAllowed);
  if (open.length === 0) return null;
  const text = new Map(s.result.criteria.map((c) => [c.row, c.text]));
  return {
    unit: s.unit,
    sheetId: s.sheet.getSheetId(),
    pending: { unscored: 0, missingEvidence: 0, missingExplanation: open.length },
    open: open.map((f) => ({ row: f.row, outline: f.outline, text: text.get(f.row) ?? '', missing: ['missingExplanation'] })),
  };
}

/**
 * Daily: reminders before "Hạn giải trình" (on the reminder days of the settings, as for the
 * milestones) to units at Giải trình that may explain and have not; once the deadline is over, the
 * appeal cells of those sheets are locked (once per deadline).
 */
export function dailyStages(ss: Spreadsheet, parsed: ParsedSettings, now: Date): void {
  const settings = parsed.settings;
  if (!settings.appealDeadline) return;
  const atAppeal = readUnitSheets(ss, settings, false, STAGE.appeal).sheets;
  if (atAppeal.length === 0) return;
  const today = vietnamDate(now);
  const props = documentProperties();
  if (appealClosed(settings, today)) {
    if (props.getProperty(PROP_APPEAL_CLOSED) === settings.appealDeadline) return;
    applyStageRights(ss, parsed, atAppeal, now);
    props.setProperty(PROP_APPEAL_CLOSED, settings.appealDeadline);
    const row = auditRow(
      formatNow(ss, now),
      activeUserEmail(),
      '(các đơn vị đang giải trình)',
      '',
      '',
      'Hết hạn giải trình: khóa ô giải trình',
    );
    appendAudit(ss, [row]);
    return;
  }
  const statuses = atAppeal.map(appealStatus).filter((s): s is UnitStatus => s !== null);
  if (statuses.length === 0) return;
  // Appeal keys are logged apart from the milestones' ("appeal|…"), so a deadline on a milestone's day sends both.
  const sent = [...logState(ss).sent].filter((k) => k.startsWith(APPEAL_KEY)).map((k) => REMINDER_KEY + k.slice(APPEAL_KEY.length));
  const plan = remindersForDay({
    today,
    settings: { ...settings, units: statuses.map((s) => s.unit), milestones: [{ date: settings.appealDeadline, content: APPEAL_CONTENT }] },
    units: statuses,
    spreadsheetUrl: ss.getUrl(),
    summarySheetId: null,
    alreadySent: new Set(sent),
  });
  sendPlanned(ss, { ...plan, emails: plan.emails.map(asAppealReminder) }, now);
}

const REMINDER_KEY = 'reminder|';
const APPEAL_KEY = 'appeal|';
const SELF_LINE = / tiêu chí tự chấm dưới điểm tối đa nhưng chưa có giải trình/g;

/**
 * A milestone reminder worded for the appeal: the reminder planner knows only the self-scoring's
 * missing kinds, so "thiếu giải trình" is said as what it means here.
 * (An appeal kind in src/core/reminders — types, schedule, render — would make this rewording unnecessary.)
 */
function asAppealReminder(email: PlannedEmail): PlannedEmail {
  const word = (text: string) =>
    text
      .replace(SELF_LINE, ' tiêu chí có điểm thẩm định thấp hơn điểm tự chấm, đơn vị chưa giải trình')
      .replace(new RegExp(MISSING_LABEL.missingExplanation, 'g'), 'chưa giải trình sau thẩm định');
  return {
    ...email,
    key: APPEAL_KEY + email.key.slice(REMINDER_KEY.length),
    subject: email.subject.replace('[Nhắc hạn ', '[Nhắc hạn giải trình '),
    textBody: word(email.textBody),
    htmlBody: word(email.htmlBody),
  };
}

// ---- the later stages' columns -------------------------------------------------------------

/**
 * Adds the columns of the later stages a unit sheet lacks, after the table's last column and
 * before the result block: into empty columns when there are enough, else into inserted ones.
 * Only header cells that were empty are written. Sheets already protected get their stage's rights again.
 */
export function addStageColumns(ss: Spreadsheet, parsed: ParsedSettings, now: Date = new Date()): string[] {
  const { sheets, notes } = readUnitSheets(ss, parsed.settings, false);
  const lines = notes.map((n) => `• ${n}`);
  const changed: UnitSheet[] = [];
  for (const s of sheets) {
    const block = findResultBlock(s.grid);
    const plan = stageColumnsPlan(s.result, s.grid, block ? block.col : null, s.sheet.getMaxColumns());
    if (!plan) {
      lines.push(`• ${s.unit.name}: đã có đủ cột.`);
      continue;
    }
    const labels = plan.roles.map((r) => ROLE_LABELS[r]);
    try {
      if (plan.insert > 0) s.sheet.insertColumnsAfter(plan.column - 1, plan.insert);
      s.sheet
        .getRange(plan.headerRow, plan.column, 1, labels.length)
        .setValues([labels])
        .setFontWeight('bold')
        .setWrap(true)
        .setBackground('#cfe2f3');
      plan.roles.forEach((r, i) => s.sheet.setColumnWidth(plan.column + i, STAGE_COLUMN_WIDTHS[STAGE_COLUMN_ROLES.indexOf(r)]));
    } catch (err) {
      lines.push(`• ${s.unit.name}: chưa thêm được cột (${describeError(err)})`);
      continue;
    }
    lines.push(`• ${s.unit.name}: đã thêm cột ${labels.map((l) => `"${l}"`).join(', ')}.`);
    changed.push(s);
  }
  if (changed.length > 0 && documentProperties().getProperty(PROP_EDIT_TRIGGER) === '1') {
    const reread = changed
      .map((s) => readUnitSheet(s.unit, s.sheet, s.sheet.getDataRange().getValues(), parsed.settings, s.stage))
      .filter((s): s is UnitSheet => typeof s !== 'string');
    applyStageRights(ss, parsed, reread, now);
  }
  return lines;
}

// ---- menus -------------------------------------------------------------------------------

const MOVE_TITLE = 'Chuyển giai đoạn';
const BACK_TITLE = 'Quay lại giai đoạn trước';

function menuMove(onlyActive: boolean, back: boolean): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const ui = SpreadsheetApp.getUi();
    const title = back ? BACK_TITLE : MOVE_TITLE;
    const parsed = readSettings(ss);
    const refused = refusedUser(parsed.settings);
    if (refused) {
      ui.alert(title, refused, ui.ButtonSet.OK);
      return;
    }
    const now = new Date();
    const move = planMove(ss, parsed, onlyActive, back);
    if (move.sheets.length === 0) {
      ui.alert(title, ['Không có biểu chấm nào để chuyển.', ...move.notes, ...move.warnings].join('\n'), ui.ButtonSet.OK);
      return;
    }
    if (ui.alert(title, confirmationOf(move, parsed.settings, back, now), ui.ButtonSet.YES_NO) !== ui.Button.YES) return;
    const lines = withDocumentLock(() => performMove(ss, parsed, move, back, now), LOCK_WAIT.long);
    ui.alert(title, lines.join('\n'), ui.ButtonSet.OK);
  });
}

export function menuStageNextSheet(): void {
  menuMove(true, false);
}

export function menuStageNextAll(): void {
  menuMove(false, false);
}

export function menuStageBackSheet(): void {
  menuMove(true, true);
}

export function menuStageBackAll(): void {
  menuMove(false, true);
}

/** Applies again each unit sheet's stage rights: after the office marked "Cần bổ sung", or changed the settings. */
export function menuStageApplyRights(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const ui = SpreadsheetApp.getUi();
    const parsed = readSettings(ss);
    const now = new Date();
    const lines = withDocumentLock(() => {
      const { sheets, notes } = readUnitSheets(ss, parsed.settings, false);
      return [...notes.map((n) => `• ${n}`), ...applyStageRights(ss, parsed, sheets, now)];
    }, LOCK_WAIT.long);
    ui.alert('Cập nhật quyền sửa theo giai đoạn', lines.join('\n'), ui.ButtonSet.OK);
  });
}

export function menuAddStageColumns(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const ui = SpreadsheetApp.getUi();
    const parsed = readSettings(ss);
    const lines = withDocumentLock(() => addStageColumns(ss, parsed), LOCK_WAIT.long);
    ui.alert('Thêm cột giai đoạn sau', lines.join('\n'), ui.ButtonSet.OK);
  });
}
