/**
 * Layouts that must be read right (issue 10, criteria-tree side), one grid per layout, each
 * checked against totals worked out by hand in the comments.
 */
import { formatExact, percentOf, toMicro } from '../../../src/core/engine/decimal';
import { totalLabel } from '../../../src/core/engine/rows';
import { type ScoredSheet, scoreGrid } from '../../../src/core/engine/score';
import { workbookText } from '../../../src/core/sheet/workbook';

const SHORT = ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm'];
const WITH_APPRAISAL = [...SHORT, 'Điểm thẩm định'];

/** A sheet: a title row, the header on row 2, the rows from row 3. */
function read(header: string[], ...rows: unknown[][]): ScoredSheet {
  const r = scoreGrid([['BIỂU CHẤM ĐIỂM CCHC'], header, ...rows]);
  if (!r.ok) throw new Error(r.reason);
  return r;
}

const rules = (r: ScoredSheet) => r.findings.map((f) => `${f.rule} ${f.cell}`);
const outlines = (r: ScoredSheet) => r.criteria.map((c) => c.outline);
const byOutline = (r: ScoredSheet, outline: string) => r.criteria.filter((c) => c.outline === outline);
const childrenOf = (r: ScoredSheet, outline: string, nth = 0) => byOutline(r, outline)[nth].children.map((i) => r.criteria[i].outline);

