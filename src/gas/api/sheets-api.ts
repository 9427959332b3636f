/**
 * Whole-workbook reads and writes through the Sheets advanced service (Sheets API v4), in the shapes the core reads
 * today from SpreadsheetApp: a sheet's data range as getDataRange().getValues() gives it, its formulas, notes,
 * backgrounds and merges; writes as a few batchUpdate calls, each under the recommended 2 MB.
 *
 * What the API gives and what the core gets (references: https://developers.google.com/apps-script/advanced/sheets,
 * https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchGet,
 * https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/get, ValueRange, CellData, GridRange):
 * - values.batchGet with UNFORMATTED_VALUE and SERIAL_NUMBER dates: rows with trailing empty cells left out, trailing
 *   empty rows left out, no `values` at all for an empty sheet → a rectangle padded with '' (at least 1 × 1, as
 *   getDataRange gives A1 on an empty sheet); numbers, strings and booleans as they are, a formula's error as its
 *   text ("#DIV/0!").
 * - Dates: the API gives a date as a serial number (days since 30 December 1899, in the spreadsheet's time zone),
 *   indistinguishable from a number. Decided: unless told otherwise (`dates: false`) the read also asks, in the
 *   spreadsheets.get call, for each cell's effective number format type, and a number shown as DATE, TIME or
 *   DATE_TIME becomes the Date getValues would give (that wall-clock time in the spreadsheet's time zone); so a date
 *   typed into a score cell stays a date to the engine, never a score of 46,000.
 * - spreadsheets.get with a fields mask and the sheets' ranges: formulas (userEnteredValue.formulaValue), notes,
 *   own backgrounds (userEnteredFormat.backgroundColor; none means white, as getBackgrounds says '#ffffff'), merges
 *   (0-based half-open GridRanges → the core's {row 1-based, col 0-based, numRows, numCols}); fields left out of the
 *   response (an index or colour component equal to 0, an empty cell's `{}`) read as their defaults.
 * The advanced service needs the user's authorisation: never call these from a simple trigger.
 */
import type { MergedArea } from '../../core/engine/table';
import { normalizeLabel } from '../../core/engine/text';
import { a1OfBox, boxOfGridRange, hexOfColor, quotedTitle, type Request, utf8Length } from './requests';

type CellData = GoogleAppsScript.Sheets.Schema.CellData;

/** A cell as getValues gives it. */
export type CellValue = string | number | boolean | Date;

/** The Sheets advanced service, or a clear error when the project does not enable it (appsscript.json). */
export function sheetsService(): GoogleAppsScript.Sheets {
  if (typeof Sheets === 'undefined' || !Sheets) {
    throw new Error('Chưa bật dịch vụ nâng cao Google Sheets API cho tiện ích (appsscript.json, enabledAdvancedServices).');
  }
  return Sheets;
}

// ---- the listing -------------------------------------------------------------------------------

export interface SheetInfo {
  sheetId: number;
  title: string;
  index: number;
  rowCount: number;
  columnCount: number;
  frozenRowCount: number;
}

/**
 * Every sheet of the spreadsheet, in order, from one call: ids, titles and sizes. `sizesOf` names the sheets whose sizes
 * the caller uses (default: all), so a run need not read its listing again for a log that grew meanwhile.
 */
export function listSheets(spreadsheetId: string, parts?: { sizesOf?: readonly string[] }): SheetInfo[];
/** The same listing, with each sheet's protections (still one call). */
export function listSheets(
  spreadsheetId: string,
  parts: { protections: true; sizesOf?: readonly string[] },
): (SheetInfo & { protections: ProtectionInfo[] })[];
export function listSheets(
  spreadsheetId: string,
  parts: { protections?: boolean; sizesOf?: readonly string[] } = {},
): (SheetInfo & { protections?: ProtectionInfo[] })[] {
  const run = runReadsOf(spreadsheetId);
  if (run) return listingOf(run, !!parts.protections, parts.sizesOf?.map(normalizeLabel) ?? 'all').map((s) => ({ ...s }));
  return fetchListing(spreadsheetId, !!parts.protections).listing;
}

