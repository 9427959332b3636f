/**
 * Contract of the kinds of run (core.ts ExecutionKind, gas.ts env.run / fireEdit / fireTimeDriven): who is at the
 * keyboard, whom the script runs as, what a simple trigger may not call, what Session and e.user reveal, whose
 * triggers a run sees, where getUi works. Each rule cites its reference page beside the code that enforces it.
 */
import { type FakeEnv, createFakeEnv, fireEdit, fireTimeDriven, makeEditEvent, makePasteEvent, sheetValues } from './index';

const OFFICE = 'vhxh.phuocchanh@gialai.gov.vn';
const OFFICE2 = 'vanphong.phuocchanh@gialai.gov.vn';
/** A consumer Google account made with an official address (not in the office's Workspace domain). */
const UNIT = 'congan.phuocchanh@gialai.gov.vn';
const GMAIL = 'tramyte.phuocchanh@gmail.com';

function env(opts: Parameters<typeof createFakeEnv>[0] = {}): FakeEnv {
  return createFakeEnv({
    now: new Date('2026-06-12T00:30:00Z'),
    owner: OFFICE,
    editors: [OFFICE2, UNIT, GMAIL],
    accounts: { [UNIT]: { consumer: true } },
    sheets: {
      'Công an xã': [
        ['STT', 'Điểm'],
        ['1.1', 2],
      ],
    },
    ...opts,
  });
}

/** Everything a run can learn about identities. */
function who(e: FakeEnv) {
  const { Session } = e.gas;
  return { active: Session.getActiveUser().getEmail(), effective: Session.getEffectiveUser().getEmail() };
}

describe('a simple trigger runs as the editor, without authorised services', () => {
  test('mail, URL fetch, trigger management, Drive and the advanced Sheets service all throw; the spreadsheet works', () => {
    const e = env();
    const g = e.gas as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>;
    const sheets = (e.globals.Sheets as { Spreadsheets: { get: (...a: unknown[]) => unknown; Values: { update: () => unknown } } })
      .Spreadsheets;
    e.run({ kind: 'simple', user: UNIT }, () => {
      const refused = (f: () => unknown, method: string) => expect(f).toThrow(`You do not have permission to call ${method}.`);
      refused(() => e.gas.MailApp.sendEmail({ to: OFFICE, subject: 's', body: 'b' }), 'MailApp.sendEmail');
      refused(() => e.gas.MailApp.getRemainingDailyQuota(), 'MailApp.getRemainingDailyQuota');
      refused(() => g.UrlFetchApp.fetch('https://example.com'), 'UrlFetchApp.fetch');
      refused(() => e.gas.ScriptApp.getProjectTriggers(), 'ScriptApp.getProjectTriggers');
      refused(() => e.gas.ScriptApp.newTrigger('dailyTick').timeBased().everyDays(1).create(), 'ScriptApp.newTrigger');
      refused(() => e.gas.DriveApp.getFolderById('x'), 'DriveApp.getFolderById');
      refused(() => sheets.get(), 'Sheets.Spreadsheets.get');
      refused(() => sheets.Values.update(), 'Sheets.Spreadsheets.Values.update');
      expect(String(e.gas.ScriptApp.AuthMode.LIMITED)).toBe('LIMITED');
      const s = e.gas.SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Công an xã')!;
      s.getRange('B2').setValue(3);
      e.gas.PropertiesService.getDocumentProperties().setProperty('k', 'v');
      e.gas.SpreadsheetApp.getUi().createMenu('Chấm điểm').addItem('Kiểm tra', 'menuCheckSheet').addToUi();
    });
    expect(sheetValues(e, 'Công an xã')[1]).toEqual(['1.1', 3]);
    // Outside the run, the same calls work again (a menu run with the person's authorization).
    expect(e.gas.MailApp.getRemainingDailyQuota()).toBe(100);
    expect(() => (g.UrlFetchApp.fetch as (u: string) => unknown)('https://example.com')).toThrow('is not emulated');
    expect(sheets.get(e.ss._id, { fields: 'sheets.properties.title' })).toHaveProperty('sheets');
    expect(() => sheets.Values.update()).toThrow('[gas-emulator] Sheets.Spreadsheets.Values.update is not emulated');
  });

  test('the advanced Sheets service exists only when the project enables it', () => {
    expect(env({ sheetsApi: false }).globals).not.toHaveProperty('Sheets');
    expect(env().globals).toHaveProperty('Sheets');
  });

  test("the editor's address is withheld unless they are the developer or in the developer's Workspace domain", () => {
    const e = env();
    const seen = (user: string) => e.run({ kind: 'simple', user }, () => who(e));
    expect(seen(OFFICE)).toEqual({ active: OFFICE, effective: OFFICE }); // the developer (owner of the bound script)
    expect(seen(OFFICE2)).toEqual({ active: OFFICE2, effective: OFFICE2 }); // same Workspace domain
    expect(seen(UNIT)).toEqual({ active: '', effective: '' }); // consumer account, official address
    expect(seen(GMAIL)).toEqual({ active: '', effective: '' }); // gmail.com: always a consumer account
    // A menu or sidebar call runs with the person's own authorization: the address is known.
    expect(e.run({ kind: 'editor', user: UNIT }, () => who(e))).toEqual({ active: UNIT, effective: UNIT });
  });
});

