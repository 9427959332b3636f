/**
 * A1 notation helpers (1-based rows and columns, like Apps Script).
 * https://developers.google.com/sheets/api/guides/concepts (A1 notation)
 */

import { gasError } from './core';

export interface Rect {
  r: number;
  c: number;
  nr: number;
  nc: number;
}

function colToLetters(col: number): string {
  let s = '';
  let n = col;
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function lettersToCol(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export function cellA1(r: number, c: number): string {
  return colToLetters(c) + r;
}

export function rectToA1(rect: Rect): string {
  const start = cellA1(rect.r, rect.c);
  if (rect.nr === 1 && rect.nc === 1) return start;
  return `${start}:${cellA1(rect.r + rect.nr - 1, rect.c + rect.nc - 1)}`;
}

const PART = /^\$?([A-Za-z]{0,3})\$?(\d*)$/;

/**
 * Parse A1 notation (`A1`, `AA10`, `A1:C3`, `$A$1`, `A:C`, `2:5`, `A2:C`) into a rectangle.
 * Open-ended parts extend to the sheet's max rows/columns. Throws `Range not found` otherwise.
 */
export function parseA1(a1: string, maxRows: number, maxCols: number): Rect {
  const text = a1.trim();
  const pieces = text.split(':');
  if (pieces.length > 2 || !text) throw gasError('Range not found');
  const parsed = pieces.map((p) => {
    const m = PART.exec(p.trim());
    if (!m || (!m[1] && !m[2])) throw gasError('Range not found');
    return { col: m[1] ? lettersToCol(m[1]) : null, row: m[2] ? Number(m[2]) : null };
  });
  if (parsed.length === 1) {
    const [p] = parsed;
    if (p.col === null || p.row === null || p.row < 1) throw gasError('Range not found');
    return { r: p.row, c: p.col, nr: 1, nc: 1 };
  }
  const [a, b] = parsed;
  // A whole-row part (`2`) needs a whole-row partner; same for columns.
  if ((a.col === null) !== (b.col === null)) throw gasError('Range not found');
  const r1 = a.row ?? 1;
  const r2 = b.row ?? maxRows;
  const c1 = a.col ?? 1;
  const c2 = b.col ?? maxCols;
  if (r1 < 1 || r2 < 1 || c1 < 1 || c2 < 1) throw gasError('Range not found');
  const r = Math.min(r1, r2);
  const c = Math.min(c1, c2);
  return { r, c, nr: Math.abs(r2 - r1) + 1, nc: Math.abs(c2 - c1) + 1 };
}

export function rectContains(rect: Rect, r: number, c: number): boolean {
  return r >= rect.r && r < rect.r + rect.nr && c >= rect.c && c < rect.c + rect.nc;
}

export function rectsIntersect(a: Rect, b: Rect): boolean {
  return a.r < b.r + b.nr && b.r < a.r + a.nr && a.c < b.c + b.nc && b.c < a.c + a.nc;
}

export function rectInside(inner: Rect, outer: Rect): boolean {
  return inner.r >= outer.r && inner.c >= outer.c && inner.r + inner.nr <= outer.r + outer.nr && inner.c + inner.nc <= outer.c + outer.nc;
}