describe('1. section-total rows inside the table', () => {
  // I: 12 + 25 = 37 of 40; II: 20 + 28,5 = 48,5 of 60; sheet 85,5 of 100.
  const grid = (label1: string, label2: string, typed2: number) =>
    read(
      SHORT,
      ['I', 'Công tác chỉ đạo điều hành', 40], // row 3
      ['1', 'Kế hoạch', 15, 12],
      ['2', 'Tuyên truyền', 25, 25],
      ['', label1, 40, 37], // row 6: right
      ['II', 'Cải cách TTHC', 60], // row 7
      ['1', 'Một cửa', 30, 20],
      ['2', 'Dịch vụ công', 30, 28.5],
      ['', label2, 60, typed2], // row 10
      ['', 'Tổng cộng', 100, 85.5], // row 11: the sheet's total
      ['', 'NGƯỜI LẬP BIỂU'],
      ['', 'Nguyễn Văn A'],
    );

  it.each([
    ['Cộng', 'Cộng'],
    ['Cộng mục I', 'Cộng mục II'],
    ['Tổng điểm phần I', 'Tổng điểm phần II'],
    ['Tổng cộng phần I', 'Tổng cộng phần II'],
    ['CỘNG (I)', 'Cộng II:'],
  ])('"%s" / "%s" are checked against their section, never summed, and never end the table', (l1, l2) => {
    const right = grid(l1, l2, 48.5);
    expect(right.self).toMatchObject({ max: 100, main: 85.5, total: 85.5, classification: 'Tốt' });
    expect(right.totalRow).toBe(11);
    expect(outlines(right)).toEqual(['I', '1', '2', 'II', '1', '2']);
    expect(rules(right)).toEqual([]);
    const wrong = grid(l1, l2, 50);
    expect(wrong.self.total).toBe(85.5);
    expect(rules(wrong)).toEqual(['section-total-mismatch D10']);
    expect(wrong.findings[0].message).toContain('48,5');
    expect(wrong.findings[0].severity).toBe('error');
  });

  it('checks each stage column, and the max, of a section total', () => {
    // section 1: max 10, self 4 + 5 = 9, appraisal 4 + 4 = 8
    const r = read(
      WITH_APPRAISAL,
      ['1', 'Nhóm', 10],
      ['1.1', 'a', 5, 4, 4],
      ['1.2', 'b', 5, 5, 4],
      ['', 'Cộng mục 1', 12, 9, 9], // row 6: max and appraisal wrong
      ['2', 'c', 90, 90, 90],
      ['', 'Tổng cộng', 100, 99, 98],
    );
    expect(rules(r)).toEqual(['section-total-mismatch C6', 'section-total-mismatch E6']);
    expect(r.appraisal).toMatchObject({ total: 98 });
  });

  it('takes only the last grand total as the sheet total; an earlier "Tổng cộng" is checked against what it closes', () => {
    // main 30 + 60 = 90 of 100; bonus 2; total 92
    const r = read(
      SHORT,
      ['1', 'a', 40, 30],
      ['2', 'b', 60, 60],
      ['', 'Tổng cộng', 100, 90], // row 5: closes the main part
      ['', 'Điểm cộng'],
      ['1', 'Sáng kiến', '', 2],
      ['', 'Tổng điểm', '', 92], // row 8: the sheet's total
    );
    expect(r.totalRow).toBe(8);
    expect(r.self).toMatchObject({ main: 90, bonus: 2, total: 92 });
    expect(rules(r)).toEqual([]);
    const wrongEarly = read(SHORT, ['1', 'a', 40, 30], ['2', 'b', 60, 60], ['', 'Tổng cộng', 100, 95], ['', 'Tổng điểm', '', 90]);
    expect(rules(wrongEarly)).toEqual(['section-total-mismatch D5']);
  });

  it('checks the bonus and penalty totals ("Cộng điểm thưởng", "Tổng điểm trừ") against their blocks', () => {
    // bonus 3 + 2 = 5, counted 4; penalty 1 + 0,5 = 1,5; main 80; total 80 + 4 − 1,5 = 82,5
    const block = (bonusTyped: number, penaltyTyped: number) =>
      read(
        SHORT,
        ['1', 'a', 100, 80],
        ['', 'Điểm thưởng'],
        ['1', 'Sáng kiến 1', '', 3],
        ['2', 'Sáng kiến 2', '', 2],
        ['', 'Cộng điểm thưởng', '', bonusTyped], // row 7
        ['', 'Điểm trừ'],
        ['1', 'Chậm báo cáo', '', 1],
        ['2', 'Thiếu minh chứng', '', 0.5],
        ['', 'Tổng điểm trừ', '', penaltyTyped], // row 11
        ['', 'Tổng cộng', 100, 82.5], // row 12
      );
    for (const [bonus, penalty] of [
      [5, 1.5],
      [4, -1.5],
    ]) {
      const r = block(bonus, penalty);
      expect(r.totalRow).toBe(12);
      expect(r.self).toMatchObject({ main: 80, bonus: 4, penalty: 1.5, total: 82.5 });
      expect(rules(r)).toEqual(['bonus-over-cap D4']);
    }
    expect(rules(block(3, 2))).toEqual(['bonus-over-cap D4', 'section-total-mismatch D7', 'section-total-mismatch D11']);
  });

  it('reads a bare "Cộng" as the total when it is the last total row', () => {
    const r = read(SHORT, ['1', 'a', 50, 50], ['2', 'b', 50, 40], ['', 'Cộng', 100, 91]);
    expect(r.totalRow).toBe(5);
    expect(rules(r)).toEqual(['total-mismatch D5']);
  });

  it('does not take "Cộng đồng…" or "Tổng số hồ sơ…" for totals', () => {
    const r = read(
      SHORT,
      ['1', 'a', 50],
      ['', 'Cộng đồng dân cư tham gia', 25, 20],
      ['', 'Tổng số hồ sơ đúng hạn', 25, 25],
      ['2', 'b', 50, 50],
    );
    expect(r.totalRow).toBeNull();
    expect(childrenOf(r, '1').length).toBe(2);
    expect(r.self.total).toBe(95);
  });
});

