/**
 * The workbook `score --out` writes is live in another spreadsheet program: LibreOffice opens it,
 * recalculates every formula itself (a throw-away profile set to always recalculate), and shows
 * the same subtotals, totals, percents and classes as `score --json` — also after a person changes
 * scores and a threshold in the file, and when the file has lost every saved result.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkbook } from '../../src/cli/inputs';
import { run } from '../../src/cli/main';
import { livePlans } from '../../src/cli/xlsx/live';
import { fromMicro } from '../../src/core/engine/decimal';
import type { ScoredSheet, Stage, StageResult } from '../../src/core/engine/score';
import { a1, parseA1Cell } from '../../src/core/engine/text';
import { BLOCK_ROWS } from '../../src/core/sheet/formulas';
import { HIGHLIGHT } from '../../src/core/sheet/notes';
import { findResultBlock } from '../../src/core/sheet/result-block';
import { EXAMPLE_PATH } from '../../scripts/make-example';
import { buildRichWorkbook, RICH_EXPECTED, RICH_SHEET } from '../fixtures/rich-workbook';
import { convert, parseCsv, sheetBackgrounds, sheetsAsCsv } from '../fixtures/libreoffice';
import { type TypedValue, typeInto, withoutResults } from '../fixtures/xlsx-edit';

const quiet = { out: () => {}, err: () => {} };

async function scoreJson(
  file: string,
): Promise<Map<string, { self: StageResult; appraisal: StageResult | null; final?: StageResult | null }>> {
  const out: string[] = [];
  const code = await run(['score', file, '--json'], { out: (t) => out.push(t), err: () => {} });
  expect(code).toBe(0);
  return new Map(
    JSON.parse(out.join('\n')).sheets.map((s: { sheet: string; self: StageResult; appraisal: StageResult | null }) => [s.sheet, s]),
  );
}

/** What a person changes in the file: scores typed, a word, a cleared cell, a threshold. */
const EDITS: Record<string, Record<string, TypedValue>> = {
  // The class threshold "Xuất sắc" from 90 to 99: VP HĐND-UBND (98,5 %) becomes "Tốt" with no score changed.
  'Cấu hình': { B6: 99 },
  // 1.1.2 from 2 to 0,5; appraisal of 1.2.3 "Chưa tính điểm" (leaves the appraisal's applicable max); a penalty of 1.
  'VP HĐND-UBND': { D9: 0.5, G13: 'Chưa tính điểm', D48: 1 },
  // 6.1 scored at last; the appraisal starts (its column was empty: no appraisal total before).
  'TT PVHCC': { D38: 3, G8: 1 },
  // 6.2 from 6 (above its max 5) to 4; "đạt" replaced by 2; the bonus from 5 (above the cap 4) to 3;
  // and what the highlight rules are for: 9 for 7.1 (max 3), 2 for 7.2 (max 5) with no explanation,
  // -1 for 7.4, a word for 7.6.
  'Ban CHQS': { D39: 4, D45: 2, D47: 3, D41: 9, D42: 2, D44: -1, D46: 'chưa' },
  // "3,5" typed as text retyped as a number; 1.1 cleared.
  'Công an xã': { D23: 3.5, D8: null },
  // The final round: 5.3 raised from its appraisal 3 to 4, 7.2 made not applicable.
  'Phòng Kinh tế': { M36: 4, M42: 'Không áp dụng' },
};

async function edited(bytes: Uint8Array): Promise<Uint8Array> {
  let out = bytes;
  for (const [sheet, values] of Object.entries(EDITS)) out = await typeInto(out, sheet, values);
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'chamdiem-lo-live-'));
const file = (name: string) => join(dir, name);
let csv: Map<string, Map<string, string>>;
/** Per sheet, the cells a person owns where the add-on planned a formula ("row:col"). */
let kept: Map<string, Set<string>>;
/** The maxima of the validations the writer planned for the example. */
const plannedMaxima = new Set<number>();
let removed = 0;
/** The colours LibreOffice paints, as written and after the edits. */
let painted: { written: Map<string, string[][]>; edited: Map<string, string[][]> };