describe('edit events as Apps Script sends them', () => {
  test('e.user of a simple onEdit: a User whose getEmail() is empty across domains and for consumer accounts', () => {
    const e = env();
    e.setActiveUser(UNIT);
    const ev = makeEditEvent(e, 'Công an xã', 'B2', undefined, '4');
    expect(e.run({ kind: 'simple' }, () => [ev.user.getEmail(), String(ev.authMode)])).toEqual(['', 'LIMITED']);
    e.setActiveUser(OFFICE2);
    const colleague = makeEditEvent(e, 'Công an xã', 'B2', undefined, '5');
    expect(e.run({ kind: 'simple' }, () => colleague.user.getEmail())).toBe(OFFICE2);
  });

  test('a multi-cell edit (a fill) and a paste carry neither value nor oldValue; the range holds the new values', () => {
    const e = env();
    const fill = makeEditEvent(e, 'Công an xã', 'B2:B3', undefined, '1,5');
    expect(['value' in fill, 'oldValue' in fill]).toEqual([false, false]);
    expect(fill.range.getValues()).toEqual([[1.5], [1.5]]);
    // A paste of one cell over a non-empty cell still has no value/oldValue.
    const paste = makePasteEvent(e, 'Công an xã', 'B2', [['3']]);
    expect(['value' in paste, 'oldValue' in paste]).toEqual([false, false]);
    expect(paste.range.getA1Notation()).toBe('B2');
    const block = makePasteEvent(e, 'Công an xã', 'A3', [
      ['1.2', '2,5'],
      ['1.3', ''],
    ]);
    expect(block.range.getA1Notation()).toBe('A3:B4');
    expect(block.range.getValues()).toEqual([
      ['1.2', 2.5],
      ['1.3', ''],
    ]);
    // A single typed cell still has both.
    expect(makeEditEvent(e, 'Công an xã', 'B2', undefined, '4')).toMatchObject({ oldValue: '3', value: '4' });
  });

  test('a paste is refused like typing where a protection keeps the person out', () => {
    const e = env();
    const p = e.gas.SpreadsheetApp.getActive().getSheetByName('Công an xã')!.getRange('B2').protect();
    p.removeEditors([UNIT]);
    e.setActiveUser(UNIT);
    expect(() => makePasteEvent(e, 'Công an xã', 'B1', [['x'], ['y']])).toThrow(`${UNIT} may not edit Công an xã!B1:B2`);
  });
});

