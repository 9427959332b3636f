/**
 * The evidence sidebar "Đính kèm minh chứng": the menu function that opens it and the server
 * functions its page calls through google.script.run.
 *
 * Every argument from the page is untrusted: the sheet must be an existing unit sheet whose
 * table the engine recognises, the row one of its criteria (a leaf for score and evidence
 * edits), links must be http(s), text has a length limit. Each call answers a Reply: data, or a
 * Vietnamese message (never a stack). A write runs under the document lock as one Sheets API read and one
 * Sheets API write (see write()); the other calls read through SpreadsheetApp.
 */
import { appendLink, type EvidenceCell, hasUsableLink, MAX_CELL_LENGTH, removeLink } from '../../core/evidence/cell';
import { checkExplanation, parseScoreInput } from '../../core/evidence/input';
import { checkUrl, sameUrl } from '../../core/evidence/links';
import type { LinkCheck, NextResult, PollResult, Reply, Target, WriteResult } from '../../core/evidence/sidebar-api';
import type { SidebarServer, Untrusted } from '../../core/evidence/sidebar-api';
import type { Criterion } from '../../core/engine/score';
import { a1, formatPoints } from '../../core/engine/text';
import { isOwnSheet, isOwnSheetName, SHEET_NAMES } from '../../core/sheet/own-sheets';
import { auditRow } from '../../core/workflow/audit';
import { type CellsRead, batchWrite, readCells, type RichText } from '../api/sheets-api';
import { appendCellsRequest, cellRequests, quotedTitle, type TextLink } from '../api/requests';
import { errorMessage, formatInZone, LOCK_WAIT, withDocumentLock } from '../env';
import { settingsOf, titleMatching } from '../settings';
import { AUDIT_LOG, AUDIT_TEXT_COLS, apiRow, editorOf, freeSheetId, newLogProtection, newLogRequests, queueAudit } from '../workflow';
import { UserError, readPlace, readTarget, reply } from './args';
import { describeLink } from './drive';
import {
  addOnSheet,
  type Context,
  columnOf,
  contextOf,
  criterionAt,
  criterionView,
  evidenceCellOf,
  evidenceCellOfText,
  findUnitSheet,
  formulaRefused,
  loadContext,
  missingSheet,
  scoreValues,
  selectionKey,
  type Sheet,
  type Spreadsheet,
  viewOfSelection,
} from './views';

/**
 * The view of the active selection, or {changed: false} when it is still `known` (the key of
 * what the page shows). Called every few seconds while the sidebar is visible: a few cheap
 * calls when nothing changed.
 */
export function evidencePoll(known: unknown): Reply<PollResult> {
  return reply(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const sheet = ss.getActiveSheet();
    const range = sheet.getActiveRange();
    const row = range ? range.getRow() : 0;
    const key = selectionKey(sheet.getName(), row);
    if (typeof known === 'string' && known === key) return { changed: false, key };
    return { changed: true, key, view: viewOfSelection(ss, sheet, row) };
  });
}

/** Checks a link before it is attached: form, kind, Drive file name and sharing. */
export function evidenceCheckLink(target: unknown, url: unknown): Reply<LinkCheck> {
  return reply(() => {
    const t = readTarget(target);
    const c = checkUrl(url);
    if (!c.ok) throw new UserError(c.error);
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const ctx = loadContext(ss, findUnitSheet(ss, t.sheet));
    criterionAt(ctx, t, true);
    return describeLink(c.url, ctx.unit?.sensitive ?? false);
  });
}

/** What a write sets in its one cell (0-based column): the cell's value as getValues will give it, its links. */
interface Planned {
  message: string;
  col: number;
  value: string | number;
  /** The evidence cell written (its links become the cell's rich text). */
  cell?: EvidenceCell;
  /** The value before, as read under the lock. */
  old: unknown;
}

/** What the one read gave besides the context: the unit sheet's formulas and rich text, in its values' shape. */
interface Read {
  formulas: string[][];
  rich: (RichText | null)[][];
}

type Planner = (ctx: Context, c: Criterion, read: Read) => Planned;

/** A sheet was added, renamed or removed between the listing and the write: nothing was written. */
class StaleListing extends Error {}

