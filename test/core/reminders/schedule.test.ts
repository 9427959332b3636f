import { sheetLink } from '../../../src/core/reminders/render';
import {
  OFFICE_LABEL,
  type OpenCriterion,
  type PlannedEmail,
  type ReminderInput,
  type UnitStatus,
} from '../../../src/core/reminders/types';
import { daysBetween, vietnameseDay } from '../../../src/core/engine/dates';
import { exampleSettings, unitGrid } from '../../../scripts/make-example';
import { UNITS } from '../../../scripts/example-data';
import { pendingOf } from '../../../src/core/engine/findings';
import { remindersForDay, reminderKey, unitStatusFromScore, unitStatuses } from '../../../src/core/reminders/schedule';
import { scoreGrid, type ScoredSheet } from '../../../src/core/engine/score';
import {
  calendarDate,
  parseDay,
  parseSettings,
  scoreOptionsOf,
  type Settings,
  todayOf,
  type Unit,
  vietnamDate,
} from '../../../src/core/settings/settings';

const URL = 'https://docs.google.com/spreadsheets/d/abc123/edit';

function scoredExample(settings: Settings): Map<string, ScoredSheet> {
  const out = new Map<string, ScoredSheet>();
  for (const u of UNITS) {
    const r = scoreGrid(unitGrid(u, settings), scoreOptionsOf(settings));
    if (!r.ok) throw new Error(r.reason);
    out.set(u.sheet, r);
  }
  return out;
}

/** The example workbook's units as the shells would build them (sheet ids 101, 102, …). */
function exampleStatuses(settings: Settings): UnitStatus[] {
  const scores = scoredExample(settings);
  return settings.units.map((u, i) => unitStatusFromScore(u, 101 + i, scores.get(u.sheet) as ScoredSheet));
}

function input(settings: Settings, units: UnitStatus[], today: string, alreadySent: ReadonlySet<string> = new Set()): ReminderInput {
  return { today, settings, units, spreadsheetUrl: URL, summarySheetId: 900, alreadySent };
}

function unit(over: Partial<Unit> = {}): Unit {
  return {
    name: 'Phòng Kinh tế',
    sheet: 'Kinh tế',
    focal: 'Võ Văn An',
    email: 'kinhte.phuocchanh@gialai.gov.vn',
    phone: '',
    sensitive: false,
    ...over,
  };
}

function status(u: Unit, pending = { unscored: 2, missingEvidence: 1, missingExplanation: 0 }, open?: OpenCriterion[]): UnitStatus {
  return {
    unit: u,
    sheetId: 7,
    pending,
    open: open ?? [
      { row: 6, outline: '1.1', text: 'Kế hoạch CCHC', missing: ['unscored'] },
      { row: 7, outline: '1.2', text: 'Tuyên truyền CCHC', missing: ['unscored', 'missingEvidence'] },
    ],
  };
}

function plainSettings(units: Unit[], over: Partial<Settings> = {}): Settings {
  const s = exampleSettings();
  s.units = units;
  return Object.assign(s, over);
}

