/**
 * In-memory Spreadsheet service: SpreadsheetApp, Spreadsheet, Sheet, Range, RangeList, Protection,
 * DataValidation(+Builder), RichTextValue(+Builder), EmbeddedChart(+Builder),
 * ConditionalFormatRule(+Builder), BooleanCondition, Color.
 * https://developers.google.com/apps-script/reference/spreadsheet
 *
 * Cells are stored sparsely per sheet. Every cell has: value, formula, note, formats (background,
 * font weight and size, number format, vertical alignment, wrap), data validation and rich text.
 * Formulas are computed by one HyperFormula engine per spreadsheet (formulas.ts), told of every
 * change of a cell's content. Writes made by the code under test go through the same checks as in
 * Sheets: array dimensions, protections (for the user the script runs as), merges.
 */

import { type Rect, parseA1, rectContains, rectInside, rectToA1, rectsIntersect } from './a1';
import {
  type Ctx,
  type EnumValue,
  GasObject,
  UserImpl,
  emailOf,
  gasError,
  isDate,
  isEnumOf,
  makeEnum,
  notEmulated,
  requireAuth,
  signatureError,
} from './core';
import { FormulaEngine, type FormulaResult, engineFormula, refersToOtherSheet, shiftFormula } from './formulas';
import { type SpreadsheetLocale, TextReader } from './locale';
import type { UiImpl } from './ui';

// ---------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------

/** https://developers.google.com/apps-script/reference/spreadsheet/protection-type */
const ProtectionType = makeEnum(['RANGE', 'SHEET'] as const);
/** https://developers.google.com/apps-script/reference/charts/chart-type */
export const ChartType = makeEnum([
  'AREA',
  'BAR',
  'BUBBLE',
  'CANDLESTICK',
  'COLUMN',
  'COMBO',
  'GAUGE',
  'GEO',
  'HISTOGRAM',
  'LINE',
  'ORG',
  'PIE',
  'RADAR',
  'SCATTER',
  'SPARKLINE',
  'STEPPED_AREA',
  'TABLE',
  'TIMELINE',
  'TREE_MAP',
  'WATERFALL',
] as const);
/** https://developers.google.com/apps-script/reference/spreadsheet/boolean-criteria */
const BooleanCriteria = makeEnum([
  'CELL_EMPTY',
  'CELL_NOT_EMPTY',
  'DATE_AFTER',
  'DATE_BEFORE',
  'DATE_EQUAL_TO',
  'DATE_NOT_EQUAL_TO',
  'DATE_AFTER_RELATIVE',
  'DATE_BEFORE_RELATIVE',
  'DATE_EQUAL_TO_RELATIVE',
  'NUMBER_BETWEEN',
  'NUMBER_EQUAL_TO',
  'NUMBER_GREATER_THAN',
  'NUMBER_GREATER_THAN_OR_EQUAL_TO',
  'NUMBER_LESS_THAN',
  'NUMBER_LESS_THAN_OR_EQUAL_TO',
  'NUMBER_NOT_BETWEEN',
  'NUMBER_NOT_EQUAL_TO',
  'TEXT_CONTAINS',
  'TEXT_DOES_NOT_CONTAIN',
  'TEXT_EQUAL_TO',
  'TEXT_NOT_EQUAL_TO',
  'TEXT_STARTS_WITH',
  'TEXT_ENDS_WITH',
  'CUSTOM_FORMULA',
] as const);
/** https://developers.google.com/apps-script/reference/base/color-type */
const ColorType = makeEnum(['UNSUPPORTED', 'RGB', 'THEME'] as const);

export const PROTECTED_MESSAGE =
  'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.';

// ---------------------------------------------------------------------------
// Cells
// ---------------------------------------------------------------------------

export type CellValue = string | number | boolean | Date;

export interface CellState {
  value: CellValue;
  formula: string;
  note: string;
  background: string;
  fontWeight: string;
  fontSize: number;
  numberFormat: string;
  verticalAlignment: string;
  wrap: boolean;
  dataValidation: DataValidationImpl | null;
  richText: RichTextValueImpl | null;
}

const DEFAULT_NUMBER_FORMAT = '0.###############';
/** https://developers.google.com/apps-script/reference/spreadsheet/range#setNumberFormat(String): '@' is plain text. */
const PLAIN_TEXT_FORMAT = '@';

export const DEFAULT_CELL: Readonly<CellState> = Object.freeze({
  value: '',
  formula: '',
  note: '',
  background: '#ffffff',
  fontWeight: 'normal',
  fontSize: 10,
  numberFormat: DEFAULT_NUMBER_FORMAT,
  verticalAlignment: 'bottom',
  wrap: false,
  dataValidation: null,
  richText: null,
});

type FormatKey = 'background' | 'fontWeight' | 'fontSize' | 'numberFormat' | 'verticalAlignment' | 'wrap';

