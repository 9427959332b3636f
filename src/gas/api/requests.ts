/**
 * Sheets API v4 shapes made from the core's shapes, and back: A1 ranges (1-based rows, letters) ⇄ GridRange
 * (0-based, half open), '#rrggbb' ⇄ Color, and the batchUpdate requests the add-on sends. Pure: no service is called.
 *
 * Reference: https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request (UpdateCellsRequest,
 * RepeatCellRequest, SetDataValidationRequest, Add/DeleteConditionalFormatRuleRequest,
 * Add/Update/DeleteProtectedRangeRequest, AddSheetRequest, UpdateSheetPropertiesRequest) and
 * https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#GridRange ("All indexes are zero-based.
 * Indexes are half open ... Missing indexes indicate the range is unbounded on that side"), #Color ("in the range
 * [0, 1]").
 */
import type { MergedArea } from '../../core/engine/table';
import { a1, mergeFromA1 } from '../../core/engine/text';

export type Request = GoogleAppsScript.Sheets.Schema.Request;
export type GridRange = GoogleAppsScript.Sheets.Schema.GridRange;
type Color = GoogleAppsScript.Sheets.Schema.Color;
type CellData = GoogleAppsScript.Sheets.Schema.CellData;

// ---- ranges and colours ------------------------------------------------------------------------

/** An A1 range of one sheet ("B3:C5", "D7") as a box: 1-based row, 0-based column, as the core counts. */
export function boxOfA1(range: string): MergedArea {
  const box = mergeFromA1(range.trim());
  if (box.row < 1 || box.numRows < 1 || box.numCols < 1) throw new Error(`Vùng ô không hợp lệ: "${range}"`);
  return box;
}

export function gridRangeOfBox(sheetId: number, box: MergedArea): GridRange {
  return {
    sheetId,
    startRowIndex: box.row - 1,
    endRowIndex: box.row - 1 + box.numRows,
    startColumnIndex: box.col,
    endColumnIndex: box.col + box.numCols,
  };
}

export function gridRangeOfA1(sheetId: number, range: string): GridRange {
  return gridRangeOfBox(sheetId, boxOfA1(range));
}

/**
 * A bounded GridRange as a box. The API may leave out an index equal to 0 (proto3 JSON leaves out default values),
 * so a missing start is 0; a missing end (an unbounded side) takes the sheet's size when given, else is refused.
 */
export function boxOfGridRange(range: GridRange, size?: { rows: number; columns: number }): MergedArea {
  const r0 = range.startRowIndex ?? 0;
  const c0 = range.startColumnIndex ?? 0;
  const r1 = range.endRowIndex ?? size?.rows;
  const c1 = range.endColumnIndex ?? size?.columns;
  if (r1 === undefined || c1 === undefined) throw new Error('Vùng ô không giới hạn: cần kích thước trang tính.');
  return { row: r0 + 1, col: c0, numRows: r1 - r0, numCols: c1 - c0 };
}

export function a1OfBox(box: MergedArea): string {
  const first = a1(box.row, box.col);
  return box.numRows === 1 && box.numCols === 1 ? first : `${first}:${a1(box.row + box.numRows - 1, box.col + box.numCols - 1)}`;
}

/** The A1 notation of a quoted sheet name, as ranges of the API take it: 'Đơn vị 1' (a quote doubled). */
export function quotedTitle(title: string): string {
  return `'${title.replace(/'/g, "''")}'`;
}

/** '#rrggbb' (or '#rgb') as a Color of the API: components from 0 to 1. */
export function colorOfHex(hex: string): Color {
  const m = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(hex.trim());
  if (!m) throw new Error(`Màu không hợp lệ: "${hex}"`);
  const six = m[1].length === 3 ? [...m[1]].map((ch) => ch + ch).join('') : m[1];
  const part = (i: number) => Number.parseInt(six.slice(2 * i, 2 * i + 2), 16) / 255;
  return { red: part(0), green: part(1), blue: part(2) };
}