function addDays(ymd: string, n: number): string {
  const d = new Date(`${ymd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

describe('dates', () => {
  it('daysBetween counts whole calendar days', () => {
    expect(daysBetween('2026-06-12', '2026-06-15')).toBe(3);
    expect(daysBetween('2026-06-16', '2026-06-15')).toBe(-1);
    expect(daysBetween('2026-06-15', '2026-06-15')).toBe(0);
    expect(daysBetween('2025-12-31', '2026-01-01')).toBe(1);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
  });

  it('daysBetween refuses malformed or impossible dates', () => {
    expect(() => daysBetween('2026-02-30', '2026-03-01')).toThrow();
    expect(() => daysBetween('2026-6-1', '2026-06-15')).toThrow();
    expect(() => daysBetween('2026-06-01', '15/06/2026')).toThrow();
  });

  it('a trigger at 23:30 UTC already runs on the next Vietnam day', () => {
    const today = vietnamDate(new Date('2026-06-07T23:30:00Z'));
    expect(today).toBe('2026-06-08');
    const s = plainSettings([unit()]);
    const plan = remindersForDay(input(s, [status(unit())], today));
    expect(plan.emails.map((e) => [e.kind, e.daysLeft, e.milestone])).toEqual([['reminder', 7, '2026-06-15']]);
  });

  it('vietnameseDay formats with two-digit day and month', () => {
    expect(vietnameseDay('2026-06-05')).toBe('05/06/2026');
  });
});

describe('reminderKey', () => {
  it('identifies kind, milestone, lead day and sheet, ignoring case and diacritics of the sheet', () => {
    const k = reminderKey('reminder', '2026-06-15', 3, 'Trạm Y tế');
    expect(k).toBe(reminderKey('reminder', '2026-06-15', 3, '  trạm  y TẾ '));
    expect(
      new Set([
        k,
        reminderKey('reminder', '2026-06-15', 7, 'Trạm Y tế'),
        reminderKey('reminder', '2026-09-15', 3, 'Trạm Y tế'),
        reminderKey('report', '2026-06-15', 3, 'Trạm Y tế'),
        reminderKey('reminder', '2026-06-15', 3, 'Công an xã'),
      ]).size,
    ).toBe(5);
  });
});

describe('unitStatusFromScore', () => {
  it('counts like pendingOf and lists each open criterion once, in sheet order', () => {
    const settings = exampleSettings();
    const scores = scoredExample(settings);
    const tt = scores.get('TT PVHCC') as ScoredSheet;
    const st = unitStatusFromScore(settings.units[1], 5, tt);
    expect(st.pending).toEqual(pendingOf(tt.findings));
    expect(st.pending).toEqual({ unscored: 3, missingEvidence: 2, missingExplanation: 1 });
    expect(st.sheetId).toBe(5);
    expect(st.open.map((o) => o.outline)).toEqual(['3.4', '6.1', '6.2', '7.5', '7.6']);
    expect(st.open.find((o) => o.outline === '3.4')).toEqual({
      row: expect.any(Number),
      outline: '3.4',
      text: 'Thanh toán trực tuyến phí, lệ phí TTHC',
      missing: ['missingEvidence', 'missingExplanation'],
    });
    expect(st.open.find((o) => o.outline === '6.1')?.missing).toEqual(['unscored']);
    const rows = st.open.map((o) => o.row);
    expect([...rows].sort((a, b) => a - b)).toEqual(rows);
  });

  it('unitStatuses marks a missing sheet and a sheet without a score table', () => {
    const settings = plainSettings([
      unit({ sheet: 'Không có' }),
      unit({ name: 'Trường Tiểu học', sheet: 'TH' }),
      unit({ name: 'Trạm', sheet: 'Trạm Y tế' }),
    ]);
    const scores = scoredExample(exampleSettings());
    const st = unitStatuses(
      settings,
      ['TH', 'trạm y tế'],
      new Map<string, ScoredSheet | string>([
        ['TH', 'Không thấy hàng tiêu đề.'],
        ['trạm y tế', scores.get('Trạm Y tế') as ScoredSheet],
      ]),
      new Map([['trạm y tế', 42]]),
    );
    expect(st.map((s) => [!!s.missingSheet, s.problem ?? null, s.sheetId])).toEqual([
      [true, null, null],
      [true, 'trang tính "TH" không có bảng chấm điểm', null],
      [false, null, 42],
    ]);
    expect(st[2].pending.unscored).toBe(26);
  });
});

describe('a whole year with a fake clock', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends exactly the expected e-mails on exactly the expected days, never twice', () => {
    const settings = exampleSettings();
    const statuses = exampleStatuses(settings);
    const sent = new Set<string>();
    const byDay = new Map<string, PlannedEmail[]>();
    const skippedDays = new Set<string>();
    const allKeys: string[] = [];
    for (let day = '2026-01-01'; day <= '2026-12-31'; day = addDays(day, 1)) {
      // The trigger fires at 06:30 in Vietnam, i.e. 23:30 UTC the day before.
      jest.setSystemTime(new Date(`${addDays(day, -1)}T23:30:00Z`));
      const today = vietnamDate(new Date());
      expect(today).toBe(day);
      const plan = remindersForDay(input(settings, statuses, today, sent));
      expect(plan.today).toBe(day);
      if (plan.emails.length > 0) byDay.set(day, plan.emails);
      if (plan.skipped.length > 0) skippedDays.add(day);
      for (const e of plan.emails) {
        allKeys.push(e.key);
        sent.add(e.key);
      }
      // Running the trigger again the same day sends nothing more.
      expect(remindersForDay(input(settings, statuses, today, sent)).emails).toEqual([]);
    }

    const reminderDays = [
      '2026-06-08',
      '2026-06-12',
      '2026-06-14',
      '2026-09-08',
      '2026-09-12',
      '2026-09-14',
      '2026-11-03',
      '2026-11-07',
      '2026-11-09',
    ];
    const reportDays = ['2026-06-16', '2026-09-16', '2026-11-11'];
    expect([...byDay.keys()]).toEqual([...reminderDays, ...reportDays].sort());
    expect(new Set(allKeys).size).toBe(allKeys.length);
    expect(allKeys).toHaveLength(reminderDays.length * 2 + reportDays.length);

    for (const day of reminderDays) {
      const emails = byDay.get(day) as PlannedEmail[];
      // Only the two units with work left and an official address: TT PVHCC and Công an xã.
      // VP HĐND-UBND and Ban CHQS have nothing pending; Trạm Y tế only has a Gmail address.
      expect(emails.map((e) => [e.kind, e.unit, e.to, e.cc])).toEqual([
        ['reminder', 'Trung tâm Phục vụ hành chính công xã', ['ttpvhcc.phuocchanh@gialai.gov.vn'], ['vhxh.phuocchanh@gialai.gov.vn']],
        ['reminder', 'Công an xã', ['congan.phuocchanh@gialai.gov.vn'], ['vhxh.phuocchanh@gialai.gov.vn']],
      ]);
      const milestone = settings.milestones.find((m) => [7, 3, 1].includes(daysBetween(day, m.date)))!;
      for (const e of emails) {
        expect(e.milestone).toBe(milestone.date);
        expect(e.daysLeft).toBe(daysBetween(day, milestone.date));
        expect(e.subject).toBe(`[Nhắc hạn CCHC] ${e.unit}: còn ${e.daysLeft} ngày đến hạn ${vietnameseDay(milestone.date)}`);
        expect(e.textBody).toContain(milestone.content);
      }
      expect(emails[0].pending).toEqual({ unscored: 3, missingEvidence: 2, missingExplanation: 1 });
      expect(emails[0].key).toBe(reminderKey('reminder', milestone.date, emails[0].daysLeft, 'TT PVHCC'));
    }
    for (const day of reportDays) {
      const [report, ...rest] = byDay.get(day) as PlannedEmail[];
      expect(rest).toEqual([]);
      expect(report).toMatchObject({
        kind: 'report',
        unit: OFFICE_LABEL,
        to: ['vhxh.phuocchanh@gialai.gov.vn'],
        cc: [],
        daysLeft: -1,
        milestone: addDays(day, -1),
      });
      expect(report.subject).toBe(`[Báo cáo CCHC] Tình hình cập nhật sau mốc ${vietnameseDay(addDays(day, -1))}`);
      expect(report.pending).toEqual({ unscored: 29, missingEvidence: 3, missingExplanation: 3 });
      expect(report.textBody).toContain('Còn 3/6 đơn vị chưa hoàn thành:');
      expect(report.textBody).toContain('- Trung tâm Phục vụ hành chính công xã: chưa chấm 3, thiếu minh chứng 2, thiếu giải trình 1');
      expect(report.textBody).toContain(
        '- Trạm Y tế xã: chưa chấm 26, thiếu minh chứng 1, thiếu giải trình 0 (không gửi được nhắc hạn: email cá nhân',
      );
      expect(report.textBody).toContain('Đã hoàn thành: Văn phòng HĐND và UBND xã, Ban Chỉ huy Quân sự xã, Phòng Kinh tế xã.');
      expect(report.textBody).toContain(`${URL}#gid=900`);
    }
    // Refused addresses are reported on reminder days only, never mailed.
    expect([...skippedDays]).toEqual(reminderDays);
    for (const e of [...byDay.values()].flat()) {
      for (const addr of [...e.to, ...e.cc]) expect(addr).toMatch(/@gialai\.gov\.vn$/);
    }

    // A second pass over the year with every key fed back sends nothing at all.
    for (let day = '2026-01-01'; day <= '2026-12-31'; day = addDays(day, 1)) {
      expect(remindersForDay(input(settings, statuses, day, sent)).emails).toEqual([]);
    }
  });

  it('a unit that completes its sheet stops getting reminders; one that falls behind starts', () => {
    const settings = exampleSettings();
    const statuses = exampleStatuses(settings);
    const done = statuses.map((s) =>
      s.unit.sheet === 'TT PVHCC' ? { ...s, pending: { unscored: 0, missingEvidence: 0, missingExplanation: 0 }, open: [] } : s,
    );
    expect(remindersForDay(input(settings, done, '2026-06-12')).emails.map((e) => e.unit)).toEqual(['Công an xã']);
    const behind = statuses.map((s) =>
      s.unit.sheet === 'VP HĐND-UBND' ? { ...s, pending: { unscored: 1, missingEvidence: 0, missingExplanation: 0 } } : s,
    );
    expect(remindersForDay(input(settings, behind, '2026-06-12')).emails.map((e) => e.unit)).toEqual([
      'Văn phòng HĐND và UBND xã',
      'Trung tâm Phục vụ hành chính công xã',
      'Công an xã',
    ]);
  });
});

