/**
 * The layouts of layouts-tree.test.ts together in one real .xlsx written with exceljs, read
 * through the CLI (`score --json`, the text report and `--out`), totals worked out by hand.
 */
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../../src/cli/main';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

// Columns: STT, Tiêu chí, Điểm tối đa, Điểm tự chấm, Điểm thẩm định. Sheet rows from 1.
const ROWS: unknown[][] = [
  ['UBND XÃ PHƯỚC CHÁNH'], // 1
  ['BIỂU TỰ CHẤM ĐIỂM CẢI CÁCH HÀNH CHÍNH NĂM 2026'], // 2
  ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', 'Điểm thẩm định'], // 3
  ['(1)', '(2)', '(3)', '(4)', '(5)'], // 4: column numbers
  ['A', 'ĐIỂM THƯỞNG (tối đa 4 điểm)', 4], // 5: bonus above the criteria
  ['1', 'Sáng kiến được công nhận', null, 1, 1], // 6
  ['B', 'TIÊU CHÍ ĐÁNH GIÁ', 100], // 7: main again
  ['I', 'Công tác chỉ đạo, điều hành', 20], // 8
  ['1', 'Kế hoạch CCHC', 20], // 9
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => [Number(`1.${k}`), `Nội dung 1.${k}`, 1, 1, 1]), // 10-18: STT typed as numbers
  [1.1, 'Nội dung 1.10', 11, 10, 10], // 19: 1.10 typed as a number
  [null, '- Hoàn thành đúng hạn: 11 điểm', 11], // 20: a scoring guide, not an item
  [null, 'Cộng phần I', 20, 19, 19], // 21: section total, right
  ['II', 'Cải cách thủ tục hành chính', 80], // 22
  ['1', 'Bộ phận một cửa', 50, 45, 40], // 23
  [null, '• Tiếp nhận, trả kết quả đúng quy định'], // 24: description
  ['2', 'Dịch vụ công trực tuyến', 30], // 25
  ['2.1', 'Tỷ lệ hồ sơ trực tuyến', 15, 15], // 26: not appraised yet
  ['2.2', 'Thanh toán trực tuyến', 15, 12], // 27: not appraised yet
  [null, 'Cộng phần II', 80, 70], // 28: section total, wrong (45 + 27 = 72)
  ['C', 'ĐIỂM TRỪ'], // 29
  ['1', 'Chậm báo cáo quý II', null, 0.5, 0.5], // 30
  [null, 'TỔNG CỘNG (A + B - C)', 100, 91.5], // 31: the sheet's total
  [null, 'NGƯỜI LẬP BIỂU'], // 32
  [null, 'Nguyễn Văn An'], // 33
];

// By hand. Self: I = 9 × 1 + 10 = 19; II = 45 + 15 + 12 = 72; main 91; bonus 1; penalty 0,5;
// total 91,5 of 100 → Xuất sắc; 13 leaves (1.1–1.10, II.1, 2.1, 2.2 = 10 + 1 + 2).
// Appraisal: 9 + 10 + 40 = 59 main, bonus 1, penalty 0,5 → 59,5; 11 of 13 leaves appraised.
describe('a province-style sheet as a real .xlsx through the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chamdiem-layout-'));
  const file = join(dir, 'bieu-cham-diem.xlsx');

  beforeAll(async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('UBND xã');
    for (const row of ROWS) ws.addRow(row);
    await wb.xlsx.writeFile(file);
  });

  it('score --json gives the totals, the stage progress and the findings', async () => {
    const r = await cli('score', file, '--json');
    expect(r.code).toBe(0);
    const [sheet] = JSON.parse(r.out).sheets;
    expect(sheet).toMatchObject({ sheet: 'UBND xã', headerRow: 3, criteria: 13 });
    expect(sheet.self).toEqual({
      max: 100,
      applicableMax: 100,
      main: 91,
      bonus: 1,
      penalty: 0.5,
      total: 91.5,
      percent: 91.5,
      classification: 'Xuất sắc',
      complete: true,
      scored: 13,
      applicable: 13,
    });
    expect(sheet.appraisal).toMatchObject({ main: 59, total: 59.5, complete: false, scored: 11, applicable: 13 });
    expect(sheet.findings.map((f: { rule: string; cell: string }) => `${f.rule} ${f.cell}`)).toEqual([
      'outline-as-number A19',
      'section-total-mismatch D28',
    ]);
  });

  it('the text report gives the appraisal progress instead of a class', async () => {
    const r = await cli('score', file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Tổng điểm\s+91,5\s+59,5/);
    expect(r.out).toMatch(/Xếp loại\s+Xuất sắc\s+chưa xếp loại/);
    expect(r.out).toContain('đã thẩm định 11/13 tiêu chí');
  });

  it('--out fills the empty subtotals with formulas, an appraisal subtotal blank for a group nobody appraised', async () => {
    const out = join(dir, 'ket-qua.xlsx');
    expect((await cli('score', file, '--out', out)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet('UBND xã')!;
    const v = (ref: string) => ws.getCell(ref).value;
    // What the add-on's formula shows (a blank result reads as no result).
    const shown = (ref: string) =>
      ws.getCell(ref).formula?.includes('Chấm điểm tự động') ? (ws.getCell(ref).result ?? '') : '(no formula)';
    // group 1 (row 9): self 19, appraisal 19; group 2 (row 25): self 27, appraisal blank until appraised
    expect([shown('D9'), shown('E9'), shown('D25'), shown('E25')]).toEqual([19, 19, 27, '']);
    // typed values stay, the wrong section total included
    expect([v('D28'), v('A19'), v('D31')]).toEqual([70, 1.1, 91.5]);
    expect(ws.getCell('D28').note).toBeTruthy();
  });
});
