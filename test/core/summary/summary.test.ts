import { CLASSIFICATION_COLORS } from '../../../src/core/engine/classify';
import { defaultSettings } from '../../../src/core/settings/settings';
import { buildSummary, rankUnits, summaryLayout, summaryUnits, SUMMARY_HEADERS } from '../../../src/core/summary/summary';
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
