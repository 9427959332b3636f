/** Contract of the environment itself (gas.ts, core.ts): call counting, globals, events, auth modes. */
import * as vm from 'node:vm';
import { type FakeEnv, cellValue, createFakeEnv, installGlobals, makeEditEvent, makeOpenEvent, sheetValues } from './index';

const OWNER = 'owner@example.com';
const BOB = 'bob@example.com';

function env(opts: Parameters<typeof createFakeEnv>[0] = {}): FakeEnv {
  return createFakeEnv({ now: new Date('2024-03-10T01:00:00Z'), ...opts });
}

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
    expect(big.e.calls.count('Range.getValues')).toBe(1);
    expect(big.e.calls.count('Range.setValues')).toBe(1);
    expect(big.e.calls.count('Range')).toBe(0);
    expect(typeof (globalThis as Record<string, unknown>).SpreadsheetApp).toBe('undefined');
  });

  test('helpers and internals are not counted; test-only and internal members are invisible to the code', () => {
    const e = env({ sheets: { S: [[1]] } });
    e.calls.reset();
    sheetValues(e, 'S');
    e.ss.seedValues('S', [[2, 'n']], 'B1');
    e.ss.getSheetByName('S')!.getRange('A1').getValues();
    expect(cellValue(e, 'S', 'C1')).toBe('n');
    expect(e.calls.count()).toBe(0);
    const ss = e.gas.SpreadsheetApp.getActive() as unknown as Record<string, unknown>;
    expect(ss.setActiveCell).toBeUndefined();
    expect(ss.seedValues).toBeUndefined();
    expect(ss._sheets).toBeUndefined();
    expect(ss.constructor).toBeUndefined();
    // Assigning to a service object is ignored, as on the real objects.
    ss.getSheets = () => [];
    expect((ss.getSheets as () => unknown[])()).toHaveLength(1);
    // toString is not a service call.
    expect(String(ss)).toBe('Spreadsheet');
    expect(e.calls.list()).toEqual(['SpreadsheetApp.getActive', 'Spreadsheet.getSheets']);
    e.calls.reset();
    expect(e.calls.list()).toEqual([]);
  });

  test('globals work as a vm sandbox; console output is recorded, not printed', () => {
    const e = env({ sheets: { Data: [['a', 2]] } });
    const ctx = vm.createContext(e.globals);
    expect(e.globals).not.toHaveProperty('require');
    expect(e.globals).not.toHaveProperty('process');
    expect(e.globals).not.toHaveProperty('setTimeout');
    const out = vm.runInContext(
      `var s = SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Data');
       s.getRange('C1').setValue(Utilities.formatDate(new Date(Date.UTC(2024, 0, 1, 23, 30)), 'Asia/Ho_Chi_Minh', 'dd/MM/yyyy'));
       console.log('done', s.getLastColumn(), { a: 1 });
       console.error(new Error('boom'));
       var threw = null;
       try { s.getRange('A1:B1').setValues([[1]]); } catch (err) { threw = err instanceof Error && err.message; }
       JSON.stringify({ v: s.getRange('A1:C1').getValues()[0], threw: threw, isDate: new Date() instanceof Date })`,
      ctx,
    );
    expect(JSON.parse(out)).toEqual({
      // '02/01/2024' reads as a date in the vi_VN locale: 2 January 2024, midnight in Vietnam.
      v: ['a', 2, '2024-01-01T17:00:00.000Z'],
      threw: 'The number of columns in the data does not match the number of columns in the range. The data has 1 but the range has 2.',
      isDate: true,
    });
    expect(e.logs).toEqual([
      { level: 'log', message: 'done 3 {"a":1}' },
      { level: 'error', message: 'Error: boom' },
    ]);
    expect(e.calls.count('Sheet.getLastColumn')).toBe(1);
  });
});

describe('authorization modes', () => {
  test('NONE (add-on not yet used in the document) allows menus only; LIMITED (simple trigger) no triggers or mail', () => {
    const e = env();
    const { SpreadsheetApp, PropertiesService, ScriptApp, MailApp } = e.gas;
    e.setAuthMode('NONE');
    expect(() => SpreadsheetApp.getActiveSpreadsheet()).toThrow('You do not have permission to call SpreadsheetApp.getActiveSpreadsheet.');
    expect(() => SpreadsheetApp.getActive()).toThrow('You do not have permission to call SpreadsheetApp.getActive.');
    expect(() => PropertiesService.getDocumentProperties()).toThrow(
      'You do not have permission to call PropertiesService.getDocumentProperties.',
    );
    SpreadsheetApp.getUi().createAddonMenu().addItem('Mở', 'open').addToUi();
    expect(e.ui.menus).toHaveLength(1);
    e.setAuthMode('LIMITED');
    expect(SpreadsheetApp.getActiveSpreadsheet().getSheets()).toHaveLength(1);
    PropertiesService.getDocumentProperties().setProperty('k', 'v');
    expect(() => ScriptApp.getProjectTriggers()).toThrow('You do not have permission to call ScriptApp.getProjectTriggers.');
    expect(() => ScriptApp.newTrigger('f').timeBased().everyDays(1).create()).toThrow(
      'You do not have permission to call ScriptApp.newTrigger.',
    );
    expect(() => MailApp.sendEmail({ to: 'a@x.com', subject: 's', body: 'b' })).toThrow(
      'You do not have permission to call MailApp.sendEmail.',
    );
    expect(() => e.gas.DriveApp.getFileById('x')).toThrow('You do not have permission to call DriveApp.getFileById.');
  });
});

