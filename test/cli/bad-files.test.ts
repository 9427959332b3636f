/**
 * Bad files, read by the built command line with a ceiling on its heap and a time limit: sheets
 * that claim a million rows, zip bombs, a password-protected workbook, an Excel 97-2003 file, an
 * OpenDocument spreadsheet renamed .xlsx, and workbooks written by openpyxl and LibreOffice. Each
 * run ends within seconds, with exit code 0 and the table's own totals, or exit code 2 and a
 * message that names the problem; never a stack trace.
 *
 * Starting Node and exceljs takes a second or two, so the cases run one after the other in a single
 * child process under the ceiling (runBatch); two cases also run as the real command, alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_PATH } from '../../scripts/make-example';
import {
  buildXlsx,
  type Cell,
  compoundFile,
  convertWithLibreOffice,
  deflatedEntry,
  deflatedZeros,
  rawZip,
  requireLibreOffice,
  type SheetSpec,
  xlsxParts,
} from './xlsx-fixtures';

const CLI = join(process.cwd(), 'build', 'cli.cjs');
/** Heap ceiling: the example needs under 48 MB. */
const HEAP_MB = 128;
/** Wall-clock limit per case; the machine running the tests may be busy. */
const CASE_LIMIT_MS = 10_000;

const dir = mkdtempSync(join(tmpdir(), 'chamdiem-bad-'));
const path = (name: string) => join(dir, name);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The real command in its own process: exit code, stdout and stderr as a user sees them. */
function runCli(args: string[]): Run {
  const started = Date.now();
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, CLI, ...args], {
    encoding: 'utf8',
    timeout: 4 * CASE_LIMIT_MS,
  });
  expect({ args, signal: r.signal }).toEqual({ args, signal: null });
  expect(r.stderr).not.toMatch(/^\s+at .+[:(]\d+|heap out of memory/im);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

/**
 * Every case through the built command's run() in one child process under the heap ceiling, one
 * after the other; each case's result is printed as a JSON line as soon as it ends, so a crash
 * names the case that caused it.
 */
function runBatch(cases: Record<string, string[]>): Record<string, Run> {
  const script = `
    const { run } = require(${JSON.stringify(CLI)});
    (async () => {
      for (const [name, args] of Object.entries(JSON.parse(process.argv[1]))) {
        const out = [], err = [], started = Date.now();
        const status = await run(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
        process.stdout.write(JSON.stringify({ name, status, stdout: out.join('\\n'), stderr: err.join('\\n'), ms: Date.now() - started }) + '\\n');
      }
    })();`;
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '-e', script, JSON.stringify(cases)], {
    encoding: 'utf8',
    timeout: Object.keys(cases).length * CASE_LIMIT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  const results: Record<string, Run> = {};
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const { name, ...run } = JSON.parse(line);
    results[name] = run;
  }
  const unfinished = Object.keys(cases).find((name) => !(name in results));
  if (unfinished) throw new Error(`case "${unfinished}" did not end (${r.signal ?? `exit ${r.status}`}): ${r.stderr.slice(-2000)}`);
  return results;
}

function save(name: string, bytes: Buffer): string {
  writeFileSync(path(name), bytes);
  return path(name);
}

/** A small table; its totals are worked out by hand here. */
const TABLE: Cell[][] = [
  ['BIỂU CHẤM ĐIỂM'],
  ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm'],
  ['1', 'Tiêu chí một', 60, 50],
  ['2', 'Tiêu chí hai', 40, 30],
];
const TABLE_SELF = 50 + 30;
const TABLE_MAX = 60 + 40;
const HUGE = 'F1:XFD1048576';

function unit(extra: Partial<SheetSpec> = {}): SheetSpec {
  return { name: 'Đơn vị', rows: TABLE, ...extra };
}

/** The openpyxl-like table: groups and total as formulas without results; totals by hand. */
const OPENPYXL_ROWS: Cell[][] = [
  ['BIỂU TỰ CHẤM ĐIỂM'],
  ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm'],
  ['1', 'Nhóm một', { f: 'SUM(C4:C5)' }, { f: 'SUM(D4:D5)' }],
  ['1.1', 'a', 30, 25],
  ['1.2', 'b', 20, 20],
  ['2', 'Nhóm hai', { f: 'SUM(C7:C8)' }, { f: 'SUM(D7:D8)' }],
  ['2.1', 'c', 25, 10],
  ['2.2', 'd', 25, 15.5],
  ['', 'Tổng cộng', { f: 'C3+C6' }, { f: 'D3+D6' }],
];

