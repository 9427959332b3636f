/** The benchmark's cost model (bench/cost-model.ts) on hand-made call logs, priced by hand here. */
import { type Call, MODEL, benchJson, classify, price } from '../../bench/cost-model';
import { createFakeEnv, installGlobals } from '../../dev/gas-emulator/index';

/** Seconds of sums of milliseconds written out by hand, low/mid/high, rounded as the model rounds (to the millisecond). */
const s = (low: number, mid: number, high: number) => ({
  low: Math.round(low) / 1000,
  mid: Math.round(mid) / 1000,
  high: Math.round(high) / 1000,
});

describe('classes', () => {
  test.each([
    ['Sheet.getDataRange', 'read'],
    ['Range.getValues', 'read'],
    ['Range.getMergedRanges', 'read'],
    ['Spreadsheet.getSheets', 'read'],
    ['Protection.getEditors', 'read'],
    ['DriveApp.getFileById', 'read'],
    ['Range.setValues', 'write'],
    ['RangeList.setValue', 'write'],
    ['Sheet.insertColumnsAfter', 'write'],
    ['Spreadsheet.insertSheet', 'write'],
    ['Protection.removeEditors', 'write'],
    ['Range.protect', 'write'],
    ['Sheet.getName', 'lookup'],
    ['Sheet.getRange', 'lookup'],
    ['Range.getA1Notation', 'lookup'],
    ['SpreadsheetApp.getActiveSpreadsheet', 'lookup'],
    ['SpreadsheetApp.newDataValidation', 'lookup'],
    ['DataValidationBuilder.requireNumberBetween', 'lookup'],
    ['Utilities.formatDate', 'lookup'],
    ['PropertiesService.getDocumentProperties', 'lookup'],
    ['Properties.getProperty', 'properties-get'],
    ['Properties.setProperty', 'properties-set'],
    ['Properties.deleteProperty', 'properties-set'],
    ['ScriptApp.getProjectTriggers', 'properties-get'],
    ['SpreadsheetTriggerBuilder.create', 'properties-set'],
    ['Lock.waitLock', 'properties-get'],
    ['Sheets.Spreadsheets.Values.batchGet', 'api'],
    ['Sheets.Spreadsheets.batchUpdate', 'api'],
    ['MailApp.sendEmail', 'mail'],
    ['MailApp.getRemainingDailyQuota', 'lookup'],
  ])('%s is a %s', (name, cls) => {
    expect(classify(name)).toBe(cls);
  });
});

describe('prices', () => {
  test('two reads', () => {
    expect(price(['Sheet.getDataRange', 'Range.getValues']).seconds).toEqual(s(2 * 60, 2 * 150, 2 * 300));
  });

  test('a commit whenever a read follows writes, and one at the end', () => {
    const log = ['Range.setValues', 'Range.setNotes', 'Range.getValues', 'Range.setBackgrounds'];
    const p = price(log);
    expect(p.commits).toBe(2);
    // 3 writes, 1 read, 2 commits.
    expect(p.seconds).toEqual(s(3 * 1 + 60 + 2 * 300, 3 * 5 + 150 + 2 * 500, 3 * 10 + 300 + 2 * 700));
  });

  test('reads without writes commit nothing; a flush commits what is pending, once', () => {
    expect(price(['Range.getValues', 'Range.getNotes']).commits).toBe(0);
    const p = price(['Range.setValue', 'SpreadsheetApp.flush', 'SpreadsheetApp.flush']);
    expect(p.commits).toBe(1);
    expect(p.seconds).toEqual(s(1 + 0 + 0 + 300, 5 + 1 + 1 + 500, 10 + 5 + 5 + 700));
  });

  test('an API call: its price plus its megabytes; it commits writes queued before it', () => {
    const log: Call[] = [
      'Range.setValue',
      { name: 'Sheets.Spreadsheets.Values.batchGet', requestBytes: 500_000, responseBytes: 1_500_000 },
      { name: 'Sheets.Spreadsheets.batchUpdate', requestBytes: 250_000, responseBytes: 0 },
    ];
    const p = price(log);
    expect([p.calls, p.apiCalls, p.bytes, p.commits]).toEqual([3, 2, 2_250_000, 1]);
    // 1 write + 1 commit + 2 API calls + 2.25 MB.
    expect(p.seconds).toEqual(s(1 + 300 + 2 * 150 + 2.25 * 500, 5 + 500 + 2 * 300 + 2.25 * 1000, 10 + 700 + 2 * 600 + 2.25 * 2000));
  });

  test('properties, mail and lookups', () => {
    const log = ['Properties.getProperty', 'Properties.setProperty', 'MailApp.sendEmail', 'Utilities.formatDate', 'Sheet.getName'];
    expect(price(log).seconds).toEqual(s(20 + 43 + 200 + 0 + 0, 30 + 60 + 500 + 1 + 1, 84 + 231 + 1000 + 5 + 5));
  });

  test('the counts behind the price', () => {
    const p = price(['Range.getValues', 'Range.setValue', 'Sheet.getName', 'Properties.getProperty', 'Sheets.Spreadsheets.get']);
    expect(p.byClass).toEqual({ read: 1, write: 1, lookup: 1, 'properties-get': 1, 'properties-set': 0, api: 1, mail: 0 });
  });

  test('priced from the emulator log: bytes as counted by the Sheets stand-in', () => {
    const env = createFakeEnv({ sheets: { S: [['a', 1]] }, sheetsApi: true });
    const restore = installGlobals(env);
    try {
      env.calls.reset();
      env.gas.Sheets?.Spreadsheets.Values.batchGet(env.ss.getId(), { ranges: ['S'], valueRenderOption: 'UNFORMATTED_VALUE' });
      const p = price(env.calls.records());
      expect(p.bytes).toBe(env.calls.bytes());
      expect(p.seconds.mid).toBeCloseTo((300 + (env.calls.bytes() / 1_000_000) * 1000) / 1000, 3);
    } finally {
      restore();
    }
  });
});

test('the --json document', () => {
  const json = benchJson([
    {
      name: 'check-all-first',
      units: 10,
      rows: 120,
      calls: ['Range.getValues', { name: 'Sheets.Spreadsheets.get', requestBytes: 10, responseBytes: 990 }],
    },
    { name: 'edit', units: 10, rows: 120, calls: [] },
  ]);
  expect(json.model).toEqual({ unit: 'ms', bytesPerMB: 1_000_000, ...MODEL });
  expect(json.model.spreadsheetRead).toEqual({ low: 60, mid: 150, high: 300 });
  expect(json.workloads).toEqual([
    {
      name: 'check-all-first',
      units: 10,
      rows: 120,
      calls: 2,
      apiCalls: 1,
      bytes: 1000,
      // 1 read, 1 API call moving 1,000 bytes (0.001 MB).
      seconds: s(60 + 150 + 0.001 * 500, 150 + 300 + 0.001 * 1000, 300 + 600 + 0.001 * 2000),
    },
    { name: 'edit', units: 10, rows: 120, calls: 0, apiCalls: 0, bytes: 0, seconds: { low: 0, mid: 0, high: 0 } },
  ]);
  expect(JSON.parse(JSON.stringify(json))).toEqual(json);
});
