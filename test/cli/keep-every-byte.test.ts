/**
 * `score --out` edits a copy of the input package: every part of the workbook survives. Checked with
 * readers that share nothing with the writer: the raw zip read by the test's own XML reader, and
 * LibreOffice.
 */
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { run } from '../../src/cli/main';
import { NOTE_MARKER } from '../../src/core/sheet/notes';
import { EXAMPLE_PATH } from '../../scripts/make-example';
import { convert, parseCsv, sheetsAsCsv } from '../fixtures/libreoffice';
import { diffPackages, type PackageDiff, type ScoredFindings } from '../fixtures/package-diff';
import { buildRichWorkbook, RICH_EXPECTED, RICH_SHEET } from '../fixtures/rich-workbook';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

interface SheetJson extends ScoredFindings {
  self: { total: number; percent: number; classification: string };
  appraisal: { total: number; percent: number; classification: string } | null;
}

const scoreJson = async (file: string): Promise<SheetJson[]> => {
  const r = await cli('score', file, '--json');
  expect(r.code).toBe(0);
  return JSON.parse(r.out).sheets;
};

interface Case {
  input: string;
  output: string;
  sheets: SheetJson[];
  diff: PackageDiff;
}

const dir = mkdtempSync(join(tmpdir(), 'chamdiem-bytes-'));
const cases = new Map<string, Case>();
let csv: Map<string, Map<string, string>>;

async function scoreCase(name: string, input: string): Promise<void> {
  const output = join(dir, `${name}-out.xlsx`);
  const r = await cli('score', input, '--out', output);
  expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: expect.any(String) });
  const sheets = await scoreJson(input);
  const diff = await diffPackages(readFileSync(input), readFileSync(output), sheets);
  cases.set(name, { input, output, sheets, diff });
}

beforeAll(async () => {
  const example = join(dir, 'example.xlsx');
  copyFileSync(EXAMPLE_PATH, example);
  const rich = join(dir, 'rich.xlsx');
  writeFileSync(rich, await buildRichWorkbook());
  // The same workbook as LibreOffice writes it (its own notes, drawings and chart parts).
  convert([rich], 'xlsx', join(dir, 'lo'));
  const richLo = join(dir, 'rich-lo.xlsx');
  renameSync(join(dir, 'lo', 'rich.xlsx'), richLo);
  await scoreCase('example', example);
  await scoreCase('rich', rich);
  await scoreCase('rich-lo', richLo);
  // An annotated copy scored again: our own notes are refreshed, not repeated.
  const again = join(dir, 'rich-again.xlsx');
  copyFileSync(cases.get('rich')!.output, again);
  await scoreCase('rich-again', again);
  const files = [...cases.values()].flatMap((c) => [c.input, c.output]);
  csv = sheetsAsCsv(files, join(dir, 'csv'));
}, 300_000);

/** Writes in the table's columns (A to F in the rich workbook; the result block is beside it). */
const inTable = (writes: Map<string, unknown>, lastCol: string) =>
  Object.fromEntries([...writes].filter(([ref]) => /^[A-Z]+/.exec(ref)![0] <= lastCol));

