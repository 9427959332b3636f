/**
 * The live summary, evaluated by a real spreadsheet engine (HyperFormula): the unit sheets hold
 * their own formulas (sheetFormulas) and result block, `Tổng hợp` holds the layout with the
 * summary formulas, and after every change a person makes in a unit sheet every live cell of the
 * summary must equal what the scoring engine and the value path of the summary (buildSummary,
 * rankUnits, summaryLayout — an independent implementation) give for the sheets as they now are.
 */
import { HyperFormula, type RawCellContent } from 'hyperformula';
import { exampleSettings, unitGrid } from '../../../scripts/make-example';
import { UNITS } from '../../../scripts/example-data';
import type { ScoredSheet } from '../../../src/core/engine/score';
import { sheet } from '../../helpers';
import { type ArgSeparator, formulaOptionsOf, sheetFormulas } from '../../../src/core/sheet/formulas';
import { resultBlockOf, scoreUnitGrid } from '../../../src/core/sheet/result-block';
import { parseSettings, scoreOptionsOf, type Settings, settingsGrid } from '../../../src/core/settings/settings';
import { formulaBlocks, type SummaryFormula, summaryFormulas, summaryRules } from '../../../src/core/summary/live';
import {
  type BlockAt,
  buildSummary,
  noBlockNote,
  PROGRESS_FIRST_COL,
  RANK_NOTE,
  SUMMARY_COL,
  type SummaryLayout,
  summaryLayout,
  summaryUnits,
} from '../../../src/core/summary/summary';

const SETTINGS = 'Cấu hình';
const SUMMARY = 'Tổng hợp';
const META = { commune: 'Phước Chánh', field: 'CCHC', year: 2026, updatedAt: '23/11/2026 08:00' };
/** A unit sheet whose name needs its apostrophe doubled in a reference. */
const QUOTED = "Đội 'Xung kích'";

type Locale = { sep: ArgSeparator; config: Record<string, unknown> };
const LOCALES: Record<string, Locale> = {
  'en (comma between arguments)': { sep: ',', config: {} },
  'vi (semicolon between arguments, comma decimals)': {
    sep: ';',
    config: { functionArgSeparator: ';', decimalSeparator: ',', thousandSeparator: '.' },
  },
};

function asTyped(v: unknown): RawCellContent {
  if (v === '' || v === undefined || v === null) return null;
  return typeof v === 'string' && !v.startsWith('=') ? `'${v}` : (v as RawCellContent);
}

function scoreOf(settings: Settings, grid: unknown[][]): ScoredSheet {
  const r = scoreUnitGrid(grid, scoreOptionsOf(settings));
  if (!r.ok) throw new Error(r.reason);
  return r;
}

/**
 * The example workbook of five units (one renamed with an apostrophe) in one engine: each unit
 * sheet with its formulas and result block beside the table, the settings, and the summary.
 * `grids` keeps what people typed, for the engine's side of every comparison.
 */
class LiveWorkbook {
  readonly settings = exampleSettings();
  readonly grids = new Map<string, unknown[][]>();
  readonly blocks = new Map<string, BlockAt>();
  readonly hf: HyperFormula;
  readonly layout: SummaryLayout;
  readonly formulas: SummaryFormula[];
  private readonly built = new Map<string, unknown[][]>();

  constructor(
    readonly locale: Locale,
    opts: { withoutBlock?: string; grids?: Record<string, unknown[][]> } = {},
  ) {
    if (opts.grids) {
      // No units table: every score sheet is a unit.
      this.settings.units = [];
      for (const [name, grid] of Object.entries(opts.grids)) this.grids.set(name, grid);
    } else {
      this.settings.units[2].sheet = QUOTED;
      UNITS.forEach((u, i) => this.grids.set(this.settings.units[i].sheet, unitGrid(u, this.settings)));
    }
    const settingsCells = settingsGrid(this.settings);
    const options = formulaOptionsOf(parseSettings(settingsCells, 2026), SETTINGS, locale.sep);
    const sheets: Record<string, RawCellContent[][]> = { [SETTINGS]: settingsCells.map((r) => r.map(asTyped)) };
    for (const [name, grid] of this.grids) {
      const result = scoreOf(this.settings, grid);
      const sheet = grid.map((r) => [...r]);
      if (name !== opts.withoutBlock) {
        // Where "Kiểm tra và tính điểm" puts the block: on the header row, one column right of the table.
        const block = { row: result.headerRow, col: Math.max(...grid.map((r) => r.length)) + 1 };
        this.blocks.set(name, block);
        const labels = resultBlockOf(result, { unscored: 0, missingEvidence: 0, missingExplanation: 0 }, '').values;
        labels.forEach((line, k) => line.forEach((v, c) => this.place(sheet, block.row + k, block.col + c, v)));
        for (const f of sheetFormulas(result, block, options)) this.place(sheet, f.row, f.col, f.formula);
      }
      this.built.set(
        name,
        grid.map((r) => [...r]),
      );
      sheets[name] = sheet.map((r) => r.map(asTyped));
    }
    const { rows, sections } = this.summary(this.grids);
    this.layout = summaryLayout(META, rows, sections);
    this.formulas = summaryFormulas(this.layout, rows, locale.sep);
    const summary = this.layout.values.map((r) => [...r]);
    for (const f of this.formulas) summary[f.row - 1][f.col] = f.formula;
    sheets[SUMMARY] = summary.map((r) => r.map(asTyped));
    this.hf = HyperFormula.buildFromSheets(sheets, { licenseKey: 'gpl-v3', useArrayArithmetic: true, ...locale.config });
  }

