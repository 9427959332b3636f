/**
 * Contract of the Sheets advanced service stand-in (sheets-api.ts): the request and response shapes of the
 * reference, and the same workbook seen through SpreadsheetApp and through the API.
 *
 * Reference pages relied on (what they do not state is marked "assumed" in sheets-api.ts):
 * - https://developers.google.com/apps-script/advanced/sheets and
 *   https://developers.google.com/apps-script/guides/services/advanced#how_method_signatures_are_determined
 * - https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchGet, ValueRange,
 *   ValueRenderOption, DateTimeRenderOption (serial numbers: days since 30 December 1899)
 * - https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/get (fields, ranges)
 * - https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/batchUpdate (all or nothing, replies)
 * - https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request (the requests used)
 * - https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#GridRange (0-based, half open)
 */
import fc from 'fast-check';
import { type FakeEnv, cellState, createFakeEnv, effectiveBackground } from './index';
import { PROTECTED_MESSAGE } from './spreadsheet';

const UNIT = 'Đơn vị 1';
const OTHER = "Tổ 2 (O'Neil)";
const BOB = 'bob@example.com';
const TZ_OFFSET_MS = 7 * 3600000; // Asia/Ho_Chi_Minh, no daylight saving

function env(sheets: Record<string, unknown[][]> = { [UNIT]: [] }, opts: { editors?: string[] } = {}): FakeEnv {
  return createFakeEnv({ now: new Date('2026-11-23T01:00:00Z'), sheets, sheetsApi: true, ...opts });
}

function api(e: FakeEnv) {
  const service = e.gas.Sheets;
  if (!service) throw new Error('no Sheets global');
  return service.Spreadsheets;
}

function sheetOf(e: FakeEnv, name = UNIT) {
  return e.gas.SpreadsheetApp.getActive().getSheetByName(name)!;
}

/** What getDataRange().getValues() shows, through SpreadsheetApp. */
function shown(e: FakeEnv, name = UNIT): unknown[][] {
  return sheetOf(e, name).getDataRange().getValues();
}

/** A batchGet row list padded back to a rectangle ('' for what the API leaves out). */
function padded(values: unknown[][] | undefined, width: number): unknown[][] {
  return (values ?? []).map((row) => [...row, ...Array(width - row.length).fill('')]);
}

function expectApiError(run: () => unknown, method: string, message: string): void {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).name).toBe('GoogleJsonResponseException');
  expect((error as Error).message).toBe(`API call to ${method} failed with error: ${message}`);
}

const BATCH_GET = 'sheets.spreadsheets.values.batchGet';
const BATCH_UPDATE = 'sheets.spreadsheets.batchUpdate';
const UNFORMATTED = { valueRenderOption: 'UNFORMATTED_VALUE', dateTimeRenderOption: 'SERIAL_NUMBER' };