/** One spreadsheets.get: the sheets (with their protections when asked) and the spreadsheet's time zone. */
function fetchListing(spreadsheetId: string, protections: boolean): { listing: ListedSheet[]; timeZone: string } {
  const fields = `properties.timeZone,sheets(properties(sheetId,title,index,gridProperties)${protections ? ',protectedRanges' : ''})`;
  const res = sheetsService().Spreadsheets.get(spreadsheetId, { fields });
  const listing = (res.sheets ?? []).map((s, i) => {
    const p = s.properties ?? {};
    const grid = p.gridProperties ?? {};
    const info: ListedSheet = {
      sheetId: p.sheetId ?? 0,
      title: p.title ?? '',
      index: p.index ?? i,
      rowCount: grid.rowCount ?? 0,
      columnCount: grid.columnCount ?? 0,
      frozenRowCount: grid.frozenRowCount ?? 0,
    };
    if (protections) info.protections = (s.protectedRanges ?? []).map(protectionInfo);
    return info;
  });
  return { listing, timeZone: res.properties?.timeZone ?? '' };
}

type ListedSheet = SheetInfo & { protections?: ProtectionInfo[] };

// ---- one read per run --------------------------------------------------------------------------

/**
 * What a run has read, shared by its steps (the daily run's reminders, snapshot, lock and refresh read the same
 * sheets): the listing with the protections and the time zone from one get, and each sheet's values (with dates) from
 * one values.batchGet and one get. It lives only while withRunReads runs (one execution), and forgets what writes make
 * stale: batchWrite forgets the values of the sheets whose cells it changes and, when it changes sheets or
 * protections, the listing; a sheet added through SpreadsheetApp is announced with sheetsChanged().
 */
interface RunReads {
  id: string;
  listing: ListedSheet[] | null;
  withProtections: boolean;
  /** Sheets grown by appended rows (appendCells says not by how many): the listing is read again for their sizes. */
  sizesUnknown: Set<number>;
  timeZone: string | null;
  /** By lower-cased title: the values as read (serial numbers), and with dates once the date types were read. */
  grids: Map<string, { raw: CellValue[][]; dated?: CellValue[][] }>;
}

let runReads: RunReads | null = null;

function runReadsOf(spreadsheetId: string): RunReads | null {
  return runReads && runReads.id === spreadsheetId ? runReads : null;
}

/** Runs `fn` with the reads of spreadsheet `spreadsheetId` shared between its steps (see RunReads). */
export function withRunReads<T>(spreadsheetId: string, fn: () => T): T {
  const outer = runReads;
  runReads = { id: spreadsheetId, listing: null, withProtections: false, sizesUnknown: new Set(), timeZone: null, grids: new Map() };
  try {
    return fn();
  } finally {
    runReads = outer;
  }
}

/** The time zone from the run's listing (one get for both), or null outside withRunReads. */
export function runTimeZone(ss: { getId(): string }): string | null {
  const run = runReads && runReadsOf(ss.getId());
  if (!run) return null;
  if (run.timeZone === null) listingOf(run, false);
  return run.timeZone || null;
}

/** Whose sizes a caller uses: every sheet's, none, or those of the sheets named (normalised labels). */
type Sizes = 'all' | 'none' | readonly string[];

/**
 * The run's listing, read when the run has none or it went stale, with the time zone; the protections (large: every
 * editor and open range) only when asked, and then kept for the next steps.
 */
function listingOf(run: RunReads, protections: boolean, sizes: Sizes = 'all'): ListedSheet[] {
  const unsure = (s: ListedSheet) => run.sizesUnknown.has(s.sheetId) && (sizes === 'all' || sizes.includes(normalizeLabel(s.title)));
  if (!run.listing || (protections && !run.withProtections) || (sizes !== 'none' && run.listing.some(unsure))) {
    const fetched = fetchListing(run.id, protections);
    run.listing = fetched.listing;
    run.timeZone = fetched.timeZone;
    run.withProtections = protections;
    run.sizesUnknown.clear();
  }
  return protections ? run.listing : run.listing.map(({ protections: _, ...s }) => s);
}

/** The values of sheet `title` as the run read them (serial-number dates), or null when it did not (or outside a run). */
export function runValues(spreadsheetId: string, title: string): readonly (readonly CellValue[])[] | null {
  return runReadsOf(spreadsheetId)?.grids.get(title.toLowerCase())?.raw ?? null;
}

/** A sheet's id and title. */
export type NamedSheet = Pick<SheetInfo, 'sheetId' | 'title'>;

/** The run's sheets by id and title, or null outside withRunReads: sheets found by name without a read. */
export function runListing(ss: { getId(): string }): NamedSheet[] | null {
  // Outside a run, not even the id is asked for.
  const run = runReads && runReadsOf(ss.getId());
  return run ? listingOf(run, false, 'none').map(({ sheetId, title }) => ({ sheetId, title })) : null;
}

