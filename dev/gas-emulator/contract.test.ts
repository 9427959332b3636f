/** Tests of the in-memory Apps Script stand-in (dev/gas-emulator). */
import * as vm from 'node:vm';
import {
  PROTECTED_MESSAGE,
  canUserEdit,
  cellBackground,
  cellNote,
  cellState,
  cellValue,
  createFakeEnv,
  installGlobals,
  makeEditEvent,
  makeOpenEvent,
  rangeFor,
  sheetDisplayValues,
  sheetValues,
  type FakeEnv,
} from './index';

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
    expect([r.getRow(), r.getColumn(), r.getNumRows(), r.getNumColumns(), r.getLastRow(), r.getLastColumn()]).toEqual([2, 3, 4, 5, 5, 7]);
    expect(sheet.getRange(1, 1).getValue()).toBe('a');
    expect(sheet.getRange(2, 3).getValue()).toBe(3);
  });

  test('A1 strings, including AA10, $-anchors and open-ended ranges', () => {
    // A new sheet has 26 columns (A..Z): AA does not exist until the sheet grows.
    expect(() => sheet.getRange('AA10')).toThrow('The coordinates of the range are outside the dimensions of the sheet.');
    e.ss.resizeSheet('Data', 1000, 30);
    const aa = sheet.getRange('AA10');
    expect([aa.getRow(), aa.getColumn()]).toEqual([10, 27]);
    expect(sheet.getRange('A1:C3').getValues()).toEqual([
      ['a', 'b', 'c'],
      [1, 2, 3],
      ['', '', ''],
    ]);
    expect(sheet.getRange('$B$2').getValue()).toBe(2);
    expect(sheet.getRange('C3:A1').getA1Notation()).toBe('A1:C3');
    expect(sheet.getRange('B:B').getNumRows()).toBe(1000);
    expect(sheet.getRange('2:3').getNumColumns()).toBe(30);
    expect(e.gas.SpreadsheetApp.getActive().getRange("'Data'!B2").getValue()).toBe(2);
  });

  test('bad coordinates throw the real messages', () => {
    expect(() => sheet.getRange('A0')).toThrow('Range not found');
    expect(() => sheet.getRange('1A')).toThrow('Range not found');
    expect(() => sheet.getRange(0, 1)).toThrow('The starting row of the range is too small.');
    expect(() => sheet.getRange(1, 0)).toThrow('The starting column of the range is too small.');
    expect(() => sheet.getRange(1, 1, 0, 1)).toThrow('The number of rows in the range must be at least 1.');
    expect(() => sheet.getRange(1000, 1, 2, 1)).toThrow('The coordinates of the range are outside the dimensions of the sheet.');
    expect(() => e.gas.SpreadsheetApp.getActive().getRange('Nope!A1')).toThrow('Range not found');
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
    const r = e.gas.SpreadsheetApp.getActiveSheet().getRange('A1:B3');
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
    expect(() => r.setFontWeights([])).toThrow('number of rows');
    expect(() => r.setNumberFormats([['0'], ['0'], ['0']])).toThrow('number of columns');
    expect(() => r.setFormulas([['=1']])).toThrow('number of rows');
    expect(() => r.setDataValidations([[null]])).toThrow('number of rows');
    expect(() => r.setRichTextValues([[]])).toThrow('number of rows');
    expect(() => r.setValues([1, 2, 3] as unknown as unknown[][])).toThrow(
      "The parameters (number[]) don't match the method signature for SpreadsheetApp.Range.setValues.",
    );
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

  test('setValue applies to every cell; strings are entered like in Sheets', () => {
    const e = env();
    const s = e.gas.SpreadsheetApp.getActiveSheet();
    s.getRange('A1:B2').setValue('x');
    expect(sheetValues(e, 'Sheet1')).toEqual([
      ['x', 'x'],
      ['x', 'x'],
    ]);
    s.getRange('A1:D1').setValues([['12', "'012", 'true', '=SUM(A2:B2)']]);
    expect(s.getRange('A1:D1').getValues()).toEqual([[12, '012', true, '']]);
    expect(s.getRange('A1:D1').getFormulas()).toEqual([['', '', '', '=SUM(A2:B2)']]);
    s.getRange('A3').setValue('50%');
    expect(s.getRange('A3').getValue()).toBe(0.5);
    expect(s.getRange('A3').getDisplayValue()).toBe('50%');
  });

  test('display values are strings', () => {
    const e = env({ sheets: { S: [[1, 2.5, true, new Date('2024-03-09T17:00:00Z'), 'txt', 1 / 3]] } });
    expect(sheetDisplayValues(e, 'S')).toEqual([['1', '2.5', 'TRUE', '10/03/2024', 'txt', '0.3333333333']]);
    const r = e.gas.SpreadsheetApp.getActive().getRange('S!B1');
    r.setNumberFormat('0.00');
    expect(r.getDisplayValue()).toBe('2.50');
  });

  test('formula values come from the optional evaluator', () => {
    const e = env({ evaluateFormula: (f) => (f === '=1+1' ? 2 : '#N/A') });
    const r = e.gas.SpreadsheetApp.getActiveSheet().getRange('A1:B1');
    r.setFormulas([['=1+1', '=X()']]);
    expect(r.getValues()).toEqual([[2, '#N/A']]);
  });
});

