/**
 * Formulas in the emulated spreadsheet, computed by HyperFormula (a real spreadsheet engine with the
 * Sheets/Excel function set; GPL-3, a dev/test dependency only).
 *
 * One engine per spreadsheet holds every sheet. It starts the first time a formula is written (a
 * spreadsheet without formulas never loads it) and is then kept in step with every change of a
 * cell's content: writes are queued and applied in one batch before the next read, so a value read
 * after any write (a script's or a person's) is always recalculated.
 *
 * How formulas read, and what this stand-in assumes of Sheets:
 * - Range.getValues: "values may be of type Number, Boolean, Date, or String"
 *   (https://developers.google.com/apps-script/reference/spreadsheet/range#getValues()); a formula's
 *   error is therefore a String: its code as the cell shows it ("#N/A", "#REF!", "#DIV/0!", "#VALUE!",
 *   "#NAME?", "#NUM!", and "#ERROR!" for a formula that does not parse). A circular reference shows
 *   "#REF!" in Sheets (HyperFormula says "#CYCLE!"). A formula giving nothing (`=A1` on an empty A1)
 *   reads as ''. Date and time results read as a Date (in the spreadsheet's time zone).
 * - Argument separators: ',' and ';' are both accepted (Google Sheets accepts ';' between arguments in
 *   every locale, and ',' in the en_US form Apps Script also takes); one formula mixing both outside
 *   strings is refused as not emulated (in a comma-decimal locale ',' would be a decimal mark).
 * - The text a formula was set with is kept as is (getFormula returns it); Sheets may show it
 *   normalised (upper-case names, the locale's separators): code must not depend on the exact text.
 * - Text in a cell is text to formulas (as an apostrophe-prefixed entry), whatever it looks like.
 * - Comparisons are accent-sensitive ("Chưa tính điểm" is not "Chua tinh diem"), case-insensitive.
 * - A formula whose result spreads over several cells (ARRAYFORMULA, =A1:A3), or that uses a range where
 *   one value is expected, is not emulated (a loud error when it is read).
 */

import type { ConfigParams, HyperFormula, RawCellContent, SimpleCellAddress } from 'hyperformula';
import type { Rect } from './a1';
import { isDate, notEmulated } from './core';
import { fromWallClock, wallClockMs } from './dates';

/** A cell as the engine needs it (CellState of spreadsheet.ts). */
interface FormulaCell {
  readonly value: string | number | boolean | Date;
  readonly formula: string;
}

/** What the engine needs of a sheet (SheetImpl). */
export interface FormulaSheet {
  readonly _name: string;
  _peek(r: number, c: number): FormulaCell;
  /** Every stored cell, with its 1-based position. */
  _eachCell(f: (r: number, c: number, cell: FormulaCell) => void): void;
}

export type FormulaResult = string | number | boolean | Date;

// ---------------------------------------------------------------------------
// Formula text: references shifted, separators normalised
// ---------------------------------------------------------------------------

const WORD = /[$\p{L}\p{N}_.]+/uy;
const ERROR_LITERAL = /#[A-Za-z0-9/]+[!?]?/y;
const CELL_REF = /^(\$?)([A-Za-z]{1,3})(\$?)(\d+)$/;
const MAX_COLUMN = 18278; // ZZZ

