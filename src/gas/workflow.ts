/**
 * The workflow around the scores: creating unit sheets from the criteria set, permissions,
 * locking self-scoring, milestone history, the edit audit log and the remedy plan.
 */
import { SHEET_NAMES } from '../core/sheet/own-sheets';
import { remedyPlanLayout } from '../core/workflow/remedy-plan';
import { scoreUnitGrid } from '../core/sheet/result-block';
import type { ScoredSheet } from '../core/engine/score';
import { calendarDate, type ParsedSettings, scoreOptionsOf, type Settings, type Unit, vietnamDate } from '../core/settings/settings';
import { summaryUnits } from '../core/summary/summary';
import { STANDARD_HEADERS, STANDARD_WIDTHS, TITLE_ROWS } from '../core/sheet/template';
import { a1 } from '../core/engine/text';

import { AUDIT_HEADERS, auditRow, isWatchedColumn, UNKNOWN_EDITOR } from '../core/workflow/audit';
import { APPLIES_TO_LABEL, criteriaFromSet, unitSheetSpecs } from '../core/workflow/criteria-set';
import { SNAPSHOT_HEADERS, snapshotRows } from '../core/workflow/history';
import { isOwnProtection, PROTECTION_TAG, protectionSpec, type ProtectionSpec, selfLockedSpec } from '../core/workflow/protections';
import { errorMessage, formatNow, runMenuAction, timeZoneOf, toast, withDocumentLock } from './env';
import { claimDay, claimedByOther, ensureTrigger, noteRun, ownerText } from './triggers';
import { readHeader } from './check';
import { findSheet, isAddOnSheet, readSettings } from './settings';
import { scoreAllSheets } from './summary';
import { LOCK_WAIT } from './env';
import type { EntryName } from './entry-names';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export const PROP_SELF_LOCKED = 'chamdiem.selfLocked';
/** Document property set when the installable edit trigger (the audit log) is installed. */
export const PROP_EDIT_TRIGGER = 'chamdiem.editTrigger';
export const PROP_AUTO_LOCK_DONE = 'chamdiem.autoLockDone';
export const EDIT_TRIGGER_HANDLER: EntryName = 'onEditInstalled';

// ---- helpers -----------------------------------------------------------------

/**
 * A sheet of the add-on's own with a bold, frozen header; created when missing. Once
 * permissions are set, a new one is protected at once (only the standing office edits it).
 */
function ownSheet(ss: Spreadsheet, name: string, headers: readonly string[], textCols: readonly number[] = []): Sheet {
  const existing = findSheet(ss, name);
  if (existing) return existing;
  const sheet = ss.insertSheet(name);
  for (const c of textCols) sheet.getRange(2, c, sheet.getMaxRows() - 1, 1).setNumberFormat('@');
  sheet
    .getRange(1, 1, 1, headers.length)
    .setValues([[...headers]])
    .setFontWeight('bold');
  sheet.setFrozenRows(1);
  if (PropertiesService.getDocumentProperties().getProperty(PROP_EDIT_TRIGGER) === '1') {
    const office = readSettings(ss).settings.officeEmail;
    setEditors(sheet.protect().setDescription(ownProtectionDescription(name)), office ? [office] : []);
  }
  return sheet;
}

function ownProtectionDescription(name: string): string {
  return `${PROTECTION_TAG}: ${name} (chỉ cơ quan thường trực sửa)`;
}

/**
 * Appends rows under the last one; only ever adds (never edits what is recorded). Columns in
 * `textCols` (1-based) are formatted as plain text first, so an outline "1.10" stays "1.10".
 */
export function appendRows(sheet: Sheet, rows: unknown[][], textCols: readonly number[] = []): void {
  if (rows.length === 0) return;
  const first = sheet.getLastRow() + 1;
  // A range past the sheet's last row is refused: the sheet grows first (1,000 rows at creation).
  const missing = first + rows.length - 1 - sheet.getMaxRows();
  if (missing > 0) sheet.insertRowsAfter(sheet.getMaxRows(), missing);
  for (const c of textCols) sheet.getRange(first, c, rows.length, 1).setNumberFormat('@');
  sheet.getRange(first, 1, rows.length, rows[0].length).setValues(rows);
}