/** Refuses to overwrite a formula, as assertNoFormula does on the sheet. */
function assertNoFormulaIn(read: Read, row: number, col: number): void {
  if (read.formulas[row - 1]?.[col]) throw formulaRefused(a1(row, col));
}

function evidenceIn(ctx: Context, read: Read, row: number, col: number): EvidenceCell {
  return evidenceCellOfText(read.rich[row - 1]?.[col] ?? null, ctx.values[row - 1]?.[col]);
}

/**
 * Runs a write on one criterion under the document lock, audited in the same lock (a script's write fires no edit
 * trigger, so the server function audits it itself): one spreadsheets.get reads the time zone, the settings, the unit
 * sheet (values, formulas, rich text) and whether the log exists and may be written; one batchUpdate writes the cell
 * and appends the log's row (creating the log the first time, protected as ownSheet protects it). A batch is all or
 * nothing: a cell protected against the person writes nothing and logs nothing. A unit that may not write the
 * protected log gets its row queued in document properties, once the cell is written, for the office's next run. The
 * sheet list is read before the lock (the API refuses a range of a missing sheet); a sheet added, renamed or removed
 * meanwhile makes the write list again and retry once. The sheet is not re-checked: its totals, classes and
 * highlights are formulas and conditional formats that follow the write by themselves, and the reply is the view of
 * the criterion scored from the values read, with the written cell updated (no second read).
 */
function write(target: unknown, leafOnly: boolean, plan: Planner): WriteResult {
  const t = readTarget(target);
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const sheets = ss.getSheets();
  return withDocumentLock(() => {
    try {
      return writeOnce(ss, sheets, t, leafOnly, plan);
    } catch (err) {
      if (!(err instanceof StaleListing)) throw err;
    }
    try {
      return writeOnce(ss, ss.getSheets(), t, leafOnly, plan);
    } catch (err) {
      if (!(err instanceof StaleListing)) throw err;
      throw new UserError(
        'Bảng tính vừa thay đổi (một trang vừa được thêm, đổi tên hoặc xóa) nên chưa ghi gì. Hãy bấm Làm mới rồi thử lại.',
      );
    }
  }, LOCK_WAIT.sidebar);
}

function writeOnce(ss: Spreadsheet, sheets: Sheet[], t: Target, leafOnly: boolean, plan: Planner): WriteResult {
  const titles = sheets.map((s) => s.getName());
  const sheet = sheets[titles.indexOf(t.sheet)];
  if (!sheet) throw missingSheet(t.sheet);
  const settingsTitle = titleMatching(titles, SHEET_NAMES.settings);
  const logTitle = titleMatching(titles, SHEET_NAMES.editLog);
  // One range per sheet: the unit sheet and the settings whole, one cell of the log (its id and protections).
  const ranges = [...new Set([t.sheet, settingsTitle].filter((x): x is string => x !== null))].map(quotedTitle);
  if (logTitle !== null && logTitle !== t.sheet && logTitle !== settingsTitle) ranges.push(`${quotedTitle(logTitle)}!A1`);
  let read: ReturnType<typeof readCells>;
  try {
    read = readCells(ss.getId(), ranges, { richText: true, protections: true });
  } catch (err) {
    if (/unable to parse range/i.test(errorMessage(err))) throw new StaleListing();
    throw err;
  }
  const now = new Date();
  const byTitle = (title: string | null) => (title === null ? undefined : read.ranges.find((r) => r.title === title));
  const unit = byTitle(t.sheet) as CellsRead;
  if (isOwnSheetName(t.sheet) && isOwnSheet(t.sheet, unit.values)) throw addOnSheet(t.sheet);
  const parsed = settingsOf(byTitle(settingsTitle)?.values ?? null, read.timeZone, now);
  const ctx = contextOf(ss, sheet, unit.values, parsed);
  const c = criterionAt(ctx, t, leafOnly);
  const cells: Read = { formulas: unit.formulas, rich: unit.richText ?? [] };
  const done = plan(ctx, c, cells);
  const log = byTitle(logTitle);
  const row = auditRow(formatInZone(read.timeZone, now), editorOf(), ctx.name, a1(c.row, done.col), done.old, done.value);
  const requests = cellRequests(unit.sheetId, [
    { row: c.row, col: done.col, value: done.value, ...(done.cell && { links: linksOf(done.cell) }) },
  ]);
  const cellsOfRow = apiRow(row, read.timeZone);
  if (!log) {
    const protection = newLogProtection(AUDIT_LOG.name, () => parsed.settings);
    requests.push(...newLogRequests(AUDIT_LOG, freeSheetId(sheets.map((s) => s.getSheetId())), [cellsOfRow], protection));
  } else if (log.canEdit) requests.push(appendCellsRequest(log.sheetId, [cellsOfRow], AUDIT_TEXT_COLS));
  try {
    batchWrite(ss.getId(), [requests]);
  } catch (err) {
    // The log created by another run since the listing: list again (the batch wrote nothing).
    if (!log && /already exists/i.test(errorMessage(err))) throw new StaleListing();
    throw err;
  }
  if (log && !log.canEdit) queueAudit([row], now);
  ctx.values[c.row - 1][done.col] = done.value;
  const result = scoreValues(ctx.values, ctx.tableCols, ctx.parsed);
  const after = result.ok ? { ...ctx, result } : ctx;
  const updated = after.result.criteria.find((x) => x.row === c.row) ?? c;
  const col = ctx.result.columns.evidence;
  const cell = done.cell ?? (col === undefined ? null : evidenceIn(ctx, cells, c.row, col));
  return { view: criterionView(after, updated, cell, selectionKey(ctx.name, c.row)), message: done.message };
}

