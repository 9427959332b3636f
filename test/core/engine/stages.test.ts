import type { RuleCode } from '../../../src/core/engine/findings';
import { inferStage, needsMoreEvidence, officialResult, STAGE_NAMES, stageOfName } from '../../../src/core/engine/stages';
import { scored } from '../../helpers';

/** The standard columns and the later stages' ones. */
const HEADER = [
  'STT',
  'Tiêu chí',
  'Điểm tối đa',
  'Điểm tự chấm',
  'Giải trình',
  'Minh chứng',
  'Kiểm tra minh chứng',
  'Minh chứng bổ sung',
  'Điểm thẩm định',
  'Lý do điều chỉnh',
  'Giải trình sau thẩm định',
  'Điểm sau giải trình',
  'Lý do điều chỉnh lần 2',
];
const COL = Object.fromEntries(HEADER.map((h, i) => [h, i])) as Record<string, number>;
const LETTER = (h: string) => String.fromCharCode(65 + COL[h]);

type Row = Partial<Record<(typeof HEADER)[number], unknown>>;
const row = (values: Row) => HEADER.map((h) => values[h] ?? '');

/**
 * 1 (group, 60) = 1.1 (30) + 1.2 (30); 2 (40). Rows: title 1, header 2, 1 on 3, 1.1 on 4, 1.2 on 5, 2 on 6.
 * 1.1: appraised 20 under a self score of 30, appealed. 1.2: the office asked for more evidence;
 * appealed although its appraisal equals its self score. 2: appraised 30 under 40, appealed.
 */
function grid(extra: { final11?: unknown; reason11?: unknown; final12?: unknown; final2?: unknown } = {}): unknown[][] {
  return [
    ['BIỂU CHẤM ĐIỂM'],
    HEADER,
    row({ STT: '1', 'Tiêu chí': 'Nhóm 1', 'Điểm tối đa': 60 }),
    row({
      STT: '1.1',
      'Tiêu chí': 'Ban hành kế hoạch',
      'Điểm tối đa': 30,
      'Điểm tự chấm': 30,
      'Minh chứng': 'https://x/1',
      'Kiểm tra minh chứng': 'Đạt',
      'Điểm thẩm định': 20,
      'Lý do điều chỉnh': 'Kế hoạch ban hành chậm',
      'Giải trình sau thẩm định': 'Kế hoạch ban hành đúng hạn, xem văn bản bổ sung',
      'Minh chứng bổ sung': 'https://x/1b',
      'Điểm sau giải trình': extra.final11 ?? '',
      'Lý do điều chỉnh lần 2': extra.reason11 ?? '',
    }),
    row({
      STT: '1.2',
      'Tiêu chí': 'Báo cáo',
      'Điểm tối đa': 30,
      'Điểm tự chấm': 25,
      'Giải trình': 'Một báo cáo trễ',
      'Minh chứng': 'https://x/2',
      'Kiểm tra minh chứng': 'Cần bổ sung: báo cáo quý II',
      'Điểm thẩm định': 25,
      'Giải trình sau thẩm định': 'Xin giữ điểm',
      'Điểm sau giải trình': extra.final12 ?? '',
    }),
    row({
      STT: '2',
      'Tiêu chí': 'Ứng dụng CNTT',
      'Điểm tối đa': 40,
      'Điểm tự chấm': 40,
      'Minh chứng': 'https://x/3',
      'Điểm thẩm định': 30,
      'Lý do điều chỉnh': 'Thiếu số liệu',
      'Giải trình sau thẩm định': 'Số liệu có trong báo cáo năm',
      'Điểm sau giải trình': extra.final2 ?? '',
    }),
  ];
}

const rules = (r: ReturnType<typeof scored>, ...codes: RuleCode[]) =>
  r.findings.filter((f) => codes.includes(f.rule)).map((f) => `${f.rule} ${f.cell}`);