describe('recipients', () => {
  it('refuses gmail, outside-domain and missing addresses and reports them as skipped', () => {
    const units = [
      unit({ name: 'A', sheet: 'A', email: 'a@gmail.com' }),
      unit({ name: 'B', sheet: 'B', email: 'b@binhdinh.gov.vn' }),
      unit({ name: 'C', sheet: 'C', email: '' }),
      unit({ name: 'D', sheet: 'D', email: '  D.Unit@GiaLai.gov.vn ' }),
      unit({ name: 'E', sheet: 'E', email: 'không có' }),
    ];
    const plan = remindersForDay(
      input(
        plainSettings(units),
        units.map((u) => status(u)),
        '2026-06-12',
      ),
    );
    expect(plan.emails.map((e) => [e.unit, e.to])).toEqual([['D', ['d.unit@gialai.gov.vn']]]);
    expect(plan.skipped).toEqual([
      { unit: 'A', email: 'a@gmail.com', reason: 'personal-email' },
      { unit: 'B', email: 'b@binhdinh.gov.vn', reason: 'outside-domain' },
      { unit: 'C', email: '', reason: 'missing-email' },
      { unit: 'E', email: 'không', reason: 'missing-email' },
      { unit: 'E', email: 'có', reason: 'missing-email' },
    ]);
  });

  it('with no configured domain, only personal providers are refused', () => {
    const units = [unit({ name: 'A', sheet: 'A', email: 'a@YAHOO.com.vn' }), unit({ name: 'B', sheet: 'B', email: 'b@binhdinh.gov.vn' })];
    const plan = remindersForDay(
      input(
        plainSettings(units, { domains: [] }),
        units.map((u) => status(u)),
        '2026-06-14',
      ),
    );
    expect(plan.emails.map((e) => e.unit)).toEqual(['B']);
    expect(plan.skipped).toEqual([{ unit: 'A', email: 'a@yahoo.com.vn', reason: 'personal-email' }]);
  });

  it('a cell with several addresses mails the official ones and skips the others', () => {
    const u = unit({ email: 'kt@gialai.gov.vn; kt.canhan@gmail.com' });
    const plan = remindersForDay(input(plainSettings([u]), [status(u)], '2026-06-08'));
    expect(plan.emails[0].to).toEqual(['kt@gialai.gov.vn']);
    expect(plan.skipped).toEqual([{ unit: u.name, email: 'kt.canhan@gmail.com', reason: 'personal-email' }]);
  });

  it('CCs the standing office, but not when it is the recipient itself', () => {
    const a = unit({ name: 'A', sheet: 'A' });
    const b = unit({ name: 'B', sheet: 'B', email: 'VHXH.phuocchanh@gialai.gov.vn' });
    const plan = remindersForDay(input(plainSettings([a, b]), [status(a), status(b)], '2026-06-08'));
    expect(plan.emails.map((e) => [e.to, e.cc])).toEqual([
      [['kinhte.phuocchanh@gialai.gov.vn'], ['vhxh.phuocchanh@gialai.gov.vn']],
      [['vhxh.phuocchanh@gialai.gov.vn'], []],
    ]);
  });

  it('a refused office address: reminders go without CC, the report is not sent, the office is skipped once', () => {
    const a = unit({ name: 'A', sheet: 'A' });
    const b = unit({ name: 'B', sheet: 'B', email: 'b@gialai.gov.vn' });
    const s = plainSettings([a, b], { officeEmail: 'vanhoaxahoi@gmail.com' });
    const reminders = remindersForDay(input(s, [status(a), status(b)], '2026-06-12'));
    expect(reminders.emails.map((e) => e.cc)).toEqual([[], []]);
    expect(reminders.skipped).toEqual([{ unit: OFFICE_LABEL, email: 'vanhoaxahoi@gmail.com', reason: 'personal-email' }]);
    const report = remindersForDay(input(s, [status(a), status(b)], '2026-06-16'));
    expect(report.emails).toEqual([]);
    expect(report.skipped).toEqual([{ unit: OFFICE_LABEL, email: 'vanhoaxahoi@gmail.com', reason: 'personal-email' }]);
    const missing = remindersForDay(input({ ...s, officeEmail: '' }, [status(a)], '2026-06-16'));
    expect(missing.skipped).toEqual([{ unit: OFFICE_LABEL, email: '', reason: 'missing-email' }]);
    // Nothing due: nothing checked, nothing reported.
    expect(remindersForDay(input(s, [status(a)], '2026-06-10'))).toEqual({ today: '2026-06-10', emails: [], skipped: [] });
  });
});

