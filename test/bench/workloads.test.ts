/** The benchmark's workloads (bench/workloads.ts) on a small workbook: the --json document's shape, and what they show. */
import { benchJson, MODEL } from '../../bench/cost-model';
import { FAILURES, runWorkloads, SIZES, WORKLOAD_NAMES } from '../../bench/workloads';

// The names and sizes the issue asks for, written out here.
const ISSUE_NAMES = [
  'check-all-first',
  'check-all-unchanged',
  'check-sheet',
  'summary',
  'create-unit-sheets',
  'permissions',
  'lock',
  'unlock',
  'snapshot',
  'daily',
  'sidebar-write',
  'edit',
];

const workloads = runWorkloads(3, 30);
const json = benchJson(workloads);

test('the twelve workloads of the issue, at its two sizes', () => {
  expect([...WORKLOAD_NAMES]).toEqual(ISSUE_NAMES);
  expect(SIZES).toEqual([
    { units: 10, rows: 120 },
    { units: 100, rows: 300 },
  ]);
});

test('the --json document has the shape of the issue', () => {
  expect(Object.keys(json)).toEqual(['model', 'workloads']);
  expect(json.model).toEqual({ unit: 'ms', bytesPerMB: 1_000_000, ...MODEL });
  expect(json.workloads.map((w) => w.name)).toEqual(ISSUE_NAMES);
  for (const w of json.workloads) {
    expect(Object.keys(w)).toEqual(['name', 'units', 'rows', 'calls', 'apiCalls', 'bytes', 'seconds']);
    expect([w.units, w.rows]).toEqual([3, 30]);
    expect(Object.keys(w.seconds)).toEqual(['low', 'mid', 'high']);
    expect(w.seconds.low).toBeLessThanOrEqual(w.seconds.mid);
    expect(w.seconds.mid).toBeLessThanOrEqual(w.seconds.high);
  }
});

test('a typed score makes no call; the heavy paths go through the Sheets API', () => {
  const byName = new Map(json.workloads.map((w) => [w.name, w]));
  expect(byName.get('edit')).toMatchObject({ calls: 0, apiCalls: 0, bytes: 0, seconds: { low: 0, mid: 0, high: 0 } });
  // A first check-all of 3 sheets: the listing, then one chunk read in three calls and written in one.
  expect(byName.get('check-all-first')!.apiCalls).toBe(5);
  // Nothing changed: the listing and the formulas (or values) of every cell, no details, no write.
  expect(byName.get('check-all-unchanged')!.apiCalls).toBe(2);
  // A sidebar write: one get of what it needs, one batchUpdate of the cell and the audit row.
  expect(byName.get('sidebar-write')!.apiCalls).toBe(2);
  for (const name of ['check-all-first', 'check-all-unchanged', 'check-sheet', 'summary']) {
    expect(byName.get(name)!.bytes).toBeGreaterThan(0);
  }
});

test('the daily run reads the unit sheets once for all its steps, and the time zone with the listing', () => {
  const names = (workloads.find((w) => w.name === 'daily')?.calls ?? []).map((c) => (typeof c === 'string' ? c : c.name));
  expect(names).not.toContain('Spreadsheet.getSpreadsheetTimeZone');
  // Three value reads: the unit sheets (reminders, snapshot and lock share it), the history's milestone and unit
  // columns (the snapshot), and the formulas (the refresh, which recognises an unchanged sheet from them).
  expect(names.filter((n) => n === 'Sheets.Spreadsheets.Values.batchGet')).toHaveLength(3);
});

test('at 10 units × 120 rows every workload stays within the issue’s 5 s at mid', () => {
  // The whole sequence, as the benchmark runs it: the daily run comes after the menus that create the logs.
  const over = benchJson(runWorkloads(10, 120))
    .workloads.filter((w) => w.seconds.mid > 5)
    .map((w) => `${w.name}: ${w.seconds.mid} s`);
  expect(over).toEqual([]);
});

test('every workload ran to its end, or its failure is on record', () => {
  // Failures found on the way are listed for the reader of the benchmark; the ones known today are in workflow.ts
  // (snapshots longer than the history sheet's 1,000 rows) and show only on bigger workbooks than this one.
  expect(FAILURES).toEqual([]);
});
