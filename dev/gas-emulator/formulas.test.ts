/**
 * Contract of formulas and conditional formats in the emulated Spreadsheet service (formulas.ts,
 * spreadsheet.ts): formulas are computed by a real engine and recomputed after every write, by a
 * script or by a person, in both argument-separator forms, across quoted Vietnamese sheet names;
 * conditional-format rules round-trip and paint cells as the Sheets UI does.
 *
 * Reference pages relied on (behaviour the pages do not state is marked "assumed" in the code):
 * - Range.setFormula / setFormulas / getFormula(s) / getValue(s):
 *   https://developers.google.com/apps-script/reference/spreadsheet/range
 * - Sheet.getConditionalFormatRules / setConditionalFormatRules (replaces every rule of the sheet):
 *   https://developers.google.com/apps-script/reference/spreadsheet/sheet#setConditionalFormatRules(ConditionalFormatRule)
 * - ConditionalFormatRuleBuilder (whenFormulaSatisfied, setBackground, setRanges, build):
 *   https://developers.google.com/apps-script/reference/spreadsheet/conditional-format-rule-builder
 * - ConditionalFormatRule, BooleanCondition (getCriteriaType, getCriteriaValues, getBackgroundObject,
 *   the deprecated getBackground), BooleanCriteria.CUSTOM_FORMULA:
 *   https://developers.google.com/apps-script/reference/spreadsheet/conditional-format-rule
 *   https://developers.google.com/apps-script/reference/spreadsheet/boolean-condition
 *   https://developers.google.com/apps-script/reference/spreadsheet/boolean-criteria
 */
import { type FakeEnv, createFakeEnv, effectiveBackground, makeEditEvent, sheetValues } from './index';
import { PROTECTED_MESSAGE } from './spreadsheet';

const SETTINGS = 'Cấu hình';
const UNIT = 'Xã Phước Chánh';

function env(sheets: Record<string, unknown[][]> = { [UNIT]: [] }, editors: string[] = []): FakeEnv {
  return createFakeEnv({ now: new Date('2026-11-23T01:00:00Z'), sheets, editors });
}

function sheetOf(e: FakeEnv, name = UNIT) {
  return e.gas.SpreadsheetApp.getActive().getSheetByName(name)!;
}