  private place(sheet: unknown[][], row: number, col: number, v: unknown) {
    while (sheet.length < row) sheet.push([]);
    sheet[row - 1][col] = v;
  }

  /** The summary's rows from the grids, by the value path (the sheet without a block as it was built). */
  private summary(grids: Map<string, unknown[][]>) {
    const scores = new Map<string, ScoredSheet | string>();
    for (const [name, grid] of grids)
      scores.set(name, scoreOf(this.settings, this.blocks.has(name) ? grid : (this.built.get(name) ?? grid)));
    return buildSummary(summaryUnits(this.settings, [...grids.keys()], scores, this.blocks));
  }

  /** A person types `value` in a unit sheet's cell (1-based row, 0-based column). */
  type(sheet: string, row: number, col: number, value: unknown) {
    const grid = this.grids.get(sheet) as unknown[][];
    grid[row - 1][col] = value;
    this.hf.setCellContents({ sheet: this.hf.getSheetId(sheet) as number, row: row - 1, col }, asTyped(value));
  }

  /** What the summary shows now at (1-based row, 0-based column). */
  shown(row: number, col: number): unknown {
    const v = this.hf.getCellValue({ sheet: this.hf.getSheetId(SUMMARY) as number, row: row - 1, col });
    if (v === null) return '';
    return typeof v === 'object' ? `#ERROR ${(v as { value: string }).value}` : v;
  }

  /** The summary the value path gives for the sheets as they are now. */
  expected(): SummaryLayout {
    const { rows, sections } = this.summary(this.grids);
    return summaryLayout(META, rows, sections);
  }

  result(sheet: string): ScoredSheet {
    return scoreOf(this.settings, this.grids.get(sheet) as unknown[][]);
  }

  unitRow(sheet: string): number {
    return this.layout.firstUnitRow + [...this.grids.keys()].indexOf(sheet);
  }
}

const norm = (v: unknown) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : (v ?? ''));

/** Every live cell of the summary equals the value path's cell for the grids as they are now. */
function expectLive(wb: LiveWorkbook) {
  const expected = wb.expected().values;
  const differ = wb.formulas
    .map((f) => ({ at: `${f.row}:${f.col}`, shown: norm(wb.shown(f.row, f.col)), expected: norm(expected[f.row - 1][f.col]) }))
    .filter((d) => d.shown !== d.expected);
  expect(differ).toEqual([]);
}

const leavesOf = (r: ScoredSheet) => r.criteria.filter((c) => c.block === 'main' && c.children.length === 0);

