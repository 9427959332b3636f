/**
 * "Check and compute": the unit sheets read whole through the Sheets API (formulas and values in values.batchGet
 * calls, notes, backgrounds, merges and rules in one spreadsheets.get), the engine, then every write of every sheet in a
 * few batchUpdate calls (src/gas/api). The computed cells (group subtotals in every stage, the total row, the result
 * block) receive the formulas of the sheet plan, so the spreadsheet keeps them current as people type; the highlights
 * are conditional-format rules. Only empty cells and cells holding a formula of ours (recognised by its mark) are
 * written; nothing a person typed is overwritten. Notes with the full message are refreshed here (and by the daily
 * run), not per keystroke.
 *
 * Per run, not per sheet: the settings, the time zone, the formula options, the document properties (one read, and
 * the fingerprints of every sheet in one value), the sheet listing. A sheet whose table and settings are as at its
 * last check is skipped after the first read. Sheets are taken in chunks, each read and written before the next, and
 * no chunk is started past the time budget: the rest is returned in `remaining`, to resume from.
 * The advanced service needs authorisation: only menus and installable triggers come here, never a simple trigger.
 */
import { documentProperties, describeError, formatInZone, runMenuAction, timeZoneOf, toast, withDocumentLock, LOCK_WAIT } from './env';
import { ownSheetOf, isOwnSheetName, SHEET_NAMES } from '../core/sheet/own-sheets';
import { findingsByCell, findingsNoteText, HIGHLIGHT, mergeNote, parseNote, worstSeverity } from '../core/sheet/notes';
import { pendingOf } from '../core/engine/findings';
import { findResultBlock, resultBlockOf, RESULT_ROWS, resultCols, tableWidth } from '../core/sheet/result-block';
import { type ScoredSheet, scoreGrid, STAGE_LABEL } from '../core/engine/score';
import { officialResult } from '../core/engine/stages';
import { type ParsedSettings, scoreOptionsOf } from '../core/settings/settings';
import { findHeader, type HeaderMatch } from '../core/engine/table';
import { normalizeLabel } from '../core/engine/text';
import { BLOCK_ROWS, type FormulaOptions, formulaOptionsOf } from '../core/sheet/formulas';
import { type CellNow, sameFormula, sheetPlan } from '../core/sheet/plan';
import { isOwnRuleFormula } from '../core/sheet/highlights';

import { formatExact } from '../core/engine/decimal';
import { appraisalProgress } from '../core/summary/summary';
import { blockContent, classRules, fingerprint, legacyValues, tableFingerprint, liveHighlighted } from './live-sheet';
import { findSheet, readSettings } from './settings';
import { scoreHint } from '../core/evidence/input';
import {
  batchWrite,
  type CellValue,
  listSheets,
  readSheets,
  readValueGrids,
  runListing,
  runValues,
  type SheetGrids,
} from './api/sheets-api';
import {
  a1OfBox,
  addRuleRequest,
  type CellWrite,
  cellRequests,
  columnWidthRequest,
  deleteRuleRequests,
  formatRequest,
  quotedTitle,
  type Request,
  sheetShapeRequest,
  validationRequest,
} from './api/requests';

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
 * The one document property holding, for every sheet checked, fingerprints of what its last check saw and wrote: the
 * score validation, our highlight rules with their ranges (costly to compare), the table (so an unchanged sheet is
 * skipped) and the table's values when it was last found unchanged (so the daily run, which has the values already,
 * skips it without reading its formulas). One value: "sheetId:validation,rules,table,seen;…" — about 52 characters a
 * sheet, so some 170 sheets fit in a property value (9 kB).
 */
export const PROP_LAYOUTS = 'chamdiem.layouts';
/** The per-sheet property an older version kept instead; read once, then folded into PROP_LAYOUTS and deleted. */
const layoutKey = (sheetId: number) => `chamdiem.layout.${sheetId}`;
/** The per-sheet record of written values an older version kept; deleted when met. */
const legacyComputedKey = (sheetId: number) => `chamdiem.computed.${sheetId}`;