/** A sheet was added, removed or renamed outside batchWrite (SpreadsheetApp): the run's listing is read again. */
export function sheetsChanged(): void {
  if (runReads) runReads.listing = null;
}

function copyGrid(g: readonly (readonly CellValue[])[]): CellValue[][] {
  return g.map((r) => r.map((v) => (v instanceof Date ? new Date(v.getTime()) : v)));
}

// ---- reading -----------------------------------------------------------------------------------

/** What to read besides the values (always read). */
export interface ReadParts {
  formulas?: boolean;
  notes?: boolean;
  backgrounds?: boolean;
  merges?: boolean;
  /** Dates read as Date (default true; false leaves them as serial numbers and may save the get call). */
  dates?: boolean;
  protections?: boolean;
  rules?: boolean;
  /**
   * Read now even inside a run that read these sheets already: what is written from the read must be current (a person
   * may have typed since the run's first read, which took no lock against them).
   */
  fresh?: boolean;
}

export interface ProtectionInfo {
  id: number;
  description: string;
  /** A1 range, or null for the whole sheet. */
  range: string | null;
  /** Who may edit; null when the protection does not let the person running the add-on see them. */
  editors: string[] | null;
  domainEdit: boolean;
  /** Ranges left open in a whole-sheet protection (A1). */
  unprotected: string[];
}

export interface RuleInfo {
  /** Its place among the sheet's rules (for deleteRuleRequests). */
  index: number;
  ranges: string[];
  /** The custom formula, or null for another kind of condition. */
  formula: string | null;
  /** '#rrggbb', or null when the rule sets no background. */
  background: string | null;
}

/** One sheet as the core reads it: every grid is the data range's shape (values' height × width). */
export interface SheetGrids {
  title: string;
  values: CellValue[][];
  /** The sheet's number of columns (when anything besides the values was read). */
  columnCount?: number;
  formulas?: string[][];
  notes?: string[][];
  backgrounds?: string[][];
  /** Merged areas meeting the data range (as getDataRange().getMergedRanges()). */
  merges?: MergedArea[];
  protections?: ProtectionInfo[];
  rules?: RuleInfo[];
}

const DAY_MS = 86400000;
const SERIAL_EPOCH = Date.UTC(1899, 11, 30);
const DATE_TYPES = new Set(['DATE', 'TIME', 'DATE_TIME']);
const WHITE = '#ffffff';

/** The get call's fields mask for the parts asked. */
function detailMask(parts: ReadParts): string | null {
  const cell = [
    parts.formulas && 'userEnteredValue.formulaValue',
    parts.notes && 'note',
    parts.backgrounds && 'userEnteredFormat.backgroundColor',
    parts.dates !== false && 'effectiveFormat.numberFormat.type',
  ].filter(Boolean);
  const sheet = [
    'properties(title,gridProperties.columnCount)',
    parts.merges && 'merges',
    parts.protections && 'protectedRanges',
    parts.rules && 'conditionalFormats',
    cell.length && `data.rowData.values(${cell.join(',')})`,
  ].filter(Boolean);
  return sheet.length > 1 ? `sheets(${sheet.join(',')})` : null;
}

/**
 * Values of A1 ranges (a quoted title reads the whole sheet) from one values.batchGet, each padded to a rectangle.
 * `FORMULA` gives each cell's formula in place of its value (a value cell as with UNFORMATTED_VALUE).
 */
export function readValueGrids(
  spreadsheetId: string,
  ranges: readonly string[],
  render: 'UNFORMATTED_VALUE' | 'FORMULA' = 'UNFORMATTED_VALUE',
): CellValue[][][] {
  if (!ranges.length) return [];
  const valueRanges =
    sheetsService().Spreadsheets.Values.batchGet(spreadsheetId, {
      ranges: [...ranges],
      valueRenderOption: render,
      dateTimeRenderOption: 'SERIAL_NUMBER',
    }).valueRanges ?? [];
  return ranges.map((_, i) => {
    const rows = (valueRanges[i]?.values ?? []) as unknown[][];
    const height = Math.max(1, rows.length);
    const width = Math.max(1, ...rows.map((r) => r.length));
    return grid<CellValue>(height, width, (r, c) => (rows[r]?.[c] ?? '') as CellValue);
  });
}