describe('cell formats, notes, rich text, validation, merges', () => {
  test('notes and backgrounds round-trip; single setters fill the range', () => {
    const e = env();
    const s = e.gas.SpreadsheetApp.getActiveSheet();
    s.getRange('A1:B1').setNotes([['n1', null]]);
    s.getRange('A2:B2').setNote('all');
    expect(s.getRange('A1:B2').getNotes()).toEqual([
      ['n1', ''],
      ['all', 'all'],
    ]);
    expect(cellNote(e, 'Sheet1', 'B2')).toBe('all');
    s.getRange('B2').clearNote();
    expect(cellNote(e, 'Sheet1', 'B2')).toBe('');

    expect(s.getRange('C3').getBackground()).toBe('#ffffff');
    s.getRange('A1:B1').setBackgrounds([['#FF0000', 'yellow']]);
    s.getRange('A2:B2').setBackground('#ABC');
    expect(s.getRange('A1:B2').getBackgrounds()).toEqual([
      ['#ff0000', '#ffff00'],
      ['#aabbcc', '#aabbcc'],
    ]);
    s.getRange('A1').setBackground(null);
    expect(cellBackground(e, 'Sheet1', 'A1')).toBe('#ffffff');

    s.getRange('A1').setFontWeight('bold').setFontColor('#123456').setHorizontalAlignment('center').setWrap(true).setNumberFormat('@');
    const st = cellState(e, 'Sheet1', 'A1');
    expect([st.fontWeight, st.fontColor, st.horizontalAlignment, st.wrap, st.numberFormat]).toEqual([
      'bold',
      '#123456',
      'center',
      true,
      '@',
    ]);
    s.getRange('A1').setValue('007');
    expect(cellValue(e, 'Sheet1', 'A1')).toBe('007');
  });

  test('clear variants', () => {
    const e = env({
      sheets: {
        S: [
          ['a', 'b'],
          ['c', 'd'],
        ],
      },
    });
    const s = e.gas.SpreadsheetApp.getActive().getSheetByName('S')!;
    s.getRange('A1:B2').setNote('n').setBackground('red');
    s.getRange('A1').clearContent();
    expect(cellState(e, 'S', 'A1')).toMatchObject({ value: '', note: 'n', background: '#ff0000' });
    s.getRange('B1').clear({ formatOnly: true });
    expect(cellState(e, 'S', 'B1')).toMatchObject({ value: 'b', note: 'n', background: '#ffffff' });
    s.clearContents();
    expect(s.getLastRow()).toBe(0);
    expect(cellNote(e, 'S', 'B2')).toBe('n');
    s.clear();
    expect(cellState(e, 'S', 'B2')).toEqual(cellState(e, 'S', 'Z999'));
    expect(s.getSheetValues(1, 1, 1, 2)).toEqual([['', '']]);
  });

  test('rich text with links', () => {
    const e = env();
    const { SpreadsheetApp } = e.gas;
    const rt = SpreadsheetApp.newRichTextValue().setText('see docs here').setLinkUrl(4, 8, 'https://a.example').build();
    const cell = SpreadsheetApp.getActiveSheet().getRange('A1');
    cell.setRichTextValue(rt);
    const back = cell.getRichTextValue()!;
    expect(cell.getValue()).toBe('see docs here');
    expect(back.getText()).toBe('see docs here');
    expect(back.getLinkUrl()).toBeNull();
    expect(back.getRuns().map((r) => [r.getText(), r.getLinkUrl(), r.getStartIndex()])).toEqual([
      ['see ', null, 0],
      ['docs', 'https://a.example', 4],
      [' here', null, 8],
    ]);
    const whole = SpreadsheetApp.newRichTextValue().setText('link').setLinkUrl('https://b.example').build();
    expect(whole.getLinkUrl()).toBe('https://b.example');
    cell.setValue(5);
    expect(cell.getRichTextValue()).toBeNull();
  });

  test('data validation builder', () => {
    const e = env();
    const { SpreadsheetApp } = e.gas;
    const rule = SpreadsheetApp.newDataValidation().requireNumberBetween(0, 10).setAllowInvalid(false).setHelpText('0..10').build();
    expect(rule.getCriteriaType()).toBe(SpreadsheetApp.DataValidationCriteria.NUMBER_BETWEEN);
    expect(String(rule.getCriteriaType())).toBe('NUMBER_BETWEEN');
    expect(rule.getCriteriaValues()).toEqual([0, 10]);
    expect(rule.getHelpText()).toBe('0..10');
    expect(rule.getAllowInvalid()).toBe(false);
    expect(SpreadsheetApp.newDataValidation().requireNumberBetween(1, 2).build().getHelpText()).toBeNull();
    const r = SpreadsheetApp.getActiveSheet().getRange('A1:A2');
    r.setDataValidations([[rule], [null]]);
    expect(r.getDataValidations()[1][0]).toBeNull();
    expect(r.getDataValidation()!.getCriteriaValues()).toEqual([0, 10]);
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
    expect(s.getRange('B1').isPartOfMerge()).toBe(true);
    expect(s.getRange('B2').isPartOfMerge()).toBe(false);
    expect(
      s
        .getRange('A1:B2')
        .getMergedRanges()
        .map((r) => r.getA1Notation()),
    ).toEqual(['A1:B1']);
    expect(() => s.getRange('B1:B2').merge()).toThrow('You must select all cells in a merged range to merge or unmerge them.');
    s.getRange('A1:B1').breakApart();
    expect(s.getRange('A1:B2').isPartOfMerge()).toBe(false);
  });

  test('hidden rows, frozen rows/columns, column widths', () => {
    const e = env();
    const s = e.gas.SpreadsheetApp.getActiveSheet();
    s.hideRows(3, 2);
    expect([2, 3, 4, 5].map((r) => s.isRowHiddenByUser(r))).toEqual([false, true, true, false]);
    s.showRows(3);
    expect(s.isRowHiddenByUser(3)).toBe(false);
    s.setFrozenRows(2);
    s.setFrozenColumns(1);
    expect([s.getFrozenRows(), s.getFrozenColumns()]).toEqual([2, 1]);
    expect(s.getColumnWidth(2)).toBe(100);
    s.setColumnWidth(2, 250).setColumnWidths(3, 2, 40);
    expect([2, 3, 4, 5].map((c) => s.getColumnWidth(c))).toEqual([250, 40, 40, 100]);
  });

  test('insert/delete rows shift cells, merges and protections', () => {
    const e = env({ sheets: { S: [['r1'], ['r2'], ['r3']] } });
    const s = e.gas.SpreadsheetApp.getActive().getSheetByName('S')!;
    s.getRange('A2:B2').merge();
    s.getRange('A3').protect().setDescription('p');
    s.insertRowsAfter(1, 2);
    expect(sheetValues(e, 'S')).toEqual([['r1'], [''], [''], ['r2'], ['r3']]);
    expect(s.getRange('A4').isPartOfMerge()).toBe(true);
    expect(e.ss.protectionRecords()[0].range).toBe('A5');
    s.deleteRows(2, 2);
    expect(sheetValues(e, 'S')).toEqual([['r1'], ['r2'], ['r3']]);
    expect(s.getMaxRows()).toBe(1000);
    s.appendRow(['r4', 4]);
    expect(sheetValues(e, 'S')).toEqual([
      ['r1', ''],
      ['r2', ''],
      ['r3', ''],
      ['r4', 4],
    ]);
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
    expect(() => ss.insertSheet('Two')).toThrow('A sheet with the name "Two" already exists. Please enter another name.');
    const first = ss.insertSheet('Zero', 0);
    expect(ss.getSheets().map((s) => s.getName())).toEqual(['Zero', 'One', 'Two']);
    expect(first.getIndex()).toBe(1);
    expect(ss.getActiveSheet().getName()).toBe('Zero');
    ss.setActiveSheet(ss.getSheetByName('Two')!);
    expect(ss.getActiveSheet().getName()).toBe('Two');
    ss.deleteSheet(ss.getSheetByName('Zero')!);
    expect(ss.getNumSheets()).toBe(2);
    expect(ss.getSheetByName('One')!.getParent().getId()).toBe(ss.getId());
    expect(ss.getUrl()).toBe(`https://docs.google.com/spreadsheets/d/${ss.getId()}/edit`);
    expect(ss.getSpreadsheetTimeZone()).toBe('Asia/Ho_Chi_Minh');
    ss.toast('Done', 'Chấm điểm', 3);
    expect(e.ui.toasts).toEqual([{ message: 'Done', title: 'Chấm điểm', timeoutSeconds: 3 }]);
    const two = ss.getSheetByName('Two')!;
    two.hideSheet();
    expect(two.isSheetHidden()).toBe(true);
    expect(() => ss.getSheetByName('One')!.hideSheet()).toThrow();
  });

  test('active cell helper and RangeList', () => {
    const e = env({ sheets: { A: [], B: [] } });
    e.ss.setActiveCell('B', 'C7');
    const { SpreadsheetApp } = e.gas;
    expect(SpreadsheetApp.getActiveSheet().getName()).toBe('B');
    expect(SpreadsheetApp.getActiveRange().getA1Notation()).toBe('C7');
    expect(SpreadsheetApp.getActiveSheet().getActiveCell().getA1Notation()).toBe('C7');
    e.calls.reset();
    SpreadsheetApp.getActiveSheet().getRangeList(['A1', 'C3:C4']).setValue(9);
    expect(e.calls.list()).toEqual(['SpreadsheetApp.getActiveSheet', 'Sheet.getRangeList', 'RangeList.setValue']);
    expect(sheetValues(e, 'B')).toEqual([
      [9, '', ''],
      ['', '', ''],
      ['', '', 9],
      ['', '', 9],
    ]);
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
      },
    ]);
    expect(s.getCharts()[0].getOptions().get('title')).toBe('T');
    s.removeChart(s.getCharts()[0]);
    expect(s.getCharts()).toHaveLength(0);
  });
});

