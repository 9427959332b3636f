/**
 * In-memory Spreadsheet service: SpreadsheetApp, Spreadsheet, Sheet, Range, Protection,
 * DataValidation(+Builder), RichTextValue(+Builder), EmbeddedChart(+Builder).
 *
 * Cells are stored sparsely per sheet. Every cell has: value, formula, note, formats
 * (background, font weight/colour/style/size/family/line, number format, alignments, wrap,
 * border), data validation and rich text. Writes made by the code under test go through the
 * same checks as in Sheets: array dimensions, protections (for the effective user), merges.
 */

import { type Rect, cellA1, parseA1, rectContains, rectInside, rectToA1, rectsIntersect, splitSheetRef } from './a1';
import {
  type Ctx,
  type EnumValue,
  GasObject,
  UserImpl,
  emailOf,
  enumKey,
  gasError,
  isDate,
  isEnumOf,
  makeEnum,
  requireAuth,
  signatureError,
} from './core';
import { formatSheetsDatePattern, isKnownTimeZone, zoneParts } from './dates';
import type { UiImpl } from './ui';

// ---------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------

export const DataValidationCriteria = makeEnum('DataValidationCriteria', [
  'DATE_AFTER',
  'DATE_BEFORE',
  'DATE_BETWEEN',
  'DATE_EQUAL_TO',
  'DATE_IS_VALID_DATE',
  'DATE_NOT_BETWEEN',
  'DATE_ON_OR_AFTER',
  'DATE_ON_OR_BEFORE',
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
  'TEXT_IS_VALID_EMAIL',
  'TEXT_IS_VALID_URL',
  'VALUE_IN_LIST',
  'VALUE_IN_RANGE',
  'CUSTOM_FORMULA',
  'CHECKBOX',
] as const);
export const ProtectionType = makeEnum('ProtectionType', ['RANGE', 'SHEET'] as const);
export const BorderStyle = makeEnum('BorderStyle', ['DOTTED', 'DASHED', 'SOLID', 'SOLID_MEDIUM', 'SOLID_THICK', 'DOUBLE'] as const);
export const WrapStrategy = makeEnum('WrapStrategy', ['WRAP', 'OVERFLOW', 'CLIP'] as const);
export const ChartType = makeEnum('ChartType', [
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

export const PROTECTED_MESSAGE =
  'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.';

// ---------------------------------------------------------------------------
// Cells
// ---------------------------------------------------------------------------

export type CellValue = string | number | boolean | Date;

export interface BorderSpec {
  top: boolean | null;
  left: boolean | null;
  bottom: boolean | null;
  right: boolean | null;
  vertical: boolean | null;
  horizontal: boolean | null;
  color: string | null;
  style: string | null;
}

export interface CellState {
  value: CellValue;
  formula: string;
  note: string;
  background: string;
  fontWeight: string;
  fontColor: string;
  fontStyle: string;
  fontSize: number;
  fontFamily: string;
  fontLine: string;
  numberFormat: string;
  horizontalAlignment: string;
  verticalAlignment: string;
  wrap: boolean;
  dataValidation: DataValidationImpl | null;
  richText: RichTextValueImpl | null;
  border: BorderSpec | null;
}

export const DEFAULT_NUMBER_FORMAT = '0.###############';

export const DEFAULT_CELL: Readonly<CellState> = Object.freeze({
  value: '',
  formula: '',
  note: '',
  background: '#ffffff',
  fontWeight: 'normal',
  fontColor: '#000000',
  fontStyle: 'normal',
  fontSize: 10,
  fontFamily: 'Arial',
  fontLine: 'none',
  numberFormat: DEFAULT_NUMBER_FORMAT,
  horizontalAlignment: 'general',
  verticalAlignment: 'bottom',
  wrap: false,
  dataValidation: null,
  richText: null,
  border: null,
});

type FormatKey =
  | 'background'
  | 'fontWeight'
  | 'fontColor'
  | 'fontStyle'
  | 'fontSize'
  | 'fontFamily'
  | 'fontLine'
  | 'numberFormat'
  | 'horizontalAlignment'
  | 'verticalAlignment'
  | 'wrap'
  | 'border';
const FORMAT_KEYS: FormatKey[] = [
  'background',
  'fontWeight',
  'fontColor',
  'fontStyle',
  'fontSize',
  'fontFamily',
  'fontLine',
  'numberFormat',
  'horizontalAlignment',
  'verticalAlignment',
  'wrap',
  'border',
];

const NAMED_COLORS: Record<string, string> = {
  white: '#ffffff',
  black: '#000000',
  red: '#ff0000',
  green: '#008000',
  lime: '#00ff00',
  blue: '#0000ff',
  yellow: '#ffff00',
  orange: '#ffa500',
  gray: '#808080',
  grey: '#808080',
  silver: '#c0c0c0',
  purple: '#800080',
  cyan: '#00ffff',
  magenta: '#ff00ff',
  pink: '#ffc0cb',
  brown: '#a52a2a',
  navy: '#000080',
  teal: '#008080',
};

/** Sheets reports colours as lower-case #rrggbb. */
export function normalizeColor(c: string): string {
  const s = String(c).trim().toLowerCase();
  if (NAMED_COLORS[s]) return NAMED_COLORS[s];
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(s);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`;
  return s;
}

function copyValue(v: CellValue): CellValue {
  return isDate(v) ? new Date(v.getTime()) : v;
}

const NUMBER_RE = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const PERCENT_RE = /^\s*([+-]?(\d+\.?\d*|\.\d+))\s*%\s*$/;

interface ParsedInput {
  value: CellValue;
  formula: string;
  numberFormat?: string;
}

/**
 * What a cell holds after the code (or a user) enters `raw`, like Sheets does for
 * Range.setValue(s): `'=...'` becomes a formula, `"'text"` stays text (apostrophe dropped),
 * numeric / TRUE / FALSE / percent strings become numbers / booleans (unless the cell is
 * formatted as plain text `@`). Dates in text form are NOT parsed (locale dependent).
 */
export function parseInput(raw: unknown, numberFormat: string): ParsedInput {
  if (raw === null || raw === undefined) return { value: '', formula: '' };
  if (isDate(raw)) return { value: new Date(raw.getTime()), formula: '' };
  if (typeof raw === 'number' || typeof raw === 'boolean') return { value: raw, formula: '' };
  if (typeof raw !== 'string') return { value: String(raw), formula: '' };
  if (numberFormat === '@') return { value: raw, formula: '' };
  if (raw.length > 1 && raw.startsWith('=')) return { value: '', formula: raw };
  if (raw.startsWith("'")) return { value: raw.slice(1), formula: '' };
  if (NUMBER_RE.test(raw)) return { value: Number(raw), formula: '' };
  const pct = PERCENT_RE.exec(raw);
  if (pct) {
    const decimals = (pct[1].split('.')[1] ?? '').length;
    return { value: Number(pct[1]) / 100, formula: '', numberFormat: decimals ? `0.${'0'.repeat(decimals)}%` : '0%' };
  }
  if (/^(true|false)$/i.test(raw.trim())) return { value: raw.trim().toLowerCase() === 'true', formula: '' };
  return { value: raw, formula: '' };
}

function groupThousands(s: string): string {
  const [int, frac] = s.split('.');
  const neg = int.startsWith('-');
  const digits = neg ? int.slice(1) : int;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg ? '-' : '') + grouped + (frac !== undefined ? `.${frac}` : '');
}

function automaticNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(10)));
}

/** Text a cell shows (Range.getDisplayValue), for the formats the fake understands. */
export function displayOf(cell: Readonly<CellState>, tz: string): string {
  const v = cell.value;
  const fmt = cell.numberFormat;
  if (v === '') return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (isDate(v)) {
    if (fmt && fmt !== DEFAULT_NUMBER_FORMAT && /[dmyhs]/i.test(fmt)) return formatSheetsDatePattern(v, tz, fmt);
    const p = zoneParts(v, tz);
    const midnight = p.hour === 0 && p.minute === 0 && p.second === 0;
    return formatSheetsDatePattern(v, tz, midnight ? 'dd/mm/yyyy' : 'dd/mm/yyyy hh:mm:ss');
  }
  if (fmt === '@') return String(v);
  const m = /^(#,##)?0(?:\.(0+))?(%)?$/.exec(fmt);
  if (m) {
    const decimals = m[2]?.length ?? 0;
    const n = m[3] ? v * 100 : v;
    let s = n.toFixed(decimals);
    if (m[1]) s = groupThousands(s);
    return s + (m[3] ?? '');
  }
  return automaticNumber(v);
}

function isEmptyCell(c: Readonly<CellState>): boolean {
  return c.value === '' && c.formula === '';
}

// ---------------------------------------------------------------------------
// Rich text
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
  /** URL when the whole text (or [start,end)) has one and the same link, else null. */
  getLinkUrl(startOffset?: number, endOffset?: number): string | null {
    const s = startOffset ?? 0;
    const e = endOffset ?? this._text.length;
    if (e <= s) return null;
    const first = this._links[s] ?? null;
    for (let i = s + 1; i < e; i++) if ((this._links[i] ?? null) !== first) return null;
    return first;
  }
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
  copy(): RichTextValueBuilderImpl {
    const b = new RichTextValueBuilderImpl(this._ctx);
    b._text = this._text;
    b._links = this._links.slice();
    return b;
  }
}

export class RichTextValueBuilderImpl extends GasObject {
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
  /** Styles are accepted and ignored by the fake. */
  setTextStyle(..._args: unknown[]): RichTextValueBuilderImpl {
    return this;
  }
  build(): RichTextValueImpl {
    return new RichTextValueImpl(this._ctx, this._text, this._links.slice());
  }
}

// ---------------------------------------------------------------------------
// Data validation
// ---------------------------------------------------------------------------

type Criteria = keyof typeof DataValidationCriteria;

export class DataValidationImpl extends GasObject {
  readonly _cls = 'DataValidation';
  constructor(
    ctx: Ctx,
    readonly _criteria: Criteria,
    readonly _values: readonly unknown[],
    readonly _allowInvalid: boolean,
    readonly _helpText: string | null,
  ) {
    super(ctx);
  }
  getCriteriaType(): EnumValue {
    return DataValidationCriteria[this._criteria];
  }
  getCriteriaValues(): unknown[] {
    return this._values.map((v) => (Array.isArray(v) ? v.slice() : v));
  }
  getAllowInvalid(): boolean {
    return this._allowInvalid;
  }
  getHelpText(): string | null {
    return this._helpText;
  }
  copy(): DataValidationBuilderImpl {
    const b = new DataValidationBuilderImpl(this._ctx);
    b._criteria = this._criteria;
    b._values = this.getCriteriaValues();
    b._allowInvalid = this._allowInvalid;
    b._helpText = this._helpText;
    return b;
  }

  /** Would Sheets accept this value typed by a user? (script writes are never checked) */
  _accepts(value: CellValue): boolean {
    if (value === '') return true;
    const v = this._values;
    const num = typeof value === 'number' ? value : NaN;
    switch (this._criteria) {
      case 'NUMBER_BETWEEN':
        return num >= Number(v[0]) && num <= Number(v[1]);
      case 'NUMBER_NOT_BETWEEN':
        return !Number.isNaN(num) && (num < Number(v[0]) || num > Number(v[1]));
      case 'NUMBER_EQUAL_TO':
        return num === Number(v[0]);
      case 'NUMBER_NOT_EQUAL_TO':
        return !Number.isNaN(num) && num !== Number(v[0]);
      case 'NUMBER_GREATER_THAN':
        return num > Number(v[0]);
      case 'NUMBER_GREATER_THAN_OR_EQUAL_TO':
        return num >= Number(v[0]);
      case 'NUMBER_LESS_THAN':
        return num < Number(v[0]);
      case 'NUMBER_LESS_THAN_OR_EQUAL_TO':
        return num <= Number(v[0]);
      case 'VALUE_IN_LIST':
        return (v[0] as unknown[]).map(String).includes(displayOf({ ...DEFAULT_CELL, value }, 'UTC'));
      case 'CHECKBOX':
        if (v.length >= 2) return value === v[0] || value === v[1];
        return typeof value === 'boolean';
      case 'TEXT_IS_VALID_EMAIL':
        return typeof value === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
      case 'TEXT_IS_VALID_URL':
        return typeof value === 'string' && /^https?:\/\/\S+$/i.test(value);
      case 'TEXT_CONTAINS':
        return String(value).includes(String(v[0]));
      case 'TEXT_DOES_NOT_CONTAIN':
        return !String(value).includes(String(v[0]));
      case 'TEXT_EQUAL_TO':
        return String(value) === String(v[0]);
      case 'DATE_IS_VALID_DATE':
        return isDate(value);
      default:
        return true;
    }
  }
}

export class DataValidationBuilderImpl extends GasObject {
  readonly _cls = 'DataValidationBuilder';
  _criteria: Criteria | null = null;
  _values: unknown[] = [];
  _allowInvalid = true;
  _helpText: string | null = null;

  private set(criteria: Criteria, values: unknown[]): DataValidationBuilderImpl {
    this._criteria = criteria;
    this._values = values;
    return this;
  }
  requireNumberBetween(start: number, end: number): DataValidationBuilderImpl {
    return this.set('NUMBER_BETWEEN', [start, end]);
  }
  requireNumberNotBetween(start: number, end: number): DataValidationBuilderImpl {
    return this.set('NUMBER_NOT_BETWEEN', [start, end]);
  }
  requireNumberEqualTo(n: number): DataValidationBuilderImpl {
    return this.set('NUMBER_EQUAL_TO', [n]);
  }
  requireNumberNotEqualTo(n: number): DataValidationBuilderImpl {
    return this.set('NUMBER_NOT_EQUAL_TO', [n]);
  }
  requireNumberGreaterThan(n: number): DataValidationBuilderImpl {
    return this.set('NUMBER_GREATER_THAN', [n]);
  }
  requireNumberGreaterThanOrEqualTo(n: number): DataValidationBuilderImpl {
    return this.set('NUMBER_GREATER_THAN_OR_EQUAL_TO', [n]);
  }
  requireNumberLessThan(n: number): DataValidationBuilderImpl {
    return this.set('NUMBER_LESS_THAN', [n]);
  }
  requireNumberLessThanOrEqualTo(n: number): DataValidationBuilderImpl {
    return this.set('NUMBER_LESS_THAN_OR_EQUAL_TO', [n]);
  }
  requireValueInList(values: unknown[], showDropdown = true): DataValidationBuilderImpl {
    if (!Array.isArray(values)) throw signatureError('DataValidationBuilder.requireValueInList', [values]);
    return this.set('VALUE_IN_LIST', [values.slice(), showDropdown]);
  }
  requireValueInRange(range: RangeImpl, showDropdown = true): DataValidationBuilderImpl {
    return this.set('VALUE_IN_RANGE', [range, showDropdown]);
  }
  requireCheckbox(checkedValue?: unknown, uncheckedValue?: unknown): DataValidationBuilderImpl {
    const vals: unknown[] = [];
    if (checkedValue !== undefined) vals.push(checkedValue);
    if (uncheckedValue !== undefined) vals.push(uncheckedValue);
    return this.set('CHECKBOX', vals);
  }
  requireTextIsEmail(): DataValidationBuilderImpl {
    return this.set('TEXT_IS_VALID_EMAIL', []);
  }
  requireTextIsUrl(): DataValidationBuilderImpl {
    return this.set('TEXT_IS_VALID_URL', []);
  }
  requireTextContains(text: string): DataValidationBuilderImpl {
    return this.set('TEXT_CONTAINS', [text]);
  }
  requireTextDoesNotContain(text: string): DataValidationBuilderImpl {
    return this.set('TEXT_DOES_NOT_CONTAIN', [text]);
  }
  requireTextEqualTo(text: string): DataValidationBuilderImpl {
    return this.set('TEXT_EQUAL_TO', [text]);
  }
  requireDate(): DataValidationBuilderImpl {
    return this.set('DATE_IS_VALID_DATE', []);
  }
  requireFormulaSatisfied(formula: string): DataValidationBuilderImpl {
    return this.set('CUSTOM_FORMULA', [formula]);
  }
  withCriteria(criteria: EnumValue, args: unknown[]): DataValidationBuilderImpl {
    if (!isEnumOf(criteria, DataValidationCriteria)) throw signatureError('DataValidationBuilder.withCriteria', [criteria, args]);
    return this.set(enumKey(criteria) as Criteria, Array.isArray(args) ? args.slice() : []);
  }
  setAllowInvalid(allowInvalidData: boolean): DataValidationBuilderImpl {
    this._allowInvalid = !!allowInvalidData;
    return this;
  }
  setHelpText(helpText: string): DataValidationBuilderImpl {
    this._helpText = String(helpText);
    return this;
  }
  getCriteriaType(): EnumValue | null {
    return this._criteria ? DataValidationCriteria[this._criteria] : null;
  }
  getCriteriaValues(): unknown[] {
    return this._values.slice();
  }
  getAllowInvalid(): boolean {
    return this._allowInvalid;
  }
  getHelpText(): string | null {
    return this._helpText;
  }
  copy(): DataValidationBuilderImpl {
    const b = new DataValidationBuilderImpl(this._ctx);
    b._criteria = this._criteria;
    b._values = this._values.slice();
    b._allowInvalid = this._allowInvalid;
    b._helpText = this._helpText;
    return b;
  }
  build(): DataValidationImpl {
    if (!this._criteria) throw gasError('You must specify a criteria for the data validation rule.');
    return new DataValidationImpl(this._ctx, this._criteria, this._values.slice(), this._allowInvalid, this._helpText);
  }
}

// ---------------------------------------------------------------------------
// Charts
// ---------------------------------------------------------------------------

export interface ChartPosition {
  anchorRow: number;
  anchorColumn: number;
  offsetX: number;
  offsetY: number;
}

export class EmbeddedChartBuilderImpl extends GasObject {
  readonly _cls = 'EmbeddedChartBuilder';
  _type: EnumValue | null = null;
  _ranges: RangeImpl[] = [];
  _position: ChartPosition = { anchorRow: 1, anchorColumn: 1, offsetX: 0, offsetY: 0 };
  _options = new Map<string, unknown>();
  _numHeaders = -1;
  _chartId: number | null = null;

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
  getChartType(): EnumValue | null {
    return this._type;
  }
  addRange(range: RangeImpl): EmbeddedChartBuilderImpl {
    if (!(range instanceof RangeImpl)) throw signatureError('EmbeddedChartBuilder.addRange', [range]);
    this._ranges.push(range);
    return this;
  }
  removeRange(range: RangeImpl): EmbeddedChartBuilderImpl {
    this._ranges = this._ranges.filter((r) => !(r._sheet === range._sheet && rectToA1(r._rect) === rectToA1(range._rect)));
    return this;
  }
  clearRanges(): EmbeddedChartBuilderImpl {
    this._ranges = [];
    return this;
  }
  getRanges(): RangeImpl[] {
    return this._ranges.slice();
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
    const c = new EmbeddedChartImpl(
      this._ctx,
      this._sheet,
      this._type,
      this._ranges.slice(),
      { ...this._position },
      new Map(this._options),
      this._numHeaders,
    );
    c._chartId = this._chartId;
    return c;
  }
}

class ChartOptionsImpl extends GasObject {
  readonly _cls = 'ChartOptions';
  constructor(
    ctx: Ctx,
    readonly _map: ReadonlyMap<string, unknown>,
  ) {
    super(ctx);
  }
  get(option: string): unknown {
    return this._map.has(option) ? this._map.get(option) : null;
  }
}

class ContainerInfoImpl extends GasObject {
  readonly _cls = 'ContainerInfo';
  constructor(
    ctx: Ctx,
    readonly _p: ChartPosition,
  ) {
    super(ctx);
  }
  getAnchorRow(): number {
    return this._p.anchorRow;
  }
  getAnchorColumn(): number {
    return this._p.anchorColumn;
  }
  getOffsetX(): number {
    return this._p.offsetX;
  }
  getOffsetY(): number {
    return this._p.offsetY;
  }
}

export class EmbeddedChartImpl extends GasObject {
  readonly _cls = 'EmbeddedChart';
  _chartId: number | null = null;
  constructor(
    ctx: Ctx,
    readonly _sheet: SheetImpl,
    readonly _type: EnumValue,
    readonly _ranges: RangeImpl[],
    readonly _position: ChartPosition,
    readonly _options: Map<string, unknown>,
    readonly _numHeaders: number,
  ) {
    super(ctx);
  }
  getChartId(): number | null {
    return this._chartId;
  }
  getRanges(): RangeImpl[] {
    return this._ranges.slice();
  }
  getOptions(): ChartOptionsImpl {
    return new ChartOptionsImpl(this._ctx, this._options);
  }
  getContainerInfo(): ContainerInfoImpl {
    return new ContainerInfoImpl(this._ctx, this._position);
  }
  getNumHeaders(): number {
    return this._numHeaders;
  }
  modify(): EmbeddedChartBuilderImpl {
    const b = new EmbeddedChartBuilderImpl(this._ctx, this._sheet);
    b._type = this._type;
    b._ranges = this._ranges.slice();
    b._position = { ...this._position };
    b._options = new Map(this._options);
    b._numHeaders = this._numHeaders;
    b._chartId = this._chartId;
    return b;
  }
}

/** Plain description of a chart, for tests. */
export interface ChartRecord {
  chartId: number | null;
  type: string | null;
  ranges: string[];
  position: ChartPosition;
  options: Record<string, unknown>;
}

// ---------------------------------------------------------------------------
// Protection
// ---------------------------------------------------------------------------

export class ProtectionImpl extends GasObject {
  readonly _cls = 'Protection';
  _rect: Rect;
  _description = '';
  _warningOnly = false;
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
    rect: Rect,
  ) {
    super(ctx);
    this._rect = rect;
  }

  /** May `email` edit cells covered by this protection (ignoring warning-only)? */
  _allows(email: string): boolean {
    if (email === this._ss._owner) return true;
    if (!this._ss._editors.has(email)) return false;
    if (this._editors === null) return true;
    if (this._editors.has(email)) return true;
    return this._domainEdit && domainOf(email) !== '' && domainOf(email) === domainOf(this._ss._owner);
  }
  /** Does this protection let `email` change cells (warning-only protections let every editor through)? */
  _permits(email: string): boolean {
    return this._warningOnly ? this._ss._editors.has(email) || email === this._ss._owner : this._allows(email);
  }
  _covers(r: number, c: number): boolean {
    if (this._type === 'RANGE') return rectContains(this._rect, r, c);
    return !this._unprotected.some((u) => rectContains(u, r, c));
  }
  private guard(): void {
    if (this._removed) throw gasError('This protection has been removed.');
    if (!this.canEdit()) throw gasError(PROTECTED_MESSAGE);
  }
  private customize(): Set<string> {
    if (this._editors === null) this._editors = new Set(this._ss._editors);
    return this._editors;
  }

  addEditor(emailAddressOrUser: string | UserImpl): ProtectionImpl {
    this.guard();
    this.customize().add(emailOf(emailAddressOrUser));
    return this;
  }
  addEditors(emailAddresses: string[]): ProtectionImpl {
    this.guard();
    const set = this.customize();
    for (const e of emailAddresses) set.add(emailOf(e));
    return this;
  }
  /** Neither the owner nor the current (effective) user can be removed. */
  removeEditor(emailAddressOrUser: string | UserImpl): ProtectionImpl {
    this.guard();
    const email = emailOf(emailAddressOrUser);
    const set = this.customize();
    if (email !== this._ss._owner && email !== this._ctx.effectiveUser) set.delete(email);
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
  canEdit(): boolean {
    return this._permits(this._ctx.effectiveUser);
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
  isWarningOnly(): boolean {
    return this._warningOnly;
  }
  setWarningOnly(warningOnly: boolean): ProtectionImpl {
    this.guard();
    this._warningOnly = !!warningOnly;
    return this;
  }
  getProtectionType(): EnumValue {
    return ProtectionType[this._type];
  }
  getRange(): RangeImpl {
    if (this._type === 'SHEET') return this._sheet._range({ r: 1, c: 1, nr: this._sheet._maxRows, nc: this._sheet._maxCols });
    return this._sheet._range(this._rect);
  }
  setRange(range: RangeImpl): ProtectionImpl {
    this.guard();
    if (this._type === 'SHEET') throw gasError('The range of a sheet protection cannot be changed.');
    if (range._sheet !== this._sheet) throw gasError('The range must be on the same sheet as the protection.');
    this._rect = { ...range._rect };
    return this;
  }
  getRangeName(): string | null {
    return null;
  }
  getUnprotectedRanges(): RangeImpl[] {
    return this._unprotected.map((r) => this._sheet._range(r));
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
export interface ProtectionRecord {
  type: 'RANGE' | 'SHEET';
  sheet: string;
  range: string;
  description: string;
  warningOnly: boolean;
  /** null when the protection still mirrors the spreadsheet's editors. */
  editors: string[] | null;
  domainEdit: boolean;
  unprotectedRanges: string[];
}

// ---------------------------------------------------------------------------
// Range
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
        `The number of columns in the data does not match the number of columns in the range. The data has ${row.length} but the range has ${nc}.`,
      );
    }
  }
}

export class RangeImpl extends GasObject {
  readonly _cls = 'Range';
  constructor(
    ctx: Ctx,
    readonly _sheet: SheetImpl,
    readonly _rect: Rect,
  ) {
    super(ctx);
  }

  // ----- internals -----
  private get ss(): SpreadsheetImpl {
    return this._sheet._ss;
  }
  private cell(i: number, j: number): Readonly<CellState> {
    return this._sheet._peek(this._rect.r + i, this._rect.c + j);
  }
  private grid<T>(f: (c: Readonly<CellState>) => T): T[][] {
    const { nr, nc } = this._rect;
    const out: T[][] = new Array(nr);
    for (let i = 0; i < nr; i++) {
      const row: T[] = new Array(nc);
      for (let j = 0; j < nc; j++) row[j] = f(this.cell(i, j));
      out[i] = row;
    }
    return out;
  }
  private assertWritable(): void {
    this.ss._assertCanWrite(this._sheet, this._rect);
  }
  private setEach(f: (c: CellState, i: number, j: number) => void): RangeImpl {
    this.assertWritable();
    const { r, c, nr, nc } = this._rect;
    for (let i = 0; i < nr; i++) for (let j = 0; j < nc; j++) f(this._sheet._mut(r + i, c + j), i, j);
    this._sheet._compact(this._rect);
    return this;
  }
  /** Like setEach, for operations that only reset state: visits existing cells only. */
  private resetEach(f: (c: CellState) => void): RangeImpl {
    this.assertWritable();
    const touched: number[] = [];
    for (const [k, cell] of this._sheet._cells) {
      if (!rectContains(this._rect, Math.floor(k / KEY_BASE), k % KEY_BASE)) continue;
      f(cell);
      touched.push(k);
    }
    this._sheet._compactKeys(touched);
    return this;
  }
  private setGrid<T>(method: string, data: unknown, f: (c: CellState, v: T, row: number, col: number) => void): RangeImpl {
    checkGrid(method, data, this._rect.nr, this._rect.nc);
    return this.setEach((cell, i, j) => f(cell, (data as T[][])[i][j], this._rect.r + i, this._rect.c + j));
  }
  private setFormat<K extends FormatKey>(key: K, v: CellState[K]): RangeImpl {
    return this.setEach((cell) => {
      cell[key] = v;
    });
  }
  private setFormats<K extends FormatKey>(method: string, key: K, data: unknown, conv: (v: unknown) => CellState[K]): RangeImpl {
    return this.setGrid<unknown>(method, data, (cell, v) => {
      cell[key] = conv(v);
    });
  }
  _write(cell: CellState, raw: unknown, row: number, col: number): void {
    const p = parseInput(raw, cell.numberFormat);
    cell.formula = p.formula;
    cell.richText = null;
    if (p.numberFormat) cell.numberFormat = p.numberFormat;
    if (p.formula) {
      const ev = this._ctx.evaluateFormula;
      cell.value = ev ? parseInput(ev(p.formula, { sheet: this._sheet._name, row, column: col }), '@').value : '';
    } else {
      cell.value = p.value;
    }
  }

  // ----- geometry -----
  getA1Notation(): string {
    return rectToA1(this._rect);
  }
  getRow(): number {
    return this._rect.r;
  }
  getRowIndex(): number {
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
  getHeight(): number {
    return this._rect.nr;
  }
  getWidth(): number {
    return this._rect.nc;
  }
  getLastRow(): number {
    return this._rect.r + this._rect.nr - 1;
  }
  getLastColumn(): number {
    return this._rect.c + this._rect.nc - 1;
  }
  getSheet(): SheetImpl {
    return this._sheet;
  }
  getGridId(): number {
    return this._sheet._id;
  }
  getCell(row: number, column: number): RangeImpl {
    if (row < 1 || column < 1 || row > this._rect.nr || column > this._rect.nc) throw gasError('Cell reference out of range');
    return this._sheet._range({ r: this._rect.r + row - 1, c: this._rect.c + column - 1, nr: 1, nc: 1 });
  }
  offset(rowOffset: number, columnOffset: number, numRows?: number, numColumns?: number): RangeImpl {
    return this._sheet.getRange(
      this._rect.r + rowOffset,
      this._rect.c + columnOffset,
      numRows ?? this._rect.nr,
      numColumns ?? this._rect.nc,
    );
  }
  activate(): RangeImpl {
    this._sheet._activateRange(this._rect);
    return this;
  }
  activateAsCurrentCell(): RangeImpl {
    this._sheet._activateRange(this._rect);
    return this;
  }
  isBlank(): boolean {
    const { r, c, nr, nc } = this._rect;
    for (let i = 0; i < nr; i++) for (let j = 0; j < nc; j++) if (!isEmptyCell(this._sheet._peek(r + i, c + j))) return false;
    return true;
  }

  // ----- values -----
  getValue(): CellValue {
    return copyValue(this.cell(0, 0).value);
  }
  getValues(): CellValue[][] {
    return this.grid((c) => copyValue(c.value));
  }
  getDisplayValue(): string {
    return displayOf(this.cell(0, 0), this.ss._tz);
  }
  getDisplayValues(): string[][] {
    const tz = this.ss._tz;
    return this.grid((c) => displayOf(c, tz));
  }
  getFormula(): string {
    return this.cell(0, 0).formula;
  }
  getFormulas(): string[][] {
    return this.grid((c) => c.formula);
  }
  setValue(value: unknown): RangeImpl {
    if (Array.isArray(value)) throw signatureError('SpreadsheetApp.Range.setValue', [value]);
    return this.setEach((cell, i, j) => this._write(cell, value, this._rect.r + i, this._rect.c + j));
  }
  setValues(values: unknown[][]): RangeImpl {
    return this.setGrid<unknown>('setValues', values, (cell, v, row, col) => this._write(cell, v, row, col));
  }
  setFormula(formula: string): RangeImpl {
    return this.setEach((cell, i, j) => this._write(cell, formula, this._rect.r + i, this._rect.c + j));
  }
  setFormulas(formulas: string[][]): RangeImpl {
    return this.setGrid<string>('setFormulas', formulas, (cell, v, row, col) => this._write(cell, v, row, col));
  }
  clearContent(): RangeImpl {
    return this.resetEach((cell) => {
      cell.value = '';
      cell.formula = '';
      cell.richText = null;
    });
  }
  clearFormat(): RangeImpl {
    return this.resetEach((cell) => {
      for (const k of FORMAT_KEYS) (cell as unknown as Record<string, unknown>)[k] = DEFAULT_CELL[k];
    });
  }
  clearNote(): RangeImpl {
    return this.resetEach((cell) => {
      cell.note = '';
    });
  }
  clearDataValidations(): RangeImpl {
    return this.resetEach((cell) => {
      cell.dataValidation = null;
    });
  }
  /** clear() with no options clears everything; options pick what to clear. */
  clear(options?: {
    commentsOnly?: boolean;
    contentsOnly?: boolean;
    formatOnly?: boolean;
    validationsOnly?: boolean;
    skipFilteredRows?: boolean;
  }): RangeImpl {
    const o = options ?? {};
    const any = o.commentsOnly || o.contentsOnly || o.formatOnly || o.validationsOnly;
    return this.resetEach((cell) => {
      if (!any || o.contentsOnly) {
        cell.value = '';
        cell.formula = '';
        cell.richText = null;
      }
      if (!any || o.formatOnly) for (const k of FORMAT_KEYS) (cell as unknown as Record<string, unknown>)[k] = DEFAULT_CELL[k];
      if (!any || o.validationsOnly) cell.dataValidation = null;
      if (!any || o.commentsOnly) cell.note = '';
    });
  }
  copyTo(destination: RangeImpl, options?: { contentsOnly?: boolean; formatOnly?: boolean }): void {
    if (!(destination instanceof RangeImpl)) throw signatureError('SpreadsheetApp.Range.copyTo', [destination]);
    const src = this.grid((c) => ({ ...c }));
    const dest = destination._sheet._range({ r: destination._rect.r, c: destination._rect.c, nr: this._rect.nr, nc: this._rect.nc });
    dest.setEach((cell, i, j) => {
      const s = src[i][j];
      if (!options?.formatOnly) {
        cell.value = copyValue(s.value);
        cell.formula = s.formula;
        cell.richText = s.richText;
        cell.note = s.note;
        cell.dataValidation = s.dataValidation;
      }
      if (!options?.contentsOnly) for (const k of FORMAT_KEYS) (cell as unknown as Record<string, unknown>)[k] = s[k];
    });
  }

  // ----- notes -----
  getNote(): string {
    return this.cell(0, 0).note;
  }
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

  // ----- formats -----
  getBackground(): string {
    return this.cell(0, 0).background;
  }
  getBackgrounds(): string[][] {
    return this.grid((c) => c.background);
  }
  setBackground(color: string | null): RangeImpl {
    return this.setFormat('background', color == null ? DEFAULT_CELL.background : normalizeColor(color));
  }
  setBackgroundRGB(red: number, green: number, blue: number): RangeImpl {
    const h = (n: number) =>
      Math.max(0, Math.min(255, Math.round(n)))
        .toString(16)
        .padStart(2, '0');
    return this.setFormat('background', `#${h(red)}${h(green)}${h(blue)}`);
  }
  setBackgrounds(color: (string | null)[][]): RangeImpl {
    return this.setFormats('setBackgrounds', 'background', color, (v) => (v == null ? DEFAULT_CELL.background : normalizeColor(String(v))));
  }
  getFontWeight(): string {
    return this.cell(0, 0).fontWeight;
  }
  getFontWeights(): string[][] {
    return this.grid((c) => c.fontWeight);
  }
  setFontWeight(fontWeight: string | null): RangeImpl {
    return this.setFormat('fontWeight', fontWeight ?? DEFAULT_CELL.fontWeight);
  }
  setFontWeights(fontWeights: (string | null)[][]): RangeImpl {
    return this.setFormats('setFontWeights', 'fontWeight', fontWeights, (v) => (v == null ? DEFAULT_CELL.fontWeight : String(v)));
  }
  getFontColor(): string {
    return this.cell(0, 0).fontColor;
  }
  getFontColors(): string[][] {
    return this.grid((c) => c.fontColor);
  }
  setFontColor(color: string | null): RangeImpl {
    return this.setFormat('fontColor', color == null ? DEFAULT_CELL.fontColor : normalizeColor(color));
  }
  setFontColors(colors: (string | null)[][]): RangeImpl {
    return this.setFormats('setFontColors', 'fontColor', colors, (v) => (v == null ? DEFAULT_CELL.fontColor : normalizeColor(String(v))));
  }
  getFontStyle(): string {
    return this.cell(0, 0).fontStyle;
  }
  getFontStyles(): string[][] {
    return this.grid((c) => c.fontStyle);
  }
  setFontStyle(fontStyle: string | null): RangeImpl {
    return this.setFormat('fontStyle', fontStyle ?? DEFAULT_CELL.fontStyle);
  }
  setFontStyles(fontStyles: (string | null)[][]): RangeImpl {
    return this.setFormats('setFontStyles', 'fontStyle', fontStyles, (v) => (v == null ? DEFAULT_CELL.fontStyle : String(v)));
  }
  getFontSize(): number {
    return this.cell(0, 0).fontSize;
  }
  getFontSizes(): number[][] {
    return this.grid((c) => c.fontSize);
  }
  setFontSize(size: number): RangeImpl {
    return this.setFormat('fontSize', size);
  }
  setFontSizes(sizes: number[][]): RangeImpl {
    return this.setFormats('setFontSizes', 'fontSize', sizes, (v) => Number(v));
  }
  getFontFamily(): string {
    return this.cell(0, 0).fontFamily;
  }
  getFontFamilies(): string[][] {
    return this.grid((c) => c.fontFamily);
  }
  setFontFamily(fontFamily: string | null): RangeImpl {
    return this.setFormat('fontFamily', fontFamily ?? DEFAULT_CELL.fontFamily);
  }
  setFontFamilies(fontFamilies: (string | null)[][]): RangeImpl {
    return this.setFormats('setFontFamilies', 'fontFamily', fontFamilies, (v) => (v == null ? DEFAULT_CELL.fontFamily : String(v)));
  }
  getFontLine(): string {
    return this.cell(0, 0).fontLine;
  }
  getFontLines(): string[][] {
    return this.grid((c) => c.fontLine);
  }
  setFontLine(fontLine: string | null): RangeImpl {
    return this.setFormat('fontLine', fontLine ?? DEFAULT_CELL.fontLine);
  }
  setFontLines(fontLines: (string | null)[][]): RangeImpl {
    return this.setFormats('setFontLines', 'fontLine', fontLines, (v) => (v == null ? DEFAULT_CELL.fontLine : String(v)));
  }
  getNumberFormat(): string {
    return this.cell(0, 0).numberFormat;
  }
  getNumberFormats(): string[][] {
    return this.grid((c) => c.numberFormat);
  }
  setNumberFormat(numberFormat: string): RangeImpl {
    return this.setFormat('numberFormat', String(numberFormat));
  }
  setNumberFormats(numberFormats: string[][]): RangeImpl {
    return this.setFormats('setNumberFormats', 'numberFormat', numberFormats, (v) => String(v));
  }
  getHorizontalAlignment(): string {
    return this.cell(0, 0).horizontalAlignment;
  }
  getHorizontalAlignments(): string[][] {
    return this.grid((c) => c.horizontalAlignment);
  }
  setHorizontalAlignment(alignment: string | null): RangeImpl {
    return this.setFormat('horizontalAlignment', alignment ?? DEFAULT_CELL.horizontalAlignment);
  }
  setHorizontalAlignments(alignments: (string | null)[][]): RangeImpl {
    return this.setFormats('setHorizontalAlignments', 'horizontalAlignment', alignments, (v) =>
      v == null ? DEFAULT_CELL.horizontalAlignment : String(v),
    );
  }
  getVerticalAlignment(): string {
    return this.cell(0, 0).verticalAlignment;
  }
  getVerticalAlignments(): string[][] {
    return this.grid((c) => c.verticalAlignment);
  }
  setVerticalAlignment(alignment: string | null): RangeImpl {
    return this.setFormat('verticalAlignment', alignment ?? DEFAULT_CELL.verticalAlignment);
  }
  setVerticalAlignments(alignments: (string | null)[][]): RangeImpl {
    return this.setFormats('setVerticalAlignments', 'verticalAlignment', alignments, (v) =>
      v == null ? DEFAULT_CELL.verticalAlignment : String(v),
    );
  }
  getWrap(): boolean {
    return this.cell(0, 0).wrap;
  }
  getWraps(): boolean[][] {
    return this.grid((c) => c.wrap);
  }
  setWrap(isWrapEnabled: boolean): RangeImpl {
    return this.setFormat('wrap', !!isWrapEnabled);
  }
  setWraps(isWrapEnabled: boolean[][]): RangeImpl {
    return this.setFormats('setWraps', 'wrap', isWrapEnabled, (v) => !!v);
  }
  getWrapStrategy(): EnumValue {
    return this.cell(0, 0).wrap ? WrapStrategy.WRAP : WrapStrategy.OVERFLOW;
  }
  setWrapStrategy(strategy: EnumValue): RangeImpl {
    return this.setFormat('wrap', enumKey(strategy) === 'WRAP');
  }
  /** Borders are recorded per cell (see cellState().border); edge semantics are not modelled. */
  setBorder(
    top: boolean | null,
    left: boolean | null,
    bottom: boolean | null,
    right: boolean | null,
    vertical: boolean | null,
    horizontal: boolean | null,
    color?: string | null,
    style?: EnumValue | null,
  ): RangeImpl {
    const spec: BorderSpec = {
      top,
      left,
      bottom,
      right,
      vertical,
      horizontal,
      color: color == null ? null : normalizeColor(color),
      style: style == null ? null : enumKey(style),
    };
    return this.setFormat('border', spec);
  }

  // ----- data validation -----
  getDataValidation(): DataValidationImpl | null {
    return this.cell(0, 0).dataValidation;
  }
  getDataValidations(): (DataValidationImpl | null)[][] {
    return this.grid((c) => c.dataValidation);
  }
  setDataValidation(rule: DataValidationImpl | null): RangeImpl {
    if (rule !== null && !(rule instanceof DataValidationImpl)) throw signatureError('SpreadsheetApp.Range.setDataValidation', [rule]);
    return this.setEach((cell) => {
      cell.dataValidation = rule;
    });
  }
  setDataValidations(rules: (DataValidationImpl | null)[][]): RangeImpl {
    return this.setGrid<DataValidationImpl | null>('setDataValidations', rules, (cell, v) => {
      if (v !== null && !(v instanceof DataValidationImpl)) throw signatureError('SpreadsheetApp.Range.setDataValidations', [rules]);
      cell.dataValidation = v;
    });
  }
  insertCheckboxes(checkedValue?: unknown, uncheckedValue?: unknown): RangeImpl {
    const b = new DataValidationBuilderImpl(this._ctx).requireCheckbox(checkedValue, uncheckedValue);
    const rule = b.build();
    const unchecked = uncheckedValue !== undefined ? uncheckedValue : false;
    return this.setEach((cell) => {
      cell.dataValidation = rule;
      if (isEmptyCell(cell)) cell.value = unchecked as CellValue;
    });
  }
  check(): RangeImpl {
    return this.setEach((cell) => {
      const v = cell.dataValidation;
      if (v && v._criteria === 'CHECKBOX') cell.value = (v._values.length ? v._values[0] : true) as CellValue;
    });
  }
  uncheck(): RangeImpl {
    return this.setEach((cell) => {
      const v = cell.dataValidation;
      if (v && v._criteria === 'CHECKBOX') cell.value = (v._values.length >= 2 ? v._values[1] : false) as CellValue;
    });
  }
  isChecked(): boolean | null {
    const c = this.cell(0, 0);
    const v = c.dataValidation;
    if (v?._criteria !== 'CHECKBOX') return null;
    return c.value === (v._values.length ? v._values[0] : true);
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
    return this.setEach((cell) => {
      cell.value = value._text;
      cell.formula = '';
      cell.richText = value;
    });
  }
  setRichTextValues(values: RichTextValueImpl[][]): RangeImpl {
    return this.setGrid<RichTextValueImpl>('setRichTextValues', values, (cell, v) => {
      if (!(v instanceof RichTextValueImpl)) throw signatureError('SpreadsheetApp.Range.setRichTextValues', [values]);
      cell.value = v._text;
      cell.formula = '';
      cell.richText = v;
    });
  }

  // ----- merges -----
  merge(): RangeImpl {
    this.assertWritable();
    this._sheet._merge([this._rect]);
    return this;
  }
  mergeAcross(): RangeImpl {
    this.assertWritable();
    const rects: Rect[] = [];
    for (let i = 0; i < this._rect.nr; i++) rects.push({ r: this._rect.r + i, c: this._rect.c, nr: 1, nc: this._rect.nc });
    this._sheet._merge(rects);
    return this;
  }
  mergeVertically(): RangeImpl {
    this.assertWritable();
    const rects: Rect[] = [];
    for (let j = 0; j < this._rect.nc; j++) rects.push({ r: this._rect.r, c: this._rect.c + j, nr: this._rect.nr, nc: 1 });
    this._sheet._merge(rects);
    return this;
  }
  breakApart(): RangeImpl {
    this.assertWritable();
    const hit = this._sheet._merges.filter((m) => rectsIntersect(m, this._rect));
    if (hit.some((m) => !rectInside(m, this._rect)))
      throw gasError('You must select all cells in a merged range to merge or unmerge them.');
    this._sheet._merges = this._sheet._merges.filter((m) => !hit.includes(m));
    return this;
  }
  getMergedRanges(): RangeImpl[] {
    return this._sheet._merges.filter((m) => rectsIntersect(m, this._rect)).map((m) => this._sheet._range(m));
  }
  isPartOfMerge(): boolean {
    return this._sheet._merges.some((m) => rectsIntersect(m, this._rect));
  }

  // ----- protection -----
  protect(): ProtectionImpl {
    const p = new ProtectionImpl(this._ctx, this.ss, this._sheet, 'RANGE', { ...this._rect });
    this.ss._protections.push(p);
    return p;
  }
}

function richOf(ctx: Ctx, c: Readonly<CellState>): RichTextValueImpl | null {
  if (c.richText && c.value === c.richText._text) return c.richText;
  if (typeof c.value !== 'string') return null;
  return new RichTextValueImpl(ctx, c.value, new Array<string | null>(c.value.length).fill(null));
}

// ---------------------------------------------------------------------------
// RangeList
// ---------------------------------------------------------------------------

export class RangeListImpl extends GasObject {
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
  getRanges(): RangeImpl[] {
    return this._ranges.map((r) => r._sheet._range(r._rect));
  }
  activate(): RangeListImpl {
    const last = this._ranges[this._ranges.length - 1];
    if (last) last.activate();
    return this;
  }
  setValue(value: unknown): RangeListImpl {
    return this.each((r) => r.setValue(value));
  }
  setFormula(formula: string): RangeListImpl {
    return this.each((r) => r.setFormula(formula));
  }
  setNote(note: string | null): RangeListImpl {
    return this.each((r) => r.setNote(note));
  }
  setBackground(color: string | null): RangeListImpl {
    return this.each((r) => r.setBackground(color));
  }
  setFontWeight(fontWeight: string | null): RangeListImpl {
    return this.each((r) => r.setFontWeight(fontWeight));
  }
  setFontColor(color: string | null): RangeListImpl {
    return this.each((r) => r.setFontColor(color));
  }
  setFontSize(size: number): RangeListImpl {
    return this.each((r) => r.setFontSize(size));
  }
  setFontStyle(fontStyle: string | null): RangeListImpl {
    return this.each((r) => r.setFontStyle(fontStyle));
  }
  setNumberFormat(format: string): RangeListImpl {
    return this.each((r) => r.setNumberFormat(format));
  }
  setHorizontalAlignment(alignment: string | null): RangeListImpl {
    return this.each((r) => r.setHorizontalAlignment(alignment));
  }
  setVerticalAlignment(alignment: string | null): RangeListImpl {
    return this.each((r) => r.setVerticalAlignment(alignment));
  }
  setWrap(isWrapEnabled: boolean): RangeListImpl {
    return this.each((r) => r.setWrap(isWrapEnabled));
  }
  setBorder(...args: Parameters<RangeImpl['setBorder']>): RangeListImpl {
    return this.each((r) => r.setBorder(...args));
  }
  clear(options?: Parameters<RangeImpl['clear']>[0]): RangeListImpl {
    return this.each((r) => r.clear(options));
  }
  clearContent(): RangeListImpl {
    return this.each((r) => r.clearContent());
  }
  clearFormat(): RangeListImpl {
    return this.each((r) => r.clearFormat());
  }
  clearNote(): RangeListImpl {
    return this.each((r) => r.clearNote());
  }
  clearDataValidations(): RangeListImpl {
    return this.each((r) => r.clearDataValidations());
  }
  breakApart(): RangeListImpl {
    return this.each((r) => r.breakApart());
  }
  insertCheckboxes(checkedValue?: unknown, uncheckedValue?: unknown): RangeListImpl {
    return this.each((r) => r.insertCheckboxes(checkedValue, uncheckedValue));
  }
  check(): RangeListImpl {
    return this.each((r) => r.check());
  }
  uncheck(): RangeListImpl {
    return this.each((r) => r.uncheck());
  }
}

// ---------------------------------------------------------------------------
// Sheet
// ---------------------------------------------------------------------------

const KEY_BASE = 32768;
const CELL_KEYS = Object.keys(DEFAULT_CELL) as (keyof CellState)[];
const key = (r: number, c: number) => r * KEY_BASE + c;

function shiftRectForInsert(rect: Rect, at: number, n: number): void {
  if (rect.r >= at) rect.r += n;
  else if (rect.r + rect.nr - 1 >= at) rect.nr += n;
}

/** Returns false when the rectangle disappears completely. */
function shiftRectForDelete(rect: Rect, at: number, n: number): boolean {
  const end = at + n - 1;
  const r2 = rect.r + rect.nr - 1;
  const keptBefore = Math.max(0, Math.min(r2, at - 1) - rect.r + 1);
  const keptAfter = Math.max(0, r2 - Math.max(rect.r, end + 1) + 1);
  if (keptBefore + keptAfter === 0) return false;
  rect.r = Math.min(rect.r, at);
  rect.nr = keptBefore + keptAfter;
  return true;
}

export class SheetImpl extends GasObject {
  readonly _cls = 'Sheet';
  _cells = new Map<number, CellState>();
  _merges: Rect[] = [];
  _hiddenRows = new Set<number>();
  _hiddenCols = new Set<number>();
  _frozenRows = 0;
  _frozenCols = 0;
  _colWidths = new Map<number, number>();
  _rowHeights = new Map<number, number>();
  _hidden = false;
  _tabColor: string | null = null;
  _charts: EmbeddedChartImpl[] = [];
  _activeRect: Rect = { r: 1, c: 1, nr: 1, nc: 1 };
  _currentCell: { r: number; c: number } = { r: 1, c: 1 };

  constructor(
    ctx: Ctx,
    readonly _ss: SpreadsheetImpl,
    public _name: string,
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
  _compactKeys(keys: number[]): void {
    for (const k of keys) {
      const cell = this._cells.get(k);
      if (cell && CELL_KEYS.every((p) => cell[p] === DEFAULT_CELL[p])) this._cells.delete(k);
    }
  }
  /** Drop cells that went back to the default state. */
  _compact(rect: Rect): void {
    for (let i = 0; i < rect.nr; i++) {
      for (let j = 0; j < rect.nc; j++) {
        const k = key(rect.r + i, rect.c + j);
        const cell = this._cells.get(k);
        if (cell && CELL_KEYS.every((p) => cell[p] === DEFAULT_CELL[p])) this._cells.delete(k);
      }
    }
  }
  _range(rect: Rect): RangeImpl {
    return new RangeImpl(this._ctx, this, { ...rect });
  }
  _checkRect(rect: Rect): void {
    if (rect.r + rect.nr - 1 > this._maxRows || rect.c + rect.nc - 1 > this._maxCols) {
      throw gasError('The coordinates of the range are outside the dimensions of the sheet.');
    }
  }
  _activateRange(rect: Rect): void {
    this._activeRect = { ...rect };
    this._currentCell = { r: rect.r, c: rect.c };
    this._ss._activeSheet = this;
    this._hidden = false;
  }
  _lastRow(): number {
    let last = 0;
    for (const [k, cell] of this._cells) {
      if (isEmptyCell(cell)) continue;
      const r = Math.floor(k / KEY_BASE);
      if (r > last) last = r;
    }
    return last;
  }
  _lastCol(): number {
    let last = 0;
    for (const [k, cell] of this._cells) {
      if (isEmptyCell(cell)) continue;
      const c = k % KEY_BASE;
      if (c > last) last = c;
    }
    return last;
  }
  _merge(rects: Rect[]): void {
    for (const rect of rects) {
      if (rect.nr === 1 && rect.nc === 1) continue;
      const hit = this._merges.filter((m) => rectsIntersect(m, rect));
      if (hit.some((m) => !rectInside(m, rect))) throw gasError('You must select all cells in a merged range to merge or unmerge them.');
      this._merges = this._merges.filter((m) => !hit.includes(m));
      this._merges.push({ ...rect });
      // Merging keeps only the top-left value.
      for (let i = 0; i < rect.nr; i++) {
        for (let j = 0; j < rect.nc; j++) {
          if (i === 0 && j === 0) continue;
          const cell = this._cells.get(key(rect.r + i, rect.c + j));
          if (cell) {
            cell.value = '';
            cell.formula = '';
            cell.richText = null;
          }
        }
      }
      this._compact(rect);
    }
  }
  private rowsArg(method: string, start: number, n: number): void {
    if (!Number.isInteger(start) || !Number.isInteger(n) || start < 1 || n < 1)
      throw signatureError(`SpreadsheetApp.Sheet.${method}`, [start, n]);
  }
  _insertRows(at: number, n: number): void {
    const cells = new Map<number, CellState>();
    for (const [k, cell] of this._cells) {
      const r = Math.floor(k / KEY_BASE);
      const c = k % KEY_BASE;
      cells.set(key(r >= at ? r + n : r, c), cell);
    }
    this._cells = cells;
    const shiftSet = (s: Set<number>) => new Set([...s].map((r) => (r >= at ? r + n : r)));
    this._hiddenRows = shiftSet(this._hiddenRows);
    this._rowHeights = new Map([...this._rowHeights].map(([r, h]) => [r >= at ? r + n : r, h]));
    for (const m of this._merges) shiftRectForInsert(m, at, n);
    for (const p of this._ss._protections) {
      if (p._sheet !== this) continue;
      if (p._type === 'RANGE') shiftRectForInsert(p._rect, at, n);
      for (const u of p._unprotected) shiftRectForInsert(u, at, n);
    }
    this._maxRows += n;
  }
  _deleteRows(at: number, n: number): void {
    const end = at + n - 1;
    if (end > this._maxRows) throw gasError('Those rows are out of bounds.');
    if (n >= this._maxRows) throw gasError("You can't delete all the rows on the sheet.");
    const cells = new Map<number, CellState>();
    for (const [k, cell] of this._cells) {
      const r = Math.floor(k / KEY_BASE);
      const c = k % KEY_BASE;
      if (r >= at && r <= end) continue;
      cells.set(key(r > end ? r - n : r, c), cell);
    }
    this._cells = cells;
    const move = (r: number) => (r > end ? r - n : r);
    this._hiddenRows = new Set([...this._hiddenRows].filter((r) => r < at || r > end).map(move));
    this._rowHeights = new Map([...this._rowHeights].filter(([r]) => r < at || r > end).map(([r, h]) => [move(r), h]));
    this._merges = this._merges.filter((m) => shiftRectForDelete(m, at, n) && (m.nr > 1 || m.nc > 1));
    this._ss._protections = this._ss._protections.filter((p) => {
      if (p._sheet !== this) return true;
      p._unprotected = p._unprotected.filter((u) => shiftRectForDelete(u, at, n));
      return p._type === 'SHEET' || shiftRectForDelete(p._rect, at, n);
    });
    this._maxRows -= n;
  }

  // ----- identity -----
  getName(): string {
    return this._name;
  }
  getSheetName(): string {
    return this._name;
  }
  setName(name: string): SheetImpl {
    const n = String(name);
    if (n.toLowerCase() !== this._name.toLowerCase()) this._ss._assertNameFree(n);
    this._name = n;
    return this;
  }
  getSheetId(): number {
    return this._id;
  }
  getIndex(): number {
    return this._ss._sheets.indexOf(this) + 1;
  }
  getParent(): SpreadsheetImpl {
    return this._ss;
  }
  activate(): SheetImpl {
    this._ss._activeSheet = this;
    this._hidden = false;
    return this;
  }

  // ----- ranges -----
  getRange(a: number | string, column?: number, numRows?: number, numColumns?: number): RangeImpl {
    if (typeof a === 'string') {
      const { a1 } = splitSheetRef(a);
      const rect = parseA1(a1, this._maxRows, this._maxCols);
      this._checkRect(rect);
      return this._range(rect);
    }
    // biome-ignore lint/complexity/noArguments: Apps Script overloads getRange by argument count
    const args = [a, column, numRows, numColumns].slice(0, Math.max(2, arguments.length));
    if (args.some((x) => typeof x !== 'number' || Number.isNaN(x))) throw signatureError('SpreadsheetApp.Sheet.getRange', args);
    const r = Math.floor(a);
    const c = Math.floor(column as number);
    const nr = numRows === undefined ? 1 : Math.floor(numRows);
    const nc = numColumns === undefined ? 1 : Math.floor(numColumns);
    if (r < 1) throw gasError('The starting row of the range is too small.');
    if (c < 1) throw gasError('The starting column of the range is too small.');
    if (nr < 1) throw gasError('The number of rows in the range must be at least 1.');
    if (nc < 1) throw gasError('The number of columns in the range must be at least 1.');
    const rect = { r, c, nr, nc };
    this._checkRect(rect);
    return this._range(rect);
  }
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
  /** A -1 row/column count means "up to the last row/column with data". */
  getSheetValues(startRow: number, startColumn: number, numRows: number, numColumns: number): CellValue[][] {
    const nr = numRows === -1 ? this._lastRow() - startRow + 1 : numRows;
    const nc = numColumns === -1 ? this._lastCol() - startColumn + 1 : numColumns;
    return this.getRange(startRow, startColumn, nr, nc).getValues();
  }
  appendRow(rowContents: unknown[]): SheetImpl {
    if (!Array.isArray(rowContents)) throw signatureError('SpreadsheetApp.Sheet.appendRow', [rowContents]);
    const row = this._lastRow() + 1;
    if (row > this._maxRows) this._maxRows = row;
    if (rowContents.length > this._maxCols) this._maxCols = rowContents.length;
    if (rowContents.length) this._range({ r: row, c: 1, nr: 1, nc: rowContents.length }).setValues([rowContents]);
    return this;
  }
  getActiveCell(): RangeImpl {
    return this._range({ r: this._currentCell.r, c: this._currentCell.c, nr: 1, nc: 1 });
  }
  getCurrentCell(): RangeImpl {
    return this.getActiveCell();
  }
  getActiveRange(): RangeImpl {
    return this._range(this._activeRect);
  }
  setActiveRange(range: RangeImpl): RangeImpl {
    if (!(range instanceof RangeImpl) || range._sheet !== this) throw gasError('The range must be on the active sheet.');
    this._activateRange(range._rect);
    return this._range(range._rect);
  }
  setActiveSelection(range: RangeImpl | string): RangeImpl {
    const r = typeof range === 'string' ? this.getRange(range) : range;
    return this.setActiveRange(r);
  }
  setCurrentCell(cell: RangeImpl): RangeImpl {
    if (!(cell instanceof RangeImpl) || cell._sheet !== this) throw gasError('The cell must be on this sheet.');
    this._currentCell = { r: cell._rect.r, c: cell._rect.c };
    if (!rectContains(this._activeRect, cell._rect.r, cell._rect.c)) this._activeRect = { r: cell._rect.r, c: cell._rect.c, nr: 1, nc: 1 };
    this._ss._activeSheet = this;
    return this._range({ ...cell._rect, nr: 1, nc: 1 });
  }

  // ----- clearing -----
  clear(options?: { formatOnly?: boolean; contentsOnly?: boolean }): SheetImpl {
    const all = this._range({ r: 1, c: 1, nr: this._maxRows, nc: this._maxCols });
    if (options?.formatOnly || options?.contentsOnly) all.clear({ formatOnly: options.formatOnly, contentsOnly: options.contentsOnly });
    else all.clear();
    return this;
  }
  clearContents(): SheetImpl {
    this._range({ r: 1, c: 1, nr: this._maxRows, nc: this._maxCols }).clearContent();
    return this;
  }
  clearFormats(): SheetImpl {
    this._range({ r: 1, c: 1, nr: this._maxRows, nc: this._maxCols }).clearFormat();
    return this;
  }
  clearNotes(): SheetImpl {
    this._range({ r: 1, c: 1, nr: this._maxRows, nc: this._maxCols }).clearNote();
    return this;
  }

  // ----- rows & columns -----
  insertRowsBefore(beforePosition: number, howMany: number): SheetImpl {
    this.rowsArg('insertRowsBefore', beforePosition, howMany);
    if (beforePosition > this._maxRows) throw gasError('Those rows are out of bounds.');
    this._insertRows(beforePosition, howMany);
    return this;
  }
  insertRowsAfter(afterPosition: number, howMany: number): SheetImpl {
    this.rowsArg('insertRowsAfter', afterPosition, howMany);
    if (afterPosition > this._maxRows) throw gasError('Those rows are out of bounds.');
    this._insertRows(afterPosition + 1, howMany);
    return this;
  }
  /**
   * Adds blank columns after `afterPosition`. Only inserting after the last column (growing the
   * sheet) is modelled; inserting inside the sheet would shift cells and is not needed.
   */
  insertColumnsAfter(afterPosition: number, howMany: number): SheetImpl {
    if (!Number.isInteger(afterPosition) || !Number.isInteger(howMany) || afterPosition < 1 || howMany < 1) {
      throw signatureError('SpreadsheetApp.Sheet.insertColumnsAfter', [afterPosition, howMany]);
    }
    if (afterPosition > this._maxCols) throw gasError('Those columns are out of bounds.');
    if (afterPosition !== this._maxCols) throw new Error('fake: insertColumnsAfter inside the sheet is not modelled');
    this._maxCols += howMany;
    return this;
  }
  insertRowBefore(beforePosition: number): SheetImpl {
    return this.insertRowsBefore(beforePosition, 1);
  }
  insertRowAfter(afterPosition: number): SheetImpl {
    return this.insertRowsAfter(afterPosition, 1);
  }
  insertRows(rowIndex: number, numRows = 1): void {
    this.insertRowsBefore(rowIndex, numRows);
  }
  deleteRows(rowPosition: number, howMany: number): void {
    this.rowsArg('deleteRows', rowPosition, howMany);
    this._ss._assertCanWrite(this, { r: rowPosition, c: 1, nr: howMany, nc: this._maxCols });
    this._deleteRows(rowPosition, howMany);
  }
  deleteRow(rowPosition: number): SheetImpl {
    this.deleteRows(rowPosition, 1);
    return this;
  }
  hideRows(rowIndex: number, numRows = 1): void {
    for (let i = 0; i < numRows; i++) this._hiddenRows.add(rowIndex + i);
  }
  hideRow(row: RangeImpl): void {
    this.hideRows(row._rect.r, row._rect.nr);
  }
  showRows(rowIndex: number, numRows = 1): void {
    for (let i = 0; i < numRows; i++) this._hiddenRows.delete(rowIndex + i);
  }
  unhideRow(row: RangeImpl): void {
    this.showRows(row._rect.r, row._rect.nr);
  }
  isRowHiddenByUser(rowPosition: number): boolean {
    return this._hiddenRows.has(rowPosition);
  }
  hideColumns(columnIndex: number, numColumns = 1): void {
    for (let i = 0; i < numColumns; i++) this._hiddenCols.add(columnIndex + i);
  }
  hideColumn(column: RangeImpl): void {
    this.hideColumns(column._rect.c, column._rect.nc);
  }
  showColumns(columnIndex: number, numColumns = 1): void {
    for (let i = 0; i < numColumns; i++) this._hiddenCols.delete(columnIndex + i);
  }
  unhideColumn(column: RangeImpl): void {
    this.showColumns(column._rect.c, column._rect.nc);
  }
  isColumnHiddenByUser(columnPosition: number): boolean {
    return this._hiddenCols.has(columnPosition);
  }
  setFrozenRows(rows: number): void {
    if (!Number.isInteger(rows) || rows < 0 || rows > this._maxRows) throw signatureError('SpreadsheetApp.Sheet.setFrozenRows', [rows]);
    this._frozenRows = rows;
  }
  getFrozenRows(): number {
    return this._frozenRows;
  }
  setFrozenColumns(columns: number): void {
    if (!Number.isInteger(columns) || columns < 0 || columns > this._maxCols)
      throw signatureError('SpreadsheetApp.Sheet.setFrozenColumns', [columns]);
    this._frozenCols = columns;
  }
  getFrozenColumns(): number {
    return this._frozenCols;
  }
  setColumnWidth(columnPosition: number, width: number): SheetImpl {
    this._colWidths.set(columnPosition, width);
    return this;
  }
  setColumnWidths(startColumn: number, numColumns: number, width: number): SheetImpl {
    for (let i = 0; i < numColumns; i++) this._colWidths.set(startColumn + i, width);
    return this;
  }
  getColumnWidth(columnPosition: number): number {
    return this._colWidths.get(columnPosition) ?? 100;
  }
  /** Width estimated from the longest displayed text (7px per character + padding, at least 21). */
  autoResizeColumns(startColumn: number, numColumns: number): SheetImpl {
    const tz = this._ss._tz;
    for (let j = 0; j < numColumns; j++) {
      const col = startColumn + j;
      let longest = 0;
      for (const [k, cell] of this._cells) {
        if (k % KEY_BASE !== col) continue;
        longest = Math.max(
          longest,
          ...displayOf(cell, tz)
            .split('\n')
            .map((l) => l.length),
        );
      }
      this._colWidths.set(col, Math.max(21, longest * 7 + 10));
    }
    return this;
  }
  autoResizeColumn(columnPosition: number): SheetImpl {
    return this.autoResizeColumns(columnPosition, 1);
  }
  setRowHeight(rowPosition: number, height: number): SheetImpl {
    this._rowHeights.set(rowPosition, height);
    return this;
  }
  setRowHeights(startRow: number, numRows: number, height: number): SheetImpl {
    for (let i = 0; i < numRows; i++) this._rowHeights.set(startRow + i, height);
    return this;
  }
  getRowHeight(rowPosition: number): number {
    return this._rowHeights.get(rowPosition) ?? 21;
  }

  // ----- sheet state -----
  hideSheet(): SheetImpl {
    if (!this._hidden && this._ss._sheets.filter((s) => !s._hidden).length <= 1) {
      throw gasError("You can't hide all the sheets in a document.");
    }
    this._hidden = true;
    if (this._ss._activeSheet === this) {
      const next = this._ss._sheets.find((s) => !s._hidden);
      if (next) this._ss._activeSheet = next;
    }
    return this;
  }
  showSheet(): SheetImpl {
    this._hidden = false;
    return this;
  }
  isSheetHidden(): boolean {
    return this._hidden;
  }
  setTabColor(color: string | null): SheetImpl {
    this._tabColor = color == null ? null : normalizeColor(color);
    return this;
  }
  getTabColor(): string | null {
    return this._tabColor;
  }

  // ----- protection -----
  protect(): ProtectionImpl {
    const existing = this._ss._protections.find((p) => p._sheet === this && p._type === 'SHEET');
    if (existing) return existing;
    const p = new ProtectionImpl(this._ctx, this._ss, this, 'SHEET', { r: 1, c: 1, nr: this._maxRows, nc: this._maxCols });
    this._ss._protections.push(p);
    return p;
  }
  getProtections(type: EnumValue): ProtectionImpl[] {
    const t = enumKey(type);
    if (!isEnumOf(type, ProtectionType)) throw signatureError('SpreadsheetApp.Sheet.getProtections', [type]);
    return this._ss._protections.filter((p) => p._sheet === this && p._type === t);
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
    this._charts = this._charts.filter((c) => c !== chart && (chart._chartId === null || c._chartId !== chart._chartId));
    if (this._charts.length === before) throw gasError('The chart does not exist on this sheet.');
  }
  updateChart(chart: EmbeddedChartImpl): void {
    const i = this._charts.findIndex((c) => c._chartId !== null && c._chartId === chart._chartId);
    if (i < 0) throw gasError('The chart does not exist on this sheet.');
    this._charts[i] = chart;
  }
}

// ---------------------------------------------------------------------------
// Spreadsheet
// ---------------------------------------------------------------------------

export interface SpreadsheetInit {
  id: string;
  name: string;
  timeZone: string;
  owner: string;
  editors: string[];
}

export class SpreadsheetImpl extends GasObject {
  readonly _cls = 'Spreadsheet';
  /** Test-only helpers: invisible to the code under test. */
  static readonly testOnly: ReadonlySet<string> = new Set([
    'setActiveCell',
    'seedCell',
    'seedValues',
    'resizeSheet',
    'sheet',
    'cellState',
    'protectionRecords',
    'chartRecords',
    'addFileEditor',
    'canUserEdit',
  ]);

  _sheets: SheetImpl[] = [];
  _activeSheet: SheetImpl | null = null;
  _protections: ProtectionImpl[] = [];
  _editors: Set<string>;
  _tz: string;
  _name: string;
  readonly _id: string;
  readonly _owner: string;
  _nextChartId = 1;
  private nextGid = 0;

  constructor(ctx: Ctx, init: SpreadsheetInit) {
    super(ctx);
    this._id = init.id;
    this._name = init.name;
    this._tz = init.timeZone;
    this._owner = init.owner;
    this._editors = new Set([init.owner, ...init.editors]);
  }

  // ----- internals -----
  _newGid(): number {
    // First sheet is gid 0 like a new spreadsheet; later ones are stable pseudo-random numbers.
    const n = this.nextGid++;
    if (n === 0) return 0;
    return (n * 1103515245 + 12345) % 2147483647;
  }
  _assertNameFree(name: string): void {
    if (this._sheets.some((s) => s._name.toLowerCase() === name.toLowerCase())) {
      throw gasError(`A sheet with the name "${name}" already exists. Please enter another name.`);
    }
  }
  _addSheet(name: string, index?: number, values?: unknown[][]): SheetImpl {
    this._assertNameFree(name);
    const rows = values?.length ?? 0;
    const cols = values?.reduce((m, r) => Math.max(m, r.length), 0) ?? 0;
    const sheet = new SheetImpl(this._ctx, this, name, this._newGid(), Math.max(1000, rows), Math.max(26, cols));
    if (values) seedGrid(sheet, 1, 1, values);
    if (index === undefined || index >= this._sheets.length) this._sheets.push(sheet);
    else this._sheets.splice(Math.max(0, index), 0, sheet);
    if (!this._activeSheet) this._activeSheet = sheet;
    return sheet;
  }
  _sheetOrThrow(name: string): SheetImpl {
    const s = this._sheets.find((x) => x._name === name);
    if (!s) throw new Error(`[fake] no sheet named "${name}"`);
    return s;
  }
  _active(): SheetImpl {
    if (!this._activeSheet || !this._sheets.includes(this._activeSheet)) this._activeSheet = this._sheets[0];
    return this._activeSheet;
  }
  /** Can `email` change every cell of `rect` on `sheet`? */
  _userCanEdit(sheet: SheetImpl, rect: Rect, email: string): boolean {
    if (email === this._owner) return true;
    if (!this._editors.has(email)) return false;
    for (const p of this._protections) {
      if (p._sheet !== sheet || p._permits(email)) continue;
      if (p._type === 'RANGE') {
        if (rectsIntersect(p._rect, rect)) return false;
        continue;
      }
      for (let i = 0; i < rect.nr; i++) for (let j = 0; j < rect.nc; j++) if (p._covers(rect.r + i, rect.c + j)) return false;
    }
    return true;
  }
  _assertCanWrite(sheet: SheetImpl, rect: Rect): void {
    const user = this._ctx.effectiveUser;
    if (user === this._owner) return;
    if (!this._editors.has(user)) throw gasError('You do not have permission to access the requested document.');
    if (!this._userCanEdit(sheet, rect, user)) throw gasError(PROTECTED_MESSAGE);
  }
  private needDoc(method: string): void {
    requireAuth(this._ctx, method, 'https://www.googleapis.com/auth/spreadsheets.currentonly', 'LIMITED');
  }

  // ----- test helpers (hidden from the code under test) -----
  /** Make `sheetName` active with `a1` as its active range / current cell. */
  setActiveCell(sheetName: string, a1: string): void {
    const s = this._sheetOrThrow(sheetName);
    s._activateRange(parseA1(a1, s._maxRows, s._maxCols));
  }
  /** Put literal cell state (no parsing, no protection checks). */
  seedCell(sheetName: string, a1: string, state: Partial<CellState>): void {
    const s = this._sheetOrThrow(sheetName);
    const rect = parseA1(a1, s._maxRows, s._maxCols);
    for (let i = 0; i < rect.nr; i++) for (let j = 0; j < rect.nc; j++) Object.assign(s._mut(rect.r + i, rect.c + j), state);
    s._compact(rect);
  }
  /** Put literal values starting at `a1` (default A1). */
  seedValues(sheetName: string, values: unknown[][], a1 = 'A1'): void {
    const s = this._sheetOrThrow(sheetName);
    const at = parseA1(a1, s._maxRows, s._maxCols);
    seedGrid(s, at.r, at.c, values);
  }
  resizeSheet(sheetName: string, maxRows: number, maxColumns: number): void {
    const s = this._sheetOrThrow(sheetName);
    s._maxRows = maxRows;
    s._maxCols = maxColumns;
  }
  /** Raw sheet (calls on it are not counted). */
  sheet(name: string): SheetImpl {
    return this._sheetOrThrow(name);
  }
  /** Copy of the full state of one cell. */
  cellState(sheetName: string, a1: string): CellState {
    const s = this._sheetOrThrow(sheetName);
    const r = parseA1(a1, s._maxRows, s._maxCols);
    const c = s._peek(r.r, r.c);
    return { ...c, value: copyValue(c.value) };
  }
  protectionRecords(): ProtectionRecord[] {
    return this._protections.map((p) => ({
      type: p._type,
      sheet: p._sheet._name,
      range: p._type === 'SHEET' ? p._sheet._name : rectToA1(p._rect),
      description: p._description,
      warningOnly: p._warningOnly,
      editors: p._editors ? [...new Set([this._owner, ...p._editors])] : null,
      domainEdit: p._domainEdit,
      unprotectedRanges: p._unprotected.map(rectToA1),
    }));
  }
  chartRecords(sheetName: string): ChartRecord[] {
    return this._sheetOrThrow(sheetName)._charts.map((c) => ({
      chartId: c._chartId,
      type: enumKey(c._type),
      ranges: c._ranges.map((r) => `${r._sheet._name}!${rectToA1(r._rect)}`),
      position: { ...c._position },
      options: Object.fromEntries(c._options),
    }));
  }
  /** Share the file with another editor (same as the real Spreadsheet.addEditor, but uncounted). */
  addFileEditor(email: string): void {
    this._editors.add(email);
  }
  /** Could `email` edit every cell of `a1` on `sheetName`, as Sheets would decide? */
  canUserEdit(sheetName: string, a1: string, email: string): boolean {
    const s = this._sheetOrThrow(sheetName);
    return this._userCanEdit(s, parseA1(a1, s._maxRows, s._maxCols), email);
  }

  // ----- Spreadsheet API -----
  getId(): string {
    return this._id;
  }
  getUrl(): string {
    return `https://docs.google.com/spreadsheets/d/${this._id}/edit`;
  }
  getName(): string {
    return this._name;
  }
  rename(newName: string): void {
    this._name = String(newName);
  }
  getSpreadsheetTimeZone(): string {
    return this._tz;
  }
  setSpreadsheetTimeZone(timezone: string): void {
    if (!isKnownTimeZone(timezone)) throw gasError(`Invalid argument: timezone`);
    this._tz = timezone;
  }
  getSpreadsheetLocale(): string {
    return 'vi_VN';
  }
  getOwner(): UserImpl {
    return new UserImpl(this._ctx, this._owner);
  }
  getEditors(): UserImpl[] {
    return [...this._editors].map((e) => new UserImpl(this._ctx, e));
  }
  addEditor(emailAddressOrUser: string | UserImpl): SpreadsheetImpl {
    this._editors.add(emailOf(emailAddressOrUser));
    return this;
  }
  addEditors(emailAddresses: string[]): SpreadsheetImpl {
    for (const e of emailAddresses) this._editors.add(emailOf(e));
    return this;
  }
  removeEditor(emailAddressOrUser: string | UserImpl): SpreadsheetImpl {
    const e = emailOf(emailAddressOrUser);
    if (e !== this._owner) this._editors.delete(e);
    return this;
  }
  getSheets(): SheetImpl[] {
    return this._sheets.slice();
  }
  getNumSheets(): number {
    return this._sheets.length;
  }
  getSheetByName(name: string): SheetImpl | null {
    return this._sheets.find((s) => s._name === name) ?? null;
  }
  getSheetById(id: number): SheetImpl | null {
    return this._sheets.find((s) => s._id === id) ?? null;
  }
  /** insertSheet(), (index), (name), (name, index) — index is 0-based. */
  insertSheet(a?: string | number | object, b?: number | object): SheetImpl {
    let name: string | undefined;
    let index: number | undefined;
    if (typeof a === 'string') {
      name = a;
      if (typeof b === 'number') index = b;
    } else if (typeof a === 'number') {
      index = a;
    }
    if (name === undefined) {
      let n = this._sheets.length + 1;
      while (this._sheets.some((s) => s._name.toLowerCase() === `sheet${n}`)) n++;
      name = `Sheet${n}`;
    }
    const sheet = this._addSheet(name, index);
    this._activeSheet = sheet;
    return sheet;
  }
  deleteSheet(sheet: SheetImpl): void {
    if (!(sheet instanceof SheetImpl) || !this._sheets.includes(sheet))
      throw signatureError('SpreadsheetApp.Spreadsheet.deleteSheet', [sheet]);
    if (this._sheets.length <= 1) throw gasError("You can't remove all the sheets in a document.");
    this._sheets = this._sheets.filter((s) => s !== sheet);
    this._protections = this._protections.filter((p) => p._sheet !== sheet);
    if (this._activeSheet === sheet) this._activeSheet = this._sheets[0];
  }
  getActiveSheet(): SheetImpl {
    return this._active();
  }
  setActiveSheet(sheet: SheetImpl): SheetImpl {
    if (!(sheet instanceof SheetImpl) || !this._sheets.includes(sheet))
      throw signatureError('SpreadsheetApp.Spreadsheet.setActiveSheet', [sheet]);
    sheet.activate();
    return sheet;
  }
  getActiveRange(): RangeImpl {
    return this._active().getActiveRange();
  }
  getActiveCell(): RangeImpl {
    return this._active().getActiveCell();
  }
  getCurrentCell(): RangeImpl {
    return this._active().getActiveCell();
  }
  setActiveRange(range: RangeImpl): RangeImpl {
    return range._sheet.setActiveRange(range);
  }
  setActiveSelection(range: RangeImpl | string): RangeImpl {
    if (typeof range === 'string') return this.setActiveRange(this.getRange(range));
    return this.setActiveRange(range);
  }
  /** `Sheet1!A1:B2`, `'My sheet'!A1` or plain A1 on the active sheet. */
  getRange(a1Notation: string): RangeImpl {
    if (typeof a1Notation !== 'string') throw signatureError('SpreadsheetApp.Spreadsheet.getRange', [a1Notation]);
    const { sheet, a1 } = splitSheetRef(a1Notation);
    const s = sheet === null ? this._active() : this.getSheetByName(sheet);
    if (!s) throw gasError('Range not found');
    return s.getRange(a1);
  }
  getDataRange(): RangeImpl {
    return this._active().getDataRange();
  }
  getRangeList(a1Notations: string[]): RangeListImpl {
    return this._active().getRangeList(a1Notations);
  }
  getLastRow(): number {
    return this._active().getLastRow();
  }
  getLastColumn(): number {
    return this._active().getLastColumn();
  }
  getProtections(type: EnumValue): ProtectionImpl[] {
    if (!isEnumOf(type, ProtectionType)) throw signatureError('SpreadsheetApp.Spreadsheet.getProtections', [type]);
    const t = enumKey(type);
    return this._protections.filter((p) => p._type === t);
  }
  toast(msg: string, title?: string, timeoutSeconds?: number): void {
    this._ctx.ui.toasts.push({ message: String(msg), title: title == null ? '' : String(title), timeoutSeconds: timeoutSeconds ?? 5 });
  }

  // for SpreadsheetApp gating
  _checkAccess(method: string): void {
    this.needDoc(method);
  }
}

function seedGrid(sheet: SheetImpl, r0: number, c0: number, values: unknown[][]): void {
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
}

// ---------------------------------------------------------------------------
// SpreadsheetApp
// ---------------------------------------------------------------------------

export class SpreadsheetAppImpl extends GasObject {
  readonly _cls = 'SpreadsheetApp';
  readonly DataValidationCriteria = DataValidationCriteria;
  readonly ProtectionType = ProtectionType;
  readonly BorderStyle = BorderStyle;
  readonly WrapStrategy = WrapStrategy;

  constructor(
    ctx: Ctx,
    readonly _ss: SpreadsheetImpl,
    readonly _ui: UiImpl,
  ) {
    super(ctx);
  }
  getActive(): SpreadsheetImpl {
    this._ss._checkAccess('SpreadsheetApp.getActive');
    return this._ss;
  }
  getActiveSpreadsheet(): SpreadsheetImpl {
    this._ss._checkAccess('SpreadsheetApp.getActiveSpreadsheet');
    return this._ss;
  }
  getActiveSheet(): SheetImpl {
    this._ss._checkAccess('SpreadsheetApp.getActiveSheet');
    return this._ss.getActiveSheet();
  }
  getActiveRange(): RangeImpl {
    this._ss._checkAccess('SpreadsheetApp.getActiveRange');
    return this._ss.getActiveRange();
  }
  getCurrentCell(): RangeImpl {
    this._ss._checkAccess('SpreadsheetApp.getCurrentCell');
    return this._ss.getCurrentCell();
  }
  setActiveSheet(sheet: SheetImpl): SheetImpl {
    return this._ss.setActiveSheet(sheet);
  }
  setActiveRange(range: RangeImpl): RangeImpl {
    return this._ss.setActiveRange(range);
  }
  openById(id: string): SpreadsheetImpl {
    requireAuth(this._ctx, 'SpreadsheetApp.openById', 'https://www.googleapis.com/auth/spreadsheets', 'FULL');
    if (id !== this._ss._id) throw gasError('Unexpected error while getting the method or property openById on object SpreadsheetApp.');
    return this._ss;
  }
  openByUrl(url: string): SpreadsheetImpl {
    requireAuth(this._ctx, 'SpreadsheetApp.openByUrl', 'https://www.googleapis.com/auth/spreadsheets', 'FULL');
    if (!String(url).includes(this._ss._id))
      throw gasError('Unexpected error while getting the method or property openByUrl on object SpreadsheetApp.');
    return this._ss;
  }
  getUi(): UiImpl {
    if (!this._ctx.uiAvailable) throw gasError('Cannot call SpreadsheetApp.getUi() from this context.');
    return this._ui;
  }
  flush(): void {
    // Nothing is buffered in the fake.
  }
  newDataValidation(): DataValidationBuilderImpl {
    return new DataValidationBuilderImpl(this._ctx);
  }
  newRichTextValue(): RichTextValueBuilderImpl {
    return new RichTextValueBuilderImpl(this._ctx);
  }
}

/** Cell coordinates of an A1 string on a sheet (for helpers). */
export function cellRect(sheet: SheetImpl, a1: string): Rect {
  return parseA1(a1, sheet._maxRows, sheet._maxCols);
}

export { cellA1 };