/**
 * The sheets named `titles` (existing sheets, e.g. from listSheets), read in one values.batchGet and, when formulas,
 * notes, backgrounds, merges, protections, rules or dates are asked for, one spreadsheets.get. `timeZone` is the
 * spreadsheet's (read once per run), for dates. `known` values (read before in the same run) save the batchGet: the
 * details then take their shape, and their dates are converted in place.
 */
export function readSheets(
  spreadsheetId: string,
  titles: readonly string[],
  parts: ReadParts,
  timeZone: string,
  known?: readonly CellValue[][][],
): SheetGrids[] {
  const run = runReadsOf(spreadsheetId);
  if (!run || known || parts.fresh || !titles.length) return readSheetsNow(spreadsheetId, titles, parts, timeZone, known);
  const key = (t: string) => t.toLowerCase();
  const missing = titles.filter((t) => !run.grids.has(key(t)));
  readValueGrids(spreadsheetId, missing.map(quotedTitle)).forEach((raw, i) => run.grids.set(key(missing[i]), { raw }));
  const cached = titles.map((t) => run.grids.get(key(t)) as { raw: CellValue[][]; dated?: CellValue[][] });
  const mask = detailMask(parts);
  if (mask === null) return titles.map((title, i) => ({ title, values: copyGrid(cached[i].raw) }));
  if (mask !== detailMask({})) {
    return readSheetsNow(
      spreadsheetId,
      titles,
      parts,
      timeZone,
      cached.map((c) => copyGrid(c.raw)),
    );
  }
  // Values with dates: the date types of the sheets not yet dated, in one get.
  const undated = cached.flatMap((c, i) => (c.dated ? [] : [i]));
  const dated = readSheetsNow(
    spreadsheetId,
    undated.map((i) => titles[i]),
    parts,
    timeZone,
    undated.map((i) => copyGrid(cached[i].raw)),
  );
  undated.forEach((i, k) => {
    cached[i].dated = dated[k].values;
  });
  return titles.map((title, i) => ({ title, values: copyGrid(cached[i].dated as CellValue[][]) }));
}

/** readSheets without the run's shared reads. */
function readSheetsNow(
  spreadsheetId: string,
  titles: readonly string[],
  parts: ReadParts,
  timeZone: string,
  known?: readonly CellValue[][][],
): SheetGrids[] {
  if (!titles.length) return [];
  const api = sheetsService().Spreadsheets;
  const ranges = titles.map(quotedTitle);
  const valueGrids = known ?? readValueGrids(spreadsheetId, ranges);
  const mask = detailMask(parts);
  const details = mask ? (api.get(spreadsheetId, { ranges, fields: mask }).sheets ?? []) : [];
  const byTitle = new Map(details.map((s) => [(s.properties?.title ?? '').toLowerCase(), s]));
  const toDate = dateConverter(timeZone);
  return titles.map((title, i) => {
    const values = valueGrids[i];
    const height = values.length;
    const width = values[0].length;
    const detail = byTitle.get(title.toLowerCase());
    if (mask && !detail) throw new Error(`Không đọc được chi tiết của trang "${title}".`);
    const cells = detail?.data?.[0]?.rowData ?? [];
    const cellAt = (r: number, c: number): CellData => cells[r]?.values?.[c] ?? {};
    const out: SheetGrids = { title, values };
    const columns = detail?.properties?.gridProperties?.columnCount;
    if (columns !== undefined) out.columnCount = columns;
    if (parts.dates !== false) {
      for (let r = 0; r < Math.min(height, cells.length); r++) {
        for (let c = 0; c < width; c++) {
          const type = cellAt(r, c).effectiveFormat?.numberFormat?.type;
          if (typeof values[r][c] === 'number' && type && DATE_TYPES.has(type)) values[r][c] = toDate(values[r][c] as number);
        }
      }
    }
    if (parts.formulas) out.formulas = grid(height, width, (r, c) => cellAt(r, c).userEnteredValue?.formulaValue ?? '');
    if (parts.notes) out.notes = grid(height, width, (r, c) => cellAt(r, c).note ?? '');
    if (parts.backgrounds) {
      out.backgrounds = grid(height, width, (r, c) => {
        const color = cellAt(r, c).userEnteredFormat?.backgroundColor;
        return color ? hexOfColor(color) : WHITE;
      });
    }
    if (parts.merges) {
      out.merges = (detail?.merges ?? []).map((m) => boxOfGridRange(m)).filter((m) => m.row <= height && m.col < width);
    }
    if (parts.protections) out.protections = (detail?.protectedRanges ?? []).map(protectionInfo);
    if (parts.rules) out.rules = (detail?.conditionalFormats ?? []).map(ruleInfo);
    return out;
  });
}