describe('edit and open events', () => {
  test('makeEditEvent applies the user edit and reports strings', () => {
    const e = env({ sheets: { S: [[5]] } });
    const ev = makeEditEvent(e, 'S', 'A1', undefined, '7');
    expect(cellValue(e, 'S', 'A1')).toBe(7);
    expect(ev.value).toBe('7');
    expect(ev.oldValue).toBe('5');
    expect(ev.range.getA1Notation()).toBe('A1');
    expect(ev.source.getUrl()).toBe(e.gas.SpreadsheetApp.getActive().getUrl());
    expect(ev.user.getEmail()).toBe(OWNER);
    expect(ev.authMode).toBe(e.gas.ScriptApp.AuthMode.LIMITED);
    const cleared = makeEditEvent(e, 'S', 'A1', undefined, null);
    expect(cleared.value).toBeUndefined();
    expect(cleared.oldValue).toBe('7');
    const fresh = makeEditEvent(e, 'S', 'B1', undefined, true);
    expect('oldValue' in fresh).toBe(false);
    expect(fresh.value).toBe('TRUE');
    // An explicit old value (the edit was already applied), and a multi-cell edit without value/oldValue.
    expect(makeEditEvent(e, 'S', 'B1', 'FALSE')).toMatchObject({ oldValue: 'FALSE', value: 'TRUE' });
    const multi = makeEditEvent(e, 'S', 'A2:B3', undefined, 'x');
    expect('value' in multi || 'oldValue' in multi).toBe(false);
    expect(sheetValues(e, 'S').slice(1)).toEqual([
      ['x', 'x'],
      ['x', 'x'],
    ]);
  });

  test('an edited date is reported as Sheets shows it in the spreadsheet time zone', () => {
    const e = env({ sheets: { S: [[new Date('2024-03-09T17:00:00Z'), new Date('2024-03-09T17:30:05Z')]] } });
    expect(makeEditEvent(e, 'S', 'A1').value).toBe('10/03/2024');
    expect(makeEditEvent(e, 'S', 'B1').value).toBe('10/03/2024 00:30:05');
  });

  test('protected cells and reject-invalid validation refuse user edits', () => {
    const e = env({ editors: [BOB] });
    const s = e.gas.SpreadsheetApp.getActive().getActiveSheet();
    const p = s.getRange('A1').protect();
    p.removeEditors([BOB]);
    const strict = e.gas.SpreadsheetApp.newDataValidation()
      .requireNumberBetween(0, 10)
      .setAllowInvalid(false)
      .setHelpText('0 đến 10')
      .build();
    const lenient = e.gas.SpreadsheetApp.newDataValidation().requireNumberBetween(0, 10).build();
    s.getRange('B1:C1').setDataValidations([[strict, lenient]]);
    expect(() => makeEditEvent(e, 'Sheet1', 'B1', undefined, 11)).toThrow('[gas-emulator] Sheets rejects 11 in Sheet1!B1: 0 đến 10');
    expect(() => makeEditEvent(e, 'Sheet1', 'B1', undefined, 'abc')).toThrow('rejects');
    makeEditEvent(e, 'Sheet1', 'B1', undefined, 10);
    makeEditEvent(e, 'Sheet1', 'C1', undefined, 11);
    expect(sheetValues(e, 'Sheet1')).toEqual([['', 10, 11]]);
    makeEditEvent(e, 'Sheet1', 'B1', undefined, '');
    expect(cellValue(e, 'Sheet1', 'B1')).toBe('');
    e.setActiveUser(BOB);
    expect(() => makeEditEvent(e, 'Sheet1', 'A1', undefined, 1)).toThrow(
      `[gas-emulator] ${BOB} may not edit Sheet1!A1: the cell is protected`,
    );
    expect(makeEditEvent(e, 'Sheet1', 'D1', undefined, 1).user.getEmail()).toBe(BOB);
  });

  test('makeOpenEvent: a simple trigger unless told otherwise', () => {
    const e = env();
    const open = makeOpenEvent(e);
    expect(open.authMode).toBe(e.gas.ScriptApp.AuthMode.LIMITED);
    expect(open.source.getSheets()).toHaveLength(1);
    expect(open.user.getEmail()).toBe(OWNER);
    expect(makeOpenEvent(e, { authMode: 'NONE' }).authMode).toBe(e.gas.ScriptApp.AuthMode.NONE);
  });
});
