/** Text helpers shared by the core: label matching that ignores case, diacritics and spacing. */

/** Lower-case, strip Vietnamese diacritics (đ → d), collapse whitespace and line breaks. */
export function normalizeLabel(value: unknown): string {
  return String(value ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** A cell is blank when it is empty or only whitespace. */
export function isBlank(value: unknown): boolean {
  return value === '' || value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** A cell's value as trimmed display text (numbers as JavaScript prints them, dates as yyyy-mm-dd). */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  return String(value).trim();
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
