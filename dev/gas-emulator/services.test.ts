/** Contract of the emulated LockService, PropertiesService, ScriptApp, MailApp, Session, Utilities and DriveApp (services.ts, dates.ts). */
import { type FakeEnv, createFakeEnv } from './index';
import { MAX_TRIGGERS_PER_USER, PROPERTY_STORE_LIMIT_BYTES, PROPERTY_VALUE_LIMIT_BYTES } from './services';

const OWNER = 'owner@example.com';
const ALICE = 'alice@example.com';

function env(opts: Parameters<typeof createFakeEnv>[0] = {}): FakeEnv {
  return createFakeEnv({ now: new Date('2024-03-10T01:00:00Z'), ...opts });
}

describe('LockService', () => {
  test('a free document lock is taken at once', () => {
    const e = env();
    const lock = e.gas.LockService.getDocumentLock();
    const t0 = e.clock.now().getTime();
    expect(lock.tryLock(0)).toBe(true);
    lock.waitLock(1000);
    lock.releaseLock();
    expect(e.clock.now().getTime()).toBe(t0);
  });

  test('waitLock times out while another execution holds the lock, and waiting costs fake time', () => {
    const e = env();
    e.locks.holdByOther('document');
    const lock = e.gas.LockService.getDocumentLock();
    const t0 = e.clock.now().getTime();
    expect(() => lock.waitLock(10000)).toThrow('Lock timeout: another process was holding the lock for too long.');
    expect(e.clock.now().getTime() - t0).toBe(10000);
    expect(lock.tryLock(500)).toBe(false);
    expect(e.clock.now().getTime() - t0).toBe(10500);
    expect(() => lock.tryLock('soon' as unknown as number)).toThrow(
      "The parameters (String) don't match the method signature for Lock.tryLock.",
    );
  });
});

describe('PropertiesService (document store)', () => {
  test('get/set/delete; values are stored as strings', () => {
    const e = env();
    const props = e.gas.PropertiesService.getDocumentProperties();
    expect(props.getProperty('missing')).toBeNull();
    props.setProperty('a', '1').setProperty('n', 2 as unknown as string);
    expect([props.getProperty('a'), props.getProperty('n')]).toEqual(['1', '2']);
    props.deleteProperty('a');
    expect(props.getProperty('a')).toBeNull();
    expect(e.gas.PropertiesService.getDocumentProperties().getProperty('n')).toBe('2');
    expect(() => props.setProperty('', 'x')).toThrow('Invalid argument: key');
  });

  test('getKeys lists every key of the store, shared by every account of the document', () => {
    const e = env();
    e.gas.PropertiesService.getDocumentProperties().setProperty('b', '1').setProperty('a', '2');
    e.setActiveUser('other.person@example.com');
    expect(e.gas.PropertiesService.getDocumentProperties().getKeys().sort()).toEqual(['a', 'b']);
  });

  test('setProperties sets several keys in one call, all or none', () => {
    const e = env();
    const props = e.gas.PropertiesService.getDocumentProperties();
    e.calls.reset();
    props.setProperties({ a: '1', b: 2 as unknown as string });
    expect(e.calls.count('Properties.setProperties')).toBe(1);
    expect(e.calls.count('Properties.setProperty')).toBe(0);
    expect(props.getProperties()).toEqual({ a: '1', b: '2' });
    expect(() => props.setProperties({ c: '3', d: 'x'.repeat(PROPERTY_VALUE_LIMIT_BYTES + 1) })).toThrow('Argument too large: value');
    expect(props.getProperty('c')).toBeNull();
  });

  test('the 9 kB value limit counts UTF-8 bytes', () => {
    const props = env().gas.PropertiesService.getDocumentProperties();
    expect(PROPERTY_VALUE_LIMIT_BYTES).toBe(9 * 1024);
    expect(() => props.setProperty('big', 'x'.repeat(9 * 1024 + 1))).toThrow('Argument too large: value');
    props.setProperty('ok', 'x'.repeat(9 * 1024));
    // 'ệ' is 3 bytes in UTF-8: 3100 of them are 9300 bytes.
    expect(() => props.setProperty('vi', 'ệ'.repeat(3100))).toThrow('Argument too large');
    expect(props.getProperty('vi')).toBeNull();
  });

  test('the 500 kB store limit counts keys and values; replacing a value frees the old one', () => {
    const props = env().gas.PropertiesService.getDocumentProperties();
    expect(PROPERTY_STORE_LIMIT_BYTES).toBe(500 * 1024);
    for (let i = 0; i < 56; i++) props.setProperty(`k${i}`, 'x'.repeat(9000));
    props.setProperty('k0', 'y'.repeat(9000));
    expect(() => props.setProperty('k99', 'x'.repeat(9000))).toThrow('property storage quota');
    expect(props.getProperty('k99')).toBeNull();
  });
});

