/**
 * The live-sheet formulas, evaluated by a real spreadsheet engine (HyperFormula, which implements
 * the Sheets/Excel function set) and compared with the scoring engine, cell for cell, in every
 * stage, under both argument separators, while scores change the way people change them.
 */
import fc from 'fast-check';
import { HyperFormula, type RawCellContent } from 'hyperformula';
import { exampleSettings, unitGrid } from '../../../scripts/make-example';
import { UNITS } from '../../../scripts/example-data';
import { DEFAULT_THRESHOLDS } from '../../../src/core/engine/classify';
import { fromMicro, round3 } from '../../../src/core/engine/decimal';
import type { ScoredSheet, StageResult } from '../../../src/core/engine/score';
import { BLOCK_ROWS, type FormulaOptions, formulaOptionsOf, isOwnFormula, sheetFormulas } from '../../../src/core/sheet/formulas';
import { highlightRules } from '../../../src/core/sheet/highlights';
import { parseSettings, scoreOptionsOf, settingsGrid } from '../../../src/core/settings/settings';
import { scored } from '../../helpers';

const SETTINGS_SHEET = 'Cấu hình';
/** Settings as the tests lay them: thresholds in B2:B5, bonus cap in B6. */
const SETTINGS_GRID = [
  ['Khóa', 'Giá trị'],
  ['Ngưỡng Xuất sắc (%)', DEFAULT_THRESHOLDS.excellent],
  ['Ngưỡng Tốt (%)', DEFAULT_THRESHOLDS.good],
  ['Ngưỡng Khá (%)', DEFAULT_THRESHOLDS.fair],
  ['Ngưỡng Trung bình (%)', DEFAULT_THRESHOLDS.average],
  ['Điểm cộng tối đa', 4],
];
const REFS: FormulaOptions = {
  sep: ',',
  thresholds: {
    excellent: `'${SETTINGS_SHEET}'!$B$2`,
    good: `'${SETTINGS_SHEET}'!$B$3`,
    fair: `'${SETTINGS_SHEET}'!$B$4`,
    average: `'${SETTINGS_SHEET}'!$B$5`,
  },
  bonusCap: `'${SETTINGS_SHEET}'!$B$6`,
};

type Locale = { sep: ',' | ';'; config: Record<string, unknown> };
const LOCALES: Record<string, Locale> = {
  'en (comma between arguments)': { sep: ',', config: {} },
  'vi (semicolon between arguments, comma decimals)': {
    sep: ';',
    config: { functionArgSeparator: ';', decimalSeparator: ',', thousandSeparator: '.' },
  },
};

function asTyped(v: unknown): RawCellContent {
  if (v === '' || v === undefined) return null;
  return typeof v === 'string' && !v.startsWith('=') ? `'${v}` : (v as RawCellContent);
}

/** The unit sheet with our formulas in place, in a fresh engine. */
function live(grid: unknown[][], result: ScoredSheet, locale: Locale) {
  const block = { row: result.headerRow, col: Math.max(...grid.map((r) => r.length)) + 1 };
  const cells = sheetFormulas(result, block, { ...REFS, sep: locale.sep });
  const sheet = grid.map((r) => [...r]);
  for (const c of cells) {
    while (sheet.length < c.row) sheet.push([]);
    sheet[c.row - 1][c.col] = c.formula;
  }
  const hf = HyperFormula.buildFromSheets(
    // Text typed in a cell stays text (an apostrophe keeps "3,5" from being read as a number).
    { Unit: sheet.map((r) => r.map(asTyped)), [SETTINGS_SHEET]: SETTINGS_GRID },
    { licenseKey: 'gpl-v3', useArrayArithmetic: true, ...locale.config },
  );
  const unit = hf.getSheetId('Unit') as number;
  const value = (row: number, col: number) => hf.getCellValue({ sheet: unit, row: row - 1, col });
  return { hf, unit, cells, block, value };
}