describe('protections', () => {
  function protectedEnv() {
    const e = env({ sheets: { Score: [['x']] }, editors: [ALICE, BOB] });
    const { SpreadsheetApp } = e.gas;
    const ss = SpreadsheetApp.getActive();
    const sheet = ss.getSheetByName('Score')!;
    return { e, SpreadsheetApp, ss, sheet };
  }

  test('a new protection mirrors the file editors until its editors are changed', () => {
    const { e, ss, sheet } = protectedEnv();
    const p = sheet.getRange('A1:B2').protect().setDescription('scores');
    expect(canUserEdit(e.ss, 'Score', 'A1', ALICE)).toBe(true);
    p.removeEditors(p.getEditors());
    expect(p.getEditors().map((u) => u.getEmail())).toEqual([OWNER]);
    p.addEditor(ALICE);
    expect(canUserEdit(e.ss, 'Score', 'A1', ALICE)).toBe(true);
    expect(canUserEdit(ss, 'Score', 'B2', BOB)).toBe(false);
    expect(canUserEdit(e.ss, 'Score', 'C3', BOB)).toBe(true);
    expect(canUserEdit(e.ss, 'Score', 'A1', OWNER)).toBe(true);
    expect(canUserEdit(e.ss, 'Score', 'A1', 'stranger@example.com')).toBe(false);
    expect(p.getDescription()).toBe('scores');
    expect(ss.getProtections(e.gas.SpreadsheetApp.ProtectionType.RANGE)).toHaveLength(1);
    expect(ss.getProtections(e.gas.SpreadsheetApp.ProtectionType.SHEET)).toHaveLength(0);
    expect(p.getRange().getA1Notation()).toBe('A1:B2');
    p.setWarningOnly(true);
    expect(canUserEdit(e.ss, 'Score', 'A1', BOB)).toBe(true);
    p.remove();
    expect(ss.getProtections(e.gas.SpreadsheetApp.ProtectionType.RANGE)).toHaveLength(0);
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
    expect(p.canEdit()).toBe(true);
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
    expect(p.getUnprotectedRanges().map((r) => r.getA1Notation())).toEqual(['D2:D10']);
    expect(sheet.getProtections(SpreadsheetApp.ProtectionType.SHEET)[0].getProtectionType()).toBe(SpreadsheetApp.ProtectionType.SHEET);
  });

  test('script writes by a user without permission fail like Sheets', () => {
    const { e, sheet } = protectedEnv();
    const p = sheet.getRange('A1').protect();
    p.removeEditors(p.getEditors());
    e.setActiveUser(BOB);
    expect(() => sheet.getRange('A1:A2').setValue(1)).toThrow(PROTECTED_MESSAGE);
    expect(() => sheet.getRange('A1').setBackground('red')).toThrow(PROTECTED_MESSAGE);
    expect(() => p.remove()).toThrow(PROTECTED_MESSAGE);
    expect(p.canEdit()).toBe(false);
    sheet.getRange('B1').setValue(2);
    expect(sheetValues(e, 'Score')).toEqual([['x', 2]]);
  });
});

