/**
 * score --out on small workbooks made for one rule each: a person's subtotal formula, a workbook
 * without a settings sheet, a formula too long for Excel.
 */
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main';
import { EXCEL_FORMULA_CHARS } from '../../src/cli/xlsx/live';
import { DEFAULT_THRESHOLDS } from '../../src/core/engine/classify';
import { HEADER } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'chamdiem-live-'));

/** A one-sheet workbook "Đơn vị" (title, header on row 2, then `rows`), scored with --out. */
async function scoreOut(name: string, rows: ExcelJS.CellValue[][]) {
  const input = join(dir, `${name}.xlsx`);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Đơn vị');
  ws.addRow(['BIỂU CHẤM ĐIỂM']);
  ws.addRow(HEADER);
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(input);
  const out = join(dir, `${name}-out.xlsx`);
  const err: string[] = [];
  const printed: string[] = [];
  expect(await run(['score', input, '--out', out, '--json'], { out: (t) => printed.push(t), err: (t) => err.push(t) })).toBe(0);
  const written = new ExcelJS.Workbook();
  await written.xlsx.readFile(out);
  return { ws: written.getWorksheet('Đơn vị')!, err: err.join('\n'), json: JSON.parse(printed.join('\n')).sheets[0] };
}

it("a person's subtotal formula that misses a child stays, with a note giving the right one; the total adds up the criteria", async () => {
  const { ws, json } = await scoreOut('cong-thuc', [
    ['1', 'Nhóm 1', 6, { formula: 'SUM(D4)', result: 2 }],
    ['1.1', 'a', 3, 2, null, 'MC'],
    ['1.2', 'b', 3, 3, null, 'MC'],
    ['2', 'Nhóm 2', 4, null],
    ['2.1', 'c', 4, 4, null, 'MC'],
    [null, 'Tổng cộng', null, null],
  ]);
  expect(ws.getCell('D3').formula).toBe('SUM(D4)');
  expect(String(ws.getCell('D3').note)).toMatch(/Công thức tổng chưa đúng: thiếu mục 1\.2\. Công thức đúng: =SUM\(.*D4.*D5.*\)/);
  expect(json.findings.map((f: { rule: string; cell: string }) => `${f.rule} ${f.cell}`)).toContain('subtotal-formula D3');
  // By hand: 2 + 3 + 4 = 9, whatever the person's formula shows.
  expect(ws.getCell('D8').result).toBe(9);
  expect(ws.getCell('D8').formula).not.toMatch(/\bD3\b/);
});

it('without a settings sheet the class formula holds the thresholds as numbers', async () => {
  const { ws } = await scoreOut('khong-cau-hinh', [
    ['1', 'Nhóm 1', 6, null],
    ['1.1', 'a', 3, 2, 'Giải trình', 'MC'],
    ['1.2', 'b', 3, 3, null, 'MC'],
  ]);
  const label = ws.getColumn(10).values.indexOf('Xếp loại');
  const formula = ws.getCell(label, 11).formula;
  expect(formula).not.toContain('!');
  for (const t of Object.values(DEFAULT_THRESHOLDS)) expect(formula).toContain(`*100-${t}*`);
  // By hand: 5 of 6 points = 83,3 %, between the default 80 (Tốt) and 90 (Xuất sắc).
  expect(ws.getCell(label, 11).result).toBe('Tốt');
});

it('a formula too long for Excel is left out with a message; every other one is written', async () => {
  // 60 groups of two leaves: the applicable max refers to 60 separate runs of leaves, in both stages.
  const rows: ExcelJS.CellValue[][] = [];
  for (let g = 1; g <= 60; g++)
    rows.push([String(g), `Nhóm ${g}`, 2], [`${g}.1`, 'a', 1, 1, null, 'MC', 1], [`${g}.2`, 'b', 1, 1, null, 'MC', 1]);
  const { ws, err } = await scoreOut('dai', rows);
  const formulas: string[] = [];
  ws.eachRow((row) =>
    row.eachCell((cell) => {
      if (cell.type === ExcelJS.ValueType.Formula) formulas.push(cell.formula);
    }),
  );
  expect(formulas.length).toBeGreaterThan(120);
  expect(Math.max(...formulas.map((f) => f.length))).toBeLessThanOrEqual(EXCEL_FORMULA_CHARS);
  // The appraisal's applicable max (the block's second value column, on its first formula row) is the one left out.
  expect(err).toMatch(/trang "Đơn vị": công thức tự tính ở ô [A-Z]+3\b.*dài quá 8\.192 ký tự/);
});
