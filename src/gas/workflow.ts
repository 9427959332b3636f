/**
 * The workflow around the scores: creating unit sheets from the criteria set, permissions,
 * locking self-scoring, milestone history, the edit audit log and the remedy plan.
 */
import { documentProperties, formatNow, runMenuAction, timeZoneOf, toast, withDocumentLock, LOCK_WAIT } from './env';
import { isOwnSheet, isOwnSheetName, SHEET_NAMES } from '../core/sheet/own-sheets';
import { normalizeEmail, officeEmails } from '../core/settings/email';
import { remedyPlanLayout } from '../core/workflow/remedy-plan';
import { scoreUnitGrid } from '../core/sheet/result-block';
import type { ScoredSheet } from '../core/engine/score';
import { calendarDate, type ParsedSettings, scoreOptionsOf, type Settings, vietnamDate } from '../core/settings/settings';
import { summaryUnits } from '../core/summary/summary';
import { STAGE_WIDTHS, STANDARD_HEADERS, STANDARD_WIDTHS, TITLE_ROWS } from '../core/sheet/template';
import { a1, isDate } from '../core/engine/text';

import { AUDIT_HEADERS, auditRow, isWatchedColumn, UNKNOWN_EDITOR } from '../core/workflow/audit';
import { APPLIES_TO_LABEL, criteriaFromSet, unitSheetSpecs } from '../core/workflow/criteria-set';
import { SNAPSHOT_HEADERS, snapshotRows } from '../core/workflow/history';
import {
  isOwnProtection,
  PROTECTION_TAG,
  protectionSpec,
  type ProtectionSpec,
  selfLockedSpec,
  type SpecBuilder,
} from '../core/workflow/protections';
import {
  batchWrite,
  listSheets,
  type ProtectionInfo,
  readSheets,
  type SheetInfo,
  runListing,
  sheetsChanged,
  sheetsService,
} from './api/sheets-api';
import {
  addSheetRequest,
  appendCellsRequest,
  type CellWrite,
  cellRequests,
  columnWidthRequest,
  formatRequest,
  type ProtectionWrite,
  protectRequest,
  quotedTitle,
  repeatValueRequest,
  type Request,
  sheetShapeRequest,
  unprotectRequest,
  updateProtectionRequest,
} from './api/requests';
import { claimDay, claimedByOther, ensureTrigger, noteRun, ownerText } from './triggers';
import { readHeader } from './check';
import { findListed, findSheet, isAddOnSheet, readSettings } from './settings';
import { scoreAllSheets } from './summary';
import type { EntryName } from './entry-names';

export type { SpecBuilder };

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
  sheetsChanged();
  // Open-ended columns ("A2:A"): no read of the sheet's size between writes (each would commit them).
  for (const c of textCols) sheet.getRange(`${a1(2, c - 1)}:${a1(2, c - 1).replace(/\d+$/, '')}`).setNumberFormat('@');
  sheet
    .getRange(1, 1, 1, headers.length)
    .setValues([[...headers]])
    .setFontWeight('bold');
  sheet.setFrozenRows(1);
  if (documentProperties().getProperty(PROP_EDIT_TRIGGER) === '1') {
    // As the reference asks: the running account added before the others are removed.
    const p = sheet.protect().setDescription(ownProtectionDescription(name));
    const keep = editorsWith(effectiveUserEmail(), officeEmails(readSettings(ss).settings));
    p.addEditors(keep);
    p.removeEditors(p.getEditors().filter((u) => !keep.includes(normalizeEmail(u.getEmail()))));
    if (p.canDomainEdit()) p.setDomainEdit(false);
  }
  return sheet;
}

/** Makes sure an own sheet exists, as ownSheet does; inside a run that knows the listing, with no read when it does. */
function ensureOwnSheet(ss: Spreadsheet, name: string, headers: readonly string[], textCols: readonly number[] = []): void {
  const listing = runListing(ss);
  if (!listing || !findListed(listing, name)) ownSheet(ss, name, headers, textCols);
}