const READ_CASES: Record<string, Partial<SheetSpec>> = {
  xfd: { extraRows: '<row r="1048576"><c r="XFD1048576"><v>7</v></c></row>' },
  a1048576: { extraRows: '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>ghi chú lạc</t></is></c></row>' },
  dimension: { before: '<dimension ref="A1:XFD1048576"/>' },
  merge: { after: `<mergeCells count="1"><mergeCell ref="${HUGE}"/></mergeCells>` },
  validation: {
    after: `<dataValidations count="1"><dataValidation type="decimal" sqref="${HUGE}"><formula1>0</formula1><formula2>10</formula2></dataValidation></dataValidations>`,
  },
  columns: { before: '<cols><col min="1" max="16384" width="9"/></cols>' },
  fewRanges: {
    after: `<dataValidations>${'<dataValidation type="whole" sqref="A1:D4"><formula1>0</formula1></dataValidation>'.repeat(400)}</dataValidations>`,
  },
};

const NASTY: SheetSpec = unit({
  before: '<dimension ref="A1:XFD1048576"/><cols><col min="1" max="16384" width="9"/></cols>',
  extraRows:
    '<row r="60000"><c r="B60000"><v>1</v></c></row><row r="1048576"><c r="A1048576"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row>',
  after:
    `<mergeCells count="1"><mergeCell ref="${HUGE}"/></mergeCells><dataValidations count="2">` +
    `<dataValidation type="decimal" sqref="D1:D1048576 ${HUGE}"><formula1>0</formula1><formula2>10</formula2></dataValidation>` +
    '<dataValidation type="whole" sqref="A1:XFD1048576"><formula1>0</formula1></dataValidation></dataValidations>',
});
const WHOLE_SHEET_NAME = `<definedName name="ca_trang">'Đơn vị'!$A$1:$XFD$1048576</definedName>`;

/** Every cell of a validation over the 100 × 20 data counts, 400 times over. */
const MANY_RANGES_COST = 100 * 20 + 100 + 400 * 100 * 20;