/** A text cell's rich text, as RichTextValue gives it: its text and its runs, each with its link (null for none). */
export interface RichText {
  text: string;
  runs: { start: number; end: number; url: string | null }[];
}

/** What readCells gives of one range: its sheet, and the cells from the range's top-left one. */
export interface CellsRead {
  title: string;
  sheetId: number;
  rowCount: number;
  columnCount: number;
  /**
   * Values as getValues gives them over the range's used part (for a whole sheet, its data range): trailing empty rows
   * and columns left out, at least 1 × 1, dates as Date; a formula's error as its text ("#DIV/0!").
   */
  values: CellValue[][];
  /** Formulas in the values' shape ('' for none). */
  formulas: string[][];
  /** Rich text in the values' shape, when asked: null for a cell not holding text, or holding a formula. */
  richText?: (RichText | null)[][];
  /**
   * Whether the person running the script may edit every protected range of the sheet (none: true), from
   * ProtectedRange.requestingUserCanEdit, which the API shows only to those who may edit the range.
   */
  canEdit?: boolean;
}

/**
 * ErrorValue types as the sheet shows them (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#ErrorValue);
 * ERROR and any other type show as "#ERROR!".
 */
const ERROR_TEXT: Readonly<Record<string, string>> = {
  NULL_VALUE: '#NULL!',
  DIVIDE_BY_ZERO: '#DIV/0!',
  VALUE: '#VALUE!',
  REF: '#REF!',
  NAME: '#NAME?',
  NUM: '#NUM!',
  N_A: '#N/A',
};

/**
 * One spreadsheets.get for everything a small write needs: the spreadsheet's time zone and, for each A1 range (one
 * per sheet; a quoted title reads the whole sheet), its sheet's id and size and the range's cells — values from
 * effectiveValue (a number shown as a date becomes a Date, as readSheets does), formulas, and when asked rich text
 * (CellData.textFormatRuns with their TextFormat.link.uri, or a whole-cell `hyperlink`) and whether the person may
 * edit the sheet's protected ranges. Ranges of sheets that do not exist are refused by the API ("Unable to parse
 * range"): the caller names existing sheets. References: spreadsheets/get, CellData, TextFormatRun, ProtectedRange
 * (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/cells#CellData, .../sheets#ProtectedRange).
 */
export function readCells(
  spreadsheetId: string,
  ranges: readonly string[],
  parts: { richText?: boolean; protections?: boolean } = {},
): { timeZone: string; ranges: CellsRead[] } {
  const cell = [
    'effectiveValue',
    'userEnteredValue.formulaValue',
    'effectiveFormat.numberFormat.type',
    parts.richText && 'textFormatRuns',
    parts.richText && 'hyperlink',
  ].filter(Boolean);
  const sheet = [
    'properties(sheetId,title,gridProperties(rowCount,columnCount))',
    parts.protections && 'protectedRanges.requestingUserCanEdit',
    `data(startRow,startColumn,rowData.values(${cell.join(',')}))`,
  ].filter(Boolean);
  const fields = `properties.timeZone,sheets(${sheet.join(',')})`;
  const res = sheetsService().Spreadsheets.get(spreadsheetId, { ranges: [...ranges], fields });
  const timeZone = res.properties?.timeZone || 'Asia/Ho_Chi_Minh';
  const toDate = dateConverter(timeZone);
  const sheets = res.sheets ?? [];
  // The API gives each sheet once, its GridData in the order of its ranges: one range per sheet here.
  const out = ranges.map((range) => {
    const title = titleOfRange(range);
    const s = sheets.find((x) => (x.properties?.title ?? '').toLowerCase() === title.toLowerCase());
    if (!s) throw new Error(`Không đọc được trang "${title}".`);
    const p = s.properties ?? {};
    const rows = s.data?.[0]?.rowData ?? [];
    const cellAt = (r: number, c: number): CellData => rows[r]?.values?.[c] ?? {};
    let height = 0;
    let width = 0;
    rows.forEach((row, r) =>
      (row.values ?? []).forEach((x, c) => {
        if (x.effectiveValue || x.userEnteredValue?.formulaValue) {
          height = Math.max(height, r + 1);
          width = Math.max(width, c + 1);
        }
      }),
    );
    height = Math.max(1, height);
    width = Math.max(1, width);
    const values = grid<CellValue>(height, width, (r, c) => valueOfCell(cellAt(r, c), toDate));
    const read: CellsRead = {
      title: p.title ?? title,
      sheetId: p.sheetId ?? 0,
      rowCount: p.gridProperties?.rowCount ?? 0,
      columnCount: p.gridProperties?.columnCount ?? 0,
      values,
      formulas: grid(height, width, (r, c) => cellAt(r, c).userEnteredValue?.formulaValue ?? ''),
    };
    if (parts.richText) read.richText = grid(height, width, (r, c) => richTextOf(cellAt(r, c)));
    if (parts.protections) read.canEdit = (s.protectedRanges ?? []).every((x) => x.requestingUserCanEdit === true);
    return read;
  });
  return { timeZone, ranges: out };
}