/** Writes a block whose first column holds outline numbers, kept as text (not read as 1.1). */
function writeWithOutlines(sheet: Sheet, values: unknown[][]): GoogleAppsScript.Spreadsheet.Range {
  sheet.getRange(1, 1, values.length, 1).setNumberFormat('@');
  return sheet.getRange(1, 1, values.length, values[0].length).setValues(values);
}

function activeUserEmail(): string {
  try {
    return Session.getActiveUser().getEmail();
  } catch (_) {
    return '';
  }
}

function scoreOf(sheet: Sheet, parsed: ParsedSettings): { result: ScoredSheet | null; reason: string } {
  const r = scoreUnitGrid(sheet.getDataRange().getValues(), scoreOptionsOf(parsed.settings));
  return r.ok ? { result: r, reason: '' } : { result: null, reason: r.reason };
}

function unitSheets(ss: Spreadsheet, settings: Settings): { unit: Unit; sheet: Sheet | null }[] {
  return settings.units.map((unit) => ({ unit, sheet: findSheet(ss, unit.sheet) }));
}

// ---- 1. set-up: "Tạo biểu chấm" ----------------------------------------------------

/** Creates one score sheet per unit from "Bộ tiêu chí"; existing sheets are reported and skipped. */
export function createUnitSheets(ss: Spreadsheet, parsed: ParsedSettings): { created: string[]; skipped: string[]; message: string } {
  const setSheet = findSheet(ss, SHEET_NAMES.criteriaSet);
  if (!setSheet) {
    const sheet = ownSheet(ss, SHEET_NAMES.criteriaSet, [...STANDARD_HEADERS.slice(0, 3), APPLIES_TO_LABEL]);
    sheet.setColumnWidth(2, 380);
    return {
      created: [],
      skipped: [],
      message:
        `Chưa có trang "${SHEET_NAMES.criteriaSet}". Đã tạo trang mẫu: hãy nhập STT, tiêu chí, điểm tối đa (và ` +
        `"${APPLIES_TO_LABEL}" nếu tiêu chí chỉ áp dụng cho một số đơn vị), rồi chạy lại.`,
    };
  }
  const set = criteriaFromSet(setSheet.getDataRange().getValues());
  if (set.reason) return { created: [], skipped: [], message: `Không đọc được "${SHEET_NAMES.criteriaSet}": ${set.reason}` };
  if (parsed.settings.units.length === 0) return { created: [], skipped: [], message: 'Bảng đơn vị trong trang "Cấu hình" đang trống.' };
  const plan = unitSheetSpecs(
    parsed.settings,
    ss.getSheets().map((s) => s.getName()),
    set.criteria,
  );
  for (const item of plan.create) {
    const sheet = ss.insertSheet(item.sheet);
    const grid = item.grid;
    writeWithOutlines(sheet, grid);
    const header = TITLE_ROWS + 1;
    sheet.getRange(1, 1, 3, 1).setFontWeight('bold');
    sheet.getRange(header, 1, 1, grid[0].length).setFontWeight('bold').setWrap(true).setBackground('#cfe2f3');
    sheet.getRange(header + 1, 2, grid.length - header, 1).setWrap(true);
    sheet.setFrozenRows(header);
    STANDARD_WIDTHS.forEach((w, i) => sheet.setColumnWidth(i + 1, w));
  }
  const created = plan.create.map((c) => c.sheet);
  const skipped = plan.skipped.map((s) => `${s.unit.name}: ${s.reason}`);
  const lines = [`Đã tạo ${created.length} biểu chấm${created.length ? `: ${created.join(', ')}` : ''}.`];
  if (skipped.length) lines.push('Bỏ qua:', ...skipped.map((s) => `• ${s}`));
  lines.push(...set.warnings, ...plan.warnings);
  return { created, skipped, message: lines.join('\n') };
}

export function menuCreateUnitSheets(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const parsed = readSettings(ss);
    const { message } = withDocumentLock(() => createUnitSheets(ss, parsed));
    SpreadsheetApp.getUi().alert('Tạo biểu chấm', message, SpreadsheetApp.getUi().ButtonSet.OK);
  });
}

// ---- 2. permissions and locking -----------------------------------------------------

function setEditors(p: GoogleAppsScript.Spreadsheet.Protection, emails: readonly string[]): void {
  p.removeEditors(p.getEditors().map((u) => u.getEmail()));
  if (emails.length > 0) p.addEditors([...emails]);
  if (p.canDomainEdit()) p.setDomainEdit(false);
}