describe('values.batchGet', () => {
  test('ranges with quoted Vietnamese names, in order; trailing empties left out, empty rows as [], no values for an empty range', () => {
    const e = env({ [UNIT]: [['STT', 'Tiêu chí', 2], [], ['1.1', '', 1.5, '', ''], [true, false]], [OTHER]: [[1]] });
    const res = api(e).Values.batchGet(e.ss._id, { ranges: [`'${UNIT}'`, "'Tổ 2 (O''Neil)'!A1:B2", `'${UNIT}'!F10:G12`], ...UNFORMATTED });
    expect(res.spreadsheetId).toBe(e.ss._id);
    expect(res.valueRanges).toEqual([
      {
        range: `'${UNIT}'!A1:Z1000`,
        majorDimension: 'ROWS',
        values: [['STT', 'Tiêu chí', 2], [], ['1.1', '', 1.5], [true, false]],
      },
      { range: "'Tổ 2 (O''Neil)'!A1:B2", majorDimension: 'ROWS', values: [[1]] },
      { range: `'${UNIT}'!F10:G12`, majorDimension: 'ROWS' },
    ]);
    // A range without a sheet is on the first sheet; a sheet's name alone is the whole sheet.
    const first = api(e).Values.batchGet(e.ss._id, { ranges: ['B1:C1', UNIT.toUpperCase()], ...UNFORMATTED }).valueRanges ?? [];
    expect(first.map((r) => r.range)).toEqual([`'${UNIT}'!B1:C1`, `'${UNIT}'!A1:Z1000`]);
    expect(first[0].values).toEqual([['Tiêu chí', 2]]);
    // The same cells as SpreadsheetApp shows them, once padded back to a rectangle.
    expect(padded(res.valueRanges?.[0].values as unknown[][], 3)).toEqual(shown(e));
  });

  test('dates read as serial numbers in the spreadsheet time zone; formulas computed, or as text with FORMULA', () => {
    // Midnight of 15 June 2026 in Hanoi, and 18:00 the same day.
    const midnight = new Date(Date.UTC(2026, 5, 15) - TZ_OFFSET_MS);
    const evening = new Date(Date.UTC(2026, 5, 15, 18) - TZ_OFFSET_MS);
    const e = env({ [UNIT]: [[midnight, evening, 4, 6]] });
    sheetOf(e).getRange('E1').setFormula('=C1/D1+1');
    sheetOf(e).getRange('F1').setFormula('=C1/0');
    const days = (Date.UTC(2026, 5, 15) - Date.UTC(1899, 11, 30)) / 86400000;
    const [values] = api(e).Values.batchGet(e.ss._id, { ranges: [`'${UNIT}'!A1:F1`], ...UNFORMATTED }).valueRanges ?? [];
    expect(values.values).toEqual([[days, days + 0.75, 4, 6, 4 / 6 + 1, '#DIV/0!']]);
    expect(shown(e)[0][4]).toBe(4 / 6 + 1);
    const text = api(e).Values.batchGet(e.ss._id, { ranges: [`'${UNIT}'!C1:F1`], valueRenderOption: 'FORMULA' }).valueRanges ?? [];
    expect(text[0].values).toEqual([[4, 6, '=C1/D1+1', '=C1/0']]);
  });

  test('a formula showing nothing still ends a row, like getDataRange', () => {
    const e = env({ [UNIT]: [['a']] });
    sheetOf(e).getRange('C1').setFormula('=B1');
    const res = api(e).Values.batchGet(e.ss._id, { ranges: [`'${UNIT}'`], ...UNFORMATTED });
    expect(res.valueRanges?.[0].values).toEqual([['a', '', '']]);
    expect(shown(e)).toEqual([['a', '', '']]);
  });

  test('both views agree on any grid of literals', () => {
    // JSON has no -0 (a spreadsheet cell neither): doubles other than -0.
    const double = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((v) => !Object.is(v, -0));
    const cell = fc.oneof(fc.constant(''), fc.integer({ min: -5, max: 500 }), double, fc.boolean(), fc.string());
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: 6 }), { maxLength: 8 }), (grid) => {
        const e = env({ [UNIT]: grid });
        const width = shown(e)[0]?.length ?? 0;
        const res = api(e).Values.batchGet(e.ss._id, { ranges: [UNIT], ...UNFORMATTED });
        const values = res.valueRanges?.[0].values as unknown[][] | undefined;
        const all = shown(e);
        if (all.length === 1 && all[0].every((v) => v === '')) expect(values).toBeUndefined();
        else expect(padded(values, width)).toEqual(all);
      }),
      { numRuns: 60 },
    );
  });

  test('the documented errors: unknown sheet, unparsable range, other spreadsheet, past the grid; bad enum', () => {
    const e = env();
    const get =
      (ranges: string[], opts = UNFORMATTED) =>
      () =>
        api(e).Values.batchGet(e.ss._id, { ranges, ...opts });
    expectApiError(get(['Không có!A1']), BATCH_GET, 'Unable to parse range: Không có!A1');
    expectApiError(get([`'${UNIT}'!A0`]), BATCH_GET, `Unable to parse range: '${UNIT}'!A0`);
    expectApiError(get([`'${UNIT}!A1`]), BATCH_GET, `Unable to parse range: '${UNIT}!A1`);
    expectApiError(
      () => api(e).Values.batchGet('other-id', { ranges: ['A1'], ...UNFORMATTED }),
      BATCH_GET,
      'Requested entity was not found.',
    );
    expectApiError(get([`'${UNIT}'!AB1:AC2`]), BATCH_GET, `Range ('${UNIT}'!AB1:AC2) exceeds grid limits. Max rows: 1000, max columns: 26`);
    expectApiError(
      get([UNIT], { valueRenderOption: 'RAW', dateTimeRenderOption: 'SERIAL_NUMBER' }),
      BATCH_GET,
      `Invalid value at 'value_render_option' (type.googleapis.com/google.apps.sheets.v4.ValueRenderOption), "RAW"`,
    );
    // Formatting depends on the locale: left out on purpose, loudly.
    expect(() => api(e).Values.batchGet(e.ss._id, { ranges: [UNIT] })).toThrow(/FORMATTED_VALUE.*not emulated/);
    // A range reaching past the grid is cut to it; names match ignoring case.
    const cut = api(e).Values.batchGet(e.ss._id, { ranges: ['đơn vị 1!Y999:AZ1200'], ...UNFORMATTED });
    expect(cut.valueRanges?.[0].range).toBe(`'${UNIT}'!Y999:Z1000`);
  });
});

