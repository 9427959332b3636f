import ExcelJS from 'exceljs';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main';
import { cellValue, readWorkbook, workbookInputs } from '../../src/cli/xlsx/read';
import { buildExampleWorkbook, EXAMPLE_PATH } from '../../scripts/make-example';

const EXAMPLE = EXAMPLE_PATH;

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'chamdiem-'));

describe('score command', () => {
  it('prints one JSON object with the documented shape', async () => {
    const r = await cli('score', EXAMPLE, '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(['file', 'skipped', 'sheets']);
    expect(json.skipped).toEqual(['Cấu hình']);
    expect(json.sheets.map((s: { sheet: string }) => s.sheet)).toEqual([
      'VP HĐND-UBND',
      'TT PVHCC',
      'Công an xã',
      'Ban CHQS',
      'Trạm Y tế',
      'Phòng Kinh tế',
      'Phụ lục 2024',
    ]);
    const vp = json.sheets[0];
    expect(Object.keys(vp)).toEqual(['sheet', 'headerRow', 'criteria', 'self', 'appraisal', 'final', 'official', 'findings']);
    expect(vp).toMatchObject({ headerRow: 5, criteria: 30 });
    expect(Object.keys(vp.self)).toEqual([
      'max',
      'applicableMax',
      'main',
      'bonus',
      'penalty',
      'total',
      'percent',
      'classification',
      'complete',
      'scored',
      'applicable',
    ]);
    expect(vp.self).toMatchObject({ complete: true, scored: 30, applicable: 30 });
    expect(vp.appraisal.classification).toBe('Xuất sắc');
    expect(Object.keys(vp.findings[0])).toEqual(['rule', 'severity', 'row', 'cell', 'outline', 'message']);
    const chqs = json.sheets.find((s: { sheet: string }) => s.sheet === 'Ban CHQS');
    expect(chqs.self.applicableMax).toBe(96); // digital signature "Chưa tính điểm" leaves the denominator
    expect(chqs.appraisal).toBeNull();
    expect(chqs.findings.map((f: { rule: string }) => f.rule)).toEqual(
      expect.arrayContaining(['score-above-max', 'score-not-number', 'bonus-over-cap', 'penalty-without-basis']),
    );
  });

  it('prints a Vietnamese report by default', async () => {
    const r = await cli('score', EXAMPLE);
    expect(r.code).toBe(0);
    expect(r.out).toContain('━━ VP HĐND-UBND ━━');
    expect(r.out).toMatch(/Xếp loại\s+Xuất sắc\s+Xuất sắc/);
    expect(r.out).toContain('Bỏ qua trang "Cấu hình"');
  });

  it('--out writes formulas for subtotals and totals, notes and highlights, and keeps every typed value', async () => {
    const out = join(tmp(), 'ket-qua.xlsx');
    const r = await cli('score', EXAMPLE, '--out', out);
    expect(r.code).toBe(0);
    const before = await readWorkbook(EXAMPLE);
    const after = await readWorkbook(out);
    const json = JSON.parse((await cli('score', EXAMPLE, '--json')).out);
    for (const sheet of json.sheets) {
      const a = before.getWorksheet(sheet.sheet)!;
      const b = after.getWorksheet(sheet.sheet)!;
      const result = (await import('../../src/core/engine/score')).scoreGrid(
        workbookInputs(before).find((s) => s.name === sheet.sheet)!.grid,
      );
      if (!result.ok) throw new Error('unrecognised');
      // every typed value is kept, typed subtotals included; only empty computed cells are filled
      a.eachRow({ includeEmpty: false }, (row, r) => {
        row.eachCell({ includeEmpty: false }, (cell, c) => {
          expect([sheet.sheet, cell.address, cellValue(b.getCell(r, c).value)]).toEqual([sheet.sheet, cell.address, cellValue(cell.value)]);
        });
      });
      // An empty computed cell gets the add-on's formula, showing the engine's value.
      for (const c of result.computed) {
        if (cellValue(a.getCell(c.row, c.col + 1).value) !== '') continue;
        const cell = b.getCell(c.row, c.col + 1);
        expect([sheet.sheet, cell.address, cell.formula.includes('N("Chấm điểm tự động")'), cell.result]).toEqual([
          sheet.sheet,
          cell.address,
          true,
          c.value,
        ]);
      }
      for (const f of sheet.findings) {
        const cell = b.getCell(f.cell);
        expect(String(cell.note)).toContain(f.message);
        expect((cell.fill as ExcelJS.FillPattern).fgColor?.argb).toMatch(/^FF[0-9A-F]{6}$/);
      }
    }
    const appendix = after.getWorksheet('Phụ lục 2024')!;
    expect(appendix.getCell('D53').value).toBe(11); // the typed (wrong) subtotal of group 5 is kept…
    expect(appendix.getCell('D53').note).toMatch(/ghi 11 nhưng tổng các mục con là 10,5/); // …and explained
    expect(appendix.getCell('D54').note).toMatch(/ghi 3 nhưng tổng các mục con là 2,5/);
    const vp = after.getWorksheet('VP HĐND-UBND')!;
    expect(vp.getCell('D6').result).toBe(13); // empty group cell filled
    expect(vp.getCell('D49').result).toBe(98.5); // total row
  });

  it('exits 2 with a clear message for a missing, non-xlsx or unreadable file', async () => {
    const dir = tmp();
    const bad = join(dir, 'hong.xlsx');
    writeFileSync(bad, 'not a zip');
    const txt = join(dir, 'a.csv');
    writeFileSync(txt, 'a,b');
    for (const [args, msg] of [
      [['score', join(dir, 'khong-co.xlsx')], /Không tìm thấy tệp/],
      [['score', txt], /không phải tệp \.xlsx/],
      [['score', bad], /Không đọc được tệp/],
      [['score'], /Thiếu tên tệp/],
      [['score', EXAMPLE, '--out'], /Thiếu giá trị sau --out/],
      [['lam-gi'], /Không có lệnh "lam-gi"/],
    ] as [string[], RegExp][]) {
      const r = await cli(...args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.err).toMatch(msg);
    }
  });

  it('the built command prints only JSON on stdout and sets the exit code', () => {
    const stdout = execFileSync('node', ['build/cli.cjs', 'score', EXAMPLE, '--json'], { encoding: 'utf8' });
    expect(JSON.parse(stdout).sheets).toHaveLength(7);
    const missing = spawnSync('node', ['build/cli.cjs', 'score', 'khong-co.xlsx'], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('Không tìm thấy tệp');
  });
});

describe('the bundled example workbook', () => {
  it('is what the generator makes (regenerate with npm run example)', async () => {
    const committed = workbookInputs(await readWorkbook(EXAMPLE));
    const fresh = new ExcelJS.Workbook();
    await fresh.xlsx.load((await buildExampleWorkbook().xlsx.writeBuffer()) as ArrayBuffer);
    expect(workbookInputs(fresh).map((s) => [s.name, s.grid])).toEqual(committed.map((s) => [s.name, s.grid]));
  });
});

describe('summary command', () => {
  it('prints the units in the settings order with ranks and pending counts', async () => {
    const r = await cli('summary', EXAMPLE, '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.units.map((u: { sheet: string }) => u.sheet)).toEqual([
      'VP HĐND-UBND',
      'TT PVHCC',
      'Công an xã',
      'Ban CHQS',
      'Trạm Y tế',
      'Phòng Kinh tế',
    ]);
    expect(Object.keys(json.units[0])).toEqual(['unit', 'sheet', 'self', 'appraisal', 'final', 'official', 'stage', 'rank', 'pending']);
    // not every unit has an appraisal, so the rank follows the self percent
    const bySelf = [...json.units].sort((a, b) => b.self.percent - a.self.percent).map((u: { sheet: string }) => u.sheet);
    expect(json.units.filter((u: { rank: number }) => u.rank === 1).map((u: { sheet: string }) => u.sheet)).toEqual([bySelf[0]]);
    expect(json.units.find((u: { sheet: string }) => u.sheet === 'TT PVHCC').pending).toEqual({
      unscored: 3,
      missingEvidence: 2,
      missingExplanation: 1,
    });
  });

  it('--out writes a Tổng hợp workbook', async () => {
    const out = join(tmp(), 'tong-hop.xlsx');
    expect((await cli('summary', EXAMPLE, '--out', out)).code).toBe(0);
    const wb = await readWorkbook(out);
    const ws = wb.getWorksheet('Tổng hợp')!;
    expect(String(ws.getCell('A1').value)).toContain('BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM CCHC NĂM 2026');
    expect(ws.getCell('B5').value).toBe('Văn phòng HĐND và UBND xã');
  });
});

describe('layout problems in an .xlsx', () => {
  it('reports merged score cells and hidden rows', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Đơn vị');
    ws.addRow(['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm']);
    ws.addRow(['1', 'a', 50, 50]);
    ws.addRow(['2', 'b', 30, null]);
    ws.addRow(['3', 'c', 20, 20]);
    ws.mergeCells('D2:D3');
    ws.getRow(4).hidden = true;
    const file = join(tmp(), 'gop.xlsx');
    await wb.xlsx.writeFile(file);
    const json = JSON.parse((await cli('score', file, '--json')).out);
    const rules = json.sheets[0].findings.map((f: { rule: string; cell: string }) => `${f.rule} ${f.cell}`);
    expect(rules).toEqual(expect.arrayContaining(['merged-cells D2', 'hidden-row A4', 'unscored D3']));
  });
});