function removeOwnProtections(sheet: Sheet): void {
  const all = [...sheet.getProtections(SpreadsheetApp.ProtectionType.SHEET), ...sheet.getProtections(SpreadsheetApp.ProtectionType.RANGE)];
  for (const p of all) if (isOwnProtection(p.getDescription())) p.remove();
}

/** Replaces the add-on's protections on one unit sheet with those of the plan. */
function applyPlan(sheet: Sheet, plan: ProtectionSpec): void {
  removeOwnProtections(sheet);
  const office = plan.officeEditors;
  const whole = sheet.protect().setDescription(plan.sheetDescription);
  setEditors(whole, office);
  const open = [...plan.unitRanges, ...plan.councilRanges];
  if (open.length > 0) whole.setUnprotectedRanges(open.map((r) => sheet.getRange(r)));
  const protectRanges = (ranges: readonly string[], editors: readonly string[], description: string) => {
    for (const r of ranges) setEditors(sheet.getRange(r).protect().setDescription(description), [...office, ...editors]);
  };
  protectRanges(plan.unitRanges, plan.unitEditors, plan.rangeDescriptions.unit);
  protectRanges(plan.councilRanges, plan.councilEditors, plan.rangeDescriptions.council);
}

function protectOwnSheets(ss: Spreadsheet, office: readonly string[]): void {
  for (const sheet of ss.getSheets()) {
    if (!isAddOnSheet(sheet)) continue;
    removeOwnProtections(sheet);
    setEditors(sheet.protect().setDescription(ownProtectionDescription(sheet.getName())), office);
  }
}

/** Applies "Phân quyền" (mode open) or "Khóa tự chấm" (selfLocked) to every unit sheet. */
export function applyPermissions(ss: Spreadsheet, parsed: ParsedSettings, mode: ProtectionSpec['mode']): string[] {
  const lines: string[] = [];
  const office = parsed.settings.officeEmail ? [parsed.settings.officeEmail] : [];
  editLog(ss);
  for (const { unit, sheet } of unitSheets(ss, parsed.settings)) {
    if (!sheet) {
      lines.push(`• ${unit.name}: không tìm thấy trang "${unit.sheet}".`);
      continue;
    }
    const { result, reason } = scoreOf(sheet, parsed);
    if (!result) {
      lines.push(`• ${unit.name}: trang được giữ nguyên (${reason})`);
      continue;
    }
    const maxRows = sheet.getMaxRows();
    const plan =
      mode === 'open' ? protectionSpec(result, unit, parsed.settings, maxRows) : selfLockedSpec(result, unit, parsed.settings, maxRows);
    applyPlan(sheet, plan);
    lines.push(
      `• ${unit.name}: ` +
        `${mode === 'open' ? 'đã phân quyền' : 'đã khóa cột tự chấm'}.${plan.warnings.length ? ` ${plan.warnings.join(' ')}` : ''}`,
    );
  }
  protectOwnSheets(ss, office);
  return lines;
}

/**
 * Makes sure one installable edit trigger keeps the audit log: the current account's, or another account's that
 * was installed or ran lately (triggers belong to their installer, see triggers.ts). Returns what to tell the person.
 */
function installEditTrigger(ss: Spreadsheet, now: Date = new Date()): string {
  const outcome = ensureTrigger('edit', now, () => {
    ScriptApp.newTrigger(EDIT_TRIGGER_HANDLER).forSpreadsheet(ss).onEdit().create();
  });
  PropertiesService.getDocumentProperties().setProperty(PROP_EDIT_TRIGGER, '1');
  const who = ownerText(ss, outcome.record);
  const head = {
    installed: `Nhật ký chỉnh sửa đã được bật, bằng trình kích hoạt của ${who}.`,
    mine: `Nhật ký chỉnh sửa đã bật từ trước, bằng trình kích hoạt của ${who} (tài khoản của bạn).`,
    other: `Nhật ký chỉnh sửa đã bật từ trước, bằng trình kích hoạt của ${who}: không cài thêm, để không ghi hai lần.`,
  }[outcome.state];
  return (
    `${head} Trình kích hoạt chỉ chạy khi tài khoản đã cài nó còn quyền sửa bảng tính; nếu tài khoản đó rời cơ quan, ` +
    'một tài khoản khác của cơ quan chạy lại "Phân quyền" để cài trình kích hoạt của mình.'
  );
}