function expectBlock(value: (row: number, col: number) => unknown, block: { row: number; col: number }, i: number, s: StageResult) {
  const got = (label: (typeof BLOCK_ROWS)[number]) => value(block.row + 1 + BLOCK_ROWS.indexOf(label), block.col + 1 + i);
  expect({
    applicableMax: round3(Number(got('Điểm tối đa áp dụng'))),
    main: round3(Number(got('Điểm chính'))),
    bonus: round3(Number(got('Điểm cộng'))),
    penalty: round3(Number(got('Điểm trừ'))),
    total: round3(Number(got('Tổng điểm'))),
    percent: round3(Number(got('Tỷ lệ (%)'))),
    classification: got('Xếp loại'),
  }).toEqual({
    applicableMax: s.applicableMax,
    main: s.main,
    bonus: s.bonus,
    penalty: s.penalty,
    total: s.total,
    percent: s.percent,
    classification: s.classification,
  });
}

/** Every computed cell and the result block agree with the engine's result for `grid`. */
function expectAgrees(grid: unknown[][], locale: Locale) {
  const result = scored(grid);
  const { value, block, hf } = live(grid, result, locale);
  try {
    for (const c of result.criteria) {
      if (c.children.length === 0) continue;
      for (const stage of ['self', 'appraisal'] as const) {
        const col = result.columns[stage];
        if (col === undefined || c.cells[stage].kind === 'na') continue;
        const got = value(c.row, col);
        const expected = round3(fromMicro(c.points[stage]));
        // An appraisal subtotal stays blank until one of its children is appraised.
        if (stage === 'appraisal' && (got === null || got === '')) expect(expected).toBe(0);
        else expect([c.outline, stage, round3(Number(got))]).toEqual([c.outline, stage, expected]);
      }
    }
    if (result.totalRow !== null) {
      expect(round3(Number(value(result.totalRow, result.columns.self as number)))).toBe(result.self.total);
    }
    expectBlock(value, block, 0, result.self);
    if (result.appraisal) expectBlock(value, block, 1, result.appraisal);
    else expect(value(block.row + 1, block.col + 2)).toBe('');
  } finally {
    hf.destroy();
  }
}

const settings = exampleSettings();

describe.each(Object.entries(LOCALES))('formulas agree with the engine, %s', (_, locale) => {
  test.each(UNITS.map((u) => [u.name, u] as const))('example unit %s', (_name, unit) => {
    expectAgrees(unitGrid(unit, settings), locale);
  });

  test('a score typed, "Chưa tính điểm", a cleared cell, a score above max and a negative one', () => {
    const grid = unitGrid(UNITS[0], settings);
    const result = scored(grid);
    const leaves = result.criteria.filter((c) => c.block === 'main' && c.children.length === 0);
    const selfCol = result.columns.self as number;
    const appraisalCol = result.columns.appraisal as number;
    grid[leaves[0].row - 1][selfCol] = 'Chưa tính điểm';
    grid[leaves[1].row - 1][selfCol] = '';
    grid[leaves[2].row - 1][selfCol] = 999;
    grid[leaves[3].row - 1][selfCol] = -2;
    grid[leaves[4].row - 1][appraisalCol] = 'Không áp dụng';
    grid[leaves[5].row - 1][appraisalCol] = 0.25;
    expectAgrees(grid, locale);
  });
});

test('a threshold changed in Cấu hình reclassifies without any script', () => {
  const grid = unitGrid(UNITS[0], settings);
  const result = scored(grid);
  const { hf, block, value } = live(grid, result, LOCALES['en (comma between arguments)']);
  const classCell = () => value(block.row + 1 + BLOCK_ROWS.indexOf('Xếp loại'), block.col + 1);
  const percent = Number(value(block.row + 1 + BLOCK_ROWS.indexOf('Tỷ lệ (%)'), block.col + 1));
  expect(classCell()).toBe(result.self.classification);
  const settingsId = hf.getSheetId(SETTINGS_SHEET) as number;
  // Raise every threshold above the unit's percent: it drops to Yếu.
  for (let r = 1; r <= 4; r++) hf.setCellContents({ sheet: settingsId, row: r, col: 1 }, Math.ceil(percent) + 1);
  expect(classCell()).toBe('Yếu');
  hf.destroy();
});