describe.each(Object.entries(LOCALES))('the live summary follows the unit sheets, %s', (_, locale) => {
  let wb: LiveWorkbook;
  beforeAll(() => {
    wb = new LiveWorkbook(locale);
  });
  afterAll(() => wb.hf.destroy());

  it('shows, as built, what the engine computes, in every live cell', () => {
    const kinds = new Set(wb.formulas.map((f) => f.col));
    for (const col of Object.values(SUMMARY_COL)) expect(kinds.has(col)).toBe(true);
    expect(wb.formulas.some((f) => f.formula.includes(`'Đội ''Xung kích'''!`))).toBe(true);
    expectLive(wb);
  });

  it('follows a score typed, "Chưa tính điểm" and a cleared cell: totals, percents, classes and ranks', () => {
    const sheet = UNITS[0].sheet;
    const r = wb.result(sheet);
    const self = r.columns.self as number;
    const row = wb.unitRow(sheet);
    const before = Number(wb.shown(row, SUMMARY_COL.selfTotal));
    // A leaf scored its full max: one point less lowers the total by exactly one.
    const full = leavesOf(r).find((c) => c.cells.self.kind === 'number' && c.cells.max.kind === 'number' && c.cells.self.value >= 1)!;
    const value = (full.cells.self as { value: number }).value;
    wb.type(sheet, full.row, self, value - 1);
    expect(norm(wb.shown(row, SUMMARY_COL.selfTotal))).toBe(norm(before - 1));
    expectLive(wb);
    const [na, cleared] = leavesOf(r).filter((c) => c !== full && c.cells.self.kind === 'number');
    wb.type(sheet, na.row, self, 'Chưa tính điểm');
    expectLive(wb);
    wb.type(sheet, cleared.row, self, '');
    expectLive(wb);
  });

  it('gives units with the same percent the same rank, and the next one the rank after both', () => {
    const [a, b] = [UNITS[1].sheet, UNITS[3].sheet];
    const ra = wb.result(a);
    const self = ra.columns.self as number;
    // b gets exactly a's scores (typed in the leaves): same total, same applicable max.
    for (const c of ra.criteria.filter((c) => c.children.length === 0))
      wb.type(b, c.row, self, (wb.grids.get(a) as unknown[][])[c.row - 1][self]);
    expectLive(wb);
    const percents = wb.settings.units.map((u) => wb.shown(wb.unitRow(u.sheet), SUMMARY_COL.selfPercent) as number);
    const ranks = wb.settings.units.map((u) => wb.shown(wb.unitRow(u.sheet), SUMMARY_COL.rank));
    expect(wb.shown(wb.unitRow(a), SUMMARY_COL.rank)).toBe(wb.shown(wb.unitRow(b), SUMMARY_COL.rank));
    // Competition ranking by hand: 1 + the units with a higher percent.
    expect(ranks).toEqual(percents.map((p) => 1 + percents.filter((o) => o > p).length));
  });

  it('ranks by the appraisal once every unit’s appraisal is complete, and back when one is not', () => {
    for (const u of wb.settings.units) {
      const r = wb.result(u.sheet);
      const appraisal = r.columns.appraisal as number;
      for (const c of leavesOf(r)) {
        if (c.cells.max.kind !== 'number' || c.cells.max.value <= 0 || c.cells.self.kind === 'na') continue;
        // Appraisal a point below self where possible, so the two rankings differ.
        const s = c.cells.self.kind === 'number' ? c.cells.self.value : 0;
        wb.type(u.sheet, c.row, appraisal, u.sheet === UNITS[0].sheet ? Math.max(0, s - 1) : s);
      }
    }
    expectLive(wb);
    expect(wb.shown(wb.layout.noteRow, 0)).toBe(RANK_NOTE.byAppraisal + RANK_NOTE.ties);
    const appraisalPercents = wb.settings.units.map((u) => wb.shown(wb.unitRow(u.sheet), SUMMARY_COL.appraisalPercent) as number);
    expect(appraisalPercents.every((p) => typeof p === 'number')).toBe(true);
    const ranks = wb.settings.units.map((u) => wb.shown(wb.unitRow(u.sheet), SUMMARY_COL.rank));
    expect(ranks).toEqual(appraisalPercents.map((p) => 1 + appraisalPercents.filter((o) => o > p).length));

    // One appraisal cleared: that unit shows its progress, the ranking goes back to self scores.
    const sheet = QUOTED;
    const r = wb.result(sheet);
    const leaf = leavesOf(r).find((c) => c.cells.appraisal.kind === 'number')!;
    wb.type(sheet, leaf.row, r.columns.appraisal as number, '');
    expectLive(wb);
    const row = wb.unitRow(sheet);
    const progressRow = wb.layout.progressHeaderRow + 1 + (row - wb.layout.firstUnitRow);
    const [done, toDo] = [wb.shown(progressRow, PROGRESS_FIRST_COL + 2), wb.shown(progressRow, PROGRESS_FIRST_COL + 3)];
    expect(done).toBe((toDo as number) - 1);
    expect(wb.shown(row, SUMMARY_COL.appraisalTotal)).toBe('');
    expect(wb.shown(row, SUMMARY_COL.appraisalClass)).toBe(`đã thẩm định ${done}/${toDo} tiêu chí`);
    expect(wb.shown(wb.layout.noteRow, 0)).toBe(`${RANK_NOTE.bySelf}${RANK_NOTE.underway[0]}1${RANK_NOTE.underway[1]}${RANK_NOTE.ties}`);
  });

  it('reclassifies every unit when a threshold changes in Cấu hình', () => {
    const settingsId = wb.hf.getSheetId(SETTINGS) as number;
    const grid = settingsGrid(wb.settings);
    const fair = grid.findIndex((r) => r[0] === 'Ngưỡng Khá (%)');
    const classes = () => [...wb.grids.keys()].map((name) => wb.shown(wb.unitRow(name), SUMMARY_COL.selfClass));
    const before = classes();
    wb.hf.setCellContents({ sheet: settingsId, row: fair, col: 1 }, 1);
    wb.settings.thresholds.fair = 1;
    expectLive(wb);
    expect(classes()).not.toEqual(before);
  });
});

