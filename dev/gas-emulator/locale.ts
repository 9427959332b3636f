/**
 * How Sheets reads text entered into a cell whose number format is not plain text ("@"): typed by a
 * person, or given as a string to Range.setValue(s) / appendRow, which "sets the value … like a user
 * entering it" — text that looks like a number, a percentage, a date or a time becomes one, read the
 * way the spreadsheet's locale (File › Settings › Locale) writes numbers and dates.
 *
 * References:
 * - https://developers.google.com/apps-script/reference/spreadsheet/range#setValue(Object) and
 *   #setNumberFormat(String): the plain-text format "@" keeps a string as typed.
 * - https://support.google.com/docs/answer/3093039 (DATEVALUE): "Understood formats include any date format which is
 *   normally autoconverted when entered … Understood formats may depend on region and language settings."
 * - https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet#getSpreadsheetLocale()
 * - Which locales separate function arguments with ';' (those whose decimal mark is ','): the list of the 72
 *   Sheets locales in https://stackoverflow.com/questions/73767719 — Vietnam is not among the 28 comma locales, so
 *   its decimal mark is ',' (and '.' groups thousands, the Vietnamese way: 1.234,5).
 *
 * Default locale: vi_VN. A commune's spreadsheet is created by staff whose Google account is set to Vietnamese and
 * Vietnam, and a new spreadsheet takes its locale from its creator's settings; en_US is kept for tests that want it.
 *
 * What is read (assumed where the references are silent; each is asserted in spreadsheet.test.ts):
 * - numbers with the locale's decimal mark and optional thousands groups of exactly three digits ("1.234,5" in
 *   vi_VN, "1,234.5" in en_US), an exponent, a sign; the other mark makes it text ("3.5" in vi_VN, "3,5" in en_US);
 * - a percentage: such a number followed by "%" (value / 100, format "0%" or "0.0…%");
 * - TRUE / FALSE in any case;
 * - dates: ISO "2026-06-15" (or 2026/06/15) in every locale; day/month/year (vi_VN) or month/day/year (en_US)
 *   with "/" or "-", a two-digit year meaning 2000–2029 or 1930–1999; day/month (month/day) alone in the
 *   current year; each optionally followed by a time "H:mm" or "H:mm:ss"; an impossible date stays text;
 * - a time alone "H:mm[:ss]" (a Date on 30/12/1899, the day Sheets counts from);
 * - every date and time in the spreadsheet's time zone, with a date number format set on the cell.
 * Not read (stays text): month names, AM/PM, currencies, fractions.
 */

import { fromWallClock, wallClockMs } from './dates';

export type SpreadsheetLocale = 'vi_VN' | 'en_US';

interface LocaleRules {
  decimal: string;
  group: string;
  /** Day before month in a date. */
  dayFirst: boolean;
}

const RULES: Record<SpreadsheetLocale, LocaleRules> = {
  vi_VN: { decimal: ',', group: '.', dayFirst: true },
  en_US: { decimal: '.', group: ',', dayFirst: false },
};

export function isSpreadsheetLocale(s: string): s is SpreadsheetLocale {
  return s in RULES;
}

