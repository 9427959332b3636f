/**
 * The Sheets API adapter (src/gas/api) on the emulator's Sheets advanced service: what it reads is what
 * SpreadsheetApp shows the core today, in fewer calls; what it writes, SpreadsheetApp then reads.
 */
import { type FakeEnv, canUserEdit, createFakeEnv, effectiveBackground, installGlobals } from '../../../dev/gas-emulator/index';
import {
  addRuleRequest,
  addSheetRequest,
  boxOfGridRange,
  type CellWrite,
  cellRequests,
  colorOfHex,
  columnWidthRequest,
  deleteRuleRequests,
  formatRequest,
  hexOfColor,
  protectRequest,
  type Request,
  sheetShapeRequest,
  unprotectRequest,
  updateProtectionRequest,
  utf8Length,
  validationRequest,
} from '../../../src/gas/api/requests';
import { batchWrite, listSheets, packBatches, readCells, readSheets, readValueGrids, sheetsService } from '../../../src/gas/api/sheets-api';
import { mergeFromA1 } from '../../../src/core/engine/text';

const UNIT = 'Đơn vị 1';
const OTHER = "Tổ 2 (O'Neil)";
const TZ = 'Asia/Ho_Chi_Minh';
const OFFICE = 'office@example.com';
const BOB = 'bob@example.com';

let env: FakeEnv;
let restore: () => void;

function start(sheets: Record<string, unknown[][]>, editors: string[] = []): FakeEnv {
  env = createFakeEnv({ now: new Date('2026-11-23T01:00:00Z'), sheets, sheetsApi: true, editors });
  restore = installGlobals(env);
  return env;
}

afterEach(() => restore?.());

function sheet(name: string) {
  return env.gas.SpreadsheetApp.getActive().getSheetByName(name)!;
}

/** What the core reads today through SpreadsheetApp, one sheet at a time. */
function viaSpreadsheetApp(name: string) {
  const range = sheet(name).getDataRange();
  return {
    title: name,
    values: range.getValues(),
    formulas: range.getFormulas(),
    notes: range.getNotes(),
    backgrounds: range.getBackgrounds(),
    merges: range.getMergedRanges().map((m) => mergeFromA1(m.getA1Notation())),
  };
}

const ALL = { formulas: true, notes: true, backgrounds: true, merges: true };

