/**
 * "Check and compute": one read of a unit sheet, the engine, then a few batched writes of the
 * cells the add-on owns (group subtotals, the total row, the result block, its notes and
 * highlights, the score validation). Nothing a person typed is overwritten.
 */
import { isOwnSheetName, ownSheetOf } from '../core/sheet/own-sheets';
import { cellsToWrite, decodeOwned, encodeOwned } from '../core/sheet/computed';
import { findingsByCell, findingsNoteText, HIGHLIGHT, mergeNote, parseNote, worstSeverity } from '../core/sheet/notes';
import { pendingOf } from '../core/engine/findings';
import { findResultBlock, resultBlock, RESULT_COLS, RESULT_ROWS, tableWidth } from '../core/sheet/result-block';
import { type ScoredSheet, scoreGrid } from '../core/engine/score';
import { type ParsedSettings, scoreOptionsOf } from '../core/settings/settings';
import { findHeader, type HeaderMatch } from '../core/engine/table';
import { isWatchedColumn } from '../core/workflow/audit';
import { a1, formatPoints, mergeFromA1 } from '../core/engine/text';

import { formatExact } from '../core/engine/decimal';
import { appraisalProgress, finalAppraisal } from '../core/summary/summary';
import { formatNow, runMenuAction, toast, withDocumentLock } from './env';
import { isAddOnSheet, readSettings } from './settings';
import { LOCK_WAIT } from './env';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export type CheckOutcome =
  | { status: 'scored'; sheet: string; result: ScoredSheet; message: string }
  | { status: 'skipped'; sheet: string; message: string };

const WHITE = '#ffffff';
const OUR_COLOURS = new Set(Object.values(HIGHLIGHT));