/** The http(s) links of an evidence cell (anything else stays plain text, as the sidebar always wrote it). */
function linksOf(cell: EvidenceCell): TextLink[] {
  return cell.links.flatMap((l) => {
    const c = checkUrl(l.url);
    return c.ok ? [{ start: l.start, end: l.end, url: c.url }] : [];
  });
}

function checkedEvidence(cell: EvidenceCell): EvidenceCell {
  if (cell.text.length > MAX_CELL_LENGTH)
    throw new UserError(
      'Ô minh chứng đã quá dài (tối đa 50.000 ký tự). Hãy gom minh chứng vào một thư mục trên Google Drive và đính kèm đường dẫn thư mục.',
    );
  return cell;
}

/** Attaches a link: a new line of the evidence cell, hyperlinked; the cell's content is kept. */
export function evidenceAddLink(target: unknown, url: unknown): Reply<WriteResult> {
  return reply(() => {
    const checked = checkUrl(url);
    if (!checked.ok) throw new UserError(checked.error);
    const result = write(target, true, (ctx, c, read) => {
      const col = columnOf(ctx, 'evidence');
      assertNoFormulaIn(read, c.row, col);
      const cell = evidenceIn(ctx, read, c.row, col);
      if (cell.links.some((l) => sameUrl(l.url, checked.url))) throw new UserError('Đường dẫn này đã được đính kèm cho tiêu chí.');
      const next = checkedEvidence(appendLink(cell, checked.url));
      return {
        message: `Đã đính kèm minh chứng cho tiêu chí ${c.outline || `ở hàng ${c.row}`}.`,
        col,
        value: next.text,
        cell: next,
        old: cell.text,
      };
    });
    // Drive look-ups after the lock is released.
    const view = result.view;
    return { ...result, check: describeLink(checked.url, view.kind === 'criterion' && view.sensitive) };
  });
}

/** Removes one link (its line when nothing else is on it); the rest of the cell is kept. */
export function evidenceRemoveLink(target: unknown, url: unknown): Reply<WriteResult> {
  return reply(() => {
    if (typeof url !== 'string' || url === '' || url.length > MAX_CELL_LENGTH)
      throw new UserError('Yêu cầu không hợp lệ: thiếu đường dẫn cần gỡ.');
    return write(target, true, (ctx, c, read) => {
      const col = columnOf(ctx, 'evidence');
      assertNoFormulaIn(read, c.row, col);
      const cell = evidenceIn(ctx, read, c.row, col);
      const next = removeLink(cell, url);
      if (!next)
        throw new UserError('Không còn thấy đường dẫn này trong ô minh chứng (có thể vừa được sửa trên trang tính). Hãy bấm Làm mới.');
      return { message: 'Đã gỡ minh chứng.', col, value: checkedEvidence(next).text, cell: next, old: cell.text };
    });
  });
}