describe('total labels', () => {
  const none = { ref: null, block: null };
  it.each<[string, ReturnType<typeof totalLabel>]>([
    ['Cộng', none],
    ['TỔNG CỘNG', none],
    ['Tổng điểm:', none],
    ['Tổng cộng (I + II + III)', none],
    ['Tổng điểm tự chấm', none],
    ['Cộng điểm', none],
    ['Cộng các tiêu chí chính', none],
    ['Cộng mục 1', { ref: '1', block: null }],
    ['Cộng mục 2.3', { ref: '2.3', block: null }],
    ['Tổng điểm phần I', { ref: 'i', block: null }],
    ['Tổng cộng phần A', { ref: 'a', block: null }],
    ['Cộng (II)', { ref: 'ii', block: null }],
    ['Cộng điểm thưởng', { ref: null, block: 'bonus' }],
    ['Tổng điểm cộng', { ref: null, block: 'bonus' }],
    ['Tổng điểm trừ', { ref: null, block: 'penalty' }],
    ['Cộng đồng dân cư tham gia giám sát', null],
    ['Công khai ngân sách xã', null],
    ['Công tác chỉ đạo điều hành', null],
    ['Tổng số hồ sơ tiếp nhận', null],
    ['Tổng kết năm', null],
    ['Điểm cộng', null],
  ])('%s', (label, expected) => {
    expect(totalLabel(label)).toEqual(expected);
  });
});

describe('2. the column-number row under the header', () => {
  it.each([
    [['1', '2', '3', '4']],
    [[1, 2, 3, 4]],
    [['(1)', '(2)', '(3)', '(4)']],
    [['A', 'B', 'C', 'D']],
    [['(1)', '(2)', '(3)', '(4)=(3)/(2)']],
  ])('%j is not a criterion', (numbers) => {
    const r = read(SHORT, numbers, ['1', 'a', 60, 45], ['2', 'b', 40, 40]);
    expect(outlines(r)).toEqual(['1', '2']);
    expect(r.self).toMatchObject({ max: 100, total: 85 });
    expect(rules(r)).toEqual([]);
  });

  it('a row that only starts like one stays a criterion', () => {
    const r = read(SHORT, ['1', 'Kế hoạch', 60, 45], ['2', 'b', 40, 40]);
    expect(outlines(r)).toEqual(['1', '2']);
  });
});

describe('3. description and bullet lines', () => {
  it('lines without a score under a scored criterion describe it; scored ones are its items', () => {
    // 1 is a leaf worth 8 (its lines are a scoring guide); 2 has two scored items: 10 + 8 = 18;
    // 3 is worth 60. main = 8 + 18 + 60 = 86 of 10 + 20 + 70 = 100.
    const r = read(
      SHORT,
      ['1', 'Ban hành kế hoạch', 10, 8],
      ['', '- Ban hành đúng hạn: 10 điểm', 10],
      ['', '- Ban hành trễ hạn: 5 điểm', 5],
      ['', '+ Không ban hành: 0 điểm'],
      ['2', 'Thực hiện kế hoạch', 20],
      ['', '• Nội dung A', 12, 10],
      ['', '• Nội dung B', 8, 8],
      ['3', 'Báo cáo', 70, 60],
      ['*', 'Ghi chú: báo cáo gửi trước 15/12'],
      ['–', 'Nộp qua hệ thống', ''],
    );
    expect(r.self).toMatchObject({ max: 100, main: 86, total: 86 });
    expect(byOutline(r, '1')[0].children).toEqual([]);
    expect(byOutline(r, '1')[0].description).toEqual([
      '- Ban hành đúng hạn: 10 điểm',
      '- Ban hành trễ hạn: 5 điểm',
      '+ Không ban hành: 0 điểm',
    ]);
    expect(byOutline(r, '2')[0].children.map((i) => r.criteria[i].text)).toEqual(['• Nội dung A', '• Nội dung B']);
    expect(byOutline(r, '3')[0].description).toEqual(['* Ghi chú: báo cáo gửi trước 15/12', '– Nộp qua hệ thống']);
    expect(rules(r)).toEqual([]);
  });

  it('before anyone scores, lines whose maxes add up to the criterion are its items; a guide is not', () => {
    // template: 1 (max 4) has items 2 + 2; 2 (max 6) has a guide 6 / 3 that does not add up.
    const r = read(
      SHORT,
      ['1', 'a', 4, ''],
      ['', '- a1', 2, ''],
      ['', '- a2', 2, ''],
      ['2', 'b', 6, ''],
      ['', '- Đạt: 6 điểm', 6, ''],
      ['', '- Chưa đạt: 3 điểm', 3, ''],
      ['3', 'c', 90, ''],
    );
    expect(byOutline(r, '1')[0].children.length).toBe(2);
    expect(byOutline(r, '2')[0].children).toEqual([]);
    expect(r.self).toMatchObject({ max: 100, total: 0, complete: false, scored: 0, applicable: 4 });
  });

  it('lines under a group with numbered items describe the group', () => {
    // 1.1 = 3, 1.2 = 4: group 1 = 7 of 10; 2 = 90 of 90
    const r = read(SHORT, ['1', 'Nhóm', 10], ['', '- yêu cầu chung', 10], ['1.1', 'a', 5, 3], ['1.2', 'b', 5, 4], ['2', 'c', 90, 90]);
    expect(childrenOf(r, '1')).toEqual(['1.1', '1.2']);
    expect(r.self).toMatchObject({ max: 100, total: 97 });
    expect(rules(r)).toEqual([]);
  });

  it('a note line above the first criterion is nobody’s item', () => {
    const r = read(SHORT, ['', '- Ghi chú: chấm theo Quyết định 123', 5], ['1', 'a', 100, 70]);
    expect(outlines(r)).toEqual(['1']);
    expect(r.self).toMatchObject({ max: 100, total: 70 });
  });

  it('wrapped lines without a bullet still join the criterion text', () => {
    const r = read(SHORT, ['1', 'Tỷ lệ hồ sơ giải quyết', 100, 90], ['', 'đúng hạn và trước hạn']);
    expect(r.criteria[0].text).toBe('Tỷ lệ hồ sơ giải quyết đúng hạn và trước hạn');
  });
});

