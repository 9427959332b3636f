import type { ScoredSheet } from '../../../src/core/engine/score';
import { defaultSettings } from '../../../src/core/settings/settings';
import { buildSummary, FINAL_UNDERWAY, SUMMARY_COL, summaryJson, summaryLayout, summaryUnits } from '../../../src/core/summary/summary';
import { scored } from '../../helpers';

const HEADER = [
  'STT',
  'Tiêu chí',
  'Điểm tối đa',
  'Điểm tự chấm',
  'Điểm thẩm định',
  'Lý do',
  'Giải trình sau thẩm định',
  'Điểm sau giải trình',
];

/** Two criteria of 50: [self, appraisal, appeal, final] each. */
function unitSheet(a: unknown[], b: unknown[]): ScoredSheet {
  const row = (outline: string, [self, appraisal, appeal, final]: unknown[]) => [
    outline,
    `Tiêu chí ${outline}`,
    50,
    self,
    appraisal,
    'x',
    appeal,
    final,
  ];
  return scored([['BIỂU'], HEADER, row('1', a), row('2', b)]);
}

describe('the summary with the final round', () => {
  // A: appraised 40 + 45 = 85, appealed 1, final 50: 95. B: appraised 45 + 45 = 90, no appeal.
  // C: appraised 40 + 45 = 85, appealed both; 2 decided (kept 45), 1 still waiting: its appraisal is its result.
  const scores = new Map<string, ScoredSheet | string>([
    ['A', unitSheet([50, 40, 'Xin xem lại', 50], [45, 45, '', ''])],
    ['B', unitSheet([50, 45, '', ''], [45, 45, '', ''])],
    ['C', unitSheet([50, 40, 'Xin xem lại', ''], [50, 45, 'Xin xem lại', 45])],
  ]);
  const settings = defaultSettings(2026);
  const { rows, sections } = buildSummary(summaryUnits(settings, ['A', 'B', 'C'], scores));

  it('ranks every unit on its official result once all are appraised', () => {
    // official percents: A 95 (final; its appraisal 85 alone would rank it last), B 90, C 85 (appraisal).
    expect(rows.map((r) => [r.sheet, r.official, r.rank])).toEqual([
      ['A', 'final', 1],
      ['B', 'appraisal', 2],
      ['C', 'appraisal', 3],
    ]);
  });

  it('gives the final round, the official stage and the stage in the JSON', () => {
    const units = summaryJson(rows).units;
    expect(units.map((u) => [u.final?.total ?? null, u.official, u.stage])).toEqual([
      [95, 'final', 'reappraisal'],
      [null, 'appraisal', 'appraisal'],
      [85, 'appraisal', 'reappraisal'],
    ]);
  });

  it('shows the official percent, the final round and the stage in the sheet', () => {
    const layout = summaryLayout({ commune: '', field: 'CCHC', year: 2026, updatedAt: '' }, rows, sections);
    const line = (k: number) => layout.values[layout.firstUnitRow - 1 + k];
    const stageCol = layout.values[layout.headerRow - 1].indexOf('Giai đoạn');
    expect(
      [0, 1, 2].map((k) => [line(k)[SUMMARY_COL.officialPercent], line(k)[SUMMARY_COL.finalTotal], line(k)[SUMMARY_COL.finalClass]]),
    ).toEqual([
      [95, 95, 'Xuất sắc'],
      [90, '', ''],
      [85, '', FINAL_UNDERWAY],
    ]);
    expect([0, 1, 2].map((k) => line(k)[stageCol])).toEqual(['Thẩm định lại', 'Thẩm định', 'Thẩm định lại']);
  });

  it('takes a stage recorded by the workflow over the one the data shows', () => {
    const units = summaryUnits(settings, ['A'], scores).map((u) => ({ ...u, stage: 'published' as const }));
    expect(buildSummary(units).rows[0].stage).toBe('published');
  });
});