beforeAll(async () => {
  copyFileSync(EXAMPLE_PATH, file('input.xlsx'));
  // A workbook with a subtotal typed as spaces and a wrong one typed as a number, a person's validation and rule.
  writeFileSync(file('rich.xlsx'), await buildRichWorkbook());
  expect(await run(['score', file('rich.xlsx'), '--out', file('rich-live.xlsx')], quiet)).toBe(0);
  expect(await run(['score', file('input.xlsx'), '--out', file('live.xlsx')], quiet)).toBe(0);
  const live = new Uint8Array(readFileSync(file('live.xlsx')));
  writeFileSync(file('input-edited.xlsx'), await edited(new Uint8Array(readFileSync(file('input.xlsx')))));
  // The person's copy: the live file, edited, saved by a program that keeps no formula results.
  const bare = await withoutResults(await edited(live));
  removed = bare.removed;
  writeFileSync(file('live-edited.xlsx'), bare.bytes);
  writeFileSync(file('live-bare.xlsx'), (await withoutResults(live)).bytes);

  kept = new Map();
  for (const source of ['input.xlsx', 'rich.xlsx']) {
    const loaded = await loadWorkbook(file(source), quiet);
    const grids = new Map(loaded.inputs.map((s) => [s.name, s.grid]));
    for (const p of livePlans(loaded.wb, grids, loaded.scored, loaded.parsed, loaded.settingsSheet)) {
      kept.set(p.name, new Set(p.plan.kept.map((c) => `${c.row}:${c.col}`)));
      if (source === 'input.xlsx') for (const v of p.validations) plannedMaxima.add(v.max);
    }
  }

  const files = ['live.xlsx', 'live-bare.xlsx', 'live-edited.xlsx', 'rich-live.xlsx'].map(file);
  csv = sheetsAsCsv(files, join(dir, 'csv'), { recalc: true });
  const html = sheetBackgrounds([file('live.xlsx'), file('live-edited.xlsx')], join(dir, 'html'), { recalc: true });
  painted = { written: html.get(file('live.xlsx'))!, edited: html.get(file('live-edited.xlsx'))! };
}, 300_000);

const STAGES: Stage[] = ['self', 'appraisal', 'final'];
const FIELD: Record<(typeof BLOCK_ROWS)[number], 'applicableMax' | 'main' | 'bonus' | 'penalty' | 'total' | 'percent' | 'classification'> =
  {
    'Điểm tối đa áp dụng': 'applicableMax',
    'Điểm chính': 'main',
    'Điểm cộng': 'bonus',
    'Điểm trừ': 'penalty',
    'Tổng điểm': 'total',
    'Tỷ lệ (%)': 'percent',
    'Xếp loại': 'classification',
  };

/** A cell as LibreOffice shows it, for comparing with the engine: numbers to 9 decimals, text as is. */
function shown(text: string | undefined): number | string {
  const t = text ?? '';
  return t !== '' && Number.isFinite(Number(t)) ? Math.round(Number(t) * 1e9) / 1e9 : t;
}

interface Comparison {
  compared: number;
  mismatches: { cell: string; libreoffice: number | string; engine: number | string }[];
}

/**
 * Every computed cell LibreOffice shows on a unit sheet against the engine: group subtotals, the
 * total row and the result block, in every stage. A cell a person owns (a typed subtotal, kept by
 * the add-on) is left out; the formulas above it add up its children, as the engine does.
 */
function compare(
  grid: string[][],
  name: string,
  result: ScoredSheet,
  json: { self: StageResult; appraisal: StageResult | null; final?: StageResult | null },
): Comparison {
  const out: Comparison = { compared: 0, mismatches: [] };
  const own = kept.get(name) ?? new Set<string>();
  const check = (row: number, col: number, engine: number | string) => {
    if (own.has(`${row}:${col}`)) return;
    const got = shown(grid[row - 1]?.[col]);
    out.compared++;
    if (got !== (typeof engine === 'number' ? Math.round(engine * 1e9) / 1e9 : engine))
      out.mismatches.push({ cell: a1(row, col), libreoffice: got, engine });
  };
  const block = findResultBlock(grid);
  expect({ name, block: !!block }).toEqual({ name, block: true });
  const stages = STAGES.filter((s) => result.columns[s] !== undefined);
  stages.forEach((stage) => {
    // Each stage has its own column of the block (self, appraisal, final), present or not in the table.
    const i = STAGES.indexOf(stage);
    const col = result.columns[stage] as number;
    const totals = json[stage] ?? null;
    BLOCK_ROWS.forEach((label, k) => {
      check(block!.row + 2 + k, block!.col + 1 + i, totals ? totals[FIELD[label]] : '');
    });
    if (result.totalRow !== null) check(result.totalRow, col, totals ? totals.total : '');
    // Subtotals: exactly their children; an appraisal subtotal stays blank until a child is appraised.
    for (const c of result.criteria) {
      if (c.children.length === 0 || c.cells[stage].kind === 'na') continue;
      const engine = fromMicro(c.points[stage]);
      const got = grid[c.row - 1]?.[col] ?? '';
      check(c.row, col, stage !== 'self' && got === '' && engine === 0 ? '' : engine);
    }
  });
  return out;
}

async function expectAgrees(csvOf: string, source: string) {
  const json = await scoreJson(source);
  const { scored } = await loadWorkbook(source, quiet);
  const sheets = csv.get(file(csvOf))!;
  let compared = 0;
  for (const { name, result } of scored.sheets) {
    const c = compare(parseCsv(sheets.get(name)!), name, result, json.get(name)!);
    expect({ sheet: name, mismatches: c.mismatches }).toEqual({ sheet: name, mismatches: [] });
    compared += c.compared;
  }
  return compared;
}

