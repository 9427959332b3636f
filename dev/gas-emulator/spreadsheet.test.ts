/** Contract of the emulated Spreadsheet service (spreadsheet.ts, a1.ts). */
import { type FakeEnv, canUserEdit, cellBackground, cellNote, cellState, cellValue, createFakeEnv, sheetValues } from './index';
import { PROTECTED_MESSAGE } from './spreadsheet';

const OWNER = 'owner@example.com';
const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

function env(opts: Parameters<typeof createFakeEnv>[0] = {}): FakeEnv {
  return createFakeEnv({ now: new Date('2024-03-10T01:00:00Z'), ...opts });
}

describe('ranges and A1 notation', () => {
  const e = env({
    sheets: {
      Data: [
        ['a', 'b', 'c'],
        [1, 2, 3],
      ],
    },
  });
  const sheet = e.gas.SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Data')!;

  test('1-based numeric ranges', () => {
    const r = sheet.getRange(2, 3, 4, 5);
    expect(r.getA1Notation()).toBe('C2:G5');
    expect([r.getRow(), r.getColumn(), r.getNumRows(), r.getNumColumns()]).toEqual([2, 3, 4, 5]);
    expect(r.getSheet().getName()).toBe('Data');
    expect(sheet.getRange(1, 1).getValues()).toEqual([['a']]);
    expect(sheet.getRange(2, 3).getValues()).toEqual([[3]]);
    expect(sheet.getRange(2, 1, 1).getA1Notation()).toBe('A2');
  });

  test('A1 strings, including AA10, $-anchors and open-ended ranges', () => {
    // A new sheet has 26 columns (A..Z): AA does not exist until the sheet grows.
    expect(() => sheet.getRange('AA10')).toThrow('The coordinates of the range are outside the dimensions of the sheet.');
    sheet.insertColumnsAfter(26, 4);
    expect(sheet.getMaxColumns()).toBe(30);
    const aa = sheet.getRange('AA10');
    expect([aa.getRow(), aa.getColumn()]).toEqual([10, 27]);
    expect(sheet.getRange('A1:C3').getValues()).toEqual([
      ['a', 'b', 'c'],
      [1, 2, 3],
      ['', '', ''],
    ]);
    expect(sheet.getRange('$B$2').getValues()).toEqual([[2]]);
    expect(sheet.getRange('C3:A1').getA1Notation()).toBe('A1:C3');
    expect(sheet.getRange('B:B').getNumRows()).toBe(1000);
    expect(sheet.getRange('2:3').getNumColumns()).toBe(30);
  });

  test('bad coordinates throw the real messages', () => {
    expect(() => sheet.getRange('A0')).toThrow('Range not found');
    expect(() => sheet.getRange('1A')).toThrow('Range not found');
    expect(() => sheet.getRange('A:3')).toThrow('Range not found');
    expect(() => sheet.getRange('Data!A1')).toThrow('Range not found');
    expect(() => sheet.getRange(0, 1)).toThrow('The starting row of the range is too small.');
    expect(() => sheet.getRange(1, 0)).toThrow('The starting column of the range is too small.');
    expect(() => sheet.getRange(1, 1, 0, 1)).toThrow('The number of rows in the range must be at least 1.');
    expect(() => sheet.getRange(1, 1, 1, 0)).toThrow('The number of columns in the range must be at least 1.');
    expect(() => sheet.getRange(1000, 1, 2, 1)).toThrow('The coordinates of the range are outside the dimensions of the sheet.');
    expect(() => (sheet.getRange as unknown as (row: number) => unknown)(5)).toThrow(
      "The parameters (number) don't match the method signature for SpreadsheetApp.Sheet.getRange.",
    );
  });
});