/** The audit log's time, old and new value columns: plain text, so "3,5" or a date stays as typed. */
const AUDIT_TEXT_COLS = [1, 5, 6];

function editLog(ss: Spreadsheet): Sheet {
  return ownSheet(ss, SHEET_NAMES.editLog, AUDIT_HEADERS, AUDIT_TEXT_COLS);
}

/** Appends audit rows in one write (the caller holds the document lock, so two writers never overlap). */
export function appendAudit(ss: Spreadsheet, rows: unknown[][]): void {
  appendRows(editLog(ss), rows, AUDIT_TEXT_COLS);
}

/** Audit rows a person could not write into the protected log (a sidebar write), kept until a trigger run moves them. */
const AUDIT_QUEUE = 'chamdiem.auditQueue.';

/**
 * Appends audit rows, or, when the log is protected against the person running the script (a unit writing through
 * the sidebar after "Phân quyền"), keeps them in document properties, which every editor may write, until the next
 * edit-trigger or daily run (the office's account) moves them into the log (drainAuditQueue). Caller holds the lock.
 */
export function appendAuditOrQueue(ss: Spreadsheet, rows: unknown[][], now: Date = new Date()): 'logged' | 'queued' {
  try {
    appendAudit(ss, rows);
    return 'logged';
  } catch (err) {
    if (!/protected/i.test(errorMessage(err))) throw err;
    const id = `${String(now.getTime()).padStart(15, '0')}.${Math.random().toString(36).slice(2, 10)}`;
    PropertiesService.getDocumentProperties().setProperty(AUDIT_QUEUE + id, JSON.stringify(rows));
    return 'queued';
  }
}

/** Moves queued audit rows into the log, oldest first, in one write; returns how many. Caller holds the lock. */
export function drainAuditQueue(ss: Spreadsheet): number {
  const props = PropertiesService.getDocumentProperties();
  const keys = props
    .getKeys()
    .filter((k) => k.startsWith(AUDIT_QUEUE))
    .sort();
  if (keys.length === 0) return 0;
  const rows: unknown[][] = [];
  for (const k of keys) {
    try {
      const parsed = JSON.parse(props.getProperty(k) ?? '[]') as unknown;
      if (Array.isArray(parsed)) rows.push(...parsed.filter(Array.isArray));
    } catch (_) {
      // A damaged entry is dropped rather than blocking the others.
    }
  }
  if (rows.length > 0) appendAudit(ss, rows);
  for (const k of keys) props.deleteProperty(k);
  return rows.length;
}

/** The person at the keyboard, or "không xác định" where Apps Script does not say (see recordEdit). */
export function editorOf(e?: { user?: GoogleAppsScript.Base.User }): string {
  let fromEvent = '';
  try {
    fromEvent = e?.user?.getEmail() ?? '';
  } catch (_) {
    fromEvent = '';
  }
  return fromEvent || activeUserEmail() || UNKNOWN_EDITOR;
}

function logAction(ss: Spreadsheet, action: string, now: Date = new Date()): void {
  appendAudit(ss, [auditRow(formatNow(ss, now), editorOf(), '(tất cả đơn vị)', '', '', action)]);
}

export function menuApplyPermissions(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const parsed = readSettings(ss);
    const ui = SpreadsheetApp.getUi();
    if (!parsed.settings.officeEmail) {
      ui.alert('Phân quyền', 'Hãy điền "Email cơ quan thường trực" trong trang "Cấu hình" trước khi phân quyền.', ui.ButtonSet.OK);
      return;
    }
    const locked = PropertiesService.getDocumentProperties().getProperty(PROP_SELF_LOCKED) === '1';
    const lines = withDocumentLock(() => {
      const out = applyPermissions(ss, parsed, locked ? 'selfLocked' : 'open');
      const trigger = installEditTrigger(ss);
      logAction(ss, locked ? 'Phân quyền (đang khóa tự chấm)' : 'Phân quyền');
      return [...out, '', trigger];
    }, LOCK_WAIT.long);
    ui.alert('Phân quyền', lines.join('\n'), ui.ButtonSet.OK);
  });
}