test('property: random scores, words and blanks in both stages never make the sheet and the engine disagree', () => {
  const grid0 = unitGrid(UNITS[1], settings);
  const result0 = scored(grid0);
  const leaves = result0.criteria.filter((c) => c.children.length === 0 && c.cells.max.kind === 'number');
  const cell = fc.oneof(
    fc.constant(''),
    fc.constant('Chưa tính điểm'),
    fc.constant('không áp dụng'),
    fc.integer({ min: -3, max: 40 }).map((n) => n / 4),
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(leaves.length - 1), fc.boolean(), cell), { maxLength: 12 }), (edits) => {
      const grid = grid0.map((r) => [...r]);
      for (const [i, appraisal, v] of edits) {
        const col = appraisal ? (result0.columns.appraisal as number) : (result0.columns.self as number);
        grid[leaves[i].row - 1][col] = v;
      }
      expectAgrees(grid, LOCALES['vi (semicolon between arguments, comma decimals)']);
    }),
    { numRuns: 40 },
  );
});

test('every formula carries the mark, so the add-on recognises its own and never a person’s', () => {
  const grid = unitGrid(UNITS[0], settings);
  const result = scored(grid);
  const cells = sheetFormulas(result, { row: result.headerRow, col: 12 }, REFS);
  expect(cells.length).toBeGreaterThan(20);
  for (const c of cells) expect(isOwnFormula(c.formula)).toBe(true);
  // As Sheets may show it in a semicolon locale, with spaces.
  expect(isOwnFormula('=SUM(D9; D10) + N("Chấm điểm tự động")')).toBe(true);
  expect(isOwnFormula('=SUM(D9:D12)')).toBe(false);
  expect(isOwnFormula(12)).toBe(false);
});

describe('live highlights agree with the engine’s findings, cell for cell', () => {
  const RULE_OF: Record<string, string[]> = {
    'above-max': ['score-above-max'],
    negative: ['score-negative'],
    'text-in-score': ['score-not-number', 'number-as-text'],
    'missing-explanation': ['missing-explanation'],
    'missing-evidence': ['missing-evidence'],
    'missing-adjust-reason': ['missing-adjust-reason'],
  };

  /** Cells of an A1 range list, e.g. ["D9:D12", "D14"] → [[9,3],[10,3],…]. */
  function cellsOf(ranges: string[]): [number, number][] {
    const out: [number, number][] = [];
    for (const r of ranges) {
      const [a, b = a] = r.split(':');
      const col = a.replace(/\d+/g, '').charCodeAt(0) - 65;
      for (let row = Number(a.replace(/\D+/g, '')); row <= Number(b.replace(/\D+/g, '')); row++) out.push([row, col]);
    }
    return out;
  }

  function check(grid: unknown[][]) {
    const result = scored(grid);
    const rules = highlightRules(result, ',');
    const typedAsText = new Set(
      result.criteria.filter((c) => [c.cells.self, c.cells.appraisal].some((n) => n.kind === 'number' && n.asText)).map((c) => c.row),
    );
    const hf = HyperFormula.buildFromSheets({ Unit: grid.map((r) => r.map(asTyped)) }, { licenseKey: 'gpl-v3' });
    const scratchCol = Math.max(...grid.map((r) => r.length)) + 2;
    try {
      for (const rule of rules) {
        const cells = cellsOf(rule.ranges);
        const anchor = cells[0][0];
        const lit: string[] = [];
        for (const [row, col] of cells) {
          // The rule as the spreadsheet applies it to this cell: relative rows shifted.
          const formula = rule.formula.replace(/(\$?[A-Z]+)(\d+)/g, (_, c: string, r: string) => `${c}${Number(r) + row - anchor}`);
          hf.setCellContents({ sheet: 0, row: row - 1, col: scratchCol }, formula);
          if (hf.getCellValue({ sheet: 0, row: row - 1, col: scratchCol }) === true) lit.push(`${row}:${col}`);
        }
        const expected = result.findings
          .filter((f) => RULE_OF[rule.key].includes(f.rule) && cells.some(([r, c]) => r === f.row && c === f.col))
          .map((f) => `${f.row}:${f.col}`);
        // A number typed as text is highlighted as text; the rules that compare it with the max
        // (explanation, evidence, reason) read numbers only, while the engine reads it too.
        const comparable = (key: string) => rule.key === 'text-in-score' || !typedAsText.has(Number(key.split(':')[0]));
        expect([rule.key, [...new Set(lit)].filter(comparable).sort()]).toEqual([
          rule.key,
          [...new Set(expected)].filter(comparable).sort(),
        ]);
      }
    } finally {
      hf.destroy();
    }
    return rules;
  }

  test.each(UNITS.map((u) => [u.name, u] as const))('example unit %s', (_name, unit) => {
    expect(check(unitGrid(unit, settings)).length).toBeGreaterThan(4);
  });

  test('an appraisal of 0 over a blank self-score asks for a reason (a blank is 0 to a spreadsheet, not to the engine)', () => {
    const grid = unitGrid(UNITS[1], settings).map((r) => [...r]);
    const result0 = scored(grid);
    const c = result0.columns;
    const leaf = result0.criteria.find((x) => x.block === 'main' && x.children.length === 0) as (typeof result0.criteria)[number];
    grid[leaf.row - 1][c.self as number] = '';
    grid[leaf.row - 1][c.appraisal as number] = 0;
    grid[leaf.row - 1][c.reason as number] = '';
    const key = `${leaf.row}:${c.reason}`;
    expect(scored(grid).findings.some((f) => f.rule === 'missing-adjust-reason' && `${f.row}:${f.col}` === key)).toBe(true);
    check(grid);
  });

  test('property: random edits of scores, explanations, evidence and reasons', () => {
    const grid0 = unitGrid(UNITS[1], settings);
    const result0 = scored(grid0);
    const leaves = result0.criteria.filter((c) => c.block === 'main' && c.children.length === 0);
    const c = result0.columns;
    const edit = fc.oneof(
      fc.tuple(
        fc.constantFrom(c.self, c.appraisal),
        fc.oneof(
          fc.constant(''),
          fc.constant('Chưa tính điểm'),
          fc.constant('abc'),
          fc.integer({ min: -2, max: 30 }).map((n) => n / 2),
        ),
      ),
      fc.tuple(fc.constantFrom(c.explanation, c.evidence, c.reason), fc.constantFrom('', '  ', 'có')),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(leaves.length - 1), edit), { maxLength: 8 }), (edits) => {
        const grid = grid0.map((r) => [...r]);
        for (const [i, [col, v]] of edits) grid[leaves[i].row - 1][col as number] = v;
        check(grid);
      }),
      { numRuns: 60 },
    );
  });
});

