/**
 * The evidence sidebar "Đính kèm minh chứng": the menu function that opens it and the server
 * functions its page calls through google.script.run.
 *
 * Every argument from the page is untrusted: the sheet must be an existing unit sheet whose
 * table the engine recognises, the row one of its criteria (a leaf for score and evidence
 * edits), links must be http(s), text has a length limit. Each call answers a Reply: data, or a
 * Vietnamese message (never a stack). Writes run under the document lock and read the sheet
 * once (getDataRange().getValues(), plus the rich text of the one evidence cell or column).
 */
import {
  appendLink,
  cellFromRuns,
  checkExplanation,
  checkUrl,
  type CriterionView,
  type EvidenceCell,
  evidenceFileName,
  hasUsableLink,
  LINK_KIND_LABEL,
  type LinkCheck,
  type LinkKind,
  type LinkView,
  MAX_CELL_LENGTH,
  type NextResult,
  type NoneView,
  otherTextOf,
  parseScoreInput,
  type PollResult,
  removeLink,
  type Reply,
  sameUrl,
  type SidebarView,
  type Target,
  type WriteResult,
} from '../core/evidence/evidence';
import { fromMicro } from '../core/engine/decimal';
import { findResultBlock } from '../core/sheet/result-block';
import { type Criterion, type ScoredSheet, scoreGrid } from '../core/engine/score';
import { type ParsedSettings, scoreOptionsOf, type Unit } from '../core/settings/settings';
import { cellText, formatPoints, normalizeLabel } from '../core/engine/text';
import { checkSheet } from './check';
import { describeError, runMenuAction, timeZoneOf, withDocumentLock } from './env';
import { isAddOnSheet, readSettings } from './settings';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type RichTextValue = GoogleAppsScript.Spreadsheet.RichTextValue;

export const SIDEBAR_FILE = 'sidebar';
export const SIDEBAR_TITLE = 'Đính kèm minh chứng';
/** Drive look-ups per view, so a cell full of links cannot make the sidebar slow. */
const MAX_DRIVE_CHECKS = 5;
const LOCK_WAIT_MS = 10000;

/** An error whose message is meant for the person (Vietnamese, no stack). */
class UserError extends Error {}

/** Menu: open the sidebar. */
export function showEvidenceSidebar(): void {
  runMenuAction(() => {
    const html = HtmlService.createHtmlOutputFromFile(SIDEBAR_FILE).setTitle(SIDEBAR_TITLE);
    SpreadsheetApp.getUi().showSidebar(html);
  });
}

// ---------------------------------------------------------------------------
// Replies and argument checks
// ---------------------------------------------------------------------------

function errorText(err: unknown): string {
  if (err instanceof UserError) return err.message;
  const msg = err instanceof Error ? err.message : String(err);
  if (/protected cell|protected range|protected sheet/i.test(msg)) {
    return 'Ô này đang được bảo vệ (có thể tự chấm đã bị khóa). Bạn không sửa được; hãy liên hệ cơ quan thường trực.';
  }
  console.error(err);
  return describeError(err);
}

function reply<T>(fn: () => T): Reply<T> {
  try {
    return { ok: true, data: fn() };
  } catch (err) {
    return { ok: false, error: errorText(err) };
  }
}

function readSheetName(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '' || raw.length > 100) throw new UserError('Yêu cầu không hợp lệ: thiếu tên trang tính.');
  return raw;
}

function readRow(raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 1) throw new UserError('Yêu cầu không hợp lệ: số hàng không đúng.');
  return raw;
}

function readTarget(raw: unknown): Target {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new UserError('Yêu cầu không hợp lệ: thiếu tiêu chí.');
  const t = raw as Record<string, unknown>;
  const outline = t.outline === undefined ? '' : t.outline;
  if (typeof outline !== 'string' || outline.length > 50) throw new UserError('Yêu cầu không hợp lệ: số thứ tự tiêu chí không đúng.');
  return { sheet: readSheetName(t.sheet), row: readRow(t.row), outline };
}