/** Checks and computes one sheet. Call inside the document lock. */
export function checkSheet(sheet: Sheet, parsed: ParsedSettings, now: Date = new Date()): CheckOutcome {
  const name = sheet.getName();
  const range = sheet.getDataRange();
  const values = range.getValues();
  const own = ownSheetOf(name, values);
  if (own) return { status: 'skipped', sheet: name, message: `Trang "${name}": ${own.reason}` };
  const numRows = values.length;
  const numCols = numRows > 0 ? values[0].length : 0;
  if (numRows <= 1 && numCols <= 1 && (values[0]?.[0] ?? '') === '') {
    return { status: 'skipped', sheet: name, message: `Trang "${name}" đang trống.` };
  }
  const block = findResultBlock(values);
  const tableCols = block ? block.col : numCols;
  const result = scoreGrid(values, {
    ...scoreOptionsOf(parsed.settings),
    ignoreFromColumn: tableCols,
    merges: range.getMergedRanges().map((m) => mergeFromA1(m.getA1Notation())),
  });
  if (!result.ok) return { status: 'skipped', sheet: name, message: `Trang "${name}" được giữ nguyên: ${result.reason}` };

  const notes = range.getNotes();
  const backgrounds = range.getBackgrounds();
  const formulas = range.getFormulas();

  // 1. Computed cells: empty ones filled, our own stale ones updated, typed ones left alone.
  //    One RangeList write per distinct value; the record of what we wrote is one property.
  const props = PropertiesService.getDocumentProperties();
  const ownedKey = `chamdiem.computed.${sheet.getSheetId()}`;
  const previousText = props.getProperty(ownedKey);
  const { writes, owned } = cellsToWrite(result.computed, values, formulas, decodeOwned(previousText));
  const byValue = new Map<number, string[]>();
  for (const cell of writes) byValue.set(cell.value, [...(byValue.get(cell.value) ?? []), a1(cell.row, cell.col)]);
  for (const [value, cells] of byValue) sheet.getRangeList(cells).setValue(value);
  const ownedText = encodeOwned(owned);
  if (ownedText !== (previousText ?? '')) props.setProperty(ownedKey, ownedText);
  // A mismatch on a cell just rewritten is fixed by that write.
  const rewritten = new Set(writes.map((c) => a1(c.row, c.col)));
  result.findings = result.findings.filter(
    (f) => !(rewritten.has(f.cell) && (f.rule === 'subtotal-mismatch' || f.rule === 'total-mismatch')),
  );

  // 2. Notes and highlights over the table: ours refreshed, a person's notes kept.
  const byCell = findingsByCell(result.findings);
  const newNotes = notes.map((row) => row.slice(0, tableCols));
  const newBackgrounds = backgrounds.map((row) => row.slice(0, tableCols));
  let notesChanged = false;
  let backgroundsChanged = false;
  for (let r = 0; r < numRows; r++) {
    for (let c = 0; c < tableCols; c++) {
      const cellFindings = byCell.get(`${r + 1}:${c}`);
      const parsedNote = parseNote(notes[r][c]);
      let note = notes[r][c];
      let bg = backgrounds[r][c];
      if (!parsedNote.ours && parsedNote.person !== '') {
        // A person's note is never touched: the finding shows as a highlight only, and a
        // highlight of ours on such a cell is recognised by its colour.
        if (cellFindings) bg = HIGHLIGHT[worstSeverity(cellFindings)];
        else if (OUR_COLOURS.has(bg.toLowerCase())) bg = WHITE;
      } else {
        if (!cellFindings && !parsedNote.ours) continue;
        const original = parsedNote.ours ? (parsedNote.originalBackground ?? WHITE) : backgrounds[r][c];
        note = mergeNote(notes[r][c], cellFindings ? findingsNoteText(cellFindings) : null, cellFindings ? original : null);
        bg = cellFindings ? HIGHLIGHT[worstSeverity(cellFindings)] : original;
      }
      if (note !== notes[r][c]) {
        newNotes[r][c] = note;
        notesChanged = true;
      }
      if (bg !== backgrounds[r][c]) {
        newBackgrounds[r][c] = bg;
        backgroundsChanged = true;
      }
    }
  }
  if (tableCols > 0 && notesChanged) sheet.getRange(1, 1, numRows, tableCols).setNotes(newNotes);
  if (tableCols > 0 && backgroundsChanged) sheet.getRange(1, 1, numRows, tableCols).setBackgrounds(newBackgrounds);

  // 3. Data validation on score cells: a number from 0 to the row's max (text such as
  //    "Chưa tính điểm" stays allowed, with the warning triangle).
  setScoreValidation(sheet, result);

  // 4. The result block beside the table.
  const at = block ?? { row: result.headerRow - 1, col: numCols + 1 };
  const { values: blockValues, backgrounds: blockBackgrounds } = resultBlock(
    result.self,
    result.appraisal,
    pendingOf(result.findings),
    formatNow(sheet.getParent(), now),
  );
  if (!block) {
    // A new sheet has 26 columns; a table reaching column Y leaves no room beside it.
    const maxCols = sheet.getMaxColumns();
    if (at.col + RESULT_COLS > maxCols) sheet.insertColumnsAfter(maxCols, at.col + RESULT_COLS - maxCols);
  }
  const blockRange = sheet.getRange(at.row + 1, at.col + 1, RESULT_ROWS, RESULT_COLS);
  blockRange.setValues(blockValues).setBackgrounds(blockBackgrounds);
  if (!block) {
    sheet.getRange(at.row + 1, at.col + 1, 1, RESULT_COLS).setFontWeight('bold');
    sheet.setColumnWidth(at.col + 1, 170);
  }

  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  const appraisal = finalAppraisal(result);
  const stage = appraisal ?? result.self;
  const progress = appraisalProgress(result);
  const message =
    `${name}: tổng ${appraisal ? 'thẩm định' : 'tự chấm'} ${formatExact(stage.total)} điểm (${formatExact(stage.percent)}%, ${stage.classification}${progress ? `; ${progress}` : ''}); ` +
    (errors + warnings === 0 ? 'không có sai sót.' : `${errors} lỗi, ${warnings} cảnh báo (xem ghi chú ở các ô tô màu).`);
  return { status: 'scored', sheet: name, result, message };
}

function setScoreValidation(sheet: Sheet, result: ScoredSheet): void {
  const first = result.headerRow + 1;
  const count = result.lastRow - result.headerRow;
  if (count <= 0) return;
  const rules = new Map<string, GoogleAppsScript.Spreadsheet.DataValidation>();
  const ruleFor = (max: number) => {
    const key = String(max);
    let rule = rules.get(key);
    if (!rule) {
      rule = SpreadsheetApp.newDataValidation()
        .requireNumberBetween(0, max)
        .setAllowInvalid(true)
        .setHelpText(`Nhập điểm là số từ 0 đến ${formatPoints(max)} (ví dụ 1,5), hoặc "Chưa tính điểm" nếu tiêu chí chưa đánh giá.`)
        .build();
      rules.set(key, rule);
    }
    return rule;
  };
  const column: (GoogleAppsScript.Spreadsheet.DataValidation | null)[][] = Array.from({ length: count }, () => [null]);
  for (const c of result.criteria) {
    if (c.children.length > 0 || c.cells.max.kind !== 'number' || c.block === 'penalty') continue;
    column[c.row - first] = [ruleFor(c.cells.max.value)];
  }
  for (const role of ['self', 'appraisal'] as const) {
    const col = result.columns[role];
    if (col !== undefined) sheet.getRange(first, col + 1, count, 1).setDataValidations(column);
  }
}