describe('planning rules', () => {
  it('no units in the settings: an empty plan, even on a report day', () => {
    const s = plainSettings([]);
    for (const day of ['2026-06-12', '2026-06-16'])
      expect(remindersForDay(input(s, [], day))).toEqual({ today: day, emails: [], skipped: [] });
  });

  it('a unit whose sheet is missing gets no reminder and is reported to the office', () => {
    const a = unit({ name: 'Trường Mẫu giáo Phước Chánh', sheet: 'MG' });
    const b = unit({ name: 'B', sheet: 'B', email: 'b@gialai.gov.vn' });
    const c = unit({ name: 'C', sheet: 'C', email: 'c@gialai.gov.vn' });
    const s = plainSettings([a, b, c]);
    // "a" has no status at all; "c" was passed as a sheet without a score table.
    const units = [
      status(b),
      {
        ...status(c),
        missingSheet: true,
        problem: 'trang tính "C" không có bảng chấm điểm',
        pending: { unscored: 0, missingEvidence: 0, missingExplanation: 0 },
        open: [],
      },
    ];
    expect(remindersForDay(input(s, units, '2026-06-12')).emails.map((e) => e.unit)).toEqual(['B']);
    const [report] = remindersForDay(input(s, units, '2026-06-16')).emails;
    expect(report.textBody).toContain('Còn 3/3 đơn vị chưa hoàn thành:');
    expect(report.textBody).toContain('- Trường Mẫu giáo Phước Chánh: không tìm thấy trang tính');
    expect(report.textBody).toContain('- C: trang tính "C" không có bảng chấm điểm');
    expect(report.htmlBody).toContain('không tìm thấy trang tính');
  });

  it('the report is sent even when every unit is complete', () => {
    const a = unit();
    const [report] = remindersForDay(
      input(plainSettings([a]), [status(a, { unscored: 0, missingEvidence: 0, missingExplanation: 0 }, [])], '2026-09-16'),
    ).emails;
    expect(report.kind).toBe('report');
    expect(report.textBody).toContain('Tất cả 1 đơn vị đã cập nhật đầy đủ');
  });

  it('lead day 0 and custom lead days; duplicated milestones and lead days are sent once', () => {
    const a = unit();
    const s = plainSettings([a], { leadDays: [0, 2, 2] });
    s.milestones = [...s.milestones, { ...s.milestones[0] }];
    expect(remindersForDay(input(s, [status(a)], '2026-06-12')).emails).toEqual([]);
    const two = remindersForDay(input(s, [status(a)], '2026-06-13')).emails;
    expect(two.map((e) => e.daysLeft)).toEqual([2]);
    const [zero] = remindersForDay(input(s, [status(a)], '2026-06-15')).emails;
    expect(zero.subject).toBe('[Nhắc hạn CCHC] Phòng Kinh tế: hôm nay là hạn 15/06/2026');
  });

  it('two units sharing one sheet: one reminder (first wins)', () => {
    const a = unit({ name: 'A', sheet: 'Chung' });
    const b = unit({ name: 'B', sheet: 'chung', email: 'b@gialai.gov.vn' });
    const plan = remindersForDay(input(plainSettings([a, b]), [status(a), status(b)], '2026-06-12'));
    expect(plan.emails.map((e) => e.unit)).toEqual(['A']);
  });

  it('uses the field in subjects and bodies', () => {
    const a = unit();
    const s = plainSettings([a], { field: 'CDS' });
    const [e] = remindersForDay(input(s, [status(a)], '2026-09-12')).emails;
    expect(e.subject).toBe('[Nhắc hạn CDS] Phòng Kinh tế: còn 3 ngày đến hạn 15/09/2026');
    expect(e.textBody).toContain('chuyển đổi số (CDS) năm 2026');
    expect(remindersForDay(input(s, [status(a)], '2026-09-16')).emails[0].subject).toBe(
      '[Báo cáo CDS] Tình hình cập nhật sau mốc 15/09/2026',
    );
  });

  it('refuses an invalid today', () => {
    expect(() => remindersForDay(input(plainSettings([unit()]), [], '2026-02-30'))).toThrow();
  });
});