interface Layout {
  validation?: string;
  rules?: string;
  /** The table's values and formulas and the settings, at the end of the last check. */
  table?: string;
  /**
   * The table's values (as the spreadsheet computes them) and the settings, when the sheet was last found as its last
   * check left it. Values as they were mean nothing a person typed changed: a formula replaced by its own value is
   * found by the next "Kiểm tra" or the next change of a value. Forgotten whenever a check writes the sheet.
   */
  seen?: string;
}

function parseLayouts(text: string | undefined): Map<number, Layout> {
  const out = new Map<number, Layout>();
  for (const part of (text ?? '').split(';')) {
    const m = /^(\d+):([^,]*),([^,]*),([^,]*)(?:,([^,]*))?$/.exec(part);
    if (m) out.set(Number(m[1]), { validation: m[2], rules: m[3], table: m[4], ...(m[5] && { seen: m[5] }) });
  }
  return out;
}

function layoutsText(layouts: Map<number, Layout>): string {
  return [...layouts]
    .map(([id, l]) => `${id}:${l.validation ?? ''},${l.rules ?? ''},${l.table ?? ''}${l.seen ? `,${l.seen}` : ''}`)
    .join(';');
}

function parseOldLayout(text: string | undefined): Layout | null {
  if (text === undefined) return null;
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

/** What a run reads once and every sheet shares. */
interface Run {
  id: string;
  parsed: ParsedSettings;
  options: FormulaOptions;
  settingsUsed: unknown;
  timeZone: string;
  /** The time of the check as the block shows it. */
  stamp: string;
  /** Every document property, from one read. */
  stored: Record<string, string>;
  layouts: Map<number, Layout>;
  changed: boolean;
  /** Per-sheet properties of older versions, to delete at the end. */
  oldKeys: string[];
}

function startRun(ss: Spreadsheet, parsed: ParsedSettings, now: Date, options: FormulaOptions): Run {
  const timeZone = timeZoneOf(ss);
  const stored = documentProperties().getProperties();
  return {
    id: ss.getId(),
    parsed,
    options,
    settingsUsed: [scoreOptionsOf(parsed.settings), options],
    timeZone,
    stamp: formatInZone(timeZone, now),
    stored,
    layouts: parseLayouts(stored[PROP_LAYOUTS]),
    changed: false,
    oldKeys: [],
  };
}

/** What the last check of a sheet left, from this run's or an older version's property. */
function writtenLayout(run: Run, sheetId: number): Layout | null {
  const layout = run.layouts.get(sheetId);
  if (layout) return layout;
  const old = parseOldLayout(run.stored[layoutKey(sheetId)]);
  if (old) run.oldKeys.push(layoutKey(sheetId));
  return old;
}

/** The fingerprints in one property value, and the per-sheet values of older versions gone: once per run. */
function finishRun(run: Run): void {
  if (!run.changed && !run.oldKeys.length) return;
  const props = documentProperties();
  if (run.changed) props.setProperty(PROP_LAYOUTS, layoutsText(run.layouts));
  for (const key of new Set(run.oldKeys)) props.deleteProperty(key);
}

export interface CheckOptions {
  /** Skip a sheet whose table (values and formulas) and settings are as at its last check. */
  onlyIfChanged?: boolean;
}

/** A sheet to check: its id and title. */
interface Entry {
  sheetId: number;
  title: string;
}

/** One sheet planned: its outcome, its requests (one group: all or nothing) and the layout to record once written. */
interface Planned {
  outcome: CheckOutcome;
  requests: Request[];
  layout?: Layout;
  dropLegacy?: boolean;
  sheetId: number;
}

/** Checks and computes one sheet (menu "Kiểm tra và tính điểm"; the sidebar's tests). Call inside the document lock. */
export function checkSheet(sheet: Sheet, parsed: ParsedSettings, now: Date = new Date(), opts: CheckOptions = {}): CheckOutcome {
  const ss = sheet.getParent();
  const run = startRun(ss, parsed, now, formulaOptions(ss, parsed));
  const [outcome] = checkChunk(run, [{ sheetId: sheet.getSheetId(), title: sheet.getName() }], opts.onlyIfChanged ?? false);
  finishRun(run);
  return outcome;
}

/** Sheets read and written together: few enough that a chunk's reads and writes stay far below 2 MB a call. */
export const CHUNK_SHEETS = 25;

/**
 * Reads, checks and writes the sheets of one chunk: one values.batchGet of every cell's formula or value (enough to
 * skip an unchanged sheet), then for the others one values.batchGet of the values and one get (notes, backgrounds,
 * merges, rules, dates, sizes), then their writes in few batchUpdate calls.
 */
function checkChunk(run: Run, entries: readonly Entry[], onlyIfChanged: boolean): CheckOutcome[] {
  const outcomes: CheckOutcome[] = [];
  // Inside a run that read the values already (the daily run), a sheet whose values are as last seen unchanged is
  // skipped without reading its formulas.
  const seenNow = entries.map((e) => {
    const values = onlyIfChanged ? runValues(run.id, e.title) : null;
    return values ? valuesFingerprint(run, values) : null;
  });
  const unread: number[] = [];
  entries.forEach((entry, i) => {
    const seen = writtenLayout(run, entry.sheetId)?.seen;
    if (seen !== undefined && seen === seenNow[i])
      outcomes[i] = { status: 'skipped', sheet: entry.title, message: unchangedMessage(entry.title) };
    else unread.push(i);
  });
  // What the fingerprint needs, in one call: each cell's formula, or its value.
  const raw = readValueGrids(
    run.id,
    unread.map((i) => quotedTitle(entries[i].title)),
    'FORMULA',
  );
  const toCheck: { at: number; entry: Entry; raw: CellValue[][]; written: Layout | null }[] = [];
  unread.forEach((i, k) => {
    const entry = entries[i];
    const written = writtenLayout(run, entry.sheetId);
    const skip = skipReason(run, entry.title, raw[k], written, onlyIfChanged);
    if (skip === null) toCheck.push({ at: i, entry, raw: raw[k], written });
    else outcomes[i] = { status: 'skipped', sheet: entry.title, message: skip.message };
    // Found as its last check left it: its values are remembered, for the next run that has them.
    const seen = seenNow[i];
    if (skip?.unchanged && written && seen !== null && written.seen !== seen) {
      run.layouts.set(entry.sheetId, { ...written, seen });
      run.changed = true;
    }
  });
  const read = readSheets(
    run.id,
    toCheck.map((c) => c.entry.title),
    // The run's earlier read serves only while every typed cell is as the formulas read just now show it: what is
    // written is planned from current values (people type without taking the document lock).
    { notes: true, backgrounds: true, merges: true, rules: true, fresh: !toCheck.every((c) => typedAsRead(run, c.entry, c.raw)) },
    run.timeZone,
  );
  const planned = toCheck.map((c, k) => {
    try {
      return planSheet(run, c.entry, { ...read[k], formulas: formulasOf(c.raw, read[k].values) }, c.raw, c.written);
    } catch (err) {
      const message = `Trang "${c.entry.title}": ${describeError(err)}`;
      return { outcome: { status: 'skipped', sheet: c.entry.title, message }, requests: [], sheetId: c.entry.sheetId } satisfies Planned;
    }
  });
  writeAll(run, planned);
  toCheck.forEach((c, k) => {
    outcomes[c.at] = planned[k].outcome;
  });
  return outcomes;
}

/** The formulas of a FORMULA-rendered grid, in the shape of the values grid. */
function formulasOf(raw: readonly (readonly CellValue[])[], values: readonly (readonly CellValue[])[]): string[][] {
  return values.map((row, r) =>
    row.map((_, c) => {
      const v = raw[r]?.[c];
      return typeof v === 'string' && v.startsWith('=') ? v : '';
    }),
  );
}

/** The fingerprint of a table from its FORMULA-rendered grid (formulas in their cells, and the values of the others). */
function rawFingerprint(run: Run, raw: readonly (readonly CellValue[])[], tableCols: number): string {
  return tableFingerprint(raw, formulasOf(raw, raw), tableCols, run.settingsUsed);
}

/** Whether the run's earlier read of the sheet shows every non-formula cell as `raw` (read now, FORMULA) does. */
function typedAsRead(run: Run, entry: Entry, raw: readonly (readonly CellValue[])[]): boolean {
  const values = runValues(run.id, entry.title);
  if (!values) return false;
  const height = Math.max(raw.length, values.length);
  for (let r = 0; r < height; r++) {
    const width = Math.max(raw[r]?.length ?? 0, values[r]?.length ?? 0);
    for (let c = 0; c < width; c++) {
      const now = raw[r]?.[c] ?? '';
      if (!(typeof now === 'string' && now.startsWith('=')) && now !== (values[r]?.[c] ?? '')) return false;
    }
  }
  return true;
}

/** The fingerprint of a table's values as the spreadsheet computes them (UNFORMATTED, dates as serial numbers). */
function valuesFingerprint(run: Run, values: readonly (readonly CellValue[])[]): string {
  const block = findResultBlock(values);
  return tableFingerprint(values, [], block ? block.col : (values[0]?.length ?? 0), ['values', run.settingsUsed]);
}

const UNCHANGED = 'không thay đổi từ lần kiểm tra trước.';

function unchangedMessage(name: string): string {
  return `Trang "${name}" ${UNCHANGED}`;
}

/** Why a sheet is not checked, from its values and formulas alone (null: check it); `unchanged` when it is as left. */
function skipReason(
  run: Run,
  name: string,
  values: CellValue[][],
  written: Layout | null,
  onlyIfChanged: boolean,
): { message: string; unchanged?: true } | null {
  const block = findResultBlock(values);
  const tableCols = block ? block.col : values[0].length;
  if (onlyIfChanged && written?.table === rawFingerprint(run, values, tableCols))
    return { message: unchangedMessage(name), unchanged: true };
  const own = ownSheetOf(name, values);
  if (own) return { message: `Trang "${name}": ${own.reason}` };
  if (values.length <= 1 && values[0].length <= 1 && (values[0]?.[0] ?? '') === '') return { message: `Trang "${name}" đang trống.` };
  return null;
}

/**
 * Every sheet's requests, as few batchUpdate calls as fit; a sheet's requests stay in one call (all or nothing). When
 * a call is refused (a protected sheet, say), each sheet is sent alone, so one sheet does not stop the others.
 */
function writeAll(run: Run, planned: Planned[]): void {
  const toWrite = planned.filter((p) => p.requests.length);
  const record = (p: Planned) => {
    if (!p.layout) return;
    run.layouts.set(p.sheetId, p.layout);
    run.changed = true;
    if (p.dropLegacy) run.oldKeys.push(legacyComputedKey(p.sheetId));
  };
  try {
    if (toWrite.length)
      batchWrite(
        run.id,
        toWrite.map((p) => p.requests),
      );
  } catch (_) {
    for (const p of toWrite) {
      try {
        batchWrite(run.id, [p.requests]);
      } catch (err) {
        p.layout = undefined;
        p.outcome = { status: 'skipped', sheet: p.outcome.sheet, message: `Trang "${p.outcome.sheet}": ${describeError(err)}` };
      }
    }
  }
  for (const p of planned) record(p);
}

/** The engine on one sheet read whole, and the requests that bring the sheet in line with it. */
function planSheet(run: Run, entry: Entry, g: SheetGrids, raw: readonly (readonly CellValue[])[], written: Layout | null): Planned {
  const { sheetId, title: name } = entry;
  const { parsed, options } = run;
  const values = g.values;
  const formulas = g.formulas ?? [];
  const notes = g.notes ?? [];
  const backgrounds = g.backgrounds ?? [];
  const numRows = values.length;
  const numCols = values[0].length;
  const block = findResultBlock(values);
  const tableCols = block ? block.col : numCols;
  const skipped = (message: string): Planned => ({ outcome: { status: 'skipped', sheet: name, message }, requests: [], sheetId });
  const result = scoreGrid(values, { ...scoreOptionsOf(parsed.settings), ignoreFromColumn: tableCols, merges: g.merges ?? [] });
  if (!result.ok) return skipped(`Trang "${name}" được giữ nguyên: ${result.reason}`);
  // Sheets checked by a version that wrote values: those values, still as written, are ours.
  const legacyText = run.stored[legacyComputedKey(sheetId)];
  const legacy = written === null && legacyText !== undefined ? legacyValues(legacyText) : null;
  /** The sheet's shape first (room for the block), then the cells, then formats, rules and validations. */
  const shape: Request[] = [];
  const requests: Request[] = [];
  const cells: CellWrite[] = [];

  // 1. The plan: formulas into empty cells and our own, a person's cells kept (and checked).
  const at = block ?? { row: result.headerRow - 1, col: numCols + 1 };
  const top = { row: at.row + 1, col: at.col };
  const cellNow = (row: number, col: number): CellNow => {
    const now = { value: values[row - 1]?.[col] ?? '', formula: formulas[row - 1]?.[col] ?? '' };
    return legacy?.get(a1OfBox({ row, col, numRows: 1, numCols: 1 })) === now.value && !now.formula ? { value: '', formula: '' } : now;
  };
  const plan = sheetPlan(result, top, options, cellNow);
  // ';' between arguments: accepted by Sheets whatever the spreadsheet's locale.
  for (const c of plan.writes) if (c.kind !== 'block') cells.push({ row: c.row, col: c.col, formula: c.formula });
  // A mismatch on a cell just given its formula is fixed by that formula.
  const rewritten = new Set(plan.writes.map((c) => `${c.row}:${c.col}`));
  result.findings = [
    ...result.findings.filter(
      (f) => !(rewritten.has(`${f.row}:${f.col}`) && (f.rule === 'subtotal-mismatch' || f.rule === 'total-mismatch')),
    ),
    ...plan.findings,
  ];

  // 2. The result block beside the table: labels, formulas, and the two lines of the check.
  const laidOut = resultBlockOf(result, pendingOf(result.findings), run.stamp);
  const blockCols = resultCols(result);
  const content = blockContent(laidOut.values, plan, top, cellNow);
  // The two lines that are text ("Cập nhật lúc 25/11/2026 17:00"), kept text in the cells.
  const lineRow = top.row + RESULT_ROWS - 2;
  if (!block || plan.writes.some((c) => c.kind === 'block')) {
    // A new sheet has 26 columns; a table reaching column Y leaves no room beside it.
    const columns = g.columnCount ?? 0;
    if (!block && at.col + blockCols > columns) shape.push(sheetShapeRequest(sheetId, { columns: at.col + blockCols }));
    requests.push(formatRequest(sheetId, a1OfBox({ row: lineRow, col: top.col + 1, numRows: 2, numCols: 1 }), { numberFormat: '@' }));
    // The class colour comes from the live rules below, not from a static background.
    content.forEach((row, r) =>
      row.forEach((v, c) => {
        const background = r === 1 + BLOCK_CLASS_ROW && c > 0 ? WHITE : laidOut.backgrounds[r][c];
        const cell = { row: top.row + r, col: top.col + c, background };
        if (typeof v === 'string' && v.startsWith('=')) cells.push({ ...cell, formula: v });
        else cells.push({ ...cell, value: v === '' || v === null || v === undefined ? null : (v as string | number | boolean) });
      }),
    );
    if (!block) {
      requests.push(formatRequest(sheetId, a1OfBox({ row: top.row, col: top.col, numRows: 1, numCols: blockCols }), { bold: true }));
      requests.push(columnWidthRequest(sheetId, top.col, 1, 170));
    }
  } else {
    // Only the lines that are values: what is still missing and when the check ran.
    content.slice(RESULT_ROWS - 2).forEach((row, i) => {
      if (row[1] !== values[lineRow - 1 + i]?.[top.col + 1]) cells.push({ row: lineRow + i, col: top.col + 1, value: String(row[1]) });
    });
  }

  // 3. Live highlights: our conditional-format rules, replaced only when they changed.
  const wanted = [...plan.rules, ...classRules(top, options.sep, blockCols)];
  const rules = fingerprint(JSON.stringify(wanted));
  const ours = (g.rules ?? []).filter((r) => isOwnRuleFormula(r.formula));
  const inPlace =
    rules === written?.rules &&
    ours.length === wanted.length &&
    ours.every((r, i) => sameFormula(r.formula ?? '', wanted[i].formula) && (r.background ?? '') === wanted[i].background.toLowerCase());
  if (!inPlace) {
    // Ours go first (so a person's rule never hides a finding), a person's rules after them in their order.
    requests.push(
      ...deleteRuleRequests(
        sheetId,
        ours.map((r) => r.index),
      ),
      ...wanted.map((r, i) => addRuleRequest(sheetId, r, i)),
    );
  }
  const isLive = liveHighlighted(result, plan.rules);

  // 4. Notes and static highlights over the table: ours refreshed, a person's notes kept. A
  //    finding a live rule highlights needs no static background (it would outlive the fix).
  const byCell = findingsByCell(result.findings);
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
      const write: CellWrite = { row: r + 1, col: c };
      if (note !== notes[r][c]) write.note = note;
      if (bg.toLowerCase() !== backgrounds[r][c].toLowerCase()) write.background = bg;
      if (write.note !== undefined || write.background !== undefined) cells.push(write);
    }
  }
  requests.unshift(...shape, ...cellRequests(sheetId, cells));

  // 5. Data validation on score cells, written when the table's structure changed.
  const rawAfter = raw.map((row) => [...row]);
  for (const c of plan.writes) if (c.kind !== 'block' && rawAfter[c.row - 1]) rawAfter[c.row - 1][c.col] = c.formula;
  const table = rawFingerprint(run, rawAfter, tableCols);
  const validation = fingerprint(JSON.stringify(validationSpec(result)));
  if (validation !== written?.validation) requests.push(...validationRequests(sheetId, result));
  const layoutChanged = validation !== written?.validation || rules !== written?.rules || table !== written?.table;

  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  // The official result: the final round after the appeal, else the complete appraisal, else the self score.
  const stage = officialResult(result);
  const progress = appraisalProgress(result);
  const message =
    `${name}: tổng ${STAGE_LABEL[result.official]} ${formatExact(stage.total)} điểm (${formatExact(stage.percent)}%, ` +
    `${stage.classification}${progress ? `; ${progress}` : ''}); ` +
    (errors + warnings === 0 ? 'không có sai sót.' : `${errors} lỗi, ${warnings} cảnh báo (xem ghi chú ở các ô tô màu).`);
  return {
    outcome: { status: 'scored', sheet: name, result, message },
    requests,
    sheetId,
    ...(layoutChanged ? { layout: { validation, rules, table }, dropLegacy: legacy !== null } : {}),
  };
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

