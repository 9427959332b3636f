import { resultEmails, resultKey, resultUnits } from '../../../src/core/reminders/result';
import { OFFICE_LABEL } from '../../../src/core/reminders/types';
import { defaultSettings, type Settings, type Unit } from '../../../src/core/settings/settings';
import { scored } from '../../helpers';

const HEADER = [
  'STT',
  'Tiêu chí',
  'Điểm tối đa',
  'Điểm tự chấm',
  'Minh chứng',
  'Điểm thẩm định',
  'Lý do điều chỉnh',
  'Giải trình sau thẩm định',
  'Điểm sau giải trình',
  'Lý do điều chỉnh lần 2',
];

/**
 * 1.1 (30): self 30, appraised 20, appealed, final 28. 1.2 (30): self 25 = appraisal, kept.
 * 2 (40): self 40, appraised 30, appealed, final 40 (the appeal accepted in full). 3: a penalty of 1.
 */
function appealedSheet(reason11 = 'Kế hoạch ban hành chậm <5 ngày>') {
  const row = (...cells: unknown[]) => [...cells, ...Array(HEADER.length - cells.length).fill('')];
  return scored([
    row('BIỂU CHẤM ĐIỂM'),
    HEADER,
    row('1', 'Nhóm 1', 60),
    row('1.1', 'Ban hành kế hoạch', 30, 30, 'https://x/1', 20, reason11, 'Đã ban hành đúng hạn', 28, 'Chấp nhận một phần'),
    row('1.2', 'Báo cáo định kỳ', 30, 25, 'https://x/2', 25),
    row('2', 'Ứng dụng CNTT', 40, 40, 'https://x/3', 30, 'Thiếu số liệu', 'Số liệu có trong báo cáo năm', 40, 'Chấp nhận'),
    row('II', 'Điểm trừ'),
    row('1', 'Bị phê bình', 1, 1, 'Công văn 12', 1),
  ]);
}

function unit(over: Partial<Unit>): Unit {
  return { name: 'Văn phòng', sheet: 'VP', focal: 'Chị Lan', email: 'vp@xa.gov.vn', phone: '', sensitive: false, ...over };
}

function settings(units: Unit[]): Settings {
  const s = defaultSettings(2026);
  s.commune = 'Phước Chánh';
  s.officeEmail = 'vanphong@xa.gov.vn';
  s.domains = ['xa.gov.vn'];
  s.units = units;
  return s;
}

const TODAY = '2026-12-20';