/** A Color as lower-case '#rrggbb', as getBackgrounds gives it; a component left out is 0. */
export function hexOfColor(color: Color): string {
  const part = (v: number | undefined) =>
    Math.round(Math.min(1, Math.max(0, v ?? 0)) * 255)
      .toString(16)
      .padStart(2, '0');
  return `#${part(color.red)}${part(color.green)}${part(color.blue)}`;
}

/** UTF-8 bytes of a text (what a request weighs on the wire; Apps Script has no Buffer). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

// ---- cells ---------------------------------------------------------------------------------------

/**
 * One cell to write: 1-based row, 0-based column, and what to set — only the fields present are written.
 * `value` is written as it is (a string stays text, even "=…" or "1,5"; null clears); `formula` starts with "="
 * ('' clears); `note` '' removes the note; `background` '#rrggbb'. `links` (with a text `value`) are the text's linked
 * parts, written as CellData.textFormatRuns (a run "continue[s] until the next run"; the text outside them has none).
 */
export interface CellWrite {
  row: number;
  col: number;
  value?: string | number | boolean | null;
  formula?: string;
  note?: string;
  background?: string;
  links?: readonly TextLink[];
}

/** A linked part of a cell's text: [start, end) in UTF-16 code units, as RichTextValue counts them. */
export interface TextLink {
  start: number;
  end: number;
  url: string;
}

const CELL_FIELDS = [
  ['content', 'userEnteredValue'],
  ['note', 'note'],
  ['background', 'userEnteredFormat.backgroundColor'],
  ['links', 'textFormatRuns'],
] as const;

/** Links as TextFormatRuns: a run per link, and a plain one where text without a link follows a link. */
function runsOf(text: string, links: readonly TextLink[]): GoogleAppsScript.Sheets.Schema.TextFormatRun[] {
  const runs: GoogleAppsScript.Sheets.Schema.TextFormatRun[] = [];
  let at = 0;
  for (const l of [...links].sort((a, b) => a.start - b.start)) {
    if (l.start < at || l.end <= l.start || l.end > text.length) throw new Error(`Liên kết không khớp với nội dung ô: ${l.url}`);
    if (l.start > at && runs.length) runs.push({ startIndex: at, format: {} });
    runs.push({ startIndex: l.start, format: { link: { uri: l.url } } });
    at = l.end;
  }
  if (runs.length && at < text.length) runs.push({ startIndex: at, format: {} });
  return runs;
}

function cellData(w: CellWrite): CellData {
  const out: CellData = {};
  if (w.formula !== undefined && w.value !== undefined) throw new Error(`Ô ${a1(w.row, w.col)}: vừa giá trị vừa công thức.`);
  if (w.formula) out.userEnteredValue = { formulaValue: w.formula };
  else if (typeof w.value === 'number') out.userEnteredValue = { numberValue: w.value };
  else if (typeof w.value === 'boolean') out.userEnteredValue = { boolValue: w.value };
  else if (typeof w.value === 'string' && w.value !== '') out.userEnteredValue = { stringValue: w.value };
  if (w.note) out.note = w.note;
  if (w.background !== undefined) out.userEnteredFormat = { backgroundColor: colorOfHex(w.background) };
  if (w.links?.length) {
    if (typeof w.value !== 'string') throw new Error(`Ô ${a1(w.row, w.col)}: liên kết chỉ đặt được trên nội dung chữ.`);
    out.textFormatRuns = runsOf(w.value, w.links);
  }
  return out;
}

/** Which fields a write sets: its updateCells field mask. */
function fieldsOf(w: CellWrite): string {
  const has = {
    content: w.value !== undefined || w.formula !== undefined,
    note: w.note !== undefined,
    background: w.background !== undefined,
    links: w.links !== undefined,
  };
  return CELL_FIELDS.filter(([k]) => has[k])
    .map(([, field]) => field)
    .join(',');
}