/**
 * The score validation of the self and appraisal columns: each leaf a number from 0 to its max (a warning, what was
 * typed is kept), other rows none: the column cleared, then one request per run of leaves with the same max.
 */
function validationRequests(sheetId: number, result: ScoredSheet): Request[] {
  const first = result.headerRow + 1;
  const count = result.lastRow - result.headerRow;
  if (count <= 0) return [];
  const maxOf: (number | null)[] = Array.from({ length: count }, () => null);
  for (const c of result.criteria) if (validated(c) && c.cells.max.kind === 'number') maxOf[c.row - first] = c.cells.max.value;
  const out: Request[] = [];
  for (const role of ['self', 'appraisal'] as const) {
    const col = result.columns[role];
    if (col === undefined) continue;
    // The column cleared once, then each run of leaves with the same max given its rule.
    out.push(validationRequest(sheetId, a1OfBox({ row: first, col, numRows: count, numCols: 1 }), null));
    for (let i = 0; i < count; ) {
      let j = i + 1;
      while (j < count && maxOf[j] === maxOf[i]) j++;
      const max = maxOf[i];
      const range = a1OfBox({ row: first + i, col, numRows: j - i, numCols: 1 });
      if (max !== null) out.push(validationRequest(sheetId, range, { min: 0, max, strict: false, helpText: scoreHint(max) }));
      i = j;
    }
  }
  return out;
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
 * The unit sheets to check, in the workbook's order, from one listing: a sheet named like one of the add-on's own is
 * left out unless the settings name it as a unit's sheet.
 */
export function unitEntries(ss: Spreadsheet, parsed: ParsedSettings): { entries: Entry[]; settingsTitle: string | null } {
  // Ids and titles only: inside a run, a listing whose sizes went stale serves (see runListing).
  const listing = runListing(ss) ?? listSheets(ss.getId());
  const unitNames = new Set(parsed.settings.units.map((u) => normalizeLabel(u.sheet)));
  const settingsName = normalizeLabel(SHEET_NAMES.settings);
  const settings = parsed.found ? listing.find((s) => normalizeLabel(s.title) === settingsName) : undefined;
  const entries = listing
    .filter((s) => !isOwnSheetName(s.title) || unitNames.has(normalizeLabel(s.title)))
    .map((s) => ({ sheetId: s.sheetId, title: s.title }));
  return { entries, settingsTitle: settings?.title ?? null };
}

/**
 * Checks the sheets `entries` in order, chunk by chunk, until `deadline` (a Date.now() value); the sheets not
 * reached are returned in `remaining`. Call inside the lock.
 */
export function checkSheets(
  ss: Spreadsheet,
  parsed: ParsedSettings,
  now: Date,
  deadline: number,
  opts: CheckOptions & { order?: (titles: readonly string[]) => number; chunk?: number } = {},
): { outcomes: CheckOutcome[]; remaining: string[] } {
  const { entries, settingsTitle } = unitEntries(ss, parsed);
  const from = opts.order ? opts.order(entries.map((e) => e.title)) : 0;
  const ordered = [...entries.slice(from), ...entries.slice(0, from)];
  const run = startRun(ss, parsed, now, formulaOptionsOf(parsed, settingsTitle ?? SHEET_NAMES.settings, ';'));
  const outcomes: CheckOutcome[] = [];
  const remaining: string[] = [];
  const size = opts.chunk ?? CHUNK_SHEETS;
  for (let i = 0; i < ordered.length; i += size) {
    const chunk = ordered.slice(i, i + size);
    if (Date.now() > deadline) remaining.push(...chunk.map((e) => e.title));
    else outcomes.push(...checkChunk(run, chunk, opts.onlyIfChanged ?? false));
  }
  finishRun(run);
  return { outcomes, remaining };
}

/**
 * Checks every unit sheet that changed since its last check; one outcome per sheet (own sheets left out). Sheets not
 * reached within the time budget are returned in `remaining`, for the person to run again.
 */
export function checkAll(
  ss: Spreadsheet,
  parsed: ParsedSettings,
  now: Date = new Date(),
): { outcomes: CheckOutcome[]; remaining: string[] } {
  const deadline = Date.now() + CHECK_ALL_BUDGET_MS;
  return withDocumentLock(() => checkSheets(ss, parsed, now, deadline, { onlyIfChanged: true }), LOCK_WAIT.long);
}

/** Menu: check and compute every unit sheet. */
export function menuCheckAll(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const parsed = readSettings(ss);
    const { outcomes, remaining } = checkAll(ss, parsed);
    const unchanged = outcomes.filter((o) => o.status === 'skipped' && o.message.endsWith(UNCHANGED));
    const lines = outcomes.filter((o) => !unchanged.includes(o)).map((o) => `• ${o.message}`);
    if (unchanged.length) {
      lines.push(`• ${unchanged.length} trang không thay đổi từ lần kiểm tra trước: ${unchanged.map((o) => o.sheet).join(', ')}.`);
    }
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