describe('result e-mails', () => {
  const vp = unit({});
  const s = settings([vp, unit({ name: 'Trạm <Y tế> & "Dân số"', sheet: 'TYT', email: 'tyt@gmail.com, tyt@xa.gov.vn' })]);
  const result = appealedSheet();
  const units = [
    { unit: s.units[0], sheetId: 11, result },
    { unit: s.units[1], sheetId: 12, result: appealedSheet('<script>alert(1)</script>') },
  ];
  const plan = resultEmails({
    today: TODAY,
    settings: s,
    units,
    spreadsheetUrl: 'https://docs.google.com/spreadsheets/d/x/edit',
    alreadySent: new Set(),
  });

  it('sends one e-mail per unit to its official addresses, the office in CC, and lists the refused ones', () => {
    expect(plan.emails.map((e) => [e.kind, e.unit, e.to, e.cc])).toEqual([
      ['result', 'Văn phòng', ['vp@xa.gov.vn'], ['vanphong@xa.gov.vn']],
      ['result', 'Trạm <Y tế> & "Dân số"', ['tyt@xa.gov.vn'], ['vanphong@xa.gov.vn']],
    ]);
    expect(plan.skipped).toEqual([{ unit: 'Trạm <Y tế> & "Dân số"', email: 'tyt@gmail.com', reason: 'personal-email' }]);
  });

  it('says the official result: the final scores after the appeal', () => {
    // final: 28 + 25 + 40 = 93, less the penalty 1: 92 of 100, "Xuất sắc" (≥ 90).
    expect(result.official).toBe('final');
    const e = plan.emails[0];
    expect(e.subject).toBe('[Kết quả CCHC 2026] Văn phòng: 92 điểm, xếp loại Xuất sắc');
    expect(e.textBody).toContain('- 92/100 điểm (92%), xếp loại Xuất sắc.');
    expect(e.textBody).toContain('Điểm tự chấm: 94; điểm thẩm định: 74.');
    expect(e.textBody).toContain('theo điểm thẩm định lại sau giải trình');
  });

  it('lists the criteria changed at each stage with the council reasons, and what to remedy', () => {
    const text = plan.emails[0].textBody;
    expect(text).toContain(
      '- 1.1. Ban hành kế hoạch: tự chấm 30 → thẩm định 20 (lý do: Kế hoạch ban hành chậm <5 ngày>) → sau giải trình 28 ' +
        '(lý do: Chấp nhận một phần)',
    );
    expect(text).toContain('- 2. Ứng dụng CNTT: tự chấm 40 → thẩm định 30 (lý do: Thiếu số liệu) → sau giải trình 40 (lý do: Chấp nhận)');
    expect(text).not.toContain('- 1.2. Báo cáo định kỳ: tự chấm');
    const remedies = text.slice(text.indexOf('cần khắc phục'));
    // 1.1 (28 of 30), 1.2 (25 of 30) and the penalty; 2 reached its max after the appeal.
    expect(remedies).toContain('- 1.1. Ban hành kế hoạch: 28/30');
    expect(remedies).toContain('- 1.2. Báo cáo định kỳ: 25/30');
    expect(remedies).toContain('- 1. Bị phê bình: trừ 1');
    expect(remedies).not.toContain('Ứng dụng CNTT');
  });

  it('escapes everything quoted from the sheet in the HTML', () => {
    const [first, second] = plan.emails;
    expect(first.htmlBody).toContain('Kế hoạch ban hành chậm &lt;5 ngày&gt;');
    expect(second.htmlBody).not.toContain('<script>');
    expect(second.htmlBody).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(second.htmlBody).toContain('Trạm &lt;Y tế&gt; &amp; &quot;Dân số&quot;');
    expect(first.htmlBody).toContain('href="https://docs.google.com/spreadsheets/d/x/edit#gid=11"');
  });

  it('sends nothing twice: a key per year and sheet, whatever the day', () => {
    const sent = new Set(plan.emails.map((e) => e.key));
    expect([...sent]).toEqual([resultKey(2026, 'VP'), resultKey(2026, 'TYT')]);
    const again = resultEmails({ today: '2026-12-21', settings: s, units, spreadsheetUrl: '', alreadySent: sent });
    expect(again.emails).toEqual([]);
    // the same sheet listed twice is mailed once
    const twice = resultEmails({ today: TODAY, settings: s, units: [units[0], units[0]], spreadsheetUrl: '', alreadySent: new Set() });
    expect(twice.emails).toHaveLength(1);
  });

  it('reports a refused office address and mails the units without CC', () => {
    const bad = settings([vp]);
    bad.officeEmail = 'vanphong@yahoo.com';
    const p = resultEmails({ today: TODAY, settings: bad, units: [units[0]], spreadsheetUrl: '', alreadySent: new Set() });
    expect(p.emails.map((e) => e.cc)).toEqual([[]]);
    expect(p.skipped).toEqual([{ unit: OFFICE_LABEL, email: 'vanphong@yahoo.com', reason: 'personal-email' }]);
  });

  it('matches the settings units with their scored sheets', () => {
    const scores = new Map<string, ReturnType<typeof appealedSheet> | string>([
      ['vp', result],
      ['TYT', 'không có bảng'],
    ]);
    expect(resultUnits(s, scores).map((u) => u.unit.sheet)).toEqual(['VP']);
  });
});