/** The sheet's title in an A1 range ("'Đơn vị 1'!A1" → Đơn vị 1, "Sheet1!A1" → Sheet1). */
function titleOfRange(range: string): string {
  const m = /^'((?:[^']|'')*)'/.exec(range);
  if (m) return m[1].replace(/''/g, "'");
  const bang = range.indexOf('!');
  return bang < 0 ? range : range.slice(0, bang);
}

/** A cell's effective value as getValues gives it. */
function valueOfCell(cell: CellData, toDate: (serial: number) => Date): CellValue {
  const v = cell.effectiveValue;
  if (!v) return '';
  if (v.numberValue !== undefined) {
    const type = cell.effectiveFormat?.numberFormat?.type;
    return type && DATE_TYPES.has(type) ? toDate(v.numberValue) : v.numberValue;
  }
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.errorValue) return ERROR_TEXT[v.errorValue.type ?? ''] ?? '#ERROR!';
  return v.stringValue ?? '';
}

/** A text cell's rich text: its runs ("a run continues until the next run"), else its whole-cell link, else one plain run. */
function richTextOf(cell: CellData): RichText | null {
  const text = cell.effectiveValue?.stringValue;
  if (text === undefined || cell.userEnteredValue?.formulaValue) return null;
  const runs = (cell.textFormatRuns ?? []).map((r, i, all) => ({
    start: r.startIndex ?? 0,
    end: all[i + 1]?.startIndex ?? text.length,
    url: r.format?.link?.uri ?? null,
  }));
  if (runs.length) return { text, runs };
  return { text, runs: text ? [{ start: 0, end: text.length, url: cell.hyperlink ?? null }] : [] };
}

function grid<T>(height: number, width: number, f: (r: number, c: number) => T): T[][] {
  return Array.from({ length: height }, (_, r) => Array.from({ length: width }, (_, c) => f(r, c)));
}

function protectionInfo(p: GoogleAppsScript.Sheets.Schema.ProtectedRange): ProtectionInfo {
  const range = p.range ?? {};
  const whole = [range.startRowIndex, range.endRowIndex, range.startColumnIndex, range.endColumnIndex].every((v) => v === undefined);
  return {
    id: p.protectedRangeId ?? 0,
    description: p.description ?? '',
    range: whole ? null : a1OfBox(boxOfGridRange(range)),
    editors: p.editors ? [...(p.editors.users ?? [])] : null,
    domainEdit: !!p.editors?.domainUsersCanEdit,
    unprotected: (p.unprotectedRanges ?? []).map((r) => a1OfBox(boxOfGridRange(r))),
  };
}

function ruleInfo(rule: GoogleAppsScript.Sheets.Schema.ConditionalFormatRule, index: number): RuleInfo {
  const condition = rule.booleanRule?.condition;
  const format = rule.booleanRule?.format;
  const color = format?.backgroundColorStyle?.rgbColor ?? format?.backgroundColor;
  return {
    index,
    ranges: (rule.ranges ?? []).map((r) => a1OfBox(boxOfGridRange(r))),
    formula: condition?.type === 'CUSTOM_FORMULA' ? (condition.values?.[0]?.userEnteredValue ?? null) : null,
    background: color ? hexOfColor(color) : null,
  };
}

/**
 * Serial number → the Date getValues gives: that wall-clock time in the spreadsheet's time zone. The zone's offset
 * comes from Utilities.formatDate (no Intl time zones needed), looked up at a first guess and once more at the
 * instant found (a daylight-saving change in between); one serial is converted once per read.
 */
