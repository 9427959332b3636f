/**
 * The Sheets advanced service (Sheets API v4 through Apps Script) over the same in-memory spreadsheet as the
 * SpreadsheetApp stand-in: the same cells, formulas (computed by the spreadsheet's HyperFormula engine), notes,
 * formats, merges, protections, conditional-format rules and validations, so both views of a workbook agree.
 *
 * References relied on:
 * - The advanced service: https://developers.google.com/apps-script/advanced/sheets ("uses the same objects, methods,
 *   and parameters as the public API"), and how its signatures are built from the API (request body first, then the
 *   path parameters, then an object of optional parameters):
 *   https://developers.google.com/apps-script/guides/services/advanced#how_method_signatures_are_determined
 *   So: `Sheets.Spreadsheets.Values.batchGet(spreadsheetId, {ranges, valueRenderOption, dateTimeRenderOption})`,
 *   `Sheets.Spreadsheets.get(spreadsheetId, {ranges, fields, includeGridData})`,
 *   `Sheets.Spreadsheets.batchUpdate({requests}, spreadsheetId)`.
 * - values.batchGet: https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchGet
 *   ("The order of the ValueRanges is the same as the order of the requested ranges"); ValueRange
 *   (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values#ValueRange): the range echoes the
 *   whole requested range, "For output, empty trailing rows and columns will not be included".
 * - ValueRenderOption (https://developers.google.com/sheets/api/reference/rest/v4/ValueRenderOption): UNFORMATTED_VALUE
 *   "calculated, but not formatted"; FORMULA "will not be calculated". DateTimeRenderOption SERIAL_NUMBER (the default):
 *   "doubles in serial number format ... the days since December 30th 1899".
 * - spreadsheets.get: https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/get (a `fields` mask;
 *   with `ranges`, "only the portions of the spreadsheet that intersect the requested ranges"; without a mask grid
 *   data only with includeGridData).
 * - spreadsheets.batchUpdate: https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/batchUpdate
 *   ("Each request is validated before being applied. If any request is not valid then the entire request will fail
 *   and nothing will be applied"; "The replies will mirror the requests").
 * - The requests: https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request (UpdateCellsRequest:
 *   `fields` "At least one field must be specified", with `range` "the fields matching those set in fields will be
 *   cleared" where rows do not cover it; RepeatCellRequest: a formula's references "automatically increment" cell by
 *   cell; AddProtectedRangeRequest: "if one is not set, an id will be randomly generated"; ...).
 * - GridRange (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#GridRange): "All indexes
 *   are zero-based. Indexes are half open ... Missing indexes indicate the range is unbounded on that side".
 * - CellData, ExtendedValue, ErrorValue (types ERROR, NULL_VALUE, DIVIDE_BY_ZERO, VALUE, REF, NAME, NUM, N_A),
 *   ProtectedRange ("Unprotected ranges are only supported on protected sheets"; a range "fully unbounded ... is
 *   considered a protected sheet"), Editors, ConditionalFormatRule, DataValidationRule, Color:
 *   https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/cells,
 *   https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/sheets.
 *
 * Assumed where the reference is silent (also in README.md): errors read like Apps Script's advanced-service errors
 * (`GoogleJsonResponseException: API call to sheets.spreadsheets.… failed with error: …`, request errors prefixed
 * `Invalid requests[i].kind:`); a read range reaching past the grid is cut to the grid; a formula cell showing nothing
 * still counts as a value ('' in values, so trailing trimming stops there); an error reads as its text in values and
 * as an errorValue whose message is not emulated in cell data; sheet names in ranges match ignoring case; the range
 * echoed back quotes a sheet name unless it is plain ASCII letters, digits and '_'; Color components equal to 0 are
 * left out (proto3 JSON) while GridRange indexes and sheet ids are always written; empty cells read as `{}` and
 * trailing empty cells and rows are left out of grid data; the person calling always stays an editor of a protection
 * they add or change (the owner always can edit); merges are listed when they intersect the requested ranges,
 * protections and rules for the whole sheet.
 */

import { type Rect, parseA1, rectContains, rectToA1, rectsIntersect } from './a1';
import { type Ctx, isDate, notEmulated, requireAuth } from './core';
import { wallClockMs } from './dates';
import { FormulaEngine, engineFormula, shiftFormula } from './formulas';
import {
  type CellState,
  type CellValue,
  DEFAULT_CELL,
  PROTECTED_MESSAGE,
  RichTextValueImpl,
  type SheetImpl,
  type SpreadsheetAppImpl,
  type SpreadsheetImpl,
} from './spreadsheet';

type GridRange = GoogleAppsScript.Sheets.Schema.GridRange;
type CellData = GoogleAppsScript.Sheets.Schema.CellData;
type ExtendedValue = GoogleAppsScript.Sheets.Schema.ExtendedValue;
type CellFormat = GoogleAppsScript.Sheets.Schema.CellFormat;
type Color = GoogleAppsScript.Sheets.Schema.Color;
type Request = GoogleAppsScript.Sheets.Schema.Request;
type DataValidationRule = GoogleAppsScript.Sheets.Schema.DataValidationRule;
type Json = Record<string, unknown>;

type ProtectionImpl = ReturnType<SheetImpl['protect']>;
type RuleImpl = ReturnType<SheetImpl['getConditionalFormatRules']>[number];
type ValidationImpl = NonNullable<CellState['dataValidation']>;

/** The optional arguments of values.batchGet, as the advanced service takes them. */
interface BatchGetArgs {
  ranges?: string | string[];
  valueRenderOption?: string;
  dateTimeRenderOption?: string;
  majorDimension?: string;
}

/** The optional arguments of spreadsheets.get. */
interface GetArgs {
  ranges?: string | string[];
  fields?: string;
  includeGridData?: boolean;
}

/** The part of the advanced service emulated (the `Sheets` global). */
export interface SheetsService {
  Spreadsheets: {
    get(spreadsheetId: string, optionalArgs?: GetArgs): GoogleAppsScript.Sheets.Schema.Spreadsheet;
    batchUpdate(
      resource: GoogleAppsScript.Sheets.Schema.BatchUpdateSpreadsheetRequest,
      spreadsheetId: string,
    ): GoogleAppsScript.Sheets.Schema.BatchUpdateSpreadsheetResponse;
    Values: {
      batchGet(spreadsheetId: string, optionalArgs?: BatchGetArgs): GoogleAppsScript.Sheets.Schema.BatchGetValuesResponse;
    };
  };
}

/** The scope the Sheets API asks for (https://developers.google.com/sheets/api/scopes). */
const SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/** A call the API refuses (HTTP 4xx), with the API's message. */
class Refused extends Error {}

/** A batchUpdate request that is not valid: its message gets the `Invalid requests[i].kind:` prefix. */
class Invalid extends Refused {}