describe('reading', () => {
  test('many sheets in two calls, exactly as SpreadsheetApp shows each one (ragged rows, dates, formulas, errors)', () => {
    const midnight = new Date(Date.UTC(2026, 5, 15) - 7 * 3600000);
    const evening = new Date(Date.UTC(2026, 5, 15, 18, 30) - 7 * 3600000);
    start({
      [UNIT]: [['BIỂU CHẤM ĐIỂM'], ['STT', 'Tiêu chí', 'Điểm tối đa', 'Tự chấm'], ['1', 'Mục 1', 2], ['1.1', 'Tiêu chí', 2, 1.5, true]],
      [OTHER]: [[midnight, evening, 'x']],
      Trống: [],
    });
    const s = sheet(UNIT);
    s.getRange('A1:D1').merge();
    s.getRange('D3').setFormula('=SUM(D4:D4)');
    s.getRange('E3').setFormula('=C3/0');
    s.getRange('F5').setFormula('=DATE(2026;6;15)');
    s.getRange('B4').setNote('Ghi chú của người chấm');
    s.getRange('A2:D2').setBackground('#CFE2F3');
    env.calls.reset();
    const read = readSheets(env.ss.getId(), [UNIT, OTHER, 'Trống'], ALL, TZ);
    // Two calls to the spreadsheet; the time zone's offset looked up twice for each distinct date (lookups, no round trip).
    expect(env.calls.list()).toEqual([
      'Sheets.Spreadsheets.Values.batchGet',
      'Sheets.Spreadsheets.get',
      ...Array(4).fill('Utilities.formatDate'),
    ]);
    env.calls.reset();
    const expected = [UNIT, OTHER, 'Trống'].map((name) => ({ ...viaSpreadsheetApp(name), columnCount: sheet(name).getMaxColumns() }));
    expect(read).toEqual(expected);
    // The dates are real Dates (wall-clock time in Hanoi), the date formula's result too.
    expect(read[1].values[0].slice(0, 2)).toEqual([midnight, evening]);
    expect(read[0].values[4][5]).toEqual(midnight);
    expect(read[0].values[2][4]).toBe('#DIV/0!');
    expect(read[2].values).toEqual([['']]);
  });

  test('readCells: one get gives the time zone and each range as SpreadsheetApp shows it (values, formulas, rich text)', () => {
    const midnight = new Date(Date.UTC(2026, 5, 15) - 7 * 3600000);
    start(
      {
        [UNIT]: [
          ['BIỂU CHẤM ĐIỂM'],
          ['STT', 'Tiêu chí', 'Điểm tối đa', 'Tự chấm'],
          ['1', 'Mục 1', 2, '', midnight],
          ['1.1', 'x', 2, 1.5, true],
        ],
        [OTHER]: [['h1', 'h2'], ['a']],
      },
      [BOB],
    );
    const s = sheet(UNIT);
    s.getRange('D3').setFormula('=SUM(D4:D4)');
    s.getRange('E2').setFormula('=C3/0');
    s.getRange('G4').setFormula('=""');
    const app = env.gas.SpreadsheetApp;
    s.getRange('B3').setRichTextValue(
      app.newRichTextValue().setText('Mục 1\nhttps://a.example/').setLinkUrl(6, 23, 'https://a.example/').build(),
    );
    s.getRange('B4').setRichTextValue(app.newRichTextValue().setText('x').setLinkUrl('https://b.example/').build());
    sheet(OTHER).protect().removeEditors([BOB]);
    env.setActiveUser(BOB);
    env.calls.reset();
    const read = readCells(env.ss.getId(), [`'${UNIT}'`, `'${OTHER.replace("'", "''")}'!A1`], { richText: true, protections: true });
    expect(env.calls.list().filter((c) => c.startsWith('Sheets.'))).toEqual(['Sheets.Spreadsheets.get']);
    env.calls.reset();
    expect(read.timeZone).toBe(TZ);
    const range = s.getDataRange();
    const richOf = (r: GoogleAppsScript.Spreadsheet.RichTextValue | null, value: unknown) =>
      r && typeof value === 'string'
        ? { text: r.getText(), runs: r.getRuns().map((x) => ({ start: x.getStartIndex(), end: x.getEndIndex(), url: x.getLinkUrl() })) }
        : null;
    const values = range.getValues();
    const formulas = range.getFormulas();
    const rich = range.getRichTextValues().map((row, i) => row.map((r, j) => richOf(r, values[i][j])));
    expect(read.ranges[0]).toEqual({
      title: UNIT,
      sheetId: s.getSheetId(),
      rowCount: s.getMaxRows(),
      columnCount: s.getMaxColumns(),
      values,
      formulas,
      // Null for an empty cell and for a formula's (its text is its value).
      richText: rich.map((row, i) => row.map((r, j) => (values[i][j] === '' || formulas[i][j] ? null : r))),
      canEdit: true,
    });
    expect(read.ranges[0].values[1][4]).toBe('#DIV/0!');
    expect(read.ranges[0].values[2][4]).toEqual(midnight);
    expect(read.ranges[0].values[0]).toHaveLength(7); // the formula showing nothing in G4 ends the data range, as getDataRange
    expect(read.ranges[1]).toMatchObject({ title: OTHER, values: [['h1']], canEdit: false });
  });

  test('without dates, values only: one call, dates as serial numbers', () => {
    start({ [UNIT]: [[new Date(Date.UTC(2026, 0, 1) - 7 * 3600000), 3]] });
    env.calls.reset();
    const [read] = readSheets(env.ss.getId(), [UNIT], { dates: false }, TZ);
    expect(env.calls.list()).toEqual(['Sheets.Spreadsheets.Values.batchGet']);
    const serial = (Date.UTC(2026, 0, 1) - Date.UTC(1899, 11, 30)) / 86400000;
    expect(read.values).toEqual([[serial, 3]]);
  });

  test('the listing: ids, titles, order and sizes from one call', () => {
    start({ [UNIT]: [], [OTHER]: [] });
    sheet(OTHER).setFrozenRows(3);
    env.calls.reset();
    const list = listSheets(env.ss.getId());
    expect(env.calls.count()).toBe(1);
    expect(list).toEqual(
      env.gas.SpreadsheetApp.getActive()
        .getSheets()
        .map((s, index) => ({
          sheetId: s.getSheetId(),
          title: s.getName(),
          index,
          rowCount: s.getMaxRows(),
          columnCount: s.getMaxColumns(),
          frozenRowCount: s.getFrozenRows(),
        })),
    );
  });

  test('protections and conditional-format rules, with the ids and indexes writes need', () => {
    start(
      {
        [UNIT]: [
          ['a', 1],
          ['b', 2],
        ],
      },
      [OFFICE, BOB],
    );
    const app = env.gas.SpreadsheetApp;
    const s = sheet(UNIT);
    const whole = s.protect().setDescription('cả trang');
    whole.setUnprotectedRanges([s.getRange('B2:B3')]);
    whole.removeEditors([BOB]);
    s.getRange('B2').protect().setDescription('ô');
    s.setConditionalFormatRules([
      app
        .newConditionalFormatRule()
        .whenFormulaSatisfied('=B1>1')
        .setBackground('#ff0000')
        .setRanges([s.getRange('B1:B2')])
        .build(),
      app
        .newConditionalFormatRule()
        .whenFormulaSatisfied('=A1=""')
        .setRanges([s.getRange('A1'), s.getRange('A3:A4')])
        .build(),
    ]);
    const [read] = readSheets(env.ss.getId(), [UNIT], { protections: true, rules: true }, TZ);
    expect(read.protections).toEqual([
      {
        id: expect.any(Number),
        description: 'cả trang',
        range: null,
        editors: ['owner@example.com', OFFICE],
        domainEdit: false,
        unprotected: ['B2:B3'],
      },
      {
        id: expect.any(Number),
        description: 'ô',
        range: 'B2',
        editors: ['owner@example.com', OFFICE, BOB],
        domainEdit: false,
        unprotected: [],
      },
    ]);
    expect(read.rules).toEqual([
      { index: 0, ranges: ['B1:B2'], formula: '=B1>1', background: '#ff0000' },
      { index: 1, ranges: ['A1', 'A3:A4'], formula: '=A1=""', background: null },
    ]);
  });

  test('without the advanced service enabled, a clear message', () => {
    env = createFakeEnv({ sheets: { [UNIT]: [] }, sheetsApi: false });
    restore = installGlobals(env);
    expect(() => sheetsService()).toThrow('Chưa bật dịch vụ nâng cao Google Sheets API');
  });

  test('simple triggers cannot read through the API', () => {
    start({ [UNIT]: [[1]] });
    env.setAuthMode('LIMITED');
    expect(() => readSheets(env.ss.getId(), [UNIT], {}, TZ)).toThrow(
      /You do not have permission to call Sheets\.Spreadsheets\.Values\.batchGet/,
    );
  });
});

