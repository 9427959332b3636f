import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleSettings, unitGrid, EXAMPLE_PATH } from '../../scripts/make-example';
import { UNITS } from '../../scripts/example-data';
import { parseArgs } from '../../src/cli/args';
import { remind } from '../../src/cli/commands/remind';
import { CliError } from '../../src/cli/args';

async function runRemind(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  await remind(parseArgs(['remind', ...argv]), { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { out, err };
}

const OFFICE = 'vhxh.phuocchanh@gialai.gov.vn';

describe('remind command', () => {
  it('--json: one object with the documented shape, 3 days before 15/6', async () => {
    const { out, err } = await runRemind(EXAMPLE_PATH, '--today', '2026-06-12', '--json');
    expect(out).toHaveLength(1);
    expect(err).toEqual([]);
    const json = JSON.parse(out[0]);
    expect(Object.keys(json)).toEqual(['today', 'emails', 'skipped']);
    expect(json.today).toBe('2026-06-12');
    for (const e of json.emails) {
      expect(Object.keys(e)).toEqual(['kind', 'unit', 'to', 'cc', 'milestone', 'daysLeft', 'subject', 'pending']);
      expect(Object.keys(e.pending)).toEqual(['unscored', 'missingEvidence', 'missingExplanation']);
    }
    expect(json.emails).toEqual([
      {
        kind: 'reminder',
        unit: 'Trung tâm Phục vụ hành chính công xã',
        to: ['ttpvhcc.phuocchanh@gialai.gov.vn'],
        cc: [OFFICE],
        milestone: '2026-06-15',
        daysLeft: 3,
        subject: '[Nhắc hạn CCHC] Trung tâm Phục vụ hành chính công xã: còn 3 ngày đến hạn 15/06/2026',
        pending: { unscored: 3, missingEvidence: 2, missingExplanation: 1 },
      },
      {
        kind: 'reminder',
        unit: 'Công an xã',
        to: ['congan.phuocchanh@gialai.gov.vn'],
        cc: [OFFICE],
        milestone: '2026-06-15',
        daysLeft: 3,
        subject: '[Nhắc hạn CCHC] Công an xã: còn 3 ngày đến hạn 15/06/2026',
        pending: { unscored: 0, missingEvidence: 0, missingExplanation: 2 },
      },
    ]);
    expect(json.skipped).toEqual([
      { unit: 'Ban Chỉ huy Quân sự xã', email: '', reason: 'missing-email' },
      { unit: 'Trạm Y tế xã', email: 'tramyte.phuocchanh@gmail.com', reason: 'personal-email' },
    ]);
    for (const s of json.skipped) expect(Object.keys(s)).toEqual(['unit', 'email', 'reason']);
  });

  it('--json on the day after a milestone: the office report only', async () => {
    const { out } = await runRemind(EXAMPLE_PATH, '--today', '2026-09-16', '--json');
    const json = JSON.parse(out[0]);
    expect(json.emails).toEqual([
      {
        kind: 'report',
        unit: 'Cơ quan thường trực',
        to: [OFFICE],
        cc: [],
        milestone: '2026-09-15',
        daysLeft: -1,
        subject: '[Báo cáo CCHC] Tình hình cập nhật sau mốc 15/09/2026',
        pending: { unscored: 29, missingEvidence: 3, missingExplanation: 3 },
      },
    ]);
    expect(json.skipped).toEqual([]);
  });

  it('prints a readable Vietnamese listing without --json', async () => {
    const { out } = await runRemind(EXAMPLE_PATH, '--today', '2026-11-09');
    const text = out.join('\n');
    expect(text).toContain(`Nhắc hạn ngày 09/11/2026 cho tệp ${EXAMPLE_PATH} (chạy thử: không gửi email nào).`);
    expect(text).toContain('Sẽ gửi 2 email:');
    expect(text).toContain('Tiêu đề: [Nhắc hạn CCHC] Công an xã: còn 1 ngày đến hạn 10/11/2026');
    expect(text).toContain(`Người nhận: congan.phuocchanh@gialai.gov.vn; CC: ${OFFICE}`);
    expect(text).toContain('- Trạm Y tế xã: "tramyte.phuocchanh@gmail.com" - email cá nhân, không phải email công vụ');
    expect(text).toContain('- Ban Chỉ huy Quân sự xã: (trống) - thiếu email hoặc email không hợp lệ');
  });

  it('says so on a day without e-mails and names the next milestone', async () => {
    const { out } = await runRemind(EXAMPLE_PATH, '--today', '2026-06-13');
    expect(out.join('\n')).toContain('Hôm nay không có email nào cần gửi.\nMốc cập nhật kế tiếp: 15/06/2026.');
  });

  it('--today is required and must be a real YYYY-MM-DD date', async () => {
    await expect(runRemind(EXAMPLE_PATH, '--json')).rejects.toThrow(CliError);
    await expect(runRemind(EXAMPLE_PATH)).rejects.toThrow(/Thiếu --today/);
    for (const bad of ['2026-02-30', '2026-13-01', '12/06/2026', '2026-6-12', 'mai']) {
      const p = runRemind(EXAMPLE_PATH, '--today', bad, '--json');
      await expect(p).rejects.toThrow(CliError);
      await expect(runRemind(EXAMPLE_PATH, '--today', bad)).rejects.toThrow(`--today "${bad}" không phải ngày hợp lệ`);
    }
  });

  it('a missing file is a CliError', async () => {
    await expect(runRemind('khong-co.xlsx', '--today', '2026-06-12')).rejects.toThrow(CliError);
  });

  it('a workbook without "Cấu hình": defaults, Vietnamese warnings, nobody to mail', async () => {
    const book = new ExcelJS.Workbook();
    const settings = exampleSettings();
    const ws = book.addWorksheet(UNITS[1].sheet);
    for (const row of unitGrid(UNITS[1], settings)) ws.addRow(row.map((v) => (v === '' ? null : v)));
    const file = join(mkdtempSync(join(tmpdir(), 'nhac-han-')), 'khong-cau-hinh.xlsx');
    await book.xlsx.writeFile(file);
    const { out, err } = await runRemind(file, '--today', '2026-06-12', '--json');
    expect(JSON.parse(out[0])).toEqual({ today: '2026-06-12', emails: [], skipped: [] });
    expect(err.join('\n')).toContain('Tệp không có trang "Cấu hình"');
    expect(err.join('\n')).toContain('không có ai để nhắc');
  });
});
