import { SUMMARY_HEADERS } from '../../../src/core/sheet/own-sheets';
import { CLASSIFICATION_COLORS } from '../../../src/core/engine/classify';
import { defaultSettings } from '../../../src/core/settings/settings';
import { buildSummary, rankBasis, rankUnits, summaryLayout, summaryUnits } from '../../../src/core/summary/summary';
import type { StageResult } from '../../../src/core/engine/score';
import { scored, sheet } from '../../helpers';

const stage = (percent: number): StageResult => ({
  max: 100,
  applicableMax: 100,
  main: percent,
  bonus: 0,
  penalty: 0,
  total: percent,
  percent,
  classification: 'Khá',
  complete: true,
  scored: 10,
  applicable: 10,
});

describe('ranking', () => {
  it('ranks by self percent, ties sharing a rank', () => {
    expect(
      rankUnits([
        { self: stage(80), appraisal: null },
        { self: stage(90), appraisal: stage(70) },
        { self: stage(80), appraisal: null },
        { self: null, appraisal: null },
      ]),
    ).toEqual([2, 1, 2, null]);
  });
  it('ranks by appraisal percent when every unit has one', () => {
    expect(
      rankUnits([
        { self: stage(99), appraisal: stage(70) },
        { self: stage(80), appraisal: stage(75) },
      ]),
    ).toEqual([2, 1]);
  });
});

describe('summary', () => {
  const a = scored(sheet(['1', 'Phần A', 60], ['1.1', 'a', 60, 60, '', 'l'], ['2', 'Phần B', 40], ['2.1', 'b', 40, '', '', '']));
  const b = scored(sheet(['1', 'Phần A', 60], ['1.1', 'a', 60, 30, 'x', 'l'], ['2', 'Phần B', 40], ['2.1', 'b', 40, 40, '', 'l']));
  const scores = new Map<string, ReturnType<typeof scored> | string>([
    ['A', a],
    ['B', b],
    ['Ghi chú', 'Không tìm thấy hàng tiêu đề'],
  ]);

  it('follows the units table order and reports missing sheets', () => {
    const s = defaultSettings(2026);
    s.units = [
      { name: 'Đơn vị B', sheet: 'B', focal: 'Bình', email: 'b@gialai.gov.vn', phone: '', sensitive: false },
      { name: 'Đơn vị A', sheet: 'a', focal: 'An', email: 'dona@gmail.com', phone: '', sensitive: false },
      { name: 'Đơn vị C', sheet: 'C', focal: '', email: 'c@gialai.gov.vn', phone: '', sensitive: false },
    ];
    const units = summaryUnits(s, ['A', 'B', 'Ghi chú'], scores);
    expect(units.map((u) => [u.unit, u.sheet, u.problem])).toEqual([
      ['Đơn vị B', 'B', null],
      ['Đơn vị A', 'A', 'Cần sửa email dona@gmail.com: email cá nhân, không phải email công vụ.'],
      ['Đơn vị C', 'C', 'Không tìm thấy trang tính "C".'],
    ]);
    const { rows, sections } = buildSummary(units);
    expect(sections).toEqual(['1. Phần A', '2. Phần B']);
    expect(rows.map((r) => [r.unit, r.rank, r.self?.total, r.selfScoredShare, r.pending.unscored])).toEqual([
      ['Đơn vị B', 1, 70, 100, 0],
      ['Đơn vị A', 2, 60, 50, 1],
      ['Đơn vị C', null, undefined, 0, 0],
    ]);
  });

  it('uses every score sheet when there is no units table, and lays out one block', () => {
    const units = summaryUnits(defaultSettings(2026), ['A', 'B', 'Ghi chú'], scores);
    expect(units.map((u) => u.sheet)).toEqual(['A', 'B']);
    const { rows, sections } = buildSummary(units);
    const layout = summaryLayout({ commune: 'Phước Chánh', field: 'CCHC', year: 2026, updatedAt: '23/11/2026 08:00' }, rows, sections);
    expect(layout.values[1][0]).toBe('Cập nhật lúc 23/11/2026 08:00');
    expect(layout.values[layout.headerRow - 1].slice(0, SUMMARY_HEADERS.length)).toEqual(SUMMARY_HEADERS);
    expect(layout.values.every((r) => r.length === layout.width)).toBe(true);
    expect(layout.values[layout.matrixHeaderRow]).toEqual(['', 'A', 60, 0, ...Array(layout.width - 4).fill('')]);
    expect(layout.values[layout.firstUnitRow - 1].slice(0, 2)).toEqual([2, 'A']);
    expect(layout.backgrounds[layout.firstUnitRow - 1][14]).toBe(CLASSIFICATION_COLORS['Trung bình']); // A: 60%
  });
});