function dateConverter(timeZone: string): (serial: number) => Date {
  const cache = new Map<number, Date>();
  const wallOf = (t: number): number => {
    const [y, mo, d, h, mi, s] = Utilities.formatDate(new Date(t), timeZone, 'yyyy-MM-dd-HH-mm-ss').split('-').map(Number);
    return Date.UTC(y, mo - 1, d, h, mi, s) + (((t % 1000) + 1000) % 1000);
  };
  return (serial) => {
    let date = cache.get(serial);
    if (!date) {
      const wall = SERIAL_EPOCH + Math.round(serial * DAY_MS);
      const first = wall - (wallOf(wall) - wall);
      date = new Date(wall - (wallOf(first) - first));
      cache.set(serial, date);
    }
    return new Date(date.getTime());
  };
}

// ---- writing -----------------------------------------------------------------------------------

/** The payload Google recommends at most for one request (https://developers.google.com/sheets/api/limits). */
export const MAX_BATCH_BYTES = 2_000_000;

/** Bytes of the batchUpdate body `{"requests":[…]}` around the requests. */
const BODY_BYTES = utf8Length('{"requests":[]}');

/**
 * Sends the requests in as few batchUpdate calls as fit under `limitBytes` each, in order. A group (the requests of
 * one sheet's protections, say) goes into one call whenever it fits in one, so it is applied all or nothing; a
 * group larger than a call is split between requests, and an updateCells larger than a call between rows. Returns
 * the replies, one per request sent, in order.
 */
export function batchWrite(
  spreadsheetId: string,
  groups: readonly (readonly Request[])[],
  limitBytes: number = MAX_BATCH_BYTES,
): GoogleAppsScript.Sheets.Schema.Response[] {
  const replies: GoogleAppsScript.Sheets.Schema.Response[] = [];
  const run = runReadsOf(spreadsheetId);
  // Titles by id before any batch drops the listing (the values are kept by title).
  const titles = new Map((run?.listing ?? []).map((s) => [s.sheetId, s.title.toLowerCase()]));
  for (const batch of packBatches(groups, limitBytes)) {
    // Forgotten before the call: a call refused part way may still have changed nothing or everything.
    if (run) forgetWritten(run, titles, batch);
    const res = sheetsService().Spreadsheets.batchUpdate({ requests: batch }, spreadsheetId);
    replies.push(...(res.replies ?? batch.map(() => ({}))));
  }
  return replies;
}

/** Requests that change neither a cell's value nor the listing (sheets, sizes, protections). */
const KEEPS_ALL = new Set([
  'addConditionalFormatRule',
  'updateConditionalFormatRule',
  'deleteConditionalFormatRule',
  'setDataValidation',
  'updateDimensionProperties',
  'updateBorders',
]);
/** Requests that change the listing but no cell's value. */
const KEEPS_VALUES = new Set(['addProtectedRange', 'updateProtectedRange', 'deleteProtectedRange', 'addSheet', 'appendDimension']);

/**
 * What `requests` make stale in the run's reads: the values of every sheet a request that may change values names
 * (all of them when it names none the listing knows), and the listing for any request but a cell or rule write.
 * Cautious by design: forgetting too much costs a read, keeping too much would give a step stale values.
 */
function forgetWritten(run: RunReads, titles: Map<number, string>, requests: readonly Request[]): void {
  for (const request of requests) {
    for (const [kind, body] of Object.entries(request)) {
      const fields = String((body as { fields?: unknown } | undefined)?.fields ?? '');
      const cells = kind === 'updateCells' || kind === 'repeatCell';
      if (KEEPS_ALL.has(kind) || (cells && !/userEnteredValue|\*/.test(fields))) continue;
      const grid =
        kind === 'updateSheetProperties' ? patchGrid(run, body as GoogleAppsScript.Sheets.Schema.UpdateSheetPropertiesRequest) : null;
      if (!KEEPS_VALUES.has(kind) && grid !== 'grown') forgetValues(run, titles, sheetIdsIn(body));
      if (cells) continue;
      if (kind.endsWith('ProtectedRange')) run.withProtections = false;
      else if (kind === 'addSheet') addListed(run, titles, body as GoogleAppsScript.Sheets.Schema.AddSheetRequest);
      else if (kind === 'appendCells') for (const id of sheetIdsIn(body)) run.sizesUnknown.add(id);
      else if (grid === null) run.listing = null;
    }
  }
}