function ownProtectionDescription(name: string): string {
  return `${PROTECTION_TAG}: ${name} (chỉ cơ quan thường trực sửa)`;
}

/** The protection ownSheet gives a new own sheet once permissions are set, as a request (`me`: the running account). */
export function ownSheetProtection(name: string, me: string, settings: Settings): ProtectionWrite {
  return { range: null, description: ownProtectionDescription(name), editors: editorsWith(me, officeEmails(settings)), domainEdit: false };
}

/** An own sheet that only grows by appended rows (the logs): its name, header and plain-text columns (1-based). */
export interface LogSheet {
  name: string;
  headers: readonly string[];
  textCols: readonly number[];
}

/** A new sheet's rows, as insertSheet makes it. */
const NEW_SHEET_ROWS = 1000;

/**
 * The requests that create a log sheet with id `sheetId` as ownSheet creates one (bold frozen header, its text columns
 * as plain text), protected by `protection` when given (once permissions are set), then append `rows`.
 */
export function newLogRequests(log: LogSheet, sheetId: number, rows: readonly ApiRow[], protection: ProtectionWrite | null): Request[] {
  const out: Request[] = [
    addSheetRequest(log.name, { sheetId, frozenRows: 1, rows: NEW_SHEET_ROWS }),
    ...log.textCols.map((c) => formatRequest(sheetId, `${a1(2, c - 1)}:${a1(NEW_SHEET_ROWS, c - 1)}`, { numberFormat: '@' })),
    ...cellRequests(
      sheetId,
      log.headers.map((value, col) => ({ row: 1, col, value })),
    ),
    formatRequest(sheetId, `A1:${a1(1, log.headers.length - 1)}`, { bold: true }),
    appendCellsRequest(sheetId, rows, log.textCols),
  ];
  if (protection) out.push(protectRequest(sheetId, protection));
  return out;
}

/** A row as the API writes it. */
export type ApiRow = (string | number | boolean)[];

/**
 * A log row's cells as the API writes them (a string as stringValue, never parsed): the apostrophe auditRow puts before
 * "=" for setValues is dropped, as setValues drops it; a date is written as its text in the spreadsheet's zone.
 */
export function apiRow(row: readonly unknown[], timeZone: string): ApiRow {
  return row.map((v) => {
    if (typeof v === 'number' || typeof v === 'boolean') return v;
    if (isDate(v)) return Utilities.formatDate(v, timeZone, 'dd/MM/yyyy HH:mm:ss');
    const s = String(v ?? '');
    return s.startsWith("'=") ? s.slice(1) : s;
  });
}

/** A sheet id none of `ids` is. */
export function freeSheetId(ids: readonly number[]): number {
  return Math.max(0, ...ids) + 1;
}

/**
 * Appends rows to a log sheet in one batchUpdate (appendCells: after its last row with data, the sheet grown as
 * needed); only ever adds. A missing log is created in the same batch. The sheet is found in the listing (the run's,
 * inside withRunReads: no read at all).
 */
export function appendLogRows(ss: Spreadsheet, log: LogSheet, rows: readonly unknown[][]): void {
  if (rows.length === 0) return;
  const id = ss.getId();
  // Ids and titles only: inside a run, no listing read again for a log that grew.
  const listing = runListing(ss) ?? listSheets(id);
  const timeZone = timeZoneOf(ss);
  const cells = rows.map((r) => apiRow(r, timeZone));
  const existing = findListed(listing, log.name);
  if (existing) {
    batchWrite(id, [[appendCellsRequest(existing.sheetId, cells, log.textCols)]]);
    return;
  }
  const sheetId = freeSheetId(listing.map((s) => s.sheetId));
  batchWrite(id, [
    newLogRequests(
      log,
      sheetId,
      cells,
      newLogProtection(log.name, () => readSettings(ss).settings),
    ),
  ]);
}