describe('score --out keeps every part of the workbook', () => {
  it('the example (no notes yet): parts created, every typed value kept, empty totals filled with formulas', () => {
    const { diff } = cases.get('example')!;
    // group 1 by hand from the example's leaves: 1.1 (1 + 2) + 1.2 (1 + 1 + 2) + 1.3 (2 + 2 + 2) + 1.4 (0)
    expect(diff.writes.get('VP HĐND-UBND')!.get('D6')).toBe(13);
    expect(diff.formulas.get('VP HĐND-UBND')!.get('D6')).toMatch(/^SUM\(D7,D10,D14,/);
    expect(diff.writes.get('VP HĐND-UBND')!.get('D49')).toBe(98.5);
    expect(diff.writes.get('Phụ lục 2024')!.has('D53')).toBe(false); // the typed (wrong) subtotal stays
    // The example has a settings sheet: the class formula refers to its thresholds.
    const block = [...diff.texts.get('VP HĐND-UBND')!].find(([, t]) => t === 'Xếp loại')![0];
    const classCell = `${String.fromCharCode(block.charCodeAt(0) + 1)}${block.slice(1)}`;
    expect(diff.formulas.get('VP HĐND-UBND')!.get(classCell)).toContain("'Cấu hình'!$B$");
  });

  it.each(['rich', 'rich-lo'])('%s: notes, formulas, validations, charts and images survive; only empty totals are filled', (name) => {
    const { diff, output } = cases.get(name)!;
    expect(inTable(diff.writes.get(RICH_SHEET)!, 'F')).toEqual(RICH_EXPECTED.writes);
    const notes = diff.notes.get(RICH_SHEET)!;
    // The person's notes are there word for word (checked as XML by the diff), ours beside D8's.
    expect(notes.get('D8')).toBe('Số liệu do bộ phận một cửa cung cấp.');
    expect(notes.get('E8')).toBe('Bản scan ở thư mục chung.');
    expect(notes.get('F8')).toMatch(
      new RegExp(`^${NOTE_MARKER}\\nVề ô D8 \\(ô này đã có ghi chú riêng\\):\\n• Cảnh báo: Điểm tự chấm "15"`),
    );
    expect(notes.get('F13')).toBe('Ô này để trống có chủ ý.');
    expect(notes.get('D11')).toMatch(/chưa tự chấm/);
    expect(notes.get('D12')).toMatch(/ghi 26 nhưng tổng các mục con là 28/);
    expect(diff.notes.get('Ẩn')!.get('A2')).toBe('Ghi chú trên trang ẩn.');
    // The person's validation of D7:D14 stays theirs: the add-on validates no cell of it.
    expect(diff.validations.get(RICH_SHEET)).toEqual([]);
    // The person's conditional format is kept (checked by the diff); ours are added beside it.
    expect(diff.rules.get(RICH_SHEET)!.map((r) => r.sqref)).toContain('D7:D8 D10:D11 D13:D14');
    expect(existsSync(output)).toBe(true);
  });

  it('an annotated copy scored again keeps its notes, formulas, rules and validations once', () => {
    const first = cases.get('rich')!.diff;
    const again = cases.get('rich-again')!.diff;
    // Only the block's time and to-do texts may change (the minute may have turned).
    expect([...again.changed.get(RICH_SHEET)!].filter((ref) => !again.texts.get(RICH_SHEET)!.has(ref))).toEqual([]);
    for (const ref of again.texts.get(RICH_SHEET)!.keys()) expect(first.texts.get(RICH_SHEET)!.has(ref)).toBe(true);
    expect(again.writes.get(RICH_SHEET)).toEqual(first.writes.get(RICH_SHEET));
    expect(again.rules.get(RICH_SHEET)).toEqual(first.rules.get(RICH_SHEET));
    expect(again.validations.get(RICH_SHEET)).toEqual(first.validations.get(RICH_SHEET));
    expect(again.notes.get(RICH_SHEET)).toEqual(first.notes.get(RICH_SHEET));
  });

  it.each(['example', 'rich', 'rich-lo', 'rich-again'])('%s: LibreOffice reads the same values, plus the filled cells', (name) => {
    const c = cases.get(name)!;
    const before = csv.get(c.input)!;
    const after = csv.get(c.output)!;
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [sheet, text] of before) {
      const grid = parseCsv(text);
      const got = parseCsv(after.get(sheet)!);
      const written = [...(c.diff.writes.get(sheet) ?? []), ...(c.diff.texts.get(sheet) ?? [])];
      for (const [ref, value] of written) {
        const m = /^([A-Z]+)(\d+)$/.exec(ref)!;
        const col = [...m[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
        const row = (grid[Number(m[2]) - 1] ??= []);
        while (row.length < col) row.push('');
        row[col] = String(value ?? '');
      }
      const width = Math.max(...grid.map((r) => r.length), ...got.map((r) => r.length));
      const pad = (rows: string[][]) => rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''));
      const height = Math.max(grid.length, got.length);
      const full = (rows: string[][]) => pad([...rows, ...Array.from({ length: height - rows.length }, () => [])]);
      expect({ sheet, rows: full(got) }).toEqual({ sheet, rows: full(grid) });
    }
  });

  it('LibreOffice shows every note of the annotated copy', () => {
    const out = cases.get('rich')!.output;
    convert([out], 'fods', join(dir, 'fods'));
    const fods = readFileSync(join(dir, 'fods', `${basename(out, '.xlsx')}.fods`), 'utf8');
    const annotations = [...fods.matchAll(/<office:annotation\b[\s\S]*?<\/office:annotation>/g)].map((m) =>
      [...m[0].matchAll(/<text:p[^>]*>([\s\S]*?)<\/text:p>/g)].map((p) => p[1].replace(/<[^>]+>/g, '').replace(/&quot;/g, '"')).join('\n'),
    );
    const expected = [...cases.get('rich')!.diff.notes.values()].flatMap((n) => [...n.values()]);
    expect(annotations.sort()).toEqual(expected.sort());
  });

  it.each(['example', 'rich', 'rich-lo'])('%s: the annotated copy scores to the same totals', async (name) => {
    const c = cases.get(name)!;
    const totals = (sheets: SheetJson[]) => sheets.map((s) => ({ sheet: s.sheet, self: s.self, appraisal: s.appraisal }));
    expect(totals(await scoreJson(c.output))).toEqual(totals(c.sheets));
    if (name !== 'example') expect(c.sheets.find((s) => s.sheet === RICH_SHEET)!.self.total).toBe(RICH_EXPECTED.selfTotal);
  });
});