describe('formula options from the real settings sheet', () => {
  function classWith(settingsRows: unknown[][], grid: unknown[][]) {
    const parsed = parseSettings(settingsRows, 2026);
    const result = scored(grid, scoreOptionsOf(parsed.settings));
    const block = { row: result.headerRow, col: Math.max(...grid.map((r) => r.length)) + 1 };
    const options = formulaOptionsOf(parsed, SETTINGS_SHEET, ',');
    const sheet = grid.map((r) => [...r]);
    for (const c of sheetFormulas(result, block, options)) sheet[c.row - 1][c.col] = c.formula;
    const hf = HyperFormula.buildFromSheets(
      { Unit: sheet.map((r) => r.map(asTyped)), [SETTINGS_SHEET]: settingsRows.map((r) => r.map(asTyped)) },
      { licenseKey: 'gpl-v3', useArrayArithmetic: true },
    );
    const got = hf.getCellValue({ sheet: 0, row: block.row + BLOCK_ROWS.indexOf('Xếp loại'), col: block.col + 1 });
    hf.destroy();
    return { got, engine: result.self.classification, options };
  }

  test('thresholds and the cap are referred to where the settings sheet has them', () => {
    const rows = settingsGrid(settings);
    const r = classWith(rows, unitGrid(UNITS[0], settings));
    expect(r.got).toBe(r.engine);
    const excellentRow = rows.findIndex((row) => row[0] === 'Ngưỡng Xuất sắc (%)') + 1;
    expect(r.options.thresholds.excellent).toBe(`'Cấu hình'!$B$${excellentRow}`);
  });

  test('a threshold typed as a percentage (0,98) is scaled like the engine scales it', () => {
    const rows = settingsGrid(settings);
    const at = rows.findIndex((row) => row[0] === 'Ngưỡng Xuất sắc (%)');
    rows[at][1] = 0.98;
    const r = classWith(rows, unitGrid(UNITS[0], settings));
    expect(String(r.options.thresholds.excellent)).toMatch(/\*100\)$/);
    expect(r.got).toBe(r.engine);
  });

  test('an unusable value is written as the number the engine used', () => {
    const rows = settingsGrid(settings);
    const at = rows.findIndex((row) => row[0] === 'Điểm cộng tối đa');
    rows[at][1] = 'bốn';
    expect(classWith(rows, unitGrid(UNITS[0], settings)).options.bonusCap).toBe(4);
  });
});
