/**
 * The add-on path, modelled: the real Apps Script layer runs in-process against the counting
 * in-memory stand-ins, and the counted calls are priced with an assumed latency.
 */
import { checkAll, checkSheet } from '../src/gas/check';
import { ENTRY_NAMES } from '../src/gas/entry-names';
import { readSettings } from '../src/gas/settings';
import { buildSummarySheet } from '../src/gas/summary';
import { onEditInstalled } from '../src/gas/workflow';
import { defaultSettings, type ParsedSettings, scoreOptionsOf, settingsGrid } from '../src/core/settings/settings';
import { findResultBlock, scoreUnitGrid } from '../src/core/sheet/result-block';
import { BLOCK_ROWS } from '../src/core/sheet/formulas';
import { createFakeEnv, type FakeEnv, installGlobals, makeEditEvent, sheetValues } from '../dev/gas-emulator/index';
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

/**
 * A person types a score: the sheet's own formulas do the work. The simple onEdit trigger runs
 * only when the add-on declares one (it no longer does), and the live total is compared with the
 * engine's for the changed grid, so the figure 0 is not bought with a stale total.
 */
function typeScore(env: FakeEnv, parsed: ParsedSettings, sheet: string, a1: string, value: string): void {
  makeEditEvent(env, sheet, a1, undefined, value);
  if ((ENTRY_NAMES as readonly string[]).includes('onEdit')) throw new Error('the add-on declares a simple onEdit again: price it here');
  const grid = sheetValues(env, sheet);
  const result = scoreUnitGrid(grid, scoreOptionsOf(parsed.settings));
  const block = findResultBlock(grid);
  if (!result.ok || !block) throw new Error('the sheet is not scored');
  const live = grid[block.row + 1 + BLOCK_ROWS.indexOf('Tổng điểm')][block.col + 1];
  if (Math.abs(Number(live) - result.self.total) > 1e-9) throw new Error(`live total ${live} ≠ engine ${result.self.total}`);
}

export function addonBench(): void {
  // installGlobals replaces console with the fake's recorder, so lines are printed directly.
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const line = (label: string, calls: readonly string[], cells: number, limit: string) =>
    print(
      `  ${label.padEnd(48)} | ${String(calls.length).padStart(5)} | ${String(cells).padStart(11)} | ` +
        `${model(calls, cells).toFixed(1).padStart(10)} | ${limit}`,
    );
  const run = (
    units: number,
    rows: number,
    fn: (env: FakeEnv, ss: GoogleAppsScript.Spreadsheet.Spreadsheet, parsed: ParsedSettings) => void,
  ) => {
    const env = createFakeEnv({ sheets: workbook(units, rows), now: new Date('2026-11-23T01:00:00Z') });
    const restore = installGlobals(env);
    try {
      const ss = env.gas.SpreadsheetApp.getActiveSpreadsheet();
      fn(env, ss, readSettings(ss));
    } finally {
      restore();
    }
  };
  print('');
  print(
    `Add-on path (modelled: ${MS_PER_CALL} ms per call reaching the spreadsheet, ${MS_PER_LOCAL_CALL} ms per local call, ` +
      `${MS_PER_CELL} ms per cell moved):`,
  );
  print(`  ${'workload'.padEnd(48)} | calls | cells moved | modelled s | limit`);
  for (const rows of [120, 300]) {
    run(1, rows, (env, ss, parsed) => {
      const sheet = ss.getSheetByName('Đơn vị 1') as GoogleAppsScript.Spreadsheet.Sheet;
      const cells = (rows + 2) * 9;
      env.calls.reset();
      checkSheet(sheet, parsed);
      const formulas = env.calls.count('Range.setFormulas') + env.calls.count('Range.setValues');
      // reads: values, notes, backgrounds, formulas; writes: formulas, block, notes, backgrounds
      line(`check one sheet, first run, ${rows} rows`, env.calls.list(), cells * 6, '360 s');
      env.calls.reset();
      checkSheet(sheet, parsed);
      line(`check one sheet, second run, ${rows} rows`, env.calls.list(), cells * 4, '360 s');
      print(
        `    (formula writes: ${formulas} setFormulas/setValues on the first run, ${env.calls.count('Range.setFormulas')} ` +
          `setFormulas on the second)`,
      );
      env.calls.reset();
      typeScore(env, parsed, 'Đơn vị 1', 'D5', '0,5');
      typeScore(env, parsed, 'Đơn vị 1', 'D6', 'Chưa tính điểm');
      typeScore(env, parsed, 'Đơn vị 1', 'D7', '');
      line('a typed score: totals, classes, highlights', env.calls.list(), 0, '—');
      // The installable trigger of "Phân quyền" logs each edit (the log sheet made by the first).
      onEditInstalled(makeEditEvent(env, 'Đơn vị 1', 'D8', undefined, '0'));
      env.calls.reset();
      onEditInstalled(makeEditEvent(env, 'Đơn vị 1', 'D9', undefined, '0'));
      line('a typed score: audit log (after "Phân quyền")', env.calls.list(), Math.min(rows + 2, 60) * 9, '30 s');
    });
  }
  for (const [units, rows] of [
    [10, 120],
    [100, 300],
  ]) {
    run(units, rows, (env, ss, parsed) => {
      const cells = units * (rows + 2) * 9;
      const size = `${units} units × ${rows} rows`;
      env.calls.reset();
      checkAll(ss, parsed);
      line(`check all, first run, ${size}`, env.calls.list(), cells * 6, '360 s');
      env.calls.reset();
      checkAll(ss, parsed);
      line(`check all, nothing changed, ${size}`, env.calls.list(), cells * 4, '360 s');
      env.calls.reset();
      buildSummarySheet(ss, parsed);
      line(`summary, ${size}`, env.calls.list(), cells, '360 s');
    });
  }
}
