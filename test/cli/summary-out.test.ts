/**
 * `summary --out` writes the workbook with a live `Tổng hợp`: LibreOffice opens it, recalculates every formula itself,
 * and shows the totals, percents, classes and ranks `summary --json` computes — also after a person changes scores
 * in a unit sheet of the written file. The page is set up to print A4 landscape, one page wide, the header repeated.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { run } from '../../src/cli/main';
import { SUMMARY_COL } from '../../src/core/summary/summary';
import { EXAMPLE_PATH } from '../../scripts/make-example';
import { parseCsv, sheetsAsCsv } from '../fixtures/libreoffice';
import { typeInto } from '../fixtures/xlsx-edit';

interface UnitJson {
  unit: string;
  sheet: string;
  self: { total: number; percent: number; classification: string } | null;
  rank: number | null;
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function summaryJson(file: string): Promise<UnitJson[]> {
  const r = await cli('summary', file, '--json');
  expect(r.code).toBe(0);
  return JSON.parse(r.out).units;
}

const dir = mkdtempSync(join(tmpdir(), 'chamdiem-summary-out-'));
const file = (name: string) => join(dir, name);
// 1.1.2 of the first unit from 2 to 0,5 and a penalty of 1: its total drops by 2,5.
const EDIT = { 'VP HĐND-UBND': { D9: 0.5, D48: 1 } };
let csv: Map<string, Map<string, string>>;
let stderr = '';

beforeAll(async () => {
  copyFileSync(EXAMPLE_PATH, file('input.xlsx'));
  const r = await cli('summary', file('input.xlsx'), '--out', file('tong-hop.xlsx'));
  expect(r.code).toBe(0);
  stderr = r.err;
  let edited: Uint8Array = new Uint8Array(readFileSync(file('tong-hop.xlsx')));
  let editedInput: Uint8Array = new Uint8Array(readFileSync(file('input.xlsx')));
  for (const [sheet, values] of Object.entries(EDIT)) {
    edited = await typeInto(edited, sheet, values);
    editedInput = await typeInto(editedInput, sheet, values);
  }
  writeFileSync(file('tong-hop-edited.xlsx'), edited);
  writeFileSync(file('input-edited.xlsx'), editedInput);
  csv = sheetsAsCsv([file('tong-hop.xlsx'), file('tong-hop-edited.xlsx')], join(dir, 'csv'), { recalc: true });
}, 300_000);

/** The summary table's unit rows as LibreOffice computed them, by sheet name. */
function shownRows(written: string): Map<string, string[]> {
  const text = csv.get(file(written))?.get('Tổng hợp');
  if (text === undefined) throw new Error(`no Tổng hợp in ${written}`);
  const rows = parseCsv(text);
  const header = rows.findIndex((r) => r.includes('Tổng tự chấm'));
  expect(header).toBeGreaterThan(0);
  const out = new Map<string, string[]>();
  for (const r of rows.slice(header + 1)) {
    if (!r[1]) break;
    out.set(r[1], r);
  }
  return out;
}

function expectSame(written: string, units: UnitJson[]): void {
  const rows = shownRows(written);
  let compared = 0;
  for (const u of units) {
    const row = rows.get(u.unit);
    expect([u.unit, row !== undefined]).toEqual([u.unit, true]);
    if (!row || !u.self) continue;
    const got = {
      total: Number(row[SUMMARY_COL.selfTotal]),
      percent: Number(row[SUMMARY_COL.selfPercent]),
      classification: row[SUMMARY_COL.selfClass],
      rank: Number(row[SUMMARY_COL.rank]),
    };
    expect([u.unit, got]).toEqual([
      u.unit,
      { total: u.self.total, percent: u.self.percent, classification: u.self.classification, rank: u.rank },
    ]);
    compared++;
  }
  expect(compared).toBeGreaterThanOrEqual(4);
}

describe('summary --out', () => {
  it('LibreOffice computes the same summary as summary --json', async () => {
    expectSame('tong-hop.xlsx', await summaryJson(file('input.xlsx')));
    expect(stderr).toBe('');
  });

  it('follows a score changed in a unit sheet of the written file', async () => {
    const before = await summaryJson(file('input.xlsx'));
    const after = await summaryJson(file('input-edited.xlsx'));
    // The edit changes the first unit's total (otherwise this test would prove nothing).
    expect(after[0].self?.total).not.toBe(before[0].self?.total);
    expectSame('tong-hop-edited.xlsx', after);
  });

  it('keeps every unit sheet and prints the summary A4 landscape, one page wide, the header repeated', async () => {
    const zip = await JSZip.loadAsync(readFileSync(file('tong-hop.xlsx')));
    const workbook = await zip.file('xl/workbook.xml')!.async('string');
    const input = await JSZip.loadAsync(readFileSync(file('input.xlsx')));
    const inputBook = await input.file('xl/workbook.xml')!.async('string');
    const names = (xml: string) => [...xml.matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => m[1]);
    expect(names(workbook)).toEqual([...names(inputBook), 'Tổng hợp']);
    const index = names(workbook).length - 1;
    expect(workbook).toMatch(
      new RegExp(`<definedName name="_xlnm.Print_Titles" localSheetId="${index}">'Tổng hợp'!\\$\\d+:\\$\\d+</definedName>`),
    );
    const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
    const rid = /<sheet [^>]*name="Tổng hợp"[^>]*r:id="([^"]+)"/.exec(workbook)![1];
    const target =
      new RegExp(`Id="${rid}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${rid}"`).exec(rels)![1];
    const sheet = await zip.file(`xl/${target.replace(/^\/?xl\//, '')}`)!.async('string');
    expect(sheet).toMatch(/<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"\/>/);
    expect(sheet).toMatch(/<pageSetUpPr fitToPage="1"\/>/);
    // Live cells refer to the unit sheets.
    expect(sheet).toMatch(/<f>'VP HĐND-UBND'!\$[A-Z]+\$\d+<\/f>/);
    const types = await zip.file('[Content_Types].xml')!.async('string');
    expect(types).toContain(`PartName="/xl/${target.replace(/^\/?xl\//, '')}"`);
  });
});