describe('values', () => {
  test('getValues returns fresh numRows x numColumns arrays with real JS types', () => {
    const d = new Date('2024-01-02T00:00:00Z');
    const e = env({ sheets: { S: [['x', 1.5, true, d, '#REF!']] } });
    const r = e.gas.SpreadsheetApp.getActive().getSheetByName('S')!.getRange(1, 1, 2, 6);
    const v = r.getValues();
    expect(v).toHaveLength(2);
    expect(v.every((row) => row.length === 6)).toBe(true);
    expect(v[0]).toEqual(['x', 1.5, true, d, '#REF!', '']);
    expect(v[0][3]).toBeInstanceOf(Date);
    expect(v[1]).toEqual(['', '', '', '', '', '']);
    v[0][0] = 'changed';
    (v[0][3] as Date).setFullYear(1999);
    expect(r.getValues()[0][0]).toBe('x');
    expect((r.getValues()[0][3] as Date).getTime()).toBe(d.getTime());
    expect(r.getValues()).not.toBe(r.getValues());
  });

  test('getDataRange / getLastRow / getLastColumn follow the content', () => {
    const e = env({ sheets: { S: [['h1', 'h2'], [], ['', '', 'x']], Empty: [] } });
    const ss = e.gas.SpreadsheetApp.getActive();
    const s = ss.getSheetByName('S')!;
    expect([s.getLastRow(), s.getLastColumn()]).toEqual([3, 3]);
    expect(s.getDataRange().getA1Notation()).toBe('A1:C3');
    const empty = ss.getSheetByName('Empty')!;
    expect([empty.getLastRow(), empty.getLastColumn()]).toEqual([0, 0]);
    expect(empty.getDataRange().getA1Notation()).toBe('A1');
    expect([s.getMaxRows(), s.getMaxColumns()]).toEqual([1000, 26]);
    s.getRange('C3').setNote('notes are not content');
    s.getRange('C3').clearContent();
    expect(s.getLastRow()).toBe(1);
  });

  test('setValues dimension checks use the real message shape', () => {
    const e = env();
    const r = e.gas.SpreadsheetApp.getActive().getActiveSheet().getRange('A1:B3');
    expect(() =>
      r.setValues([
        [1, 2],
        [3, 4],
      ]),
    ).toThrow('The number of rows in the data does not match the number of rows in the range. The data has 2 but the range has 3.');
    expect(() => r.setValues([[1, 2], [3, 4], [5]])).toThrow(
      'The number of columns in the data does not match the number of columns in the range. The data has 1 but the range has 2.',
    );
    expect(() => r.setNotes([['a', 'b']])).toThrow('The data has 1 but the range has 3.');
    expect(() => r.setBackgrounds([['#fff'], ['#fff'], ['#fff']])).toThrow('number of columns');
    expect(() => r.setDataValidations([[null]])).toThrow('number of rows');
    expect(() => r.setValues([1, 2, 3] as unknown as unknown[][])).toThrow(
      "The parameters (number[]) don't match the method signature for SpreadsheetApp.Range.setValues.",
    );
    expect(() => r.setValue([1] as unknown as number)).toThrow("The parameters (number[]) don't match the method signature");
    const err = (() => {
      try {
        r.setValues([[1]]);
      } catch (x) {
        return x as Error;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(Error);
    expect(err!.name).toBe('Exception');
    expect(sheetValues(e, 'Sheet1')).toEqual([]);
  });

  test('setValue applies to every cell; strings are entered like in Sheets (en_US)', () => {
    const e = env({ locale: 'en_US' });
    const s = e.gas.SpreadsheetApp.getActive().getActiveSheet();
    s.getRange('A1:B2').setValue('x');
    expect(sheetValues(e, 'Sheet1')).toEqual([
      ['x', 'x'],
      ['x', 'x'],
    ]);
    s.getRange('A1:D1').setValues([['12', "'012", 'true', '=SUM(A2:B2)']]);
    // A2:B2 hold text: their SUM is 0 (formulas are computed: formulas.test.ts).
    expect(s.getRange('A1:D1').getValues()).toEqual([[12, '012', true, 0]]);
    expect(s.getRange('A1:D1').getFormulas()).toEqual([['', '', '', '=SUM(A2:B2)']]);
    expect(s.getRange('D1').getFormula()).toBe('=SUM(A2:B2)');
    s.getRange('A3').setValue('50%');
    expect(cellState(e, 'Sheet1', 'A3')).toMatchObject({ value: 0.5, numberFormat: '0%' });
    const d = new Date('2024-05-06T00:00:00Z');
    s.getRange('A5').setValue(d);
    d.setFullYear(2000);
    expect((s.getRange('A5').getValues()[0][0] as Date).toISOString()).toBe('2024-05-06T00:00:00.000Z');
    s.getRange('A4').setValue('12.5%');
    expect(cellState(e, 'Sheet1', 'A4')).toMatchObject({ value: 0.125, numberFormat: '0.0%' });
  });
});

/**
 * Text entered into a general-format cell is read the way the spreadsheet's locale writes numbers and dates
 * (locale.ts; Range.setValue "sets the value … like a user entering it"); the plain-text format "@" keeps it.
 * https://developers.google.com/apps-script/reference/spreadsheet/range#setNumberFormat(String)
 */
describe('text entered into a cell, read in the spreadsheet locale', () => {
  const VN = 'Asia/Ho_Chi_Minh';
  /** The instant of a wall-clock time in Vietnam (UTC+7, no daylight saving), computed here independently. */
  const vn = (y: number, m: number, d: number, h = 0, mi = 0, s = 0) => new Date(Date.UTC(y, m - 1, d, h - 7, mi, s));

  function entered(inputs: string[], opts: Parameters<typeof createFakeEnv>[0] = {}) {
    const e = env(opts);
    const r = e.gas.SpreadsheetApp.getActive().getActiveSheet().getRange(1, 1, inputs.length, 1);
    r.setValues(inputs.map((x) => [x]));
    return { e, values: r.getValues().map((row) => row[0]) };
  }

  test('the default locale is vi_VN: "3,5" is 3.5, "1.234,5" is 1234.5, "3.5" and "1.10" stay text', () => {
    const { e, values } = entered(['3,5', '1.234,5', '-0,25', '12', '3.5', '1.10', '7, 3, 1', '1.000.000', '2,5e3', 'TRUE']);
    expect(e.gas.SpreadsheetApp.getActive().getSpreadsheetLocale()).toBe('vi_VN');
    expect(values).toEqual([3.5, 1234.5, -0.25, 12, '3.5', '1.10', '7, 3, 1', 1000000, 2500, true]);
  });

  test('en_US reads the other way round: "3.5" is 3.5, "1,234.5" is 1234.5, "3,5" stays text', () => {
    const { values } = entered(['3.5', '1,234.5', '3,5', '12,5%'], { locale: 'en_US' });
    expect(values).toEqual([3.5, 1234.5, '3,5', '12,5%']);
  });

  test('a percentage in vi_VN: "12,5%" is 0.125 with a percent format', () => {
    const { e, values } = entered(['12,5%', '90%']);
    expect(values).toEqual([0.125, 0.9]);
    expect(cellState(e, 'Sheet1', 'A1').numberFormat).toBe('0.0%');
    expect(cellState(e, 'Sheet1', 'A2').numberFormat).toBe('0%');
  });

  test('"2026-06-15" and "15/06/2026" become Dates at midnight in the spreadsheet time zone, not UTC', () => {
    const { e, values } = entered(['2026-06-15', '15/06/2026', '15-06-2026', '15/06/26', '16/06/2026 07:30', '2026-06-15 23:59:59']);
    expect(values).toEqual([
      vn(2026, 6, 15),
      vn(2026, 6, 15),
      vn(2026, 6, 15),
      vn(2026, 6, 15),
      vn(2026, 6, 16, 7, 30),
      vn(2026, 6, 15, 23, 59, 59),
    ]);
    for (const v of values) expect(v).toBeInstanceOf(Date);
    // What the add-on's bug looks like: read back through toISOString, the day before (UTC+7).
    expect((values[0] as Date).toISOString().slice(0, 10)).toBe('2026-06-14');
    expect(e.gas.Utilities.formatDate(values[0] as Date, VN, 'yyyy-MM-dd')).toBe('2026-06-15');
    expect(cellState(e, 'Sheet1', 'A1').numberFormat).toBe('yyyy-mm-dd');
  });

  test('day/month without a year is this year; a time alone is a time; impossible dates stay text', () => {
    // The clock says 10/03/2024 in Vietnam.
    const { e, values } = entered(['15/6', '07:30', '31/02/2026', '2026-13-01', '25:00', '15/06/2026 24:00']);
    expect(values[0]).toEqual(vn(2024, 6, 15));
    // A time is a Date on 30/12/1899 (the zone's offset that year is its local mean time, as in tzdata).
    expect(e.gas.Utilities.formatDate(values[1] as Date, VN, 'yyyy-MM-dd HH:mm:ss')).toBe('1899-12-30 07:30:00');
    expect(values.slice(2)).toEqual(['31/02/2026', '2026-13-01', '25:00', '15/06/2026 24:00']);
  });

  test('en_US puts the month first: "06/15/2026" is 15 June, "15/06/2026" stays text', () => {
    const { values } = entered(['06/15/2026', '15/06/2026', '2026-06-15'], { locale: 'en_US' });
    expect(values).toEqual([vn(2026, 6, 15), '15/06/2026', vn(2026, 6, 15)]);
  });

  test('the plain-text format "@" keeps every string as entered; an apostrophe keeps one', () => {
    const e = env();
    const s = e.gas.SpreadsheetApp.getActive().getActiveSheet();
    s.getRange('A1:A4').setNumberFormat('@');
    s.getRange('A1:B4').setValues([
      ['2026-06-15', '2026-06-15'],
      ['3,5', '3,5'],
      ['1.10', "'15/06/2026"],
      ['16/06/2026 07:30', '=1+1'],
    ]);
    expect(s.getRange('A1:A4').getValues()).toEqual([['2026-06-15'], ['3,5'], ['1.10'], ['16/06/2026 07:30']]);
    expect(s.getRange('B1:B4').getValues()).toEqual([[vn(2026, 6, 15)], [3.5], ['15/06/2026'], [2]]);
  });

  test('appendRow and a person typing read text the same way', () => {
    const e = env();
    const s = e.gas.SpreadsheetApp.getActive().getActiveSheet();
    s.appendRow(['23/11/2026 08:00', '2026-06-15', '3,5', 'Nhắc hạn']);
    expect(s.getRange('A1:D1').getValues()).toEqual([[vn(2026, 11, 23, 8), vn(2026, 6, 15), 3.5, 'Nhắc hạn']]);
  });

  test('a date typed into a cell is a date to formulas too', () => {
    const e = env();
    const s = e.gas.SpreadsheetApp.getActive().getActiveSheet();
    s.getRange('A1:A2').setValues([['15/06/2026'], ['1,5']]);
    s.getRange('B1:B3').setFormulas([['=A1+1'], ['=YEAR(A1)*10000+MONTH(A1)*100+DAY(A1)'], ['=A2*2']]);
    expect(s.getRange('B1:B3').getValues()).toEqual([[vn(2026, 6, 16)], [20260615], [3]]);
  });
});

describe('cell formats, notes, rich text, validation, merges', () => {
  test('notes and backgrounds round-trip; single setters fill the range', () => {
    const e = env();
    const s = e.gas.SpreadsheetApp.getActive().getActiveSheet();
    s.getRange('A1:B1').setNotes([['n1', null]]);
    s.getRange('A2:B2').setNote('all');
    expect(s.getRange('A1:B2').getNotes()).toEqual([
      ['n1', ''],
      ['all', 'all'],
    ]);
    expect(cellNote(e, 'Sheet1', 'B2')).toBe('all');
    s.getRange('B2').setNote(null);
    expect(cellNote(e, 'Sheet1', 'B2')).toBe('');

    expect(s.getRange('C3').getBackgrounds()).toEqual([['#ffffff']]);
    s.getRange('A1:B1').setBackgrounds([['#FF0000', '#0f0']]);
    s.getRange('A2:B2').setBackground('#ABC');
    expect(s.getRange('A1:B2').getBackgrounds()).toEqual([
      ['#ff0000', '#00ff00'],
      ['#aabbcc', '#aabbcc'],
    ]);
    s.getRange('A1').setBackground(null);
    expect(cellBackground(e, 'Sheet1', 'A1')).toBe('#ffffff');
    expect(() => s.getRange('A1').setBackground('yellow')).toThrow('[gas-emulator] the colour "yellow" is not emulated');

    s.getRange('A1').setFontWeight('bold').setFontSize(13).setVerticalAlignment('top').setWrap(true).setNumberFormat('@');
    const st = cellState(e, 'Sheet1', 'A1');
    expect([st.fontWeight, st.fontSize, st.verticalAlignment, st.wrap, st.numberFormat]).toEqual(['bold', 13, 'top', true, '@']);
    s.getRange('A1').setValue('007');
    expect(cellValue(e, 'Sheet1', 'A1')).toBe('007');
    s.getRange('A1').setFontWeight(null).setVerticalAlignment(null);
    expect(cellState(e, 'Sheet1', 'A1')).toMatchObject({ fontWeight: 'normal', verticalAlignment: 'bottom' });
  });

  test('clearContent keeps notes and formats; Sheet.clear() resets every cell', () => {
    const e = env({
      sheets: {
        S: [
          ['a', 'b'],
          ['c', 'd'],
        ],
      },
    });
    const s = e.gas.SpreadsheetApp.getActive().getSheetByName('S')!;
    s.getRange('A1:B2').setNote('n').setBackground('#ff0000');
    s.getRange('A1').clearContent();
    expect(cellState(e, 'S', 'A1')).toMatchObject({ value: '', note: 'n', background: '#ff0000' });
    expect(cellState(e, 'S', 'B1')).toMatchObject({ value: 'b', note: 'n', background: '#ff0000' });
    s.clear();
    expect(s.getLastRow()).toBe(0);
    expect(cellState(e, 'S', 'B2')).toEqual(cellState(e, 'S', 'Z999'));
    expect(() => (s.clear as (o: object) => unknown)({ contentsOnly: true })).toThrow(
      '[gas-emulator] Sheet.clear(options) is not emulated',
    );
  });

  test('rich text with links', () => {
    const e = env();
    const { SpreadsheetApp } = e.gas;
    const rt = SpreadsheetApp.newRichTextValue().setText('see docs here').setLinkUrl(4, 8, 'https://a.example').build();
    const cell = SpreadsheetApp.getActive().getActiveSheet().getRange('A1');
    cell.setRichTextValue(rt);
    const back = cell.getRichTextValue()!;
    expect(cell.getValues()).toEqual([['see docs here']]);
    expect(back.getText()).toBe('see docs here');
    expect(back.getLinkUrl()).toBeNull();
    expect(back.getRuns().map((r) => [r.getText(), r.getLinkUrl(), r.getStartIndex(), r.getEndIndex()])).toEqual([
      ['see ', null, 0, 4],
      ['docs', 'https://a.example', 4, 8],
      [' here', null, 8, 13],
    ]);
    expect(() => back.getLinkUrl(0, 3)).toThrow('[gas-emulator] RichTextValue.getLinkUrl(startOffset, endOffset) is not emulated');
    expect(() => SpreadsheetApp.newRichTextValue().setText('ab').setLinkUrl(1, 3, 'https://c.example')).toThrow(
      'Invalid argument: offsets',
    );
    const whole = SpreadsheetApp.newRichTextValue().setText('link').setLinkUrl('https://b.example').build();
    expect(whole.getLinkUrl()).toBe('https://b.example');
    // Plain text reads as one run without a link; other values have no rich text.
    cell.setValue('plain');
    expect(
      cell
        .getRichTextValues()[0][0]!
        .getRuns()
        .map((r) => [r.getText(), r.getLinkUrl()]),
    ).toEqual([['plain', null]]);
    cell.setValue(5);
    expect(cell.getRichTextValue()).toBeNull();
  });

  test('data validation: NUMBER_BETWEEN rules', () => {
    const e = env();
    const { SpreadsheetApp } = e.gas;
    const rule = SpreadsheetApp.newDataValidation().requireNumberBetween(0, 10).setAllowInvalid(false).setHelpText('0..10').build();
    expect(rule.getCriteriaValues()).toEqual([0, 10]);
    expect(rule.getHelpText()).toBe('0..10');
    expect(SpreadsheetApp.newDataValidation().requireNumberBetween(1, 2).build().getHelpText()).toBeNull();
    expect(() => SpreadsheetApp.newDataValidation().setHelpText('x').build()).toThrow(
      'You must specify a criteria for the data validation rule.',
    );
    const r = SpreadsheetApp.getActive().getActiveSheet().getRange('A1:A2');
    r.setDataValidations([[rule], [null]]);
    expect(r.getDataValidation()!.getCriteriaValues()).toEqual([0, 10]);
    expect(cellState(e, 'Sheet1', 'A2').dataValidation).toBeNull();
    // Script writes are never checked against validation (only user edits are: see env.test.ts).
    r.setValues([[42], ['x']]);
    expect(sheetValues(e, 'Sheet1')).toEqual([[42], ['x']]);
  });

  test('merges keep the top-left value and reject partial overlaps', () => {
    const e = env({
      sheets: {
        S: [
          ['a', 'b'],
          ['c', 'd'],
        ],
      },
    });
    const s = e.gas.SpreadsheetApp.getActive().getSheetByName('S')!;
    s.getRange('A1:B1').merge();
    expect(s.getRange('A1:B2').getValues()).toEqual([
      ['a', ''],
      ['c', 'd'],
    ]);
    expect(
      s
        .getRange('A1:B2')
        .getMergedRanges()
        .map((r) => r.getA1Notation()),
    ).toEqual(['A1:B1']);
    expect(s.getRange('B2').getMergedRanges()).toEqual([]);
    expect(() => s.getRange('B1:B2').merge()).toThrow('You must select all cells in a merged range to merge or unmerge them.');
    s.getRange('A1:B2').merge();
    expect(
      s
        .getRange('B2')
        .getMergedRanges()
        .map((r) => r.getA1Notation()),
    ).toEqual(['A1:B2']);
  });

  test('frozen rows, column widths, appending and adding columns', () => {
    const e = env({ sheets: { S: [['r1'], ['r2']] } });
    const s = e.gas.SpreadsheetApp.getActive().getSheetByName('S')!;
    s.setFrozenRows(2);
    expect(s.getFrozenRows()).toBe(2);
    expect(() => s.setFrozenRows(-1)).toThrow("don't match the method signature for SpreadsheetApp.Sheet.setFrozenRows");
    expect(s.getColumnWidth(2)).toBe(100);
    s.setColumnWidth(2, 250).setColumnWidths(3, 2, 40);
    expect([2, 3, 4, 5].map((c) => s.getColumnWidth(c))).toEqual([250, 40, 40, 100]);
    s.appendRow(['r3', 3]);
    expect(sheetValues(e, 'S')).toEqual([
      ['r1', ''],
      ['r2', ''],
      ['r3', 3],
    ]);
    s.appendRow(Array.from({ length: 28 }, (_, i) => i));
    expect(s.getMaxColumns()).toBe(28);
    expect(() => s.insertColumnsAfter(10, 2)).toThrow('[gas-emulator] Sheet.insertColumnsAfter inside the sheet is not emulated');
    // Rows likewise: a range past the last row is refused until rows are added after it.
    const rows = s.getMaxRows();
    expect(() => s.getRange(rows + 1, 1)).toThrow('The coordinates of the range are outside the dimensions of the sheet.');
    expect(() => s.insertRowsAfter(rows - 1, 5)).toThrow('[gas-emulator] Sheet.insertRowsAfter inside the sheet is not emulated');
    expect(() => s.insertRowsAfter(rows + 1, 5)).toThrow('Those rows are out of bounds.');
    s.insertRowsAfter(rows, 5);
    expect(s.getMaxRows()).toBe(rows + 5);
    s.getRange(rows + 5, 1).setValue('cuối');
    expect(() => s.insertColumnsAfter(29, 2)).toThrow('Those columns are out of bounds.');
    s.insertColumnsAfter(28, 2);
    expect(s.getMaxColumns()).toBe(30);
  });
});

describe('spreadsheet and sheets', () => {
  test('sheet management', () => {
    const e = env({ sheets: { One: [], Two: [] } });
    const ss = e.gas.SpreadsheetApp.getActiveSpreadsheet();
    expect(ss.getSheets().map((s) => s.getName())).toEqual(['One', 'Two']);
    expect(ss.getSheetByName('Three')).toBeNull();
    expect(ss.getSheetByName('One')!.getSheetId()).toBe(0);
    const gid2 = ss.getSheetByName('Two')!.getSheetId();
    expect(gid2).not.toBe(0);
    expect(ss.getSheetByName('Two')!.getSheetId()).toBe(gid2);
    expect(() => ss.insertSheet('two')).toThrow('A sheet with the name "two" already exists. Please enter another name.');
    ss.insertSheet('Zero', 0);
    expect(ss.getSheets().map((s) => s.getName())).toEqual(['Zero', 'One', 'Two']);
    expect(ss.getActiveSheet().getName()).toBe('Zero');
    ss.insertSheet('Last');
    expect(ss.getSheets().map((s) => s.getName())).toEqual(['Zero', 'One', 'Two', 'Last']);
    expect(() => (ss.insertSheet as () => unknown)()).toThrow('[gas-emulator] Spreadsheet.insertSheet() is not emulated');
    ss.setActiveSheet(ss.getSheetByName('Two')!);
    expect(ss.getActiveSheet().getName()).toBe('Two');
    expect(ss.getSheetByName('One')!.getParent().getUrl()).toBe(ss.getUrl());
    expect(ss.getUrl()).toBe(`https://docs.google.com/spreadsheets/d/${e.ss._id}/edit`);
    expect(ss.getSpreadsheetTimeZone()).toBe('Asia/Ho_Chi_Minh');
    ss.toast('Done', 'Chấm điểm', 3);
    ss.toast('Default');
    expect(e.ui.toasts).toEqual([
      { message: 'Done', title: 'Chấm điểm', timeoutSeconds: 3 },
      { message: 'Default', title: '', timeoutSeconds: 5 },
    ]);
  });

  test('active cell helper, active ranges and RangeList', () => {
    const e = env({ sheets: { A: [], B: [] } });
    e.ss.setActiveCell('B', 'C7');
    const { SpreadsheetApp } = e.gas;
    const ss = SpreadsheetApp.getActive();
    expect(ss.getActiveSheet().getName()).toBe('B');
    expect(ss.getActiveSheet().getActiveRange()!.getA1Notation()).toBe('C7');
    expect(e.ss.getActiveRange().getA1Notation()).toBe('C7');
    const a = ss.getSheetByName('A')!;
    a.setActiveRange(a.getRange('D2:D3'));
    expect(ss.getActiveSheet().getName()).toBe('A');
    expect(e.ss.getActiveRange().getA1Notation()).toBe('D2:D3');
    expect(() => a.setActiveRange(ss.getSheetByName('B')!.getRange('A1'))).toThrow('The range must be on the active sheet.');
    e.calls.reset();
    ss.getSheetByName('B')!.getRangeList(['A1', 'C3:C4']).setValue(9).setBackground('#cfe2f3').setFontWeight('bold');
    expect(e.calls.list()).toEqual([
      'Spreadsheet.getSheetByName',
      'Sheet.getRangeList',
      'RangeList.setValue',
      'RangeList.setBackground',
      'RangeList.setFontWeight',
    ]);
    expect(sheetValues(e, 'B')).toEqual([
      [9, '', ''],
      ['', '', ''],
      ['', '', 9],
      ['', '', 9],
    ]);
    expect(cellState(e, 'B', 'C4')).toMatchObject({ background: '#cfe2f3', fontWeight: 'bold' });
    expect(
      ss
        .getSheetByName('B')!
        .getRangeList(['C3:C4', 'A1'])
        .getRanges()
        .map((r) => r.getA1Notation()),
    ).toEqual(['C3:C4', 'A1']);
  });

  test('charts', () => {
    const e = env({
      sheets: {
        S: [
          ['k', 'v'],
          ['a', 1],
        ],
      },
    });
    const { SpreadsheetApp, Charts } = e.gas;
    const s = SpreadsheetApp.getActive().getSheetByName('S')!;
    const chart = s
      .newChart()
      .setChartType(Charts.ChartType.BAR)
      .addRange(s.getRange('A1:B2'))
      .setPosition(2, 4, 0, 0)
      .setOption('title', 'T')
      .setNumHeaders(1)
      .build();
    s.insertChart(chart);
    expect(s.getCharts()).toHaveLength(1);
    expect(e.ss.chartRecords('S')).toEqual([
      {
        chartId: 1,
        type: 'BAR',
        ranges: ['S!A1:B2'],
        position: { anchorRow: 2, anchorColumn: 4, offsetX: 0, offsetY: 0 },
        options: { title: 'T' },
        numHeaders: 1,
      },
    ]);
    expect(() => s.newChart().build()).toThrow('You must set a chart type before building the chart.');
    expect(() => s.newChart().setChartType('BAR' as unknown as GoogleAppsScript.Charts.ChartType)).toThrow(
      "The parameters (String) don't match the method signature for EmbeddedChartBuilder.setChartType.",
    );
    s.removeChart(s.getCharts()[0]);
    expect(s.getCharts()).toHaveLength(0);
    expect(() => s.removeChart(chart)).toThrow('The chart does not exist on this sheet.');
  });
});

describe('protections', () => {
  function protectedEnv() {
    const e = env({ sheets: { Score: [['x']] }, editors: [ALICE, BOB] });
    const { SpreadsheetApp } = e.gas;
    const sheet = SpreadsheetApp.getActive().getSheetByName('Score')!;
    return { e, SpreadsheetApp, sheet };
  }

  test('a new protection mirrors the file editors until its editors are changed', () => {
    const { e, SpreadsheetApp, sheet } = protectedEnv();
    const p = sheet.getRange('A1:B2').protect().setDescription('scores');
    expect(canUserEdit(e.ss, 'Score', 'A1', ALICE)).toBe(true);
    expect(e.ss.protectionRecords()[0]).toMatchObject({ type: 'RANGE', range: 'A1:B2', editors: null });
    p.removeEditors(p.getEditors());
    expect(p.getEditors().map((u) => u.getEmail())).toEqual([OWNER]);
    expect(() => p.removeEditors([42 as unknown as string])).toThrow('Invalid argument: user');
    p.addEditors([ALICE]);
    expect(canUserEdit(e.ss, 'Score', 'A1', ALICE)).toBe(true);
    expect(canUserEdit(SpreadsheetApp.getActive(), 'Score', 'B2', BOB)).toBe(false);
    expect(canUserEdit(e.ss, 'Score', 'C3', BOB)).toBe(true);
    expect(canUserEdit(e.ss, 'Score', 'A1', OWNER)).toBe(true);
    expect(canUserEdit(e.ss, 'Score', 'A1', 'stranger@example.com')).toBe(false);
    expect(p.getDescription()).toBe('scores');
    expect(e.ss.protectionRecords()[0]).toMatchObject({ description: 'scores', editors: [OWNER, ALICE] });
    expect(sheet.getProtections(SpreadsheetApp.ProtectionType.RANGE)).toHaveLength(1);
    expect(sheet.getProtections(SpreadsheetApp.ProtectionType.SHEET)).toHaveLength(0);
    p.remove();
    expect(sheet.getProtections(SpreadsheetApp.ProtectionType.RANGE)).toHaveLength(0);
    expect(() => p.setDescription('again')).toThrow('This protection has been removed.');
  });

  test('the owner and the current user cannot be removed', () => {
    const { e, sheet } = protectedEnv();
    e.setActiveUser(ALICE);
    const p = sheet.protect();
    p.removeEditors([OWNER, ALICE, BOB]);
    expect(
      p
        .getEditors()
        .map((u) => u.getEmail())
        .sort(),
    ).toEqual([ALICE, OWNER]);
    expect(canUserEdit(e.ss, 'Score', 'A1', ALICE)).toBe(true);
    expect(canUserEdit(e.ss, 'Score', 'A1', BOB)).toBe(false);
  });

  test('sheet protection with unprotected ranges', () => {
    const { e, SpreadsheetApp, sheet } = protectedEnv();
    const p = sheet.protect().setDescription('locked');
    p.removeEditors(p.getEditors());
    p.setUnprotectedRanges([sheet.getRange('D2:D10')]);
    expect(sheet.protect()).toBe(p);
    expect(canUserEdit(e.ss, 'Score', 'D5', BOB)).toBe(true);
    expect(canUserEdit(e.ss, 'Score', 'C5', BOB)).toBe(false);
    expect(canUserEdit(e.ss, 'Score', 'D2:D10', BOB)).toBe(true);
    expect(canUserEdit(e.ss, 'Score', 'C2:D10', BOB)).toBe(false);
    // A range protection inside the unprotected area still applies.
    const inner = sheet.getRange('D3').protect();
    inner.removeEditors([BOB]);
    expect(canUserEdit(e.ss, 'Score', 'D3', BOB)).toBe(false);
    expect(canUserEdit(e.ss, 'Score', 'D3', ALICE)).toBe(true);
    expect(e.ss.protectionRecords()[0]).toMatchObject({ type: 'SHEET', range: 'Score', unprotectedRanges: ['D2:D10'] });
    expect(sheet.getProtections(SpreadsheetApp.ProtectionType.SHEET)).toHaveLength(1);
    expect(() => inner.setUnprotectedRanges([sheet.getRange('D3')])).toThrow('Unprotected ranges can only be set on a sheet protection.');
    const other = SpreadsheetApp.getActive().insertSheet('Other');
    expect(() => p.setUnprotectedRanges([other.getRange('A1')])).toThrow('Unprotected ranges must be on the protected sheet.');
  });

  test('domain edit lets editors from the owner’s domain through', () => {
    const colleague = 'colleague@example.com';
    const outsider = 'outsider@elsewhere.org';
    const e = env({ sheets: { Score: [['x']] }, editors: [colleague, outsider] });
    const p = e.gas.SpreadsheetApp.getActive().getSheetByName('Score')!.getRange('A1').protect();
    p.removeEditors([colleague, outsider]);
    expect(canUserEdit(e.ss, 'Score', 'A1', colleague)).toBe(false);
    p.setDomainEdit(true);
    expect(p.canDomainEdit()).toBe(true);
    expect(canUserEdit(e.ss, 'Score', 'A1', colleague)).toBe(true);
    expect(canUserEdit(e.ss, 'Score', 'A1', outsider)).toBe(false);
  });

  test('script writes by a user without permission fail like Sheets, and a RangeList changes nothing then', () => {
    const { e, sheet } = protectedEnv();
    const p = sheet.getRange('A1').protect();
    p.removeEditors(p.getEditors());
    e.setActiveUser(BOB);
    expect(() => sheet.getRange('A1:A2').setValue(1)).toThrow(PROTECTED_MESSAGE);
    expect(() => sheet.getRange('A1').setBackground('#ff0000')).toThrow(PROTECTED_MESSAGE);
    expect(() => sheet.getRange('A1').clearContent()).toThrow(PROTECTED_MESSAGE);
    expect(() => p.remove()).toThrow(PROTECTED_MESSAGE);
    expect(() => p.setDescription('mine')).toThrow(PROTECTED_MESSAGE);
    expect(() => sheet.getRangeList(['C1', 'A1']).setValue(7)).toThrow(PROTECTED_MESSAGE);
    expect(cellValue(e, 'Score', 'C1')).toBe('');
    sheet.getRange('B1').setValue(2);
    expect(sheetValues(e, 'Score')).toEqual([['x', 2]]);
  });
});
