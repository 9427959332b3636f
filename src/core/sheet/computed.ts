/**
 * Which computed cells (group subtotals, the total row) the add-on may write. It fills an empty
 * cell and updates a cell that still holds the value it wrote last time; a value a person typed
 * there is left as it is and reported (subtotal-mismatch) instead. Pure: the shells keep the
 * record of what was written (document properties in the add-on, nothing offline).
 */
import type { ComputedCell } from '../engine/score';
import { a1, isBlank } from '../engine/text';

export type Owned = Map<string, number>;

const close = (a: unknown, b: number) => typeof a === 'number' && Math.abs(a - b) < 0.0005;

export function cellsToWrite(
  computed: readonly ComputedCell[],
  values: readonly (readonly unknown[])[],
  formulas: readonly (readonly string[])[] | null,
  previous: Owned,
): { writes: ComputedCell[]; owned: Owned } {
  const writes: ComputedCell[] = [];
  const owned: Owned = new Map();
  for (const cell of computed) {
    const key = a1(cell.row, cell.col);
    const r = cell.row - 1;
    if (formulas?.[r]?.[cell.col]) continue;
    const current = values[r]?.[cell.col];
    const prev = previous.get(key);
    if (close(current, cell.value)) owned.set(key, cell.value);
    else if (isBlank(current) || (prev !== undefined && close(current, prev))) {
      writes.push(cell);
      owned.set(key, cell.value);
    }
  }
  return { writes, owned };
}

/** Compact text of the record, "D12=13;D20=4.5", cut to fit one 9 kB property value. */
export function encodeOwned(owned: Owned, maxLength = 8000): string {
  let out = '';
  for (const [key, value] of owned) {
    const part = `${out ? ';' : ''}${key}=${value}`;
    // Past the limit the rest is not recorded: those cells are then treated as typed (reported,
    // never overwritten), which is the safe side.
    if (out.length + part.length > maxLength) break;
    out += part;
  }
  return out;
}

export function decodeOwned(text: string | null | undefined): Owned {
  const owned: Owned = new Map();
  for (const part of (text ?? '').split(';')) {
    const m = /^([A-Z]+\d+)=(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)$/.exec(part);
    if (m) owned.set(m[1], Number(m[2]));
  }
  return owned;
}