describe('ScriptApp triggers', () => {
  test('builders record triggers; delete removes them', () => {
    const e = env();
    const { ScriptApp, SpreadsheetApp } = e.gas;
    const t = ScriptApp.newTrigger('dailyReminder').timeBased().everyDays(1).atHour(7).inTimezone('Asia/Bangkok').create();
    ScriptApp.newTrigger('onEditInstalled').forSpreadsheet(SpreadsheetApp.getActive()).onEdit().create();
    ScriptApp.newTrigger('other').timeBased().everyDays(2).create();
    expect(t.getHandlerFunction()).toBe('dailyReminder');
    const [clock, edit, other] = e.triggers();
    expect(clock).toMatchObject({
      handlerFunction: 'dailyReminder',
      eventType: 'CLOCK',
      everyDays: 1,
      atHour: 7,
      timeZone: 'Asia/Bangkok',
      owner: OWNER,
    });
    expect(edit).toMatchObject({ eventType: 'ON_EDIT', sourceId: e.ss._id, owner: OWNER });
    // Without inTimezone() a clock trigger runs in the script's time zone.
    expect(other.timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(new Set(e.triggers().map((x) => x.uniqueId)).size).toBe(3);
    expect(ScriptApp.getProjectTriggers().map((x) => x.getHandlerFunction())).toEqual(['dailyReminder', 'onEditInstalled', 'other']);
    ScriptApp.deleteTrigger(ScriptApp.getProjectTriggers()[0]);
    expect(e.triggers().map((x) => x.handlerFunction)).toEqual(['onEditInstalled', 'other']);
  });

  test('bad schedules are refused', () => {
    const { ScriptApp } = env().gas;
    expect(() => ScriptApp.newTrigger('x').timeBased().atHour(24)).toThrow(
      'Invalid argument: atHour(24). Expected an integer from 0 to 23.',
    );
    expect(() => ScriptApp.newTrigger('x').timeBased().everyDays(0)).toThrow('Invalid argument: everyDays(0)');
    expect(() => ScriptApp.newTrigger('x').timeBased().inTimezone('Mars/Olympus')).toThrow('Invalid argument: timezone');
    expect(() => ScriptApp.newTrigger('x').timeBased().atHour(7).create()).toThrow('The trigger has no schedule');
    expect(() => ScriptApp.newTrigger('x').forSpreadsheet(env().ss._id).create()).toThrow('The trigger has no event type');
  });

  test('triggers belong to the user who installed them; 20 per user', () => {
    const e = env({ editors: [ALICE] });
    const { ScriptApp } = e.gas;
    for (let i = 0; i < MAX_TRIGGERS_PER_USER; i++) ScriptApp.newTrigger(`f${i}`).timeBased().everyDays(1).create();
    expect(() => ScriptApp.newTrigger('f').timeBased().everyDays(1).create()).toThrow('This script has too many triggers.');
    e.setActiveUser(ALICE);
    expect(ScriptApp.getProjectTriggers()).toHaveLength(0);
    ScriptApp.newTrigger('mine').timeBased().everyDays(1).create();
    expect(ScriptApp.getProjectTriggers().map((t) => t.getHandlerFunction())).toEqual(['mine']);
    expect(e.triggers()).toHaveLength(MAX_TRIGGERS_PER_USER + 1);
  });
});

describe('MailApp', () => {
  test('each recipient consumes quota; exhausted quota throws and sends nothing', () => {
    const e = env({ mailQuota: 3 });
    const { MailApp } = e.gas;
    MailApp.sendEmail({ to: 'a@x.com', cc: 'b@x.com', subject: 'Nhắc nhở', body: 'body', htmlBody: '<b>body</b>', name: 'Bot' });
    expect(MailApp.getRemainingDailyQuota()).toBe(1);
    expect(e.mail).toEqual([{ to: ['a@x.com'], cc: ['b@x.com'], subject: 'Nhắc nhở', body: 'body', htmlBody: '<b>body</b>', name: 'Bot' }]);
    expect(() => MailApp.sendEmail({ to: 'a@x.com, b@x.com', subject: 's', body: 'b' })).toThrow(
      'Service invoked too many times for one day: email.',
    );
    expect(MailApp.getRemainingDailyQuota()).toBe(1);
    MailApp.sendEmail({ to: 'Chị Lan <lan@x.com>', subject: 's', body: '' });
    expect(e.mail[1]).toEqual({ to: ['Chị Lan <lan@x.com>'], cc: [], subject: 's', body: '' });
    expect(MailApp.getRemainingDailyQuota()).toBe(0);
    e.setMailQuota(10);
    expect(() => MailApp.sendEmail({ to: 'not-an-address', subject: 's', body: 'b' })).toThrow('Invalid email: not-an-address');
    expect(() => MailApp.sendEmail({ to: '', subject: 's', body: 'b' })).toThrow('Failed to send email: no recipient');
    expect(e.mail).toHaveLength(2);
    expect(MailApp.getRemainingDailyQuota()).toBe(10);
  });

  test('only the message-object form and its emulated fields', () => {
    const { MailApp } = env().gas;
    expect(() => MailApp.sendEmail('a@x.com', 's', 'b')).toThrow('[gas-emulator] MailApp.sendEmail with 3 argument(s) is not emulated');
    expect(() => MailApp.sendEmail({ to: 'a@x.com', subject: 's', body: 'b', bcc: 'c@x.com' })).toThrow(
      '[gas-emulator] the MailApp.sendEmail field "bcc" is not emulated',
    );
  });
});

describe('Session, Utilities, DriveApp', () => {
  test('formatDate converts time zones (23:30 UTC is the next day in Vietnam)', () => {
    const { Utilities } = env().gas;
    const d = new Date('2024-12-31T23:30:00Z');
    expect(Utilities.formatDate(d, 'Asia/Ho_Chi_Minh', 'yyyy-MM-dd')).toBe('2025-01-01');
    expect(Utilities.formatDate(d, 'Asia/Ho_Chi_Minh', 'dd/MM/yyyy HH:mm')).toBe('01/01/2025 06:30');
    expect(Utilities.formatDate(d, 'Asia/Ho_Chi_Minh', 'yyyy')).toBe('2025');
    expect(Utilities.formatDate(d, 'Asia/Ho_Chi_Minh', 'MM/yyyy')).toBe('01/2025');
    expect(Utilities.formatDate(d, 'UTC', 'dd/MM/yyyy')).toBe('31/12/2024');
    expect(Utilities.formatDate(d, 'GMT+7', 'HH:mm')).toBe('06:30');
    expect(Utilities.formatDate(d, 'UTC-03:30', 'HH:mm')).toBe('20:00');
    expect(Utilities.formatDate(d, 'America/New_York', "yyyy-MM-dd'T'HH:mm:ss' o''clock'")).toBe("2024-12-31T18:30:00 o'clock");
    expect(Utilities.formatDate(d, 'Asia/Ho_Chi_Minh', 'd/M/yy H:m:s')).toBe('1/1/25 6:30:0');
    // An unknown zone falls back to GMT, like java.util.TimeZone.
    expect(Utilities.formatDate(d, 'Nowhere/Atlantis', 'HH:mm')).toBe('23:30');
    expect(() => Utilities.formatDate(d, 'UTC', 'EEE')).toThrow('[gas-emulator] the date pattern letter EEE is not emulated');
    expect(() => Utilities.formatDate(d, 'UTC', 'MMM')).toThrow('[gas-emulator] the date pattern letter MMM is not emulated');
    expect(() => Utilities.formatDate(d, 'UTC', "'open")).toThrow('Unterminated quote');
    expect(() => Utilities.formatDate('2024-12-31' as unknown as Date, 'UTC', 'yyyy')).toThrow(
      "The parameters (String,String,String) don't match the method signature for Utilities.formatDate.",
    );
  });

  test('Session.getActiveUser follows the person at the keyboard', () => {
    const e = env();
    const { Session } = e.gas;
    expect(Session.getActiveUser().getEmail()).toBe(OWNER);
    e.setActiveUser(ALICE);
    expect(Session.getActiveUser().getEmail()).toBe(ALICE);
  });

  test('DriveApp files and folders, errors and sharing', () => {
    const e = env({
      spreadsheetName: 'Chấm điểm 2026',
      driveFiles: {
        abc: { name: 'Minh chứng.pdf', access: 'ANYONE_WITH_LINK', permission: 'VIEW' },
        dir: { name: 'Minh chứng quý III', access: 'DOMAIN', mimeType: 'application/vnd.google-apps.folder' },
      },
    });
    const { DriveApp } = e.gas;
    const f = DriveApp.getFileById('abc');
    expect(f.getName()).toBe('Minh chứng.pdf');
    expect(String(f.getSharingAccess())).toBe('ANYONE_WITH_LINK');
    const sheetFile = DriveApp.getFileById(e.ss._id);
    expect([sheetFile.getName(), String(sheetFile.getSharingAccess())]).toEqual(['Chấm điểm 2026', 'PRIVATE']);
    const folder = DriveApp.getFolderById('dir');
    expect([folder.getName(), JSON.stringify(folder.getSharingAccess())]).toEqual(['Minh chứng quý III', '"DOMAIN"']);
    e.calls.reset();
    DriveApp.getFolderById('dir').getName();
    expect(e.calls.list()).toEqual(['DriveApp.getFolderById', 'Folder.getName']);
    const notFound = 'No item with the given ID could be found, or you do not have permission to access it.';
    expect(() => DriveApp.getFileById('nope')).toThrow(notFound);
    expect(() => DriveApp.getFolderById('abc')).toThrow(notFound);
    e.setDriveAuthorized(false);
    expect(() => DriveApp.getFileById('abc')).toThrow('You do not have permission to call DriveApp.getFileById.');
    expect(() => DriveApp.getFolderById('dir')).toThrow('You do not have permission to call DriveApp.getFolderById.');
    expect(() => env({ driveFiles: { x: { name: 'x', access: 'PUBLIC' } } })).toThrow('[gas-emulator] unknown DriveApp.Access "PUBLIC"');
  });
});