describe('4. outline numbers typed as numbers', () => {
  it('reads 1.1 after 1.9 as 1.10 (and 2.2 after 2.19 as 2.20), with a warning', () => {
    const rows: unknown[][] = [['1', 'Nhóm 1', 20]];
    for (let k = 1; k <= 9; k++) rows.push([Number(`1.${k}`), `a${k}`, 1, 1]);
    rows.push([1.1, 'a10', 11, 10]); // row 13: 1.10
    rows.push(['2', 'Nhóm 2', 80]);
    for (let k = 1; k <= 19; k++) rows.push([`2.${k}`, `b${k}`, 4, 4]);
    rows.push([2.2, 'b20', 4, 2]); // row 34: 2.20
    const r = read(SHORT, ...rows);
    expect(childrenOf(r, '1').slice(-2)).toEqual(['1.9', '1.10']);
    expect(childrenOf(r, '2').slice(-2)).toEqual(['2.19', '2.20']);
    // 9 + 10 + 76 + 2 = 97 of 9 + 11 + 80 = 100
    expect(r.self).toMatchObject({ max: 100, total: 97 });
    expect(rules(r)).toEqual(['outline-as-number A13', 'outline-as-number A34']);
    expect(r.findings[0].severity).toBe('warning');
    expect(r.findings[0].message).toContain('1.10');
  });

  it('a 1.1 typed as text after 1.9 stays a duplicate', () => {
    const r = read(SHORT, ['1', 'Nhóm', 100], ['1.1', 'a', 50, 50], ['1.2', 'b', 50, 40], ['1.1', 'c', 0, 0]);
    expect(rules(r)).toContain('duplicate-stt A6');
  });
});