/** Sheets reports colours as lower-case #rrggbb; only hex colours are emulated (no CSS colour names). */
function normalizeColor(c: string): string {
  const s = String(c).trim().toLowerCase();
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(s);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`;
  if (!/^#[0-9a-f]{6}$/.test(s)) throw notEmulated(`the colour "${c}"`);
  return s;
}

function copyValue(v: CellValue): CellValue {
  return isDate(v) ? new Date(v.getTime()) : v;
}

interface ParsedInput {
  value: CellValue;
  formula: string;
  numberFormat?: string;
}

/**
 * What a cell holds after the code (or a user) enters `raw`, like Sheets does for Range.setValue(s): `'=...'`
 * becomes a formula, `"'text"` stays text (apostrophe dropped), and text that the spreadsheet's locale reads
 * as a number, percentage, TRUE/FALSE, date or time becomes one (locale.ts) — unless the cell is formatted as
 * plain text `@`, which keeps every string as it is.
 */
export function parseInput(raw: unknown, numberFormat: string, reader: TextReader): ParsedInput {
  if (raw === null || raw === undefined) return { value: '', formula: '' };
  if (isDate(raw)) return { value: new Date(raw.getTime()), formula: '' };
  if (typeof raw === 'number' || typeof raw === 'boolean') return { value: raw, formula: '' };
  if (typeof raw !== 'string') return { value: String(raw), formula: '' };
  if (numberFormat === PLAIN_TEXT_FORMAT) return { value: raw, formula: '' };
  if (raw.length > 1 && raw.startsWith('=')) return { value: '', formula: raw };
  if (raw.startsWith("'")) return { value: raw.slice(1), formula: '' };
  const read = reader.read(raw);
  return read ? { value: read.value, formula: '', numberFormat: read.numberFormat } : { value: raw, formula: '' };
}

/**
 * Enter `raw` into a cell like Sheets does (see parseInput). A formula entered into a range reads, in
 * the cell (di, dj) away from the range's top-left, with its relative references moved as a fill
 * moves them (assumed of Range.setValue/setFormula on several cells, as the Sheets API documents it
 * for RepeatCellRequest: https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#repeatcellrequest).
 * The cell's value is computed by the spreadsheet's formula engine (the caller reports the change).
 */
export function writeInput(cell: CellState, raw: unknown, reader: TextReader, di = 0, dj = 0): void {
  const p = parseInput(raw, cell.numberFormat, reader);
  cell.value = p.value;
  cell.formula = p.formula ? checkedFormula(shiftFormula(p.formula, di, dj)) : '';
  cell.richText = null;
  if (p.numberFormat) cell.numberFormat = p.numberFormat;
}

/** A formula the emulator can compute (refused loudly otherwise, see formulas.ts). */
function checkedFormula(formula: string): string {
  engineFormula(formula);
  return formula;
}

function isEmptyCell(c: Readonly<CellState>): boolean {
  return c.value === '' && c.formula === '';
}

// ---------------------------------------------------------------------------
// Rich text — https://developers.google.com/apps-script/reference/spreadsheet/rich-text-value
// ---------------------------------------------------------------------------

export class RichTextValueImpl extends GasObject {
  readonly _cls = 'RichTextValue';
  constructor(
    ctx: Ctx,
    readonly _text: string,
    readonly _links: readonly (string | null)[],
    readonly _start = 0,
  ) {
    super(ctx);
  }
  getText(): string {
    return this._text;
  }
  getStartIndex(): number {
    return this._start;
  }
  getEndIndex(): number {
    return this._start + this._text.length;
  }
  /** URL when the whole text has one and the same link, else null (the offsets form is not emulated). */
  getLinkUrl(...offsets: number[]): string | null {
    if (offsets.length) throw notEmulated('RichTextValue.getLinkUrl(startOffset, endOffset)');
    if (!this._text.length) return null;
    const first = this._links[0] ?? null;
    return this._links.every((l) => (l ?? null) === first) ? first : null;
  }
  /** Runs of text with the same link (the only style the emulator keeps). */
  getRuns(): RichTextValueImpl[] {
    const runs: RichTextValueImpl[] = [];
    let i = 0;
    while (i < this._text.length) {
      let j = i + 1;
      while (j < this._text.length && (this._links[j] ?? null) === (this._links[i] ?? null)) j++;
      runs.push(new RichTextValueImpl(this._ctx, this._text.slice(i, j), this._links.slice(i, j), this._start + i));
      i = j;
    }
    return runs;
  }
}

/** https://developers.google.com/apps-script/reference/spreadsheet/rich-text-value-builder */
class RichTextValueBuilderImpl extends GasObject {
  readonly _cls = 'RichTextValueBuilder';
  _text = '';
  _links: (string | null)[] = [];

  setText(text: string): RichTextValueBuilderImpl {
    this._text = String(text);
    this._links = new Array<string | null>(this._text.length).fill(null);
    return this;
  }
  /** setLinkUrl(url) for the whole text, or setLinkUrl(startOffset, endOffset, url). */
  setLinkUrl(a: number | string | null, b?: number, c?: string | null): RichTextValueBuilderImpl {
    if (typeof a === 'number') {
      if (typeof b !== 'number' || b < a || a < 0 || b > this._text.length) {
        throw gasError('Invalid argument: offsets');
      }
      for (let i = a; i < b; i++) this._links[i] = c ?? null;
    } else {
      this._links = new Array<string | null>(this._text.length).fill(a ?? null);
    }
    return this;
  }
  build(): RichTextValueImpl {
    return new RichTextValueImpl(this._ctx, this._text, this._links.slice());
  }
}

// ---------------------------------------------------------------------------
// Data validation — https://developers.google.com/apps-script/reference/spreadsheet/data-validation
// ---------------------------------------------------------------------------

/** Only the NUMBER_BETWEEN criteria is emulated. */
class DataValidationImpl extends GasObject {
  readonly _cls = 'DataValidation';
  constructor(
    ctx: Ctx,
    readonly _values: readonly [number, number],
    readonly _allowInvalid: boolean,
    readonly _helpText: string | null,
  ) {
    super(ctx);
  }
  getCriteriaValues(): unknown[] {
    return this._values.slice();
  }
  getHelpText(): string | null {
    return this._helpText;
  }

  /** Would Sheets accept this value typed by a user? (script writes are never checked) */
  _accepts(value: CellValue): boolean {
    return value === '' || (typeof value === 'number' && value >= this._values[0] && value <= this._values[1]);
  }
}

/** https://developers.google.com/apps-script/reference/spreadsheet/data-validation-builder */
class DataValidationBuilderImpl extends GasObject {
  readonly _cls = 'DataValidationBuilder';
  _values: [number, number] | null = null;
  /** Sheets shows a warning but accepts invalid data unless told otherwise. */
  _allowInvalid = true;
  _helpText: string | null = null;

  requireNumberBetween(start: number, end: number): DataValidationBuilderImpl {
    if (typeof start !== 'number' || typeof end !== 'number')
      throw signatureError('DataValidationBuilder.requireNumberBetween', [start, end]);
    this._values = [start, end];
    return this;
  }
  setAllowInvalid(allowInvalidData: boolean): DataValidationBuilderImpl {
    this._allowInvalid = !!allowInvalidData;
    return this;
  }
  setHelpText(helpText: string): DataValidationBuilderImpl {
    this._helpText = String(helpText);
    return this;
  }
  build(): DataValidationImpl {
    if (!this._values) throw gasError('You must specify a criteria for the data validation rule.');
    return new DataValidationImpl(this._ctx, this._values, this._allowInvalid, this._helpText);
  }
}

// ---------------------------------------------------------------------------
// Charts — https://developers.google.com/apps-script/reference/spreadsheet/embedded-chart-builder
// ---------------------------------------------------------------------------

interface ChartPosition {
  anchorRow: number;
  anchorColumn: number;
  offsetX: number;
  offsetY: number;
}

class EmbeddedChartBuilderImpl extends GasObject {
  readonly _cls = 'EmbeddedChartBuilder';
  _type: EnumValue | null = null;
  _ranges: RangeImpl[] = [];
  _position: ChartPosition = { anchorRow: 1, anchorColumn: 1, offsetX: 0, offsetY: 0 };
  _options = new Map<string, unknown>();
  _numHeaders = -1;

  constructor(
    ctx: Ctx,
    readonly _sheet: SheetImpl,
  ) {
    super(ctx);
  }
  setChartType(type: EnumValue): EmbeddedChartBuilderImpl {
    if (!isEnumOf(type, ChartType)) throw signatureError('EmbeddedChartBuilder.setChartType', [type]);
    this._type = type;
    return this;
  }
  addRange(range: RangeImpl): EmbeddedChartBuilderImpl {
    if (!(range instanceof RangeImpl)) throw signatureError('EmbeddedChartBuilder.addRange', [range]);
    this._ranges.push(range);
    return this;
  }
  setPosition(anchorRowPos: number, anchorColPos: number, offsetX: number, offsetY: number): EmbeddedChartBuilderImpl {
    this._position = { anchorRow: anchorRowPos, anchorColumn: anchorColPos, offsetX, offsetY };
    return this;
  }
  setOption(option: string, value: unknown): EmbeddedChartBuilderImpl {
    this._options.set(option, value);
    return this;
  }
  setNumHeaders(headers: number): EmbeddedChartBuilderImpl {
    this._numHeaders = headers;
    return this;
  }
  build(): EmbeddedChartImpl {
    if (!this._type) throw gasError('You must set a chart type before building the chart.');
    return new EmbeddedChartImpl(
      this._ctx,
      this._type,
      this._ranges.slice(),
      { ...this._position },
      new Map(this._options),
      this._numHeaders,
    );
  }
}

/** A built chart: only inserted into and removed from a sheet, and read back by tests (chartRecords). */
class EmbeddedChartImpl extends GasObject {
  readonly _cls = 'EmbeddedChart';
  _chartId: number | null = null;
  constructor(
    ctx: Ctx,
    readonly _type: EnumValue,
    readonly _ranges: RangeImpl[],
    readonly _position: ChartPosition,
    readonly _options: Map<string, unknown>,
    readonly _numHeaders: number,
  ) {
    super(ctx);
  }
}

/** Plain description of a chart, for tests. */
interface ChartRecord {
  chartId: number | null;
  type: string;
  ranges: string[];
  position: ChartPosition;
  options: Record<string, unknown>;
  numHeaders: number;
}

// ---------------------------------------------------------------------------
// Protection — https://developers.google.com/apps-script/reference/spreadsheet/protection
// ---------------------------------------------------------------------------

class ProtectionImpl extends GasObject {
  readonly _cls = 'Protection';
  _description = '';
  /** null = never customised: permissions mirror the spreadsheet's editors. */
  _editors: Set<string> | null = null;
  _domainEdit = false;
  _unprotected: Rect[] = [];
  _removed = false;

  constructor(
    ctx: Ctx,
    readonly _ss: SpreadsheetImpl,
    readonly _sheet: SheetImpl,
    readonly _type: 'RANGE' | 'SHEET',
    readonly _rect: Rect,
  ) {
    super(ctx);
  }

  /** May `email` edit cells covered by this protection? */
  _allows(email: string): boolean {
    if (email === this._ss._owner) return true;
    if (!this._ss._editors.has(email)) return false;
    if (this._editors === null) return true;
    if (this._editors.has(email)) return true;
    return this._domainEdit && domainOf(email) !== '' && domainOf(email) === domainOf(this._ss._owner);
  }
  _covers(r: number, c: number): boolean {
    if (this._type === 'RANGE') return rectContains(this._rect, r, c);
    return !this._unprotected.some((u) => rectContains(u, r, c));
  }
  /** Only a user allowed through the protection may change it. */
  private guard(): void {
    if (this._removed) throw gasError('This protection has been removed.');
    if (!this._allows(this._ctx.exec.effectiveUser)) throw gasError(PROTECTED_MESSAGE);
  }
  private customize(): Set<string> {
    if (this._editors === null) this._editors = new Set(this._ss._editors);
    return this._editors;
  }

  addEditors(emailAddresses: string[]): ProtectionImpl {
    this.guard();
    const set = this.customize();
    for (const e of emailAddresses) set.add(emailOf(e));
    return this;
  }
  /** Neither the owner nor the current user can be removed. */
  removeEditor(emailAddressOrUser: string | UserImpl): ProtectionImpl {
    this.guard();
    const email = emailOf(emailAddressOrUser);
    const set = this.customize();
    if (email !== this._ss._owner && email !== this._ctx.exec.effectiveUser) set.delete(email);
    return this;
  }
  removeEditors(emailAddresses: (string | UserImpl)[]): ProtectionImpl {
    this.guard();
    for (const e of emailAddresses) this.removeEditor(e);
    return this;
  }
  getEditors(): UserImpl[] {
    const emails = new Set<string>([this._ss._owner]);
    for (const e of this._editors ?? this._ss._editors) emails.add(e);
    return [...emails].map((e) => new UserImpl(this._ctx, e));
  }
  canDomainEdit(): boolean {
    return this._domainEdit;
  }
  setDomainEdit(editable: boolean): ProtectionImpl {
    this.guard();
    this.customize();
    this._domainEdit = !!editable;
    return this;
  }
  getDescription(): string {
    return this._description;
  }
  setDescription(description: string): ProtectionImpl {
    this.guard();
    this._description = String(description);
    return this;
  }
  setUnprotectedRanges(ranges: RangeImpl[]): ProtectionImpl {
    this.guard();
    if (this._type !== 'SHEET') throw gasError('Unprotected ranges can only be set on a sheet protection.');
    if (!Array.isArray(ranges) || ranges.some((r) => !(r instanceof RangeImpl))) {
      throw signatureError('Protection.setUnprotectedRanges', [ranges]);
    }
    for (const r of ranges) if (r._sheet !== this._sheet) throw gasError('Unprotected ranges must be on the protected sheet.');
    this._unprotected = ranges.map((r) => ({ ...r._rect }));
    return this;
  }
  remove(): void {
    this.guard();
    this._removed = true;
    this._ss._protections = this._ss._protections.filter((p) => p !== this);
  }
}

function domainOf(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? '' : email.slice(at + 1).toLowerCase();
}

/** Plain description of a protection, for tests. */
interface ProtectionRecord {
  type: 'RANGE' | 'SHEET';
  sheet: string;
  range: string;
  description: string;
  /** null when the protection still mirrors the spreadsheet's editors. */
  editors: string[] | null;
  domainEdit: boolean;
  unprotectedRanges: string[];
}

// ---------------------------------------------------------------------------
// Range — https://developers.google.com/apps-script/reference/spreadsheet/range
// ---------------------------------------------------------------------------

function checkGrid(method: string, data: unknown, nr: number, nc: number): asserts data is unknown[][] {
  if (!Array.isArray(data) || data.some((row) => !Array.isArray(row))) {
    throw signatureError(`SpreadsheetApp.Range.${method}`, [data]);
  }
  if (data.length !== nr) {
    throw gasError(
      `The number of rows in the data does not match the number of rows in the range. The data has ${data.length} but the range has ${nr}.`,
    );
  }
  for (const row of data as unknown[][]) {
    if (row.length !== nc) {
      throw gasError(
        `The number of columns in the data does not match the number of columns in the range. The data has ${row.length} but ` +
          `the range has ${nc}.`,
      );
    }
  }
}

class RangeImpl extends GasObject {
  readonly _cls = 'Range';
  constructor(
    ctx: Ctx,
    readonly _sheet: SheetImpl,
    readonly _rect: Rect,
  ) {
    super(ctx);
  }

  // ----- internals -----
  private cell(i: number, j: number): Readonly<CellState> {
    return this._sheet._peek(this._rect.r + i, this._rect.c + j);
  }
  private grid<T>(f: (c: Readonly<CellState>, r: number, col: number) => T): T[][] {
    const { r, c, nr, nc } = this._rect;
    const out: T[][] = new Array(nr);
    for (let i = 0; i < nr; i++) {
      const row: T[] = new Array(nc);
      for (let j = 0; j < nc; j++) row[j] = f(this.cell(i, j), r + i, c + j);
      out[i] = row;
    }
    return out;
  }
  private assertWritable(): void {
    this._sheet._ss._assertCanWrite(this._sheet, this._rect);
  }
  private setEach(f: (c: CellState, i: number, j: number) => void): RangeImpl {
    this.assertWritable();
    const { r, c, nr, nc } = this._rect;
    for (let i = 0; i < nr; i++) for (let j = 0; j < nc; j++) f(this._sheet._mut(r + i, c + j), i, j);
    this._sheet._compact(this._rect);
    return this;
  }
  /** setEach for what changes cells' content (values, formulas): the formula engine is told. */
  private setContent(f: (c: CellState, i: number, j: number) => void): RangeImpl {
    this.setEach(f);
    this._sheet._contentChanged([this._rect]);
    return this;
  }
  /** Like setContent, for operations that only reset state: visits existing cells only. */
  private resetEach(f: (c: CellState) => void): RangeImpl {
    this.assertWritable();
    const touched: number[] = [];
    for (const [k, cell] of this._sheet._cells) {
      if (!rectContains(this._rect, Math.floor(k / KEY_BASE), k % KEY_BASE)) continue;
      f(cell);
      touched.push(k);
    }
    this._sheet._compactKeys(touched);
    this._sheet._contentChanged(touched.map(rectOfKey));
    return this;
  }
  private setGrid<T>(method: string, data: unknown, f: (c: CellState, v: T, i: number, j: number) => void): RangeImpl {
    checkGrid(method, data, this._rect.nr, this._rect.nc);
    return this.setEach((cell, i, j) => f(cell, (data as T[][])[i][j], i, j));
  }
  private setFormat<K extends FormatKey>(key: K, v: CellState[K]): RangeImpl {
    return this.setEach((cell) => {
      cell[key] = v;
    });
  }
  /** Sheet.clear(): contents, formats, notes and validations. */
  _clearAll(): void {
    this.resetEach((cell) => {
      Object.assign(cell, DEFAULT_CELL);
    });
  }

  // ----- geometry -----
  getA1Notation(): string {
    return rectToA1(this._rect);
  }
  getRow(): number {
    return this._rect.r;
  }
  getColumn(): number {
    return this._rect.c;
  }
  getNumRows(): number {
    return this._rect.nr;
  }
  getNumColumns(): number {
    return this._rect.nc;
  }
  getSheet(): SheetImpl {
    return this._sheet;
  }

  // ----- values and formulas -----
  /** Values as Sheets computes them: a formula's result (an error as its text, e.g. "#REF!"), see formulas.ts. */
  getValue(): CellValue {
    return this._sheet._valueAt(this._rect.r, this._rect.c);
  }
  getValues(): CellValue[][] {
    return this.grid((c, r, col) => (c.formula ? this._sheet._valueAt(r, col) : copyValue(c.value)));
  }
  /** The formula as it was set ('' for a cell without one). */
  getFormula(): string {
    return this.cell(0, 0).formula;
  }
  getFormulas(): string[][] {
    return this.grid((c) => c.formula);
  }
  setValue(value: unknown): RangeImpl {
    if (Array.isArray(value)) throw signatureError('SpreadsheetApp.Range.setValue', [value]);
    return this.setContent((cell, i, j) => writeInput(cell, value, this._sheet._ss._reader, i, j));
  }
  setValues(values: unknown[][]): RangeImpl {
    checkGrid('setValues', values, this._rect.nr, this._rect.nc);
    return this.setContent((cell, i, j) => writeInput(cell, values[i][j], this._sheet._ss._reader));
  }
  /**
   * https://developers.google.com/apps-script/reference/spreadsheet/range#setFormula(String)
   * On several cells, relative references move from cell to cell (see writeInput). '' clears the
   * content (assumed); a formula must start with "=" (other text is not emulated).
   */
  setFormula(formula: string): RangeImpl {
    if (typeof formula !== 'string') throw signatureError('SpreadsheetApp.Range.setFormula', [formula]);
    checkFormulaInput(formula);
    return this.setContent((cell, i, j) => enterFormula(cell, shiftFormula(formula, i, j)));
  }
  /** https://developers.google.com/apps-script/reference/spreadsheet/range#setFormulas(String[][]) — each formula as given. */
  setFormulas(formulas: string[][]): RangeImpl {
    checkGrid('setFormulas', formulas, this._rect.nr, this._rect.nc);
    for (const row of formulas) {
      for (const f of row) {
        if (typeof f !== 'string') throw signatureError('SpreadsheetApp.Range.setFormulas', [formulas]);
        checkFormulaInput(f);
      }
    }
    return this.setContent((cell, i, j) => enterFormula(cell, formulas[i][j]));
  }
  clearContent(): RangeImpl {
    return this.resetEach((cell) => {
      cell.value = '';
      cell.formula = '';
      cell.richText = null;
    });
  }

  // ----- notes -----
  getNotes(): string[][] {
    return this.grid((c) => c.note);
  }
  setNote(note: string | null): RangeImpl {
    const n = note == null ? '' : String(note);
    return this.setEach((cell) => {
      cell.note = n;
    });
  }
  setNotes(notes: (string | null)[][]): RangeImpl {
    return this.setGrid<string | null>('setNotes', notes, (cell, v) => {
      cell.note = v == null ? '' : String(v);
    });
  }

  // ----- formats (null resets to the default) -----
  getBackgrounds(): string[][] {
    return this.grid((c) => c.background);
  }
  setBackground(color: string | null): RangeImpl {
    return this.setFormat('background', color == null ? DEFAULT_CELL.background : normalizeColor(color));
  }
  setBackgrounds(color: (string | null)[][]): RangeImpl {
    return this.setGrid<string | null>('setBackgrounds', color, (cell, v) => {
      cell.background = v == null ? DEFAULT_CELL.background : normalizeColor(String(v));
    });
  }
  setFontWeight(fontWeight: string | null): RangeImpl {
    return this.setFormat('fontWeight', fontWeight ?? DEFAULT_CELL.fontWeight);
  }
  setFontSize(size: number): RangeImpl {
    return this.setFormat('fontSize', size);
  }
  setNumberFormat(numberFormat: string): RangeImpl {
    return this.setFormat('numberFormat', String(numberFormat));
  }
  setVerticalAlignment(alignment: string | null): RangeImpl {
    return this.setFormat('verticalAlignment', alignment ?? DEFAULT_CELL.verticalAlignment);
  }
  setWrap(isWrapEnabled: boolean): RangeImpl {
    return this.setFormat('wrap', !!isWrapEnabled);
  }

  // ----- data validation -----
  getDataValidation(): DataValidationImpl | null {
    return this.cell(0, 0).dataValidation;
  }
  setDataValidations(rules: (DataValidationImpl | null)[][]): RangeImpl {
    return this.setGrid<DataValidationImpl | null>('setDataValidations', rules, (cell, v) => {
      if (v !== null && !(v instanceof DataValidationImpl)) throw signatureError('SpreadsheetApp.Range.setDataValidations', [rules]);
      cell.dataValidation = v;
    });
  }

  // ----- rich text -----
  getRichTextValue(): RichTextValueImpl | null {
    return richOf(this._ctx, this.cell(0, 0));
  }
  getRichTextValues(): (RichTextValueImpl | null)[][] {
    return this.grid((c) => richOf(this._ctx, c));
  }
  setRichTextValue(value: RichTextValueImpl): RangeImpl {
    if (!(value instanceof RichTextValueImpl)) throw signatureError('SpreadsheetApp.Range.setRichTextValue', [value]);
    return this.setContent((cell) => {
      cell.value = value._text;
      cell.formula = '';
      cell.richText = value;
    });
  }

  // ----- merges -----
  merge(): RangeImpl {
    this.assertWritable();
    this._sheet._merge(this._rect);
    return this;
  }
  getMergedRanges(): RangeImpl[] {
    return this._sheet._merges.filter((m) => rectsIntersect(m, this._rect)).map((m) => this._sheet._range(m));
  }

  // ----- protection -----
  protect(): ProtectionImpl {
    const ss = this._sheet._ss;
    const p = new ProtectionImpl(this._ctx, ss, this._sheet, 'RANGE', { ...this._rect });
    ss._protections.push(p);
    return p;
  }
}

/** A formula for setFormula(s): "=…" or '' (clears the cell). */
function checkFormulaInput(formula: string): void {
  if (formula === '') return;
  if (!formula.startsWith('=')) throw notEmulated(`setFormula with text not starting with "=" (${formula})`);
  checkedFormula(formula);
}

function enterFormula(cell: CellState, formula: string): void {
  cell.value = '';
  cell.formula = formula;
  cell.richText = null;
}

/** A text cell without links reads as a one-run rich text value; a non-text cell as null. */
function richOf(ctx: Ctx, c: Readonly<CellState>): RichTextValueImpl | null {
  if (c.richText && c.value === c.richText._text) return c.richText;
  if (typeof c.value !== 'string') return null;
  return new RichTextValueImpl(ctx, c.value, new Array<string | null>(c.value.length).fill(null));
}

// ---------------------------------------------------------------------------
// RangeList — https://developers.google.com/apps-script/reference/spreadsheet/range-list
// ---------------------------------------------------------------------------

class RangeListImpl extends GasObject {
  readonly _cls = 'RangeList';
  constructor(
    ctx: Ctx,
    readonly _ranges: RangeImpl[],
  ) {
    super(ctx);
  }
  private each(f: (r: RangeImpl) => void): RangeListImpl {
    // Like Sheets, check every range is writable before changing any of them.
    for (const r of this._ranges) r._sheet._ss._assertCanWrite(r._sheet, r._rect);
    for (const r of this._ranges) f(r);
    return this;
  }
  /** https://developers.google.com/apps-script/reference/spreadsheet/range-list#getRanges() — in the order given. */
  getRanges(): RangeImpl[] {
    return this._ranges.slice();
  }
  setValue(value: unknown): RangeListImpl {
    return this.each((r) => r.setValue(value));
  }
  setBackground(color: string | null): RangeListImpl {
    return this.each((r) => r.setBackground(color));
  }
  setFontWeight(fontWeight: string | null): RangeListImpl {
    return this.each((r) => r.setFontWeight(fontWeight));
  }
}

// ---------------------------------------------------------------------------
// Conditional formatting — https://developers.google.com/apps-script/reference/spreadsheet/conditional-format-rule
// ---------------------------------------------------------------------------

/** https://developers.google.com/apps-script/reference/spreadsheet/rgb-color */
class RgbColorImpl extends GasObject {
  readonly _cls = 'RgbColor';
  constructor(
    ctx: Ctx,
    readonly _hex: string,
  ) {
    super(ctx);
  }
  getColorType(): EnumValue {
    return ColorType.RGB;
  }
  /** "#rrggbb" (lower case, as the emulator reports every colour). */
  asHexString(): string {
    return this._hex;
  }
}

/** https://developers.google.com/apps-script/reference/spreadsheet/color — only RGB colours are emulated. */
class ColorImpl extends GasObject {
  readonly _cls = 'Color';
  constructor(
    ctx: Ctx,
    readonly _hex: string,
  ) {
    super(ctx);
  }
  getColorType(): EnumValue {
    return ColorType.RGB;
  }
  asRgbColor(): RgbColorImpl {
    return new RgbColorImpl(this._ctx, this._hex);
  }
}

/**
 * https://developers.google.com/apps-script/reference/spreadsheet/boolean-condition
 * Only the CUSTOM_FORMULA criteria and the background format are emulated.
 */
class BooleanConditionImpl extends GasObject {
  readonly _cls = 'BooleanCondition';
  constructor(
    ctx: Ctx,
    readonly _type: EnumValue,
    readonly _values: readonly unknown[],
    readonly _background: string | null,
  ) {
    super(ctx);
  }
  getCriteriaType(): EnumValue {
    return this._type;
  }
  /** For CUSTOM_FORMULA: [formula], the formula as it was given. */
  getCriteriaValues(): unknown[] {
    return this._values.slice();
  }
  /** The background colour, or null when the rule sets none. */
  getBackgroundObject(): ColorImpl | null {
    return this._background === null ? null : new ColorImpl(this._ctx, this._background);
  }
  /** Deprecated in the reference (getBackgroundObject replaces it), still callable: "#rrggbb" or null. */
  getBackground(): string | null {
    return this._background;
  }
}

/** A built rule: its ranges (on one sheet) and its condition. */
class ConditionalFormatRuleImpl extends GasObject {
  readonly _cls = 'ConditionalFormatRule';
  constructor(
    ctx: Ctx,
    readonly _ranges: readonly { sheet: SheetImpl; rect: Rect }[],
    readonly _condition: BooleanConditionImpl,
  ) {
    super(ctx);
  }
  getRanges(): RangeImpl[] {
    return this._ranges.map((x) => x.sheet._range(x.rect));
  }
  getBooleanCondition(): BooleanConditionImpl {
    return this._condition;
  }
  /** Gradient rules are not emulated: a rule here always has a boolean condition. */
  getGradientCondition(): null {
    return null;
  }
}

/** https://developers.google.com/apps-script/reference/spreadsheet/conditional-format-rule-builder */
class ConditionalFormatRuleBuilderImpl extends GasObject {
  readonly _cls = 'ConditionalFormatRuleBuilder';
  _formula: string | null = null;
  _background: string | null = null;
  _ranges: RangeImpl[] = [];

  /** The rule applies where the formula is true; the formula is relative to the top-left cell of the first range. */
  whenFormulaSatisfied(formula: string): ConditionalFormatRuleBuilderImpl {
    if (typeof formula !== 'string') throw signatureError('ConditionalFormatRuleBuilder.whenFormulaSatisfied', [formula]);
    if (!formula.startsWith('=')) throw notEmulated(`a conditional-format formula not starting with "=" (${formula})`);
    this._formula = checkedFormula(formula);
    return this;
  }
  /** null removes the background from the rule's format. */
  setBackground(color: string | null): ConditionalFormatRuleBuilderImpl {
    this._background = color == null ? null : normalizeColor(color);
    return this;
  }
  setRanges(ranges: RangeImpl[]): ConditionalFormatRuleBuilderImpl {
    if (!Array.isArray(ranges) || ranges.some((r) => !(r instanceof RangeImpl))) {
      throw signatureError('ConditionalFormatRuleBuilder.setRanges', [ranges]);
    }
    this._ranges = ranges.slice();
    return this;
  }
  /** The message for a rule without a condition is assumed (the reference does not give it). */
  build(): ConditionalFormatRuleImpl {
    if (this._formula === null) throw gasError('A conditional format rule must have a condition.');
    return new ConditionalFormatRuleImpl(
      this._ctx,
      this._ranges.map((r) => ({ sheet: r._sheet, rect: { ...r._rect } })),
      new BooleanConditionImpl(this._ctx, BooleanCriteria.CUSTOM_FORMULA, [this._formula], this._background),
    );
  }
}

/** Does a conditional-format formula's result apply the format? TRUE, or a number other than 0 (as in =MOD(ROW(),2)). */
function formatApplies(v: FormulaResult): boolean {
  return v === true || (typeof v === 'number' && v !== 0);
}

// ---------------------------------------------------------------------------
// Sheet — https://developers.google.com/apps-script/reference/spreadsheet/sheet
// ---------------------------------------------------------------------------

const KEY_BASE = 32768;
const CELL_KEYS = Object.keys(DEFAULT_CELL) as (keyof CellState)[];
const key = (r: number, c: number) => r * KEY_BASE + c;
const rectOfKey = (k: number): Rect => ({ r: Math.floor(k / KEY_BASE), c: k % KEY_BASE, nr: 1, nc: 1 });

export class SheetImpl extends GasObject {
  readonly _cls = 'Sheet';
  _cells = new Map<number, CellState>();
  _merges: Rect[] = [];
  _frozenRows = 0;
  _colWidths = new Map<number, number>();
  _charts: EmbeddedChartImpl[] = [];
  _activeRect: Rect = { r: 1, c: 1, nr: 1, nc: 1 };
  _conditionalFormats: ConditionalFormatRuleImpl[] = [];

  constructor(
    ctx: Ctx,
    readonly _ss: SpreadsheetImpl,
    readonly _name: string,
    readonly _id: number,
    public _maxRows = 1000,
    public _maxCols = 26,
  ) {
    super(ctx);
  }

  // ----- internals -----
  _peek(r: number, c: number): Readonly<CellState> {
    return this._cells.get(key(r, c)) ?? DEFAULT_CELL;
  }
  _mut(r: number, c: number): CellState {
    const k = key(r, c);
    let cell = this._cells.get(k);
    if (!cell) {
      cell = { ...DEFAULT_CELL };
      this._cells.set(k, cell);
    }
    return cell;
  }
  /** Drop cells that went back to the default state. */
  _compactKeys(keys: number[]): void {
    for (const k of keys) {
      const cell = this._cells.get(k);
      if (cell && CELL_KEYS.every((p) => cell[p] === DEFAULT_CELL[p])) this._cells.delete(k);
    }
  }
  _compact(rect: Rect): void {
    const keys: number[] = [];
    for (let i = 0; i < rect.nr; i++) for (let j = 0; j < rect.nc; j++) keys.push(key(rect.r + i, rect.c + j));
    this._compactKeys(keys);
  }
  _range(rect: Rect): RangeImpl {
    return new RangeImpl(this._ctx, this, { ...rect });
  }
  _eachCell(f: (r: number, c: number, cell: Readonly<CellState>) => void): void {
    for (const [k, cell] of this._cells) f(Math.floor(k / KEY_BASE), k % KEY_BASE, cell);
  }
  /** The value a cell shows: a formula's result, computed by the spreadsheet's engine. */
  _valueAt(r: number, c: number): CellValue {
    const cell = this._peek(r, c);
    return cell.formula ? this._ss._formulas.value(this, r, c) : copyValue(cell.value);
  }
  /** Tell the formula engine that the content of these cells changed. */
  _contentChanged(rects: readonly Rect[]): void {
    this._ss._formulas.changed(this, rects);
  }
  /**
   * The background a cell shows, as the Sheets UI paints it: the first conditional-format rule (in
   * order) covering the cell whose formula holds there gives its background; otherwise the cell's
   * own. A rule's formula is relative to the top-left cell of its first range.
   */
  _effectiveBackground(r: number, c: number): string {
    const own = this._peek(r, c).background;
    for (const rule of this._conditionalFormats) {
      if (!rule._ranges.some((x) => rectContains(x.rect, r, c))) continue;
      const formula = String(rule._condition._values[0]);
      if (refersToOtherSheet(formula)) {
        throw new Error(
          `[gas-emulator] Sheets does not let a conditional-format formula refer to another sheet (only through INDIRECT): ${formula}`,
        );
      }
      const anchor = rule._ranges[0].rect;
      const result = this._ss._formulas.evaluate(this, shiftFormula(formula, r - anchor.r, c - anchor.c));
      if (result === '#ERROR!') throw new Error(`[gas-emulator] the conditional-format formula ${formula} does not parse`);
      if (formatApplies(result)) return rule._condition._background ?? own;
    }
    return own;
  }
  _checkRect(rect: Rect): void {
    if (rect.r + rect.nr - 1 > this._maxRows || rect.c + rect.nc - 1 > this._maxCols) {
      throw gasError('The coordinates of the range are outside the dimensions of the sheet.');
    }
  }
  _activateRange(rect: Rect): void {
    this._activeRect = { ...rect };
    this._ss._activeSheet = this;
  }
  private lastWith(f: (k: number) => number): number {
    let last = 0;
    for (const [k, cell] of this._cells) if (!isEmptyCell(cell)) last = Math.max(last, f(k));
    return last;
  }
  _lastRow(): number {
    return this.lastWith((k) => Math.floor(k / KEY_BASE));
  }
  _lastCol(): number {
    return this.lastWith((k) => k % KEY_BASE);
  }
  /** Merging keeps only the top-left value; a merge that cuts through another one is refused. */
  _merge(rect: Rect): void {
    if (rect.nr === 1 && rect.nc === 1) return;
    const hit = this._merges.filter((m) => rectsIntersect(m, rect));
    if (hit.some((m) => !rectInside(m, rect))) throw gasError('You must select all cells in a merged range to merge or unmerge them.');
    this._merges = this._merges.filter((m) => !hit.includes(m));
    this._merges.push({ ...rect });
    for (let i = 0; i < rect.nr; i++) {
      for (let j = 0; j < rect.nc; j++) {
        const cell = i === 0 && j === 0 ? undefined : this._cells.get(key(rect.r + i, rect.c + j));
        if (cell) {
          cell.value = '';
          cell.formula = '';
          cell.richText = null;
        }
      }
    }
    this._compact(rect);
    this._contentChanged([rect]);
  }

  // ----- identity -----
  getName(): string {
    return this._name;
  }
  getSheetId(): number {
    return this._id;
  }
  getParent(): SpreadsheetImpl {
    return this._ss;
  }

  // ----- ranges -----
  /** getRange(a1Notation), getRange(row, column), (row, column, numRows), (row, column, numRows, numColumns). */
  getRange(a: number | string, ...rest: number[]): RangeImpl {
    if (typeof a === 'string' && !rest.length) {
      const rect = parseA1(a, this._maxRows, this._maxCols);
      this._checkRect(rect);
      return this._range(rect);
    }
    const args = [a, ...rest];
    if (args.length < 2 || args.length > 4 || args.some((x) => typeof x !== 'number' || Number.isNaN(x))) {
      throw signatureError('SpreadsheetApp.Sheet.getRange', args);
    }
    const [r, c, nr = 1, nc = 1] = (args as number[]).map(Math.floor);
    if (r < 1) throw gasError('The starting row of the range is too small.');
    if (c < 1) throw gasError('The starting column of the range is too small.');
    if (nr < 1) throw gasError('The number of rows in the range must be at least 1.');
    if (nc < 1) throw gasError('The number of columns in the range must be at least 1.');
    const rect = { r, c, nr, nc };
    this._checkRect(rect);
    return this._range(rect);
  }
  /** From A1 to the last row and column with content (A1 on an empty sheet). */
  getDataRange(): RangeImpl {
    return this._range({ r: 1, c: 1, nr: Math.max(1, this._lastRow()), nc: Math.max(1, this._lastCol()) });
  }
  getRangeList(a1Notations: string[]): RangeListImpl {
    if (!Array.isArray(a1Notations) || a1Notations.some((a) => typeof a !== 'string')) {
      throw signatureError('SpreadsheetApp.Sheet.getRangeList', [a1Notations]);
    }
    return new RangeListImpl(
      this._ctx,
      a1Notations.map((a) => this.getRange(a)),
    );
  }
  /** Notes and formats are not content: only values and formulas count. */
  getLastRow(): number {
    return this._lastRow();
  }
  getLastColumn(): number {
    return this._lastCol();
  }
  getMaxRows(): number {
    return this._maxRows;
  }
  getMaxColumns(): number {
    return this._maxCols;
  }
  /** Writes after the last row with content, growing the sheet when needed. */
  appendRow(rowContents: unknown[]): SheetImpl {
    if (!Array.isArray(rowContents)) throw signatureError('SpreadsheetApp.Sheet.appendRow', [rowContents]);
    const row = this._lastRow() + 1;
    if (row > this._maxRows) this._maxRows = row;
    if (rowContents.length > this._maxCols) this._maxCols = rowContents.length;
    if (rowContents.length) this._range({ r: row, c: 1, nr: 1, nc: rowContents.length }).setValues([rowContents]);
    return this;
  }
  getActiveRange(): RangeImpl {
    return this._range(this._activeRect);
  }
  setActiveRange(range: RangeImpl): RangeImpl {
    if (!(range instanceof RangeImpl) || range._sheet !== this) throw gasError('The range must be on the active sheet.');
    this._activateRange(range._rect);
    return this._range(range._rect);
  }

  // ----- clearing and layout -----
  clear(...options: unknown[]): SheetImpl {
    if (options.length) throw notEmulated('Sheet.clear(options)');
    this._range({ r: 1, c: 1, nr: this._maxRows, nc: this._maxCols })._clearAll();
    return this;
  }
  /** Only adding columns after the last one (growing the sheet) is emulated. */
  insertColumnsAfter(afterPosition: number, howMany: number): SheetImpl {
    if (!Number.isInteger(afterPosition) || !Number.isInteger(howMany) || afterPosition < 1 || howMany < 1) {
      throw signatureError('SpreadsheetApp.Sheet.insertColumnsAfter', [afterPosition, howMany]);
    }
    if (afterPosition > this._maxCols) throw gasError('Those columns are out of bounds.');
    if (afterPosition !== this._maxCols) throw notEmulated('Sheet.insertColumnsAfter inside the sheet');
    this._maxCols += howMany;
    return this;
  }
  /**
   * "Inserts a number of rows after the given row position"
   * (https://developers.google.com/apps-script/reference/spreadsheet/sheet#insertRowsAfter(Integer,Integer)). Only
   * adding rows after the last one (growing the sheet) is emulated; it needs the right to edit the last row (assumed:
   * a protected sheet refuses a change of its structure like a write).
   */
  insertRowsAfter(afterPosition: number, howMany: number): SheetImpl {
    if (!Number.isInteger(afterPosition) || !Number.isInteger(howMany) || afterPosition < 1 || howMany < 1) {
      throw signatureError('SpreadsheetApp.Sheet.insertRowsAfter', [afterPosition, howMany]);
    }
    if (afterPosition > this._maxRows) throw gasError('Those rows are out of bounds.');
    if (afterPosition !== this._maxRows) throw notEmulated('Sheet.insertRowsAfter inside the sheet');
    this._ss._assertCanWrite(this, { r: this._maxRows, c: 1, nr: 1, nc: this._maxCols });
    this._maxRows += howMany;
    return this;
  }
  setFrozenRows(rows: number): void {
    if (!Number.isInteger(rows) || rows < 0 || rows > this._maxRows) throw signatureError('SpreadsheetApp.Sheet.setFrozenRows', [rows]);
    this._frozenRows = rows;
  }
  getFrozenRows(): number {
    return this._frozenRows;
  }
  setColumnWidth(columnPosition: number, width: number): SheetImpl {
    this._colWidths.set(columnPosition, width);
    return this;
  }
  setColumnWidths(startColumn: number, numColumns: number, width: number): SheetImpl {
    for (let i = 0; i < numColumns; i++) this._colWidths.set(startColumn + i, width);
    return this;
  }
  /** 100 px until set. */
  getColumnWidth(columnPosition: number): number {
    return this._colWidths.get(columnPosition) ?? 100;
  }

  // ----- protection -----
  /** A sheet has at most one sheet protection: protect() returns it when it exists. */
  protect(): ProtectionImpl {
    const existing = this._ss._protections.find((p) => p._sheet === this && p._type === 'SHEET');
    if (existing) return existing;
    const p = new ProtectionImpl(this._ctx, this._ss, this, 'SHEET', { r: 1, c: 1, nr: this._maxRows, nc: this._maxCols });
    this._ss._protections.push(p);
    return p;
  }
  getProtections(type: EnumValue): ProtectionImpl[] {
    if (!isEnumOf(type, ProtectionType)) throw signatureError('SpreadsheetApp.Sheet.getProtections', [type]);
    return this._ss._protections.filter((p) => p._sheet === this && p._type === String(type));
  }

  // ----- conditional formatting -----
  getConditionalFormatRules(): ConditionalFormatRuleImpl[] {
    return this._conditionalFormats.slice();
  }
  /**
   * Replaces every rule of the sheet, in order. Assumed: each rule needs ranges, all on this sheet
   * (ranges elsewhere are not emulated), and changing the rules needs the right to edit the cells
   * of the rules removed and added (as any change of formats).
   */
  setConditionalFormatRules(rules: ConditionalFormatRuleImpl[]): void {
    if (!Array.isArray(rules) || rules.some((r) => !(r instanceof ConditionalFormatRuleImpl))) {
      throw signatureError('SpreadsheetApp.Sheet.setConditionalFormatRules', [rules]);
    }
    for (const rule of rules) {
      if (!rule._ranges.length) throw gasError('A conditional format rule must have at least one range.');
      if (rule._ranges.some((x) => x.sheet !== this)) throw notEmulated('a conditional format rule with ranges on another sheet');
    }
    for (const rule of [...this._conditionalFormats, ...rules]) for (const x of rule._ranges) this._ss._assertCanWrite(this, x.rect);
    this._conditionalFormats = rules.slice();
  }

  // ----- charts -----
  newChart(): EmbeddedChartBuilderImpl {
    return new EmbeddedChartBuilderImpl(this._ctx, this);
  }
  insertChart(chart: EmbeddedChartImpl): void {
    if (!(chart instanceof EmbeddedChartImpl)) throw signatureError('SpreadsheetApp.Sheet.insertChart', [chart]);
    if (chart._chartId === null) chart._chartId = this._ss._nextChartId++;
    this._charts.push(chart);
  }
  getCharts(): EmbeddedChartImpl[] {
    return this._charts.slice();
  }
  removeChart(chart: EmbeddedChartImpl): void {
    const before = this._charts.length;
    this._charts = this._charts.filter((c) => c !== chart);
    if (this._charts.length === before) throw gasError('The chart does not exist on this sheet.');
  }
}

// ---------------------------------------------------------------------------
// Spreadsheet — https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet
// ---------------------------------------------------------------------------

interface SpreadsheetInit {
  id: string;
  timeZone: string;
  locale: SpreadsheetLocale;
  owner: string;
  editors: string[];
}

export class SpreadsheetImpl extends GasObject {
  readonly _cls = 'Spreadsheet';
  /** Test-only helpers: invisible to the code under test. */
  static readonly testOnly: ReadonlySet<string> = new Set([
    'setActiveCell',
    'seedValues',
    'sheet',
    'cellState',
    'protectionRecords',
    'chartRecords',
    'canUserEdit',
  ]);

  _sheets: SheetImpl[] = [];
  _activeSheet: SheetImpl | null = null;
  _protections: ProtectionImpl[] = [];
  readonly _editors: Set<string>;
  readonly _tz: string;
  readonly _id: string;
  readonly _owner: string;
  readonly _locale: SpreadsheetLocale;
  /** Reads text entered into cells (numbers, dates) the way this spreadsheet's locale writes them. */
  readonly _reader: TextReader;
  /** Computes every formula of every sheet. */
  readonly _formulas: FormulaEngine;
  _nextChartId = 1;
  private nextGid = 0;

  constructor(ctx: Ctx, init: SpreadsheetInit) {
    super(ctx);
    this._id = init.id;
    this._tz = init.timeZone;
    this._owner = init.owner;
    this._locale = init.locale;
    this._reader = new TextReader(init.locale, init.timeZone, () => ctx.clock.now());
    this._editors = new Set([init.owner, ...init.editors]);
    this._formulas = new FormulaEngine(() => this._sheets, this._tz);
  }

  // ----- internals -----
  _newGid(): number {
    // First sheet is gid 0 like a new spreadsheet; later ones are stable pseudo-random numbers.
    const n = this.nextGid++;
    if (n === 0) return 0;
    return (n * 1103515245 + 12345) % 2147483647;
  }
  /** Sheet names are unique, ignoring case. */
  _addSheet(name: string, index?: number, values?: unknown[][]): SheetImpl {
    if (this._sheets.some((s) => s._name.toLowerCase() === name.toLowerCase())) {
      throw gasError(`A sheet with the name "${name}" already exists. Please enter another name.`);
    }
    const rows = values?.length ?? 0;
    const cols = values?.reduce((m, r) => Math.max(m, r.length), 0) ?? 0;
    const sheet = new SheetImpl(this._ctx, this, name, this._newGid(), Math.max(1000, rows), Math.max(26, cols));
    if (index === undefined || index >= this._sheets.length) this._sheets.push(sheet);
    else this._sheets.splice(Math.max(0, index), 0, sheet);
    this._formulas.sheetAdded(sheet);
    if (values) seedGrid(sheet, 1, 1, values);
    if (!this._activeSheet) this._activeSheet = sheet;
    return sheet;
  }
  _sheetOrThrow(name: string): SheetImpl {
    const s = this._sheets.find((x) => x._name === name);
    if (!s) throw new Error(`[gas-emulator] no sheet named "${name}"`);
    return s;
  }
  _active(): SheetImpl {
    if (!this._activeSheet || !this._sheets.includes(this._activeSheet)) this._activeSheet = this._sheets[0];
    return this._activeSheet;
  }
  /**
   * Can `email` change every cell of `rect` on `sheet`? The owner always; a non-editor of the file
   * never; otherwise every protection covering a cell must allow the user (a protection whose editors
   * were never changed mirrors the file's editors; unprotected ranges of a sheet protection are open
   * to every editor, unless a range protection inside them says otherwise).
   */
  _userCanEdit(sheet: SheetImpl, rect: Rect, email: string): boolean {
    if (email === this._owner) return true;
    if (!this._editors.has(email)) return false;
    for (const p of this._protections) {
      if (p._sheet !== sheet || p._allows(email)) continue;
      if (p._type === 'RANGE') {
        if (rectsIntersect(p._rect, rect)) return false;
        continue;
      }
      for (let i = 0; i < rect.nr; i++) for (let j = 0; j < rect.nc; j++) if (p._covers(rect.r + i, rect.c + j)) return false;
    }
    return true;
  }
  _assertCanWrite(sheet: SheetImpl, rect: Rect): void {
    if (!this._userCanEdit(sheet, rect, this._ctx.exec.effectiveUser)) throw gasError(PROTECTED_MESSAGE);
  }

  // ----- test helpers (hidden from the code under test) -----
  /** Make `sheetName` active with `a1` as its active range. */
  setActiveCell(sheetName: string, a1: string): void {
    const s = this._sheetOrThrow(sheetName);
    s._activateRange(parseA1(a1, s._maxRows, s._maxCols));
  }
  /** Put literal values starting at `a1` (default A1): no parsing, no protection checks. */
  seedValues(sheetName: string, values: unknown[][], a1 = 'A1'): void {
    const s = this._sheetOrThrow(sheetName);
    const at = parseA1(a1, s._maxRows, s._maxCols);
    seedGrid(s, at.r, at.c, values);
  }
  /** Raw sheet (calls on it are not counted). */
  sheet(name: string): SheetImpl {
    return this._sheetOrThrow(name);
  }
  /** Copy of the full state of one cell (`value`: what it shows, a formula's result for a formula). */
  cellState(sheetName: string, a1: string): CellState {
    const s = this._sheetOrThrow(sheetName);
    const r = parseA1(a1, s._maxRows, s._maxCols);
    return { ...s._peek(r.r, r.c), value: s._valueAt(r.r, r.c) };
  }
  protectionRecords(): ProtectionRecord[] {
    return this._protections.map((p) => ({
      type: p._type,
      sheet: p._sheet._name,
      range: p._type === 'SHEET' ? p._sheet._name : rectToA1(p._rect),
      description: p._description,
      editors: p._editors ? [...new Set([this._owner, ...p._editors])] : null,
      domainEdit: p._domainEdit,
      unprotectedRanges: p._unprotected.map(rectToA1),
    }));
  }
  chartRecords(sheetName: string): ChartRecord[] {
    return this._sheetOrThrow(sheetName)._charts.map((c) => ({
      chartId: c._chartId,
      type: String(c._type),
      ranges: c._ranges.map((r) => `${r._sheet._name}!${rectToA1(r._rect)}`),
      position: { ...c._position },
      options: Object.fromEntries(c._options),
      numHeaders: c._numHeaders,
    }));
  }
  /** Could `email` edit every cell of `a1` on `sheetName`, as Sheets would decide? */
  canUserEdit(sheetName: string, a1: string, email: string): boolean {
    const s = this._sheetOrThrow(sheetName);
    return this._userCanEdit(s, parseA1(a1, s._maxRows, s._maxCols), email);
  }

  // ----- Spreadsheet API -----
  /** The file's id, as the Sheets API (advanced service) takes it. */
  getId(): string {
    return this._id;
  }
  getUrl(): string {
    return `https://docs.google.com/spreadsheets/d/${this._id}/edit`;
  }
  getSpreadsheetTimeZone(): string {
    return this._tz;
  }
  /** https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet#getSpreadsheetLocale() — e.g. "vi_VN". */
  getSpreadsheetLocale(): string {
    return this._locale;
  }
  getSheets(): SheetImpl[] {
    return this._sheets.slice();
  }
  getSheetByName(name: string): SheetImpl | null {
    return this._sheets.find((s) => s._name === name) ?? null;
  }
  /** insertSheet(sheetName) and insertSheet(sheetName, sheetIndex) — the index is 0-based; the new sheet becomes active. */
  insertSheet(...args: unknown[]): SheetImpl {
    const [name, index] = args;
    if (typeof name !== 'string' || args.length > 2 || (args.length === 2 && typeof index !== 'number')) {
      throw notEmulated(`Spreadsheet.insertSheet(${args.map((a) => typeof a).join(', ')})`);
    }
    const sheet = this._addSheet(name, index as number | undefined);
    this._activeSheet = sheet;
    return sheet;
  }
  getActiveSheet(): SheetImpl {
    return this._active();
  }
  setActiveSheet(sheet: SheetImpl): SheetImpl {
    if (!(sheet instanceof SheetImpl) || !this._sheets.includes(sheet)) {
      throw signatureError('SpreadsheetApp.Spreadsheet.setActiveSheet', [sheet]);
    }
    this._activeSheet = sheet;
    return sheet;
  }
  getActiveRange(): RangeImpl {
    return this._active().getActiveRange();
  }
  toast(msg: string, title?: string, timeoutSeconds?: number): void {
    this._ctx.ui.toasts.push({ message: String(msg), title: title == null ? '' : String(title), timeoutSeconds: timeoutSeconds ?? 5 });
  }
}