/** The protection a new own sheet gets once permissions are set ("Phân quyền" ran), else null. */
export function newLogProtection(name: string, settings: () => Settings): ProtectionWrite | null {
  if (documentProperties().getProperty(PROP_EDIT_TRIGGER) !== '1') return null;
  return ownSheetProtection(name, effectiveUserEmail(), settings());
}

/** Writes a block whose first column holds outline numbers, kept as text (not read as 1.1). */
function writeWithOutlines(sheet: Sheet, values: unknown[][]): GoogleAppsScript.Spreadsheet.Range {
  sheet.getRange(1, 1, values.length, 1).setNumberFormat('@');
  return sheet.getRange(1, 1, values.length, values[0].length).setValues(values);
}

export function activeUserEmail(): string {
  try {
    return Session.getActiveUser().getEmail();
  } catch (_) {
    return '';
  }
}

// ---- 1. set-up: "Tạo biểu chấm" ----------------------------------------------------

/** A new unit sheet: its grid (outlines kept as text), bold titles, the header row formatted and frozen. */
function newUnitSheetRequests(sheetId: number, title: string, grid: unknown[][]): Request[] {
  const header = TITLE_ROWS + 1;
  const width = Math.max(...grid.map((r) => r.length));
  const writes = grid.flatMap((row, r) => row.map((value, col) => ({ row: r + 1, col, value: cellValue(value) })));
  return [
    addSheetRequest(title, { sheetId, rows: Math.max(1000, grid.length), columns: Math.max(26, width), frozenRows: header }),
    formatRequest(sheetId, `A1:A${grid.length}`, { numberFormat: '@' }),
    ...cellRequests(sheetId, writes),
    formatRequest(sheetId, 'A1:A3', { bold: true }),
    formatRequest(sheetId, `${a1(header, 0)}:${a1(header, width - 1)}`, { bold: true, wrap: true, background: '#cfe2f3' }),
    formatRequest(sheetId, `B${header + 1}:B${grid.length}`, { wrap: true }),
  ];
}

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
  const book = openBook(ss);
  const plan = unitSheetSpecs(
    parsed.settings,
    book.sheets.map((s) => s.title),
    set.criteria,
  );
  // Every new sheet, its values and formats in one batchUpdate (a sheet's requests together: all of it or none of it).
  let nextId = Math.max(0, ...book.sheets.map((s) => s.sheetId)) + 1;
  const ids = plan.create.map(() => nextId++);
  const widths = [...STANDARD_WIDTHS, ...STAGE_WIDTHS];
  batchWrite(
    book.id,
    plan.create.map((item, i) => [
      ...newUnitSheetRequests(ids[i], item.sheet, item.grid),
      ...widths.map((w, c) => columnWidthRequest(ids[i], c, 1, w)),
    ]),
  );
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

/**
 * The account whose authorisation the script runs on (Session.getEffectiveUser: the person for a menu, the installer
 * for a trigger), as compared: it stays an editor of every protection it writes (Apps Script reference, Protection:
 * "Ensure the current user is an editor before removing others. Otherwise, if the user's edit permission comes from
 * a group, the script throws an exception upon removing the group").
 */
export function effectiveUserEmail(): string {
  try {
    return normalizeEmail(Session.getEffectiveUser().getEmail());
  } catch (_) {
    return '';
  }
}

/**
 * Why the running account may not `action` ("phân quyền", "khóa tự chấm"…), or null when it is the standing office:
 * the account running it stays an editor of every cell, so a unit's account would keep the right to edit everything.
 */