describe('edit events', () => {
  test('makeEditEvent applies the user edit and reports strings', () => {
    const e = env({ sheets: { S: [[5]] } });
    const ev = makeEditEvent(e, 'S', 'A1', undefined, '7');
    expect(cellValue(e, 'S', 'A1')).toBe(7);
    expect(ev.value).toBe('7');
    expect(ev.oldValue).toBe('5');
    expect(ev.range.getA1Notation()).toBe('A1');
    expect(ev.source.getId()).toBe(e.ss.getId());
    expect(ev.user.getEmail()).toBe(OWNER);
    expect(ev.authMode).toBe(e.gas.ScriptApp.AuthMode.LIMITED);
    const cleared = makeEditEvent(e, 'S', 'A1', undefined, null);
    expect(cleared.value).toBeUndefined();
    expect(cleared.oldValue).toBe('7');
    const fresh = makeEditEvent(e, 'S', 'B1', undefined, true);
    expect('oldValue' in fresh).toBe(false);
    expect(fresh.value).toBe('TRUE');
    expect(makeOpenEvent(e).source.getName()).toBe('Fake spreadsheet');
  });

  test('protected cells and reject-invalid validation refuse user edits', () => {
    const e = env({ editors: [BOB] });
    const s = e.gas.SpreadsheetApp.getActiveSheet();
    const p = s.getRange('A1').protect();
    p.removeEditors([BOB]);
    s.getRange('B1').setDataValidation(e.gas.SpreadsheetApp.newDataValidation().requireNumberBetween(0, 10).setAllowInvalid(false).build());
    expect(() => makeEditEvent(e, 'Sheet1', 'A1', undefined, 1, { user: BOB })).toThrow('protected');
    expect(() => makeEditEvent(e, 'Sheet1', 'B1', undefined, 11)).toThrow('rejects');
    makeEditEvent(e, 'Sheet1', 'B1', undefined, 10);
    expect(cellValue(e, 'Sheet1', 'B1')).toBe(10);
  });
});