describe('spreadsheets.get with a fields mask and ranges', () => {
  test('sheet properties agree with SpreadsheetApp', () => {
    const e = env({ [UNIT]: [['a']], [OTHER]: [] });
    sheetOf(e, OTHER).setFrozenRows(2);
    const res = api(e).get(e.ss._id, { fields: 'sheets.properties(sheetId,title,index,gridProperties)' });
    const viaApp = e.gas.SpreadsheetApp.getActive()
      .getSheets()
      .map((s, index) => {
        const grid: Record<string, number> = { rowCount: s.getMaxRows(), columnCount: s.getMaxColumns() };
        if (s.getFrozenRows()) grid.frozenRowCount = s.getFrozenRows();
        return { properties: { sheetId: s.getSheetId(), title: s.getName(), index, gridProperties: grid } };
      });
    expect(res).toEqual({ sheets: viaApp });
  });

  test('cell data: entered and computed values, notes, own backgrounds; the part of a range, trimmed', () => {
    const e = env({ [UNIT]: [['x', 2, 3], [], ['', 'y']] });
    const s = sheetOf(e);
    s.getRange('D1').setFormula('=B1*C1');
    s.getRange('E1').setFormula('=B1/0');
    s.getRange('B1').setNote('Ghi chú của người chấm');
    s.getRange('C3').setBackground('#CFE2F3');
    const res = api(e).get(e.ss._id, {
      ranges: [`'${UNIT}'!B1:E4`],
      fields:
        'sheets(properties.title,data(startRow,startColumn,rowData.values(' +
        'userEnteredValue,effectiveValue,note,userEnteredFormat.backgroundColor)))',
    });
    const sheetJson = res.sheets?.[0];
    expect(sheetJson?.properties).toEqual({ title: UNIT });
    expect(sheetJson?.data).toEqual([
      {
        startColumn: 1,
        rowData: [
          {
            values: [
              { userEnteredValue: { numberValue: 2 }, effectiveValue: { numberValue: 2 }, note: 'Ghi chú của người chấm' },
              { userEnteredValue: { numberValue: 3 }, effectiveValue: { numberValue: 3 } },
              { userEnteredValue: { formulaValue: '=B1*C1' }, effectiveValue: { numberValue: 6 } },
              {
                userEnteredValue: { formulaValue: '=B1/0' },
                effectiveValue: { errorValue: { type: 'DIVIDE_BY_ZERO', message: '#DIV/0!' } },
              },
            ],
          },
          {},
          {
            values: [
              { userEnteredValue: { stringValue: 'y' }, effectiveValue: { stringValue: 'y' } },
              { userEnteredFormat: { backgroundColor: { red: 0xcf / 255, green: 0xe2 / 255, blue: 0xf3 / 255 } } },
            ],
          },
        ],
      },
    ]);
    expect(s.getRange('B1:E1').getValues()).toEqual([[2, 3, 6, '#DIV/0!']]);
    // A part of a cell the mask leaves empty is left out: only formulas here.
    const formulas = api(e).get(e.ss._id, {
      ranges: [`'${UNIT}'!A1:E1`],
      fields: 'sheets.data.rowData.values.userEnteredValue.formulaValue',
    });
    expect(formulas.sheets?.[0].data?.[0].rowData).toEqual([
      { values: [{}, {}, {}, { userEnteredValue: { formulaValue: '=B1*C1' } }, { userEnteredValue: { formulaValue: '=B1/0' } }] },
    ]);
    // Only the sheets the ranges name are listed.
    expect(api(e).get(e.ss._id, { ranges: [`'${UNIT}'!A1`], fields: 'sheets.properties.title' })).toEqual({
      sheets: [{ properties: { title: UNIT } }],
    });
  });

  test('merges, protections, conditional formats and validations made through SpreadsheetApp', () => {
    const e = env(
      {
        [UNIT]: [
          ['Tiêu đề', '', ''],
          ['a', 1, 2],
        ],
      },
      { editors: [BOB] },
    );
    const app = e.gas.SpreadsheetApp;
    const s = sheetOf(e);
    s.getRange('A1:C1').merge();
    const whole = s.protect().setDescription('Chấm điểm: cả trang');
    whole.setUnprotectedRanges([s.getRange('B2:B5')]);
    whole.removeEditors([BOB]);
    s.getRange('C2').protect().setDescription('ô C2');
    s.setConditionalFormatRules([
      app
        .newConditionalFormatRule()
        .whenFormulaSatisfied('=B2>1')
        .setBackground('#F4CCCC')
        .setRanges([s.getRange('B2:B5')])
        .build(),
    ]);
    s.getRange('B2:B3').setDataValidations([[app.newDataValidation().requireNumberBetween(0, 2).setHelpText('0 đến 2').build()], [null]]);
    const res = api(e).get(e.ss._id, {
      fields: 'sheets(merges,protectedRanges,conditionalFormats,data.rowData.values.dataValidation)',
      ranges: [`'${UNIT}'!A1:C3`],
    });
    const sheetJson = res.sheets?.[0] ?? {};
    expect(sheetJson.merges).toEqual([{ sheetId: 0, startRowIndex: 0, endRowIndex: 1, startColumnIndex: 0, endColumnIndex: 3 }]);
    const [sheetProtection, cellProtection] = sheetJson.protectedRanges ?? [];
    expect(sheetProtection).toEqual({
      protectedRangeId: expect.any(Number),
      range: { sheetId: 0 },
      description: 'Chấm điểm: cả trang',
      unprotectedRanges: [{ sheetId: 0, startRowIndex: 1, endRowIndex: 5, startColumnIndex: 1, endColumnIndex: 2 }],
      requestingUserCanEdit: true,
      editors: { users: ['owner@example.com'] },
    });
    expect(cellProtection).toMatchObject({
      range: { sheetId: 0, startRowIndex: 1, endRowIndex: 2, startColumnIndex: 2, endColumnIndex: 3 },
      editors: { users: ['owner@example.com', BOB] },
    });
    expect(sheetJson.conditionalFormats).toEqual([
      {
        ranges: [{ sheetId: 0, startRowIndex: 1, endRowIndex: 5, startColumnIndex: 1, endColumnIndex: 2 }],
        booleanRule: {
          condition: { type: 'CUSTOM_FORMULA', values: [{ userEnteredValue: '=B2>1' }] },
          format: {
            backgroundColor: { red: 0xf4 / 255, green: 0xcc / 255, blue: 0xcc / 255 },
            backgroundColorStyle: { rgbColor: { red: 0xf4 / 255, green: 0xcc / 255, blue: 0xcc / 255 } },
          },
        },
      },
    ]);
    expect(sheetJson.data?.[0].rowData).toEqual([
      {},
      {
        values: [
          {},
          {
            dataValidation: {
              condition: { type: 'NUMBER_BETWEEN', values: [{ userEnteredValue: '0' }, { userEnteredValue: '2' }] },
              inputMessage: '0 đến 2',
            },
          },
        ],
      },
    ]);
    // A person the protection leaves out does not see its editors.
    e.setActiveUser(BOB);
    const asBob = api(e).get(e.ss._id, { fields: 'sheets.protectedRanges' }).sheets?.[0].protectedRanges?.[0];
    expect(asBob).not.toHaveProperty('editors');
    expect(asBob).not.toHaveProperty('requestingUserCanEdit');
  });

  test('effective formats include what conditional formats paint; dates have a date number format', () => {
    const e = env({ [UNIT]: [[3, new Date(Date.UTC(2026, 0, 2) - TZ_OFFSET_MS)]] });
    const app = e.gas.SpreadsheetApp;
    const s = sheetOf(e);
    s.setConditionalFormatRules([
      app
        .newConditionalFormatRule()
        .whenFormulaSatisfied('=A1>2')
        .setBackground('#ff0000')
        .setRanges([s.getRange('A1:A3')])
        .build(),
    ]);
    const res = api(e).get(e.ss._id, {
      ranges: [`'${UNIT}'!A1:B3`],
      fields: 'sheets.data.rowData.values.effectiveFormat(backgroundColor,numberFormat.type)',
    });
    expect(res.sheets?.[0].data?.[0].rowData).toEqual([
      { values: [{ effectiveFormat: { backgroundColor: { red: 1 } } }, { effectiveFormat: { numberFormat: { type: 'DATE' } } }] },
    ]);
    expect(effectiveBackground(s, 'A1')).toBe('#ff0000');
    expect(effectiveBackground(s, 'A2')).toBe('#ffffff');
  });

  test('a field the stand-in does not know is refused loudly; a bad mask is an API error', () => {
    const e = env();
    expect(() => api(e).get(e.ss._id, { fields: 'sheets.charts' })).toThrow(/charts of Sheet is not emulated/);
    expect(() => api(e).get(e.ss._id, { fields: 'sheets.data.rowData.values.formattedValue' })).toThrow(/not emulated/);
    expectApiError(
      () => api(e).get(e.ss._id, { fields: 'sheets(properties' }),
      'sheets.spreadsheets.get',
      'Invalid field selection: sheets(properties',
    );
  });
});