// ---------------------------------------------------------------------------
// Reading a unit sheet
// ---------------------------------------------------------------------------

interface Context {
  ss: Spreadsheet;
  sheet: Sheet;
  name: string;
  values: unknown[][];
  tableCols: number;
  result: ScoredSheet;
  parsed: ParsedSettings;
  unit: Unit | null;
}

function unitOf(parsed: ParsedSettings, sheetName: string): Unit | null {
  const key = normalizeLabel(sheetName);
  return parsed.settings.units.find((u) => normalizeLabel(u.sheet) === key) ?? null;
}

function findUnitSheet(ss: Spreadsheet, name: string): Sheet {
  const sheet = ss.getSheetByName(name);
  if (!sheet) throw new UserError(`Không tìm thấy trang tính "${name}". Có thể trang vừa được đổi tên hoặc xóa; hãy bấm Làm mới.`);
  if (isAddOnSheet(sheet)) throw new UserError(`Trang "${name}" là trang của công cụ chấm điểm, không phải biểu chấm của đơn vị.`);
  return sheet;
}

function score(values: unknown[][], tableCols: number, parsed: ParsedSettings) {
  return scoreGrid(values, { ...scoreOptionsOf(parsed.settings), ignoreFromColumn: tableCols });
}

/** One read of the sheet, scored. Throws a UserError when it is not a unit's score table. */
function loadContext(ss: Spreadsheet, sheet: Sheet, parsed: ParsedSettings = readSettings(ss)): Context {
  const name = sheet.getName();
  const values = sheet.getDataRange().getValues();
  const block = findResultBlock(values);
  const tableCols = block ? block.col : (values[0]?.length ?? 0);
  const result = score(values, tableCols, parsed);
  if (!result.ok) throw new UserError(`Trang "${name}" không phải biểu chấm điểm: ${result.reason}`);
  return { ss, sheet, name, values, tableCols, result, parsed, unit: unitOf(parsed, name) };
}

function criterionAt(ctx: Context, t: Target, leafOnly: boolean): Criterion {
  const c = ctx.result.criteria.find((x) => x.row === t.row);
  if (!c) throw new UserError(`Hàng ${t.row} của trang "${ctx.name}" không phải là một tiêu chí chấm điểm. Hãy bấm Làm mới.`);
  if (c.outline !== t.outline) {
    throw new UserError('Biểu chấm vừa thay đổi (các hàng đã dời chỗ) nên chưa ghi gì. Hãy bấm Làm mới rồi thử lại.');
  }
  if (leafOnly && c.children.length > 0) {
    throw new UserError(
      `Mục ${c.outline || `ở hàng ${c.row}`} là mục nhóm: điểm được cộng từ các tiêu chí con. Hãy chọn một tiêu chí con.`,
    );
  }
  return c;
}

function columnOf(ctx: Context, role: 'evidence' | 'explanation' | 'self'): number {
  const col = ctx.result.columns[role];
  if (col === undefined) {
    const what = role === 'evidence' ? 'Minh chứng' : role === 'explanation' ? 'Giải trình' : 'Điểm tự chấm';
    throw new UserError(`Biểu chấm "${ctx.name}" không có cột "${what}".`);
  }
  return col;
}

function evidenceCellOf(rich: RichTextValue | null, value: unknown): EvidenceCell {
  if (!rich) return cellFromRuns(cellText(value));
  const runs = rich.getRuns().map((r) => ({ start: r.getStartIndex(), end: r.getEndIndex(), url: r.getLinkUrl() }));
  return cellFromRuns(rich.getText(), runs);
}

function assertNoFormula(range: GoogleAppsScript.Spreadsheet.Range): void {
  if (range.getFormula()) {
    throw new UserError(`Ô ${range.getA1Notation()} đang chứa công thức nên tiện ích không ghi đè. Hãy sửa trực tiếp trên trang tính.`);
  }
}