/**
 * updateCells requests for a set of cell writes: cells writing the same fields grouped into rectangles (runs of
 * columns in a row, then rows with the same run stacked), one request per rectangle. A cell written twice gets the
 * fields of both writes, the later one winning where both set a field (a formula and a note, say).
 */
export function cellRequests(sheetId: number, writes: readonly CellWrite[]): Request[] {
  const last = new Map<string, CellWrite>();
  for (const w of writes) {
    const key = `${w.row}:${w.col}`;
    const merged: CellWrite = { ...last.get(key), ...w };
    // The later content wins whole: a value replaces a formula and the other way round.
    if (w.value !== undefined && w.formula === undefined) delete merged.formula;
    if (w.formula !== undefined && w.value === undefined) delete merged.value;
    last.set(key, merged);
  }
  const byFields = new Map<string, CellWrite[]>();
  for (const w of last.values()) {
    const fields = fieldsOf(w);
    if (!fields) continue;
    const group = byFields.get(fields);
    if (group) group.push(w);
    else byFields.set(fields, [w]);
  }
  const out: Request[] = [];
  for (const [fields, cells] of byFields) {
    const at = new Map(cells.map((w) => [`${w.row}:${w.col}`, w]));
    for (const box of rectangles(cells)) {
      const rows = Array.from({ length: box.numRows }, (_, i) => ({
        values: Array.from({ length: box.numCols }, (_, j) => cellData(at.get(`${box.row + i}:${box.col + j}`) as CellWrite)),
      }));
      out.push({ updateCells: { range: gridRangeOfBox(sheetId, box), rows, fields } });
    }
  }
  return out;
}

/**
 * One value into every cell of `box` (repeatCell): a column that repeats one value down many rows costs one small
 * request, not a cell's JSON per row.
 */
export function repeatValueRequest(sheetId: number, box: MergedArea, value: CellWrite['value']): Request {
  return {
    repeatCell: { range: gridRangeOfBox(sheetId, box), cell: cellData({ row: box.row, col: box.col, value }), fields: 'userEnteredValue' },
  };
}

/**
 * Rows appended after the sheet's last row with data (AppendCellsRequest: "inserting new rows into the sheet if
 * necessary"), each value written as it is: a string as stringValue, which the API never parses ("3,5", "=…" or
 * "15/6" stay text), a number as numberValue. Columns in `textCols` (1-based) also get the plain-text number format,
 * as the log sheets are created with, so a later edit there stays as typed.
 */
export function appendCellsRequest(
  sheetId: number,
  rows: readonly (readonly (string | number | boolean)[])[],
  textCols: readonly number[] = [],
): Request {
  return {
    appendCells: {
      sheetId,
      rows: rows.map((row) => ({
        values: row.map((value, c) => {
          const cell = cellData({ row: 0, col: c, value });
          if (textCols.includes(c + 1)) cell.userEnteredFormat = { numberFormat: { type: 'TEXT' } };
          return cell;
        }),
      })),
      fields: 'userEnteredValue,userEnteredFormat.numberFormat',
    },
  };
}

/** Rectangles exactly covering a set of cells: runs of consecutive columns per row, equal runs of next rows stacked. */
function rectangles(cells: readonly { row: number; col: number }[]): MergedArea[] {
  const rows = new Map<number, number[]>();
  for (const c of cells) {
    const cols = rows.get(c.row);
    if (cols) cols.push(c.col);
    else rows.set(c.row, [c.col]);
  }
  const runs: MergedArea[] = [];
  for (const [row, cols] of rows) {
    cols.sort((a, b) => a - b);
    for (let i = 0; i < cols.length; ) {
      let j = i + 1;
      while (j < cols.length && cols[j] === cols[j - 1] + 1) j++;
      runs.push({ row, col: cols[i], numRows: 1, numCols: j - i });
      i = j;
    }
  }
  runs.sort((a, b) => a.col - b.col || a.numCols - b.numCols || a.row - b.row);
  const out: MergedArea[] = [];
  for (const run of runs) {
    const prev = out[out.length - 1];
    if (prev && prev.col === run.col && prev.numCols === run.numCols && prev.row + prev.numRows === run.row) prev.numRows++;
    else out.push({ ...run });
  }
  return out;
}