describe('an output file that is the input file is refused', () => {
  const input = join(dir, 'goc.xlsx');
  beforeAll(() => copyFileSync(EXAMPLE_PATH, input));

  const spellings = (): [string, string][] => {
    const sub = join(dir, 'con');
    mkdirSync(sub, { recursive: true });
    const link = join(dir, 'lien-ket.xlsx');
    if (!existsSync(link)) symlinkSync(input, link);
    const hard = join(dir, 'cung-tep.xlsx');
    if (!existsSync(hard)) linkSync(input, hard);
    const linkedDir = join(dir, 'thu-muc-lien-ket');
    if (!existsSync(linkedDir)) symlinkSync(dir, linkedDir);
    return [
      ['the same path', input],
      ['another spelling', join(sub, '..', 'goc.xlsx')],
      ['a relative path', relative(process.cwd(), input)],
      ['a symlink to it', link],
      ['a hard link to it', hard],
      ['through a linked folder', join(linkedDir, 'goc.xlsx')],
    ];
  };

  it.each([['score'], ['summary'], ['plan']])('%s --out', async (command) => {
    const before = readFileSync(input);
    for (const [how, out] of spellings()) {
      const r = await cli(command, input, '--out', out);
      expect({ how, code: r.code, err: r.err }).toEqual({ how, code: 2, err: expect.stringMatching(/chính là tệp đầu vào/) });
      expect(readFileSync(input).equals(before)).toBe(true);
    }
    // Nothing else was left in the folder (no temporary file).
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('summary and plan write new workbooks and leave the input as it was', async () => {
    const before = readFileSync(input);
    expect((await cli('summary', input, '--out', join(dir, 'tong-hop.xlsx'))).code).toBe(0);
    expect((await cli('plan', input, '--out', join(dir, 'ke-hoach.xlsx'))).code).toBe(0);
    expect(readFileSync(input).equals(before)).toBe(true);
  });

  it('an output that cannot be written: exit 2, no file, no temporary file left', async () => {
    const out = join(dir, 'khong-co-thu-muc', 'ket-qua.xlsx');
    const r = await cli('score', input, '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Không ghi được tệp/);
    expect(existsSync(out)).toBe(false);
  });
});
