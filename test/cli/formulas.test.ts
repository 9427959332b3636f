/**
 * Formulas saved without their result (workbooks written by scripts): computed when the engine
 * can, checked against HyperFormula (an independent engine, used in tests only); otherwise
 * reported as "công thức chưa có kết quả", never as "chưa tự chấm".
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HyperFormula } from 'hyperformula';
import { run } from '../../src/cli/main';
import { computeFormulas, type PendingFormula } from '../../src/cli/xlsx/formulas';
import { UncomputedFormula } from '../../src/core/engine/numbers';
import { scoreGrid } from '../../src/core/engine/score';
import { buildXlsx, type Cell } from './xlsx-fixtures';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Grids holding numbers, text and formulas ("=…"), as a workbook written by a script would. */
type Book = Record<string, (string | number | null)[][]>;

/** The reader's side: formulas become UncomputedFormula cells, then computeFormulas fills what it can. */
function computeBook(book: Book): Map<string, unknown[][]> {
  const grids = new Map<string, unknown[][]>();
  const pending: PendingFormula[] = [];
  for (const [sheet, rows] of Object.entries(book)) {
    grids.set(
      sheet,
      rows.map((cells, r) =>
        cells.map((v, c) => {
          if (typeof v !== 'string' || !v.startsWith('=')) return v ?? '';
          pending.push({ sheet, row: r + 1, col: c + 1, formula: v.slice(1) });
          return new UncomputedFormula(v);
        }),
      ),
    );
  }
  computeFormulas(grids, pending);
  return grids;
}

/** HyperFormula's value for every formula cell of the book. */
function hyperFormulaValues(book: Book): Map<string, unknown> {
  const hf = HyperFormula.buildFromSheets(book as Record<string, (string | number | null)[][]>, { licenseKey: 'gpl-v3' });
  const values = new Map<string, unknown>();
  for (const [sheet, rows] of Object.entries(book)) {
    rows.forEach((cells, r) =>
      cells.forEach((v, c) => {
        if (typeof v === 'string' && v.startsWith('='))
          values.set(`${sheet}!${r}:${c}`, hf.getCellValue({ sheet: hf.getSheetId(sheet)!, row: r, col: c }));
      }),
    );
  }
  hf.destroy();
  return values;
}

describe('computeFormulas', () => {
  it('computes what a spreadsheet computes, in the order of dependencies, across sheets', () => {
    // A chain written upwards (each row reads the next one), sums over ranges, cross-sheet reads,
    // text, logic and rounding: every value compared with HyperFormula.
    const chain = Array.from({ length: 30 }, (_, i) => [i === 29 ? '=1' : `=A${i + 2}+1`]);
    const book: Book = {
      Chuỗi: chain,
      'Đơn vị': [
        ['=SUM(B2:B4)', '=B2*2', "='Dữ liệu'!B2/4"],
        [null, 10, '=ROUND(A1/3, 2)'],
        [null, 2.5, '=IF(SUM(\'Dữ liệu\'!B1:B3)>40,"đạt","chưa đạt")'],
        [null, '=B1-B2', "=AVERAGE(B2:B3)+'Chuỗi'!A1"],
      ],
      'Dữ liệu': [
        ['x', 12],
        ['y', 27.5],
        ['z', 5],
      ],
    };
    const grids = computeBook(book);
    const expected = hyperFormulaValues(book);
    expect(expected.size).toBe(30 + 7);
    for (const [key, value] of expected) {
      const [sheet, at] = key.split('!');
      const [r, c] = at.split(':').map(Number);
      expect([key, grids.get(sheet)![r][c]]).toEqual([key, value]);
    }
  });

  it('leaves uncomputed what it cannot compute faithfully, and what depends on it', () => {
    const book: Book = {
      S: [
        ['=B1+1', '=A1+1'], // a cycle
        ["='Không có'!A1", '=A2*2'], // a sheet that does not exist, and a cell reading it
        ['=ten_vung+1', '=RAND()'], // a defined name; a function whose result changes
        ['=XLOOKUP(1,C1:C2,C1:C2)', '=1/0'], // a function the engine lacks; an error Excel would show
        ['=SUM(A5:A6)', 3], // a range holding itself
      ],
    };
    const grid = computeBook(book).get('S')!;
    const uncomputed = grid
      .flatMap((row, r) => row.map((v, c) => (v instanceof UncomputedFormula ? `${r + 1}:${c + 1}` : null)))
      .filter(Boolean);
    expect(uncomputed).toEqual(['1:1', '1:2', '2:1', '2:2', '3:1', '3:2', '4:1', '5:1']);
    expect(grid[3][1]).toBe('#DIV/0!');
  });
});

