/**
 * The live summary on the Apps Script stand-ins (which evaluate formulas): "Lập/cập nhật bảng
 * tổng hợp" writes formulas over the unit sheets, and when a unit's user then types a score,
 * `Tổng hợp` shows the new total, percent, class and rank with no script running.
 */
import { effectiveBackground, type FakeEnv, makeEditEvent, sheetValues } from '../../dev/gas-emulator/index';
import { CLASSIFICATION_COLORS, type Classification } from '../../src/core/engine/classify';
import { a1 } from '../../src/core/engine/text';
import { formulaOptionsOf, sheetFormulas } from '../../src/core/sheet/formulas';
import { findResultBlock, scoreUnitGrid } from '../../src/core/sheet/result-block';
import { parseSettings, scoreOptionsOf } from '../../src/core/settings/settings';
import type { ScoredSheet } from '../../src/core/engine/score';
import { noBlockNote, SUMMARY_COL } from '../../src/core/summary/summary';
import { exampleEnv } from './harness';

const SUMMARY = 'Tổng hợp';
const SETTINGS = 'Cấu hình';

function scoreSheet(env: FakeEnv, name: string): ScoredSheet {
  const parsed = parseSettings(sheetValues(env, SETTINGS), 2026);
  const r = scoreUnitGrid(sheetValues(env, name), scoreOptionsOf(parsed.settings));
  if (!r.ok) throw new Error(r.reason);
  return r;
}

/**
 * The unit sheets as "Kiểm tra và tính điểm" leaves them in the live sheet: the result block
 * beside the table and the formulas of sheetFormulas in the computed cells.
 */
function checkWithFormulas(env: FakeEnv, addon: Record<string, (...args: unknown[]) => unknown>, units: readonly string[]) {
  addon.menuCheckAll();
  const options = formulaOptionsOf(parseSettings(sheetValues(env, SETTINGS), 2026), SETTINGS, ';');
  for (const name of units) {
    const block = findResultBlock(sheetValues(env, name));
    if (!block) throw new Error(`no result block on ${name}`);
    const sheet = env.ss.sheet(name);
    for (const f of sheetFormulas(scoreSheet(env, name), { row: block.row + 1, col: block.col }, options)) {
      sheet.getRange(f.row, f.col + 1).setFormula(f.formula);
    }
  }
}

const units = (env: FakeEnv) => {
  const summary = sheetValues(env, SUMMARY);
  const header = summary.findIndex((r) => r[0] === 'Hạng');
  const rows = summary.slice(header + 1);
  return rows.slice(
    0,
    rows.findIndex((r) => r[1] === ''),
  );
};