/** A value read from text, with the number format Sheets gives the cell for it (if any). */
export interface ReadValue {
  value: number | boolean | Date;
  numberFormat?: string;
}

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2}))?`;
const ISO_DATE = new RegExp(String.raw`^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]+${TIME})?$`);
const LOCAL_DATE = new RegExp(String.raw`^(\d{1,2})([-/])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?:\s+${TIME})?$`);
const TIME_ONLY = new RegExp(`^${TIME}$`);

const esc = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Reads typed text in one spreadsheet's locale and time zone. */
export class TextReader {
  private readonly number: RegExp;
  private readonly rules: LocaleRules;

  constructor(
    readonly locale: SpreadsheetLocale,
    readonly timeZone: string,
    /** Today, for a date typed without its year. */
    private readonly now: () => Date,
  ) {
    this.rules = RULES[locale];
    const d = esc(this.rules.decimal);
    const g = esc(this.rules.group);
    // 12 | 1.234 (vi_VN groups) | 12,5 | ,5 | 12, — then an optional exponent
    this.number = new RegExp(String.raw`^([+-]?)(\d{1,3}(?:${g}\d{3})+|\d+)?(?:${d}(\d*))?(?:[eE]([+-]?\d+))?$`);
  }

  /** The value Sheets makes of `text`, or null when it stays text. */
  read(text: string): ReadValue | null {
    const t = text.trim();
    if (!t) return null;
    if (/^(true|false)$/i.test(t)) return { value: t.toLowerCase() === 'true' };
    const n = this.readNumber(t);
    if (n !== null) return { value: n };
    if (t.endsWith('%')) {
      const body = t.slice(0, -1).trim();
      const p = this.readNumber(body);
      if (p !== null) {
        const decimals = body.split(this.rules.decimal)[1]?.replace(/[eE].*$/, '').length ?? 0;
        return { value: p / 100, numberFormat: decimals ? `0.${'0'.repeat(decimals)}%` : '0%' };
      }
    }
    return this.readDate(t);
  }

  private readNumber(t: string): number | null {
    const m = this.number.exec(t);
    if (!m || (m[2] === undefined && !m[3])) return null;
    const int = (m[2] ?? '0').split(this.rules.group).join('');
    const n = Number(`${m[1]}${int}.${m[3] || '0'}e${m[4] ?? '0'}`);
    return Number.isFinite(n) ? n : null;
  }

  private readDate(t: string): ReadValue | null {
    const iso = ISO_DATE.exec(t);
    if (iso) return this.date(+iso[1], +iso[2], +iso[3], iso.slice(4), 'yyyy-mm-dd');
    const local = LOCAL_DATE.exec(t);
    if (local) {
      const [a, b] = [+local[1], +local[3]];
      const [day, month] = this.rules.dayFirst ? [a, b] : [b, a];
      const year = local[4] === undefined ? this.currentYear() : twoDigitYear(local[4]);
      return this.date(year, month, day, local.slice(5), this.rules.dayFirst ? 'd/m/yyyy' : 'm/d/yyyy');
    }
    const time = TIME_ONLY.exec(t);
    if (time) return this.date(1899, 12, 30, time.slice(1), '');
    return null;
  }

  /** A valid date (and time) in the spreadsheet's time zone, else null. */
  private date(year: number, month: number, day: number, time: (string | undefined)[], dateFormat: string): ReadValue | null {
    const [h, mi, s] = time.map((x) => (x === undefined ? undefined : Number(x)));
    const hasTime = h !== undefined;
    if (hasTime && (h > 23 || (mi as number) > 59 || (s ?? 0) > 59)) return null;
    const check = new Date(Date.UTC(2000, month - 1, day));
    check.setUTCFullYear(year);
    if (month < 1 || month > 12 || day < 1 || check.getUTCMonth() !== month - 1) return null;
    const timeFormat = s === undefined ? 'H:mm' : 'H:mm:ss';
    const numberFormat = !dateFormat ? timeFormat : hasTime ? `${dateFormat} ${timeFormat}` : dateFormat;
    return { value: fromWallClock(this.timeZone, year, month, day, h ?? 0, mi ?? 0, s ?? 0), numberFormat };
  }

  private currentYear(): number {
    return new Date(wallClockMs(this.now(), this.timeZone)).getUTCFullYear();
  }
}

/** Two-digit years: 00–29 are 2000–2029, 30–99 are 1930–1999 (as Sheets and Excel read them). */
function twoDigitYear(y: string): number {
  if (y.length === 4) return Number(y);
  const n = Number(y);
  return n < 30 ? 2000 + n : 1900 + n;
}