/** Sets the self score with the sheet's check: 0..max, "Chưa tính điểm", or empty. */
export function evidenceSetScore(target: unknown, input: unknown): Reply<WriteResult> {
  return reply(() =>
    write(target, true, (ctx, c, read) => {
      const col = columnOf(ctx, 'self');
      const parsed = parseScoreInput(input, c.cells.max.kind === 'number' ? c.cells.max.value : null);
      if (!parsed.ok) throw new UserError(parsed.error);
      assertNoFormulaIn(read, c.row, col);
      const what =
        typeof parsed.value === 'number' ? `${formatPoints(parsed.value)} điểm` : parsed.value === '' ? 'trống' : `"${parsed.value}"`;
      // A text ("Chưa tính điểm") is written as stringValue, which the API never parses.
      return { message: `Đã lưu điểm tự chấm: ${what}.`, col, value: parsed.value, old: ctx.values[c.row - 1][col] };
    }),
  );
}

/** Sets the explanation (at most 2,000 characters, stored as text). */
export function evidenceSetExplanation(target: unknown, text: unknown): Reply<WriteResult> {
  return reply(() => {
    const checked = checkExplanation(text);
    if (!checked.ok) throw new UserError(checked.error);
    return write(target, false, (ctx, c, read) => {
      const col = columnOf(ctx, 'explanation');
      assertNoFormulaIn(read, c.row, col);
      // Written as stringValue, which the API never parses: "=…" or "15/6" stay text (what an apostrophe did in setValue).
      return {
        message: checked.value === '' ? 'Đã xóa giải trình.' : 'Đã lưu giải trình.',
        col,
        value: checked.value,
        old: ctx.values[c.row - 1][col],
      };
    });
  });
}

/**
 * Selects the next leaf after `from` (wrapping around) that has a self score above 0 and no
 * http(s) link in its evidence cell, and returns its view.
 */
export function evidenceNextMissing(from: unknown): Reply<NextResult> {
  return reply(() => {
    const { sheet: name, row: fromRow } = readPlace(from);
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const ctx = loadContext(ss, findUnitSheet(ss, name));
    const col = columnOf(ctx, 'evidence');
    const scored = ctx.result.criteria.filter(
      (c) => c.children.length === 0 && c.block !== 'penalty' && c.cells.self.kind === 'number' && c.cells.self.value > 0,
    );
    if (scored.length === 0) return { found: false, message: 'Chưa có tiêu chí nào có điểm tự chấm lớn hơn 0.' };
    const first = scored[0].row;
    const last = scored[scored.length - 1].row;
    const rich = ctx.sheet.getRange(first, col + 1, last - first + 1, 1).getRichTextValues();
    const cells = new Map<number, EvidenceCell>();
    const missing = scored.filter((c) => {
      const cell = evidenceCellOf(rich[c.row - first]?.[0] ?? null, ctx.values[c.row - 1]?.[col]);
      cells.set(c.row, cell);
      return !hasUsableLink(cell);
    });
    if (missing.length === 0) return { found: false, message: 'Mọi tiêu chí có điểm tự chấm đều đã có minh chứng.' };
    const next = missing.find((c) => c.row > fromRow) ?? missing[0];
    ss.setActiveSheet(ctx.sheet);
    ctx.sheet.setActiveRange(ctx.sheet.getRange(next.row, col + 1));
    const label = next.outline ? `Tiêu chí ${next.outline}` : `Tiêu chí ở hàng ${next.row}`;
    const rest =
      missing.length === 1 ? 'Đây là tiêu chí duy nhất còn thiếu.' : `Còn ${missing.length} tiêu chí có điểm nhưng chưa có minh chứng.`;
    return {
      found: true,
      message: `${label} (hàng ${next.row}) chưa có minh chứng. ${rest}`,
      view: criterionView(ctx, next, cells.get(next.row) ?? null, selectionKey(ctx.name, next.row)),
    };
  });
}

/** The functions the page calls, checked against the page's own view of them (SidebarServer). */
export const SIDEBAR_SERVER = {
  evidencePoll,
  evidenceCheckLink,
  evidenceAddLink,
  evidenceRemoveLink,
  evidenceSetScore,
  evidenceSetExplanation,
  evidenceNextMissing,
} satisfies Untrusted<SidebarServer>;