describe('spreadsheets.batchUpdate', () => {
  test('updateCells writes what SpreadsheetApp then reads: values, formulas computed, notes, backgrounds', () => {
    const e = env({
      [UNIT]: [
        ['a', 1],
        ['b', 2],
      ],
    });
    const res = api(e).batchUpdate(
      {
        requests: [
          {
            updateCells: {
              start: { sheetId: 0, rowIndex: 0, columnIndex: 2 },
              rows: [
                { values: [{ userEnteredValue: { formulaValue: '=SUM(B1:B2)' }, note: 'tổng' }] },
                {
                  values: [
                    { userEnteredValue: { stringValue: '=not a formula' }, userEnteredFormat: { backgroundColor: { red: 1, green: 0.6 } } },
                  ],
                },
              ],
              fields: 'userEnteredValue,note,userEnteredFormat.backgroundColor',
            },
          },
          {
            updateCells: {
              range: { sheetId: 0, startRowIndex: 1, endRowIndex: 2, startColumnIndex: 1, endColumnIndex: 2 },
              rows: [{ values: [{ userEnteredValue: { numberValue: 5 } }] }],
              fields: 'userEnteredValue',
            },
          },
        ],
      },
      e.ss._id,
    );
    expect(res).toEqual({ spreadsheetId: e.ss._id, replies: [{}, {}] });
    const s = sheetOf(e);
    expect(s.getRange('A1:C2').getValues()).toEqual([
      ['a', 1, 1 + 5],
      ['b', 5, '=not a formula'],
    ]);
    expect(s.getRange('C1:C2').getFormulas()).toEqual([['=SUM(B1:B2)'], ['']]);
    expect(s.getRange('C1:C2').getNotes()).toEqual([['tổng'], ['']]);
    expect(s.getRange('C1:C2').getBackgrounds()).toEqual([['#ffffff'], ['#ff9900']]);
  });

  test('updateCells over a range clears the fields its rows leave out; repeatCell moves relative references', () => {
    const e = env({
      [UNIT]: [
        [1, 2, 3],
        [4, 5, 6],
      ],
    });
    const s = sheetOf(e);
    s.getRange('A1:C2').setNotes([
      ['n1', 'n2', 'n3'],
      ['n4', 'n5', 'n6'],
    ]);
    api(e).batchUpdate(
      {
        requests: [
          {
            updateCells: {
              range: { sheetId: 0, startRowIndex: 0, endRowIndex: 2, startColumnIndex: 0, endColumnIndex: 3 },
              rows: [{ values: [{ note: 'mới' }] }],
              fields: 'note',
            },
          },
          {
            repeatCell: {
              range: { sheetId: 0, startRowIndex: 0, endRowIndex: 2, startColumnIndex: 3, endColumnIndex: 4 },
              cell: { userEnteredValue: { formulaValue: '=A1+$B$1' } },
              fields: 'userEnteredValue',
            },
          },
        ],
      },
      e.ss._id,
    );
    expect(s.getRange('A1:C2').getNotes()).toEqual([
      ['mới', '', ''],
      ['', '', ''],
    ]);
    expect(s.getRange('A1:C2').getValues()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(s.getRange('D1:D2').getFormulas()).toEqual([['=A1+$B$1'], ['=A2+$B$1']]);
    expect(s.getRange('D1:D2').getValues()).toEqual([[1 + 2], [4 + 2]]);
  });

  test('all or nothing: a bad request leaves no trace of those before it, formulas included', () => {
    const e = env({ [UNIT]: [[1, 2]] });
    const s = sheetOf(e);
    s.getRange('C1').setFormula('=A1+B1');
    const before = e.ss.protectionRecords();
    expectApiError(
      () =>
        api(e).batchUpdate(
          {
            requests: [
              {
                updateCells: {
                  start: { sheetId: 0 },
                  rows: [{ values: [{ userEnteredValue: { numberValue: 10 } }] }],
                  fields: 'userEnteredValue',
                },
              },
              { addSheet: { properties: { title: 'Mới', sheetId: 42 } } },
              {
                updateCells: {
                  start: { sheetId: 42 },
                  rows: [{ values: [{ userEnteredValue: { formulaValue: `='${UNIT}'!C1` } }] }],
                  fields: 'userEnteredValue',
                },
              },
              { addProtectedRange: { protectedRange: { range: { sheetId: 0 }, description: 'khóa' } } },
              {
                addConditionalFormatRule: {
                  rule: {
                    ranges: [{ sheetId: 0 }],
                    booleanRule: { condition: { type: 'CUSTOM_FORMULA', values: [{ userEnteredValue: '=1' }] }, format: {} },
                  },
                },
              },
              { repeatCell: { range: { sheetId: 999 }, cell: {}, fields: 'note' } },
            ],
          },
          e.ss._id,
        ),
      BATCH_UPDATE,
      'Invalid requests[5].repeatCell: No grid with id: 999',
    );
    expect(s.getRange('A1:C1').getValues()).toEqual([[1, 2, 3]]);
    expect(
      e.gas.SpreadsheetApp.getActive()
        .getSheets()
        .map((x) => x.getName()),
    ).toEqual([UNIT]);
    expect(e.ss.protectionRecords()).toEqual(before);
    expect(s.getConditionalFormatRules()).toEqual([]);
    // The engine follows: a new write recomputes, and the name is free again.
    s.getRange('A1').setValue(5);
    expect(s.getRange('C1').getValue()).toBe(7);
    const reply = api(e).batchUpdate({ requests: [{ addSheet: { properties: { title: 'Mới' } } }] }, e.ss._id);
    expect(reply.replies?.[0].addSheet?.properties?.title).toBe('Mới');
  });

  test('a protected cell refuses the whole batch for a person the protection leaves out', () => {
    const e = env({ [UNIT]: [[1, 2]] }, { editors: [BOB] });
    const s = sheetOf(e);
    s.getRange('B1').protect().removeEditors([BOB]);
    e.setActiveUser(BOB);
    expectApiError(
      () =>
        api(e).batchUpdate(
          {
            requests: [
              {
                updateCells: {
                  start: { sheetId: 0 },
                  rows: [{ values: [{ userEnteredValue: { numberValue: 9 } }] }],
                  fields: 'userEnteredValue',
                },
              },
              {
                updateCells: {
                  start: { sheetId: 0, columnIndex: 1 },
                  rows: [{ values: [{ userEnteredValue: { numberValue: 9 } }] }],
                  fields: 'userEnteredValue',
                },
              },
            ],
          },
          e.ss._id,
        ),
      BATCH_UPDATE,
      PROTECTED_MESSAGE,
    );
    expect(s.getRange('A1:B1').getValues()).toEqual([[1, 2]]);
  });

  test('protections added, updated and removed in one batch decide who can edit, as SpreadsheetApp sees them', () => {
    const e = env(
      {
        [UNIT]: [
          ['STT', 'Tự chấm'],
          ['1', 1],
        ],
      },
      { editors: [BOB, 'office@example.com'] },
    );
    const ssId = e.ss._id;
    const added = api(e).batchUpdate(
      {
        requests: [
          {
            addProtectedRange: {
              protectedRange: {
                range: { sheetId: 0 },
                description: 'Chấm điểm: cả trang',
                editors: { users: ['office@example.com'] },
                unprotectedRanges: [{ sheetId: 0, startRowIndex: 1, endRowIndex: 2, startColumnIndex: 1, endColumnIndex: 2 }],
              },
            },
          },
          {
            addProtectedRange: {
              protectedRange: {
                range: { sheetId: 0, startRowIndex: 1, endRowIndex: 2, startColumnIndex: 1, endColumnIndex: 2 },
                description: 'Chấm điểm: đơn vị',
                editors: { users: ['office@example.com', BOB] },
              },
            },
          },
        ],
      },
      ssId,
    );
    const [whole, unit] = (added.replies ?? []).map((r) => r.addProtectedRange?.protectedRange);
    expect(whole?.editors?.users).toEqual(['owner@example.com', 'office@example.com']);
    expect(e.ss.canUserEdit(UNIT, 'B2', BOB)).toBe(true);
    expect(e.ss.canUserEdit(UNIT, 'A2', BOB)).toBe(false);
    expect(e.ss.canUserEdit(UNIT, 'A2', 'office@example.com')).toBe(true);
    expect(
      sheetOf(e)
        .getProtections(e.gas.SpreadsheetApp.ProtectionType.RANGE)
        .map((p) => p.getDescription()),
    ).toEqual(['Chấm điểm: đơn vị']);
    // Lock self-scoring: the unit leaves its range; the sheet protection goes.
    api(e).batchUpdate(
      {
        requests: [
          {
            updateProtectedRange: {
              protectedRange: { protectedRangeId: unit?.protectedRangeId, editors: { users: ['office@example.com'] }, description: 'khóa' },
              fields: 'editors.users,description',
            },
          },
          { deleteProtectedRange: { protectedRangeId: whole?.protectedRangeId } },
        ],
      },
      ssId,
    );
    expect(e.ss.canUserEdit(UNIT, 'B2', BOB)).toBe(false);
    expect(e.ss.canUserEdit(UNIT, 'A2', BOB)).toBe(true);
    expect(e.ss.protectionRecords()).toEqual([
      {
        type: 'RANGE',
        sheet: UNIT,
        range: 'B2',
        description: 'khóa',
        editors: ['owner@example.com', 'office@example.com'],
        domainEdit: false,
        unprotectedRanges: [],
      },
    ]);
    expectApiError(
      () => api(e).batchUpdate({ requests: [{ deleteProtectedRange: { protectedRangeId: whole?.protectedRangeId } }] }, ssId),
      BATCH_UPDATE,
      `Invalid requests[0].deleteProtectedRange: No protected range with id: ${whole?.protectedRangeId}`,
    );
    expectApiError(
      () =>
        api(e).batchUpdate(
          {
            requests: [
              { addProtectedRange: { protectedRange: { range: { sheetId: 0, endRowIndex: 1 }, unprotectedRanges: [{ sheetId: 0 }] } } },
            ],
          },
          ssId,
        ),
      BATCH_UPDATE,
      'Invalid requests[0].addProtectedRange: Unprotected ranges are only supported on protected sheets.',
    );
  });

  test('conditional formats and validations: added, removed, read back through SpreadsheetApp', () => {
    const e = env({ [UNIT]: [[3], [1]] });
    const s = sheetOf(e);
    const rule = (formula: string, red: number) => ({
      ranges: [{ sheetId: 0, startRowIndex: 0, endRowIndex: 2, startColumnIndex: 0, endColumnIndex: 1 }],
      booleanRule: { condition: { type: 'CUSTOM_FORMULA', values: [{ userEnteredValue: formula }] }, format: { backgroundColor: { red } } },
    });
    api(e).batchUpdate(
      {
        requests: [
          { addConditionalFormatRule: { rule: rule('=A1>2', 1), index: 0 } },
          { addConditionalFormatRule: { rule: rule('=A1>0', 0.8), index: 1 } },
          {
            setDataValidation: {
              range: { sheetId: 0, startRowIndex: 0, endRowIndex: 2, startColumnIndex: 0, endColumnIndex: 1 },
              rule: {
                condition: { type: 'NUMBER_BETWEEN', values: [{ userEnteredValue: '0' }, { userEnteredValue: '2.5' }] },
                inputMessage: 'Từ 0 đến 2,5',
                strict: true,
              },
            },
          },
        ],
      },
      e.ss._id,
    );
    expect(s.getConditionalFormatRules().map((r) => r.getBooleanCondition()?.getCriteriaValues())).toEqual([['=A1>2'], ['=A1>0']]);
    expect([effectiveBackground(s, 'A1'), effectiveBackground(s, 'A2')]).toEqual(['#ff0000', '#cc0000']);
    const dv = s.getRange('A2').getDataValidation();
    expect([dv?.getCriteriaValues(), dv?.getHelpText()]).toEqual([[0, 2.5], 'Từ 0 đến 2,5']);
    const removed = api(e).batchUpdate(
      { requests: [{ deleteConditionalFormatRule: { sheetId: 0, index: 0 } }, { setDataValidation: { range: { sheetId: 0 } } }] },
      e.ss._id,
    );
    expect(removed.replies?.[0]).toEqual({
      deleteConditionalFormatRule: {
        rule: {
          ...rule('=A1>2', 1),
          booleanRule: {
            ...rule('=A1>2', 1).booleanRule,
            format: { backgroundColor: { red: 1 }, backgroundColorStyle: { rgbColor: { red: 1 } } },
          },
        },
      },
    });
    expect(effectiveBackground(s, 'A1')).toBe('#cc0000');
    expect(s.getRange('A2').getDataValidation()).toBeNull();
  });

  test('addSheet and updateSheetProperties; a sheet added is usable by id in the same batch', () => {
    const e = env();
    const res = api(e).batchUpdate(
      {
        requests: [
          {
            addSheet: {
              properties: { title: 'Tổng hợp', sheetId: 7, index: 0, gridProperties: { rowCount: 50, columnCount: 8, frozenRowCount: 1 } },
            },
          },
          {
            updateCells: {
              start: { sheetId: 7 },
              rows: [{ values: [{ userEnteredValue: { stringValue: 'STT' } }] }],
              fields: 'userEnteredValue',
            },
          },
          {
            updateSheetProperties: {
              properties: { sheetId: 7, gridProperties: { frozenRowCount: 2, columnCount: 10 } },
              fields: 'gridProperties(frozenRowCount,columnCount)',
            },
          },
        ],
      },
      e.ss._id,
    );
    expect(res.replies?.[0]).toEqual({
      addSheet: {
        properties: {
          sheetId: 7,
          title: 'Tổng hợp',
          index: 0,
          sheetType: 'GRID',
          gridProperties: { rowCount: 50, columnCount: 8, frozenRowCount: 1 },
        },
      },
    });
    const added = sheetOf(e, 'Tổng hợp');
    expect([added.getSheetId(), added.getMaxRows(), added.getMaxColumns(), added.getFrozenRows()]).toEqual([7, 50, 10, 2]);
    expect(shown(e, 'Tổng hợp')).toEqual([['STT']]);
    expect(e.gas.SpreadsheetApp.getActive().getActiveSheet().getName()).toBe(UNIT);
    expectApiError(
      () => api(e).batchUpdate({ requests: [{ addSheet: { properties: { title: 'tổng HỢP' } } }] }, e.ss._id),
      BATCH_UPDATE,
      'Invalid requests[0].addSheet: A sheet with the name "tổng HỢP" already exists. Please enter another name.',
    );
    expectApiError(
      () =>
        api(e).batchUpdate({ requests: [{ repeatCell: { range: { sheetId: 7, endRowIndex: 51 }, cell: {}, fields: 'note' } }] }, e.ss._id),
      BATCH_UPDATE,
      "Invalid requests[0].repeatCell: Range ('Tổng hợp'!A1:J51) exceeds grid limits. Max rows: 50, max columns: 10",
    );
  });

  test('rich text: textFormatRuns and hyperlink read what SpreadsheetApp wrote; runs written are read back by it', () => {
    // CellData.textFormatRuns / TextFormatRun / hyperlink:
    // https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/cells#CellData
    const e = env({ [UNIT]: [['', '', 'plain', 5]] });
    const app = e.gas.SpreadsheetApp;
    const s = sheetOf(e);
    s.getRange('A1').setRichTextValue(app.newRichTextValue().setText('ab cd').setLinkUrl(3, 5, 'https://x.example/').build());
    s.getRange('B1').setRichTextValue(app.newRichTextValue().setText('all').setLinkUrl('https://y.example/').build());
    const res = api(e).get(e.ss._id, { ranges: [`'${UNIT}'!A1:D1`], fields: 'sheets.data.rowData.values(textFormatRuns,hyperlink)' });
    expect(res.sheets?.[0].data?.[0].rowData?.[0].values).toEqual([
      { textFormatRuns: [{ format: {} }, { startIndex: 3, format: { link: { uri: 'https://x.example/' } } }] },
      { textFormatRuns: [{ format: { link: { uri: 'https://y.example/' } } }], hyperlink: 'https://y.example/' },
    ]);
    const write = (values: GoogleAppsScript.Sheets.Schema.CellData[], fields = 'userEnteredValue,textFormatRuns') =>
      api(e).batchUpdate({ requests: [{ updateCells: { start: { sheetId: 0, rowIndex: 1 }, rows: [{ values }], fields } }] }, e.ss._id);
    write([
      {
        userEnteredValue: { stringValue: 'x\nhttps://z.example/' },
        textFormatRuns: [{ startIndex: 2, format: { link: { uri: 'https://z.example/' } } }],
      },
      { userEnteredValue: { stringValue: 'no runs' } },
    ]);
    const runs = (a1: string) =>
      s
        .getRange(a1)
        .getRichTextValue()
        ?.getRuns()
        .map((r) => [r.getText(), r.getLinkUrl()]);
    expect(runs('A2')).toEqual([
      ['x\n', null],
      ['https://z.example/', 'https://z.example/'],
    ]);
    expect(runs('B2')).toEqual([['no runs', null]]);
    // "When writing a new userEnteredValue, previous runs are erased."
    write([{ userEnteredValue: { stringValue: 'x\nhttps://z.example/' } }], 'userEnteredValue');
    expect(runs('A2')).toEqual([['x\nhttps://z.example/', null]]);
    // "Runs are only valid on user entered strings, not formulas, bools, or numbers"; runs must be in order, in the text.
    expectApiError(
      () => write([{ userEnteredValue: { numberValue: 1 }, textFormatRuns: [{ format: { link: { uri: 'https://z.example/' } } }] }]),
      BATCH_UPDATE,
      'Invalid requests[0].updateCells: Runs are only valid on user entered strings.',
    );
    expectApiError(
      () => write([{ userEnteredValue: { stringValue: 'abc' }, textFormatRuns: [{ startIndex: 2 }, { startIndex: 1 }] }]),
      BATCH_UPDATE,
      'Invalid requests[0].updateCells: Invalid textFormatRuns[1].startIndex: 1',
    );
    expect(runs('A2')).toEqual([['x\nhttps://z.example/', null]]);
  });

  test('appendCells: after the last row with data, growing the grid; all or nothing with the other requests', () => {
    // AppendCellsRequest: "Adds new cells after the last row with data in a sheet, inserting new rows into the sheet if
    // necessary" (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#AppendCellsRequest).
    const e = env({
      [UNIT]: [
        ['h1', 'h2'],
        ['a', ''],
      ],
    });
    const s = sheetOf(e);
    const shrink = { properties: { sheetId: 0, gridProperties: { rowCount: 2 } }, fields: 'gridProperties.rowCount' };
    api(e).batchUpdate({ requests: [{ updateSheetProperties: shrink }] }, e.ss._id);
    const append = (rows: unknown[][], more: GoogleAppsScript.Sheets.Schema.Request[] = []) =>
      api(e).batchUpdate(
        {
          requests: [
            {
              appendCells: {
                sheetId: 0,
                rows: rows.map((r) => ({
                  values: r.map((v) => ({
                    userEnteredValue: typeof v === 'number' ? { numberValue: v } : { stringValue: String(v) },
                    userEnteredFormat: { numberFormat: { type: 'TEXT' } },
                  })),
                })),
                fields: 'userEnteredValue,userEnteredFormat.numberFormat',
              },
            },
            ...more,
          ],
        },
        e.ss._id,
      );
    append([
      ['3,5', 2],
      ['=1+1', '15/6'],
    ]);
    expect(shown(e)).toEqual([
      ['h1', 'h2'],
      ['a', ''],
      ['3,5', 2],
      ['=1+1', '15/6'],
    ]);
    expect(s.getMaxRows()).toBe(4);
    expect(s.getRange('A4').getFormula()).toBe('');
    expect(['A3', 'B4'].map((a) => cellState(e, UNIT, a).numberFormat)).toEqual(['@', '@']);
    // A failing request after it: nothing appended, the grid as it was.
    expect(() => append([['x', 'y']], [{ repeatCell: { range: { sheetId: 99 }, cell: {}, fields: 'note' } }])).toThrow(
      /No grid with id: 99/,
    );
    expect(shown(e)).toHaveLength(4);
    expect(s.getMaxRows()).toBe(4);
    expectApiError(
      () => append([['1', '2', '3'].concat(Array(30).fill('x'))]),
      BATCH_UPDATE,
      "Invalid requests[0].appendCells: Range ('Đơn vị 1'!A5:AG5) exceeds grid limits. Max rows: 4, max columns: 26",
    );
  });

  test('appendCells into a protected sheet refuses the batch; requestingUserCanEdit shows only to those who may edit', () => {
    const e = env({ [UNIT]: [['h']] }, { editors: [BOB] });
    const p = sheetOf(e).protect();
    p.removeEditors([BOB]);
    const mask = { ranges: [`'${UNIT}'!A1`], fields: 'sheets.protectedRanges.requestingUserCanEdit' };
    expect(api(e).get(e.ss._id, mask).sheets?.[0].protectedRanges).toEqual([{ requestingUserCanEdit: true }]);
    e.setActiveUser(BOB);
    expect(api(e).get(e.ss._id, mask).sheets?.[0].protectedRanges).toEqual([{}]);
    const request = {
      appendCells: { sheetId: 0, rows: [{ values: [{ userEnteredValue: { stringValue: 'x' } }] }], fields: 'userEnteredValue' },
    };
    expectApiError(() => api(e).batchUpdate({ requests: [request] }, e.ss._id), BATCH_UPDATE, PROTECTED_MESSAGE);
    expect(shown(e)).toEqual([['h']]);
  });

  test('malformed batches', () => {
    const e = env();
    expectApiError(() => api(e).batchUpdate({ requests: [] }, e.ss._id), BATCH_UPDATE, 'Must specify at least one request.');
    expectApiError(() => api(e).batchUpdate({ requests: [{}] }, e.ss._id), BATCH_UPDATE, 'Invalid requests[0]: No request set.');
    expectApiError(
      () => api(e).batchUpdate({ requests: [{ repeatCell: { range: { sheetId: 0 }, cell: {} } }] }, e.ss._id),
      BATCH_UPDATE,
      'Invalid requests[0].repeatCell: At least one field must be specified.',
    );
    expect(() => api(e).batchUpdate({ requests: [{ mergeCells: { range: { sheetId: 0 } } }] }, e.ss._id)).toThrow(
      /mergeCells is not emulated/,
    );
  });
});

describe('the environment', () => {
  test('calls are counted with the bytes of their request and response JSON', () => {
    const e = env({ [UNIT]: [['a', 1]] });
    e.calls.reset();
    const args = { ranges: [UNIT], ...UNFORMATTED };
    const res = api(e).Values.batchGet(e.ss._id, args);
    const resource = { requests: [{ updateCells: { start: { sheetId: 0 }, rows: [{ values: [{ note: 'n' }] }], fields: 'note' } }] };
    const reply = api(e).batchUpdate(resource, e.ss._id);
    const utf8 = (v: unknown) => Buffer.byteLength(JSON.stringify(v), 'utf8');
    expect(e.calls.records()).toEqual([
      { name: 'Sheets.Spreadsheets.Values.batchGet', requestBytes: utf8([e.ss._id, args]), responseBytes: utf8(res) },
      { name: 'Sheets.Spreadsheets.batchUpdate', requestBytes: utf8([resource, e.ss._id]), responseBytes: utf8(reply) },
    ]);
    expect(e.calls.bytes()).toBe(utf8([e.ss._id, args]) + utf8(res) + utf8([resource, e.ss._id]) + utf8(reply));
    expect(e.calls.list()).toEqual(['Sheets.Spreadsheets.Values.batchGet', 'Sheets.Spreadsheets.batchUpdate']);
    // Responses are fresh objects: changing one changes nothing in the spreadsheet.
    const got = res.valueRanges ?? [];
    (got[0].values as unknown[][])[0][0] = 'changed';
    expect(shown(e)).toEqual([['a', 1]]);
  });

  test('simple triggers (LIMITED) cannot use the advanced service; the refused call is still counted', () => {
    const e = env();
    e.setAuthMode('LIMITED');
    e.calls.reset();
    expect(() => api(e).Values.batchGet(e.ss._id, { ranges: [UNIT], ...UNFORMATTED })).toThrow(
      'You do not have permission to call Sheets.Spreadsheets.Values.batchGet. ' +
        'Required permissions: https://www.googleapis.com/auth/spreadsheets',
    );
    expect(e.calls.list()).toEqual(['Sheets.Spreadsheets.Values.batchGet']);
    // SpreadsheetApp on the bound spreadsheet still works there.
    expect(shown(e)).toEqual([['']]);
  });

  test('with sheetsApi: false the script sees no Sheets global', () => {
    const e = createFakeEnv({ sheetsApi: false });
    expect(e.globals.Sheets).toBeUndefined();
    expect(e.gas.Sheets).toBeUndefined();
  });
});
