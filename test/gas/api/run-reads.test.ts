/**
 * Reads shared by the steps of one run (withRunReads): the listing and the time zone from one get, each sheet's values
 * read once, and what a write makes stale read again, so a step never sees values older than the run's own writes.
 */
import { cellState, createFakeEnv, type FakeEnv, installGlobals } from '../../../dev/gas-emulator/index';
import { appendCellsRequest, cellRequests, protectRequest, sheetShapeRequest } from '../../../src/gas/api/requests';
import { batchWrite, listSheets, readSheets, runListing, sheetsChanged, withRunReads } from '../../../src/gas/api/sheets-api';
import { documentProperties, timeZoneOf, withRunProperties } from '../../../src/gas/env';
import { appendLogRows, type LogSheet } from '../../../src/gas/workflow';
import { findSheet } from '../../../src/gas/settings';

const TZ = 'Asia/Ho_Chi_Minh';
/** A cell's number format before anyone sets one (the stand-in's default). */
const NUMBER = '0.###############';
const GET = 'Sheets.Spreadsheets.get';
const BATCH_GET = 'Sheets.Spreadsheets.Values.batchGet';

let env: FakeEnv;
let restore: () => void;

beforeEach(() => {
  env = createFakeEnv({
    now: new Date('2026-11-23T01:00:00Z'),
    sheets: {
      A: [
        ['STT', 'Điểm'],
        ['1', 5],
      ],
      B: [['x', new Date('2026-06-15T00:00:00+07:00')]],
    },
    sheetsApi: true,
  });
  restore = installGlobals(env);
});
afterEach(() => restore());

const ss = () => env.gas.SpreadsheetApp.getActiveSpreadsheet();
const id = () => ss().getId();
const idOf = (title: string) => listSheets(id()).find((s) => s.title === title)?.sheetId as number;

test('inside a run, the listing, the time zone and each sheet are read once', () => {
  withRunReads(id(), () => {
    env.calls.reset();
    expect(timeZoneOf(ss())).toBe(env.gas.SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetTimeZone());
    env.calls.reset();
    expect(listSheets(id()).map((s) => s.title)).toEqual(['A', 'B']);
    const first = readSheets(id(), ['A', 'B'], {}, TZ);
    const again = readSheets(id(), ['B', 'A'], {}, TZ);
    expect(env.calls.count(GET)).toBe(1); // the date types; the listing came with the time zone
    expect(env.calls.count(BATCH_GET)).toBe(1);
    expect(env.calls.count('Spreadsheet.getSpreadsheetTimeZone')).toBe(0);
    expect(again[1].values).toEqual(first[0].values);
    expect(again[0].values[0][1]).toBeInstanceOf(Date);
    // A caller changing its copy does not change what the next step reads.
    first[0].values[1][1] = 99;
    expect(readSheets(id(), ['A'], { dates: false }, TZ)[0].values[1][1]).toBe(5);
  });
});

test('outside a run nothing is kept', () => {
  readSheets(id(), ['A'], {}, TZ);
  env.calls.reset();
  readSheets(id(), ['A'], {}, TZ);
  listSheets(id());
  listSheets(id());
  expect(env.calls.count(BATCH_GET)).toBe(1);
  expect(env.calls.count(GET)).toBe(3);
  expect(runListing(ss())).toBeNull();
});

test('a write of values makes the run read that sheet again, and only that one', () => {
  withRunReads(id(), () => {
    readSheets(id(), ['A', 'B'], {}, TZ);
    batchWrite(id(), [cellRequests(idOf('A'), [{ row: 2, col: 1, value: 7 }])]);
    env.calls.reset();
    const [a, b] = readSheets(id(), ['A', 'B'], { dates: false }, TZ);
    expect(a.values[1][1]).toBe(7);
    expect(typeof b.values[0][1]).toBe('number'); // B as read before, not read again
    expect(env.calls.count(BATCH_GET)).toBe(1);
    expect(env.calls.records().find((c) => c.name === BATCH_GET)?.requestBytes).toBeLessThan(200);
  });
});

test('a value written through SpreadsheetApp is not seen by the run: the reason writes go through batchWrite', () => {
  // The run keeps what it read; this pins the contract the daily steps rely on (they write unit sheets only
  // through batchWrite, which forgets what it changes).
  withRunReads(id(), () => {
    readSheets(id(), ['A'], { dates: false }, TZ);
    ss().getSheetByName('A')?.getRange('B2').setValue(8);
    expect(readSheets(id(), ['A'], { dates: false }, TZ)[0].values[1][1]).toBe(5);
  });
  expect(readSheets(id(), ['A'], { dates: false }, TZ)[0].values[1][1]).toBe(8);
});