/** Formats of a whole range (repeatCell): only those given are written. */
export interface RangeFormat {
  background?: string;
  bold?: boolean;
  fontSize?: number;
  wrap?: boolean;
  /** '@' keeps what is typed as text (outline numbers such as "1.10"). */
  numberFormat?: string;
  verticalAlignment?: 'top' | 'middle' | 'bottom';
}

export function formatRequest(sheetId: number, range: string, format: RangeFormat): Request {
  const cell: GoogleAppsScript.Sheets.Schema.CellFormat = {};
  const fields: string[] = [];
  if (format.background !== undefined) {
    cell.backgroundColor = colorOfHex(format.background);
    fields.push('backgroundColor');
  }
  if (format.bold !== undefined || format.fontSize !== undefined) {
    cell.textFormat = {};
    if (format.bold !== undefined) {
      cell.textFormat.bold = format.bold;
      fields.push('textFormat.bold');
    }
    if (format.fontSize !== undefined) {
      cell.textFormat.fontSize = format.fontSize;
      fields.push('textFormat.fontSize');
    }
  }
  if (format.wrap !== undefined) {
    cell.wrapStrategy = format.wrap ? 'WRAP' : 'OVERFLOW_CELL';
    fields.push('wrapStrategy');
  }
  if (format.numberFormat !== undefined) {
    cell.numberFormat = { type: format.numberFormat === '@' ? 'TEXT' : 'NUMBER', pattern: format.numberFormat };
    fields.push('numberFormat');
  }
  if (format.verticalAlignment !== undefined) {
    cell.verticalAlignment = format.verticalAlignment.toUpperCase();
    fields.push('verticalAlignment');
  }
  if (!fields.length) throw new Error('Không có định dạng nào để ghi.');
  return {
    repeatCell: {
      range: gridRangeOfA1(sheetId, range),
      cell: { userEnteredFormat: cell },
      fields: fields.map((f) => `userEnteredFormat.${f}`).join(','),
    },
  };
}

// ---- validations, conditional formats ---------------------------------------------------------

/** A score validation: a number from min to max; `strict` false shows a warning but keeps what was typed. */
export interface NumberRule {
  min: number;
  max: number;
  strict: boolean;
  helpText?: string;
}

/** The rule on every cell of the range, or none (null clears). */
export function validationRequest(sheetId: number, range: string, rule: NumberRule | null): Request {
  const body: GoogleAppsScript.Sheets.Schema.SetDataValidationRequest = { range: gridRangeOfA1(sheetId, range) };
  if (rule) {
    body.rule = {
      condition: { type: 'NUMBER_BETWEEN', values: [{ userEnteredValue: String(rule.min) }, { userEnteredValue: String(rule.max) }] },
      strict: rule.strict,
    };
    if (rule.helpText !== undefined) body.rule.inputMessage = rule.helpText;
  }
  return { setDataValidation: body };
}

/** A conditional-format rule the add-on writes: a custom formula relative to the first range's top-left cell. */
export interface FormulaRule {
  ranges: string[];
  formula: string;
  background: string;
}

export function addRuleRequest(sheetId: number, rule: FormulaRule, index: number): Request {
  return {
    addConditionalFormatRule: {
      index,
      rule: {
        ranges: rule.ranges.map((r) => gridRangeOfA1(sheetId, r)),
        booleanRule: {
          condition: { type: 'CUSTOM_FORMULA', values: [{ userEnteredValue: rule.formula }] },
          format: { backgroundColor: colorOfHex(rule.background) },
        },
      },
    },
  };
}

/** Deletions of rules by their index, highest first (each deletion moves the rules after it up). */
export function deleteRuleRequests(sheetId: number, indexes: readonly number[]): Request[] {
  return [...new Set(indexes)].sort((a, b) => b - a).map((index) => ({ deleteConditionalFormatRule: { sheetId, index } }));
}