function lettersToColumn(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

function columnToLetters(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

interface Scanned {
  text: string;
  /** A reference to another sheet (a `!` outside strings). */
  otherSheet: boolean;
  /** A ',' outside strings and array literals. */
  comma: boolean;
}

/**
 * Rewrite a formula's text: relative references moved by (dr, dc) the way Sheets moves them when a
 * formula is filled or applied to another cell (out of the sheet: #REF!), and, for the engine, ';'
 * between arguments turned into ',' and the constants TRUE/FALSE into the functions HyperFormula
 * knows. Strings ("…") and quoted sheet names ('…') are never touched.
 */
function scan(formula: string, dr: number, dc: number, forEngine: boolean): Scanned {
  let out = '';
  let braces = 0;
  let semicolon = false;
  let comma = false;
  let otherSheet = false;
  let i = 0;
  const n = formula.length;
  while (i < n) {
    const ch = formula[i];
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < n && (formula[j] !== ch || formula[j + 1] === ch)) j += formula[j] === ch ? 2 : 1;
      out += formula.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    ERROR_LITERAL.lastIndex = i;
    const error = ch === '#' ? ERROR_LITERAL.exec(formula) : null;
    if (error) {
      out += error[0];
      i += error[0].length;
      continue;
    }
    WORD.lastIndex = i;
    const m = WORD.exec(formula);
    if (!m) {
      if (ch === '{') braces++;
      else if (ch === '}') braces--;
      else if (ch === '!') otherSheet = true;
      else if (braces === 0 && ch === ',') comma = true;
      if (braces === 0 && ch === ';') {
        semicolon = true;
        out += forEngine ? ',' : ';';
      } else out += ch;
      i++;
      continue;
    }
    const word = m[0];
    const end = i + word.length;
    let k = end;
    while (k < n && /\s/.test(formula[k])) k++;
    const next = formula[k];
    i = end;
    if (next === '(' || next === '!') {
      out += word; // a function or a sheet name
      continue;
    }
    const ref = CELL_REF.exec(word);
    if (ref) {
      const row = ref[3] ? Number(ref[4]) : Number(ref[4]) + dr;
      const col = ref[1] ? lettersToColumn(ref[2]) : lettersToColumn(ref[2]) + dc;
      out += row < 1 || col < 1 || col > MAX_COLUMN ? '#REF!' : `${ref[1]}${columnToLetters(col)}${ref[3]}${row}`;
      continue;
    }
    if ((dr || dc) && /^([A-Za-z]{1,3}|\d+)$/.test(word) && (next === ':' || out.trimEnd().endsWith(':'))) {
      throw notEmulated(`moving a whole-column or whole-row reference (${formula})`);
    }
    out += forEngine && /^(TRUE|FALSE)$/i.test(word) ? `${word}()` : word;
  }
  if (semicolon && comma) throw notEmulated(`a formula mixing ';' and ',' outside strings (${formula})`);
  return { text: out, otherSheet, comma };
}

/** `formula` as it reads in a cell (dr, dc) away: relative references moved, nothing else changed. */
export function shiftFormula(formula: string, dr: number, dc: number): string {
  return dr === 0 && dc === 0 ? formula : scan(formula, dr, dc, false).text;
}

/**
 * Does the formula hold a ',' outside strings? Typed by a person in a locale whose decimal mark is ',' (vi_VN), that
 * comma is a decimal mark and ';' separates arguments; the emulator reads formulas in the form Apps Script takes,
 * so such a typed formula is refused as not emulated rather than computed wrongly.
 */
export function hasComma(formula: string): boolean {
  return scan(formula, 0, 0, false).comma;
}

/** Does the formula refer to another sheet? */
export function refersToOtherSheet(formula: string): boolean {
  return scan(formula, 0, 0, false).otherSheet;
}

const engineText = new Map<string, string>();

/** The formula in the syntax the engine reads (cached: the same formulas come back all the time). */
export function engineFormula(formula: string): string {
  let t = engineText.get(formula);
  if (t === undefined) {
    t = scan(formula, 0, 0, true).text;
    if (engineText.size >= 50000) engineText.clear();
    engineText.set(formula, t);
  }
  return t;
}

// ---------------------------------------------------------------------------
// The engine
// ---------------------------------------------------------------------------

const CONFIG: Partial<ConfigParams> = {
  licenseKey: 'gpl-v3',
  // SUMPRODUCT(LEN(range)) and the like work on arrays as in Sheets.
  useArrayArithmetic: true,
  // Sheets compares text accent-sensitively and case-insensitively.
  accentSensitive: true,
  caseSensitive: false,
  // getValues returns the computed double, not a rounded one.
  smartRounding: false,
  // No undo history: it costs time on every change and nothing undoes.
  undoLimit: 0,
  // Google Sheets limits a spreadsheet to 10 million cells, not a sheet to HyperFormula's default 40,000 rows
  // (https://support.google.com/drive/answer/37603): a history sheet of 100 units × 300 rows passes that after two
  // snapshots.
  maxRows: 1_000_000,
};

/** How Sheets shows the errors HyperFormula names differently. */
const SHEETS_ERROR: Record<string, string> = { CYCLE: '#REF!', SPILL: '#REF!' };

/** HyperFormula's message for a range where one value is expected (ErrorMessage.ScalarExpected). */
const SCALAR_EXPECTED = 'Cell range not allowed.';
const DAY_MS = 86400000;
const SERIAL_EPOCH = Date.UTC(1899, 11, 30);
const DATE_TYPES = new Set(['NUMBER_DATE', 'NUMBER_DATETIME', 'NUMBER_TIME']);

export class FormulaEngine {
  private hf: HyperFormula | null = null;
  private readonly ids = new Map<FormulaSheet, number>();
  private pending: [FormulaSheet, Rect][] = [];

  constructor(
    private readonly sheets: () => readonly FormulaSheet[],
    private readonly timeZone: string,
  ) {}

  /** The content (value or formula) of the cells of `rects` on `sheet` changed. */
  changed(sheet: FormulaSheet, rects: readonly Rect[]): void {
    if (this.hf) {
      for (const rect of rects) this.pending.push([sheet, rect]);
      return;
    }
    const hasFormula = rects.some((rect) => {
      for (let i = 0; i < rect.nr; i++) for (let j = 0; j < rect.nc; j++) if (sheet._peek(rect.r + i, rect.c + j).formula) return true;
      return false;
    });
    if (hasFormula) this.start();
  }

  /** A sheet was added to the spreadsheet (before any content is put in it). */
  sheetAdded(sheet: FormulaSheet): void {
    if (!this.hf) return;
    this.ids.set(sheet, this.hf.getSheetId(this.hf.addSheet(sheet._name)) as number);
  }

  /** The computed value of the formula cell (r, c) of `sheet`. */
  value(sheet: FormulaSheet, r: number, c: number): FormulaResult {
    const hf = this.ready();
    const at: SimpleCellAddress = { sheet: this.ids.get(sheet) as number, row: r - 1, col: c - 1 };
    if (hf.getCellType(at) === 'ARRAYFORMULA') throw notEmulated(`a formula whose result spreads over several cells (${sheet._name})`);
    return this.result(hf.getCellValue(at), () => hf.getCellValueDetailedType(at));
  }

  /**
   * Evaluate `formula` on `sheet` as if it were in A1 (its references are already where they should
   * point). A formula that does not parse gives "#ERROR!".
   */
  evaluate(sheet: FormulaSheet, formula: string): FormulaResult {
    const hf = this.ready();
    let v: ReturnType<HyperFormula['calculateFormula']>;
    try {
      v = hf.calculateFormula(engineFormula(formula), this.ids.get(sheet) as number);
    } catch {
      return '#ERROR!';
    }
    const first = Array.isArray(v) ? v[0]?.[0] : v;
    return this.result(first ?? null, () => 'NUMBER_RAW');
  }

  private result(v: unknown, detailedType: () => string): FormulaResult {
    if (v === null || v === undefined) return '';
    if (typeof v === 'object') {
      const e = v as { type: string; value: string; message: string };
      // A range where one value is expected: Sheets spreads or intersects it, depending on the place.
      if (e.message === SCALAR_EXPECTED) throw notEmulated('a range used where one value is expected (=A1:A3, =A1:A3+1)');
      return SHEETS_ERROR[e.type] ?? e.value;
    }
    if (typeof v === 'number' && DATE_TYPES.has(detailedType())) return this.dateOf(v);
    return v as string | number | boolean;
  }

  /** The engine with every queued change applied; started when needed. */
  private ready(): HyperFormula {
    if (!this.hf) this.start();
    const hf = this.hf as HyperFormula;
    if (this.pending.length) {
      const work = this.pending;
      this.pending = [];
      hf.batch(() => {
        for (const [sheet, rect] of work) {
          const grid: RawCellContent[][] = [];
          for (let i = 0; i < rect.nr; i++) {
            const row: RawCellContent[] = [];
            for (let j = 0; j < rect.nc; j++) row.push(this.content(sheet._peek(rect.r + i, rect.c + j)));
            grid.push(row);
          }
          hf.setCellContents({ sheet: this.ids.get(sheet) as number, row: rect.r - 1, col: rect.c - 1 }, grid);
        }
      });
    }
    return hf;
  }

  /** Build the engine from every sheet's current content. Loaded lazily: most tests never need it. */
  private start(): void {
    const { HyperFormula: HF } = require('hyperformula') as typeof import('hyperformula');
    const grids: Record<string, RawCellContent[][]> = {};
    for (const sheet of this.sheets()) {
      const grid: RawCellContent[][] = [];
      sheet._eachCell((r, c, cell) => {
        const content = this.content(cell);
        if (content === null) return;
        while (grid.length < r) grid.push([]);
        grid[r - 1][c - 1] = content;
      });
      grids[sheet._name] = grid;
    }
    const hf = HF.buildFromSheets(grids, CONFIG);
    this.hf = hf;
    for (const sheet of this.sheets()) this.ids.set(sheet, hf.getSheetId(sheet._name) as number);
  }

  /** What the engine is given for a cell: its formula, or its value with text kept as text. */
  private content(cell: FormulaCell): RawCellContent {
    if (cell.formula) return engineFormula(cell.formula);
    const v = cell.value;
    if (v === '') return null;
    if (typeof v === 'string') return `'${v}`;
    if (isDate(v)) {
      // The engine reads a Date's local fields: give it one showing the spreadsheet's wall-clock time,
      // so that it is a date to the engine too (=A1+1 is a date, as in Sheets).
      const w = new Date(wallClockMs(v, this.timeZone));
      return new Date(
        w.getUTCFullYear(),
        w.getUTCMonth(),
        w.getUTCDate(),
        w.getUTCHours(),
        w.getUTCMinutes(),
        w.getUTCSeconds(),
        w.getUTCMilliseconds(),
      );
    }
    return v;
  }

  /** The Date a date serial number stands for in the spreadsheet's time zone. */
  private dateOf(serial: number): Date {
    const w = new Date(SERIAL_EPOCH + Math.round(serial * DAY_MS));
    return fromWallClock(
      this.timeZone,
      w.getUTCFullYear(),
      w.getUTCMonth() + 1,
      w.getUTCDate(),
      w.getUTCHours(),
      w.getUTCMinutes(),
      w.getUTCSeconds(),
      w.getUTCMilliseconds(),
    );
  }
}