describe('5. lettered sections, and bonus and penalty blocks wherever they sit', () => {
  it('A/B/C/D sections, C read as a letter, bonus and penalty by their titles', () => {
    // main 20 + 25 + 40 = 85; bonus 2; penalty 1; total 86
    const r = read(
      SHORT,
      ['A', 'Phần A', 50],
      ['1', 'a', 20, 20],
      ['2', 'b', 30, 25],
      ['B', 'Phần B', 50],
      ['1', 'c', 50, 40],
      ['C', 'Điểm thưởng'],
      ['1', 'Sáng kiến', '', 2],
      ['D.', 'ĐIỂM TRỪ'],
      ['1', 'Chậm báo cáo', '', 1],
      ['', 'Tổng cộng (A+B+C-D)', 100, 86],
    );
    expect(r.self).toMatchObject({ max: 100, main: 85, bonus: 2, penalty: 1, total: 86 });
    expect(r.totalRow).toBe(12);
    expect(childrenOf(r, 'A')).toEqual(['1', '2']);
    expect(rules(r)).toEqual([]);
  });

  it('"A", "B" typed as items under a numbered criterion stay its items', () => {
    // 1 = A 20 + B 25 = 45 of 50; 2 = 40 of 50
    const r = read(SHORT, ['1', 'Nhóm', 50], ['A', 'x', 20, 20], ['B', 'y', 30, 25], ['2', 'z', 50, 40]);
    expect(childrenOf(r, '1')).toEqual(['A', 'B']);
    expect(r.self).toMatchObject({ max: 100, total: 85 });
    expect(rules(r)).toEqual([]);
  });

  it('bonus and penalty above the criteria: the next ordinary section is main again', () => {
    // bonus 1,5; penalty 0,5; main 50 + 30 = 80; total 81
    const r = read(
      SHORT,
      ['A', 'ĐIỂM THƯỞNG'],
      ['1', 'Sáng kiến', '', 1.5],
      ['B', 'ĐIỂM TRỪ'],
      ['1', 'Chậm báo cáo', '', 0.5],
      ['C', 'TIÊU CHÍ ĐÁNH GIÁ', 100],
      ['1', 'a', 60, 50],
      ['2', 'b', 40, 30],
    );
    expect(r.self).toMatchObject({ max: 100, main: 80, bonus: 1.5, penalty: 0.5, total: 81 });
    expect(r.criteria.filter((c) => c.block === 'main').map((c) => c.outline)).toEqual(['C', '1', '2']);
    expect(rules(r)).toEqual([]);
  });

  it('Roman sections inside lettered ones, and "Phần I" in the STT column', () => {
    // A = I (30) + II (60) = 90 of 100; bonus 1; total 91
    const r = read(
      SHORT,
      ['A', 'TIÊU CHÍ CHÍNH', 100],
      ['Phần I', 'Chỉ đạo', 40],
      ['1', 'a', 40, 30],
      ['PHẦN II', 'Thủ tục', 60],
      ['1', 'b', 60, 60],
      ['B', 'Điểm cộng'],
      ['1', 'c', '', 1],
    );
    expect(childrenOf(r, 'A')).toEqual(['I', 'II']);
    expect(childrenOf(r, 'II')).toEqual(['1']);
    expect(r.self).toMatchObject({ main: 90, bonus: 1, total: 91 });
  });

  it('a Roman bonus section in the middle, then an ordinary one', () => {
    // main 45 + 40 = 85; bonus 1; total 86
    const r = read(
      SHORT,
      ['I', 'Phần I', 50],
      ['1', 'a', 50, 45],
      ['II', 'Điểm thưởng'],
      ['1', 'x', '', 1],
      ['III', 'Phần III', 50],
      ['1', 'b', 50, 40],
    );
    expect(r.self).toMatchObject({ max: 100, main: 85, bonus: 1, total: 86 });
    expect(byOutline(r, 'III')[0].block).toBe('main');
  });

  it('the max on a bonus title is its cap, and a typed capped subtotal there is right', () => {
    // five initiatives of 1 point: 5, counted 4; main 90; total 94
    const r = read(
      SHORT,
      ['1', 'a', 100, 90],
      ['II', 'Điểm thưởng (tối đa 4 điểm)', 4, 4],
      ...[1, 2, 3, 4, 5].map((k) => [`${k}`, `Sáng kiến ${k}`, '', 1]),
    );
    expect(r.self).toMatchObject({ main: 90, bonus: 4, total: 94 });
    expect(rules(r)).toEqual(['bonus-over-cap D4']);
  });

  it('a bonus block above unsectioned criteria is refused with a reason, not summed silently as main', () => {
    const r = read(SHORT, ['', 'Điểm cộng'], ['1', 'a', 60, 50], ['2', 'b', 40, 30]);
    expect(r.self.main).toBe(0);
    // and the 80 points read as bonus are capped at 4
    expect(rules(r)).toEqual(['main-max-not-100 C2', 'bonus-over-cap D3']);
    expect(r.findings[0].message).toContain('Không có tiêu chí chính nào');
  });
});

