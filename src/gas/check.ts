/**
 * "Check and compute": one read of a unit sheet, the engine, then a few batched writes. The
 * computed cells (group subtotals in every stage, the total row, the result block) receive the
 * formulas of the sheet plan, so the spreadsheet keeps them current as people type; the
 * highlights are conditional-format rules. Only empty cells and cells holding a formula of ours
 * (recognised by its mark) are written; nothing a person typed is overwritten. Notes with the
 * full message are refreshed here (and by the daily run), not per keystroke.
 */
import { ownSheetOf, SHEET_NAMES } from '../core/sheet/own-sheets';
import { findingsByCell, findingsNoteText, HIGHLIGHT, mergeNote, parseNote, worstSeverity } from '../core/sheet/notes';
import { pendingOf } from '../core/engine/findings';
import { findResultBlock, resultBlockOf, RESULT_ROWS, resultCols, tableWidth } from '../core/sheet/result-block';
import { type ScoredSheet, scoreGrid, STAGE_LABEL } from '../core/engine/score';
import { officialResult } from '../core/engine/stages';
import { type ParsedSettings, scoreOptionsOf } from '../core/settings/settings';
import { findHeader, type HeaderMatch } from '../core/engine/table';
import { a1, mergeFromA1 } from '../core/engine/text';
import { BLOCK_ROWS, type FormulaOptions, formulaOptionsOf } from '../core/sheet/formulas';
import { type CellNow, sheetPlan } from '../core/sheet/plan';

import { formatExact } from '../core/engine/decimal';
import { appraisalProgress } from '../core/summary/summary';
import { describeError, formatNow, runMenuAction, toast, withDocumentLock } from './env';
import {
  blockContent,
  classRules,
  fingerprint,
  legacyValues,
  tableFingerprint,
  liveHighlighted,
  readRules,
  syncRules,
  writeTableFormulas,
} from './live-sheet';
import { findSheet, isAddOnSheet, readSettings } from './settings';
import { LOCK_WAIT } from './env';
import { scoreHint } from '../core/evidence/input';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export type CheckOutcome =
  | { status: 'scored'; sheet: string; result: ScoredSheet; message: string }
  | { status: 'skipped'; sheet: string; message: string };

const WHITE = '#ffffff';
const OUR_COLOURS = new Set(Object.values(HIGHLIGHT));

/** Index of the class among the block's formula rows. */
const BLOCK_CLASS_ROW = BLOCK_ROWS.indexOf('Xếp loại');

/**
 * The per-sheet document property with fingerprints of what the last check saw and wrote: the
 * score validation and our highlight rules with their ranges (costly to read back), and the table
 * (so the daily refresh skips a sheet nobody changed).
 */
const layoutKey = (sheetId: number) => `chamdiem.layout.${sheetId}`;
/** The per-sheet record of written values an older version kept; deleted when met. */
const legacyComputedKey = (sheetId: number) => `chamdiem.computed.${sheetId}`;

interface Layout {
  validation?: string;
  rules?: string;
  /** The table's values and formulas and the settings, at the end of the last check. */
  table?: string;
}

function parseLayout(text: string | null): Layout | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Layout) : {};
  } catch (_) {
    return {};
  }
}

/**
 * The formula options for the unit sheets of `ss`: thresholds and the bonus cap referred to in the
 * settings sheet by its actual name, ';' between arguments (see live-sheet.ts).
 */
export function formulaOptions(ss: Spreadsheet, parsed: ParsedSettings): FormulaOptions {
  const settings = parsed.found ? findSheet(ss, SHEET_NAMES.settings) : null;
  return formulaOptionsOf(parsed, settings ? settings.getName() : SHEET_NAMES.settings, ';');
}

export interface CheckOptions {
  /** The formula options (computed from the spreadsheet when not given). */
  formulas?: FormulaOptions;
  /** Skip a sheet whose table (values and formulas) and settings are as at its last check. */
  onlyIfChanged?: boolean;
}