/** A sheet added with its id given joins the run's listing (a new sheet is 1,000 × 26 unless told); else it is read again. */
function addListed(run: RunReads, titles: Map<number, string>, body: GoogleAppsScript.Sheets.Schema.AddSheetRequest): void {
  const p = body.properties ?? {};
  const grid = p.gridProperties ?? {};
  // Its cells written in the same batch are known to be its own (no values of it were read).
  if (p.sheetId !== undefined) titles.set(p.sheetId, (p.title ?? '').toLowerCase());
  if (!run.listing || p.sheetId === undefined || p.index !== undefined) {
    run.listing = null;
    return;
  }
  run.listing.push({
    sheetId: p.sheetId,
    title: p.title ?? '',
    index: run.listing.length,
    rowCount: grid.rowCount ?? 1000,
    columnCount: grid.columnCount ?? 26,
    frozenRowCount: grid.frozenRowCount ?? 0,
    ...(run.withProtections && { protections: [] }),
  });
}

/**
 * A sheet's new size or frozen rows written into the run's listing: 'grown' when no row or column went (the values
 * stay), 'shrunk' when some did; null when the request changes more than that (the listing is read again).
 */
function patchGrid(run: RunReads, body: GoogleAppsScript.Sheets.Schema.UpdateSheetPropertiesRequest): 'grown' | 'shrunk' | null {
  const fields = String(body.fields ?? '').split(',');
  const entry = run.listing?.find((s) => s.sheetId === (body.properties?.sheetId ?? 0));
  const grid = body.properties?.gridProperties ?? {};
  const keys = ['rowCount', 'columnCount', 'frozenRowCount'] as const;
  if (!entry || !fields.every((f) => keys.some((k) => f === `gridProperties.${k}`))) return null;
  let shrunk = false;
  for (const k of keys) {
    if (!fields.includes(`gridProperties.${k}`)) continue;
    const v = grid[k] ?? 0;
    if (k !== 'frozenRowCount' && v < entry[k]) shrunk = true;
    entry[k] = v;
  }
  return shrunk ? 'shrunk' : 'grown';
}

function forgetValues(run: RunReads, titles: ReadonlyMap<number, string>, ids: readonly number[]): void {
  const known = ids.map((id) => titles.get(id));
  if (!known.length || known.some((t) => t === undefined)) run.grids.clear();
  else for (const t of known) run.grids.delete(t as string);
}

/** Every sheetId named in a request's body (ranges, properties, coordinates), a few levels deep. */
function sheetIdsIn(body: unknown, depth = 0): number[] {
  if (!body || typeof body !== 'object' || depth > 4) return [];
  return Object.entries(body).flatMap(([k, v]) => (k === 'sheetId' && typeof v === 'number' ? [v] : sheetIdsIn(v, depth + 1)));
}

/** The batches batchWrite sends (pure; exported for tests). */
export function packBatches(groups: readonly (readonly Request[])[], limitBytes: number = MAX_BATCH_BYTES): Request[][] {
  const room = limitBytes - BODY_BYTES;
  const batches: Request[][] = [];
  let current: Request[] = [];
  let used = 0;
  const close = () => {
    if (current.length) batches.push(current);
    current = [];
    used = 0;
  };
  const add = (request: Request, size: number) => {
    if (used + size + (current.length ? 1 : 0) > room) close();
    used += size + (current.length ? 1 : 0);
    current.push(request);
  };
  for (const group of groups) {
    const pieces = group.flatMap((r) => splitToFit(r, room));
    const sizes = pieces.map((r) => utf8Length(JSON.stringify(r)));
    const total = sizes.reduce((a, b) => a + b, 0) + pieces.length - 1;
    // A group that fits in a call but not in what is left of this one starts the next call.
    if (total <= room && used + total + (current.length ? 1 : 0) > room) close();
    pieces.forEach((r, i) => add(r, sizes[i]));
  }
  close();
  return batches;
}

/** A request cut so that each piece fits in `room` bytes: an updateCells over a range is cut between rows. */
function splitToFit(request: Request, room: number): Request[] {
  if (utf8Length(JSON.stringify(request)) <= room) return [request];
  const update = request.updateCells;
  const rows = update?.rows ?? [];
  const range = update?.range;
  if (!update || !range || rows.length < 2 || range.startRowIndex === undefined) {
    throw new Error(`Một yêu cầu ghi lớn hơn ${room} byte và không chia nhỏ được.`);
  }
  const half = Math.ceil(rows.length / 2);
  const start = range.startRowIndex;
  const part = (from: number, to: number): Request => ({
    updateCells: { ...update, rows: rows.slice(from, to), range: { ...range, startRowIndex: start + from, endRowIndex: start + to } },
  });
  return [...splitToFit(part(0, half), room), ...splitToFit(part(half, rows.length), room)];
}
