import { exampleEnv, exampleSheets, loadAddon } from './harness';
import { createFakeEnv, sheetValues } from '../../dev/gas-emulator/index';

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
    expect(env.ui.toasts.at(-1)!.message).toMatch(/đã được bật từ trước/);
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