// ---- protections ---------------------------------------------------------------------------------

/** A protection: of the whole sheet (range null, with ranges left open to every editor) or of a range. */
export interface ProtectionWrite {
  range: string | null;
  description: string;
  /** Who may edit; the owner always may, and so does the person running the add-on. */
  editors: readonly string[];
  domainEdit?: boolean;
  unprotected?: readonly string[];
}

function protectedRange(sheetId: number, p: ProtectionWrite): GoogleAppsScript.Sheets.Schema.ProtectedRange {
  if (p.range !== null && p.unprotected?.length) throw new Error('Chỉ bảo vệ cả trang mới có vùng để mở.');
  return {
    range: p.range === null ? { sheetId } : gridRangeOfA1(sheetId, p.range),
    description: p.description,
    editors: { users: [...p.editors], domainUsersCanEdit: !!p.domainEdit },
    unprotectedRanges: (p.unprotected ?? []).map((r) => gridRangeOfA1(sheetId, r)),
  };
}

export function protectRequest(sheetId: number, p: ProtectionWrite): Request {
  return { addProtectedRange: { protectedRange: protectedRange(sheetId, p) } };
}

/** Changes a protection in place (its range stays): description, editors, open ranges. */
export function updateProtectionRequest(sheetId: number, id: number, p: ProtectionWrite): Request {
  const { range: _range, ...rest } = protectedRange(sheetId, p);
  return {
    updateProtectedRange: {
      protectedRange: { ...rest, protectedRangeId: id },
      fields: 'description,editors.users,editors.domainUsersCanEdit,unprotectedRanges',
    },
  };
}

export function unprotectRequest(id: number): Request {
  return { deleteProtectedRange: { protectedRangeId: id } };
}

// ---- sheets -------------------------------------------------------------------------------------

export interface SheetShape {
  rows?: number;
  columns?: number;
  frozenRows?: number;
}

/** A new sheet; `sheetId` chosen by the caller lets later requests of the same batch write into it. */
export function addSheetRequest(title: string, options: SheetShape & { sheetId?: number; index?: number } = {}): Request {
  const gridProperties: GoogleAppsScript.Sheets.Schema.GridProperties = {};
  if (options.rows !== undefined) gridProperties.rowCount = options.rows;
  if (options.columns !== undefined) gridProperties.columnCount = options.columns;
  if (options.frozenRows !== undefined) gridProperties.frozenRowCount = options.frozenRows;
  const properties: GoogleAppsScript.Sheets.Schema.SheetProperties = { title, gridProperties };
  if (options.sheetId !== undefined) properties.sheetId = options.sheetId;
  if (options.index !== undefined) properties.index = options.index;
  return { addSheet: { properties } };
}

export function sheetShapeRequest(sheetId: number, shape: SheetShape): Request {
  const gridProperties: GoogleAppsScript.Sheets.Schema.GridProperties = {};
  const fields: string[] = [];
  const set = (key: 'rowCount' | 'columnCount' | 'frozenRowCount', v: number | undefined) => {
    if (v === undefined) return;
    gridProperties[key] = v;
    fields.push(`gridProperties.${key}`);
  };
  set('rowCount', shape.rows);
  set('columnCount', shape.columns);
  set('frozenRowCount', shape.frozenRows);
  if (!fields.length) throw new Error('Không có thuộc tính trang tính nào để ghi.');
  return { updateSheetProperties: { properties: { sheetId, gridProperties }, fields: fields.join(',') } };
}

/** The width of columns `fromCol`..`fromCol + count - 1` (0-based), in pixels. */
export function columnWidthRequest(sheetId: number, fromCol: number, count: number, pixels: number): Request {
  return {
    updateDimensionProperties: {
      range: { sheetId, dimension: 'COLUMNS', startIndex: fromCol, endIndex: fromCol + count },
      properties: { pixelSize: pixels },
      fields: 'pixelSize',
    },
  };
}
