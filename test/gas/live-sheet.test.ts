/**
 * The live sheet in the built add-on: after "Kiểm tra và tính điểm" people type (numbers, "Chưa
 * tính điểm", clearing, pasting several cells) with no script running, and every computed cell —
 * subtotals, the total row, the result block with its percent and class — read back through the
 * emulator (which evaluates the formulas) equals what the engine computes for the changed grid,
 * in both stages. Highlights are conditional formats that follow the typing too.
 */
import { UNITS } from '../../scripts/example-data';
import { exampleEnv } from './harness';
import {
  cellNote,
  cellValue,
  cellState,
  effectiveBackground,
  type FakeEnv,
  installGlobals,
  makeEditEvent,
  sheetValues,
} from '../../dev/gas-emulator/index';
import { CLASSIFICATION_COLORS } from '../../src/core/engine/classify';
import { fromMicro, round3 } from '../../src/core/engine/decimal';
import type { StageResult } from '../../src/core/engine/score';
import { BLOCK_ROWS, isOwnFormula } from '../../src/core/sheet/formulas';
import { isOwnRuleFormula } from '../../src/core/sheet/highlights';
import { HIGHLIGHT } from '../../src/core/sheet/notes';
import { findResultBlock, scoreUnitGrid } from '../../src/core/sheet/result-block';
import { parseSettings, scoreOptionsOf } from '../../src/core/settings/settings';

const VP = 'VP HĐND-UBND';
const TT = 'TT PVHCC';
const SETTINGS = 'Cấu hình';

/** The engine's result for the sheet as it is now (the settings as the sheet holds them). */
function engineNow(env: FakeEnv, name: string) {
  const grid = sheetValues(env, name);
  const parsed = parseSettings(sheetValues(env, SETTINGS), 2026);
  const result = scoreUnitGrid(grid, scoreOptionsOf(parsed.settings));
  if (!result.ok) throw new Error(result.reason);
  const block = findResultBlock(grid);
  if (!block) throw new Error('no result block');
  return { grid, result, block };
}

const num = (v: unknown) => round3(Number(v));

/**
 * Every computed cell of the sheet equals the engine's figure, in every stage. `personal` lists
 * the cells (A1) a person owns, which hold what the person put there.
 */