describe('shapes', () => {
  test('fields the API leaves out read as their defaults: indexes and colour components of 0', () => {
    expect(boxOfGridRange({ endRowIndex: 2, endColumnIndex: 3 })).toEqual({ row: 1, col: 0, numRows: 2, numCols: 3 });
    expect(boxOfGridRange({ sheetId: 5, startRowIndex: 4 }, { rows: 10, columns: 26 })).toEqual({
      row: 5,
      col: 0,
      numRows: 6,
      numCols: 26,
    });
    expect(() => boxOfGridRange({ startRowIndex: 4 })).toThrow();
    expect(hexOfColor({})).toBe('#000000');
    expect(hexOfColor({ red: 1, blue: 0.5 })).toBe('#ff0080');
    for (const hex of ['#cfe2f3', '#000000', '#ffffff', '#f4cccc']) expect(hexOfColor(colorOfHex(hex))).toBe(hex);
    expect(colorOfHex('#ABC')).toEqual(colorOfHex('#aabbcc'));
  });

  test('UTF-8 length, as the wire counts it', () => {
    for (const text of ['abc', 'Đơn vị 1', 'Chấm điểm tự động 🙂', '']) expect(utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'));
  });
});

describe('writing', () => {
  test('cell writes grouped into rectangles, one request each; SpreadsheetApp reads what was written', () => {
    start({
      [UNIT]: [
        ['STT', 'Tự chấm', 'Thẩm định'],
        ['1', '', ''],
        ['1.1', 1, 2],
        ['1.2', 0.5, 1],
      ],
    });
    const writes: CellWrite[] = [
      { row: 2, col: 1, formula: '=SUM(B3:B4)' },
      { row: 2, col: 2, formula: '=SUM(C3:C4)' },
      { row: 3, col: 3, note: 'Chấm điểm tự động: lỗi', background: '#f4cccc' },
      { row: 4, col: 3, note: 'Chấm điểm tự động: lỗi', background: '#f4cccc' },
      { row: 1, col: 4, value: 'Kết quả' },
      { row: 2, col: 4, value: 3.5 },
      { row: 3, col: 4, value: '1,5' },
      { row: 4, col: 4, value: null },
    ];
    const requests = cellRequests(0, writes);
    // Contents (formulas and values alike): B2:C2 and E1:E4; notes with backgrounds: D3:D4.
    expect(requests.map((r) => [r.updateCells?.fields, r.updateCells?.range])).toEqual([
      ['userEnteredValue', { sheetId: 0, startRowIndex: 1, endRowIndex: 2, startColumnIndex: 1, endColumnIndex: 3 }],
      ['userEnteredValue', { sheetId: 0, startRowIndex: 0, endRowIndex: 4, startColumnIndex: 4, endColumnIndex: 5 }],
      ['note,userEnteredFormat.backgroundColor', { sheetId: 0, startRowIndex: 2, endRowIndex: 4, startColumnIndex: 3, endColumnIndex: 4 }],
    ]);
    env.calls.reset();
    batchWrite(env.ss.getId(), [requests]);
    expect(env.calls.list()).toEqual(['Sheets.Spreadsheets.batchUpdate']);
    const s = sheet(UNIT);
    expect(s.getRange('B2:C2').getValues()).toEqual([[1 + 0.5, 2 + 1]]);
    expect(s.getRange('B2:C2').getFormulas()).toEqual([['=SUM(B3:B4)', '=SUM(C3:C4)']]);
    expect(s.getRange('D3:D4').getNotes()).toEqual([['Chấm điểm tự động: lỗi'], ['Chấm điểm tự động: lỗi']]);
    expect(s.getRange('D3:D4').getBackgrounds()).toEqual([['#f4cccc'], ['#f4cccc']]);
    // Values are written as they are: a text stays text.
    expect(s.getRange('E1:E4').getValues()).toEqual([['Kết quả'], [3.5], ['1,5'], ['']]);
  });

  test('a cell written twice keeps the last write; clearing a formula, a note, a background', () => {
    start({ [UNIT]: [[1]] });
    const s = sheet(UNIT);
    s.getRange('B1').setFormula('=A1').setNote('cũ').setBackground('#ff0000');
    batchWrite(env.ss.getId(), [
      cellRequests(0, [
        { row: 1, col: 1, formula: '=A1*2' },
        { row: 1, col: 1, formula: '', note: '', background: '#ffffff' },
      ]),
    ]);
    const b1 = s.getRange('B1');
    expect([b1.getFormula(), b1.getValue(), b1.getNotes()[0][0], b1.getBackgrounds()[0][0]]).toEqual(['', '', '', '#ffffff']);
  });

  test('batches stay under the byte limit, groups together when they fit, big updates cut between rows', () => {
    const note = 'Chấm điểm tự động: thiếu giải trình. '.repeat(3);
    const column = (sheetId: number, rows: number): Request[] =>
      cellRequests(
        sheetId,
        Array.from({ length: rows }, (_, i) => ({ row: i + 1, col: 0, note })),
      );
    const limit = 4000;
    const groups = [column(0, 5), column(1, 40), [unprotectRequest(1), unprotectRequest(2)], column(2, 3)];
    const batches = packBatches(groups, limit);
    for (const batch of batches) expect(utf8Length(JSON.stringify({ requests: batch }))).toBeLessThanOrEqual(limit);
    // The big column is cut between rows, the rows in order; every row is sent once.
    const sent = batches.flat().flatMap((r) => {
      const u = r.updateCells;
      return u
        ? Array.from(
            { length: (u.range?.endRowIndex ?? 0) - (u.range?.startRowIndex ?? 0) },
            (_, i) => `${u.range?.sheetId}:${(u.range?.startRowIndex ?? 0) + i}`,
          )
        : [];
    });
    expect(sent).toEqual([
      ...Array.from({ length: 5 }, (_, i) => `0:${i}`),
      ...Array.from({ length: 40 }, (_, i) => `1:${i}`),
      ...Array.from({ length: 3 }, (_, i) => `2:${i}`),
    ]);
    // The two deletions, a small group, are in one call.
    expect(batches.filter((b) => b.some((r) => r.deleteProtectedRange)).map((b) => b.filter((r) => r.deleteProtectedRange).length)).toEqual(
      [2],
    );
    expect(batches.length).toBeGreaterThan(2);
    // What fits goes in one call.
    expect(packBatches(groups)).toHaveLength(1);
  });

  test('a cut write gives the same sheet as one write', () => {
    const rows = 60;
    const writes = Array.from({ length: rows }, (_, i) => ({ row: i + 1, col: 1, value: `Giải trình số ${i + 1} của đơn vị` }));
    start({ [UNIT]: [] });
    batchWrite(env.ss.getId(), [cellRequests(0, writes)], 1500);
    const cut = sheet(UNIT).getDataRange().getValues();
    expect(env.calls.count('Sheets.Spreadsheets.batchUpdate')).toBeGreaterThan(1);
    restore();
    start({ [UNIT]: [] });
    batchWrite(env.ss.getId(), [cellRequests(0, writes)]);
    expect(env.calls.count('Sheets.Spreadsheets.batchUpdate')).toBe(1);
    expect(sheet(UNIT).getDataRange().getValues()).toEqual(cut);
    expect(cut.map((r) => r[1])).toEqual(writes.map((w) => w.value));
  });

  test('protections added, changed and removed in one call, read back and obeyed', () => {
    start(
      {
        [UNIT]: [
          ['STT', 'Tự chấm', 'Thẩm định'],
          ['1.1', 1, 1],
        ],
      },
      [OFFICE, BOB],
    );
    const id = env.ss.getId();
    const [whole, unit] = batchWrite(id, [
      [
        protectRequest(0, { range: null, description: 'Chấm điểm: cả trang', editors: [OFFICE], unprotected: ['B2', 'C2'] }),
        protectRequest(0, { range: 'B2', description: 'Chấm điểm: đơn vị', editors: [OFFICE, BOB] }),
      ],
    ]).map((r) => r.addProtectedRange?.protectedRange?.protectedRangeId as number);
    expect([canUserEdit(env.ss, UNIT, 'B2', BOB), canUserEdit(env.ss, UNIT, 'C2', BOB), canUserEdit(env.ss, UNIT, 'A2', BOB)]).toEqual([
      true,
      true,
      false,
    ]);
    const [read] = readSheets(id, [UNIT], { protections: true, dates: false }, TZ);
    expect(read.protections?.map((p) => [p.id, p.range, p.editors, p.unprotected])).toEqual([
      [whole, null, ['owner@example.com', OFFICE], ['B2', 'C2']],
      [unit, 'B2', ['owner@example.com', OFFICE, BOB], []],
    ]);
    // Lock self-scoring: the unit's range loses the unit; then permissions removed altogether.
    batchWrite(id, [[updateProtectionRequest(0, unit, { range: 'B2', description: 'Chấm điểm: đã khóa', editors: [OFFICE] })]]);
    expect(canUserEdit(env.ss, UNIT, 'B2', BOB)).toBe(false);
    expect(canUserEdit(env.ss, UNIT, 'B2', OFFICE)).toBe(true);
    batchWrite(id, [[unprotectRequest(unit), unprotectRequest(whole)]]);
    expect(env.ss.protectionRecords()).toEqual([]);
    expect(() => protectRequest(0, { range: 'A1', description: '', editors: [], unprotected: ['B2'] })).toThrow();
  });

  test('formats, validations, rules, new sheets: what SpreadsheetApp then sees', () => {
    start({
      [UNIT]: [
        ['STT', 'Tự chấm'],
        ['1.1', 3],
        ['1.2', 1],
      ],
    });
    const id = env.ss.getId();
    const s = sheet(UNIT);
    s.setConditionalFormatRules([
      env.gas.SpreadsheetApp.newConditionalFormatRule()
        .whenFormulaSatisfied('=B2<0')
        .setBackground('#0000ff')
        .setRanges([s.getRange('B2:B3')])
        .build(),
    ]);
    batchWrite(id, [
      [
        formatRequest(0, 'A1:B1', { bold: true, wrap: true, background: '#cfe2f3' }),
        formatRequest(0, 'A2:A3', { numberFormat: '@', verticalAlignment: 'top' }),
        validationRequest(0, 'B2:B3', { min: 0, max: 2, strict: false, helpText: 'Từ 0 đến 2' }),
        ...deleteRuleRequests(0, [0]),
        addRuleRequest(0, { ranges: ['B2:B3'], formula: '=B2>2', background: '#f4cccc' }, 0),
        addSheetRequest('Tổng hợp', { sheetId: 99, rows: 20, columns: 5, frozenRows: 1 }),
        ...cellRequests(99, [{ row: 1, col: 0, value: 'Đơn vị' }]),
        sheetShapeRequest(99, { frozenRows: 2 }),
      ],
    ]);
    expect(env.calls.count('Sheets.Spreadsheets.batchUpdate')).toBe(1);
    const cell = env.ss.cellState(UNIT, 'A1');
    expect([cell.fontWeight, cell.wrap, cell.background]).toEqual(['bold', true, '#cfe2f3']);
    expect([env.ss.cellState(UNIT, 'A3').numberFormat, env.ss.cellState(UNIT, 'A3').verticalAlignment]).toEqual(['@', 'top']);
    const dv = s.getRange('B3').getDataValidation();
    expect([dv?.getCriteriaValues(), dv?.getHelpText()]).toEqual([[0, 2], 'Từ 0 đến 2']);
    expect(s.getConditionalFormatRules().map((r) => r.getBooleanCondition()?.getCriteriaValues()[0])).toEqual(['=B2>2']);
    expect([effectiveBackground(s, 'B2'), effectiveBackground(s, 'B3')]).toEqual(['#f4cccc', '#ffffff']);
    const added = sheet('Tổng hợp');
    expect([added.getSheetId(), added.getMaxRows(), added.getMaxColumns(), added.getFrozenRows()]).toEqual([99, 20, 5, 2]);
    expect(added.getDataRange().getValues()).toEqual([['Đơn vị']]);
  });

  test('a refused write leaves the sheet as it was (all or nothing)', () => {
    start({ [UNIT]: [['a', 1]] }, [BOB]);
    sheet(UNIT).getRange('B1').protect().removeEditors([BOB]);
    env.setActiveUser(BOB);
    expect(() =>
      batchWrite(env.ss.getId(), [
        cellRequests(0, [
          { row: 1, col: 0, value: 'đã sửa' },
          { row: 1, col: 1, value: 9, note: 'x' },
        ]),
      ]),
    ).toThrow(/protected cell/);
    expect(sheet(UNIT).getDataRange().getValues()).toEqual([['a', 1]]);
  });
});

describe('what the check relies on (issue 12)', () => {
  test('a cell given a formula and a note by two writes gets both; a later value replaces the formula', () => {
    start({ [UNIT]: [[1, 2]] });
    batchWrite(env.ss.getId(), [
      cellRequests(0, [
        { row: 1, col: 2, formula: '=A1+B1' },
        { row: 1, col: 2, note: 'của tiện ích' },
        { row: 1, col: 3, formula: '=A1' },
        { row: 1, col: 3, value: 'chữ' },
      ]),
    ]);
    const s = sheet(UNIT);
    expect([s.getRange('C1').getFormula(), s.getRange('C1').getValue(), s.getRange('C1').getNotes()[0][0]]).toEqual([
      '=A1+B1',
      3,
      'của tiện ích',
    ]);
    expect([s.getRange('D1').getFormula(), s.getRange('D1').getValue()]).toEqual(['', 'chữ']);
  });

  test('column widths through the API are what SpreadsheetApp reads, and undone with a refused batch', () => {
    start({ [UNIT]: [[1]] });
    const s = sheet(UNIT);
    batchWrite(env.ss.getId(), [[columnWidthRequest(0, 2, 2, 170)]]);
    expect([1, 2, 3, 4, 5].map((c) => s.getColumnWidth(c))).toEqual([100, 100, 170, 170, 100]);
    // A batch whose second request is refused (a sheet id that does not exist) leaves the widths as they were.
    expect(() => batchWrite(env.ss.getId(), [[columnWidthRequest(0, 0, 1, 50), columnWidthRequest(99, 0, 1, 50)]])).toThrow(
      /No grid with id: 99/,
    );
    expect(s.getColumnWidth(1)).toBe(100);
  });

  test('a FORMULA-rendered read gives each formula in its cell and the values of the others', () => {
    start({ [UNIT]: [['a', 2, 3]] });
    sheet(UNIT).getRange('D1').setFormula('=B1+C1');
    env.calls.reset();
    const [raw] = readValueGrids(env.ss.getId(), [`'${UNIT}'`], 'FORMULA');
    expect(raw).toEqual([['a', 2, 3, '=B1+C1']]);
    expect(env.calls.list()).toEqual(['Sheets.Spreadsheets.Values.batchGet']);
  });

  test('a simple trigger (onOpen) never reaches the API: the menu opens, no Sheets call is made', () => {
    start({ [UNIT]: [[1]] });
    const { onOpen } = jest.requireActual('../../../src/gas/menu') as typeof import('../../../src/gas/menu');
    env.calls.reset();
    env.run({ kind: 'simple' }, () => onOpen());
    expect(env.ui.menus.some((m) => m.name === 'Chấm điểm')).toBe(true);
    expect(env.calls.list().filter((c) => c.startsWith('Sheets.'))).toEqual([]);
    // The same service refuses a simple trigger outright.
    expect(() => env.run({ kind: 'simple' }, () => listSheets(env.ss.getId()))).toThrow(/You do not have permission/);
  });
});