describe('Ui and HtmlService', () => {
  test('menus, alerts, prompts, sidebars and dialogs are recorded', () => {
    const e = env({ htmlFiles: { Sidebar: '<p>hi</p>' }, addonName: 'Chấm điểm' });
    const { SpreadsheetApp, HtmlService } = e.gas;
    const ui = SpreadsheetApp.getUi();
    ui.createMenu('Chấm điểm')
      .addItem('Kiểm tra', 'checkSheet')
      .addSeparator()
      .addSubMenu(ui.createMenu('Khác').addItem('Tóm tắt', 'summary'))
      .addToUi();
    ui.createAddonMenu().addItem('Mở', 'openSidebar').addToUi();
    expect(e.ui.menus[0]).toEqual({
      name: 'Chấm điểm',
      addon: false,
      items: [
        { type: 'item', caption: 'Kiểm tra', functionName: 'checkSheet' },
        { type: 'separator' },
        { type: 'submenu', menu: { name: 'Khác', addon: false, items: [{ type: 'item', caption: 'Tóm tắt', functionName: 'summary' }] } },
      ],
    });
    expect(e.ui.menus[1].addon).toBe(true);
    expect(e.ui.menuItem('Tóm tắt')).toBe('summary');

    expect(ui.alert('Xong')).toBe(ui.Button.OK);
    expect(ui.alert('Chắc chưa?', 'Xoá?', ui.ButtonSet.YES_NO)).toBe(ui.Button.YES);
    e.ui.queueAlertResponse('NO');
    expect(ui.alert('Xoá?', ui.ButtonSet.YES_NO)).toBe(ui.Button.NO);
    expect(e.ui.alerts.map((a) => [a.title, a.message, a.buttons, a.response])).toEqual([
      [null, 'Xong', 'OK', 'OK'],
      ['Chắc chưa?', 'Xoá?', 'YES_NO', 'YES'],
      [null, 'Xoá?', 'YES_NO', 'NO'],
    ]);
    e.ui.queuePromptResponse('42', 'OK');
    const resp = ui.prompt('Số?', ui.ButtonSet.OK_CANCEL);
    expect([resp.getResponseText(), resp.getSelectedButton()]).toEqual(['42', ui.Button.OK]);

    ui.showSidebar(HtmlService.createHtmlOutputFromFile('Sidebar').setTitle('Chấm điểm'));
    ui.showModalDialog(HtmlService.createHtmlOutput('<b>x</b>').append('<i>y</i>').setWidth(500).setHeight(300), 'Kết quả');
    expect(e.ui.sidebars[0]).toMatchObject({ kind: 'sidebar', title: 'Chấm điểm', content: '<p>hi</p>' });
    expect(e.ui.dialogs[0]).toMatchObject({ kind: 'modal', title: 'Kết quả', content: '<b>x</b><i>y</i>', width: 500, height: 300 });
    expect(() => HtmlService.createHtmlOutputFromFile('Missing')).toThrow('No HTML file named Missing was found.');
    const out = HtmlService.createHtmlOutput('a')
      .setSandboxMode(HtmlService.SandboxMode.IFRAME)
      .setXFrameOptionsMode(HtmlService.XFrameOptionsMode.ALLOWALL);
    expect(out.getContent()).toBe('a');
    e.setUiAvailable(false);
    expect(() => SpreadsheetApp.getUi()).toThrow('Cannot call SpreadsheetApp.getUi() from this context.');
  });
});