/** Locks or unlocks self-scoring on every unit sheet and records it. */
export function setSelfLock(ss: Spreadsheet, parsed: ParsedSettings, lock: boolean, reason: string, now: Date = new Date()): string[] {
  const lines = applyPermissions(ss, parsed, lock ? 'selfLocked' : 'open');
  const props = PropertiesService.getDocumentProperties();
  if (lock) props.setProperty(PROP_SELF_LOCKED, '1');
  else props.deleteProperty(PROP_SELF_LOCKED);
  logAction(ss, `${lock ? 'Khóa tự chấm' : 'Mở khóa tự chấm'} (${reason})`, now);
  return lines;
}

export function menuLockSelf(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const parsed = readSettings(ss);
    const lines = withDocumentLock(() => setSelfLock(ss, parsed, true, 'theo yêu cầu'), LOCK_WAIT.long);
    SpreadsheetApp.getUi().alert('Khóa tự chấm', lines.join('\n'), SpreadsheetApp.getUi().ButtonSet.OK);
  });
}

export function menuUnlockSelf(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const parsed = readSettings(ss);
    const lines = withDocumentLock(() => {
      PropertiesService.getDocumentProperties().setProperty(PROP_AUTO_LOCK_DONE, '1');
      return setSelfLock(ss, parsed, false, 'theo yêu cầu');
    }, LOCK_WAIT.long);
    SpreadsheetApp.getUi().alert('Mở khóa tự chấm', lines.join('\n'), SpreadsheetApp.getUi().ButtonSet.OK);
  });
}

// ---- 3. history ---------------------------------------------------------------------

/** Appends a snapshot of every unit under `milestone`, unless one exists for it already. */
export function snapshotAll(ss: Spreadsheet, parsed: ParsedSettings, milestone: string, now: Date = new Date(), once = true): number {
  const sheet = ownSheet(ss, SHEET_NAMES.history, SNAPSHOT_HEADERS);
  if (once && sheet.getLastRow() > 1) {
    const recorded = sheet.getRange(2, 2, sheet.getLastRow() - 1, 1).getValues();
    if (recorded.some((r) => String(r[0]) === milestone)) return 0;
  }
  const { names, scores } = scoreAllSheets(ss, parsed);
  const time = formatNow(ss, now);
  const rows: unknown[][] = [];
  for (const u of summaryUnits(parsed.settings, names, scores)) if (u.result) rows.push(...snapshotRows(time, milestone, u.unit, u.result));
  // The time, the milestone key and the STT stay text (a general-format cell would read dates).
  appendRows(sheet, rows, [1, 2, 4]);
  return rows.length;
}

export function menuSnapshot(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const parsed = readSettings(ss);
    const label = `Lưu ngày ${vietnamDate(new Date())}`;
    const count = withDocumentLock(() => snapshotAll(ss, parsed, label, new Date(), false), LOCK_WAIT.long);
    toast(ss, `Đã lưu ${count} dòng điểm vào trang "${SHEET_NAMES.history}".`);
  });
}

/** Daily: snapshot on the day after each milestone; lock self-scoring after the last one. */
export function dailyWorkflow(ss: Spreadsheet, parsed: ParsedSettings, now: Date): void {
  const today = vietnamDate(now);
  const yesterday = vietnamDate(new Date(now.getTime() - 86400000));
  const milestones = parsed.settings.milestones;
  for (const m of milestones) if (m.date === yesterday) snapshotAll(ss, parsed, m.date, now);
  const last = milestones[milestones.length - 1];
  const props = PropertiesService.getDocumentProperties();
  if (last && today > last.date && props.getProperty(PROP_SELF_LOCKED) !== '1' && props.getProperty(PROP_AUTO_LOCK_DONE) !== '1') {
    setSelfLock(ss, parsed, true, `tự động sau mốc ${last.date}`, now);
    props.setProperty(PROP_AUTO_LOCK_DONE, '1');
  }
}

// ---- 4. audit -----------------------------------------------------------------------

/**
 * Records the edited score, explanation, evidence and reason cells in the audit log: one write per edit event.
 * Returns the rows written (0 when nothing watched changed, or when another account's edit trigger keeps today's
 * log: two accounts' triggers both fire on every edit, and only the one that claimed the day writes).
 */
