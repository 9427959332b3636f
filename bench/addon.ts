/**
 * The add-on path, modelled: the real Apps Script layer runs in-process against the counting
 * in-memory stand-ins, and the counted calls are priced with an assumed latency.
 */
import { checkAll, handleEdit } from '../src/gas/check';
import { readSettings } from '../src/gas/settings';
import { buildSummarySheet } from '../src/gas/summary';
import { defaultSettings, settingsGrid } from '../src/core/settings/settings';
import { createFakeEnv, installGlobals, makeEditEvent } from '../dev/gas-emulator/index';
import { generatedGrid } from './grids';

/** Assumed cost of one call that reaches the spreadsheet (Spreadsheet, Sheet, Range, RangeList, toast, flush), in ms. */
export const MS_PER_CALL = 60;
/** Assumed cost of a call served inside the script runtime (builders, Utilities, locks, properties), in ms. */
export const MS_PER_LOCAL_CALL = 1;
const ROUND_TRIP = /^(SpreadsheetApp\.(getActive\w*|flush|openById)|Spreadsheet\.|Sheet\.|Range\.|RangeList\.|MailApp\.send)/;
/** Assumed transfer cost per cell read or written, in milliseconds. */
export const MS_PER_CELL = 0.002;

function workbook(units: number, rows: number) {
  const settings = defaultSettings(2026);
  settings.commune = 'Phước Chánh';
  const sheets: Record<string, unknown[][]> = {};
  for (let i = 1; i <= units; i++) {
    const name = `Đơn vị ${i}`;
    settings.units.push({ name, sheet: name, focal: '', email: `dv${i}@gialai.gov.vn`, phone: '', sensitive: false });
    sheets[name] = generatedGrid(rows);
  }
  return { 'Cấu hình': settingsGrid(settings), ...sheets };
}

function model(calls: readonly string[], cells: number) {
  const remote = calls.filter((c) => ROUND_TRIP.test(c)).length;
  return (remote * MS_PER_CALL + (calls.length - remote) * MS_PER_LOCAL_CALL + cells * MS_PER_CELL) / 1000;
}

export function addonBench(): void {
  // installGlobals replaces console with the fake's recorder, so lines are printed directly.
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const line = (label: string, calls: readonly string[], cells: number, limit: string) =>
    print(
      `  ${label.padEnd(48)} | ${String(calls.length).padStart(5)} | ${String(cells).padStart(11)} | ${model(calls, cells).toFixed(1).padStart(10)} | ${limit}`,
    );
  print('');
  print(
    `Add-on path (modelled: ${MS_PER_CALL} ms per call reaching the spreadsheet, ${MS_PER_LOCAL_CALL} ms per local call, ${MS_PER_CELL} ms per cell moved):`,
  );
  print(`  ${'workload'.padEnd(48)} | calls | cells moved | modelled s | limit`);
  for (const [units, rows] of [
    [10, 120],
    [100, 300],
  ]) {
    const env = createFakeEnv({ sheets: workbook(units, rows), now: new Date('2026-11-23T01:00:00Z') });
    const restore = installGlobals(env);
    try {
      const cells = units * (rows + 2) * 9;
      const ss = env.gas.SpreadsheetApp.getActiveSpreadsheet();
      const parsed = readSettings(ss);
      const size = `${units} units × ${rows} rows`;
      env.calls.reset();
      checkAll(ss, parsed);
      // reads: values, notes, backgrounds, formulas; writes: notes and backgrounds on a first run
      line(`check all, first run, ${size}`, env.calls.list(), cells * 6, '360 s');
      env.calls.reset();
      checkAll(ss, parsed);
      line(`check all, nothing changed, ${size}`, env.calls.list(), cells * 4, '360 s');
      env.calls.reset();
      buildSummarySheet(ss, parsed);
      line(`summary, ${size}`, env.calls.list(), cells, '360 s');
      env.calls.reset();
      handleEdit(makeEditEvent(env, 'Đơn vị 1', 'D5', '1', '0,5'));
      line(`onEdit of one score, ${rows}-row sheet`, env.calls.list(), (rows + 2) * 9 * 4, '30 s');
    } finally {
      restore();
    }
  }
}