describe('LockService', () => {
  test('waitLock times out while another execution holds the lock', () => {
    const e = env();
    const { LockService } = e.gas;
    e.locks.holdByOther('document');
    const lock = LockService.getDocumentLock();
    const t0 = e.clock.now().getTime();
    expect(() => lock.waitLock(10000)).toThrow('Lock timeout: another process was holding the lock for too long.');
    expect(e.clock.now().getTime() - t0).toBe(10000);
    expect(lock.tryLock(500)).toBe(false);
    expect(lock.hasLock()).toBe(false);
    e.locks.release('document');
    expect(lock.tryLock(0)).toBe(true);
    expect(lock.hasLock()).toBe(true);
    lock.releaseLock();
    expect(lock.hasLock()).toBe(false);
  });

  test('a lock released in time is acquired after waiting', () => {
    const e = env();
    e.locks.holdByOther('script', 3000);
    const t0 = e.clock.now().getTime();
    e.gas.LockService.getScriptLock().waitLock(5000);
    expect(e.clock.now().getTime() - t0).toBe(3000);
    expect(e.locks.holder('script')).toBe('self');
  });
});

describe('PropertiesService', () => {
  test('get/set/delete and the 9 kB value limit', () => {
    const e = env();
    const props = e.gas.PropertiesService.getDocumentProperties();
    expect(props.getProperty('missing')).toBeNull();
    props.setProperty('a', '1').setProperties({ b: 2 as unknown as string, c: 'x' });
    expect(props.getProperties()).toEqual({ a: '1', b: '2', c: 'x' });
    props.deleteProperty('c');
    expect(props.getKeys().sort()).toEqual(['a', 'b']);
    expect(() => props.setProperty('big', 'x'.repeat(9 * 1024 + 1))).toThrow('Argument too large: value');
    props.setProperty('ok', 'x'.repeat(9 * 1024));
    // UTF-8 bytes count: 'ệ' is 3 bytes.
    expect(() => props.setProperty('vi', 'ệ'.repeat(3100))).toThrow('Argument too large');
    expect(props.getProperty('vi')).toBeNull();
    props.deleteAllProperties();
    expect(props.getProperties()).toEqual({});
  });

  test('500 kB store limit and per-user stores', () => {
    const e = env();
    const script = e.gas.PropertiesService.getScriptProperties();
    for (let i = 0; i < 56; i++) script.setProperty(`k${i}`, 'x'.repeat(9000));
    expect(() => script.setProperty('k99', 'x'.repeat(9000))).toThrow('property storage quota');
    e.gas.PropertiesService.getUserProperties().setProperty('u', 'owner');
    e.setActiveUser(ALICE);
    expect(e.gas.PropertiesService.getUserProperties().getProperty('u')).toBeNull();
  });
});

describe('ScriptApp triggers', () => {
  test('builders record triggers; delete removes them', () => {
    const e = env();
    const { ScriptApp, SpreadsheetApp } = e.gas;
    const t = ScriptApp.newTrigger('dailyReminder')
      .timeBased()
      .everyDays(1)
      .atHour(7)
      .nearMinute(30)
      .inTimezone('Asia/Ho_Chi_Minh')
      .create();
    const t2 = ScriptApp.newTrigger('onEditInstalled').forSpreadsheet(SpreadsheetApp.getActive()).onEdit().create();
    expect(t.getHandlerFunction()).toBe('dailyReminder');
    expect(t.getEventType()).toBe(ScriptApp.EventType.CLOCK);
    expect(t.getTriggerSource()).toBe(ScriptApp.TriggerSource.CLOCK);
    expect(t2.getEventType()).toBe(ScriptApp.EventType.ON_EDIT);
    expect(t.getUniqueId()).not.toBe(t2.getUniqueId());
    expect(e.triggers()[0]).toMatchObject({
      handlerFunction: 'dailyReminder',
      everyDays: 1,
      atHour: 7,
      nearMinute: 30,
      timeZone: 'Asia/Ho_Chi_Minh',
      owner: OWNER,
    });
    expect(e.triggers()[1]).toMatchObject({ eventType: 'ON_EDIT', source: 'SPREADSHEETS', sourceId: e.ss.getId() });
    expect(ScriptApp.getProjectTriggers().map((x) => x.getHandlerFunction())).toEqual(['dailyReminder', 'onEditInstalled']);
    expect(ScriptApp.getUserTriggers(SpreadsheetApp.getActive())).toHaveLength(1);
    ScriptApp.deleteTrigger(ScriptApp.getProjectTriggers()[0]);
    expect(e.triggers().map((x) => x.handlerFunction)).toEqual(['onEditInstalled']);
    expect(() => ScriptApp.newTrigger('x').timeBased().atHour(24)).toThrow();
    expect(() => ScriptApp.newTrigger('x').timeBased().everyMinutes(7)).toThrow();
  });

  test('trigger quota and LIMITED auth mode', () => {
    const e = env();
    const { ScriptApp } = e.gas;
    for (let i = 0; i < 20; i++) ScriptApp.newTrigger(`f${i}`).timeBased().everyHours(1).create();
    expect(() => ScriptApp.newTrigger('f').timeBased().everyHours(1).create()).toThrow('This script has too many triggers.');
    e.setAuthMode('LIMITED');
    expect(() => ScriptApp.getProjectTriggers()).toThrow('You do not have permission to call ScriptApp.getProjectTriggers.');
    expect(() => e.gas.MailApp.sendEmail('a@x.com', 's', 'b')).toThrow('You do not have permission to call MailApp.sendEmail.');
  });
});