describe('settings from the workbook', () => {
  it('the offline scorer uses the thresholds of its Cấu hình sheet', async () => {
    const wb = await readWorkbook(EXAMPLE);
    const cfg = wb.getWorksheet('Cấu hình')!;
    cfg.eachRow((row) => {
      if (row.getCell(1).value === 'Ngưỡng Xuất sắc (%)') row.getCell(2).value = 99;
    });
    const file = join(tmp(), 'nguong.xlsx');
    await wb.xlsx.writeFile(file);
    const json = JSON.parse((await cli('score', file, '--json')).out);
    const vp = json.sheets.find((s: { sheet: string }) => s.sheet === 'VP HĐND-UBND');
    expect(vp.self).toMatchObject({ percent: 98.5, classification: 'Tốt' });
  });
});

describe('a sheet downloaded from Google Sheets', () => {
  it('leaves out the add-on result block beside the table', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Đơn vị');
    ws.addRow(['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', null, 'KẾT QUẢ CHẤM ĐIỂM (tự động)', 'Tự chấm', 'Thẩm định']);
    ws.addRow(['1', 'a', 100, 90, null, 'Điểm tối đa áp dụng', 100, null]);
    const file = join(tmp(), 'tai-ve.xlsx');
    await wb.xlsx.writeFile(file);
    const json = JSON.parse((await cli('score', file, '--json')).out);
    expect(json.sheets[0].appraisal).toBeNull(); // the block's "Thẩm định" is not the appraisal column
    expect(json.sheets[0].self.total).toBe(90);
  });
});
