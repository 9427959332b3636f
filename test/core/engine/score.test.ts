import type { RuleCode } from '../../../src/core/engine/findings';
import { appendixGrid, scored, sheet } from '../../helpers';

describe('the real 2024 appendix', () => {
  const r = scored(appendixGrid());
  const at = (outline: string) => r.criteria.find((c) => c.outline === outline && c.block === 'main')!;
  const pairs = r.findings.map((f) => `${f.rule} ${f.cell}`);

  it('finds the header on row 5 and builds the tree', () => {
    expect(r.headerRow).toBe(5);
    expect(r.criteria.filter((c) => c.depth === 0 && c.block === 'main').map((c) => c.outline)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      'II',
    ]);
    expect(at('1.3').children.map((i) => r.criteria[i].outline)).toEqual(['1.3.1', '1.3.2', '1.3.3', '1.3.4', '1.3.5']);
    expect(r.totalRow).toBe(100);
  });

  it('joins wrapped lines to the criterion above instead of counting them', () => {
    expect(at('3.3.2').text).toBe('Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận trong nằm được giải quyết đúng hạn và trước hạn');
    const penalty = r.criteria.find((c) => c.block === 'penalty' && c.outline === '2.3')!;
    expect(penalty.text.endsWith('trong 2 năm liên tiếp liên kế năm đánh giá')).toBe(true);
  });

  it('starts the bonus and penalty blocks where the numbering restarts', () => {
    const bonus = r.criteria.filter((c) => c.block === 'bonus').map((c) => c.outline);
    const penalty = r.criteria.filter((c) => c.block === 'penalty').map((c) => c.outline);
    expect(bonus).toEqual(['1', '1.1', '1.2', '1.3', '1.4']);
    expect(penalty).toEqual(['2', '2.1', '2.2', '2.3', '2.4']);
    expect(pairs.filter((p) => p.startsWith('duplicate-stt'))).toEqual([]);
  });

  it('finds every mistake in the sheet', () => {
    const expected = [
      // typed subtotals that disagree with their children, in the self and the appraisal column
      'subtotal-mismatch E14', // 1.3 appraisal 5, children 6
      'subtotal-mismatch E21', // 2 appraisal 12,25, children 11,25
      'subtotal-mismatch E31', // 2.5 appraisal 2,75, children 1,75
      'subtotal-mismatch D53', // 5 self 11, children 10,5
      'subtotal-mismatch D54', // 5.1 self 3, children 2,5
      'subtotal-mismatch D78', // 7 self 11,96, children 10,46
      // the group whose children's max exceed its own (6.2: 3 vs 1 + 3), and its parent
      'max-sum-mismatch C71',
      'max-sum-mismatch C69',
      // numbers typed as text, with comma and with dot
      'number-as-text E21',
      'number-as-text C34',
      'number-as-text D34',
      'number-as-text D81',
      // the garbled total row
      'total-mismatch C100',
      'total-mismatch D100',
      'total-mismatch E100',
      'main-max-not-100 C100',
    ];
    for (const p of expected) expect(pairs).toContain(p);
    expect(r.findings.find((f) => f.cell === 'C100' && f.rule === 'total-mismatch')!.message).toContain('"100.00 0"');
  });

  it('reports nothing on the rows that are right', () => {
    const rowsWithFindings = new Set(r.findings.map((f) => f.outline));
    for (const right of ['1', '1.1', '1.1.1', '1.2', '2.2.2', '3.3', '3.3.2', '5.2', '6.1', '7.1', '7.9', 'II']) {
      expect({ outline: right, findings: r.findings.filter((f) => f.outline === right && f.row < 93) }).toEqual({
        outline: right,
        findings: [],
      });
    }
    expect(rowsWithFindings.has('1.1.1')).toBe(false);
    // only the rule codes that fit the sheet's mistakes appear
    const rules = new Set(r.findings.map((f) => f.rule));
    expect([...rules].sort()).toEqual(
      ['max-sum-mismatch', 'main-max-not-100', 'number-as-text', 'subtotal-mismatch', 'total-mismatch'].sort(),
    );
  });

  it('computes the totals from the leaves', () => {
    expect(r.self).toMatchObject({ max: 97, applicableMax: 97, main: 80.96, bonus: 4, penalty: 0, total: 84.96, classification: 'Tốt' });
    expect(r.appraisal).toMatchObject({ main: 73.47, bonus: 4, total: 77.47, classification: 'Khá' });
    expect(r.leafCount).toBe(r.criteria.filter((c) => c.block === 'main' && c.children.length === 0).length);
  });

  it('computes the subtotal cells to write back, never the leaves', () => {
    const group5 = r.computed.filter((c) => c.row === at('5').row);
    expect(group5).toEqual([
      { row: at('5').row, col: 3, value: 10.5, kind: 'subtotal' },
      { row: at('5').row, col: 4, value: 9.5, kind: 'subtotal' },
    ]);
    expect(r.computed.some((c) => c.row === at('5.1.1').row)).toBe(false);
    expect(r.computed.filter((c) => c.kind === 'total')).toEqual([
      { row: 100, col: 3, value: 84.96, kind: 'total' },
      { row: 100, col: 4, value: 77.47, kind: 'total' },
    ]);
  });
});

function rulesOf(grid: unknown[][]): string[] {
  return scored(grid).findings.map((f) => `${f.rule} ${f.cell}`);
}