describe('MailApp', () => {
  test('each recipient consumes quota; exhausted quota throws', () => {
    const e = env({ mailQuota: 4 });
    const { MailApp } = e.gas;
    MailApp.sendEmail('a@x.com', 'Nhắc nhở', 'body', { cc: 'b@x.com', bcc: 'c@x.com', name: 'Bot' });
    expect(MailApp.getRemainingDailyQuota()).toBe(1);
    expect(e.mail[0]).toMatchObject({
      to: ['a@x.com'],
      cc: ['b@x.com'],
      bcc: ['c@x.com'],
      subject: 'Nhắc nhở',
      body: 'body',
      name: 'Bot',
      from: OWNER,
    });
    expect(() => MailApp.sendEmail({ to: 'a@x.com,b@x.com', subject: 's', body: 'b' })).toThrow(
      'Service invoked too many times for one day: email.',
    );
    expect(MailApp.getRemainingDailyQuota()).toBe(1);
    MailApp.sendEmail({ to: 'a@x.com', subject: 's', htmlBody: '<b>x</b>', replyTo: 'r@x.com', noReply: true });
    expect(e.mail[1]).toMatchObject({ htmlBody: '<b>x</b>', replyTo: 'r@x.com', noReply: true, body: '' });
    expect(MailApp.getRemainingDailyQuota()).toBe(0);
    expect(() => MailApp.sendEmail('a@x.com', 's', 'b')).toThrow('Service invoked too many times for one day: email.');
    e.setMailQuota(10);
    expect(() => MailApp.sendEmail('not-an-address', 's', 'b')).toThrow('Invalid email: not-an-address');
    expect(e.mail).toHaveLength(2);
  });
});