/** Menu: check and compute the active sheet. */
export function menuCheckSheet(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const sheet = ss.getActiveSheet();
    const parsed = readSettings(ss);
    const outcome = withDocumentLock(() => checkSheet(sheet, parsed));
    const ui = SpreadsheetApp.getUi();
    if (outcome.status === 'skipped') ui.alert('Kiểm tra và tính điểm', outcome.message, ui.ButtonSet.OK);
    else toast(ss, outcome.message + (parsed.warnings.length ? ` Lưu ý cấu hình: ${parsed.warnings[0]}` : ''), 10);
  });
}

/** Stop starting new sheets after this long, well inside the 6-minute execution limit. */
export const CHECK_ALL_BUDGET_MS = 4.5 * 60 * 1000;

/**
 * Checks every unit sheet; one outcome per sheet (own sheets left out). Sheets not reached
 * within the time budget are returned in `remaining`, for the person to run again.
 */
export function checkAll(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  parsed: ParsedSettings,
  now: Date = new Date(),
): { outcomes: CheckOutcome[]; remaining: string[] } {
  const started = Date.now();
  return withDocumentLock(() => {
    const outcomes: CheckOutcome[] = [];
    const remaining: string[] = [];
    for (const sheet of ss.getSheets()) {
      if (isAddOnSheet(sheet)) continue;
      if (Date.now() - started > CHECK_ALL_BUDGET_MS) remaining.push(sheet.getName());
      else outcomes.push(checkSheet(sheet, parsed, now));
    }
    return { outcomes, remaining };
  }, LOCK_WAIT.long);
}

/** Menu: check and compute every unit sheet. */
export function menuCheckAll(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const parsed = readSettings(ss);
    const { outcomes, remaining } = checkAll(ss, parsed);
    const lines = outcomes.map((o) => `• ${o.message}`);
    if (remaining.length)
      lines.push(
        '',
        `Chưa kịp kiểm tra ${remaining.length} trang (giới hạn thời gian chạy của Google): ${remaining.join(', ')}. Hãy chọn lại mục này hoặc kiểm tra từng trang.`,
      );
    if (parsed.warnings.length) lines.push('', 'Lưu ý cấu hình:', ...parsed.warnings.map((w) => `• ${w}`));
    const ui = SpreadsheetApp.getUi();
    ui.alert('Kết quả kiểm tra tất cả đơn vị', lines.join('\n') || 'Không có trang tính nào.', ui.ButtonSet.OK);
  });
}

/**
 * The header of a unit sheet from one read (the header may be anywhere; the result block left
 * out), or null. Two columns for one role are chosen between by the settings year, read only then.
 */
export function readHeader(sheet: Sheet): HeaderMatch | null {
  if (sheet.getLastColumn() === 0 || sheet.getLastRow() === 0) return null;
  const values = sheet.getDataRange().getValues();
  const width = tableWidth(values);
  let found = findHeader(values, width);
  if (!found.ok && found.ambiguous.length > 0) found = findHeader(values, width, { year: readSettings(sheet.getParent()).settings.year });
  return found.ok ? found.header : null;
}

/** Document property set when the installable edit trigger (audit + check) is installed. */
export const PROP_EDIT_TRIGGER = 'chamdiem.editTrigger';

/** True when the installable trigger does the checking, so the simple onEdit steps aside. */
function installedTriggerActive(): boolean {
  try {
    return PropertiesService.getDocumentProperties().getProperty(PROP_EDIT_TRIGGER) === '1';
  } catch (_) {
    return false;
  }
}

/**
 * Simple onEdit trigger: re-checks the edited unit sheet when a score, explanation, evidence or
 * reason cell changed. Returns at once for edits elsewhere.
 */
export function handleEdit(e: GoogleAppsScript.Events.SheetsOnEdit | undefined): void {
  if (!e?.range) return;
  const sheet = e.range.getSheet();
  // The simple trigger stays cheap: an own sheet's exact name is enough to step aside (no read);
  // checkSheet below recognises own sheets by their content anyway.
  if (isOwnSheetName(sheet.getName())) return;
  // Once permissions are set, a unit's own edit cannot write the protected subtotals: the
  // installable trigger, running as the standing office, checks the sheet instead.
  if (installedTriggerActive()) return;
  const header = readHeader(sheet);
  if (!header) return;
  const row = e.range.getRow();
  const col = e.range.getColumn() - 1;
  if (row + e.range.getNumRows() - 1 <= header.rowIndex + 1) return;
  let watched = false;
  for (let c = col; c < col + e.range.getNumColumns(); c++) watched = watched || isWatchedColumn(header.columns, c);
  if (!watched) return;
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(10000)) return;
  try {
    checkSheet(sheet, readSettings(sheet.getParent()));
  } catch (err) {
    console.error(err);
  } finally {
    lock.releaseLock();
  }
}