describe('formulas are computed and recomputed', () => {
  test('a formula reads as its result, after script writes and after a person types, clears or pastes', () => {
    const e = env({ [UNIT]: [[2], [3], [5]] });
    const s = sheetOf(e);
    s.getRange('B1').setFormula('=SUM(A1:A3)');
    expect(s.getRange('B1').getValue()).toBe(2 + 3 + 5);
    s.getRange('A2').setValue(10);
    expect(s.getRange('B1').getValues()).toEqual([[2 + 10 + 5]]);
    // Typed the Vietnamese way (the default locale is vi_VN: ',' is the decimal mark).
    makeEditEvent(e, UNIT, 'A3', undefined, '1,5');
    expect(s.getRange('B1').getValue()).toBe(2 + 10 + 1.5);
    makeEditEvent(e, UNIT, 'A1', undefined, '');
    expect(s.getRange('B1').getValue()).toBe(10 + 1.5);
    // A paste of one value over several cells.
    makeEditEvent(e, UNIT, 'A1:A3', undefined, '4');
    expect(s.getRange('B1').getValue()).toBe(4 * 3);
    s.getRange('A1:A3').clearContent();
    expect(s.getRange('B1').getValue()).toBe(0);
    // Test helpers read the computed value too.
    expect(sheetValues(e, UNIT)).toEqual([['', 0]]);
  });

  test('setValue(s) with "=…" enters a formula, as Sheets does; formulas depend on formulas', () => {
    const e = env({ [UNIT]: [[1, 2]] });
    const s = sheetOf(e);
    s.getRange('C1:D1').setValues([['=A1+B1', '=C1*10']]);
    expect(s.getRange('C1:D1').getValues()).toEqual([[3, 30]]);
    expect(s.getRange('C1:D1').getFormulas()).toEqual([['=A1+B1', '=C1*10']]);
    s.getRange('A1').setValue(7);
    expect(s.getRange('C1:D1').getValues()).toEqual([[9, 90]]);
    // A literal replaces the formula.
    s.getRange('C1').setValue(1);
    expect([s.getRange('C1').getFormula(), s.getRange('D1').getValue()]).toEqual(['', 10]);
  });

  test('on several cells, setFormula and setValue move relative references like a fill; $ anchors stay', () => {
    const e = env({ [UNIT]: [[1], [2], [3]] });
    const s = sheetOf(e);
    s.getRange('B1:B3').setFormula('=A1*$A$1+1');
    expect(s.getRange('B1:B3').getFormulas()).toEqual([['=A1*$A$1+1'], ['=A2*$A$1+1'], ['=A3*$A$1+1']]);
    expect(s.getRange('B1:B3').getValues()).toEqual([[1 * 1 + 1], [2 * 1 + 1], [3 * 1 + 1]]);
    s.getRange('C2:D2').setValue('=B1');
    expect(s.getRange('C2:D2').getFormulas()).toEqual([['=B1', '=C1']]);
    // D2 refers to the empty C1: a bare reference to an empty cell shows nothing.
    expect(s.getRange('C2:D2').getValues()).toEqual([[2, '']]);
    // Names, strings and other sheets' names are not references.
    s.getRange('E1:E2').setFormula(`=LOG10(A1)&"A1"&'${UNIT}'!A1`);
    expect(s.getRange('E1:E2').getFormulas()).toEqual([[`=LOG10(A1)&"A1"&'${UNIT}'!A1`], [`=LOG10(A2)&"A1"&'${UNIT}'!A2`]]);
    expect(s.getRange('E2').getValue()).toBe(`${Math.log10(2)}A12`);
  });

  test('setFormulas sets each formula as given; "" clears; getFormulas returns what was set', () => {
    const e = env({ [UNIT]: [[4, 6]] });
    const s = sheetOf(e);
    const formulas = [['=sum(A1:B1)', '=MAX(A1;B1)', '']];
    s.getRange('C1:E1').setValue('old');
    s.getRange('C1:E1').setFormulas(formulas);
    expect(s.getRange('C1:E1').getFormulas()).toEqual(formulas);
    expect(s.getRange('C1:E1').getValues()).toEqual([[10, 6, '']]);
    s.getRange('C1').setFormula('');
    expect([s.getRange('C1').getFormula(), s.getRange('C1').getValue()]).toEqual(['', '']);
    expect(() => s.getRange('C1:D1').setFormulas([['=1']])).toThrow(
      'The number of columns in the data does not match the number of columns in the range. The data has 1 but the range has 2.',
    );
    expect(() => s.getRange('C1').setFormulas([[1 as unknown as string]])).toThrow(
      "don't match the method signature for SpreadsheetApp.Range.setFormulas.",
    );
    expect(() => s.getRange('C1').setFormula('SUM(A1:B1)')).toThrow('[gas-emulator]');
  });

  test('";" and "," between arguments give the same results; strings keep their separators; mixing both is refused', () => {
    const e = env({ [UNIT]: [[3, -1, 'a;b']] });
    const s = sheetOf(e);
    const pairs = [
      ['=IF(A1>0;"có";"không")', '=IF(A1>0,"có","không")'],
      ['=ROUND(A1/7;3)', '=ROUND(A1/7,3)'],
      ['=SUMIF(A1:B1;">0";A1:B1)', '=SUMIF(A1:B1,">0",A1:B1)'],
      ['=C1&";"&IF(TRUE;1;0)', '=C1&";"&IF(TRUE,1,0)'],
    ];
    s.getRange('A2:B5').setFormulas(pairs);
    expect(s.getRange('A2:B5').getValues()).toEqual([
      ['có', 'có'],
      [0.429, 0.429],
      [3, 3],
      ['a;b;1', 'a;b;1'],
    ]);
    expect(s.getRange('A2:B5').getFormulas()).toEqual(pairs);
    expect(() => s.getRange('D1').setFormula('=IF(A1>0;1,5;2)')).toThrow("mixing ';' and ','");
    // A person in a vi_VN spreadsheet separates arguments with ';' (',' is the decimal mark there): with ';' only,
    // the typed formula computes; one with ',' is refused as not emulated rather than read the en_US way.
    makeEditEvent(e, UNIT, 'D1', undefined, '=ROUND(A1/7;2)');
    expect(s.getRange('D1').getValue()).toBe(0.43);
    expect(() => makeEditEvent(e, UNIT, 'D2', undefined, '=A1*0,5')).toThrow('[gas-emulator] a formula typed in a vi_VN spreadsheet');
  });

  test("references to a quoted Vietnamese sheet name follow that sheet's edits", () => {
    const e = env({
      [SETTINGS]: [
        ['Khóa', 'Giá trị'],
        ['Ngưỡng Xuất sắc (%)', 90],
        ['Điểm cộng tối đa', 4],
      ],
      [UNIT]: [[85, 6]],
    });
    const s = sheetOf(e);
    s.getRange('C1:D1').setFormulas([[`=IF(A1>='${SETTINGS}'!$B$2;"Xuất sắc";"Chưa đạt")`, `=MIN(B1,'${SETTINGS}'!$B$3)`]]);
    expect(s.getRange('C1:D1').getValues()).toEqual([['Chưa đạt', 4]]);
    sheetOf(e, SETTINGS)
      .getRange('B2:B3')
      .setValues([[80], [10]]);
    expect(s.getRange('C1:D1').getValues()).toEqual([['Xuất sắc', 6]]);
    makeEditEvent(e, SETTINGS, 'B3', undefined, '5');
    expect(s.getRange('D1').getValue()).toBe(5);
    // A sheet referred to before it exists: #REF! until it is inserted (assumed: Sheets resolves the name then).
    s.getRange('E1').setFormula("='Tổng hợp'!A1+1");
    expect(s.getRange('E1').getValue()).toBe('#REF!');
    e.gas.SpreadsheetApp.getActive().insertSheet('Tổng hợp').getRange('A1').setValue(41);
    expect(s.getRange('E1').getValue()).toBe(42);
  });

  test("a person's text stays text: '3.5' in vi_VN, \"'12\" and the words of the scoring", () => {
    const e = env();
    const s = sheetOf(e);
    // In the vi_VN locale ',' is the decimal mark: "3.5" is text (locale.ts).
    s.getRange('A1:A5').setValues([['3.5'], ["'12"], ['12'], ['Chưa tính điểm'], ['Chua tinh diem']]);
    expect(s.getRange('A1:A3').getValues()).toEqual([['3.5'], ['12'], [12]]);
    s.getRange('B1:B4').setFormulas([['=SUM(A1:A3)'], ['=COUNTIF(A1:A5;"chưa tính điểm")'], ['=ISTEXT(A1)'], ['=ISTEXT(A2)']]);
    // Only the typed number 12 sums; matching is case-insensitive but accent-sensitive.
    expect(s.getRange('B1:B4').getValues()).toEqual([[12], [1], [true], [true]]);
  });

  test('errors read as the text Sheets shows; a formula that does not parse reads "#ERROR!"', () => {
    const e = env({ [UNIT]: [[1, 0]] });
    const s = sheetOf(e);
    const formulas = [
      ['=A1/B1'],
      ['=NA()'],
      ["='Không có trang này'!A1"],
      ['=KHONGCO(1)'],
      ['=SUM(A1;'],
      ['=A1+"abc"'],
      ['=C7+1'],
      ['=C1*2'],
      ['=IFERROR(C1;-1)'],
    ];
    s.getRange('C1:C9').setFormulas(formulas);
    expect(s.getRange('C1:C9').getValues()).toEqual([
      ['#DIV/0!'],
      ['#N/A'],
      ['#REF!'],
      ['#NAME?'],
      ['#ERROR!'],
      ['#VALUE!'],
      // A circular reference: Sheets shows #REF! ("Circular dependency detected").
      ['#REF!'],
      ['#DIV/0!'],
      [-1],
    ]);
    s.getRange('B1').setValue(4);
    expect(s.getRange('C1').getValue()).toBe(0.25);
    expect(s.getRange('C8').getValue()).toBe(0.5);
  });

  test('what is not emulated fails loudly instead of reading wrong', () => {
    const e = env({ [UNIT]: [[1], [2], [3]] });
    const s = sheetOf(e);
    s.getRange('B1:B3').setFormulas([['=A1:A3'], ['=LEN(A1:A3)'], ['=A1:A3+1']]);
    for (const a1 of ['B1', 'B2', 'B3']) expect(() => s.getRange(a1).getValue()).toThrow('[gas-emulator]');
    // Whole columns may be used, but not moved by a fill.
    s.getRange('C1:C2').setFormula('=COUNT($A:$A)');
    expect(s.getRange('C1:C2').getValues()).toEqual([[3], [3]]);
    expect(() => s.getRange('D1:D2').setFormula('=COUNT(A:A)')).toThrow('whole-column');
  });

  test('numbers are the raw doubles; dates work as serial numbers and dated results read as Dates', () => {
    // 2026-11-23 07:00 in Hồ Chí Minh city.
    const e = env({ [UNIT]: [[new Date('2026-11-23T00:00:00Z')]] });
    const s = sheetOf(e);
    s.getRange('B1:E1').setFormulas([['=0.1+0.2', '=YEAR(A1)*10000+MONTH(A1)*100+DAY(A1)', '=A1+1', '=DATE(2026;12;1)']]);
    const [sum, ymd, next, date] = s.getRange('B1:E1').getValues()[0];
    expect(sum).toBe(0.1 + 0.2);
    expect(ymd).toBe(20261123);
    expect((next as Date).toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect((date as Date).toISOString()).toBe('2026-11-30T17:00:00.000Z');
  });

  test('each call is counted as before; the engine’s own work is not', () => {
    const e = env({ [UNIT]: [[1], [2]] });
    const s = sheetOf(e);
    e.calls.reset();
    s.getRange('B1').setFormula('=A1+A2');
    s.getRange('B1:B2').setFormulas([['=A1'], ['=A2']]);
    s.getRange('B1').getValue();
    s.getRange('B1:B2').getValues();
    expect(e.calls.list()).toEqual([
      'Sheet.getRange',
      'Range.setFormula',
      'Sheet.getRange',
      'Range.setFormulas',
      'Sheet.getRange',
      'Range.getValue',
      'Sheet.getRange',
      'Range.getValues',
    ]);
  });

  test('a protected cell refuses a formula from a user who may not edit it', () => {
    const e = env({ [UNIT]: [[1]] }, ['bob@example.com']);
    const s = sheetOf(e);
    s.getRange('B1').protect().removeEditors(['bob@example.com']);
    e.setActiveUser('bob@example.com');
    expect(() => s.getRange('B1').setFormula('=A1')).toThrow(PROTECTED_MESSAGE);
    expect(() => s.getRange('A1:B1').setFormulas([['=1', '=2']])).toThrow(PROTECTED_MESSAGE);
    expect(s.getRange('A1:B1').getFormulas()).toEqual([['', '']]);
  });
});

describe('conditional-format rules', () => {
  const RED = '#f4cccc';
  const YELLOW = '#fff2cc';

  /** Max in C, score in D: rows 3–5 and 8–9 are criteria (two disjoint ranges), rows 6–7 something else. */
  function scoredSheet() {
    const e = env({
      [UNIT]: [
        ['STT', 'Tiêu chí', 'Tối đa', 'Tự chấm'],
        [],
        ['1.1', 'A', 2, 1],
        ['1.2', 'B', 3, 5],
        ['1.3', 'C', 1, 'abc'],
        [],
        ['', 'Tổng', 6, 6],
        ['2.1', 'D', 4, 4.5],
        ['2.2', 'E', 2, 2],
      ],
    });
    const app = e.gas.SpreadsheetApp;
    const s = sheetOf(e);
    s.getRange('D3:D9').setBackground('#ffffff');
    s.getRange('D7').setBackground('#d9ead3');
    const aboveMax = app
      .newConditionalFormatRule()
      .whenFormulaSatisfied('=AND(ISNUMBER(D3);D3>$C3)')
      .setBackground('#F4CCCC')
      .setRanges([s.getRange('D3:D5'), s.getRange('D8:D9')])
      .build();
    const text = app
      .newConditionalFormatRule()
      .whenFormulaSatisfied('=ISTEXT(D3)')
      .setBackground(YELLOW)
      .setRanges([s.getRange('D3:D5'), s.getRange('D8:D9')])
      .build();
    return { e, s, rules: [aboveMax, text] };
  }

  test('rules round-trip through set/getConditionalFormatRules; setting replaces every rule', () => {
    const { e, s, rules } = scoredSheet();
    s.setConditionalFormatRules(rules);
    const back = s.getConditionalFormatRules();
    expect(back).toHaveLength(2);
    expect(back[0].getRanges().map((r) => r.getA1Notation())).toEqual(['D3:D5', 'D8:D9']);
    const condition = back[0].getBooleanCondition()!;
    expect(condition.getCriteriaType()).toBe(e.gas.SpreadsheetApp.BooleanCriteria.CUSTOM_FORMULA);
    expect(String(condition.getCriteriaType())).toBe('CUSTOM_FORMULA');
    expect(condition.getCriteriaValues()).toEqual(['=AND(ISNUMBER(D3);D3>$C3)']);
    // getBackgroundObject is in the reference but not in @types/google-apps-script 2.0.13.
    const withObject = condition as unknown as { getBackgroundObject(): GoogleAppsScript.Spreadsheet.Color };
    expect(withObject.getBackgroundObject().asRgbColor().asHexString()).toBe(RED);
    expect(condition.getBackground()).toBe(RED);
    expect(back[0].getGradientCondition()).toBeNull();
    // Keep a person's rule, replace ours: the add-on's pattern.
    s.setConditionalFormatRules([back[1]]);
    expect(s.getConditionalFormatRules().map((r) => r.getBooleanCondition()!.getCriteriaValues()[0])).toEqual(['=ISTEXT(D3)']);
    s.setConditionalFormatRules([]);
    expect(s.getConditionalFormatRules()).toEqual([]);
    expect(e.calls.count('Sheet.setConditionalFormatRules')).toBe(3);
  });

  test('the builder and the setter refuse what Sheets refuses', () => {
    const { e, s } = scoredSheet();
    const app = e.gas.SpreadsheetApp;
    expect(() => app.newConditionalFormatRule().setBackground(RED).build()).toThrow('must have a condition');
    const noRange = app.newConditionalFormatRule().whenFormulaSatisfied('=TRUE').build();
    expect(() => s.setConditionalFormatRules([noRange])).toThrow('at least one range');
    const other = app.getActive().insertSheet('Khác');
    const elsewhere = app
      .newConditionalFormatRule()
      .whenFormulaSatisfied('=TRUE')
      .setRanges([other.getRange('A1')])
      .build();
    expect(() => s.setConditionalFormatRules([elsewhere])).toThrow('[gas-emulator]');
    expect(() => s.setConditionalFormatRules(['x'] as unknown as GoogleAppsScript.Spreadsheet.ConditionalFormatRule[])).toThrow(
      "don't match the method signature for SpreadsheetApp.Sheet.setConditionalFormatRules.",
    );
  });

  test('effectiveBackground: formulas relative to the first range’s top-left, over two disjoint ranges; first rule wins', () => {
    const { e, s, rules } = scoredSheet();
    s.setConditionalFormatRules(rules);
    const max: Record<number, number> = { 3: 2, 4: 3, 5: 1, 8: 4, 9: 2 };
    const expected = (score: unknown, row: number) =>
      typeof score === 'number' && score > max[row] ? RED : typeof score === 'string' && score !== '' ? YELLOW : '#ffffff';
    const scores: Record<number, unknown> = { 3: 1, 4: 5, 5: 'abc', 8: 4.5, 9: 2 };
    const check = () => {
      for (const row of [3, 4, 5, 8, 9]) expect([row, effectiveBackground(s, `D${row}`)]).toEqual([row, expected(scores[row], row)]);
    };
    check();
    // Outside the rules' ranges: the cell's own background.
    expect(effectiveBackground(s, 'D7')).toBe('#d9ead3');
    expect(effectiveBackground(s, 'C4')).toBe('#ffffff');
    // People type: the colours follow with no script.
    for (const [row, typed, value] of [
      [4, '2', 2],
      [5, '9', 9],
      [8, 'x', 'x'],
      [3, '', ''],
    ] as const) {
      makeEditEvent(e, UNIT, `D${row}`, undefined, typed);
      scores[row] = value;
      check();
    }
    // A rule's formula referring to another sheet is refused loudly (Sheets needs INDIRECT for it).
    const app = e.gas.SpreadsheetApp;
    const cross = app
      .newConditionalFormatRule()
      .whenFormulaSatisfied(`=D3>'${SETTINGS}'!$B$1`)
      .setBackground(RED)
      .setRanges([s.getRange('A1')])
      .build();
    s.setConditionalFormatRules([cross]);
    expect(() => effectiveBackground(s, 'A1')).toThrow('INDIRECT');
  });
});

describe('a check-like workload stays fast', () => {
  /** Ten unit sheets of 300 criteria rows: max in C, score in D. */
  function tenUnits() {
    const sheets: Record<string, unknown[][]> = {
      [SETTINGS]: [
        ['Khóa', 'Giá trị'],
        ['Điểm cộng tối đa', 4],
      ],
    };
    for (let u = 1; u <= 10; u++) {
      const rows: unknown[][] = [['STT', 'Tiêu chí', 'Tối đa', 'Tự chấm', 'Giải trình']];
      for (let i = 1; i <= 300; i++)
        rows.push([`${u}.${i}`, `Tiêu chí ${i}`, (i % 5) + 1, i % 7 === 0 ? 'Chưa tính điểm' : (i % 4) / 2, '']);
      sheets[`Đơn vị ${u}`] = rows;
    }
    return sheets;
  }

  test('200 formulas per sheet on 10 sheets of 300 rows, then people typing: values match a hand computation', () => {
    const sheets = tenUnits();
    const e = env(sheets);
    const names = Object.keys(sheets).slice(1);
    const t0 = performance.now();
    for (const name of names) {
      const s = sheetOf(e, name);
      // 100 one-cell formulas (running subtotals of 3 rows) and 100 in one setFormulas call.
      for (let k = 0; k < 100; k++) s.getRange(2 + 3 * k, 6).setFormula(`=SUM(D${2 + 3 * k}:D${4 + 3 * k})`);
      const block = Array.from({ length: 100 }, (_, k) => [`=MIN(D${2 + k};C${2 + k})+N('${SETTINGS}'!$B$2)*0`]);
      s.getRange(2, 7, 100, 1).setFormulas(block);
      s.getDataRange().getValues();
    }
    const written = performance.now() - t0;

    const t1 = performance.now();
    for (let k = 0; k < 100; k++) {
      const name = names[k % names.length];
      const row = 2 + ((k * 37) % 300);
      makeEditEvent(e, name, `D${row}`, undefined, String(k % 6));
      sheets[name][row - 1][3] = k % 6;
      sheetOf(e, name).getDataRange().getValues();
    }
    const typed = performance.now() - t1;

    for (const name of names) {
      const values = sheetOf(e, name).getDataRange().getValues();
      const num = (v: unknown) => (typeof v === 'number' ? v : 0);
      const rows = sheets[name];
      for (let k = 0; k < 100; k++) {
        const r = 2 + 3 * k;
        expect(values[r - 1][5]).toBe(num(rows[r - 1][3]) + num(rows[r][3]) + num(rows[r + 1][3]));
      }
      for (let k = 0; k < 100; k++) {
        const score = rows[1 + k][3];
        const max = rows[1 + k][2] as number;
        // MIN ignores the text of a reference: MIN("Chưa tính điểm"; max) is the max.
        expect(values[1 + k][6]).toBe(typeof score === 'number' ? Math.min(score, max) : max);
      }
    }
    if (process.env.GAS_EMULATOR_TIMING) {
      process.stdout.write(
        `formulas: 2000 written and read back in ${written.toFixed(0)} ms; 100 edits each read back in ${typed.toFixed(0)} ms\n`,
      );
    }
    // Generous bounds for a shared machine: the point is "not slow", measured in the report.
    expect(written).toBeLessThan(15000);
    expect(typed).toBeLessThan(15000);
  });
});
