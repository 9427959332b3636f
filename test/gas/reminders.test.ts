import { exampleEnv, exampleSheets, loadAddon, setSetting, TEST_ACCOUNTS } from './harness';
import { UNITS } from '../../scripts/example-data';
import { createFakeEnv, type FakeEnv, fireEdit, fireTimeDriven, sheetValues } from '../../dev/gas-emulator/index';

function runYear(env: ReturnType<typeof exampleEnv>['env'], addon: ReturnType<typeof exampleEnv>['addon'], hourUtc: number) {
  const sent: Record<string, string[]> = {};
  for (let day = Date.UTC(2026, 0, 1); day <= Date.UTC(2026, 11, 31); day += 86400000) {
    env.clock.set(new Date(day + hourUtc * 3600000));
    const before = env.mail.length;
    addon.dailyTick();
    const today = new Date(day + hourUtc * 3600000 + 7 * 3600000).toISOString().slice(0, 10);
    for (const m of env.mail.slice(before)) (sent[today] ??= []).push(m.subject);
  }
  return sent;
}

describe('deadline reminders', () => {
  it('installs exactly one daily trigger at about 7:00 Vietnam time, and removes it', () => {
    const { env, addon } = exampleEnv();
    addon.menuEnableReminders();
    addon.menuEnableReminders();
    const triggers = env.triggers();
    expect(triggers).toHaveLength(1);
    expect(triggers[0]).toMatchObject({ handlerFunction: 'dailyTick', eventType: 'CLOCK', everyDays: 1, atHour: 7 });
    expect(JSON.stringify(triggers[0])).toMatch(/Asia\/Ho_Chi_Minh/);
    const me = env.gas.Session.getActiveUser().getEmail(); // the owner, or GAS_TEST_ACCOUNT's account
    expect(env.ui.alerts.at(-1)!.message).toContain(`đã được bật từ trước, bằng trình kích hoạt của tài khoản ${me} (cài lúc`);
    expect(env.ui.alerts.at(-1)!.message).toContain('(tài khoản của bạn)');
    addon.menuDisableReminders();
    expect(env.triggers()).toHaveLength(0);
  });

  it('sends exactly the expected e-mails on exactly the expected days through a whole year, none twice', () => {
    const { env, addon } = exampleEnv();
    // 23:30 UTC is already the next morning in Vietnam
    const sent = runYear(env, addon, 23.5);
    const days = Object.keys(sent).sort();
    expect(days).toEqual([
      '2026-06-08',
      '2026-06-12',
      '2026-06-14',
      '2026-06-16',
      '2026-09-08',
      '2026-09-12',
      '2026-09-14',
      '2026-09-16',
      '2026-11-03',
      '2026-11-07',
      '2026-11-09',
      '2026-11-11',
    ]);
    expect(sent['2026-06-12'].sort()).toEqual([
      '[Nhắc hạn CCHC] Công an xã: còn 3 ngày đến hạn 15/06/2026',
      '[Nhắc hạn CCHC] Trung tâm Phục vụ hành chính công xã: còn 3 ngày đến hạn 15/06/2026',
    ]);
    expect(sent['2026-06-16']).toEqual(['[Báo cáo CCHC] Tình hình cập nhật sau mốc 15/06/2026']);
    const all = Object.values(sent).flat();
    expect(new Set(all).size).toBe(all.length);
    const reminder = env.mail.find((m) => m.subject.includes('Trung tâm Phục vụ'))!;
    expect(reminder.to).toEqual(['ttpvhcc.phuocchanh@gialai.gov.vn']);
    expect(reminder.cc).toEqual(['vhxh.phuocchanh@gialai.gov.vn']);
    expect(reminder.htmlBody).toMatch(/#gid=\d+/);
    expect(reminder.body).toMatch(/6\.1/);
    expect(env.mail.some((m) => [...m.to, ...m.cc].some((a) => a.endsWith('@gmail.com')))).toBe(false);
    const log = sheetValues(env, 'Nhật ký nhắc hạn');
    expect(log[0]).toEqual(['Thời gian', 'Đơn vị', 'Người nhận', 'Mốc', 'Trước hạn (ngày)', 'Loại', 'Trạng thái', 'Khóa']);
    expect(log.filter((r) => r[6] === 'Đã gửi')).toHaveLength(all.length);
    expect(log.some((r) => r[1] === 'Trạm Y tế xã' && String(r[6]).includes('email cá nhân'))).toBe(true);
    // and the summary lists the units whose address must be fixed
    addon.menuBuildSummary();
    const summary = sheetValues(env, 'Tổng hợp');
    const note = (unit: string) => summary.find((r) => r[1] === unit)!.at(-1);
    expect(note('Trạm Y tế xã')).toMatch(/Cần sửa email tramyte\.phuocchanh@gmail\.com: email cá nhân/);
    expect(note('Ban Chỉ huy Quân sự xã')).toMatch(/Cần sửa email: thiếu email/);
  });

  it('a re-run on the same day sends nothing new', () => {
    const { env, addon } = exampleEnv({ now: new Date('2026-06-12T00:30:00Z') });
    addon.dailyTick();
    const first = env.mail.length;
    expect(first).toBe(2);
    addon.menuSendRemindersNow();
    expect(env.mail.length).toBe(first);
    expect(env.ui.alerts.at(-1)!.message).toMatch(/đã gửi 0 email/);
  });

  it('with a quota of zero sends nothing and says so', () => {
    const { env, addon } = exampleEnv({ now: new Date('2026-06-12T00:30:00Z'), mailQuota: 0 });
    addon.menuSendRemindersNow();
    expect(env.mail).toHaveLength(0);
    expect(env.ui.alerts.at(-1)!.message).toMatch(/hết hạn mức gửi email/);
    expect(sheetValues(env, 'Nhật ký nhắc hạn').filter((r) => String(r[6]).startsWith('Chưa gửi'))).toHaveLength(2);
    // tomorrow's quota: nothing was recorded as sent, so the same day's run can still send
    env.setMailQuota(100);
    addon.menuSendRemindersNow();
    expect(env.mail).toHaveLength(2);
  });

  it('one failing address does not stop the others, and the failure is logged', () => {
    const { env, addon } = exampleEnv({ now: new Date('2026-06-12T00:30:00Z') });
    const real = env.globals.MailApp as { sendEmail: (o: { to: string }) => void; getRemainingDailyQuota: () => number };
    (addon as unknown as Record<string, unknown>).MailApp = {
      getRemainingDailyQuota: () => real.getRemainingDailyQuota(),
      sendEmail: (o: { to: string }) => {
        if (o.to.startsWith('congan')) throw new Error('Failed to send email: no recipient');
        return real.sendEmail(o);
      },
    };
    expect(() => addon.dailyTick()).not.toThrow();
    expect(env.mail.map((m) => m.to[0])).toEqual(['ttpvhcc.phuocchanh@gialai.gov.vn']);
    expect(sheetValues(env, 'Nhật ký nhắc hạn').some((r) => String(r[6]).startsWith('Lỗi: Failed to send'))).toBe(true);
  });

  it('keeps a unit name carrying <script> inert in the e-mail', () => {
    const sheets = exampleSheets();
    sheets['Cấu hình'] = sheets['Cấu hình'].map((r) => (r[2] === 'TT PVHCC' ? [r[0], '<script>alert(1)</script>', ...r.slice(2)] : r));
    const env = createFakeEnv({ sheets, now: new Date('2026-06-12T00:30:00Z') });
    loadAddon(env).dailyTick();
    const mail = env.mail.find((m) => m.to[0].startsWith('ttpvhcc'))!;
    expect(mail.htmlBody).not.toContain('<script>');
    expect(mail.htmlBody).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('previews the e-mail of a chosen unit in a dialog without sending', () => {
    const { env, addon } = exampleEnv({ now: new Date('2026-05-01T00:00:00Z') });
    env.ui.queuePromptResponse('2', 'OK');
    addon.menuPreviewReminder();
    expect(env.mail).toHaveLength(0);
    const dialog = env.ui.dialogs.at(-1)!;
    expect(dialog.title).toBe('Xem trước email (chưa gửi)');
    expect(dialog.content).toMatch(/ttpvhcc\.phuocchanh@gialai\.gov\.vn/);
    expect(dialog.content).toMatch(/15\/06\/2026/);
  });
});

describe('preview of a unit whose address is refused', () => {
  it('says why nothing would be sent', () => {
    const { env, addon } = exampleEnv({ now: new Date('2026-05-01T00:00:00Z') });
    env.ui.queuePromptResponse('5', 'OK'); // Trạm Y tế xã, a gmail address
    addon.menuPreviewReminder();
    expect(env.ui.dialogs.at(-1)!.content).toMatch(/Không gửi được email cho Trạm Y tế xã: tramyte\.phuocchanh@gmail\.com — email cá nhân/);
  });
});

describe('triggers belong to the account that installed them', () => {
  const OFFICE = 'vhxh.phuocchanh@gialai.gov.vn';
  const OFFICE2 = TEST_ACCOUNTS.office2.email;
  /** Two office accounts; the add-on as Apps Script would run it only through fireTimeDriven / fireEdit. */
  const twoOffices = (now: string) => {
    const made = exampleEnv({ now: new Date(now), editors: [OFFICE2] }, { account: null });
    // Both accounts are the office's, as Cấu hình says.
    setSetting(made.env, 'Email cơ quan thường trực', `${OFFICE}, ${OFFICE2}`);
    return made;
  };
  const lastAlert = (env: FakeEnv) => env.ui.alerts.at(-1)!.message;
  const day = (env: FakeEnv, iso: string) => env.clock.set(new Date(iso));

  it('a second office account is told whose trigger runs, adds none, and really turns reminders off and on', () => {
    const { env, addon } = twoOffices('2026-06-01T02:00:00Z');
    addon.menuEnableReminders();
    expect(lastAlert(env)).toMatch(/Đã bật nhắc hạn tự động.*tài khoản vhxh\.phuocchanh@gialai\.gov\.vn \(cài lúc 01\/06\/2026 09:00\)/);
    env.setActiveUser(OFFICE2);
    addon.menuEnableReminders();
    expect(env.triggers().map((t) => t.owner)).toEqual([OFFICE]);
    expect(lastAlert(env)).toMatch(
      /đã được bật từ trước, bằng trình kích hoạt của tài khoản vhxh\.phuocchanh@gialai\.gov\.vn.*không cài thêm/,
    );
    addon.menuDisableReminders();
    // The first account's trigger stays (only it can delete it) and the message says so, and that it will do nothing.
    expect(env.triggers().map((t) => t.owner)).toEqual([OFFICE]);
    expect(lastAlert(env)).toMatch(/Đã tắt nhắc hạn tự động/);
    expect(lastAlert(env)).toMatch(/vhxh\.phuocchanh@gialai\.gov\.vn.*vẫn còn.*sẽ không làm gì/);
    day(env, '2026-06-12T00:30:00Z'); // 3 days before 15/06: a reminder day
    expect(fireTimeDriven(env, addon)).toEqual([{ handler: 'dailyTick', kind: 'time-driven', runAs: OFFICE }]);
    expect(env.mail).toHaveLength(0);
    addon.menuEnableReminders();
    expect(env.triggers()).toHaveLength(1);
    fireTimeDriven(env, addon);
    expect(env.mail.map((m) => m.to[0]).sort()).toEqual(['congan.phuocchanh@gialai.gov.vn', 'ttpvhcc.phuocchanh@gialai.gov.vn']);
    // The owner's "Tắt" removes the trigger itself.
    env.setActiveUser(OFFICE);
    addon.menuDisableReminders();
    expect(env.triggers()).toHaveLength(0);
    expect(lastAlert(env)).toMatch(/Đã gỡ trình kích hoạt hằng ngày của tài khoản bạn/);
  });

  it('a trigger that stopped running is replaced; two daily triggers do the day once (mail, log, snapshot)', () => {
    const { env, addon } = twoOffices('2026-06-01T02:00:00Z');
    addon.menuEnableReminders();
    // The first account's trigger never ran for three days (say, the account left): the second installs its own.
    day(env, '2026-06-04T02:00:00Z');
    env.setActiveUser(OFFICE2);
    addon.menuEnableReminders();
    expect(env.triggers().map((t) => t.owner)).toEqual([OFFICE, OFFICE2]);
    expect(lastAlert(env)).toMatch(/Đã bật nhắc hạn tự động.*tài khoản vanphong\.phuocchanh@gialai\.gov\.vn/);
    day(env, '2026-06-12T00:30:00Z');
    expect(fireTimeDriven(env, addon).map((r) => r.runAs)).toEqual([OFFICE, OFFICE2]);
    expect(env.mail).toHaveLength(2);
    fireTimeDriven(env, addon);
    expect(env.mail).toHaveLength(2);
    day(env, '2026-06-16T00:30:00Z');
    fireTimeDriven(env, addon);
    expect(env.mail).toHaveLength(3); // the office report, once
    const log = sheetValues(env, 'Nhật ký nhắc hạn').slice(1);
    expect(log.filter((r) => r[6] === 'Đã gửi')).toHaveLength(3);
    const snapshot = sheetValues(env, 'Lưu trữ').slice(1);
    expect(snapshot.filter((r) => r[4] === 'Tổng điểm')).toHaveLength(UNITS.length); // one per unit, not two
  });

  it('the edit trigger: a second account running Phân quyền adds none; two edit triggers log each edit once', () => {
    const { env, addon } = twoOffices('2026-06-01T02:00:00Z');
    // The second account sets the permissions first (before that, every editor may); then the owner does again.
    env.setActiveUser(OFFICE2);
    addon.menuApplyPermissions();
    expect(lastAlert(env)).toMatch(/Nhật ký chỉnh sửa đã được bật, bằng trình kích hoạt của tài khoản vanphong/);
    env.setActiveUser(OFFICE);
    addon.menuApplyPermissions();
    expect(
      env
        .triggers()
        .filter((t) => t.eventType === 'ON_EDIT')
        .map((t) => t.owner),
    ).toEqual([OFFICE2]);
    expect(lastAlert(env)).toMatch(/đã bật từ trước, bằng trình kích hoạt của tài khoản vanphong.*không cài thêm/);
    // Installed before this version by the owner as well: both fire on every edit.
    env.gas.ScriptApp.newTrigger('onEditInstalled').forSpreadsheet(env.gas.SpreadsheetApp.getActive()).onEdit().create();
    const UNIT = TEST_ACCOUNTS.unit.email;
    env.setActiveUser(UNIT, TEST_ACCOUNTS.unit.spec);
    const before = sheetValues(env, 'Nhật ký chỉnh sửa').length;
    const runs = fireEdit(env, addon, 'Công an xã', 'D23', { value: '3' });
    expect(runs.map((r) => [r.runAs, r.error])).toEqual([
      [OFFICE2, undefined],
      [OFFICE, undefined],
    ]);
    fireEdit(env, addon, 'Công an xã', 'D24', { value: '2' });
    const rows = sheetValues(env, 'Nhật ký chỉnh sửa').slice(before);
    // A consumer account's address is not given to the trigger: logged as unknown, never as someone else.
    expect(rows.map((r) => [r[1], r[3], r[5]])).toEqual([
      ['không xác định', 'D23', '3'],
      ['không xác định', 'D24', '2'],
    ]);
  });
});

describe('reminders the mail quota cut off', () => {
  it('are listed as unsent, retried the next day with the days really left, and sent once', () => {
    const { env, addon } = exampleEnv({ now: new Date('2026-06-12T00:30:00Z'), mailQuota: 3 }, { account: null });
    // Each reminder has one unit address and the office in CC: two quota units each, so only one fits in 3.
    addon.menuSendRemindersNow();
    expect(env.mail).toHaveLength(1);
    const alert = env.ui.alerts.at(-1)!.message;
    expect(alert).toMatch(/1 email chưa gửi.*gửi lại vào các ngày sau/);
    const unsentUnit = ['Công an xã', 'Trung tâm Phục vụ hành chính công xã'].find((u) => !env.mail[0].subject.includes(u))!;
    expect(alert).toContain(`• ${unsentUnit} (hạn 2026-06-15)`);
    env.ui.queuePromptResponse('1', 'OK');
    addon.menuPreviewReminder();
    expect(env.ui.dialogs.at(-1)!.content).toContain('Còn 1 email chưa gửi được');
    expect(env.ui.dialogs.at(-1)!.content).toContain(`• ${unsentUnit} (hạn 2026-06-15)`);
    env.clock.set(new Date('2026-06-13T00:30:00Z'));
    env.setMailQuota(100);
    addon.dailyTick();
    expect(env.mail).toHaveLength(2);
    expect(env.mail[1].subject).toBe(`[Nhắc hạn CCHC] ${unsentUnit}: còn 2 ngày đến hạn 15/06/2026`);
    addon.dailyTick();
    env.clock.set(new Date('2026-06-14T00:30:00Z')); // lead day 1: one reminder each, as planned
    addon.dailyTick();
    expect(env.mail).toHaveLength(4);
    const log = sheetValues(env, 'Nhật ký nhắc hạn').slice(1);
    const reminders = log.filter((r) => String(r[5]).startsWith('Nhắc hạn')).map((r) => [r[5], String(r[6]).slice(0, 8), r[4]]);
    expect(reminders).toEqual([
      ['Nhắc hạn', 'Đã gửi', 3],
      ['Nhắc hạn', 'Chưa gửi', 3],
      ['Nhắc hạn (gửi lại)', 'Đã gửi', 2],
      ['Nhắc hạn', 'Đã gửi', 1],
      ['Nhắc hạn', 'Đã gửi', 1],
    ]);
    env.ui.queuePromptResponse('1', 'OK');
    addon.menuPreviewReminder();
    expect(env.ui.dialogs.at(-1)!.content).not.toContain('chưa gửi được');
  });
});
