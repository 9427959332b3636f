/** The live workbook stays one Excel can open: no formula past Excel's 8.192 characters. */
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main';
import { EXCEL_FORMULA_CHARS } from '../../src/cli/xlsx/live';
import { HEADER } from '../helpers';

it('a formula too long for Excel is left out with a message; every other one is written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'chamdiem-limits-'));
  const input = join(dir, 'dai.xlsx');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Đơn vị');
  ws.addRow(['BIỂU CHẤM ĐIỂM']);
  ws.addRow(HEADER);
  // 60 groups of two leaves: the applicable max refers to 60 separate runs of leaves, in both stages.
  for (let g = 1; g <= 60; g++) {
    ws.addRow([String(g), `Nhóm ${g}`, 2, null, null, null, null]);
    ws.addRow([`${g}.1`, 'a', 1, 1, null, 'MC', 1]);
    ws.addRow([`${g}.2`, 'b', 1, 1, null, 'MC', 1]);
  }
  await wb.xlsx.writeFile(input);
  const out = join(dir, 'ket-qua.xlsx');
  const err: string[] = [];
  expect(await run(['score', input, '--out', out], { out: () => {}, err: (t) => err.push(t) })).toBe(0);
  const written = new ExcelJS.Workbook();
  await written.xlsx.readFile(out);
  const formulas: string[] = [];
  written.getWorksheet('Đơn vị')!.eachRow((row) =>
    row.eachCell((cell) => {
      if (cell.type === ExcelJS.ValueType.Formula) formulas.push(cell.formula);
    }),
  );
  expect(formulas.length).toBeGreaterThan(120);
  expect(Math.max(...formulas.map((f) => f.length))).toBeLessThanOrEqual(EXCEL_FORMULA_CHARS);
  // The appraisal's applicable max (the block's second value column, on its first formula row) is the one left out.
  expect(err.join('\n')).toMatch(/trang "Đơn vị": công thức tự tính ở ô [A-Z]+3\b.*dài quá 8\.192 ký tự/);
});