// ---------------------------------------------------------------------------
// Drive
// ---------------------------------------------------------------------------

type DriveInfo = { status: 'ok'; name: string; access: string } | { status: 'no-permission' } | { status: 'not-found' };

/** Name and sharing of a Drive file or folder; never throws (no Drive scope, no access). */
function driveInfo(kind: LinkKind, id: string): DriveInfo {
  try {
    const item = kind === 'drive-folder' ? DriveApp.getFolderById(id) : DriveApp.getFileById(id);
    const name = item.getName();
    let access = '';
    try {
      access = String(item.getSharingAccess());
    } catch (_) {
      access = '';
    }
    return { status: 'ok', name, access };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return /no item with the given id|not found/i.test(msg) ? { status: 'not-found' } : { status: 'no-permission' };
  }
}

const PUBLIC_ACCESS = new Set(['ANYONE', 'ANYONE_WITH_LINK']);

function describeLink(url: string, sensitive: boolean): LinkCheck {
  const c = checkUrl(url);
  if (!c.ok) return { url, kindLabel: '', fileName: null, drive: 'not-drive', warning: null, note: c.error };
  const kindLabel = LINK_KIND_LABEL[c.kind];
  if (!c.driveId) {
    const note = sensitive
      ? 'Đường dẫn không thuộc Google Drive nên không kiểm tra được quyền chia sẻ. Minh chứng của đơn vị nhạy cảm phải được chia sẻ hạn chế.'
      : null;
    return { url: c.url, kindLabel, fileName: null, drive: 'not-drive', warning: null, note };
  }
  const info = driveInfo(c.kind, c.driveId);
  if (info.status === 'no-permission') {
    const note =
      'Không kiểm tra được tệp trên Google Drive: tiện ích chưa được cấp quyền xem Google Drive.' +
      (sensitive ? ' Hãy tự kiểm tra tệp chỉ được chia sẻ hạn chế.' : '');
    return { url: c.url, kindLabel, fileName: null, drive: 'no-permission', warning: null, note };
  }
  if (info.status === 'not-found') {
    const note =
      'Không đọc được tệp này trên Google Drive (tệp không tồn tại, đã bị xóa hoặc bạn không có quyền xem) nên không kiểm tra được tên tệp và quyền chia sẻ.' +
      (sensitive ? ' Minh chứng của đơn vị nhạy cảm phải được chia sẻ hạn chế.' : '');
    return { url: c.url, kindLabel, fileName: null, drive: 'not-found', warning: null, note };
  }
  let warning: string | null = null;
  if (sensitive && PUBLIC_ACCESS.has(info.access)) {
    const how = info.access === 'ANYONE' ? 'đang công khai trên Internet' : 'đang chia sẻ cho bất kỳ ai có đường liên kết';
    warning = `Đơn vị nhạy cảm: tệp ${how}. Hãy đổi quyền truy cập chung của tệp trên Google Drive thành "Bị hạn chế".`;
  }
  return { url: c.url, kindLabel, fileName: info.name, drive: 'ok', warning, note: null };
}

// ---------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------

function selectionKey(sheet: string, row: number): string {
  return `${sheet}\n${row}`;
}

function rootOf(result: ScoredSheet, c: Criterion): Criterion {
  let node = c;
  while (node.parent >= 0) node = result.criteria[node.parent];
  return node;
}

function cellDisplay(c: Criterion['cells']['self']): string {
  if (c.kind === 'empty') return '';
  if (c.kind === 'number') return formatPoints(c.value);
  return c.raw;
}