export function officeRefusal(settings: Settings, action: string): string | null {
  const office = officeEmails(settings);
  if (office.length === 0) return `Hãy điền "Email cơ quan thường trực" trong trang "Cấu hình" trước khi ${action}.`;
  const me = effectiveUserEmail();
  const why = 'tài khoản chạy lệnh này luôn giữ quyền sửa mọi ô của các biểu chấm';
  const retry = `hãy đăng nhập bằng ${office.join(' hoặc ')} rồi chạy lại.`;
  if (!me) return `Không xác định được tài khoản đang chạy lệnh nên không thể ${action}, vì ${why}. Vui lòng ${retry}`;
  if (!office.includes(me))
    return `Chỉ tài khoản cơ quan thường trực (${office.join(', ')}) được ${action}, vì ${why}. Bạn đang dùng ${me}: ${retry}`;
  return null;
}

/** One listing of the spreadsheet per run, through the Sheets API: sheets by title, the id, the time zone. */
interface Book {
  id: string;
  timeZone: string;
  sheets: (SheetInfo & { protections?: ProtectionInfo[] })[];
}

function openBook(ss: Spreadsheet, withProtections = false, sizesOf?: readonly string[]): Book {
  const id = ss.getId();
  return {
    id,
    timeZone: timeZoneOf(ss),
    sheets: withProtections ? listSheets(id, { protections: true, sizesOf }) : listSheets(id, { sizesOf }),
  };
}

/** A sheet of the listing by name, as findSheet finds it. */
function sheetIn(book: Book, name: string): Book['sheets'][number] | undefined {
  return findListed(book.sheets, name);
}

function editorsWith(me: string, ...lists: (readonly string[])[]): string[] {
  return [...new Set([...lists.flat(), me].filter(Boolean))];
}

/** The protections of one unit sheet: the whole sheet for the office, its open cells covered by the blocks. */
function protectionWrites(spec: ProtectionSpec, me: string): ProtectionWrite[] {
  const office = spec.officeEditors;
  const block = (description: string, editors: string[]) => (range: string) => ({ range, description, editors });
  return [
    { range: null, description: spec.sheetDescription, editors: editorsWith(me, office), unprotected: spec.openRanges },
    ...spec.unitBlocks.map(block(spec.rangeDescriptions.unit, editorsWith(me, office, spec.unitEditors))),
    ...spec.councilBlocks.map(block(spec.rangeDescriptions.council, editorsWith(me, office, spec.councilEditors))),
  ];
}

/**
 * The requests that replace the add-on's protections of one sheet by `wanted`, sent together (one batchUpdate is all
 * or nothing, so the sheet is never left half protected): the add-on's range protections removed, the sheet's
 * protection updated in place (a sheet has at most one; an existing one is taken over, as Sheet.protect() does), the
 * blocks added. Null when a protection to change is one the running account may not edit (the API hides its editors).
 */
function replaceProtections(sheetId: number, existing: readonly ProtectionInfo[], wanted: readonly ProtectionWrite[]): Request[] | null {
  const whole = existing.find((p) => p.range === null);
  const ours = existing.filter((p) => p.range !== null && isOwnProtection(p.description));
  if ([...ours, ...(whole ? [whole] : [])].some((p) => p.editors === null)) return null;
  const out: Request[] = ours.map((p) => unprotectRequest(p.id));
  for (const w of wanted) out.push(w.range === null && whole ? updateProtectionRequest(sheetId, whole.id, w) : protectRequest(sheetId, w));
  return out;
}

/**
 * Applies the protections `specFor` builds to every unit sheet, and protects the add-on's own sheets for the office;
 * `label` says what was done, per unit ("đã phân quyền"). Reads the workbook once (one listing with the protections,
 * one values.batchGet of the unit sheets) and writes every change in one batchUpdate (more only past 2 MB; a sheet's
 * requests always go together). Only the standing office may run it (see officeRefusal).
 */