let results: Record<string, Run>;
/** Started at once, in the background: each LibreOffice conversion takes many seconds. */
let libreOffice: Promise<{ ods: string; xlsx: string }>;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('build/cli.cjs is missing: run "node build.mjs" first (npm test does).');
  libreOffice = (async () => {
    requireLibreOffice();
    const [ods, xlsx] = await Promise.all([convertWithLibreOffice(EXAMPLE_PATH, 'ods'), convertWithLibreOffice(EXAMPLE_PATH, 'xlsx')]);
    return { ods, xlsx };
  })();
  libreOffice.catch(() => undefined); // reported by the tests that need it

  const cases: Record<string, string[]> = {};
  for (const [name, spec] of Object.entries(READ_CASES))
    cases[name] = ['score', save(`${name}.xlsx`, await buildXlsx([unit(spec)])), '--json'];
  cases.name = ['score', save('name.xlsx', await buildXlsx([unit()], { definedNames: WHOLE_SHEET_NAME })), '--json'];
  const nasty = save('nasty.xlsx', await buildXlsx([NASTY], { definedNames: WHOLE_SHEET_NAME }));
  Object.assign(cases, {
    nastyScore: ['score', nasty, '--json'],
    nastyScoreOut: ['score', nasty, '--out', path('nasty-out.xlsx')],
    nastySummary: ['summary', nasty],
    nastySummaryOut: ['summary', nasty, '--json', '--out', path('nasty-summary.xlsx')],
    nastyRemind: ['remind', nasty, '--today', '2026-06-12'],
    nastyPlan: ['plan', nasty, '--out', path('nasty-plan.xlsx')],
  });

  cases.longCell = ['score', save('long-cell.xlsx', await buildXlsx([unit({ rows: [...TABLE, ['3', 'a'.repeat(40_000), 0, 0]] })]))];
  cases.longShared = ['score', save('long-shared.xlsx', await buildXlsx([unit()], { sharedStrings: ['ngắn', 'b'.repeat(40_000)] }))];
  const parts = Object.entries(xlsxParts([unit()])).map(([name, text]) => deflatedEntry(name, text));
  const zeros = await deflatedZeros(201 * 1024 * 1024);
  const bomb = (name: string, declaredSize: number) => rawZip([...parts, { name, data: zeros, method: 8, declaredSize }]);
  cases.bombTruthful = ['score', save('bomb-truthful.xlsx', bomb('xl/media/image1.png', 201 * 1024 * 1024))];
  cases.bombLying = ['score', save('bomb-lying.xlsx', bomb('xl/media/image1.png', 1000))];
  cases.bombXml = ['score', save('bomb-xml.xlsx', bomb('xl/styles.xml', 10))];
  const manyCells = Array.from({ length: 21_000 }, (_, i) => {
    const r = i + 1;
    return `<row r="${r}">${Array.from({ length: 10 }, (_, c) => `<c r="${String.fromCharCode(65 + c)}${r}"><v>${c}</v></c>`).join('')}</row>`;
  });
  cases.manyCells = ['score', save('many-cells.xlsx', await buildXlsx([{ name: 'Lớn', extraRows: manyCells.join('') }]))];
  const grid: Cell[][] = Array.from({ length: 100 }, (_, r) => Array.from({ length: 20 }, (_, c) => r * 20 + c));
  const validations = '<dataValidation type="whole" sqref="A1:T100"><formula1>0</formula1></dataValidation>'.repeat(400);
  cases.manyRanges = [
    'score',
    save('many-ranges.xlsx', await buildXlsx([{ name: 'Đơn vị', rows: grid, after: `<dataValidations>${validations}</dataValidations>` }])),
  ];

  const sheets = Array.from({ length: 1001 }, (_, i) => ({ name: `Trang ${i + 1}`, rows: [['STT', 'Tiêu chí']] as Cell[][] }));
  cases.manySheets = ['score', save('many-sheets.xlsx', await buildXlsx(sheets))];

  cases.encrypted = ['score', save('mat-khau.xlsx', compoundFile(['EncryptionInfo', 'EncryptedPackage'])), '--json'];
  cases.xlsRenamed = ['score', save('cu.xlsx', compoundFile(['Workbook'])), '--json'];
  cases.xls = ['summary', save('cu.xls', compoundFile(['Workbook']))];
  cases.docx = [
    'score',
    save('van-ban.xlsx', rawZip([deflatedEntry('[Content_Types].xml', '<Types/>'), deflatedEntry('word/document.xml', '<w:document/>')])),
  ];
  const whole = await buildXlsx([unit()]);
  cases.truncated = ['score', save('cut.xlsx', whole.subarray(0, Math.floor(whole.length / 2)))];
  cases.text = ['score', save('text.xlsx', Buffer.from('STT,Tiêu chí\n1,a\n'))];
  const sheet = xlsxParts([unit()])['xl/worksheets/sheet1.xml'];
  const damaged = [
    sheet.slice(0, sheet.length / 2),
    sheet.replace('<sheetData>', '<sheetData><row r="x"><c r="??"><v>zz</v></c></row>'),
    '\u0000\u0001',
  ];
  damaged.forEach((xml, i) => {
    const entries = Object.entries({ ...xlsxParts([unit()]), 'xl/worksheets/sheet1.xml': xml }).map(([n, t]) => deflatedEntry(n, t));
    cases[`damaged${i}`] = ['score', save(`damaged${i}.xlsx`, rawZip(entries))];
  });
  cases.openpyxl = [
    'score',
    save('openpyxl.xlsx', await buildXlsx([{ name: 'Đơn vị', rows: OPENPYXL_ROWS }], { application: 'openpyxl' })),
    '--json',
  ];

  results = runBatch(cases);
}, 240_000);

describe('every case ends within the limits', () => {
  it('within seconds each, under the heap ceiling, never with an unexpected error', () => {
    for (const [name, r] of Object.entries(results)) {
      expect({ name, status: r.status }).toEqual({ name, status: expect.any(Number) });
      expect({ name, unexpected: r.status === 1 }).toEqual({ name, unexpected: false });
      expect({ name, slow: r.ms > CASE_LIMIT_MS }).toEqual({ name, slow: false });
    }
  });
});