function linkViews(cell: EvidenceCell, sensitive: boolean): LinkView[] {
  let checks = 0;
  return cell.links.map((l) => {
    const text = cell.text.slice(l.start, l.end);
    const c = checkUrl(l.url);
    if (!c.ok) {
      return {
        url: l.url,
        text,
        safe: false,
        kindLabel: '',
        fileName: null,
        warning: null,
        note: 'Liên kết không phải http/https nên không mở được từ đây.',
      };
    }
    const view: LinkView = { url: c.url, text, safe: true, kindLabel: LINK_KIND_LABEL[c.kind], fileName: null, warning: null, note: null };
    // Drive look-ups cost time: done for sensitive units, whose sharing must be checked.
    if (sensitive && checks < MAX_DRIVE_CHECKS) {
      checks++;
      const d = describeLink(c.url, true);
      view.fileName = d.fileName;
      view.warning = d.warning;
      view.note = d.note;
    }
    return view;
  });
}

function criterionView(ctx: Context, c: Criterion, cell: EvidenceCell | null, key: string): CriterionView {
  const unitName = ctx.unit?.name || ctx.name;
  const sensitive = ctx.unit?.sensitive ?? false;
  const root = rootOf(ctx.result, c);
  const group = c.block === 'bonus' ? 'Điểm cộng' : c.block === 'penalty' ? 'Điểm trừ' : root === c ? '' : root.text;
  const time = Utilities.formatDate(new Date(), timeZoneOf(ctx.ss), 'MM/yyyy');
  const evidence = cell ?? cellFromRuns('');
  return {
    kind: 'criterion',
    key,
    target: { sheet: ctx.name, row: c.row, outline: c.outline },
    unit: unitName,
    sensitive,
    outline: c.outline,
    text: c.text,
    group,
    block: c.block,
    leaf: c.children.length === 0,
    max: c.children.length === 0 ? cellDisplay(c.cells.max) : formatPoints(fromMicro(c.max)),
    maxValue: c.cells.max.kind === 'number' ? c.cells.max.value : null,
    // A group shows the sum of its children, as the check writes it.
    self: c.children.length === 0 ? cellDisplay(c.cells.self) : formatPoints(fromMicro(c.points.self)),
    explanation: c.explanation,
    hasEvidenceColumn: ctx.result.columns.evidence !== undefined,
    hasExplanationColumn: ctx.result.columns.explanation !== undefined,
    links: linkViews(evidence, sensitive),
    otherText: otherTextOf(evidence),
    fileName: evidenceFileName({ unit: unitName, group: group || c.text, content: group ? c.text : '', time }),
    officeFocal: ctx.parsed.settings.officeFocal,
  };
}

/** The view of one criterion, reading the rich text of its evidence cell only. */
function viewOfCriterion(ctx: Context, c: Criterion, key: string): CriterionView {
  const col = ctx.result.columns.evidence;
  let cell: EvidenceCell | null = null;
  if (col !== undefined) cell = evidenceCellOf(ctx.sheet.getRange(c.row, col + 1).getRichTextValue(), ctx.values[c.row - 1]?.[col]);
  return criterionView(ctx, c, cell, key);
}

function none(sheet: string, row: number, unitSheet: boolean, message: string): NoneView {
  return { kind: 'none', key: selectionKey(sheet, row), sheet, row, unitSheet, message };
}

/** What the sidebar shows for a selected row of a sheet. */
function viewOfSelection(ss: Spreadsheet, sheet: Sheet, row: number): SidebarView {
  const name = sheet.getName();
  const key = selectionKey(name, row);
  if (isAddOnSheet(sheet)) {
    return none(
      name,
      row,
      false,
      `Trang "${name}" là trang của công cụ chấm điểm. Hãy mở biểu chấm của một đơn vị và chọn một hàng tiêu chí.`,
    );
  }
  let ctx: Context;
  try {
    ctx = loadContext(ss, sheet);
  } catch (err) {
    if (err instanceof UserError) return none(name, row, false, `${err.message} Hãy mở biểu chấm của một đơn vị.`);
    throw err;
  }
  const r = ctx.result;
  if (row <= r.headerRow || row > r.lastRow || (r.totalRow !== null && row >= r.totalRow)) {
    return none(
      name,
      row,
      true,
      `Hàng đang chọn không thuộc bảng tiêu chí. Hãy chọn một hàng tiêu chí (từ hàng ${r.headerRow + 1} trở xuống).`,
    );
  }
  // A wrapped line of text belongs to the criterion above it.
  let c: Criterion | undefined;
  for (const x of r.criteria) if (x.row <= row) c = x;
  if (!c) return none(name, row, true, 'Hàng đang chọn không phải là một tiêu chí. Hãy chọn một hàng tiêu chí.');
  return viewOfCriterion(ctx, c, key);
}