export function applyPermissions(
  ss: Spreadsheet,
  parsed: ParsedSettings,
  specFor: SpecBuilder,
  label: string,
  audit?: { action: string; now: Date },
): string[] {
  const settings = parsed.settings;
  const refusal = officeRefusal(settings, 'phân quyền');
  if (refusal) throw new Error(refusal);
  const me = effectiveUserEmail();
  ensureOwnSheet(ss, SHEET_NAMES.editLog, AUDIT_HEADERS, AUDIT_TEXT_COLS);
  const book = openBook(
    ss,
    true,
    settings.units.map((u) => u.sheet),
  );
  const units = settings.units.map((unit) => ({ unit, info: sheetIn(book, unit.sheet) }));
  const unitTitles = new Set(units.flatMap((u) => (u.info ? [u.info.title] : [])));
  // The add-on's own sheets by name: a sheet named like one that no unit uses (their content is not read: the logs
  // and the history grow large, and protecting an unknown sheet for the office alone takes nothing from a unit).
  const own = book.sheets.filter((s) => isOwnSheetName(s.title) && !unitTitles.has(s.title));
  // Values for the layout only (rows, columns): dates need not be told from numbers, which saves the get call.
  const read = readSheets(book.id, [...unitTitles], { dates: false }, book.timeZone);
  const grids = new Map(read.map((g) => [g.title, g.values]));
  const lines: string[] = [];
  const groups: Request[][] = [];
  const done = new Set<number>();
  for (const { unit, info } of units) {
    if (!info) {
      lines.push(`• ${unit.name}: không tìm thấy trang "${unit.sheet}".`);
      continue;
    }
    const r = scoreUnitGrid(grids.get(info.title) ?? [[]], scoreOptionsOf(settings));
    if (!r.ok) {
      lines.push(`• ${unit.name}: trang được giữ nguyên (${r.reason})`);
      continue;
    }
    const spec = specFor(r, unit, settings, info.rowCount);
    const requests = replaceProtections(info.sheetId, info.protections ?? [], protectionWrites(spec, me));
    if (done.has(info.sheetId)) {
      lines.push(`• ${unit.name}: trang "${info.title}" đã được phân quyền cho một đơn vị khác trong danh sách.`);
      continue;
    }
    done.add(info.sheetId);
    if (!requests) {
      lines.push(`• ${unit.name}: trang được giữ nguyên (có vùng bảo vệ mà tài khoản này không được sửa).`);
      continue;
    }
    groups.push(requests);
    lines.push(`• ${unit.name}: ${label}.${spec.warnings.length ? ` ${spec.warnings.join(' ')}` : ''}`);
  }
  const office = editorsWith(me, officeEmails(settings));
  for (const sheet of own) {
    const wanted: ProtectionWrite = { range: null, description: ownProtectionDescription(sheet.title), editors: office };
    const requests = replaceProtections(sheet.sheetId, sheet.protections ?? [], [wanted]);
    if (requests) groups.push(requests);
    else lines.push(`• Trang "${sheet.title}" được giữ nguyên (có vùng bảo vệ mà tài khoản này không được sửa).`);
  }
  // The audit row in the same batches: logged exactly when the protections are written.
  const log = sheetIn(book, SHEET_NAMES.editLog);
  if (audit && log)
    groups.push([appendCellsRequest(log.sheetId, [apiRow(actionRow(ss, audit.action, audit.now), book.timeZone)], AUDIT_TEXT_COLS)]);
  if (groups.length) batchWrite(book.id, groups);
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
  documentProperties().setProperty(PROP_EDIT_TRIGGER, '1');
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
export const AUDIT_TEXT_COLS = [1, 5, 6];

export const AUDIT_LOG: LogSheet = { name: SHEET_NAMES.editLog, headers: AUDIT_HEADERS, textCols: AUDIT_TEXT_COLS };

function editLog(ss: Spreadsheet): Sheet {
  return ownSheet(ss, SHEET_NAMES.editLog, AUDIT_HEADERS, AUDIT_TEXT_COLS);
}

/** Appends audit rows in one write (the caller holds the document lock, so two writers never overlap). */
export function appendAudit(ss: Spreadsheet, rows: unknown[][]): void {
  appendLogRows(ss, AUDIT_LOG, rows);
}

/** Audit rows a person could not write into the protected log (a sidebar write), kept until a trigger run moves them. */
const AUDIT_QUEUE = 'chamdiem.auditQueue.';

/**
 * Keeps audit rows in document properties, which every editor may write, when the log is protected against the person
 * running the script (a unit writing through the sidebar after "Phân quyền"), until the next edit-trigger or daily run
 * (the office's account) moves them into the log (drainAuditQueue). Caller holds the lock.
 */
export function queueAudit(rows: unknown[][], now: Date = new Date()): void {
  const id = `${String(now.getTime()).padStart(15, '0')}.${Math.random().toString(36).slice(2, 10)}`;
  documentProperties().setProperty(AUDIT_QUEUE + id, JSON.stringify(rows));
}

/** Moves queued audit rows into the log, oldest first, in one write; returns how many. Caller holds the lock. */
export function drainAuditQueue(ss: Spreadsheet): number {
  const props = documentProperties();
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

/** The audit row of a command over every unit sheet. */
function actionRow(ss: Spreadsheet, action: string, now: Date): unknown[] {
  return auditRow(formatNow(ss, now), editorOf(), '(tất cả đơn vị)', '', '', action);
}

/**
 * A menu command over every unit sheet's protections: refused with the reason unless the standing office runs it,
 * else `run` under the document lock and its lines shown.
 */
function protectionMenu(title: string, action: string, run: (ss: Spreadsheet, parsed: ParsedSettings) => string[]): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const parsed = readSettings(ss);
    const ui = SpreadsheetApp.getUi();
    const refusal = officeRefusal(parsed.settings, action);
    const lines = refusal ? [refusal] : withDocumentLock(() => run(ss, parsed), LOCK_WAIT.long);
    ui.alert(title, lines.join('\n'), ui.ButtonSet.OK);
  });
}