function tableTotals(name: string) {
  const r = results[name];
  expect({ name, status: r.status, stderr: r.stderr }).toMatchObject({ name, status: 0 });
  const sheet = JSON.parse(r.stdout).sheets.find((s: { sheet: string }) => s.sheet === 'Đơn vị');
  return { self: sheet.self, stderr: r.stderr };
}

function expectRefused(name: string, message: RegExp) {
  const r = results[name];
  expect({ name, status: r.status, stderr: r.stderr, stdout: r.stdout }).toEqual({
    name,
    status: 2,
    stderr: expect.stringMatching(message),
    stdout: '',
  });
}

describe('a sheet that claims a million rows or columns costs what its data costs', () => {
  it.each(Object.keys(READ_CASES).concat('name', 'nastyScore'))('%s: the table totals, worked out by hand', (name) => {
    expect(tableTotals(name).self).toMatchObject({ max: TABLE_MAX, total: TABLE_SELF });
  });

  it('a value far from the table is left out with a warning naming it', () => {
    expect(tableTotals('xfd').stderr).toMatch(/Trang "Đơn vị": bỏ qua 1 ô có dữ liệu nằm quá xa bảng \(XFD1048576\)/);
    expect(tableTotals('a1048576').stderr).toMatch(/bỏ qua 1 ô .*\(A1048576\)/);
    expect(tableTotals('nastyScore').stderr).toMatch(/bỏ qua 3 ô .*\(B60000, A1048576, XFD1048576\)/);
    expect(tableTotals('dimension').stderr).toBe('');
  });

  it('ranges over the whole sheet are clipped to the data, with a warning; ranges within it are kept', () => {
    expect(tableTotals('merge').stderr).toMatch(/vùng gộp ô, kiểm tra dữ liệu hoặc định dạng cột rất lớn \(F1:XFD1048576\).*đến ô D4/);
    expect(tableTotals('validation').stderr).toMatch(/\(F1:XFD1048576\)/);
    expect(tableTotals('name').stderr).toMatch(/tên vùng \(Defined Name\) rất lớn/);
    expect(tableTotals('columns').stderr).toBe(''); // 16,384 columns fit the budget
    expect(tableTotals('fewRanges').stderr).toBe('');
  });

  it('every command ends on a file with all of these at once', () => {
    for (const name of ['nastyScoreOut', 'nastySummary', 'nastySummaryOut', 'nastyRemind', 'nastyPlan']) {
      expect({ name, status: results[name].status, stderr: results[name].stderr }).toMatchObject({ name, status: 0 });
    }
    expect(existsSync(path('nasty-out.xlsx')) && existsSync(path('nasty-summary.xlsx')) && existsSync(path('nasty-plan.xlsx'))).toBe(true);
  });

  it('the real command too: one process, exit code 0, the warning on stderr and JSON on stdout', () => {
    const r = runCli(['score', path('nasty.xlsx'), '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).sheets[0].self.total).toBe(TABLE_SELF);
    expect(r.stderr).toMatch(/^Lưu ý: /m);
  });
});

describe('files beyond what Excel itself allows are refused with exit code 2', () => {
  it('a cell of 40,000 characters', () => expectRefused('longCell', /Ô B5 trang "Đơn vị" chứa 40\.000 ký tự, vượt giới hạn 32\.767/));

  it('a shared string of 40,000 characters, even if no cell shows it', () =>
    expectRefused('longShared', /chuỗi dài 40\.000 ký tự \(chuỗi thứ 2 .*vượt giới hạn 32\.767/));

  it('a zip bomb, whether its headers tell the truth or lie about the size', () => {
    expect(readFileSync(path('bomb-lying.xlsx')).length).toBeLessThan(1024 * 1024);
    expectRefused('bombTruthful', /khi giải nén vượt 200 MB \(phần "xl\/media\/image1\.png"\)/);
    expectRefused('bombLying', /khi giải nén vượt 200 MB \(phần "xl\/media\/image1\.png"\)/);
    expectRefused('bombXml', /khi giải nén có phần văn bản \(XML\) vượt 32 MB \(phần "xl\/styles\.xml"\)/); // exceljs holds text parts as strings
  });

  it('more cells than the reader keeps in memory', () => {
    expectRefused(
      'manyCells',
      new RegExp(`có ${(21_000 * 10 + 21_000).toLocaleString('vi-VN').replace('.', '\\.')} ô và hàng, vượt giới hạn 200\\.000`),
    );
  });

  it('more worksheets than a commune could have', () => expectRefused('manySheets', /có 1\.001 trang tính, vượt giới hạn 1\.000/));

  it('ranges that stay too many even within the data', () => {
    const cost = MANY_RANGES_COST.toLocaleString('vi-VN').replace('.', '\\.');
    expectRefused('manyRanges', new RegExp(`quá nhiều ô gộp, ô kiểm tra dữ liệu và tên vùng \\(${cost} ô, giới hạn 200\\.000\\)`));
  });
});

describe('files that are not .xlsx say what they are', () => {
  it('a password-protected workbook', () => expectRefused('encrypted', /Tệp ".*mat-khau\.xlsx" là tệp có mật khẩu/));

  it('an Excel 97-2003 workbook, renamed .xlsx or not', () => {
    expectRefused('xlsRenamed', /là tệp Excel 97-2003 \(\.xls\)/);
    expectRefused('xls', /là tệp Excel 97-2003 \(\.xls\)/);
  });

  it('a .docx renamed .xlsx, a truncated .xlsx and a text file', () => {
    expectRefused('docx', /Không đọc được tệp .*không có phần xl\/workbook\.xml/);
    expectRefused('truncated', /Không đọc được tệp/);
    expectRefused('text', /Không đọc được tệp .*không phải tệp nén ZIP/);
  });

  it('damaged parts inside a sound zip end with exit code 2 or are read', () => {
    for (const name of ['damaged0', 'damaged1', 'damaged2']) expect([0, 2]).toContain(results[name].status);
  });

  it('the real command: exit code 2, one line on stderr', () => {
    const r = runCli(['score', path('mat-khau.xlsx')]);
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 2, stdout: '' });
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Lỗi: Tệp .* là tệp có mật khẩu/)]);
  });
});

