/** Reading points as people type them into a score cell. */
import { isNotApplicableText } from './not-applicable';
import { isDate, visibleText } from './text';

export { isNotApplicableText };

export type CellNumber =
  | { kind: 'empty' }
  | { kind: 'number'; value: number; asText: boolean; raw: unknown }
  | { kind: 'na'; raw: string }
  | { kind: 'error'; raw: string }
  | { kind: 'text'; raw: string }
  | { kind: 'formula'; raw: string };

/**
 * A formula cell whose file holds no result and whose result the reader could not compute (a
 * workbook written by a script, with a function the offline reader does not evaluate). Only the
 * offline reader puts one in a grid; Sheets always gives a formula's result.
 */
export class UncomputedFormula {
  constructor(readonly formula: string) {}
  toString(): string {
    return this.formula;
  }
}

const ERROR_TEXT = /^#(REF!|N\/A|VALUE!|DIV\/0!|NAME\?|NUM!|NULL!|ERROR!|SPILL!|CALC!|GETTING_DATA)/i;

/** One decimal separator (comma or dot) between digits, optional sign. "1.000" reads as 1. */
const NUMBER_TEXT = /^[+-]?(\d+)(?:[.,](\d+))?$/;

/** No point value reaches this; larger numbers are typing accidents (and would overflow sums). */
const MAX_MAGNITUDE = 1_000_000;

export function readNumber(value: unknown): CellNumber {
  if (value === null || value === undefined || value === '') return { kind: 'empty' };
  if (value instanceof UncomputedFormula) return { kind: 'formula', raw: value.formula };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { kind: 'error', raw: String(value) };
    if (Math.abs(value) >= MAX_MAGNITUDE) return { kind: 'text', raw: String(value) };
    return { kind: 'number', value, asText: false, raw: value };
  }
  if (typeof value === 'string') {
    const text = visibleText(value).trim();
    if (text === '') return { kind: 'empty' };
    if (ERROR_TEXT.test(text)) return { kind: 'error', raw: text };
    if (isNotApplicableText(text)) return { kind: 'na', raw: text };
    const m = NUMBER_TEXT.exec(text);
    if (m) {
      const num = Number(text.replace(',', '.'));
      if (Number.isFinite(num) && Math.abs(num) < MAX_MAGNITUDE) return { kind: 'number', value: num, asText: true, raw: value };
    }
    return { kind: 'text', raw: text };
  }
  if (isDate(value)) return { kind: 'text', raw: Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString().slice(0, 10) };
  return { kind: 'text', raw: String(value) };
}

/** Consecutive runs of distinct integers (rows), in order: [3,4,5,8] → [[3,5],[8,8]]. */
export function runs(values: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const v of [...new Set(values)].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && v === last[1] + 1) last[1] = v;
    else out.push([v, v]);
  }
  return out;
}