describe('the final round after the appeal', () => {
  it('takes the final score where the council wrote one and the appraisal elsewhere', () => {
    const r = scored(grid({ final11: 28, reason11: 'Chấp nhận văn bản bổ sung', final2: 35 }));
    // self 30 + 25 + 40; appraisal 20 + 25 + 30; final 28 + 25 (its appraisal) + 35.
    expect(r.self.total).toBe(95);
    expect(r.appraisal?.total).toBe(75);
    expect(r.final?.total).toBe(88);
    expect(r.final?.percent).toBe(88);
    expect(r.final?.complete).toBe(true);
    expect(r.official).toBe('final');
    expect(officialResult(r).total).toBe(88);
    const group = r.criteria.find((c) => c.outline === '1')!;
    expect(group.points.final).toBe(53_000_000);
  });

  it('is not complete while an allowed appeal waits for its final score: the appraisal stays official', () => {
    const r = scored(grid({ final11: 28, reason11: 'Chấp nhận' }));
    // 2 was appealed (30 < 40) and has no final score yet: its appraisal is counted, the stage is open.
    expect(r.final?.total).toBe(28 + 25 + 30);
    expect(r.final?.complete).toBe(false);
    expect(r.final?.scored).toBe(2);
    expect(r.official).toBe('appraisal');
    expect(rules(r, 'appeal-pending')).toEqual([`appeal-pending ${LETTER('Điểm sau giải trình')}6`]);
  });

  it('is null with nothing in the final column, and without the column', () => {
    const r = scored(grid());
    expect(r.final).toBeNull();
    expect(r.official).toBe('appraisal');
    const without = grid().map((cells) => cells.slice(0, COL['Điểm sau giải trình']));
    const w = scored(without);
    expect(w.final).toBeNull();
    expect(w.official).toBe('appraisal');
    const selfOnly = scored(grid().map((cells) => cells.slice(0, COL['Điểm thẩm định'])));
    expect(selfOnly.official).toBe('self');
  });

  it('reports the later stages with stable codes', () => {
    const r = scored(grid({ final11: 28, final12: 30, final2: 30 }));
    expect(rules(r, 'evidence-needs-more', 'appeal-not-allowed', 'appeal-pending', 'missing-final-reason', 'final-above-self')).toEqual([
      // 1.1: final 28 differs from the appraisal 20, no reason
      `missing-final-reason ${LETTER('Lý do điều chỉnh lần 2')}4`,
      // 1.2: "Cần bổ sung" and nothing in "Minh chứng bổ sung"
      `evidence-needs-more ${LETTER('Minh chứng bổ sung')}5`,
      // 1.2: appealed with the appraisal equal to the self score
      `appeal-not-allowed ${LETTER('Giải trình sau thẩm định')}5`,
      // 1.2: final 30 is above the self score 25, and differs from the appraisal 25 without a reason (sorted by column)
      `final-above-self ${LETTER('Điểm sau giải trình')}5`,
      `missing-final-reason ${LETTER('Lý do điều chỉnh lần 2')}5`,
      // 2: final 30 equals the appraisal: no reason needed
    ]);
    const messages = r.findings.filter((f) => f.rule === 'appeal-not-allowed').map((f) => f.message);
    expect(messages[0]).toContain('điểm thẩm định 25 không thấp hơn điểm tự chấm 25');
    expect(r.final?.total).toBe(28 + 30 + 30);
  });

  it('checks a typed group total and the total row in the final column', () => {
    const g = grid({ final11: 28, reason11: 'Chấp nhận', final2: 30 });
    g[2][COL['Điểm sau giải trình']] = 50; // the group's final is 28 + 25 = 53
    g.push(row({ 'Tiêu chí': 'Tổng cộng', 'Điểm tối đa': 100, 'Điểm sau giải trình': 83 }));
    const r = scored(g);
    expect(rules(r, 'subtotal-mismatch', 'total-mismatch')).toEqual([
      `subtotal-mismatch ${LETTER('Điểm sau giải trình')}3`,
      // the right total 28 + 25 + 30 = 83: no mismatch
    ]);
    expect(r.computed.filter((c) => c.col === COL['Điểm sau giải trình']).map((c) => [c.row, c.value, c.kind])).toEqual([
      [3, 53, 'subtotal'],
      [7, 83, 'total'],
    ]);
  });

  it('leaves a criterion the appraisal marked not applicable out of the final max', () => {
    const g = grid({ final11: 30, reason11: 'Chấp nhận' });
    g[5][COL['Điểm thẩm định']] = 'Không áp dụng';
    g[5][COL['Giải trình sau thẩm định']] = '';
    const r = scored(g);
    expect(r.final?.applicableMax).toBe(60);
    expect(r.final?.total).toBe(55);
    expect(r.final?.percent).toBe(91.666);
  });
});

describe('stages', () => {
  it('infers the stage from the columns that hold data', () => {
    const clear = (g: unknown[][], ...headers: string[]) => {
      for (const cells of g.slice(2)) for (const h of headers) cells[COL[h]] = '';
      return g;
    };
    expect(inferStage(scored(grid({ final2: 35 })))).toBe('reappraisal');
    expect(inferStage(scored(grid()))).toBe('appeal');
    const appraised = clear(grid(), 'Giải trình sau thẩm định', 'Minh chứng bổ sung');
    expect(inferStage(scored(appraised))).toBe('appraisal');
    const checked = clear(appraised, 'Điểm thẩm định', 'Lý do điều chỉnh');
    expect(inferStage(scored(checked))).toBe('check');
    expect(inferStage(scored(clear(checked, 'Kiểm tra minh chứng')))).toBe('self');
  });

  it('names the stages and reads the names back', () => {
    expect(Object.values(STAGE_NAMES)).toEqual(['Tự chấm', 'Kiểm tra minh chứng', 'Thẩm định', 'Giải trình', 'Thẩm định lại', 'Công bố']);
    expect(stageOfName('thẩm định lại')).toBe('reappraisal');
    expect(stageOfName(' CÔNG BỐ ')).toBe('published');
    expect(stageOfName('Khác')).toBeNull();
  });

  it('reads an evidence check asking for more', () => {
    expect(needsMoreEvidence('Cần bổ sung')).toBe(true);
    expect(needsMoreEvidence('cần bổ sung: quyết định số 12')).toBe(true);
    expect(needsMoreEvidence('Chưa đạt')).toBe(true);
    expect(needsMoreEvidence('Đạt')).toBe(false);
    expect(needsMoreEvidence('')).toBe(false);
  });
});