describe('the reminder e-mail', () => {
  it('states the milestone, counts, open criteria, link and the plan rules', () => {
    const settings = exampleSettings();
    const plan = remindersForDay(input(settings, exampleStatuses(settings), '2026-06-12'));
    const tt = plan.emails.find((e) => e.unit === 'Trung tâm Phục vụ hành chính công xã') as PlannedEmail;
    for (const body of [tt.textBody, tt.htmlBody]) {
      expect(body).toContain('Trần Văn Hùng');
      expect(body).toContain('15/06/2026');
      expect(body).toContain('Cập nhật kết quả thực hiện 6 tháng đầu năm');
      expect(body).toContain('3 tiêu chí chưa tự chấm điểm');
      expect(body).toContain('2 tiêu chí có điểm nhưng chưa có đường dẫn minh chứng');
      expect(body).toContain('1 tiêu chí tự chấm dưới điểm tối đa nhưng chưa có giải trình');
      expect(body).toContain('Thanh toán trực tuyến phí, lệ phí TTHC');
      expect(body).toContain('.zip hoặc .rar');
      expect(body).toContain('Huỳnh Quốc Việt - 0987015592');
      expect(body).toContain('không sử dụng email cá nhân như Gmail');
      expect(body).toContain('ghi rõ giải trình');
      expect(body).toContain('đường dẫn minh chứng số');
    }
    expect(tt.textBody).toContain('- 3.4. Thanh toán trực tuyến phí, lệ phí TTHC: thiếu minh chứng, thiếu giải trình');
    expect(tt.textBody).toContain(`Mở biểu chấm điểm của đơn vị: ${URL}#gid=102`);
    expect(tt.htmlBody).toContain(`<a href="${URL}#gid=102"`);
    // Restricted sharing is only asked of sensitive units (Công an xã is one, TT PVHCC is not).
    const ca = plan.emails.find((e) => e.unit === 'Công an xã') as PlannedEmail;
    expect(ca.textBody).toContain('đường dẫn có phân quyền phù hợp');
    expect(tt.textBody).not.toContain('đường dẫn có phân quyền phù hợp');
  });

  it('caps the list at 30 criteria with "và N tiêu chí khác"', () => {
    const open: OpenCriterion[] = Array.from({ length: 42 }, (_, i) => ({
      row: 6 + i,
      outline: `9.${i + 1}`,
      text: `Tiêu chí thứ ${i + 1}`,
      missing: ['unscored'],
    }));
    const a = unit();
    const [e] = remindersForDay(
      input(plainSettings([a]), [status(a, { unscored: 42, missingEvidence: 0, missingExplanation: 0 }, open)], '2026-06-14'),
    ).emails;
    for (const body of [e.textBody, e.htmlBody]) {
      expect(body).toContain('Tiêu chí thứ 30');
      expect(body).not.toContain('Tiêu chí thứ 31');
      expect(body).toContain('và 12 tiêu chí khác.');
    }
    expect(e.textBody).toContain('42 tiêu chí chưa tự chấm điểm');
  });

  it('escapes every quoted value: no live tag from a unit name or a criterion text', () => {
    const evil = unit({ name: 'Đơn vị <script>alert(1)</script>', focal: '"><b>x</b>', sheet: 'X' });
    const s = plainSettings([evil], { commune: 'Phước <i>Chánh</i>' });
    s.milestones = s.milestones.map((m) => ({ ...m, content: `${m.content} <iframe src=//x>` }));
    const open: OpenCriterion[] = [{ row: 6, outline: '1.1', text: '<img src=x onerror=alert(1)>', missing: ['unscored'] }];
    const st = status(evil, { unscored: 1, missingEvidence: 0, missingExplanation: 0 }, open);
    const [e] = remindersForDay(input(s, [st], '2026-06-12')).emails;
    expect(e.htmlBody).toContain('Đơn vị &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(e.htmlBody).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(e.htmlBody).toContain('&lt;iframe src=//x&gt;');
    expect(e.htmlBody).toContain('&lt;i&gt;Chánh&lt;/i&gt;');
    expect(e.htmlBody).toContain('&quot;&gt;&lt;b&gt;x&lt;/b&gt;');
    expect(e.htmlBody).not.toMatch(/<script|<img|<iframe|<i>|<b>x/i);
    // The plain-text alternative keeps the text as typed.
    expect(e.textBody).toContain('<img src=x onerror=alert(1)>');
    const [report] = remindersForDay(input(s, [st], '2026-06-16')).emails;
    expect(report.htmlBody).toContain('Đơn vị &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(report.htmlBody).not.toMatch(/<script|<iframe|<i>/i);
  });

  it('only http(s) URLs become links; a placeholder stays text', () => {
    expect(sheetLink(`${URL}#gid=0`, 12)).toBe(`${URL}#gid=12`);
    expect(sheetLink(URL, null)).toBe(URL);
    expect(sheetLink('(tệp a.xlsx)', 12)).toBe('(tệp a.xlsx)');
    const a = unit();
    const [e] = remindersForDay({ ...input(plainSettings([a]), [status(a)], '2026-06-12'), spreadsheetUrl: 'javascript:alert(1)' }).emails;
    expect(e.htmlBody).not.toContain('href="javascript');
  });
});

describe('retries of e-mails the mail quota cut off', () => {
  // Milestones of the example plan: 15/06, 15/09, 10/11; lead days 7, 3, 1.
  const u = unit();
  const s = plainSettings([u], {
    milestones: [
      { date: '2026-06-15', content: '' },
      { date: '2026-09-15', content: '' },
    ],
  });
  const key = (lead: number) => reminderKey('reminder', '2026-06-15', lead, u.sheet);
  const report = reminderKey('report', '2026-06-15', -1, OFFICE_LABEL);
  const plan = (today: string, unsent: string[], units = [status(u)], sent: string[] = []) =>
    remindersForDay({ ...input(s, units, today, new Set(sent)), unsent: new Set(unsent) }).emails.map((e) => [
      e.key,
      e.daysLeft,
      e.retry ?? false,
    ]);

  it('a reminder logged unsent on its lead day goes out the next day, with the days that are really left', () => {
    expect(plan('2026-06-09', [key(7)])).toEqual([[key(7), 6, true]]);
    expect(plan('2026-06-11', [key(7)])).toEqual([[key(7), 4, true]]);
    // Nothing unsent: no e-mail between lead days, as before.
    expect(plan('2026-06-09', [])).toEqual([]);
  });

  it('the latest lead day stands for the earlier ones: one e-mail a day per unit and milestone', () => {
    expect(plan('2026-06-12', [key(7)])).toEqual([[key(3), 3, false]]);
    expect(plan('2026-06-13', [key(7), key(3)])).toEqual([[key(3), 2, true]]);
    // An earlier lead day's unsent key alone is not retried once a later lead day has passed.
    expect(plan('2026-06-13', [key(7)])).toEqual([]);
  });

  it('retried up to the milestone day, never after it; not once sent, not when the unit has finished', () => {
    expect(plan('2026-06-15', [key(1)])).toEqual([[key(1), 0, true]]);
    expect(plan('2026-06-16', [key(1)])).toEqual([[report, -1, false]]);
    expect(plan('2026-06-15', [key(1)], [status(u)], [key(1)])).toEqual([]);
    const done = status(u, { unscored: 0, missingEvidence: 0, missingExplanation: 0 }, []);
    expect(plan('2026-06-15', [key(1)], [done])).toEqual([]);
  });

  it('the office report is retried until the next milestone', () => {
    expect(plan('2026-06-20', [report])).toEqual([[report, -1, true]]);
    expect(plan('2026-09-14', [report]).filter((e) => e[0] === report)).toEqual([[report, -1, true]]);
    expect(plan('2026-09-15', [report]).filter((e) => e[0] === report)).toEqual([]);
    expect(plan('2026-06-20', [])).toEqual([]);
  });
});

describe('dates in the spreadsheet time zone', () => {
  it('calendarDate reads an instant in any zone; a Date cell is read in the given zone', () => {
    const instant = new Date('2026-06-14T17:30:00Z'); // 00:30 on 15/06 in Vietnam, 13:30 on 14/06 in New York
    expect(calendarDate(instant, 'Asia/Ho_Chi_Minh')).toBe('2026-06-15');
    expect(calendarDate(instant, 'America/New_York')).toBe('2026-06-14');
    expect(vietnamDate(instant)).toBe('2026-06-15');
    // Midnight of 15/06 in Paris (summer time, UTC+2) is 22:00 UTC on 14/06.
    expect(parseDay(new Date('2026-06-14T22:00:00Z'), 2026, 'Europe/Paris')).toBe('2026-06-15');
    expect(parseDay(new Date('2026-06-14T22:00:00Z'), 2026)).toBe('2026-06-15');
    expect(parseDay(new Date('2026-06-15T04:00:00Z'), 2026, 'America/New_York')).toBe('2026-06-15');
  });

  it('todayOf follows the time zone the settings were read in', () => {
    const now = new Date('2026-06-14T20:00:00Z');
    expect(todayOf(parseSettings(null, 2026, 'Asia/Ho_Chi_Minh'), now)).toBe('2026-06-15');
    expect(todayOf(parseSettings(null, 2026, 'Europe/London'), now)).toBe('2026-06-14');
    const grid = [
      ['Hạn', 'Nội dung'],
      [new Date('2026-06-15T04:00:00Z'), 'Mốc 6 tháng'],
    ];
    expect(parseSettings(grid, 2026, 'America/New_York').settings.milestones.map((m) => m.date)).toEqual(['2026-06-15']);
    expect(parseSettings(grid, 2026, 'Asia/Tokyo').settings.milestones.map((m) => m.date)).toEqual(['2026-06-15']);
  });
});