function seedGrid(sheet: SheetImpl, r0: number, c0: number, values: unknown[][]): void {
  const width = values.reduce((m, row) => Math.max(m, row.length), 0);
  values.forEach((row, i) => {
    row.forEach((v, j) => {
      if (v === '' || v === null || v === undefined) return;
      if (r0 + i > sheet._maxRows) sheet._maxRows = r0 + i;
      if (c0 + j > sheet._maxCols) sheet._maxCols = c0 + j;
      const cell = sheet._mut(r0 + i, c0 + j);
      cell.value = isDate(v)
        ? new Date(v.getTime())
        : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string'
          ? v
          : String(v);
    });
  });
  if (values.length && width) sheet._contentChanged([{ r: r0, c: c0, nr: values.length, nc: width }]);
}

// ---------------------------------------------------------------------------
// SpreadsheetApp — https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet-app
// ---------------------------------------------------------------------------

export class SpreadsheetAppImpl extends GasObject {
  readonly _cls = 'SpreadsheetApp';
  readonly ProtectionType = ProtectionType;
  readonly BooleanCriteria = BooleanCriteria;
  readonly ColorType = ColorType;

  constructor(
    ctx: Ctx,
    readonly _ss: SpreadsheetImpl,
    readonly _ui: UiImpl,
  ) {
    super(ctx);
  }
  /** The bound spreadsheet; needs at least LIMITED authorization. */
  private active(method: string): SpreadsheetImpl {
    requireAuth(this._ctx, `SpreadsheetApp.${method}`, 'https://www.googleapis.com/auth/spreadsheets.currentonly', 'LIMITED');
    return this._ss;
  }
  getActive(): SpreadsheetImpl {
    return this.active('getActive');
  }
  getActiveSpreadsheet(): SpreadsheetImpl {
    return this.active('getActiveSpreadsheet');
  }
  /**
   * The Ui of the open editor. "A script can only interact with the UI for the current instance of an open editor"
   * (https://developers.google.com/apps-script/reference/base/ui): a time-driven run has no editor and throws
   * "Cannot call SpreadsheetApp.getUi() from this context." (the message reported for time-driven triggers, e.g.
   * https://github.com/davepar/gcalendarsync/issues/93). An installable edit trigger runs as its installer, not in
   * the session of the person editing: assumed to throw the same (no reference says otherwise).
   */
  getUi(): UiImpl {
    const kind = this._ctx.exec.kind;
    if (kind === 'time-driven' || kind === 'installable-edit') throw gasError('Cannot call SpreadsheetApp.getUi() from this context.');
    return this._ui;
  }
  flush(): void {
    // Nothing is buffered in the emulator.
  }
  newDataValidation(): DataValidationBuilderImpl {
    return new DataValidationBuilderImpl(this._ctx);
  }
  newRichTextValue(): RichTextValueBuilderImpl {
    return new RichTextValueBuilderImpl(this._ctx);
  }
  newConditionalFormatRule(): ConditionalFormatRuleBuilderImpl {
    return new ConditionalFormatRuleBuilderImpl(this._ctx);
  }
}