export function recordEdit(e: GoogleAppsScript.Events.SheetsOnEdit, now: Date = new Date()): number {
  const range = e.range;
  const sheet = range.getSheet();
  if (isAddOnSheet(sheet)) return 0;
  const header = readHeader(sheet);
  if (!header) return 0;
  const row0 = range.getRow();
  const col0 = range.getColumn() - 1;
  const single = range.getNumRows() === 1 && range.getNumColumns() === 1;
  // e.value is absent for pastes and multi-cell edits: the new values are read from the range.
  const values = single && e.value !== undefined ? [[e.value]] : range.getValues();
  const ss = sheet.getParent();
  // Across domains and for consumer accounts Apps Script gives no address: said honestly.
  const user = editorOf(e);
  const time = formatNow(ss, now);
  const rows: unknown[][] = [];
  values.forEach((line, i) => {
    const row = row0 + i;
    if (row <= header.rowIndex + 1) return;
    line.forEach((value, j) => {
      if (!isWatchedColumn(header.columns, col0 + j)) return;
      const old = !single ? '(sửa nhiều ô cùng lúc)' : e.value === undefined ? '(dán, không rõ giá trị cũ)' : (e.oldValue ?? '');
      rows.push(auditRow(time, user, sheet.getName(), a1(row, col0 + j), old, value));
    });
  });
  if (rows.length === 0) return 0;
  const uid = e.triggerUid || undefined;
  const today = calendarDate(now, timeZoneOf(ss));
  const lock = LockService.getDocumentLock();
  // A long daily run may hold the lock: then each row goes alone with appendRow, which is atomic.
  const locked = lock.tryLock(LOCK_WAIT.sidebar);
  try {
    if (uid) noteRun('edit', now);
    if (claimedByOther('edit', today, uid)) return 0;
    if (locked) {
      drainAuditQueue(ss);
      appendAudit(ss, rows);
    } else for (const row of rows) editLog(ss).appendRow(row);
    // Claimed only once written: a trigger whose account may not write the log never keeps the other one out.
    claimDay('edit', today, uid);
    return rows.length;
  } finally {
    if (locked) {
      SpreadsheetApp.flush();
      lock.releaseLock();
    }
  }
}

/**
 * Installable edit trigger (runs as the account that installed it): the audit log only.
 * Totals, classes and highlights are formulas and conditional formats the spreadsheet keeps
 * current by itself, so nothing here re-checks or rewrites the sheet.
 */
export function onEditInstalled(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  if (!e?.range) return;
  try {
    recordEdit(e);
  } catch (err) {
    console.error(err);
  }
}

// ---- 5. remedy plan -----------------------------------------------------------------

export function buildRemedyPlan(ss: Spreadsheet, parsed: ParsedSettings): number {
  const { names, scores } = scoreAllSheets(ss, parsed);
  const units = summaryUnits(parsed.settings, names, scores)
    .filter((u) => u.result)
    .map((u) => ({ name: u.unit, result: u.result as ScoredSheet }));
  const s = parsed.settings;
  const layout = remedyPlanLayout(units, { commune: s.commune, field: s.field, year: s.year });
  const sheet = findSheet(ss, SHEET_NAMES.remedyPlan) ?? ss.insertSheet(SHEET_NAMES.remedyPlan);
  sheet.clear();
  writeWithOutlines(sheet, layout.values).setWrap(true).setVerticalAlignment('top');
  if (layout.boldRows.length) sheet.getRangeList(layout.boldRows.map((r) => `A${r}:H${r}`)).setFontWeight('bold');
  if (layout.headerRows.length) sheet.getRangeList(layout.headerRows.map((r) => `A${r}:H${r}`)).setBackground('#cfe2f3');
  layout.widths.forEach((w, i) => sheet.setColumnWidth(i + 1, w));
  return units.length;
}

export function menuRemedyPlan(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const parsed = readSettings(ss);
    const count = withDocumentLock(() => buildRemedyPlan(ss, parsed), LOCK_WAIT.long);
    const sheet = findSheet(ss, SHEET_NAMES.remedyPlan);
    if (sheet) ss.setActiveSheet(sheet);
    toast(ss, `Đã lập kế hoạch duy trì, khắc phục cho ${count} đơn vị. Hãy điền cột "Giải pháp khắc phục".`);
  });
}