// ---------------------------------------------------------------------------
// Server functions (google.script.run)
// ---------------------------------------------------------------------------

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

/** Runs a write on one criterion under the document lock, then re-checks the sheet. */
function write(
  target: unknown,
  leafOnly: boolean,
  fn: (ctx: Context, c: Criterion) => { message: string; cell?: EvidenceCell },
): WriteResult {
  const t = readTarget(target);
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const sheet = findUnitSheet(ss, t.sheet);
  const parsed = readSettings(ss);
  return withDocumentLock(() => {
    const ctx = loadContext(ss, sheet, parsed);
    const c = criterionAt(ctx, t, leafOnly);
    const done = fn(ctx, c);
    // Edits from a script fire no onEdit: re-check as the sheet does for a typed edit, so
    // subtotals, totals and the "missing evidence" notes follow. A failure there is logged only.
    try {
      checkSheet(ctx.sheet, ctx.parsed);
    } catch (err) {
      console.error(err);
    }
    // The view from the values as written (no second read of the sheet).
    const result = score(ctx.values, ctx.tableCols, ctx.parsed);
    const after = result.ok ? { ...ctx, result } : ctx;
    const updated = after.result.criteria.find((x) => x.row === c.row) ?? c;
    let cell = done.cell ?? null;
    const col = ctx.result.columns.evidence;
    if (!cell && col !== undefined)
      cell = evidenceCellOf(ctx.sheet.getRange(c.row, col + 1).getRichTextValue(), ctx.values[c.row - 1]?.[col]);
    return { view: criterionView(after, updated, cell, selectionKey(ctx.name, c.row)), message: done.message };
  }, LOCK_WAIT_MS);
}

function richOf(cell: EvidenceCell): RichTextValue {
  const builder = SpreadsheetApp.newRichTextValue().setText(cell.text);
  for (const l of cell.links) {
    const c = checkUrl(l.url);
    // Only http(s) links are (re)written; anything else stays as plain text.
    if (c.ok) builder.setLinkUrl(l.start, l.end, c.url);
  }
  return builder.build();
}

function writeEvidence(ctx: Context, row: number, col: number, cell: EvidenceCell): void {
  if (cell.text.length > MAX_CELL_LENGTH)
    throw new UserError(
      'Ô minh chứng đã quá dài (tối đa 50.000 ký tự). Hãy gom minh chứng vào một thư mục trên Google Drive và đính kèm đường dẫn thư mục.',
    );
  const range = ctx.sheet.getRange(row, col + 1);
  if (cell.text === '') range.setValue('');
  else range.setRichTextValue(richOf(cell));
  ctx.values[row - 1][col] = cell.text;
}