describe('Session, Utilities, DriveApp', () => {
  test('formatDate converts time zones (23:30 UTC is the next day in Vietnam)', () => {
    const e = env();
    const { Utilities } = e.gas;
    const d = new Date('2024-12-31T23:30:00Z');
    expect(Utilities.formatDate(d, 'Asia/Ho_Chi_Minh', 'yyyy-MM-dd')).toBe('2025-01-01');
    expect(Utilities.formatDate(d, 'Asia/Ho_Chi_Minh', 'dd/MM/yyyy HH:mm')).toBe('01/01/2025 06:30');
    expect(Utilities.formatDate(d, 'Asia/Ho_Chi_Minh', 'yyyy')).toBe('2025');
    expect(Utilities.formatDate(d, 'UTC', 'dd/MM/yyyy')).toBe('31/12/2024');
    expect(Utilities.formatDate(d, 'GMT+7', 'HH:mm')).toBe('06:30');
    expect(Utilities.formatDate(d, 'America/New_York', "yyyy-MM-dd'T'HH:mm:ssXXX")).toBe('2024-12-31T18:30:00-05:00');
    expect(Utilities.formatDate(d, 'Asia/Ho_Chi_Minh', 'EEE, d MMM yyyy h:mm a Z')).toBe('Wed, 1 Jan 2025 6:30 AM +0700');
    const t0 = e.clock.now().getTime();
    Utilities.sleep(1500);
    expect(e.clock.now().getTime() - t0).toBe(1500);
    expect(Utilities.getUuid()).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('Session users and time zone are configurable', () => {
    const e = env({ activeUser: ALICE, timeZone: 'Asia/Bangkok' });
    const { Session } = e.gas;
    expect(Session.getActiveUser().getEmail()).toBe(ALICE);
    expect(Session.getEffectiveUser().getEmail()).toBe(ALICE);
    expect(Session.getScriptTimeZone()).toBe('Asia/Bangkok');
    e.setActiveUser(BOB, OWNER);
    expect([Session.getActiveUser().getEmail(), Session.getEffectiveUser().getEmail()]).toEqual([BOB, OWNER]);
  });

  test('DriveApp files, errors and enums', () => {
    const e = env({ driveFiles: { abc: { name: 'Minh chứng.pdf', access: 'ANYONE_WITH_LINK', permission: 'VIEW' } } });
    const { DriveApp } = e.gas;
    const f = DriveApp.getFileById('abc');
    expect(f.getName()).toBe('Minh chứng.pdf');
    expect(f.getSharingAccess()).toBe(DriveApp.Access.ANYONE_WITH_LINK);
    expect(f.getSharingPermission()).toBe(DriveApp.Permission.VIEW);
    expect(f.getUrl()).toBe('https://drive.google.com/file/d/abc/view?usp=drivesdk');
    expect(DriveApp.getFileById(e.ss.getId()).getSharingAccess()).toBe(DriveApp.Access.PRIVATE);
    expect(() => DriveApp.getFileById('nope')).toThrow(
      'No item with the given ID could be found, or you do not have permission to access it.',
    );
    e.setDriveAuthorized(false);
    expect(() => DriveApp.getFileById('abc')).toThrow('You do not have permission to call DriveApp.getFileById.');
  });
});

describe('call counting', () => {
  /** A tiny "check one sheet" routine: one read, one batched write, whatever the row count. */
  function checkSheet(): number {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const sheet = ss.getSheetByName('Data')!;
    const values = sheet.getDataRange().getValues();
    const flags = values.map((row) => [typeof row[1] === 'number' && row[1] > 5 ? 'high' : '']);
    sheet.getRange(1, 3, flags.length, 1).setValues(flags);
    return flags.filter((f) => f[0]).length;
  }

  function runWith(rows: number) {
    const e = env({ sheets: { Data: Array.from({ length: rows }, (_, i) => [`r${i}`, i]) } });
    const restore = installGlobals(e);
    try {
      return { found: checkSheet(), e };
    } finally {
      restore();
    }
  }

  test('checking one sheet costs the same number of calls whatever the row count', () => {
    const small = runWith(10);
    const big = runWith(2000);
    expect(small.found).toBe(4);
    expect(big.found).toBe(1994);
    expect(small.e.calls.list()).toEqual([
      'SpreadsheetApp.getActiveSpreadsheet',
      'Spreadsheet.getSheetByName',
      'Sheet.getDataRange',
      'Range.getValues',
      'Sheet.getRange',
      'Range.setValues',
    ]);
    expect(big.e.calls.count()).toBe(small.e.calls.count());
    expect(big.e.calls.count(/^Range\./)).toBe(2);
    expect(big.e.calls.count('Range.getValues')).toBe(1);
    expect(big.e.calls.count('Sheet.*')).toBe(2);
    expect(big.e.calls.counts()['Range.setValues']).toBe(1);
    expect(typeof (globalThis as Record<string, unknown>).SpreadsheetApp).toBe('undefined');
  });

  test('helpers and internals are not counted; test-only members are invisible to the code', () => {
    const e = env({ sheets: { S: [[1]] } });
    e.calls.reset();
    sheetValues(e, 'S');
    e.ss.seedCell('S', 'B1', { value: 2, note: 'n' });
    e.ss.getSheetByName('S')!.getRange('A1').getValue();
    rangeFor(e, 'S', 'A1');
    expect(e.calls.count()).toBe(0);
    const ss = e.gas.SpreadsheetApp.getActive() as unknown as Record<string, unknown>;
    expect(ss.setActiveCell).toBeUndefined();
    expect(ss._sheets).toBeUndefined();
    expect(e.calls.list()).toEqual(['SpreadsheetApp.getActive']);
    e.calls.reset();
    expect(e.calls.list()).toEqual([]);
  });

  test('globals work as a vm sandbox', () => {
    const e = env({ sheets: { Data: [['a', 2]] } });
    const ctx = vm.createContext(e.globals);
    expect(e.globals).not.toHaveProperty('require');
    expect(e.globals).not.toHaveProperty('process');
    expect(e.globals).not.toHaveProperty('setTimeout');
    const out = vm.runInContext(
      `var s = SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Data');
       s.getRange('C1').setValue(Utilities.formatDate(new Date(Date.UTC(2024, 0, 1, 23, 30)), Session.getScriptTimeZone(), 'dd/MM/yyyy'));
       Logger.log('done %s', s.getLastColumn());
       console.log('hello');
       var threw = null;
       try { s.getRange('A1:B1').setValues([[1]]); } catch (err) { threw = err instanceof Error && err.message; }
       JSON.stringify({ v: s.getRange('A1:C1').getValues()[0], threw: threw, isDate: new Date() instanceof Date })`,
      ctx,
    );
    expect(JSON.parse(out)).toEqual({
      v: ['a', 2, '02/01/2024'],
      threw: 'The number of columns in the data does not match the number of columns in the range. The data has 1 but the range has 2.',
      isDate: true,
    });
    expect(e.logs).toEqual([
      { level: 'Logger', message: 'done 3' },
      { level: 'log', message: 'hello' },
    ]);
    expect(e.calls.count('Logger.log')).toBe(1);
  });
});