describe('LibreOffice recalculates the live workbook and agrees with score --json', () => {
  it('as written: every subtotal, total, percent and class', async () => {
    expect(await expectAgrees('live.xlsx', file('input.xlsx'))).toBeGreaterThan(150);
    // Phụ lục 2024 has typed subtotals (some wrong, some typed as text): they stay, and the totals
    // above them still add up the criteria, as the engine does.
    expect(kept.get('Phụ lục 2024')!.size).toBeGreaterThan(5);
  });

  it('a subtotal typed as spaces or wrong does not change the total', async () => {
    // Seven block rows, the total row and group 1 (groups 2 and 3 are the person's).
    expect(await expectAgrees('rich-live.xlsx', file('rich.xlsx'))).toBe(7 + 1 + 1);
    expect([...kept.get(RICH_SHEET)!].sort()).toEqual(['12:3', '9:3']); // D12 typed 26, D9 typed spaces
    const grid = parseCsv(csv.get(file('rich-live.xlsx'))!.get(RICH_SHEET)!);
    expect(shown(grid[14][3])).toBe(RICH_EXPECTED.selfTotal); // D15, by hand in the fixture: 35 + 15 + 28
  });

  it('with every saved result removed: LibreOffice computes them all itself', async () => {
    expect(await expectAgrees('live-bare.xlsx', file('input.xlsx'))).toBeGreaterThan(150);
  });

  it('after a person changes scores, words and a threshold in the file: totals and classes follow', async () => {
    expect(removed).toBeGreaterThan(100);
    expect(await expectAgrees('live-edited.xlsx', file('input-edited.xlsx'))).toBeGreaterThan(150);
    // The changes did change the results (by hand): VP HĐND-UBND lost 1,5 in 1.1.2 and 1 as penalty.
    const vp = (await scoreJson(file('input-edited.xlsx'))).get('VP HĐND-UBND')!;
    expect(vp.self.total).toBe(98.5 - 1.5 - 1);
    // 96 % is below the new 99 % threshold and above 80 %: "Tốt".
    expect(vp.self.classification).toBe('Tốt');
    const grid = parseCsv(csv.get(file('live-edited.xlsx'))!.get('VP HĐND-UBND')!);
    const block = findResultBlock(grid)!;
    expect(grid[block.row + 1 + BLOCK_ROWS.indexOf('Xếp loại')][block.col + 1]).toBe('Tốt');
    // Phòng Kinh tế, by hand: every criterion at its max but 5.3 (4 of 4 now) and 7.2 (out): 95 of 95.
    const kt = (await scoreJson(file('input-edited.xlsx'))).get('Phòng Kinh tế')!;
    expect([kt.final?.total, kt.final?.applicableMax]).toEqual([95, 95]);
    // TT PVHCC had no appraisal: the block's appraisal column now shows one.
    const tt = parseCsv(csv.get(file('live-edited.xlsx'))!.get('TT PVHCC')!);
    const ttBlock = findResultBlock(tt)!;
    expect(shown(tt[ttBlock.row + 1 + BLOCK_ROWS.indexOf('Tổng điểm')][ttBlock.col + 2])).toBe(1);
  });

  it('the highlight rules colour what a person types, with no script and no fill written', () => {
    const colour = (grid: string[][], ref: string) => {
      const { row, col } = parseA1Cell(ref);
      return grid[row - 1]?.[col] ?? '';
    };
    const cells = ['D41', 'D44', 'E42', 'D46'];
    const before = painted.written.get('Ban CHQS')!;
    const after = painted.edited.get('Ban CHQS')!;
    expect(cells.map((ref) => colour(before, ref))).toEqual(['', '', '', '']);
    const error = HIGHLIGHT.error.toUpperCase();
    const warning = HIGHLIGHT.warning.toUpperCase();
    // Above the max and negative: errors; no explanation below the max, a word in a score cell: warnings.
    expect(cells.map((ref) => colour(after, ref))).toEqual([error, error, warning, warning]);
  });

  it('LibreOffice reads the score validation: a decimal from 0 to the max, blank allowed, a warning only', () => {
    convert([file('live.xlsx')], 'fods', join(dir, 'fods'));
    const fods = readFileSync(join(dir, 'fods', 'live.fods'), 'utf8');
    const ours = [...fods.matchAll(/<table:content-validation [\s\S]*?<\/table:content-validation>/g)]
      .map((m) => m[0])
      .filter((v) => v.includes('Nhập điểm là số từ 0 đến'));
    // LibreOffice merges the same validation of several sheets into one: compare the maxima.
    const maxima = new Set<number>();
    for (const v of ours) {
      const max = /Nhập điểm là số từ 0 đến ([\d,]+) /.exec(v)![1].replace(',', '.');
      expect(v).toContain(`cell-content-is-decimal-number() and cell-content-is-between(0,${max})`);
      expect(v).toContain('table:allow-empty-cell="true"');
      expect(v).toContain('table:message-type="warning"');
      maxima.add(Number(max));
    }
    expect(plannedMaxima.size).toBeGreaterThan(3);
    expect([...maxima].sort()).toEqual([...plannedMaxima].sort());
  });
});