describe('a workbook written by a script, scored', () => {
  // Two groups of two criteria. Self scores: =1+1, a read of another sheet, a function the engine
  // lacks, and a formula reading the first; the groups' subtotals are SUM formulas; none is cached.
  const rows: Cell[][] = [
    ['BIỂU TỰ CHẤM ĐIỂM'],
    ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm'],
    ['1', 'Nhóm một', { f: 'SUM(C4:C5)' }, { f: 'SUM(D4:D5)' }],
    ['1.1', 'a', 20, { f: '1+1' }],
    ['1.2', 'b', 30, { f: "'Dữ liệu'!B2" }],
    ['2', 'Nhóm hai', { f: 'SUM(C7:C8)' }, { f: 'SUM(D7:D8)' }],
    ['2.1', 'c', 25, { f: "_xlfn.XLOOKUP(\"y\",'Dữ liệu'!A1:A3,'Dữ liệu'!B1:B3)" }],
    ['2.2', 'd', 25, { f: 'D4*5' }],
    ['', 'Tổng cộng', { f: 'C3+C6' }, null],
  ];
  const data: Cell[][] = [
    ['x', 12],
    ['y', 27.5],
    ['z', 5],
  ];
  let file: string;

  beforeAll(async () => {
    file = join(mkdtempSync(join(tmpdir(), 'chamdiem-f-')), 'openpyxl.xlsx');
    writeFileSync(
      file,
      await buildXlsx(
        [
          { name: 'Đơn vị', rows },
          { name: 'Dữ liệu', rows: data },
        ],
        { application: 'openpyxl' },
      ),
    );
  });

  it('counts what could be computed and reports the rest as a formula without a result', async () => {
    const r = await cli('score', file, '--json');
    expect(r.code).toBe(0);
    const sheet = JSON.parse(r.out).sheets.find((s: { sheet: string }) => s.sheet === 'Đơn vị');
    // By hand: 1+1 = 2; 'Dữ liệu'!B2 = 27.5; XLOOKUP not computed, so 0; D4*5 = 10.
    expect(sheet.self).toMatchObject({ max: 20 + 30 + 25 + 25, total: 2 + 27.5 + 0 + 10 });
    const findings = sheet.findings.map((f: { rule: string; cell: string }) => `${f.rule} ${f.cell}`);
    expect(findings).toEqual(expect.arrayContaining(['formula-no-result D7', 'formula-no-result D6']));
    expect(findings.filter((f: string) => /^(unscored|subtotal-mismatch|max-sum-mismatch|score-not-number) /.test(f))).toEqual([]);
    const leaf = sheet.findings.find((f: { cell: string }) => f.cell === 'D7');
    expect(leaf.message).toMatch(/là công thức =XLOOKUP\(.*\) chưa có kết quả .*được tính là 0/);
    const group = sheet.findings.find((f: { cell: string }) => f.cell === 'D6');
    expect(group.message).toMatch(/=SUM\(D7:D8\) chưa có kết quả .*công cụ dùng tổng các mục con/);
    expect(r.err).toMatch(/Tệp có 9 công thức không lưu sẵn kết quả .*đã tự tính 7 công thức, còn 2 công thức không tính được/);
  });

  it('the summary does not count it as unscored', async () => {
    const r = await cli('summary', file, '--json');
    expect(r.code).toBe(0);
    const unit = JSON.parse(r.out).units.find((u: { sheet: string }) => u.sheet === 'Đơn vị');
    expect(unit.pending.unscored).toBe(0);
  });
});

describe('the core reads an uncomputed formula as its own kind', () => {
  it('a leaf score that is a formula without a result: a finding, not "unscored"', () => {
    const result = scoreGrid([
      ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm'],
      ['1', 'a', 60, new UncomputedFormula('=FOO(1)')],
      ['2', 'b', 40, ''],
    ]);
    if (!result.ok) throw new Error(result.reason);
    const rules = result.findings.map((f) => `${f.rule} ${f.cell}`);
    expect(rules).toEqual(expect.arrayContaining(['formula-no-result D2', 'unscored D3']));
    expect(rules).not.toContain('unscored D2');
    expect(result.self.total).toBe(0);
  });
});