describe('an installable trigger runs as the account that installed it', () => {
  const HANDLERS = (e: FakeEnv, seen: unknown[]) => ({
    onEdit: (ev: GoogleAppsScript.Events.SheetsOnEdit) => seen.push({ trigger: 'simple', user: ev.user.getEmail(), ...who(e) }),
    onEditInstalled: (ev: GoogleAppsScript.Events.SheetsOnEdit) => {
      seen.push({ trigger: 'installed', user: ev.user.getEmail(), ...who(e), uid: ev.triggerUid, auth: String(ev.authMode) });
      // It may write where the editor may not: it runs with the installer's rights through protections.
      e.gas.SpreadsheetApp.getActive().getSheetByName('Công an xã')!.getRange('C1').setValue('đã kiểm tra');
      e.gas.SpreadsheetApp.getUi();
    },
  });

  test('fireEdit runs the simple onEdit as the editor, then each installable edit trigger as its installer', () => {
    const e = env();
    const sheet = e.gas.SpreadsheetApp.getActive().getSheetByName('Công an xã')!;
    sheet.getRange('C1').protect().removeEditors([OFFICE2, UNIT, GMAIL]);
    const uid = e.gas.ScriptApp.newTrigger('onEditInstalled')
      .forSpreadsheet(e.gas.SpreadsheetApp.getActive())
      .onEdit()
      .create()
      .getUniqueId();
    const seen: unknown[] = [];
    e.setActiveUser(UNIT);
    const runs = fireEdit(e, HANDLERS(e, seen), 'Công an xã', 'B2', { value: '4' });
    expect(seen).toEqual([
      { trigger: 'simple', user: '', active: '', effective: '' },
      { trigger: 'installed', user: '', active: '', effective: OFFICE, uid, auth: 'FULL' },
    ]);
    // The installer's write went through; getUi is refused in an installable edit run and the run records it.
    expect(sheetValues(e, 'Công an xã')[0][2]).toBe('đã kiểm tra');
    expect(runs).toEqual([
      { handler: 'onEdit', kind: 'simple', runAs: UNIT },
      {
        handler: 'onEditInstalled',
        kind: 'installable-edit',
        runAs: OFFICE,
        error: 'Cannot call SpreadsheetApp.getUi() from this context.',
      },
    ]);
    // The editor of the same Workspace domain as the installer is named.
    e.setActiveUser(OFFICE2);
    seen.length = 0;
    fireEdit(e, HANDLERS(e, seen), 'Công an xã', 'B2', { paste: [['5']] });
    expect(seen[1]).toMatchObject({ user: OFFICE2, active: OFFICE2, effective: OFFICE });
  });

  test('two accounts that each installed an edit trigger: every edit runs both, each as its own installer', () => {
    const e = env();
    const install = () => e.gas.ScriptApp.newTrigger('onEditInstalled').forSpreadsheet(e.gas.SpreadsheetApp.getActive()).onEdit().create();
    install();
    e.setActiveUser(OFFICE2);
    install();
    const effective: string[] = [];
    fireEdit(e, { onEditInstalled: () => effective.push(e.gas.Session.getEffectiveUser().getEmail()) }, 'Công an xã', 'B2', { value: 1 });
    expect(effective).toEqual([OFFICE, OFFICE2]);
  });

  test('a time-driven run: as the installer, no Ui; a missing handler is reported as Apps Script does', () => {
    const e = env();
    e.setActiveUser(OFFICE2);
    e.gas.ScriptApp.newTrigger('dailyTick').timeBased().everyDays(1).atHour(7).create();
    e.gas.ScriptApp.newTrigger('gone').timeBased().everyDays(1).create();
    e.setActiveUser(UNIT);
    const seen: unknown[] = [];
    const runs = fireTimeDriven(e, {
      dailyTick: (ev: { authMode: unknown; triggerUid: string }) => {
        seen.push({ ...who(e), auth: String(ev.authMode), mail: e.gas.MailApp.getRemainingDailyQuota() });
        e.gas.SpreadsheetApp.getUi();
      },
    });
    expect(seen).toEqual([{ active: OFFICE2, effective: OFFICE2, auth: 'FULL', mail: 100 }]);
    expect(runs.map((r) => [r.handler, r.runAs, r.error])).toEqual([
      ['dailyTick', OFFICE2, 'Cannot call SpreadsheetApp.getUi() from this context.'],
      ['gone', OFFICE2, 'Script function not found: gone'],
    ]);
    // The person at the keyboard is back after the runs.
    expect(who(e)).toEqual({ active: UNIT, effective: UNIT });
  });

  test('getUi works in a menu run and a simple trigger, not in installable-edit or time-driven runs', () => {
    const e = env();
    const ui = (as: Parameters<FakeEnv['run']>[0]) => e.run(as, () => typeof e.gas.SpreadsheetApp.getUi().alert);
    expect(ui({ kind: 'editor' })).toBe('function');
    expect(ui({ kind: 'simple' })).toBe('function');
    expect(() => ui({ kind: 'installable-edit', installer: OFFICE })).toThrow('Cannot call SpreadsheetApp.getUi() from this context.');
    expect(() => ui({ kind: 'time-driven', installer: OFFICE })).toThrow('Cannot call SpreadsheetApp.getUi() from this context.');
  });
});

describe('triggers belong to the account that installed them', () => {
  test('getProjectTriggers lists only the current account’s; another account’s trigger cannot be deleted', () => {
    const e = env();
    const { ScriptApp } = e.gas;
    ScriptApp.newTrigger('dailyTick').timeBased().everyDays(1).atHour(7).create();
    const mine = ScriptApp.getProjectTriggers();
    e.setActiveUser(OFFICE2);
    // The second office account sees no trigger, and "turning reminders on" adds a second daily run.
    expect(ScriptApp.getProjectTriggers()).toEqual([]);
    ScriptApp.newTrigger('dailyTick').timeBased().everyDays(1).atHour(7).create();
    expect(ScriptApp.getProjectTriggers().map((t) => t.getHandlerFunction())).toEqual(['dailyTick']);
    expect(e.triggers().map((t) => [t.handlerFunction, t.owner])).toEqual([
      ['dailyTick', OFFICE],
      ['dailyTick', OFFICE2],
    ]);
    expect(() => ScriptApp.deleteTrigger(mine[0])).toThrow('The trigger belongs to another user');
    for (const t of ScriptApp.getProjectTriggers()) ScriptApp.deleteTrigger(t);
    expect(e.triggers().map((t) => t.owner)).toEqual([OFFICE]);
    // An installable trigger's run sees its installer's triggers.
    e.run({ kind: 'time-driven', installer: OFFICE }, () => expect(ScriptApp.getProjectTriggers()).toHaveLength(1));
  });
});