test('protections and sizes keep the values; the protections are read again when asked, the size is patched', () => {
  withRunReads(id(), () => {
    readSheets(id(), ['A'], {}, TZ);
    listSheets(id(), { protections: true });
    batchWrite(id(), [
      [protectRequest(idOf('A'), { range: 'B2', description: 'khóa', editors: [] }), sheetShapeRequest(idOf('A'), { rows: 2000 })],
    ]);
    env.calls.reset();
    readSheets(id(), ['A'], {}, TZ);
    expect(listSheets(id()).find((s) => s.title === 'A')?.rowCount).toBe(2000);
    expect(env.calls.count(GET) + env.calls.count(BATCH_GET)).toBe(0);
    const withProtections = listSheets(id(), { protections: true });
    expect(env.calls.count(GET)).toBe(1);
    expect(withProtections.find((s) => s.title === 'A')?.protections?.map((p) => p.description)).toContain('khóa');
  });
});

test('a sheet added through SpreadsheetApp is found once announced, and findSheet needs no read for a missing one', () => {
  withRunReads(id(), () => {
    env.calls.reset();
    expect(findSheet(ss(), 'Nhật ký')).toBeNull();
    expect(env.calls.count('Spreadsheet.getSheetByName') + env.calls.count('Spreadsheet.getSheets')).toBe(0);
    ss().insertSheet('Nhật ký');
    sheetsChanged();
    expect(findSheet(ss(), 'nhật  ký')?.getName()).toBe('Nhật ký');
    expect(runListing(ss())?.map((s) => s.title)).toContain('Nhật ký');
  });
});

test('a log that grew by appended rows is listed again only for a caller using its size', () => {
  withRunReads(id(), () => {
    listSheets(id());
    batchWrite(id(), [[appendCellsRequest(idOf('B'), [['dòng mới', 1]])]]);
    env.calls.reset();
    expect(listSheets(id(), { sizesOf: ['A'] }).map((s) => s.title)).toEqual(['A', 'B']);
    expect(runListing(ss())?.map((s) => s.title)).toEqual(['A', 'B']);
    expect(env.calls.count(GET)).toBe(0);
    listSheets(id(), { sizesOf: ['b'] });
    expect(env.calls.count(GET)).toBe(1);
  });
});

test('a log sheet: created with its header in the batch of its first rows, then rows appended as text, one call each', () => {
  const log: LogSheet = { name: 'Nhật ký gửi', headers: ['Thời gian', 'Mục', 'Số'], textCols: [1, 2] };
  withRunReads(id(), () => {
    listSheets(id());
    env.calls.reset();
    appendLogRows(ss(), log, [['25/11/2026 07:00', '1.10', 3]]);
    appendLogRows(ss(), log, [["'=1+1", '15/6', 4]]);
    expect(env.calls.count('Sheets.Spreadsheets.batchUpdate')).toBe(2);
    expect(env.calls.count(GET) + env.calls.count(BATCH_GET)).toBe(0);
  });
  const sheet = ss().getSheetByName('Nhật ký gửi');
  expect(sheet?.getDataRange().getValues()).toEqual([
    ['Thời gian', 'Mục', 'Số'],
    ['25/11/2026 07:00', '1.10', 3],
    ['=1+1', '15/6', 4],
  ]);
  expect(sheet?.getDataRange().getFormulas().flat().filter(Boolean)).toEqual([]);
  expect(sheet?.getFrozenRows()).toBe(1);
  expect(['A2', 'B2', 'A3', 'B3', 'C3'].map((a1) => cellState(env, 'Nhật ký gửi', a1).numberFormat)).toEqual(['@', '@', '@', '@', NUMBER]);
});

test('a log sheet outside a run: the time zone read once for all the rows', () => {
  const log: LogSheet = { name: 'Nhật ký gửi', headers: ['Thời gian', 'Mục'], textCols: [1] };
  env.calls.reset();
  appendLogRows(ss(), log, [
    ['1', 'a'],
    ['2', 'b'],
    ['3', 'c'],
  ]);
  expect(env.calls.count('Spreadsheet.getSpreadsheetTimeZone')).toBe(1);
  expect(ss().getSheetByName('Nhật ký gửi')?.getDataRange().getValues()).toHaveLength(4);
});

test('document properties inside a run: one read, then the run’s own writes seen, and every write stored', () => {
  const store = env.gas.PropertiesService.getDocumentProperties();
  store.setProperties({ a: '1', b: '2' });
  env.calls.reset();
  withRunProperties(() => {
    const props = documentProperties();
    expect([props.getProperty('a'), props.getProperty('b'), props.getProperty('c')]).toEqual(['1', '2', null]);
    props.setProperty('c', '3');
    props.deleteProperty('a');
    expect(props.getKeys().sort()).toEqual(['b', 'c']);
    expect(props.getProperty('a')).toBeNull();
    expect(env.calls.count('Properties.getProperty')).toBe(0);
    expect(env.calls.count('Properties.getProperties')).toBe(1);
  });
  expect(store.getProperties()).toEqual({ b: '2', c: '3' });
  // Outside a run, the store itself.
  expect(documentProperties().getProperty('c')).toBe('3');
});