/** "Phân quyền" while self-scoring is open; after "Khóa tự chấm" the unit's columns stay locked. */
const OPEN = { specFor: protectionSpec as SpecBuilder, label: 'đã phân quyền' };
const SELF_LOCKED = { specFor: selfLockedSpec as SpecBuilder, label: 'đã khóa cột tự chấm' };

export function menuApplyPermissions(): void {
  protectionMenu('Phân quyền', 'phân quyền', (ss, parsed) => {
    const locked = documentProperties().getProperty(PROP_SELF_LOCKED) === '1';
    const mode = locked ? SELF_LOCKED : OPEN;
    const action = locked ? 'Phân quyền (đang khóa tự chấm)' : 'Phân quyền';
    const out = applyPermissions(ss, parsed, mode.specFor, mode.label, { action, now: new Date() });
    return [...out, '', installEditTrigger(ss)];
  });
}

/** Locks or unlocks self-scoring on every unit sheet and records it (only the standing office may: applyPermissions). */
export function setSelfLock(ss: Spreadsheet, parsed: ParsedSettings, lock: boolean, reason: string, now: Date = new Date()): string[] {
  const mode = lock ? SELF_LOCKED : OPEN;
  const action = `${lock ? 'Khóa tự chấm' : 'Mở khóa tự chấm'} (${reason})`;
  const lines = applyPermissions(ss, parsed, mode.specFor, mode.label, { action, now });
  const props = documentProperties();
  if (lock) props.setProperty(PROP_SELF_LOCKED, '1');
  else props.deleteProperty(PROP_SELF_LOCKED);
  return lines;
}

export function menuLockSelf(): void {
  protectionMenu('Khóa tự chấm', 'khóa tự chấm', (ss, parsed) => setSelfLock(ss, parsed, true, 'theo yêu cầu'));
}

export function menuUnlockSelf(): void {
  protectionMenu('Mở khóa tự chấm', 'mở khóa tự chấm', (ss, parsed) => {
    documentProperties().setProperty(PROP_AUTO_LOCK_DONE, '1');
    return setSelfLock(ss, parsed, false, 'theo yêu cầu');
  });
}

// ---- 3. history ---------------------------------------------------------------------