/** Checks and computes one sheet. Call inside the document lock. */
export function checkSheet(sheet: Sheet, parsed: ParsedSettings, now: Date = new Date(), opts: CheckOptions = {}): CheckOutcome {
  const name = sheet.getName();
  const range = sheet.getDataRange();
  const values = range.getValues();
  const formulas = range.getFormulas();
  const numRows = values.length;
  const numCols = numRows > 0 ? values[0].length : 0;
  const block = findResultBlock(values);
  const tableCols = block ? block.col : numCols;
  const options = opts.formulas ?? formulaOptions(sheet.getParent(), parsed);
  const props = PropertiesService.getDocumentProperties();
  const sheetId = sheet.getSheetId();
  const written = parseLayout(props.getProperty(layoutKey(sheetId)));
  const settingsUsed = [scoreOptionsOf(parsed.settings), options];
  if (opts.onlyIfChanged && written?.table === tableFingerprint(values, formulas, tableCols, settingsUsed)) {
    return { status: 'skipped', sheet: name, message: `Trang "${name}" không thay đổi từ lần kiểm tra trước.` };
  }
  const own = ownSheetOf(name, values);
  if (own) return { status: 'skipped', sheet: name, message: `Trang "${name}": ${own.reason}` };
  if (numRows <= 1 && numCols <= 1 && (values[0]?.[0] ?? '') === '') {
    return { status: 'skipped', sheet: name, message: `Trang "${name}" đang trống.` };
  }
  const result = scoreGrid(values, {
    ...scoreOptionsOf(parsed.settings),
    ignoreFromColumn: tableCols,
    merges: range.getMergedRanges().map((m) => mergeFromA1(m.getA1Notation())),
  });
  if (!result.ok) return { status: 'skipped', sheet: name, message: `Trang "${name}" được giữ nguyên: ${result.reason}` };

  // Every read before the first write (a read after a write waits for it to be committed).
  const notes = range.getNotes();
  const backgrounds = range.getBackgrounds();
  const rulesNow = readRules(sheet);
  // Sheets checked by a version that wrote values: those values, still as written, are ours.
  const legacy = written === null ? legacyValues(props.getProperty(legacyComputedKey(sheetId))) : null;

  // 1. The plan: formulas into empty cells and our own, a person's cells kept (and checked).
  const at = block ?? { row: result.headerRow - 1, col: numCols + 1 };
  const top = { row: at.row + 1, col: at.col };
  const cellNow = (row: number, col: number): CellNow => {
    const now = { value: values[row - 1]?.[col] ?? '', formula: formulas[row - 1]?.[col] ?? '' };
    return legacy?.get(a1(row, col)) === now.value && !now.formula ? { value: '', formula: '' } : now;
  };
  const plan = sheetPlan(result, top, options, cellNow);
  writeTableFormulas(sheet, plan);
  // A mismatch on a cell just given its formula is fixed by that formula.
  const rewritten = new Set(plan.writes.map((c) => `${c.row}:${c.col}`));
  result.findings = [
    ...result.findings.filter(
      (f) => !(rewritten.has(`${f.row}:${f.col}`) && (f.rule === 'subtotal-mismatch' || f.rule === 'total-mismatch')),
    ),
    ...plan.findings,
  ];

  // 2. The result block beside the table: labels, formulas, and the two lines of the check.
  const laidOut = resultBlockOf(result, pendingOf(result.findings), formatNow(sheet.getParent(), now));
  const blockCols = resultCols(result);
  const content = blockContent(laidOut.values, plan, top, cellNow);
  if (!block || plan.writes.some((c) => c.kind === 'block')) {
    if (!block) {
      // A new sheet has 26 columns; a table reaching column Y leaves no room beside it.
      const maxCols = sheet.getMaxColumns();
      if (at.col + blockCols > maxCols) sheet.insertColumnsAfter(maxCols, at.col + blockCols - maxCols);
    }
    // The class colour comes from the live rules below, not from a static background.
    const blockBackgrounds = laidOut.backgrounds.map((row, r) => row.map((bg, c) => (r === 1 + BLOCK_CLASS_ROW && c > 0 ? WHITE : bg)));
    // Formulas entered through setValues (a text starting with "="), ';' between arguments.
    // The two lines that are text ("Cập nhật lúc 25/11/2026 17:00") stay text: a general-format cell would read a date.
    textLines(sheet, top);
    sheet
      .getRange(top.row, top.col + 1, RESULT_ROWS, blockCols)
      .setValues(content)
      .setBackgrounds(blockBackgrounds);
    if (!block) {
      sheet.getRange(top.row, top.col + 1, 1, blockCols).setFontWeight('bold');
      sheet.setColumnWidth(top.col + 1, 170);
    }
  } else {
    // Only the lines that are values: what is still missing and when the check ran.
    const lines = content.slice(RESULT_ROWS - 2).map((row) => [row[1]]);
    const held = lines.map((_, i) => [values[top.row - 1 + RESULT_ROWS - 2 + i]?.[top.col + 1]]);
    if (lines.some((l, i) => l[0] !== held[i][0])) textLines(sheet, top).setValues(lines);
  }

  // 3. Live highlights: our conditional-format rules, replaced only when they changed.
  const rules = syncRules(sheet, rulesNow, [...plan.rules, ...classRules(top, options.sep, blockCols)], written?.rules ?? null);
  const isLive = liveHighlighted(result, plan.rules);

  // 4. Notes and static highlights over the table: ours refreshed, a person's notes kept. A
  //    finding a live rule highlights needs no static background (it would outlive the fix).
  const byCell = findingsByCell(result.findings);
  const newNotes = notes.map((row) => row.slice(0, tableCols));
  const newBackgrounds = backgrounds.map((row) => row.slice(0, tableCols));
  let notesChanged = false;
  let backgroundsChanged = false;
  for (let r = 0; r < numRows; r++) {
    for (let c = 0; c < tableCols; c++) {
      const cellFindings = byCell.get(`${r + 1}:${c}`);
      const marked = cellFindings?.filter((f) => !isLive(f)) ?? [];
      const parsedNote = parseNote(notes[r][c]);
      let note = notes[r][c];
      let bg = backgrounds[r][c];
      if (!parsedNote.ours && parsedNote.person !== '') {
        // A person's note is never touched: the finding shows as a highlight only, and a
        // highlight of ours on such a cell is recognised by its colour.
        if (marked.length) bg = HIGHLIGHT[worstSeverity(marked)];
        else if (OUR_COLOURS.has(bg.toLowerCase())) bg = WHITE;
      } else {
        if (!cellFindings && !parsedNote.ours) continue;
        const original = parsedNote.ours ? (parsedNote.originalBackground ?? WHITE) : backgrounds[r][c];
        note = mergeNote(notes[r][c], cellFindings ? findingsNoteText(cellFindings) : null, cellFindings ? original : null);
        bg = marked.length ? HIGHLIGHT[worstSeverity(marked)] : original;
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

  // 5. Data validation on score cells, written when the table's structure changed.
  const formulasAfter = formulas.map((row) => [...row]);
  for (const c of plan.writes) if (c.kind !== 'block' && formulasAfter[c.row - 1]) formulasAfter[c.row - 1][c.col] = c.formula;
  const table = tableFingerprint(values, formulasAfter, tableCols, settingsUsed);
  const validation = fingerprint(JSON.stringify(validationSpec(result)));
  if (validation !== written?.validation) setScoreValidation(sheet, result);
  if (validation !== written?.validation || rules !== written?.rules || table !== written?.table) {
    if (legacy) props.deleteProperty(legacyComputedKey(sheetId));
    props.setProperty(layoutKey(sheetId), JSON.stringify({ validation, rules, table } satisfies Layout));
  }

  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  // The official result: the final round after the appeal, else the complete appraisal, else the self score.
  const stage = officialResult(result);
  const progress = appraisalProgress(result);
  const message =
    `${name}: tổng ${STAGE_LABEL[result.official]} ${formatExact(stage.total)} điểm (${formatExact(stage.percent)}%, ` +
    `${stage.classification}${progress ? `; ${progress}` : ''}); ` +
    (errors + warnings === 0 ? 'không có sai sót.' : `${errors} lỗi, ${warnings} cảnh báo (xem ghi chú ở các ô tô màu).`);
  return { status: 'scored', sheet: name, result, message };
}

/** What the score validation depends on: the rows, the stage columns and each leaf's max. */
function validationSpec(result: ScoredSheet): unknown[] {
  return [
    result.headerRow,
    result.lastRow,
    result.columns.self ?? null,
    result.columns.appraisal ?? null,
    ...result.criteria.filter(validated).map((c) => [c.row, c.cells.max.kind === 'number' ? c.cells.max.value : null]),
  ];
}

const validated = (c: ScoredSheet['criteria'][number]) => c.children.length === 0 && c.cells.max.kind === 'number' && c.block !== 'penalty';

function setScoreValidation(sheet: Sheet, result: ScoredSheet): void {
  const first = result.headerRow + 1;
  const count = result.lastRow - result.headerRow;
  if (count <= 0) return;
  const rules = new Map<string, GoogleAppsScript.Spreadsheet.DataValidation>();
  const ruleFor = (max: number) => {
    const key = String(max);
    let rule = rules.get(key);
    if (!rule) {
      rule = SpreadsheetApp.newDataValidation().requireNumberBetween(0, max).setAllowInvalid(true).setHelpText(scoreHint(max)).build();
      rules.set(key, rule);
    }
    return rule;
  };
  const column: (GoogleAppsScript.Spreadsheet.DataValidation | null)[][] = Array.from({ length: count }, () => [null]);
  for (const c of result.criteria) {
    if (validated(c) && c.cells.max.kind === 'number') column[c.row - first] = [ruleFor(c.cells.max.value)];
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
 * Checks the unit sheets of `sheets` in order (own sheets left out) until `deadline` (a
 * Date.now() value); the sheets not reached are returned in `remaining`. Call inside the lock.
 */
export function checkSheets(
  sheets: readonly Sheet[],
  parsed: ParsedSettings,
  now: Date,
  deadline: number,
  onlyIfChanged = false,
): { outcomes: CheckOutcome[]; remaining: string[] } {
  const outcomes: CheckOutcome[] = [];
  const remaining: string[] = [];
  let formulas: FormulaOptions | null = null;
  for (const sheet of sheets) {
    if (isAddOnSheet(sheet)) continue;
    if (Date.now() > deadline) remaining.push(sheet.getName());
    else {
      // One sheet that cannot be written (protected, say) does not stop the others.
      try {
        formulas ??= formulaOptions(sheet.getParent(), parsed);
        outcomes.push(checkSheet(sheet, parsed, now, { formulas, onlyIfChanged }));
      } catch (err) {
        outcomes.push({ status: 'skipped', sheet: sheet.getName(), message: `Trang "${sheet.getName()}": ${describeError(err)}` });
      }
    }
  }
  return { outcomes, remaining };
}

/**
 * Checks every unit sheet; one outcome per sheet (own sheets left out). Sheets not reached
 * within the time budget are returned in `remaining`, for the person to run again.
 */
export function checkAll(
  ss: Spreadsheet,
  parsed: ParsedSettings,
  now: Date = new Date(),
): { outcomes: CheckOutcome[]; remaining: string[] } {
  const deadline = Date.now() + CHECK_ALL_BUDGET_MS;
  return withDocumentLock(() => checkSheets(ss.getSheets(), parsed, now, deadline), LOCK_WAIT.long);
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
        `Chưa kịp kiểm tra ${remaining.length} trang (giới hạn thời gian chạy của Google): ${remaining.join(', ')}. Hãy chọn lại ` +
          `mục này hoặc kiểm tra từng trang.`,
      );
    if (parsed.warnings.length) lines.push('', 'Lưu ý cấu hình:', ...parsed.warnings.map((w) => `• ${w}`));
    const ui = SpreadsheetApp.getUi();
    ui.alert('Kết quả kiểm tra tất cả đơn vị', lines.join('\n') || 'Không có trang tính nào.', ui.ButtonSet.OK);
  });
}

/** Rows read from the top to find a table's header without reading the whole sheet. */
const HEADER_ROWS = 60;

/**
 * The header of a unit sheet (the result block left out), or null: the top rows are read first,
 * the whole sheet only when the header is not among them. Two columns for one role are chosen
 * between by the settings year, read only then.
 */
export function readHeader(sheet: Sheet): HeaderMatch | null {
  const lastRow = sheet.getLastRow();
  const lastCol = sheet.getLastColumn();
  if (lastCol === 0 || lastRow === 0) return null;
  const find = (values: unknown[][]) => {
    const width = tableWidth(values);
    let found = findHeader(values, width);
    if (!found.ok && found.ambiguous.length > 0) found = findHeader(values, width, { year: readSettings(sheet.getParent()).settings.year });
    return found.ok ? found.header : null;
  };
  const top = sheet.getRange(1, 1, Math.min(lastRow, HEADER_ROWS), lastCol).getValues();
  // A header on the last row read may be the first of two rows: then read further.
  const header = find(top);
  if ((header && header.rowIndex < top.length - 1) || lastRow <= HEADER_ROWS) return header;
  return find(sheet.getDataRange().getValues());
}

/** The block's last two value cells ("Còn thiếu", "Cập nhật lúc"), formatted as plain text. */
function textLines(sheet: Sheet, top: { row: number; col: number }): GoogleAppsScript.Spreadsheet.Range {
  return sheet.getRange(top.row + RESULT_ROWS - 2, top.col + 2, 2, 1).setNumberFormat('@');
}