/** Attaches a link: a new line of the evidence cell, hyperlinked; the cell's content is kept. */
export function evidenceAddLink(target: unknown, url: unknown): Reply<WriteResult> {
  return reply(() => {
    const checked = checkUrl(url);
    if (!checked.ok) throw new UserError(checked.error);
    const result = write(target, true, (ctx, c) => {
      const col = columnOf(ctx, 'evidence');
      const range = ctx.sheet.getRange(c.row, col + 1);
      assertNoFormula(range);
      const cell = evidenceCellOf(range.getRichTextValue(), ctx.values[c.row - 1][col]);
      if (cell.links.some((l) => sameUrl(l.url, checked.url))) throw new UserError('Đường dẫn này đã được đính kèm cho tiêu chí.');
      const next = appendLink(cell, checked.url);
      writeEvidence(ctx, c.row, col, next);
      return { message: `Đã đính kèm minh chứng cho tiêu chí ${c.outline || `ở hàng ${c.row}`}.`, cell: next };
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
    return write(target, true, (ctx, c) => {
      const col = columnOf(ctx, 'evidence');
      const range = ctx.sheet.getRange(c.row, col + 1);
      assertNoFormula(range);
      const cell = evidenceCellOf(range.getRichTextValue(), ctx.values[c.row - 1][col]);
      const next = removeLink(cell, url);
      if (!next)
        throw new UserError('Không còn thấy đường dẫn này trong ô minh chứng (có thể vừa được sửa trên trang tính). Hãy bấm Làm mới.');
      writeEvidence(ctx, c.row, col, next);
      return { message: 'Đã gỡ minh chứng.', cell: next };
    });
  });
}

/** Sets the self score with the sheet's check: 0..max, "Chưa tính điểm", or empty. */
export function evidenceSetScore(target: unknown, input: unknown): Reply<WriteResult> {
  return reply(() =>
    write(target, true, (ctx, c) => {
      const col = columnOf(ctx, 'self');
      const parsed = parseScoreInput(input, c.cells.max.kind === 'number' ? c.cells.max.value : null);
      if (!parsed.ok) throw new UserError(parsed.error);
      const range = ctx.sheet.getRange(c.row, col + 1);
      assertNoFormula(range);
      range.setValue(parsed.value);
      ctx.values[c.row - 1][col] = parsed.value;
      const what =
        typeof parsed.value === 'number' ? `${formatPoints(parsed.value)} điểm` : parsed.value === '' ? 'trống' : `"${parsed.value}"`;
      return { message: `Đã lưu điểm tự chấm: ${what}.` };
    }),
  );
}

/** Sets the explanation (at most 2,000 characters, stored as text). */
export function evidenceSetExplanation(target: unknown, text: unknown): Reply<WriteResult> {
  return reply(() => {
    const checked = checkExplanation(text);
    if (!checked.ok) throw new UserError(checked.error);
    return write(target, false, (ctx, c) => {
      const col = columnOf(ctx, 'explanation');
      const range = ctx.sheet.getRange(c.row, col + 1);
      assertNoFormula(range);
      // The apostrophe keeps text such as "=…" or "15/6" from becoming a formula, number or date.
      range.setValue(checked.value === '' ? '' : `'${checked.value}`);
      ctx.values[c.row - 1][col] = checked.value;
      return { message: checked.value === '' ? 'Đã xóa giải trình.' : 'Đã lưu giải trình.' };
    });
  });
}

/**
 * Selects the next leaf after `from` (wrapping around) that has a self score above 0 and no
 * http(s) link in its evidence cell, and returns its view.
 */
export function evidenceNextMissing(from: unknown): Reply<NextResult> {
  return reply(() => {
    if (!from || typeof from !== 'object') throw new UserError('Yêu cầu không hợp lệ.');
    const f = from as Record<string, unknown>;
    const name = readSheetName(f.sheet);
    const fromRow = typeof f.row === 'number' && Number.isSafeInteger(f.row) && f.row >= 0 ? f.row : 0;
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

/** The names Apps Script must see at top level (assigned to `global` in main.ts). */
export const SIDEBAR_ENTRY_POINTS = [
  'showEvidenceSidebar',
  'evidencePoll',
  'evidenceCheckLink',
  'evidenceAddLink',
  'evidenceRemoveLink',
  'evidenceSetScore',
  'evidenceSetExplanation',
  'evidenceNextMissing',
] as const;