describe('12. a partly done appraisal is not a final result', () => {
  // self: a, b, d scored (c not applicable) → 40 + 30 + 5 = 75 of 80; appraisal: only a (35).
  const r = read(
    WITH_APPRAISAL,
    ['1', 'Nhóm 1', 40],
    ['1.1', 'a', 40, 40, 35],
    ['2', 'Nhóm 2', 60],
    ['2.1', 'b', 30, 30, ''],
    ['2.2', 'c', 20, 'Không áp dụng', ''],
    ['2.3', 'd', 10, 5, ''],
  );

  it('counts scored and applicable leaves per stage', () => {
    expect(r.self).toMatchObject({ applicableMax: 80, total: 75, complete: true, scored: 3, applicable: 3 });
    expect(r.appraisal).toMatchObject({ total: 35, complete: false, scored: 1, applicable: 3 });
  });

  it('writes no appraisal subtotal for a group nobody has appraised', () => {
    const group1 = byOutline(r, '1')[0].row;
    const group2 = byOutline(r, '2')[0].row;
    expect(r.computed.filter((c) => c.kind === 'subtotal')).toEqual([
      { row: group1, col: 3, value: 40, kind: 'subtotal' },
      { row: group1, col: 4, value: 35, kind: 'subtotal' },
      { row: group2, col: 3, value: 35, kind: 'subtotal' },
    ]);
  });

  it('the text report gives progress, not a class, for the appraisal', () => {
    const text = workbookText('x.xlsx', { sheets: [{ name: 'Đơn vị', result: r }], skipped: [] });
    expect(text).toMatch(/Đã chấm\s+3\/3\s+1\/3/);
    // self 75 of 80 = 93,75 %
    expect(text).toMatch(/Xếp loại\s+Xuất sắc\s+chưa xếp loại/);
    expect(text).toContain('đã thẩm định 1/3 tiêu chí');
  });
});

describe('13. percent and class agree on screen', () => {
  it('89,9997 of 100 is shown as 89,9997 points and 89,999 %, beside "Tốt"', () => {
    const r = read(SHORT, ['1', 'a', 60, 59.9997], ['2', 'b', 40, 30]);
    expect(r.self).toMatchObject({ total: 89.9997, percent: 89.999, classification: 'Tốt' });
    const text = workbookText('x.xlsx', { sheets: [{ name: 'Đơn vị', result: r }], skipped: [] });
    expect(text).toMatch(/Tổng điểm\s+89,9997\n/);
    expect(text).toMatch(/Tỷ lệ\s+89,999%\n/);
    expect(text).not.toMatch(/\b90(,0+)?%/);
  });

  it('a percent just under a threshold never rounds up to it', () => {
    // 53,9998 of 60 = 89,99966… %
    const r = read(SHORT, ['1', 'a', 60, 53.9998], ['2', 'b', 40, 'Không áp dụng']);
    expect(r.self).toMatchObject({ percent: 89.999, classification: 'Tốt' });
    expect(percentOf(toMicro(79.99999), toMicro(100))).toBe(79.999);
    expect(percentOf(toMicro(80), toMicro(100))).toBe(80);
    expect(formatExact(0.000001)).toBe('0,000001');
    expect(formatExact(84.96)).toBe('84,96');
  });
});