describe('a partly done appraisal in the summary', () => {
  // [stt, text, max, self, explanation, evidence, appraisal, reason]
  const done = scored(sheet(['1', 'a', 60, 60, '', 'l', 50, 'x'], ['2', 'b', 40, 30, 'y', 'l', 30, ''])); // self 90, appraisal 80
  const underway = scored(sheet(['1', 'a', 60, 51, 'y', 'l', 51, ''], ['2', 'b', 40, 40, '', 'l', '', ''])); // self 91, appraised 1 of 2
  const unit = (name: string, result: ReturnType<typeof scored>) => ({ unit: name, sheet: name, focal: '', result, problem: null });

  it('ranks and classifies by the appraisal only when it is complete for every unit', () => {
    expect(underway.appraisal).toMatchObject({ complete: false, scored: 1, applicable: 2 });
    const partly = buildSummary([unit('Xong', done), unit('Đang làm', underway)]);
    // by self: 91 > 90
    expect(partly.rows.map((r) => [r.unit, r.rank])).toEqual([
      ['Xong', 2],
      ['Đang làm', 1],
    ]);
    expect(rankBasis(partly.rows)).toBe('self');
    const both = buildSummary([unit('Xong', done), unit('Xong 2', done)]);
    expect(rankBasis(both.rows)).toBe('appraisal');
  });

  it('shows the progress instead of an appraisal total and class', () => {
    const { rows, sections } = buildSummary([unit('Xong', done), unit('Đang làm', underway)]);
    const layout = summaryLayout({ commune: '', field: 'CCHC', year: 2026, updatedAt: '' }, rows, sections);
    const col = (name: string) => SUMMARY_HEADERS.indexOf(name);
    const [first, second] = [layout.values[layout.firstUnitRow - 1], layout.values[layout.firstUnitRow]];
    expect([first[col('Tổng thẩm định')], first[col('Tỷ lệ thẩm định (%)')], first[col('Xếp loại thẩm định')]]).toEqual([80, 80, 'Tốt']);
    expect([second[col('Tổng thẩm định')], second[col('Chênh lệch')], second[col('Tỷ lệ thẩm định (%)')]]).toEqual(['', '', '']);
    expect(second[col('Xếp loại thẩm định')]).toBe('đã thẩm định 1/2 tiêu chí');
    expect(layout.backgrounds[layout.firstUnitRow][col('Xếp loại thẩm định')]).toBe('#ffffff');
    expect(layout.values[2][0]).toBe('Xếp hạng theo tỷ lệ điểm tự chấm (thẩm định chưa xong ở 1 đơn vị); các đơn vị bằng tỷ lệ cùng hạng.');
  });

  it('never writes a percent that reads as a higher class than the one given', () => {
    // 53,9998 of 60 = 89,99966… %: "Tốt", written as 89,999
    const edge = scored(sheet(['1', 'a', 60, 53.9998, 'y', 'l'], ['2', 'b', 40, 'Không áp dụng', '', '']));
    const { rows, sections } = buildSummary([unit('Sát ngưỡng', edge)]);
    const layout = summaryLayout({ commune: '', field: 'CCHC', year: 2026, updatedAt: '' }, rows, sections);
    const row = layout.values[layout.firstUnitRow - 1];
    expect([row[SUMMARY_HEADERS.indexOf('Tỷ lệ tự chấm (%)')], row[SUMMARY_HEADERS.indexOf('Xếp loại tự chấm')]]).toEqual([89.999, 'Tốt']);
  });
});