describe('the summary follows the unit sheets with no script running', () => {
  it('a score typed in a unit sheet changes that unit’s total, percent, class and every rank', () => {
    const { env, addon } = exampleEnv();
    const sheets = ['VP HĐND-UBND', 'TT PVHCC', 'Công an xã', 'Ban CHQS', 'Trạm Y tế', 'Phòng Kinh tế'];
    checkWithFormulas(env, addon, sheets);
    addon.menuBuildSummary();
    const before = units(env);
    expect(before).toHaveLength(sheets.length);
    // Every unit has a block: no note asks to run the check.
    expect(before.every((r) => !String(r.at(-1)).includes('chưa có bảng kết quả'))).toBe(true);
    expect(env.ui.toasts.at(-1)!.message).not.toMatch(/chưa có bảng kết quả/);

    // A user of Công an xã types 0 in every criterion of section 3 (18 points).
    const unit = 'Công an xã';
    const result = scoreSheet(env, unit);
    const leaves = result.criteria.filter((c) => c.outline.startsWith('3.') && c.cells.self.kind === 'number');
    const taken = leaves.reduce((sum, c) => sum + (c.cells.self as { value: number }).value, 0);
    expect(taken).toBeGreaterThan(10);
    env.calls.reset();
    for (const c of leaves) makeEditEvent(env, unit, a1(c.row, result.columns.self as number), undefined, '0');
    const after = units(env);
    expect(env.calls.count()).toBe(0);

    const i = sheets.indexOf(unit);
    // By hand: the total drops by the points taken away.
    expect(after[i][SUMMARY_COL.selfTotal]).toBeCloseTo((before[i][SUMMARY_COL.selfTotal] as number) - taken, 9);
    const now = scoreSheet(env, unit);
    expect(after[i][SUMMARY_COL.selfPercent]).toBeCloseTo(now.self.percent, 9);
    expect(after[i][SUMMARY_COL.selfClass]).toBe(now.self.classification);
    // Ranks by hand from the percents shown (no appraisal is complete for every unit: self percents);
    // the unit fell below another one.
    const percents = after.map((r) => r[SUMMARY_COL.selfPercent] as number);
    const ranks = after.map((r) => r[SUMMARY_COL.rank]);
    expect(ranks).toEqual(percents.map((p) => 1 + percents.filter((o) => o > p).length));
    expect(ranks[i]).toBeGreaterThan(before[i][SUMMARY_COL.rank] as number);
    // Only the edited unit's numbers moved.
    after.forEach((r, k) => {
      if (k !== i) expect(r[SUMMARY_COL.selfTotal]).toBe(before[k][SUMMARY_COL.selfTotal]);
    });
  });

  it('the class colour follows the class, and the chart still reads the total cells', () => {
    const { env, addon } = exampleEnv();
    const sheets = ['VP HĐND-UBND', 'TT PVHCC', 'Công an xã', 'Ban CHQS', 'Trạm Y tế', 'Phòng Kinh tế'];
    checkWithFormulas(env, addon, sheets);
    addon.menuBuildSummary();
    const header = sheetValues(env, SUMMARY).findIndex((r) => r[0] === 'Hạng') + 1;
    const unit = 'Ban CHQS';
    const row = header + 1 + sheets.indexOf(unit);
    const classCell = a1(row, SUMMARY_COL.selfClass);
    const shownClass = () => sheetValues(env, SUMMARY)[row - 1][SUMMARY_COL.selfClass] as Classification;
    expect(effectiveBackground(env.ss.sheet(SUMMARY), classCell)).toBe(CLASSIFICATION_COLORS[shownClass()]);
    // The unit clears its scores of section 7 (22 points): its class drops.
    const result = scoreSheet(env, unit);
    const before = shownClass();
    for (const c of result.criteria.filter((c) => c.outline.startsWith('7.') && c.cells.self.kind !== 'empty')) {
      makeEditEvent(env, unit, a1(c.row, result.columns.self as number), undefined, '');
    }
    expect(shownClass()).not.toBe(before);
    expect(shownClass()).toBe(scoreSheet(env, unit).self.classification);
    expect(effectiveBackground(env.ss.sheet(SUMMARY), classCell)).toBe(CLASSIFICATION_COLORS[shownClass()]);
    const [chart] = env.ss.chartRecords(SUMMARY);
    expect(JSON.stringify(chart)).toContain(`I${header}:J${header + sheets.length}`);
  });

  it('a unit sheet never checked keeps its numbers as built, with a note saying what to do', () => {
    const { env, addon } = exampleEnv();
    addon.menuBuildSummary();
    const rows = units(env);
    const sheets = ['VP HĐND-UBND', 'TT PVHCC', 'Công an xã', 'Ban CHQS', 'Trạm Y tế', 'Phòng Kinh tế'];
    rows.forEach((r, k) => expect(String(r.at(-1))).toContain(noBlockNote(sheets[k])));
    // The toast counts them once instead of repeating the note for each.
    const toast = env.ui.toasts.at(-1)!.message;
    expect(toast).toMatch(/ 6 đơn vị chưa có bảng kết quả/);
    expect(toast).not.toContain(noBlockNote(sheets[0]));
  });
});
