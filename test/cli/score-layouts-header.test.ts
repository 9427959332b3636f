/**
 * The whole path for header layouts: a real .xlsx written with exceljs (merged header cells, a
 * percentage-formatted Cấu hình, look-alike sheet names) read by `score --json`. Totals by hand.
 */
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main';
import { SNAPSHOT_HEADERS } from '../../src/core/sheet/own-sheets';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Rows from row 1; `merges` in A1 notation, written after the values (only top-left cells hold one). */
function addSheet(wb: ExcelJS.Workbook, name: string, rows: unknown[][], merges: string[] = []) {
  const ws = wb.addWorksheet(name);
  rows.forEach((cells, r) => {
    cells.forEach((v, c) => {
      if (v !== '' && v !== null && v !== undefined) ws.getCell(r + 1, c + 1).value = v as ExcelJS.CellValue;
    });
  });
  for (const m of merges) ws.mergeCells(m);
  return ws;
}

describe('score --json on two-row headers written by Excel', () => {
  it('reads merged group headers, the year and percentage thresholds from the file', async () => {
    const wb = new ExcelJS.Workbook();
    const cfg = addSheet(wb, 'Cấu hình', [
      ['CẤU HÌNH CHẤM ĐIỂM CCHC/CDS'],
      ['Năm', 2025],
      ['Ngưỡng Xuất sắc (%)', 0.9],
      ['Ngưỡng Tốt (%)', 0.8],
      ['Ngưỡng Khá (%)', 0.65],
      ['Ngưỡng Trung bình (%)', 0.5],
    ]);
    for (let r = 3; r <= 6; r++) cfg.getCell(r, 2).numFmt = '0%';

    // "Điểm" over "Tối đa | Tự chấm | Thẩm định"; STT, Tiêu chí, Minh chứng merged down over rows 3–4.
    addSheet(
      wb,
      'Đơn vị A',
      [
        ['BIỂU TỰ CHẤM ĐIỂM CẢI CÁCH HÀNH CHÍNH NĂM 2025'],
        [],
        ['STT', 'Tiêu chí', 'Điểm', '', '', 'Minh chứng'],
        ['', '', 'Tối đa', 'Tự chấm', 'Thẩm định', ''],
        ['1', 'Công tác chỉ đạo, điều hành', '', '', '', ''],
        ['1.1', 'Kế hoạch cải cách hành chính', 40, 35, 30, 'https://x/1'],
        ['1.2', 'Báo cáo định kỳ', 60, 50, 58, 'https://x/2'],
      ],
      ['A1:F1', 'A3:A4', 'B3:B4', 'C3:E3', 'F3:F4'],
    );
    // Only the merged area ties "Điểm thẩm định" to "Lần 1 | Lần 2": the second row alone is a complete header.
    addSheet(
      wb,
      'Đơn vị B',
      [
        ['', '', '', '', 'Điểm thẩm định', ''],
        ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', 'Lần 1', 'Lần 2'],
        ['1', 'Tiêu chí A', 50, 45, 40, 44],
        ['2', 'Tiêu chí B', 50, 40, 35, 50],
      ],
      ['E1:F1'],
    );
    // Last year's and this year's self scores under one merged "Điểm tự chấm".
    addSheet(
      wb,
      'Đơn vị C',
      [
        ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', ''],
        ['', '', '', 'Năm 2024', 'Năm 2025'],
        ['1', 'Tiêu chí A', 60, 40, 55],
        ['2', 'Tiêu chí B', 40, 30, 38.5],
      ],
      ['A1:A2', 'B1:B2', 'C1:C2', 'D1:E1'],
    );
    addSheet(wb, 'Tong hop', [
      ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm'],
      ['1', 'Tiêu chí A', 70, 33],
      ['2', 'Tiêu chí B', 30, 7],
    ]);
    addSheet(wb, 'Lưu trữ', [SNAPSHOT_HEADERS, ['01/06/2025', '15/6', 'Đơn vị A', '1.1', 'Kế hoạch', 40, 35, '']]);
    const file = join(mkdtempSync(join(tmpdir(), 'chamdiem-')), 'hai-hang.xlsx');
    await wb.xlsx.writeFile(file);

    const r = await cli('score', file, '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.skipped).toEqual(['Cấu hình', 'Lưu trữ']);
    const by = (name: string) => json.sheets.find((s: { sheet: string }) => s.sheet === name);
    expect(json.sheets.map((s: { sheet: string }) => s.sheet)).toEqual(['Đơn vị A', 'Đơn vị B', 'Đơn vị C', 'Tong hop']);

    const a = by('Đơn vị A');
    expect(a.headerRow).toBe(4);
    expect(a.criteria).toBe(2);
    // 35 + 50 = 85 of 100: "Tốt" with thresholds 90/80 read from the 0.9/0.8 cells (not "Xuất sắc" at 0.9 %).
    expect(a.self).toMatchObject({ max: 100, total: 85, percent: 85, classification: 'Tốt' });
    expect(a.appraisal).toMatchObject({ total: 30 + 58, classification: 'Tốt' });

    const b = by('Đơn vị B');
    expect(b.headerRow).toBe(2);
    expect(b.self.total).toBe(45 + 40);
    expect(b.appraisal.total).toBe(40 + 35);

    const c = by('Đơn vị C');
    expect(c.headerRow).toBe(2);
    expect(c.self.total).toBe(55 + 38.5);

    // 33 + 7 = 40 of 100: "Yếu".
    expect(by('Tong hop').self).toMatchObject({ total: 40, percent: 40, classification: 'Yếu' });
    expect(r.err).toContain('"Ngưỡng Xuất sắc (%)" được lưu là 0,9 (ô định dạng phần trăm, 90%): đọc là 90.');
  });
});