/** The error Apps Script throws when an advanced-service call fails. */
function apiError(restMethod: string, message: string): Error {
  const e = new Error(`API call to ${restMethod} failed with error: ${message}`);
  e.name = 'GoogleJsonResponseException';
  return e;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

// ---------------------------------------------------------------------------
// Values and colours as the API writes them
// ---------------------------------------------------------------------------

const DAY_MS = 86400000;
const SERIAL_EPOCH = Date.UTC(1899, 11, 30);

/** A date as a serial number: days since 30 December 1899 in the spreadsheet's time zone (DateTimeRenderOption). */
function serialOf(date: Date, timeZone: string): number {
  return (wallClockMs(date, timeZone) - SERIAL_EPOCH) / DAY_MS;
}

/** ErrorValue.type of each error text a cell shows. */
const ERROR_TYPES: Readonly<Record<string, string>> = {
  '#ERROR!': 'ERROR',
  '#NULL!': 'NULL_VALUE',
  '#DIV/0!': 'DIVIDE_BY_ZERO',
  '#VALUE!': 'VALUE',
  '#REF!': 'REF',
  '#NAME?': 'NAME',
  '#NUM!': 'NUM',
  '#N/A': 'N_A',
};

/** A value as an ExtendedValue (undefined for nothing); a formula's error text as an errorValue. */
function extendedValue(v: CellValue, timeZone: string, fromFormula: boolean): ExtendedValue | undefined {
  if (v === '') return undefined;
  if (typeof v === 'number') return { numberValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (isDate(v)) return { numberValue: serialOf(v, timeZone) };
  const error = fromFormula ? ERROR_TYPES[v] : undefined;
  return error ? { errorValue: { type: error, message: v } } : { stringValue: v };
}

/** '#rrggbb' as a Color; components equal to 0 are left out, as proto3 JSON leaves out default values. */
function colorOf(hex: string): Color {
  const out: Json = {};
  ['red', 'green', 'blue'].forEach((key, i) => {
    const v = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    if (v) out[key] = v;
  });
  return out;
}

/** A Color as '#rrggbb' (a missing component is 0). */
function hexOf(c: Color): string {
  if (c.alpha !== undefined && c.alpha !== 1) throw notEmulated('a colour with alpha');
  const part = (v: number | undefined) => {
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0 && v <= 1))) throw new Invalid(`Invalid color component: ${v}`);
    return Math.round((v ?? 0) * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${part(c.red)}${part(c.green)}${part(c.blue)}`;
}

/** The NumberFormat type of a pattern (assumed from its letters; the emulator keeps patterns, not types). */
function patternType(pattern: string): string {
  if (pattern === '@') return 'TEXT';
  if (pattern.includes('%')) return 'PERCENT';
  const p = pattern.replace(/"[^"]*"/g, '');
  const date = /[dy]/i.test(p);
  const time = /[hs]/i.test(p);
  return date && time ? 'DATE_TIME' : date ? 'DATE' : time ? 'TIME' : 'NUMBER';
}

/** A cell's number format; a date entered with no format of its own shows as a date (Sheets formats it so). */
function numberFormatOf(cell: Readonly<CellState>, shown: () => CellValue, timeZone: string): Json | undefined {
  if (cell.numberFormat !== DEFAULT_CELL.numberFormat) return { type: patternType(cell.numberFormat), pattern: cell.numberFormat };
  const v = shown();
  if (!isDate(v)) return undefined;
  const midnight = (wallClockMs(v, timeZone) - SERIAL_EPOCH) % DAY_MS === 0;
  return midnight ? { type: 'DATE', pattern: 'dd/MM/yyyy' } : { type: 'DATE_TIME', pattern: 'dd/MM/yyyy HH:mm:ss' };
}

/** A sheet name as the API writes it in A1 notation: quoted unless plain letters, digits and '_'. */
function quoteSheet(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !/^[A-Za-z]{1,3}\d+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

function exceedsGrid(sheet: SheetImpl, rect: Rect): string {
  const where = `${quoteSheet(sheet._name)}!${rectToA1(rect)}`;
  return `Range (${where}) exceeds grid limits. Max rows: ${sheet._maxRows}, max columns: ${sheet._maxCols}`;
}

function gridRangeOf(sheet: SheetImpl, rect: Rect): GridRange {
  return {
    sheetId: sheet._id,
    startRowIndex: rect.r - 1,
    endRowIndex: rect.r - 1 + rect.nr,
    startColumnIndex: rect.c - 1,
    endColumnIndex: rect.c - 1 + rect.nc,
  };
}

// ---------------------------------------------------------------------------
// Field masks — `sheets(properties(sheetId,title),data.rowData.values(note))`
// ---------------------------------------------------------------------------

/** A parsed field mask: each selected field with what is selected under it (null: all of it). */
type Mask = Map<string, Mask | null>;

function parseMask(text: string): Mask {
  const src = text.replace(/\s+/g, '');
  let i = 0;
  const fail = () => new Refused(`Invalid field selection: ${text}`);
  const child = (into: Mask, key: string): Mask => {
    const existing = into.get(key);
    if (existing) return existing;
    const sub: Mask = new Map();
    // Under a field already selected whole, what follows is parsed and dropped.
    if (existing === undefined) into.set(key, sub);
    return sub;
  };
  const path = (into: Mask): void => {
    const m = /^(\*|[A-Za-z_][A-Za-z0-9_]*)/.exec(src.slice(i));
    if (!m) throw fail();
    i += m[0].length;
    if (src[i] === '.') {
      i++;
      path(child(into, m[0]));
    } else if (src[i] === '(') {
      i++;
      list(child(into, m[0]));
      if (src[i] !== ')') throw fail();
      i++;
    } else into.set(m[0], null);
  };
  const list = (into: Mask): void => {
    path(into);
    while (src[i] === ',') {
      i++;
      path(into);
    }
  };
  const root: Mask = new Map();
  list(root);
  if (i !== src.length) throw fail();
  return root;
}

/** The fields of one object level to produce: every known one for a whole selection, else those selected. */
function fieldsOf(mask: Mask | null, known: readonly string[], what: string): [string, Mask | null][] {
  if (mask === null || mask.has('*')) return known.map((k) => [k, null]);
  return [...mask].map(([key, sub]) => {
    if (!known.includes(key)) throw notEmulated(`the field ${key} of ${what}`);
    return [key, sub];
  });
}

/** A value a mask left nothing of: a cell's part it reduces to `{}` is left out (assumed, as the API prunes it). */
function isEmptyObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** A plain JSON value cut down to a mask. */
function select(value: unknown, mask: Mask | null): unknown {
  if (mask === null || value === null || typeof value !== 'object' || mask.has('*')) return value;
  if (Array.isArray(value)) return value.map((v) => select(v, mask));
  const out: Json = {};
  for (const [key, sub] of mask) if (key in (value as Json)) out[key] = select((value as Json)[key], sub);
  return out;
}

const SPREADSHEET_FIELDS = ['spreadsheetId', 'properties', 'sheets', 'spreadsheetUrl'] as const;
const SHEET_FIELDS = ['properties', 'data', 'merges', 'conditionalFormats', 'protectedRanges'] as const;
const SHEET_PROPERTY_FIELDS = ['sheetId', 'title', 'index', 'sheetType', 'gridProperties'] as const;
const GRID_DATA_FIELDS = ['startRow', 'startColumn', 'rowData'] as const;
const CELL_FIELDS = [
  'userEnteredValue',
  'effectiveValue',
  'note',
  'userEnteredFormat',
  'effectiveFormat',
  'dataValidation',
  'textFormatRuns',
  'hyperlink',
] as const;
const FORMAT_FIELDS = [
  'backgroundColor',
  'backgroundColorStyle',
  'numberFormat',
  'textFormat',
  'verticalAlignment',
  'wrapStrategy',
] as const;
const EFFECTIVE_FORMAT_FIELDS = ['backgroundColor', 'backgroundColorStyle', 'numberFormat'] as const;
/** The CellData fields a write may set. */
const WRITABLE_CELL_FIELDS = ['userEnteredValue', 'note', 'userEnteredFormat', 'dataValidation', 'textFormatRuns'] as const;
const WRITABLE_TEXT_FORMAT_FIELDS = ['bold', 'fontSize'] as const;

/** What to produce of each cell, resolved once per call. */
interface CellPlan {
  fields: [string, Mask | null][];
  userFormat: [string, Mask | null][];
  effectiveFormat: [string, Mask | null][];
}

function cellPlan(mask: Mask | null): CellPlan {
  const fields = fieldsOf(mask, CELL_FIELDS, 'CellData');
  const sub = (key: string) => fields.find(([k]) => k === key);
  const user = sub('userEnteredFormat');
  const effective = sub('effectiveFormat');
  return {
    fields,
    userFormat: user ? fieldsOf(user[1], FORMAT_FIELDS, 'CellFormat') : [],
    effectiveFormat: effective ? fieldsOf(effective[1], EFFECTIVE_FORMAT_FIELDS, 'effective CellFormat') : [],
  };
}

// ---------------------------------------------------------------------------
// The transaction of one batchUpdate: everything it may change, restored when a request fails
// ---------------------------------------------------------------------------

interface SheetSnapshot {
  cells: Map<number, CellState>;
  merges: Rect[];
  rules: RuleImpl[];
  maxRows: number;
  maxCols: number;
  frozenRows: number;
  colWidths: Map<number, number>;
}

interface ProtectionSnapshot {
  description: string;
  editors: Set<string> | null;
  domainEdit: boolean;
  unprotected: Rect[];
  removed: boolean;
}

class Transaction {
  private readonly sheets: SheetImpl[];
  private readonly protections: ProtectionImpl[];
  private readonly active: SheetImpl | null;
  private readonly protectionState = new Map<ProtectionImpl, ProtectionSnapshot>();
  private readonly sheetState = new Map<SheetImpl, SheetSnapshot>();
  applied = false;

  constructor(private readonly ss: SpreadsheetImpl) {
    this.sheets = ss._sheets.slice();
    this.protections = ss._protections.slice();
    this.active = ss._activeSheet;
    for (const p of this.protections) {
      this.protectionState.set(p, {
        description: p._description,
        editors: p._editors && new Set(p._editors),
        domainEdit: p._domainEdit,
        unprotected: p._unprotected.slice(),
        removed: p._removed,
      });
    }
  }

  /** Call before changing anything of `sheet` (a sheet added in this batch needs none: it goes on rollback). */
  touch(sheet: SheetImpl): void {
    this.applied = true;
    if (this.sheetState.has(sheet) || !this.sheets.includes(sheet)) return;
    const cells = new Map<number, CellState>();
    for (const [k, cell] of sheet._cells) cells.set(k, { ...cell });
    this.sheetState.set(sheet, {
      cells,
      merges: sheet._merges.slice(),
      rules: sheet._conditionalFormats.slice(),
      maxRows: sheet._maxRows,
      maxCols: sheet._maxCols,
      frozenRows: sheet._frozenRows,
      colWidths: new Map(sheet._colWidths),
    });
  }

  rollback(): void {
    const ss = this.ss;
    ss._sheets = this.sheets;
    ss._protections = this.protections;
    ss._activeSheet = this.active;
    for (const [p, s] of this.protectionState) {
      Object.assign(p, { _description: s.description, _editors: s.editors, _domainEdit: s.domainEdit });
      Object.assign(p, { _unprotected: s.unprotected, _removed: s.removed });
    }
    for (const [sheet, s] of this.sheetState) {
      Object.assign(sheet, { _cells: s.cells, _merges: s.merges, _conditionalFormats: s.rules });
      Object.assign(sheet, { _maxRows: s.maxRows, _maxCols: s.maxCols, _frozenRows: s.frozenRows, _colWidths: s.colWidths });
    }
    // The formula engine may hold a sheet added, or cells written, by this batch: a new engine rebuilds from the
    // restored cells the next time a formula is read.
    if (this.applied) Object.assign(ss, { _formulas: new FormulaEngine(() => ss._sheets, ss._tz) });
  }
}

// ---------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------

class SheetsApi {
  private readonly ids = new WeakMap<ProtectionImpl, number>();
  private readonly usedIds = new Set<number>();
  private nextId = 0;

  constructor(
    private readonly ctx: Ctx,
    private readonly ss: SpreadsheetImpl,
    private readonly app: SpreadsheetAppImpl,
  ) {}

  /** One counted call: authorisation, the request and response bytes, errors as Apps Script throws them. */
  call(name: string, restMethod: string, args: readonly unknown[], run: () => unknown): unknown {
    const requestBytes = byteLength(JSON.stringify(args) ?? '');
    let responseBytes = 0;
    try {
      // The advanced service needs the user's authorisation: simple triggers (LIMITED) cannot use it.
      requireAuth(this.ctx, name, SCOPE, 'FULL');
      const text = JSON.stringify(run());
      responseBytes = byteLength(text);
      return JSON.parse(text);
    } catch (e) {
      if (e instanceof Refused) throw apiError(restMethod, e.message);
      throw e;
    } finally {
      this.ctx.calls.record(name, requestBytes, responseBytes);
    }
  }

  private get tz(): string {
    return this.ss._tz;
  }

  private checkId(spreadsheetId: unknown): void {
    if (spreadsheetId !== this.ss._id) throw new Refused('Requested entity was not found.');
  }

  // ----- ranges -----

  private sheetNamed(name: string): SheetImpl | undefined {
    const lower = name.toLowerCase();
    return this.ss._sheets.find((s) => s._name === name) ?? this.ss._sheets.find((s) => s._name.toLowerCase() === lower);
  }

  private sheetById(id: unknown): SheetImpl {
    const sheet = this.ss._sheets.find((s) => s._id === id);
    if (!sheet) throw new Invalid(`No grid with id: ${id}`);
    return sheet;
  }

  /** An A1 range of a read (`'Đơn vị 1'!A1:I300`, `Sheet1`, `A1:B2` on the first sheet), cut to the sheet's grid. */
  private readRange(text: unknown): { sheet: SheetImpl; rect: Rect } {
    const fail = () => new Refused(`Unable to parse range: ${text}`);
    if (typeof text !== 'string') throw fail();
    const parts = splitRange(text);
    if (!parts) throw fail();
    let sheet: SheetImpl | undefined;
    let cells = parts.cells;
    if (parts.name !== null) sheet = this.sheetNamed(parts.name);
    else {
      // A sheet's name alone, else cells of the first sheet (assumed order when a name also reads as A1).
      sheet = this.sheetNamed(parts.cells ?? '');
      if (sheet) cells = null;
      else sheet = this.ss._sheets[0];
    }
    if (!sheet) throw fail();
    let rect: Rect = { r: 1, c: 1, nr: sheet._maxRows, nc: sheet._maxCols };
    if (cells !== null) {
      try {
        rect = parseA1(cells, sheet._maxRows, sheet._maxCols);
      } catch {
        throw fail();
      }
    }
    if (rect.r > sheet._maxRows || rect.c > sheet._maxCols) throw new Refused(exceedsGrid(sheet, rect));
    return {
      sheet,
      rect: { ...rect, nr: Math.min(rect.nr, sheet._maxRows - rect.r + 1), nc: Math.min(rect.nc, sheet._maxCols - rect.c + 1) },
    };
  }

  /** A GridRange of a write: 0-based, half open, unbounded where an index is missing; inside the grid. */
  private grid(range: GridRange | undefined): { sheet: SheetImpl; rect: Rect } {
    if (!range) throw new Invalid('A range is required.');
    const sheet = this.sheetById(range.sheetId ?? 0);
    const bound = (v: number | undefined, dflt: number) => {
      if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new Invalid(`Invalid range index: ${v}`);
      return v ?? dflt;
    };
    const r0 = bound(range.startRowIndex, 0);
    const r1 = bound(range.endRowIndex, sheet._maxRows);
    const c0 = bound(range.startColumnIndex, 0);
    const c1 = bound(range.endColumnIndex, sheet._maxCols);
    if (r0 > r1 || c0 > c1) throw new Invalid('The start index of a range must be less than or equal to its end index.');
    const rect = { r: r0 + 1, c: c0 + 1, nr: r1 - r0, nc: c1 - c0 };
    if (r1 > sheet._maxRows || c1 > sheet._maxCols) throw new Invalid(exceedsGrid(sheet, rect));
    return { sheet, rect };
  }

  /** Writes need the right to edit every cell (protections, for the user the script runs as). */
  private assertCanWrite(sheet: SheetImpl, rect: Rect): void {
    if (rect.nr > 0 && rect.nc > 0 && !this.ss._userCanEdit(sheet, rect, this.ctx.exec.effectiveUser)) throw new Refused(PROTECTED_MESSAGE);
  }

  // ----- values.batchGet -----

  batchGet(spreadsheetId: string, optionalArgs: BatchGetArgs = {}): Json {
    this.checkId(spreadsheetId);
    const render = optionalArgs.valueRenderOption ?? 'FORMATTED_VALUE';
    const dates = optionalArgs.dateTimeRenderOption ?? 'SERIAL_NUMBER';
    const major = optionalArgs.majorDimension ?? 'ROWS';
    checkEnum('value_render_option', 'ValueRenderOption', render, ['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA']);
    checkEnum('date_time_render_option', 'DateTimeRenderOption', dates, ['SERIAL_NUMBER', 'FORMATTED_STRING']);
    checkEnum('major_dimension', 'Dimension', major, ['ROWS', 'COLUMNS']);
    if (render === 'FORMATTED_VALUE') throw notEmulated('values.batchGet with valueRenderOption FORMATTED_VALUE (the default)');
    if (dates === 'FORMATTED_STRING') throw notEmulated('values.batchGet with dateTimeRenderOption FORMATTED_STRING');
    if (major === 'COLUMNS') throw notEmulated('values.batchGet with majorDimension COLUMNS');
    const ranges = listOf(optionalArgs.ranges);
    const out: Json = { spreadsheetId };
    if (ranges.length) out.valueRanges = ranges.map((a1) => this.valueRange(a1, render === 'FORMULA'));
    return out;
  }

  /** One ValueRange: the whole requested range echoed, trailing empty rows and cells left out, empty rows as []. */
  private valueRange(text: string, formulas: boolean): Json {
    const { sheet, rect } = this.readRange(text);
    const out: Json = { range: `${quoteSheet(sheet._name)}!${rectToA1(rect)}`, majorDimension: 'ROWS' };
    let lastRow = 0;
    let lastCol = 0;
    sheet._eachCell((r, c, cell) => {
      if ((cell.value !== '' || cell.formula !== '') && rectContains(rect, r, c)) {
        lastRow = Math.max(lastRow, r);
        lastCol = Math.max(lastCol, c);
      }
    });
    if (!lastRow) return out;
    const values: unknown[][] = [];
    for (let r = rect.r; r <= lastRow; r++) {
      const row: unknown[] = [];
      let end = 0;
      for (let c = rect.c; c <= lastCol; c++) {
        const cell = sheet._peek(r, c);
        if (cell.value === '' && cell.formula === '') {
          row.push('');
          continue;
        }
        const v = formulas && cell.formula ? cell.formula : sheet._valueAt(r, c);
        row.push(isDate(v) ? serialOf(v, this.tz) : v);
        end = row.length;
      }
      row.length = end;
      values.push(row);
    }
    out.values = values;
    return out;
  }

  // ----- spreadsheets.get -----

  get(spreadsheetId: string, optionalArgs: GetArgs = {}): Json {
    this.checkId(spreadsheetId);
    const sheetFields = `properties,merges,protectedRanges,conditionalFormats${optionalArgs.includeGridData ? ',data' : ''}`;
    const defaults = `spreadsheetId,properties,sheets(${sheetFields}),spreadsheetUrl`;
    const mask = parseMask(optionalArgs.fields === undefined ? defaults : String(optionalArgs.fields));
    const ranges = listOf(optionalArgs.ranges).map((a1) => this.readRange(a1));
    const out: Json = {};
    for (const [key, sub] of fieldsOf(mask, SPREADSHEET_FIELDS, 'Spreadsheet')) {
      if (key === 'spreadsheetId') out.spreadsheetId = this.ss._id;
      else if (key === 'spreadsheetUrl') out.spreadsheetUrl = this.ss.getUrl();
      else if (key === 'properties') {
        const props: Json = {};
        for (const [k] of fieldsOf(sub, ['timeZone'], 'SpreadsheetProperties')) props[k] = this.tz;
        out.properties = props;
      } else {
        const sheets = ranges.length ? this.ss._sheets.filter((s) => ranges.some((r) => r.sheet === s)) : this.ss._sheets;
        out.sheets = sheets.map((s) =>
          this.sheetJson(
            s,
            ranges.filter((r) => r.sheet === s).map((r) => r.rect),
            sub,
          ),
        );
      }
    }
    return out;
  }

  private sheetJson(sheet: SheetImpl, rects: Rect[], mask: Mask | null): Json {
    const out: Json = {};
    const intersecting = (r: Rect) => !rects.length || rects.some((x) => rectsIntersect(x, r));
    const list = (key: string, items: unknown[], sub: Mask | null) => {
      if (items.length) out[key] = select(items, sub);
    };
    for (const [key, sub] of fieldsOf(mask, SHEET_FIELDS, 'Sheet')) {
      if (key === 'properties') out.properties = this.propertiesJson(sheet, sub);
      else if (key === 'data') {
        const whole = rects.length ? rects : [{ r: 1, c: 1, nr: sheet._maxRows, nc: sheet._maxCols }];
        out.data = whole.map((rect) => this.gridData(sheet, rect, sub));
      } else if (key === 'merges')
        list(
          key,
          sheet._merges.filter(intersecting).map((m) => gridRangeOf(sheet, m)),
          sub,
        );
      else if (key === 'conditionalFormats') list(key, sheet._conditionalFormats.map(ruleJson), sub);
      else
        list(
          key,
          this.ss._protections.filter((p) => p._sheet === sheet).map((p) => this.protectionJson(p)),
          sub,
        );
    }
    return out;
  }

  private propertiesJson(sheet: SheetImpl, mask: Mask | null): Json {
    const out: Json = {};
    for (const [key, sub] of fieldsOf(mask, SHEET_PROPERTY_FIELDS, 'SheetProperties')) {
      if (key === 'sheetId') out.sheetId = sheet._id;
      else if (key === 'title') out.title = sheet._name;
      else if (key === 'index') out.index = this.ss._sheets.indexOf(sheet);
      else if (key === 'sheetType') out.sheetType = 'GRID';
      else {
        const grid: Json = { rowCount: sheet._maxRows, columnCount: sheet._maxCols };
        if (sheet._frozenRows) grid.frozenRowCount = sheet._frozenRows;
        out.gridProperties = select(grid, sub);
      }
    }
    return out;
  }

  private gridData(sheet: SheetImpl, rect: Rect, mask: Mask | null): Json {
    const out: Json = {};
    for (const [key, sub] of fieldsOf(mask, GRID_DATA_FIELDS, 'GridData')) {
      if (key === 'startRow' && rect.r > 1) out.startRow = rect.r - 1;
      else if (key === 'startColumn' && rect.c > 1) out.startColumn = rect.c - 1;
      else if (key === 'rowData') {
        const rows = this.rowData(sheet, rect, sub);
        if (rows.length) out.rowData = rows;
      }
    }
    return out;
  }

  /** RowData over `rect`: a row without data as {}, trailing empty cells and rows left out. */
  private rowData(sheet: SheetImpl, rect: Rect, mask: Mask | null): Json[] {
    const fields = fieldsOf(mask, ['values'], 'RowData');
    if (!fields.length) return [];
    const plan = cellPlan(fields[0][1]);
    // The extent of what the sheet holds in the range (conditional formats paint empty cells too).
    let lastRow = rect.r - 1;
    let lastCol = rect.c - 1;
    const extend = (r: number, c: number) => {
      lastRow = Math.max(lastRow, r);
      lastCol = Math.max(lastCol, c);
    };
    sheet._eachCell((r, c) => {
      if (rectContains(rect, r, c)) extend(r, c);
    });
    if (plan.effectiveFormat.length) {
      for (const rule of sheet._conditionalFormats) {
        for (const x of rule._ranges) {
          if (!rectsIntersect(x.rect, rect)) continue;
          extend(Math.min(x.rect.r + x.rect.nr, rect.r + rect.nr) - 1, Math.min(x.rect.c + x.rect.nc, rect.c + rect.nc) - 1);
        }
      }
    }
    const out: Json[] = [];
    let used = 0;
    for (let r = rect.r; r <= lastRow; r++) {
      const values: Json[] = [];
      let end = 0;
      for (let c = rect.c; c <= lastCol; c++) {
        const cell = this.cellData(sheet, r, c, plan);
        values.push(cell);
        if (Object.keys(cell).length) end = values.length;
      }
      values.length = end;
      out.push(end ? { values } : {});
      if (end) used = out.length;
    }
    out.length = used;
    return out;
  }

  private cellData(sheet: SheetImpl, r: number, c: number, plan: CellPlan): Json {
    const cell = sheet._peek(r, c);
    const out: Json = {};
    let shownValue: CellValue | undefined;
    const shown = () => {
      shownValue ??= sheet._valueAt(r, c);
      return shownValue;
    };
    const put = (key: string, v: unknown, sub: Mask | null) => {
      const picked = v === undefined ? undefined : select(v, sub);
      if (picked !== undefined && !isEmptyObject(picked)) out[key] = picked;
    };
    for (const [key, sub] of plan.fields) {
      if (key === 'userEnteredValue')
        put(key, cell.formula ? { formulaValue: cell.formula } : extendedValue(cell.value, this.tz, false), sub);
      else if (key === 'effectiveValue') {
        if (cell.value !== '' || cell.formula) put(key, extendedValue(shown(), this.tz, !!cell.formula), sub);
      } else if (key === 'note') put(key, cell.note || undefined, sub);
      else if (key === 'userEnteredFormat')
        put(
          key,
          this.formatJson(cell, shown, plan.userFormat, () => cell.background),
          null,
        );
      else if (key === 'effectiveFormat') {
        // The effective format includes what conditional formats paint.
        put(
          key,
          this.formatJson(cell, shown, plan.effectiveFormat, () => sheet._effectiveBackground(r, c)),
          null,
        );
      } else if (key === 'dataValidation') put(key, cell.dataValidation ? validationJson(cell.dataValidation) : undefined, sub);
      else if (key === 'textFormatRuns') put(key, runsJson(cell), sub);
      else if (key === 'hyperlink') put(key, hyperlinkOf(cell), sub);
    }
    return out;
  }

  /** A CellFormat with what differs from the default (undefined when nothing does). */
  private formatJson(
    cell: Readonly<CellState>,
    shown: () => CellValue,
    fields: [string, Mask | null][],
    background: () => string,
  ): Json | undefined {
    const out: Json = {};
    const put = (key: string, v: unknown, sub: Mask | null) => {
      const picked = v === undefined ? undefined : select(v, sub);
      if (picked !== undefined && !isEmptyObject(picked)) out[key] = picked;
    };
    for (const [key, sub] of fields) {
      if (key === 'backgroundColor' || key === 'backgroundColorStyle') {
        const bg = background();
        if (bg !== DEFAULT_CELL.background) put(key, key === 'backgroundColor' ? colorOf(bg) : { rgbColor: colorOf(bg) }, sub);
      } else if (key === 'numberFormat') put(key, numberFormatOf(cell, shown, this.tz), sub);
      else if (key === 'textFormat') {
        const text: Json = {};
        if (cell.fontWeight === 'bold') text.bold = true;
        if (cell.fontSize !== DEFAULT_CELL.fontSize) text.fontSize = cell.fontSize;
        put(key, Object.keys(text).length ? text : undefined, sub);
      } else if (key === 'verticalAlignment') {
        if (cell.verticalAlignment !== DEFAULT_CELL.verticalAlignment) put(key, cell.verticalAlignment.toUpperCase(), sub);
      } else if (key === 'wrapStrategy' && cell.wrap) put(key, 'WRAP', sub);
    }
    return Object.keys(out).length ? out : undefined;
  }

  private protectionId(p: ProtectionImpl): number {
    let id = this.ids.get(p);
    if (id === undefined) {
      // Stable pseudo-random ids, as the API makes up ("randomly generated").
      do id = (++this.nextId * 1103515245 + 12345) % 2147483647;
      while (this.usedIds.has(id));
      this.setProtectionId(p, id);
    }
    return id;
  }

  private setProtectionId(p: ProtectionImpl, id: number): void {
    this.ids.set(p, id);
    this.usedIds.add(id);
  }

  private protectionById(id: unknown): ProtectionImpl {
    const p = this.ss._protections.find((x) => this.protectionId(x) === id);
    if (!p) throw new Invalid(`No protected range with id: ${id}`);
    return p;
  }

  private protectionJson(p: ProtectionImpl): Json {
    const out: Json = {
      protectedRangeId: this.protectionId(p),
      range: p._type === 'SHEET' ? { sheetId: p._sheet._id } : gridRangeOf(p._sheet, p._rect),
    };
    if (p._description) out.description = p._description;
    if (p._unprotected.length) out.unprotectedRanges = p._unprotected.map((r) => gridRangeOf(p._sheet, r));
    // "This field is only visible to users with edit access to the protected range and the document."
    if (p._allows(this.ctx.exec.effectiveUser)) {
      out.requestingUserCanEdit = true;
      const editors: Json = { users: [...new Set([this.ss._owner, ...(p._editors ?? this.ss._editors)])] };
      if (p._domainEdit) editors.domainUsersCanEdit = true;
      out.editors = editors;
    }
    return out;
  }

  // ----- spreadsheets.batchUpdate -----

  batchUpdate(resource: GoogleAppsScript.Sheets.Schema.BatchUpdateSpreadsheetRequest, spreadsheetId: string): Json {
    this.checkId(spreadsheetId);
    if (!this.ss._editors.has(this.ctx.exec.effectiveUser)) throw new Refused('The caller does not have permission');
    const requests = resource?.requests;
    if (!Array.isArray(requests) || !requests.length) throw new Refused('Must specify at least one request.');
    if (resource.includeSpreadsheetInResponse || resource.responseRanges || resource.responseIncludeGridData) {
      throw notEmulated('batchUpdate returning the spreadsheet');
    }
    const txn = new Transaction(this.ss);
    const replies: Json[] = [];
    try {
      requests.forEach((request, i) => replies.push(this.apply(request, i, txn)));
    } catch (e) {
      txn.rollback();
      throw e;
    }
    return { spreadsheetId, replies };
  }

  private apply(request: Request, index: number, txn: Transaction): Json {
    const kinds = Object.keys(request ?? {}).filter((k) => (request as Json)[k] !== undefined);
    if (!kinds.length) throw new Refused(`Invalid requests[${index}]: No request set.`);
    if (kinds.length > 1) throw new Refused(`Invalid requests[${index}]: Oneof field 'kind' is already set. Cannot set '${kinds[1]}'`);
    const kind = kinds[0];
    const body = (request as Json)[kind] as Json;
    try {
      switch (kind) {
        case 'updateCells':
          return this.updateCells(body, txn);
        case 'appendCells':
          return this.appendCells(body, txn);
        case 'repeatCell':
          return this.repeatCell(body, txn);
        case 'setDataValidation':
          return this.setDataValidation(body, txn);
        case 'addConditionalFormatRule':
          return this.addConditionalFormatRule(body, txn);
        case 'deleteConditionalFormatRule':
          return this.deleteConditionalFormatRule(body, txn);
        case 'addProtectedRange':
          return this.addProtectedRange(body, txn);
        case 'updateProtectedRange':
          return this.updateProtectedRange(body, txn);
        case 'deleteProtectedRange':
          return this.deleteProtectedRange(body, txn);
        case 'addSheet':
          return this.addSheet(body, txn);
        case 'updateSheetProperties':
          return this.updateSheetProperties(body, txn);
        case 'updateDimensionProperties':
          return this.updateDimensionProperties(body, txn);
        default:
          throw notEmulated(`the batchUpdate request ${kind}`);
      }
    } catch (e) {
      if (e instanceof Invalid) throw new Refused(`Invalid requests[${index}].${kind}: ${e.message}`);
      throw e;
    }
  }

  /** UpdateCellsRequest: `rows` from `start` (as many as given), or over `range` (what rows do not cover is cleared). */
  private updateCells(body: GoogleAppsScript.Sheets.Schema.UpdateCellsRequest, txn: Transaction): Json {
    const fields = writtenFields(body.fields);
    const rows = body.rows ?? [];
    if (body.range && body.start) throw new Invalid("Oneof field 'area' is already set. Cannot set 'start'");
    let sheet: SheetImpl;
    let area: Rect;
    if (body.range) ({ sheet, rect: area } = this.grid(body.range));
    else if (body.start) {
      sheet = this.sheetById(body.start.sheetId ?? 0);
      const width = rows.reduce((m, row) => Math.max(m, row.values?.length ?? 0), 0);
      ({ rect: area } = this.grid({
        sheetId: sheet._id,
        startRowIndex: body.start.rowIndex ?? 0,
        endRowIndex: (body.start.rowIndex ?? 0) + rows.length,
        startColumnIndex: body.start.columnIndex ?? 0,
        endColumnIndex: (body.start.columnIndex ?? 0) + width,
      }));
    } else throw new Invalid('Either start or range must be set.');
    this.assertCanWrite(sheet, area);
    txn.touch(sheet);
    for (let i = 0; i < area.nr; i++) {
      const values = rows[i]?.values ?? [];
      const width = body.range ? area.nc : values.length;
      for (let j = 0; j < width; j++) this.writeCell(sheet, area.r + i, area.c + j, values[j] ?? {}, fields, 0, 0);
    }
    this.written(sheet, area, fields);
    return {};
  }

  /**
   * AppendCellsRequest (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#AppendCellsRequest):
   * "Adds new cells after the last row with data in a sheet, inserting new rows into the sheet if necessary"; `fields`
   * "At least one field must be specified". Assumed: the last row with data is the last with a value or formula (as
   * getLastRow), and rows wider than the grid are refused as a range past the grid is.
   */
  private appendCells(body: GoogleAppsScript.Sheets.Schema.AppendCellsRequest, txn: Transaction): Json {
    const fields = writtenFields(body.fields);
    const sheet = this.sheetById(body.sheetId ?? 0);
    const rows = body.rows ?? [];
    const width = rows.reduce((m, row) => Math.max(m, row.values?.length ?? 0), 0);
    const area: Rect = { r: sheet._lastRow() + 1, c: 1, nr: rows.length, nc: width };
    if (width > sheet._maxCols) throw new Invalid(exceedsGrid(sheet, area));
    if (!rows.length) return {};
    txn.touch(sheet);
    const grow = area.r + area.nr - 1 - sheet._maxRows;
    if (grow > 0) Object.assign(sheet, { _maxRows: sheet._maxRows + grow });
    this.assertCanWrite(sheet, area);
    rows.forEach((row, i) => {
      (row.values ?? []).forEach((value, j) => this.writeCell(sheet, area.r + i, area.c + j, value, fields, 0, 0));
    });
    this.written(sheet, area, fields);
    return {};
  }

  /** RepeatCellRequest: the cell in every cell of the range, a formula's relative references moved cell by cell. */
  private repeatCell(body: GoogleAppsScript.Sheets.Schema.RepeatCellRequest, txn: Transaction): Json {
    const fields = writtenFields(body.fields);
    const { sheet, rect } = this.grid(body.range);
    this.assertCanWrite(sheet, rect);
    txn.touch(sheet);
    const cell = body.cell ?? {};
    for (let i = 0; i < rect.nr; i++) for (let j = 0; j < rect.nc; j++) this.writeCell(sheet, rect.r + i, rect.c + j, cell, fields, i, j);
    this.written(sheet, rect, fields);
    return {};
  }

  private writeCell(sheet: SheetImpl, r: number, c: number, src: CellData, fields: WrittenFields, di: number, dj: number): void {
    const cell = sheet._mut(r, c);
    let runs = false;
    for (const [key, sub] of fields.cell) {
      if (key === 'userEnteredValue') enterValue(cell, src.userEnteredValue, di, dj);
      else if (key === 'note') cell.note = src.note ?? '';
      else if (key === 'dataValidation') cell.dataValidation = src.dataValidation ? this.validation(src.dataValidation) : null;
      else if (key === 'textFormatRuns') runs = true;
      else setFormat(cell, src.userEnteredFormat ?? {}, fieldsOf(sub, FORMAT_FIELDS, 'CellFormat'));
    }
    // Runs apply to the text the cell holds once its value is written, whatever the mask's order.
    if (runs) this.setRuns(cell, src.textFormatRuns ?? []);
  }

  /**
   * CellData.textFormatRuns written (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/cells#CellData
   * and #TextFormatRun): "Runs are only valid on user entered strings, not formulas, bools, or numbers"; a run starts
   * at its startIndex (UTF-16 code units, zero-based) "and continue[s] until the next run"; "When writing, the new
   * runs will overwrite any prior runs". Only a run's link (TextFormat.link.uri) is emulated; runs out of order or
   * starting past the text are refused (assumed: the API rejects them).
   */
  private setRuns(cell: CellState, runs: GoogleAppsScript.Sheets.Schema.TextFormatRun[]): void {
    const text = cell.value;
    if (!runs.length) {
      cell.richText = null;
      return;
    }
    if (typeof text !== 'string' || cell.formula) throw new Invalid('Runs are only valid on user entered strings.');
    const links = new Array<string | null>(text.length).fill(null);
    let last = -1;
    runs.forEach((run, i) => {
      const start = run.startIndex ?? 0;
      if (!Number.isInteger(start) || start <= last || start >= Math.max(1, text.length)) {
        throw new Invalid(`Invalid textFormatRuns[${i}].startIndex: ${start}`);
      }
      const format = (run.format ?? {}) as Json;
      for (const key of Object.keys(format)) if (key !== 'link') throw notEmulated(`the text format ${key} of a run`);
      const end = runs[i + 1]?.startIndex ?? text.length;
      const uri = run.format?.link?.uri ?? null;
      for (let k = start; k < Math.min(end, text.length); k++) links[k] = uri;
      last = start;
    });
    cell.richText = new RichTextValueImpl(this.ctx, text, links);
  }

  private written(sheet: SheetImpl, rect: Rect, fields: WrittenFields): void {
    sheet._compact(rect);
    if (fields.cell.some(([k]) => k === 'userEnteredValue')) sheet._contentChanged([rect]);
  }

  private validation(rule: DataValidationRule): ValidationImpl {
    const condition = rule.condition;
    if (!condition?.type) throw new Invalid('A data validation rule needs a condition.');
    if (condition.type !== 'NUMBER_BETWEEN') throw notEmulated(`a data validation of type ${condition.type}`);
    const bounds = (condition.values ?? []).map((v) => Number(v.userEnteredValue));
    if (bounds.length !== 2 || bounds.some((v) => !Number.isFinite(v))) throw new Invalid('NUMBER_BETWEEN needs two numbers.');
    let builder = this.app.newDataValidation().requireNumberBetween(bounds[0], bounds[1]).setAllowInvalid(!rule.strict);
    if (rule.inputMessage !== undefined) builder = builder.setHelpText(rule.inputMessage);
    return builder.build();
  }

  /** SetDataValidationRequest: the rule on every cell of the range, or none when the rule is left out. */
  private setDataValidation(body: GoogleAppsScript.Sheets.Schema.SetDataValidationRequest, txn: Transaction): Json {
    const { sheet, rect } = this.grid(body.range);
    const rule = body.rule ? this.validation(body.rule) : null;
    this.assertCanWrite(sheet, rect);
    txn.touch(sheet);
    for (let i = 0; i < rect.nr; i++) for (let j = 0; j < rect.nc; j++) sheet._mut(rect.r + i, rect.c + j).dataValidation = rule;
    sheet._compact(rect);
    return {};
  }

  /** AddConditionalFormatRuleRequest: a custom-formula rule with a background, inserted at `index` (default 0). */
  private addConditionalFormatRule(body: GoogleAppsScript.Sheets.Schema.AddConditionalFormatRuleRequest, txn: Transaction): Json {
    const rule = body.rule;
    if (!rule) throw new Invalid('A rule is required.');
    if (rule.gradientRule) throw notEmulated('gradient conditional-format rules');
    const ranges = (rule.ranges ?? []).map((g) => this.grid(g));
    if (!ranges.length) throw new Invalid('A conditional format rule must have at least one range.');
    const sheet = ranges[0].sheet;
    if (ranges.some((x) => x.sheet !== sheet)) throw new Invalid('All ranges of a conditional format rule must be on one sheet.');
    const condition = rule.booleanRule?.condition;
    if (!condition?.type) throw new Invalid('A conditional format rule needs a condition.');
    if (condition.type !== 'CUSTOM_FORMULA') throw notEmulated(`a conditional format of type ${condition.type}`);
    const formula = condition.values?.[0]?.userEnteredValue;
    if (typeof formula !== 'string' || condition.values?.length !== 1) throw new Invalid('CUSTOM_FORMULA needs one formula.');
    const format = (rule.booleanRule?.format ?? {}) as Json;
    for (const key of Object.keys(format)) {
      if (key !== 'backgroundColor' && key !== 'backgroundColorStyle') throw notEmulated(`the conditional format ${key}`);
    }
    const index = body.index ?? 0;
    if (!Number.isInteger(index) || index < 0 || index > sheet._conditionalFormats.length) throw new Invalid(`Invalid index: ${index}`);
    for (const x of ranges) this.assertCanWrite(sheet, x.rect);
    txn.touch(sheet);
    const built = this.app
      .newConditionalFormatRule()
      .whenFormulaSatisfied(formula)
      .setBackground(backgroundOf(format as CellFormat) ?? null)
      .setRanges(ranges.map((x) => sheet._range(x.rect)))
      .build();
    sheet._conditionalFormats.splice(index, 0, built);
    return {};
  }

  private deleteConditionalFormatRule(body: GoogleAppsScript.Sheets.Schema.DeleteConditionalFormatRuleRequest, txn: Transaction): Json {
    const sheet = this.sheetById(body.sheetId ?? 0);
    const index = body.index ?? 0;
    const rule = sheet._conditionalFormats[index];
    if (!rule) throw new Invalid(`No conditional format on sheet ${sheet._id} at index: ${index}`);
    for (const x of rule._ranges) this.assertCanWrite(sheet, x.rect);
    txn.touch(sheet);
    sheet._conditionalFormats.splice(index, 1);
    return { deleteConditionalFormatRule: { rule: ruleJson(rule) } };
  }

  /** The editors a protection gets: those given, and the person calling (who cannot lock themselves out; assumed). */
  private editorsOf(editors: GoogleAppsScript.Sheets.Schema.Editors | undefined): Set<string> {
    if (editors?.groups?.length) throw notEmulated('protection editors given as groups');
    return new Set([...(editors?.users ?? []).map((u) => String(u).trim()), this.ctx.exec.effectiveUser]);
  }

  private unprotectedOf(sheet: SheetImpl, ranges: GridRange[] | undefined): Rect[] {
    return (ranges ?? []).map((g) => {
      const x = this.grid(g);
      if (x.sheet !== sheet) throw new Invalid('Unprotected ranges must be on the protected sheet.');
      return x.rect;
    });
  }

  private addProtectedRange(body: GoogleAppsScript.Sheets.Schema.AddProtectedRangeRequest, txn: Transaction): Json {
    const spec = body.protectedRange;
    if (!spec?.range) throw new Invalid('A protected range needs a range.');
    if (spec.warningOnly) throw notEmulated('warning-only protections');
    if (spec.namedRangeId) throw notEmulated('protections of named ranges');
    const { sheet, rect } = this.grid(spec.range);
    const whole = [spec.range.startRowIndex, spec.range.endRowIndex, spec.range.startColumnIndex, spec.range.endColumnIndex].every(
      (v) => v === undefined,
    );
    if (spec.unprotectedRanges?.length && !whole) throw new Invalid('Unprotected ranges are only supported on protected sheets.');
    if (whole && this.ss._protections.some((p) => p._sheet === sheet && p._type === 'SHEET')) {
      throw new Invalid(`The sheet ${sheet._name} is already protected.`);
    }
    const id = spec.protectedRangeId;
    if (id !== undefined && (!Number.isInteger(id) || this.ss._protections.some((p) => this.protectionId(p) === id))) {
      throw new Invalid(`A protected range with id ${id} already exists.`);
    }
    const editors = this.editorsOf(spec.editors);
    const unprotected = this.unprotectedOf(sheet, spec.unprotectedRanges);
    txn.applied = true;
    const p = whole ? sheet.protect() : sheet._range(rect).protect();
    Object.assign(p, { _description: spec.description ?? '', _editors: editors, _domainEdit: !!spec.editors?.domainUsersCanEdit });
    p._unprotected = unprotected;
    if (id !== undefined) this.setProtectionId(p, id);
    return { addProtectedRange: { protectedRange: this.protectionJson(p) } };
  }

  private updateProtectedRange(body: GoogleAppsScript.Sheets.Schema.UpdateProtectedRangeRequest, txn: Transaction): Json {
    const spec = body.protectedRange ?? {};
    const fields = requiredMask(body.fields);
    const p = this.protectionById(spec.protectedRangeId);
    if (!p._allows(this.ctx.exec.effectiveUser)) throw new Refused(PROTECTED_MESSAGE);
    const known = ['description', 'editors', 'unprotectedRanges', 'warningOnly', 'protectedRangeId'];
    const changes: (() => void)[] = [];
    for (const [key, sub] of fieldsOf(fields, known, 'ProtectedRange (written)')) {
      if (key === 'description') changes.push(() => Object.assign(p, { _description: spec.description ?? '' }));
      else if (key === 'unprotectedRanges') {
        const rects = this.unprotectedOf(p._sheet, spec.unprotectedRanges);
        if (rects.length && p._type !== 'SHEET') throw new Invalid('Unprotected ranges are only supported on protected sheets.');
        changes.push(() => Object.assign(p, { _unprotected: rects }));
      } else if (key === 'editors') {
        for (const [k] of fieldsOf(sub, ['users', 'domainUsersCanEdit', 'groups'], 'Editors (written)')) {
          if (k === 'users' || k === 'groups') {
            const editors = this.editorsOf(spec.editors);
            changes.push(() => Object.assign(p, { _editors: editors }));
          } else changes.push(() => Object.assign(p, { _domainEdit: !!spec.editors?.domainUsersCanEdit }));
        }
      } else if (key === 'warningOnly' && spec.warningOnly) throw notEmulated('warning-only protections');
    }
    txn.applied = true;
    for (const change of changes) change();
    return {};
  }

  private deleteProtectedRange(body: GoogleAppsScript.Sheets.Schema.DeleteProtectedRangeRequest, txn: Transaction): Json {
    const p = this.protectionById(body.protectedRangeId);
    if (!p._allows(this.ctx.exec.effectiveUser)) throw new Refused(PROTECTED_MESSAGE);
    txn.applied = true;
    p._removed = true;
    this.ss._protections = this.ss._protections.filter((x) => x !== p);
    return {};
  }

  /** AddSheetRequest: a new sheet (1000 × 26 unless told), not activated. */
  private addSheet(body: GoogleAppsScript.Sheets.Schema.AddSheetRequest, txn: Transaction): Json {
    const props = body.properties ?? {};
    for (const key of Object.keys(props)) {
      if (!['title', 'sheetId', 'index', 'gridProperties', 'sheetType'].includes(key)) throw notEmulated(`addSheet with ${key}`);
    }
    if (props.sheetType !== undefined && props.sheetType !== 'GRID') throw notEmulated(`a sheet of type ${props.sheetType}`);
    const title = props.title;
    if (title === undefined) throw notEmulated('addSheet without a title');
    if (typeof title !== 'string' || !title.trim()) throw new Invalid('A sheet title must not be empty.');
    if (this.ss._sheets.some((s) => s._name.toLowerCase() === title.toLowerCase())) {
      throw new Invalid(`A sheet with the name "${title}" already exists. Please enter another name.`);
    }
    const id = props.sheetId;
    if (id !== undefined && (!Number.isInteger(id) || id < 0 || this.ss._sheets.some((s) => s._id === id))) {
      throw new Invalid(`Invalid sheetId: ${id} (it must be a new non-negative integer).`);
    }
    const grid = props.gridProperties ?? {};
    const rows = grid.rowCount ?? 1000;
    const cols = grid.columnCount ?? 26;
    const frozen = grid.frozenRowCount ?? 0;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) throw new Invalid('Invalid grid size.');
    if (!Number.isInteger(frozen) || frozen < 0 || frozen > rows) throw new Invalid(`Invalid frozenRowCount: ${frozen}`);
    const index = props.index;
    if (index !== undefined && (!Number.isInteger(index) || index < 0 || index > this.ss._sheets.length)) {
      throw new Invalid(`Invalid index: ${index}`);
    }
    txn.applied = true;
    const active = this.ss._activeSheet;
    const sheet = this.ss._addSheet(title, index);
    this.ss._activeSheet = active ?? sheet;
    Object.assign(sheet, { _maxRows: rows, _maxCols: cols, _frozenRows: frozen });
    if (id !== undefined) Object.assign(sheet, { _id: id });
    return { addSheet: { properties: this.propertiesJson(sheet, null) } };
  }

  /** UpdateSheetPropertiesRequest: frozen rows, row and column counts (growing, or shrinking an empty part), index. */
  private updateSheetProperties(body: GoogleAppsScript.Sheets.Schema.UpdateSheetPropertiesRequest, txn: Transaction): Json {
    const props = body.properties ?? {};
    const sheet = this.sheetById(props.sheetId ?? 0);
    const changes: (() => void)[] = [];
    for (const [key, sub] of fieldsOf(requiredMask(body.fields), ['gridProperties', 'index'], 'SheetProperties (written)')) {
      if (key === 'index') {
        const index = props.index ?? 0;
        if (!Number.isInteger(index) || index < 0) throw new Invalid(`Invalid index: ${index}`);
        changes.push(() => {
          const rest = this.ss._sheets.filter((s) => s !== sheet);
          rest.splice(Math.min(index, rest.length), 0, sheet);
          this.ss._sheets = rest;
        });
        continue;
      }
      if (sub === null) throw notEmulated('updating gridProperties whole (name its fields)');
      for (const [k] of fieldsOf(sub, ['rowCount', 'columnCount', 'frozenRowCount'], 'GridProperties (written)')) {
        const v = (props.gridProperties as Json | undefined)?.[k] ?? 0;
        if (!Number.isInteger(v) || (v as number) < 0) throw new Invalid(`Invalid ${k}: ${v}`);
        const n = v as number;
        if (k === 'frozenRowCount') {
          if (n > sheet._maxRows) throw new Invalid(`Invalid frozenRowCount: ${n}`);
          changes.push(() => Object.assign(sheet, { _frozenRows: n }));
          continue;
        }
        const rows = k === 'rowCount';
        if (n < 1) throw new Invalid(`Invalid ${k}: ${n}`);
        let used = 0;
        sheet._eachCell((r, c) => {
          used = Math.max(used, rows ? r : c);
        });
        if (n < used) throw notEmulated(`shrinking a sheet over cells that hold something (${k} ${n})`);
        changes.push(() => Object.assign(sheet, rows ? { _maxRows: n } : { _maxCols: n }));
      }
    }
    txn.touch(sheet);
    for (const change of changes) change();
    return {};
  }

  /**
   * UpdateDimensionPropertiesRequest over a DimensionRange (https://developers.google.com/sheets/api/reference/rest/v4/
   * spreadsheets/request#UpdateDimensionPropertiesRequest, .../other#DimensionRange: "indexes are zero-based ... half
   * open"): only the width of columns (`pixelSize`) is emulated.
   */
  private updateDimensionProperties(body: GoogleAppsScript.Sheets.Schema.UpdateDimensionPropertiesRequest, txn: Transaction): Json {
    const range = body.range ?? {};
    if (range.dimension !== 'COLUMNS') throw notEmulated(`dimension properties of ${range.dimension ?? 'no dimension'}`);
    const fields = fieldsOf(requiredMask(body.fields), ['pixelSize'], 'DimensionProperties (written)');
    const sheet = this.sheetById(range.sheetId ?? 0);
    const start = range.startIndex ?? 0;
    const end = range.endIndex ?? sheet._maxCols;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > sheet._maxCols || start >= end) {
      throw new Invalid(`Invalid dimension range: ${start}..${end}`);
    }
    const size = body.properties?.pixelSize ?? 0;
    if (!Number.isInteger(size) || size < 0) throw new Invalid(`Invalid pixelSize: ${size}`);
    txn.touch(sheet);
    if (fields.length) for (let c = start; c < end; c++) sheet._colWidths.set(c + 1, size);
    return {};
  }
}

// ---------------------------------------------------------------------------
// Helpers of the requests
// ---------------------------------------------------------------------------

/** `'Name'!A1:B2` → name and cells; `Name` alone → {name: null, cells: 'Name'} (a sheet or an A1 range). */
function splitRange(text: string): { name: string | null; cells: string | null } | null {
  const t = text.trim();
  if (!t.startsWith("'")) {
    const bang = t.indexOf('!');
    return bang < 0 ? { name: null, cells: t } : { name: t.slice(0, bang), cells: t.slice(bang + 1) };
  }
  let name = '';
  let i = 1;
  for (; i < t.length; i++) {
    if (t[i] !== "'") name += t[i];
    else if (t[i + 1] === "'") {
      name += "'";
      i++;
    } else break;
  }
  if (i >= t.length) return null;
  const rest = t.slice(i + 1);
  if (rest === '') return { name, cells: null };
  return rest.startsWith('!') ? { name, cells: rest.slice(1) } : null;
}

function listOf(ranges: string | string[] | undefined): string[] {
  if (ranges === undefined) return [];
  return Array.isArray(ranges) ? ranges : [ranges];
}

function checkEnum(param: string, type: string, value: unknown, allowed: readonly string[]): void {
  if (!allowed.includes(value as string)) {
    throw new Refused(`Invalid value at '${param}' (type.googleapis.com/google.apps.sheets.v4.${type}), "${value}"`);
  }
}

/** A required `fields` mask ("At least one field must be specified"). */
function requiredMask(fields: unknown): Mask {
  if (typeof fields !== 'string' || !fields.trim()) throw new Invalid('At least one field must be specified.');
  return parseMask(fields);
}

interface WrittenFields {
  cell: [string, Mask | null][];
}

function writtenFields(fields: unknown): WrittenFields {
  return { cell: fieldsOf(requiredMask(fields), WRITABLE_CELL_FIELDS, 'CellData (written)') };
}

/** userEnteredValue into a cell: one of number, string, bool or formula (moved by di, dj); none clears it. */
function enterValue(cell: CellState, v: ExtendedValue | undefined, di: number, dj: number): void {
  const kinds = Object.keys(v ?? {}).filter((k) => (v as Json)[k] !== undefined);
  if (kinds.length > 1) throw new Invalid(`Oneof field 'value' is already set. Cannot set '${kinds[1]}'`);
  cell.richText = null;
  cell.formula = '';
  cell.value = '';
  if (!v || !kinds.length) return;
  if (v.errorValue !== undefined) throw new Invalid('errorValue cannot be written.');
  if (v.formulaValue !== undefined) {
    const formula = String(v.formulaValue);
    if (!formula.startsWith('=')) throw notEmulated(`a formulaValue not starting with "=" (${formula})`);
    const moved = shiftFormula(formula, di, dj);
    engineFormula(moved);
    cell.formula = moved;
  } else if (v.numberValue !== undefined) {
    if (typeof v.numberValue !== 'number' || !Number.isFinite(v.numberValue)) throw new Invalid(`Invalid numberValue: ${v.numberValue}`);
    cell.value = v.numberValue;
  } else if (v.boolValue !== undefined) cell.value = !!v.boolValue;
  else cell.value = String(v.stringValue);
}

/** The background of a CellFormat: backgroundColorStyle wins over backgroundColor, as the reference says. */
function backgroundOf(format: CellFormat): string | undefined {
  const style = format.backgroundColorStyle;
  if (style?.themeColor) throw notEmulated('theme colours');
  const color = style?.rgbColor ?? format.backgroundColor;
  return color ? hexOf(color) : undefined;
}

/** The selected fields of userEnteredFormat into a cell; a field left out of the format goes back to the default. */
function setFormat(cell: CellState, format: CellFormat, fields: [string, Mask | null][]): void {
  for (const [key, sub] of fields) {
    if (key === 'backgroundColor' || key === 'backgroundColorStyle') cell.background = backgroundOf(format) ?? DEFAULT_CELL.background;
    else if (key === 'numberFormat') {
      const nf = format.numberFormat;
      if (nf && !nf.pattern && nf.type !== 'TEXT') throw notEmulated(`a numberFormat of type ${nf.type} without a pattern`);
      cell.numberFormat = nf ? (nf.pattern ?? '@') : DEFAULT_CELL.numberFormat;
    } else if (key === 'textFormat') {
      for (const [k] of fieldsOf(sub, WRITABLE_TEXT_FORMAT_FIELDS, 'TextFormat (written)')) {
        if (k === 'bold') cell.fontWeight = format.textFormat?.bold ? 'bold' : 'normal';
        else cell.fontSize = format.textFormat?.fontSize ?? DEFAULT_CELL.fontSize;
      }
    } else if (key === 'verticalAlignment') {
      const v = format.verticalAlignment;
      if (v !== undefined && !['TOP', 'MIDDLE', 'BOTTOM'].includes(v)) throw new Invalid(`Invalid verticalAlignment: ${v}`);
      cell.verticalAlignment = v ? v.toLowerCase() : DEFAULT_CELL.verticalAlignment;
    } else {
      const v = format.wrapStrategy;
      if (v !== undefined && !['OVERFLOW_CELL', 'LEGACY_WRAP', 'CLIP', 'WRAP'].includes(v)) throw new Invalid(`Invalid wrapStrategy: ${v}`);
      cell.wrap = v === 'WRAP';
    }
  }
}

/** A cell's links as TextFormatRuns: none for a cell without links; a run at 0 leaves its startIndex out (proto3). */
function runsJson(cell: Readonly<CellState>): Json[] | undefined {
  const rich = cell.richText;
  if (!rich || rich._text !== cell.value || rich._links.every((l) => l === null)) return undefined;
  const out: Json[] = [];
  rich._links.forEach((link, i) => {
    if (i > 0 && (rich._links[i - 1] ?? null) === (link ?? null)) return;
    const run: Json = { format: link ? { link: { uri: link } } : {} };
    if (i > 0) run.startIndex = i;
    out.push(run);
  });
  return out;
}

/**
 * CellData.hyperlink: "A hyperlink this cell points to, if any. If the cell contains multiple hyperlinks, this field
 * will be empty" (read-only). Emulated: the link of a text cell whose whole text carries one link.
 */
function hyperlinkOf(cell: Readonly<CellState>): string | undefined {
  const rich = cell.richText;
  if (!rich || rich._text !== cell.value || !rich._text.length) return undefined;
  const first = rich._links[0] ?? null;
  return first !== null && rich._links.every((l) => l === first) ? first : undefined;
}

function ruleJson(rule: RuleImpl): Json {
  const background = rule._condition._background;
  const format: Json =
    background === null ? {} : { backgroundColor: colorOf(background), backgroundColorStyle: { rgbColor: colorOf(background) } };
  return {
    ranges: rule._ranges.map((x) => gridRangeOf(x.sheet, x.rect)),
    booleanRule: {
      condition: { type: String(rule._condition._type), values: rule._condition._values.map((v) => ({ userEnteredValue: String(v) })) },
      format,
    },
  };
}

function validationJson(dv: ValidationImpl): Json {
  const out: Json = { condition: { type: 'NUMBER_BETWEEN', values: dv._values.map((v) => ({ userEnteredValue: String(v) })) } };
  if (dv._helpText !== null) out.inputMessage = dv._helpText;
  if (!dv._allowInvalid) out.strict = true;
  return out;
}

/**
 * The `Sheets` global of a script with the Sheets advanced service enabled. Each method call is counted in the
 * call log as `Sheets.Spreadsheets.get`, `Sheets.Spreadsheets.batchUpdate` or `Sheets.Spreadsheets.Values.batchGet`,
 * with the UTF-8 bytes of its request JSON (the arguments) and of its response JSON.
 */
export function createSheetsService(ctx: Ctx, ss: SpreadsheetImpl, app: SpreadsheetAppImpl): SheetsService {
  const api = new SheetsApi(ctx, ss, app);
  const method =
    <A extends unknown[], R>(name: string, rest: string, run: (...args: A) => Json) =>
    (...args: A): R =>
      api.call(name, rest, args, () => run(...args)) as R;
  /** A method of the service the add-on does not use: authorisation first (as every call), then not emulated. */
  const absent = (name: string, rest: string) =>
    method(name, rest, () => {
      throw notEmulated(name);
    });
  return Object.freeze({
    Spreadsheets: Object.freeze({
      get: method('Sheets.Spreadsheets.get', 'sheets.spreadsheets.get', (id: string, args?: GetArgs) => api.get(id, args)),
      batchUpdate: method(
        'Sheets.Spreadsheets.batchUpdate',
        'sheets.spreadsheets.batchUpdate',
        (resource: GoogleAppsScript.Sheets.Schema.BatchUpdateSpreadsheetRequest, id: string) => api.batchUpdate(resource, id),
      ),
      Values: Object.freeze({
        batchGet: method('Sheets.Spreadsheets.Values.batchGet', 'sheets.spreadsheets.values.batchGet', (id: string, args?: BatchGetArgs) =>
          api.batchGet(id, args),
        ),
        get: absent('Sheets.Spreadsheets.Values.get', 'sheets.spreadsheets.values.get'),
        update: absent('Sheets.Spreadsheets.Values.update', 'sheets.spreadsheets.values.update'),
        append: absent('Sheets.Spreadsheets.Values.append', 'sheets.spreadsheets.values.append'),
        batchUpdate: absent('Sheets.Spreadsheets.Values.batchUpdate', 'sheets.spreadsheets.values.batchUpdate'),
      }),
    }),
  }) as SheetsService;
}
