/** Text helpers shared by the core: label matching that ignores case, diacritics and spacing. */

/**
 * Characters that show nothing on screen, often pasted from Word or a web page: control
 * characters (not tab or line breaks), soft hyphen, zero-width spaces and joiners, word joiner,
 * direction marks and embeddings, byte-order mark. Reading ignores them.
 */
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** Spaces other than the plain space, tab and line breaks (no-break, narrow, ideographic…). */
const OTHER_SPACE = /[^\S \n\r\t]/g;
const NEEDS_CLEANING = new RegExp(`${INVISIBLE.source}|${OTHER_SPACE.source}`);

/** Text as read: invisible characters removed, other spaces (no-break, narrow…) as plain spaces. */
export function visibleText(text: string): string {
  if (!NEEDS_CLEANING.test(text)) return text;
  return text.replace(INVISIBLE, '').replace(OTHER_SPACE, ' ');
}

/** Lower-case, strip Vietnamese diacritics (đ → d), drop invisible characters, collapse whitespace and line breaks. */
export function normalizeLabel(value: unknown): string {
  return visibleText(String(value ?? ''))
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** A Date from any realm (values can come from another JavaScript context). */
export function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

/** A cell is blank when it is empty or shows nothing (only spaces or invisible characters). */
export function isBlank(value: unknown): boolean {
  return value === '' || value === null || value === undefined || (typeof value === 'string' && visibleText(value).trim() === '');
}

/** A cell's value as trimmed display text (numbers as JavaScript prints them, dates as yyyy-mm-dd), invisible characters left out. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (isDate(value)) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  return visibleText(String(value)).trim();
}

/** Spreadsheet column letters for a 0-based column index: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** A1 notation for a 1-based row and 0-based column. */
export function a1(row: number, col: number): string {
  return columnLetter(col) + row;
}

/** Formats a number the Vietnamese way: comma decimals, at most 3 decimals. */
export function formatPoints(value: number): string {
  const rounded = Math.round(value * 1000) / 1000;
  return String(rounded).replace('.', ',');
}

/** A1 notation of one cell to its 1-based row and 0-based column ("$" ignored). */
export function parseA1Cell(ref: string): { row: number; col: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(ref.replace(/\$/g, '').toUpperCase());
  if (!m) return { row: 0, col: 0 };
  let col = 0;
  for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]), col: col - 1 };
}

/** A merged area from its A1 range ("B3:C5"): 1-based row, 0-based column, size. */
export function mergeFromA1(range: string): { row: number; col: number; numRows: number; numCols: number } {
  const [from, to = from] = range.split(':');
  const a = parseA1Cell(from);
  const b = parseA1Cell(to);
  return { row: a.row, col: a.col, numRows: b.row - a.row + 1, numCols: b.col - a.col + 1 };
}

/** 2048 → "2.048" (Vietnamese digit grouping, without relying on Intl). */
export function thousands(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}
