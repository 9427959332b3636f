import { REMEDY_PLAN_HEADERS, SHEET_NAMES } from '../../src/core/sheet/own-sheets';
import ExcelJS from 'exceljs';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_PATH } from '../../scripts/make-example';
import { parseArgs } from '../../src/cli/args';
import { remedyPlan } from '../../src/cli/commands/remedy-plan';
import { CliError } from '../../src/cli/args';
import { readWorkbook, workbookInputs } from '../../src/cli/xlsx/read';

import { sheet } from '../helpers';

const tmp = () => mkdtempSync(join(tmpdir(), 'chamdiem-plan-'));

async function runPlan(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  await remedyPlan(parseArgs(['plan', ...argv]), { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { out: out.join('\n'), err: err.join('\n') };
}

describe('plan command', () => {
  const dir = tmp();
  const file = join(dir, 'ke-hoach.xlsx');
  let printed: { out: string; err: string };

  beforeAll(async () => {
    printed = await runPlan(EXAMPLE_PATH, '--out', file);
  });

  it('prints how many criteria each unit keeps up and remedies', () => {
    expect(printed.err).toBe('');
    expect(printed.out.split('\n')).toEqual([
      'Kế hoạch duy trì, khắc phục CCHC năm 2026 - xã Phước Chánh',
      '- Văn phòng HĐND và UBND xã: 28 tiêu chí "Duy trì", 3 tiêu chí "Khắc phục" (theo điểm thẩm định)',
      '- Trung tâm Phục vụ hành chính công xã: 25 tiêu chí "Duy trì", 5 tiêu chí "Khắc phục" (theo điểm tự chấm)',
      '- Công an xã: 27 tiêu chí "Duy trì", 3 tiêu chí "Khắc phục", 1 chưa tính điểm (theo điểm tự chấm)',
      '- Ban Chỉ huy Quân sự xã: 29 tiêu chí "Duy trì", 2 tiêu chí "Khắc phục", 1 chưa tính điểm (theo điểm tự chấm)',
      '- Trạm Y tế xã: 2 tiêu chí "Duy trì", 28 tiêu chí "Khắc phục" (theo điểm tự chấm)',
      // the appeal restored 3.3; 5.3 (3 of 4) and 7.2 (4 of 5) stay short after the final round
      '- Phòng Kinh tế xã: 28 tiêu chí "Duy trì", 2 tiêu chí "Khắc phục" (theo điểm sau giải trình)',
      `Đã ghi trang "Kế hoạch khắc phục" vào "${file}".`,
    ]);
  });

  it('writes a "Kế hoạch khắc phục" sheet with titles, one block per unit, bold groups, wrapping and widths', async () => {
    const wb = await readWorkbook(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual([SHEET_NAMES.remedyPlan]);
    const ws = wb.getWorksheet(SHEET_NAMES.remedyPlan)!;
    const grid = workbookInputs(wb)[0].grid;
    expect(ws.getCell('A1').value).toBe('PHỤ LỤC');
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect(String(ws.getCell('A2').value)).toMatch(/^Nhiệm vụ duy trì, giải pháp khắc phục .* năm 2026$/);
    expect((ws.model as unknown as { merges: string[] }).merges).toEqual(expect.arrayContaining(['A1:H1', 'A2:H2', 'A3:H3']));

    const headers = grid.map((row, i) => (row[0] === 'STT' ? i + 1 : 0)).filter(Boolean);
    expect(headers).toHaveLength(6);
    for (const r of headers) expect(grid[r - 1]).toEqual(REMEDY_PLAN_HEADERS);
    expect(grid[headers[0] - 2][1]).toBe('Đơn vị: Văn phòng HĐND và UBND xã');

    const rowOf = (outline: string, from: number) => {
      for (let r = from; r <= grid.length; r++) if (grid[r - 1][0] === outline) return r;
      throw new Error(outline);
    };
    const group = rowOf('3', headers[0]);
    const leaf = rowOf('3.2', headers[0]);
    expect(ws.getRow(group).font?.bold).toBe(true);
    expect(ws.getRow(leaf).font?.bold).toBeFalsy();
    expect(grid[leaf - 1].slice(0, 7)).toEqual([
      '3.2',
      'Số hóa hồ sơ, kết quả giải quyết TTHC',
      5,
      4.5,
      4,
      'Khắc phục',
      'Văn phòng HĐND và UBND xã',
    ]);
    expect(ws.getCell(leaf, 2).alignment?.wrapText).toBe(true);
    expect(ws.getColumn(2).width).toBeGreaterThan(40);
    expect(ws.getColumn(8).width).toBeGreaterThan(30);
  });

  it('gives the counts as JSON with --json', async () => {
    const r = await runPlan(EXAMPLE_PATH, '--out', join(dir, 'b.xlsx'), '--json');
    const json = JSON.parse(r.out);
    expect(json.units[0]).toEqual({
      unit: 'Văn phòng HĐND và UBND xã',
      sheet: 'VP HĐND-UBND',
      maintain: 28,
      remedy: 3,
      notAssessed: 0,
      basis: 'appraisal',
      problem: null,
    });
    expect(json.units).toHaveLength(6);
  });

  it('refuses to run without --out', async () => {
    await expect(runPlan(EXAMPLE_PATH)).rejects.toThrow(CliError);
    await expect(runPlan(EXAMPLE_PATH)).rejects.toThrow(/Thiếu --out/);
    await expect(runPlan(join(dir, 'khong-co.xlsx'), '--out', join(dir, 'c.xlsx'))).rejects.toThrow(/Không tìm thấy tệp/);
    expect(existsSync(join(dir, 'c.xlsx'))).toBe(false);
  });

  it('uses the defaults and every score sheet when the file has no "Cấu hình" sheet', async () => {
    const src = join(dir, 'khong-cau-hinh.xlsx');
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet('Biểu A');
    for (const row of sheet(['1', 'Phần A', 60], ['1.1', 'a', 60, 30, 'chưa đạt', 'l'], ['2', 'b', 40, 40, '', 'l'])) ws.addRow(row);
    book.addWorksheet('Ghi chú').addRow(['Không phải biểu chấm']);
    await book.xlsx.writeFile(src);
    const r = await runPlan(src, '--out', join(dir, 'd.xlsx'));
    expect(r.err).toContain('Lưu ý: Tệp không có trang "Cấu hình": dùng giá trị mặc định.');
    expect(r.out).toContain('- Biểu A: 1 tiêu chí "Duy trì", 1 tiêu chí "Khắc phục" (theo điểm tự chấm)');
    expect(r.out).not.toContain('Ghi chú');
    const grid = workbookInputs(await readWorkbook(join(dir, 'd.xlsx')))[0].grid;
    expect(grid.find((row) => row[0] === '1.1')!.slice(0, 7)).toEqual(['1.1', 'a', 60, 30, '', 'Khắc phục', 'Biểu A']);
  });
});