describe('sections that are criteria themselves, scores out of range, words and numbers typed as text', () => {
  // [stt, text, max, self, explanation, evidence, appraisal, reason]
  const grids = {
    A: sheet(
      ['1', 'Phần A', 10, 12, 'x', 'l', 8, 'r'],
      ['2', 'Phần B', 25],
      ['2.1', 'b', 20, 15, 'x', 'l', '', ''],
      ['2.2', 'c', 5, 'Chưa tính điểm'],
    ),
    B: sheet(['1', 'Phần A', 10, -3, 'x', 'l'], ['2', 'Phần B', 25], ['2.1', 'b', 20, 'đạt', '', 'l'], ['2.2', 'c', 5, '3,5', 'x', 'l']),
  };

  it.each(Object.entries(LOCALES))('agree with the engine as people type, %s', (_, locale) => {
    const wb = new LiveWorkbook(locale, { grids: JSON.parse(JSON.stringify(grids)) });
    try {
      expectLive(wb);
      const [self, appraisal] = [3, 6];
      wb.type('A', 3, self, 'Chưa tính điểm');
      wb.type('B', 3, self, 7);
      wb.type('B', 6, self, 4);
      expectLive(wb);
      // A's appraisal completed (2.2 self-scored "Chưa tính điểm" and left blank is not applicable).
      wb.type('A', 3, appraisal, 9);
      wb.type('A', 5, appraisal, 18);
      expectLive(wb);
      expect(wb.shown(wb.unitRow('A'), SUMMARY_COL.appraisalTotal)).toBe(9 + 18);
      wb.type('B', 5, appraisal, 'Không áp dụng');
      wb.type('B', 3, appraisal, 11);
      expectLive(wb);
    } finally {
      wb.hf.destroy();
    }
  });
});

describe('a unit whose sheet has no result block yet', () => {
  it('keeps the values of the moment the summary was built, with a note, while the others follow', () => {
    const [still, other] = [UNITS[1].sheet, UNITS[0].sheet];
    const wb = new LiveWorkbook(LOCALES['en (comma between arguments)'], { withoutBlock: still });
    try {
      const row = wb.unitRow(still);
      expect(wb.formulas.filter((f) => f.row === row).map((f) => f.col)).toEqual([SUMMARY_COL.rank]);
      expect(wb.layout.values[row - 1].at(-1)).toContain(noBlockNote(still));
      const total = wb.shown(row, SUMMARY_COL.selfTotal);
      const r = wb.result(still);
      const leaf = leavesOf(r).find((c) => c.cells.self.kind === 'number' && (c.cells.self as { value: number }).value > 0)!;
      wb.type(still, leaf.row, r.columns.self as number, 0);
      expect(wb.shown(row, SUMMARY_COL.selfTotal)).toBe(total);
      const o = wb.result(other);
      const otherLeaf = leavesOf(o).find((c) => c.cells.self.kind === 'number' && (c.cells.self as { value: number }).value > 0)!;
      wb.type(other, otherLeaf.row, o.columns.self as number, 0);
      expectLive(wb);
    } finally {
      wb.hf.destroy();
    }
  });
});

describe('the pieces the shell writes', () => {
  const wb = new LiveWorkbook(LOCALES['vi (semicolon between arguments, comma decimals)']);
  afterAll(() => wb.hf.destroy());

  it('gathers the formulas into few rectangles, each cell in exactly one', () => {
    const blocks = formulaBlocks(wb.formulas);
    const cells = blocks.flatMap((b) => b.formulas.flatMap((line, i) => line.map((formula, j) => `${b.row + i}:${b.col + j}:${formula}`)));
    expect(cells.sort()).toEqual(wb.formulas.map((f) => `${f.row}:${f.col}:${f.formula}`).sort());
    expect(blocks.every((b) => b.formulas.every((line) => line.length === b.formulas[0].length))).toBe(true);
    // rank, share, the totals-to-official-percent run, two matrices, the progress table and the note
    // (and the final round's two cells for the units that have one)
    const finalRound = [...wb.grids.keys()].some((name) => wb.result(name).final?.complete);
    expect(blocks.length).toBeLessThanOrEqual(finalRound ? 8 : 7);
  });

  it('colours the class columns by rules that read the cells', () => {
    const rules = summaryRules(wb.layout);
    expect(rules.map((r) => r.formula)).toEqual(
      ['Xuất sắc', 'Tốt', 'Khá', 'Trung bình', 'Yếu'].map((c) => `=O${wb.layout.firstUnitRow}="${c}"`),
    );
    expect(new Set(rules.map((r) => r.range))).toEqual(new Set([`O${wb.layout.firstUnitRow}:T${wb.layout.lastUnitRow}`]));
  });

  it('keeps every formula within the length Excel accepts (8192 characters)', () => {
    const longest = Math.max(...wb.formulas.map((f) => f.formula.length));
    expect(longest).toBeLessThan(8192);
  });
});