describe('workbooks written by other programs', () => {
  it('an .xlsx as openpyxl writes it: inline strings, formulas without results, no dimension', () => {
    const r = results.openpyxl;
    expect(r.status).toBe(0);
    const sheet = JSON.parse(r.stdout).sheets[0];
    expect(sheet.self).toMatchObject({ max: 30 + 20 + 25 + 25, total: 25 + 20 + 10 + 15.5 });
    const rules: string[] = sheet.findings.map((f: { rule: string }) => f.rule);
    expect(rules.filter((rule) => /formula-no-result|subtotal-mismatch|total-mismatch|unscored/.test(rule))).toEqual([]);
    expect(r.stderr).toMatch(/6 công thức không lưu sẵn kết quả .*đã tự tính 6 công thức\./);
  });

  it('an OpenDocument spreadsheet, renamed .xlsx or not, is named as such', async () => {
    const { ods } = await libreOffice;
    for (const name of ['renamed.xlsx', 'bang-tinh.ods']) {
      const r = runCli(['score', save(name, readFileSync(ods))]);
      expect({ status: r.status, stderr: r.stderr }).toEqual({
        status: 2,
        stderr: expect.stringMatching(/là tệp OpenDocument bảng tính \(\.ods\)/),
      });
    }
  }, 240_000);

  it('an .xlsx written by LibreOffice is read like the original', async () => {
    const { xlsx } = await libreOffice;
    const totals = (file: string) => {
      const r = runCli(['score', file, '--json']);
      expect(r.status).toBe(0);
      return JSON.parse(r.stdout).sheets.map((s: { sheet: string; criteria: number; self: unknown; appraisal: unknown }) => [
        s.sheet,
        s.criteria,
        s.self,
        s.appraisal,
      ]);
    };
    const original = totals(EXAMPLE_PATH);
    expect(original.length).toBeGreaterThan(3);
    expect(totals(xlsx)).toEqual(original);
  }, 240_000);
});