describe('rules', () => {
  const full = (stt: string, max: number, self: unknown = max, rest: unknown[] = ['', 'https://drive.google.com/x']) => [
    stt,
    `Tiêu chí ${stt}`,
    max,
    self,
    ...rest,
  ];

  it.each<[RuleCode, unknown[][], string]>([
    ['score-not-number', [full('1', 100, 'đạt')], 'D3'],
    ['score-not-number', [full('1', 100, '#REF!')], 'D3'],
    ['number-as-text', [full('1', 100, '99,5', ['thiếu 0,5', 'x'])], 'D3'],
    ['score-negative', [full('1', 100, -1, ['lý do', ''])], 'D3'],
    ['score-above-max', [full('1', 100, 101)], 'D3'],
    ['subtotal-mismatch', [['1', 'Nhóm', 100, 99], full('1.1', 60), full('1.2', 40)], 'D3'],
    ['max-sum-mismatch', [['1', 'Nhóm', 50], full('1.1', 30), full('1.2', 30), full('2', 40)], 'C3'],
    ['total-mismatch', [full('1', 100), ['', 'Tổng cộng', 100, 99]], 'D4'],
    ['main-max-not-100', [full('1', 90)], 'C2'],
    ['duplicate-stt', [full('1', 50), full('1', 50)], 'A4'],
    ['unscored', [full('1', 100, '')], 'D3'],
    ['missing-explanation', [full('1', 100, 80, ['', 'link'])], 'E3'],
    ['missing-evidence', [full('1', 100, 100, ['', ''])], 'F3'],
    ['missing-adjust-reason', [full('1', 100, 100, ['', 'link', 90, ''])], 'H3'],
    ['bonus-over-cap', [full('1', 100), ['', 'Điểm cộng', '', 5, '', 'qd']], 'D4'],
    ['penalty-without-basis', [full('1', 100), ['', 'Điểm trừ', '', 2, '', '']], 'E4'],
  ])('%s', (rule, rows, cell) => {
    expect(rulesOf(sheet(...rows))).toEqual([`${rule} ${cell}`]);
  });

  it('applies the explanation/evidence/reason rules only where the column exists', () => {
    const grid = [
      ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', 'Điểm thẩm định'],
      ['1', 'a', 100, 50, 40],
    ];
    expect(scored(grid).findings).toEqual([]);
  });

  it('counts a leaf score outside [0, max] clamped, and a non-number as 0', () => {
    const r = scored(sheet(full('1', 50, 60), full('2', 30, -5, ['x', 'y']), full('3', 20, 'tốt')));
    expect(r.self.main).toBe(50);
  });
});

describe('not applicable criteria', () => {
  it('leave the applicable max and the denominator', () => {
    const r = scored(sheet(['1', 'Chữ ký số', 20, 'Chưa tính điểm', 'Chưa được cấp chứng thư số'], ['2', 'Khác', 80, 72, 'thiếu', 'link']));
    expect(r.self).toMatchObject({ max: 100, applicableMax: 80, main: 72, total: 72, percent: 90, classification: 'Xuất sắc' });
    expect(r.findings.map((f) => f.rule)).toEqual([]);
  });

  it('a whole group marked not applicable takes its children out', () => {
    const r = scored(sheet(['1', 'Nhóm', 40, 'Không áp dụng'], ['1.1', 'a', 20, ''], ['1.2', 'b', 20, ''], ['2', 'c', 60, 60, '', 'l']));
    expect(r.self.applicableMax).toBe(60);
    expect(r.findings.filter((f) => f.rule === 'unscored')).toEqual([]);
  });
});

describe('bonus and penalty', () => {
  it('caps the bonus at the block max, else at 4, and floors the total at 0', () => {
    const withMax = scored(sheet(['1', 'a', 100, 10, 'x', 'l'], ['II', 'Điểm cộng', 3, 5, '', 'qd']));
    expect(withMax.self).toMatchObject({ bonus: 3, total: 13 });
    const noMax = scored(
      sheet(['1', 'a', 100, 10, 'x', 'l'], ['', 'Điểm thưởng'], ['1', 'Sáng kiến A', '', 3, '', 'l'], ['2', 'Sáng kiến B', '', 3, '', 'l']),
    );
    expect(noMax.self).toMatchObject({ bonus: 4, total: 14 });
    expect(noMax.findings.map((f) => f.rule)).toEqual(['bonus-over-cap']);
    const floor = scored(sheet(['1', 'a', 100, 1, 'x', 'l'], ['', 'Điểm trừ', '', 5, 'Chậm báo cáo']));
    expect(floor.self).toMatchObject({ penalty: 5, total: 0, classification: 'Yếu' });
    expect(scored(sheet(['1', 'a', 100, 10, 'x', 'l'], ['', 'Điểm cộng', '', 5, '', 'l']), { bonusCap: 2 }).self.bonus).toBe(2);
  });
});

describe('tree', () => {
  it('scopes Arabic outlines inside Roman sections', () => {
    const r = scored(
      sheet(
        ['I', 'Phần một', 50],
        ['1', 'a', 50],
        ['1.1', 'a1', 50, 50, '', 'l'],
        ['II', 'Phần hai', 50],
        ['1', 'b', 50],
        ['1.1', 'b1', 50, 40, 'x', 'l'],
      ),
    );
    expect(r.findings.map((f) => f.rule)).toEqual([]);
    const sections = r.criteria.filter((c) => c.depth === 0);
    expect(sections.map((c) => [c.outline, c.points.self / 1e6])).toEqual([
      ['I', 50],
      ['II', 40],
    ]);
  });

  it('sums appraisal only when the column has something in it', () => {
    expect(scored(sheet(['1', 'a', 100, 100, '', 'l', '', ''])).appraisal).toBeNull();
    expect(scored(sheet(['1', 'a', 100, 100, '', 'l', 95, 'sai'])).appraisal).toMatchObject({ total: 95, classification: 'Xuất sắc' });
  });
});