function expectLive(env: FakeEnv, name: string, personal: readonly string[] = []): void {
  const { grid, result, block } = engineNow(env, name);
  const at = (row: number, col: number) => grid[row - 1][col];
  const a1 = (row: number, col: number) => `${String.fromCharCode(65 + col)}${row}`;
  let checked = 0;
  for (const c of result.criteria) {
    if (c.children.length === 0) continue;
    for (const stage of ['self', 'appraisal', 'final'] as const) {
      const col = result.columns[stage];
      if (col === undefined || c.cells[stage].kind === 'na' || personal.includes(a1(c.row, col))) continue;
      expect(isOwnFormula(cellState(env, name, a1(c.row, col)).formula)).toBe(true);
      const expected = round3(fromMicro(c.points[stage]));
      const got = at(c.row, col);
      // An appraisal (final) subtotal stays blank until one of its children is appraised (or the final round begins).
      if (stage === 'final' && !result.final) expect([c.outline, got]).toEqual([c.outline, '']);
      else if (stage !== 'self' && got === '') expect([c.outline, expected]).toEqual([c.outline, 0]);
      else expect([name, c.outline, stage, num(got)]).toEqual([name, c.outline, stage, expected]);
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(10);
  const stages: [number | undefined, StageResult | null][] = [
    [result.columns.self, result.self],
    [result.columns.appraisal, result.appraisal],
    [result.columns.final, result.final],
  ];
  stages.forEach(([col, s], i) => {
    if (col === undefined) return;
    // The total row and the block's column of the stage; a stage not started shows blanks.
    const total = result.totalRow !== null ? at(result.totalRow, col) : null;
    const blockAt = (label: (typeof BLOCK_ROWS)[number]) => at(block.row + 2 + BLOCK_ROWS.indexOf(label), block.col + 1 + i);
    if (!s) {
      expect([total, ...BLOCK_ROWS.map(blockAt)]).toEqual([result.totalRow !== null ? '' : null, ...BLOCK_ROWS.map(() => '')]);
      return;
    }
    if (total !== null) expect([name, i, 'total row', num(total)]).toEqual([name, i, 'total row', s.total]);
    expect({
      applicableMax: num(blockAt('Điểm tối đa áp dụng')),
      main: num(blockAt('Điểm chính')),
      bonus: num(blockAt('Điểm cộng')),
      penalty: num(blockAt('Điểm trừ')),
      total: num(blockAt('Tổng điểm')),
      percent: num(blockAt('Tỷ lệ (%)')),
      classification: blockAt('Xếp loại'),
    }).toEqual({
      applicableMax: s.applicableMax,
      main: s.main,
      bonus: s.bonus,
      penalty: s.penalty,
      total: s.total,
      percent: s.percent,
      classification: s.classification,
    });
  });
}

/** A paste of several cells of different values, as Sheets applies it (values parsed as typed). */
function paste(env: FakeEnv, name: string, a1: string, values: unknown[][]): void {
  env.ss.sheet(name).getRange(a1).setValues(values);
}

function checked(): ReturnType<typeof exampleEnv> {
  const made = exampleEnv();
  made.addon.menuCheckAll();
  return made;
}

describe('after "Kiểm tra", the sheet computes itself as people type', () => {
  it('the final round after the appeal too: its subtotals, total and block column follow every final score', () => {
    const { env } = checked();
    const KT = 'Phòng Kinh tế';
    expectLive(env, KT);
    // 98 by hand (see the example data): 3.3 back to 5, 5.3 kept at its appraisal 3, 7.2 kept at 4.
    expect(engineNow(env, KT).result.final?.total).toBe(98);
    env.calls.reset();
    const edits: [string, () => void][] = [
      ['a final score on a criterion not appealed', () => makeEditEvent(env, KT, 'M36', '', '4')],
      ['"Không áp dụng" as a final score', () => makeEditEvent(env, KT, 'M42', '4', 'Không áp dụng')],
      ['a final score cleared: the appraisal stands', () => makeEditEvent(env, KT, 'M28', '5', '')],
      ['an appraisal changed under a final score', () => makeEditEvent(env, KT, 'G36', '3', '2')],
      ['a final score cleared', () => makeEditEvent(env, KT, 'M36', '4', '')],
      // rows 41 and 42: 7.1 and 7.2
      ['the last final scores cleared', () => paste(env, KT, 'M41:M42', [[''], ['']])],
    ];
    for (const [what, edit] of edits) {
      edit();
      try {
        expectLive(env, KT);
      } catch (err) {
        throw new Error(`after ${what}: ${(err as Error).message}`);
      }
    }
    // With no final score left the final column is blank again.
    expect(engineNow(env, KT).result.final).toBeNull();
    expect(env.calls.count()).toBe(0);
  });

  it('every subtotal, total and result in both stages equals the engine, edit after edit, with no script', () => {
    const { env } = checked();
    for (const name of [VP, TT, 'Công an xã', 'Ban CHQS', 'Trạm Y tế']) expectLive(env, name);
    env.calls.reset();
    const edits: [string, () => void][] = [
      ['a number', () => makeEditEvent(env, TT, 'D38', '', '4')],
      ['a decimal, typed the Vietnamese way', () => makeEditEvent(env, TT, 'D39', '', '2,5')],
      ['"Chưa tính điểm"', () => makeEditEvent(env, TT, 'D41', '3', 'Chưa tính điểm')],
      ['a cleared cell', () => makeEditEvent(env, TT, 'D42', '5', '')],
      ['a paste over several cells', () => paste(env, TT, 'D21:D24', [['1'], ['Chưa tính điểm'], ['0,5'], ['']])],
      ['a score above its max', () => makeEditEvent(env, TT, 'D26', '4', '9')],
      ['a negative score', () => makeEditEvent(env, TT, 'D27', '5', '-1')],
      ['a bonus above the cap', () => makeEditEvent(env, TT, 'D47', '', '6')],
      ['a penalty', () => makeEditEvent(env, TT, 'D48', '', '2')],
      ['the first appraisal', () => makeEditEvent(env, TT, 'G8', '', '1')],
      ['"Không áp dụng" in the appraisal', () => makeEditEvent(env, TT, 'G9', '', 'Không áp dụng')],
      ['an appraisal paste', () => paste(env, TT, 'G11:G13', [['1'], ['0'], ['Chưa tính điểm']])],
      ['an appraisal cleared where self is "Chưa tính điểm"', () => makeEditEvent(env, TT, 'G41', '', '')],
      ['appraisals changed', () => paste(env, VP, 'G8:G9', [['0,5'], ['']])],
      ['a whole appraisal group cleared', () => paste(env, VP, 'G11:G13', [[''], [''], ['']])],
      ['a self score under an appraisal', () => makeEditEvent(env, VP, 'D15', '2', '1')],
    ];
    for (const [what, edit] of edits) {
      edit();
      for (const name of [TT, VP]) {
        try {
          expectLive(env, name);
        } catch (err) {
          throw new Error(`after ${what} (${name}): ${(err as Error).message}`);
        }
      }
    }
    // The Apps Script code never ran: the spreadsheet did it all.
    expect(env.calls.count()).toBe(0);
  });

  it('a threshold changed in Cấu hình reclassifies every unit at once, colour included, with no script', () => {
    const { env } = checked();
    const { block, result } = engineNow(env, VP);
    const classCell = `${String.fromCharCode(65 + block.col + 1)}${block.row + 2 + BLOCK_ROWS.indexOf('Xếp loại')}`;
    expect(cellState(env, VP, classCell).value).toBe('Xuất sắc');
    expect(effectiveBackground(env.ss.sheet(VP), classCell)).toBe(CLASSIFICATION_COLORS['Xuất sắc']);
    const row = sheetValues(env, SETTINGS).findIndex((r) => r[0] === 'Ngưỡng Xuất sắc (%)') + 1;
    env.calls.reset();
    // Just above the unit's percent: it drops to Tốt.
    makeEditEvent(env, SETTINGS, `B${row}`, '90', String(Math.floor(result.self.percent) + 1));
    expect(env.calls.count()).toBe(0);
    for (const name of [VP, TT, 'Công an xã', 'Ban CHQS', 'Trạm Y tế']) expectLive(env, name);
    expect(cellState(env, VP, classCell).value).toBe('Tốt');
    expect(effectiveBackground(env.ss.sheet(VP), classCell)).toBe(CLASSIFICATION_COLORS.Tốt);
  });

  it('highlights follow the typing: above max, text, missing evidence, and back when fixed', () => {
    const { env } = checked();
    const bg = (a1: string) => effectiveBackground(env.ss.sheet(TT), a1);
    expect(bg('D26')).toBe('#ffffff');
    makeEditEvent(env, TT, 'D26', '4', '9');
    expect(bg('D26')).toBe(HIGHLIGHT.error);
    makeEditEvent(env, TT, 'D26', '9', '4');
    expect(bg('D26')).toBe('#ffffff');
    makeEditEvent(env, TT, 'D27', '5', 'đạt');
    expect(bg('D27')).toBe(HIGHLIGHT.warning);
    makeEditEvent(env, TT, 'D27', 'đạt', 'Chưa tính điểm');
    expect(bg('D27')).toBe('#ffffff');
    expect(bg('F29')).toBe(HIGHLIGHT.warning); // 3.4 scored 3 without evidence
    makeEditEvent(env, TT, 'F29', '', 'https://drive.google.com/file/d/x/view');
    expect(bg('F29')).toBe('#ffffff');
  });
});

describe('what people own stays theirs', () => {
  it('a typed subtotal and a person’s formulas are kept; a wrong formula gets the finding and the right one', () => {
    const { env, addon } = exampleEnv();
    env.ss.setActiveCell(TT, 'A1');
    addon.menuCheckSheet();
    makeEditEvent(env, TT, 'D7', '3', '3'); // typed over our formula: the same figure, now a person's
    makeEditEvent(env, TT, 'D10', '4', '=SUM(D11:D13)');
    makeEditEvent(env, TT, 'D14', '6', '=D15+D16');
    addon.menuCheckSheet();
    expect(cellState(env, TT, 'D7')).toMatchObject({ value: 3, formula: '' });
    expect(cellState(env, TT, 'D10').formula).toBe('=SUM(D11:D13)');
    expect(cellState(env, TT, 'D14').formula).toBe('=D15+D16');
    expect(cellNote(env, TT, 'D10')).toBe('');
    const note = cellNote(env, TT, 'D14');
    expect(note).toMatch(/Công thức tổng chưa đúng: thiếu mục 1\.3\.3\. Công thức đúng: =/);
    expect(note).toMatch(/D17/);
    expect(note).not.toMatch(/N\("/);
    // The engine compares the person's figures too: 1.3 shows 4 where its children make 6.
    expect(note).toMatch(/ghi 4 nhưng tổng các mục con là 6/);
    // The totals above a cell a person owns add that group's children directly, so the wrong
    // figure (with the error note on its cell) does not spread: they equal the engine's.
    const { grid, result, block } = engineNow(env, TT);
    expect(grid[5][3]).toBe(fromMicro(result.criteria.find((c) => c.outline === '1')!.points.self));
    expect(grid[block.row + 1 + BLOCK_ROWS.indexOf('Tổng điểm')][block.col + 1]).toBe(result.self.total);
    // Cleared, the cell gets our formula back at the next check.
    makeEditEvent(env, TT, 'D14', undefined, '');
    addon.menuCheckSheet();
    expect(isOwnFormula(cellState(env, TT, 'D14').formula)).toBe(true);
    expect(cellNote(env, TT, 'D14')).toBe('');
    expectLive(env, TT, ['D7', 'D10']);
  });

  it('a person’s own conditional-format rule is kept, ours replaced only when the table changes', () => {
    const { env, addon } = exampleEnv();
    const gas = env.gas.SpreadsheetApp;
    const sheet = gas.getActive().getSheetByName(TT)!;
    const mine = gas
      .newConditionalFormatRule()
      .whenFormulaSatisfied('=LEN($I6)>0')
      .setBackground('#00ff00')
      .setRanges([sheet.getRange('I6:I46')])
      .build();
    sheet.setConditionalFormatRules([mine]);
    env.ss.setActiveCell(TT, 'A1');
    addon.menuCheckSheet();
    const formulas = () => sheet.getConditionalFormatRules().map((r) => String(r.getBooleanCondition()!.getCriteriaValues()[0]));
    const first = formulas();
    expect(first.filter((f) => f === '=LEN($I6)>0')).toHaveLength(1);
    expect(first.filter(isOwnRuleFormula).length).toBeGreaterThan(5);
    env.calls.reset();
    addon.menuCheckSheet();
    // Nothing changed (and the clock did not move): nothing is written.
    expect(env.calls.count('Sheets.Spreadsheets.batchUpdate')).toBe(0);
    // A criterion's max changes: the validation and our rules are rewritten in one call, the person's rule stays.
    makeEditEvent(env, TT, 'C46', '3', '2');
    makeEditEvent(env, TT, 'C40', '22', '21');
    const formulasBefore = sheet.getDataRange().getFormulas();
    env.calls.reset();
    addon.menuCheckSheet();
    expect(env.calls.count('Sheets.Spreadsheets.batchUpdate')).toBe(1);
    expect(sheet.getDataRange().getFormulas()).toEqual(formulasBefore);
    expect(formulas().filter((f) => f === '=LEN($I6)>0')).toHaveLength(1);
    expect(formulas().filter(isOwnRuleFormula)).toHaveLength(first.filter(isOwnRuleFormula).length);
    expect(sheet.getRange('D46').getDataValidation()!.getCriteriaValues()).toEqual([0, 2]);
  });
});

describe('the cost of a check', () => {
  it('a first check-all: one property value for every sheet, the settings and the time zone read once', () => {
    const { env, addon } = exampleEnv();
    env.calls.reset();
    addon.menuCheckAll();
    expect(env.calls.count('Properties.setProperty')).toBe(1);
    expect(env.calls.count('Properties.getProperties')).toBe(1);
    expect(env.calls.count('Properties.getProperty')).toBe(0);
    expect(env.calls.count('Spreadsheet.getSpreadsheetTimeZone')).toBeLessThanOrEqual(2); // settings' year, the run
    const layouts = env.gas.PropertiesService.getDocumentProperties().getProperty('chamdiem.layouts')!;
    // One entry per unit sheet, each "sheetId:validation,rules,table".
    expect(layouts.split(';')).toHaveLength(UNITS.length);
    for (const entry of layouts.split(';')) expect(entry).toMatch(/^\d+:[0-9a-z]+,[0-9a-z]+,[0-9a-z]+$/);
    // Five sheets: the listing, one chunk read in three calls and written in one.
    expect(env.calls.list().filter((c) => c.startsWith('Sheets.'))).toEqual([
      'Sheets.Spreadsheets.get',
      'Sheets.Spreadsheets.Values.batchGet',
      'Sheets.Spreadsheets.Values.batchGet',
      'Sheets.Spreadsheets.get',
      'Sheets.Spreadsheets.batchUpdate',
    ]);
  });

  it('a second run writes no formula, no rule, no validation, no note; a later one only its time', () => {
    const { env, addon } = checked();
    env.calls.reset();
    addon.menuCheckAll();
    // Nothing changed: the listing and the formulas (or values) of the cells read, nothing written, no property set.
    expect(env.calls.list().filter((c) => c.startsWith('Sheets.') || c.startsWith('Properties.set'))).toEqual([
      'Sheets.Spreadsheets.get',
      'Sheets.Spreadsheets.Values.batchGet',
    ]);
    env.clock.set(new Date('2026-11-23T02:00:00Z'));
    env.calls.reset();
    env.ss.setActiveCell(VP, 'A1');
    const formulasBefore = env.gas.SpreadsheetApp.getActive().getSheetByName(VP)!.getDataRange().getFormulas();
    addon.menuCheckSheet();
    // One small write: the time of the check (and nothing else: the formulas are as they were).
    expect(env.calls.count('Sheets.Spreadsheets.batchUpdate')).toBe(1);
    expect(env.calls.bytes('Sheets.Spreadsheets.batchUpdate')).toBeLessThan(1000);
    expect(env.gas.SpreadsheetApp.getActive().getSheetByName(VP)!.getDataRange().getFormulas()).toEqual(formulasBefore);
    const { grid, block } = engineNow(env, VP);
    expect(grid[block.row + 9][block.col + 1]).toBe('23/11/2026 09:00');
  });

  it('formulas go through Apps Script with ";" between arguments, whatever the locale', () => {
    const { env } = checked();
    for (const a1 of ['D6', 'G6', 'D49']) {
      const formula = cellState(env, VP, a1).formula;
      expect(isOwnFormula(formula)).toBe(true);
      expect(formula.replace(/"[^"]*"/g, '')).toMatch(/;/);
      expect(formula.replace(/"[^"]*"/g, '')).not.toMatch(/,/);
    }
  });
});

describe('the daily run', () => {
  it('refreshes the notes of the unit sheets that changed, and only reads the others', () => {
    const { env, addon } = checked();
    // The first run after the last milestone also takes its snapshot and locks self-scoring: that is done first.
    addon.dailyTick();
    const nextDay = () => env.clock.set(new Date(env.clock.now().getTime() + 86_400_000));
    nextDay();
    env.calls.reset();
    addon.dailyTick();
    // Nothing changed since "Kiểm tra": the listing and the values and formulas, no notes read, nothing written.
    const gets = env.calls.count('Sheets.Spreadsheets.get');
    expect(gets).toBeLessThanOrEqual(4); // with the reminders' statuses: a listing and the dates
    expect(env.calls.count('Sheets.Spreadsheets.batchUpdate')).toBe(0);
    expect(cellNote(env, TT, 'D38')).toMatch(/chưa tự chấm điểm/);
    makeEditEvent(env, TT, 'D38', '', '4');
    expect(cellNote(env, TT, 'D38')).toMatch(/chưa tự chấm điểm/); // no script per keystroke
    nextDay();
    env.calls.reset();
    addon.dailyTick();
    expect(env.calls.count('Sheets.Spreadsheets.get')).toBe(gets + 1); // the notes of the changed sheet too
    expect(env.calls.count('Sheets.Spreadsheets.batchUpdate')).toBe(1);
    expect(cellNote(env, TT, 'D38')).toBe('');
    expectLive(env, TT);
  });

  it('a sheet found unchanged is remembered by its values: the next run skips it without reading its formulas', () => {
    const { env, addon } = checked();
    addon.dailyTick();
    env.clock.set(new Date(env.clock.now().getTime() + 86_400_000));
    env.calls.reset();
    addon.dailyTick();
    // One read of values for every step (the formulas, 3 times their size, are not read) and nothing written.
    expect(env.calls.count('Sheets.Spreadsheets.Values.batchGet')).toBe(1);
    expect(env.calls.count('Sheets.Spreadsheets.batchUpdate')).toBe(0);
    // A value typed afterwards is noticed the next day: the sheet is checked again.
    makeEditEvent(env, TT, 'D38', '', '4');
    env.clock.set(new Date(env.clock.now().getTime() + 86_400_000));
    addon.dailyTick();
    expect(cellNote(env, TT, 'D38')).toBe('');
    expectLive(env, TT);
  });

  it('a score typed while the run waits for the lock is kept, and the refresh works from it', () => {
    const { env, addon } = checked();
    // The run claims the day (a first lock), reads the sheets, then waits for the lock of its steps; a person types
    // meanwhile (people take no lock).
    let typed = false;
    env.locks.meanwhile = () => {
      env.locks.meanwhile = () => {
        env.gas.SpreadsheetApp.getActive().getSheetByName(TT)?.getRange('D38').setValue(4);
        typed = true;
      };
    };
    addon.dailyTick();
    expect(typed).toBe(true);
    expect(cellValue(env, TT, 'D38')).toBe(4);
    expect(cellNote(env, TT, 'D38')).toBe('');
    expectLive(env, TT);
  });

  it('stops within its time budget and starts the next day where it stopped', () => {
    // In-process so Date.now can be stepped: the budget (270 s) is spent before the first chunk of sheets, or not.
    const { env } = exampleEnv();
    const restore = installGlobals(env);
    let late = true;
    let t = 0;
    const now = jest.spyOn(Date, 'now').mockImplementation(() => (t += late ? 1_000_000 : 1));
    try {
      const { dailyTick, PROP_REFRESH_NEXT } = jest.requireActual('../../src/gas/daily') as typeof import('../../src/gas/daily');
      const props = env.gas.PropertiesService.getDocumentProperties();
      const formulaIn = (name: string) => isOwnFormula(cellState(env, name, 'D6').formula);
      const units = [VP, TT, 'Công an xã', 'Ban CHQS', 'Trạm Y tế'];
      dailyTick();
      expect(units.map(formulaIn)).toEqual([false, false, false, false, false]);
      expect(props.getProperty(PROP_REFRESH_NEXT)).toBe(VP);
      // Tomorrow starts with the sheet remembered: the rest come after it, the ones before it last.
      props.setProperty(PROP_REFRESH_NEXT, 'Ban CHQS');
      dailyTick();
      expect(props.getProperty(PROP_REFRESH_NEXT)).toBe('Ban CHQS');
      late = false;
      dailyTick();
      expect(units.map(formulaIn)).toEqual([true, true, true, true, true]);
      expect(props.getProperty(PROP_REFRESH_NEXT)).toBeNull();
    } finally {
      now.mockRestore();
      restore();
    }
  });
});
