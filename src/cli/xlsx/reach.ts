/**
 * How far a sheet is read: far enough for every table, never as far as one stray cell.
 *
 * A used row is within reach when the rows used up to it average at most ROW_GAP rows apart:
 * the k-th used row (1-based, in order) is kept if it lies at or before row (k + 1) × ROW_GAP.
 * Everything up to the last used row within reach is read; used rows past it are reported and left
 * out. Columns likewise with COL_GAP. So one value at A1048576 or XFD1 next to a table is left out,
 * a signature block a few hundred rows under a table is kept, and the grid never has more than
 * (used rows + 1) × ROW_GAP rows nor (used columns + 1) × COL_GAP columns.
 */

export const ROW_GAP = 100;
export const COL_GAP = 20;

/** The last coordinate within reach (0 when none is): `used` is any list of 1-based coordinates. */
export function reach(used: Iterable<number>, gap: number): number {
  const sorted = [...new Set(used)].sort((a, b) => a - b);
  let last = 0;
  sorted.forEach((at, i) => {
    if (at <= (i + 2) * gap) last = at;
  });
  return last;
}

/** The last row and column within reach of a list of 1-based cells. */
export function reachOf(cells: readonly { row: number; col: number }[]): { lastRow: number; lastCol: number } {
  return {
    lastRow: reach(
      cells.map((c) => c.row),
      ROW_GAP,
    ),
    lastCol: reach(
      cells.map((c) => c.col),
      COL_GAP,
    ),
  };
}