/** The snapshot's first columns (time, milestone, unit), the same on every row of a unit. */
const SNAPSHOT_SAME = 3;

/** A value as the API writes it: text stays text (an outline "1.10" or a milestone key never becomes a number or a date). */
function cellValue(value: unknown): CellWrite['value'] {
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string' ? value : value == null ? '' : String(value);
}

/**
 * Appends a snapshot of every unit under `milestone`; with `once`, only of the units that have none under it yet (so a
 * run cut off part way is completed by the next one, never doubled). Reads the history's milestone and unit columns
 * and every other sheet in one values.batchGet each (plus one get telling dates from numbers); writes the rows as
 * text where they are text, each unit's rows in the same batchUpdate (one call per 2 MB).
 */
export function snapshotAll(ss: Spreadsheet, parsed: ParsedSettings, milestone: string, now: Date = new Date(), once = true): number {
  ensureOwnSheet(ss, SHEET_NAMES.history, SNAPSHOT_HEADERS);
  const book = openBook(ss, false, [SHEET_NAMES.history]);
  const history = sheetIn(book, SHEET_NAMES.history) as SheetInfo;
  const recorded =
    sheetsService().Spreadsheets.Values.batchGet(book.id, {
      ranges: [`${quotedTitle(history.title)}!B1:C${history.rowCount}`],
      valueRenderOption: 'UNFORMATTED_VALUE',
    }).valueRanges?.[0]?.values ?? [];
  const done = new Set(once ? recorded.filter((r) => String(r[0] ?? '') === milestone).map((r) => String(r[1] ?? '')) : []);
  const unitTitles = new Set(parsed.settings.units.map((u) => sheetIn(book, u.sheet)?.title));
  const candidates = book.sheets.filter((s) => s !== history && (!isOwnSheetName(s.title) || unitTitles.has(s.title)));
  const names: string[] = [];
  const scores = new Map<string, ScoredSheet | string>();
  for (const g of readSheets(
    book.id,
    candidates.map((s) => s.title),
    {},
    book.timeZone,
  )) {
    if (isOwnSheet(g.title, g.values)) continue;
    names.push(g.title);
    const r = scoreUnitGrid(g.values, scoreOptionsOf(parsed.settings));
    scores.set(g.title, r.ok ? r : r.reason);
  }
  const time = formatNow(ss, now);
  let next = Math.max(1, recorded.length) + 1;
  const groups: Request[][] = [];
  for (const u of summaryUnits(parsed.settings, names, scores)) {
    if (!u.result || done.has(u.unit)) continue;
    const rows = snapshotRows(time, milestone, u.unit, u.result);
    // The time, milestone and unit repeat down the unit's rows: one repeatCell each.
    const writes = rows.flatMap((row, i) =>
      row.slice(SNAPSHOT_SAME).map((value, k) => ({ row: next + i, col: SNAPSHOT_SAME + k, value: cellValue(value) })),
    );
    const same = rows[0]
      .slice(0, SNAPSHOT_SAME)
      .map((value, col) => repeatValueRequest(history.sheetId, { row: next, col, numRows: rows.length, numCols: 1 }, cellValue(value)));
    next += rows.length;
    groups.push([...same, ...cellRequests(history.sheetId, writes)]);
  }
  if (!groups.length) return 0;
  if (next - 1 > history.rowCount) groups[0].unshift(sheetShapeRequest(history.sheetId, { rows: next - 1 }));
  batchWrite(book.id, groups);
  return next - Math.max(1, recorded.length) - 1;
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
  const props = documentProperties();
  if (last && today > last.date && props.getProperty(PROP_SELF_LOCKED) !== '1' && props.getProperty(PROP_AUTO_LOCK_DONE) !== '1') {
    // The daily run is the account that installed its trigger: it locks only if that is the standing office.
    const refusal = officeRefusal(parsed.settings, 'tự động khóa tự chấm');
    if (refusal) {
      console.warn(refusal);
      return;
    }
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
