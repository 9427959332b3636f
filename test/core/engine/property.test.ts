import fc from 'fast-check';
import { classify, DEFAULT_THRESHOLDS } from '../../../src/core/engine/classify';
import { percentAtLeast, percentOf } from '../../../src/core/engine/decimal';
import { scoreGrid } from '../../../src/core/engine/score';
import { HEADER } from '../../helpers';

const cell = fc.oneof(
  fc.double({ noNaN: false }),
  fc.integer({ min: -5, max: 200 }),
  fc.string(),
  fc.constantFrom(
    '',
    '#REF!',
    '#N/A',
    '12,25',
    '1.000',
    'Chưa tính điểm',
    'Điểm cộng',
    'Điểm trừ',
    'Tổng điểm',
    'I',
    'II',
    '1',
    '1.1',
    '1.1.1',
    '2.3',
  ),
  fc.boolean(),
  fc.date({ noInvalidDate: false }),
  fc.constant(null),
  fc.constant(undefined),
);

describe('properties', () => {
  it('no grid of arbitrary values makes the engine throw', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: 10 }), { maxLength: 30 }), fc.boolean(), (rows, withHeader) => {
        const grid = withHeader ? [HEADER, ...rows] : rows;
        const r = scoreGrid(grid as unknown[][]);
        if (r.ok) {
          expect(Number.isFinite(r.self.total)).toBe(true);
          expect(r.self.total).toBeGreaterThanOrEqual(0);
        } else expect(typeof r.reason).toBe('string');
      }),
      { numRuns: 500 },
    );
  });

  it('group points always equal the sum of their leaves', () => {
    // A random tree: outlines generated from a random shape, random scores 0..max (2 decimals).
    const tree = fc.array(fc.array(fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 4 }), { maxLength: 4 }), {
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(tree, (sections) => {
        const rows: unknown[][] = [];
        sections.forEach((groups, i) => {
          rows.push([`${i + 1}`, `Mục ${i + 1}`, '', '']);
          if (groups.length === 0) rows[rows.length - 1] = [`${i + 1}`, 'lá', 3, 1.25];
          groups.forEach((leaves, j) => {
            rows.push([`${i + 1}.${j + 1}`, 'nhóm', '', '']);
            if (leaves.length === 0) rows[rows.length - 1] = [`${i + 1}.${j + 1}`, 'lá', 2, 0.5];
            leaves.forEach((hundredths, k) => rows.push([`${i + 1}.${j + 1}.${k + 1}`, 'lá', 4, hundredths / 100]));
          });
        });
        const r = scoreGrid([HEADER.slice(0, 4), ...rows]);
        if (!r.ok) throw new Error(r.reason);
        const leafSum = (i: number): number => {
          const c = r.criteria[i];
          return c.children.length === 0 ? c.points.self : c.children.reduce((s, k) => s + leafSum(k), 0);
        };
        for (const c of r.criteria) expect(c.points.self).toBe(leafSum(c.index));
        const mainLeaves = r.criteria.filter((c) => c.children.length === 0);
        expect(r.self.main * 1e6).toBeCloseTo(
          mainLeaves.reduce((s, c) => s + c.points.self, 0),
          6,
        );
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * A well-formed table drawn at random (sections numbered 1/2/3, I/II or A/B, groups and leaves,
 * bonus and penalty blocks, a total row) with its totals computed here from the drawn numbers.
 */
interface Drawn {
  rows: unknown[][];
  main: number;
  max: number;
  bonus: number;
  penalty: number;
  leaves: number;
}

const hundredths = (n: number) => n / 100;

const drawnTable = fc
  .record({
    style: fc.constantFrom('arabic', 'roman', 'letter'),
    sections: fc.array(
      fc.array(fc.array(fc.tuple(fc.integer({ min: 1, max: 9 }), fc.nat(100)), { maxLength: 3 }), { minLength: 1, maxLength: 3 }),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
    bonus: fc.option(fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    penalty: fc.option(fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 2 }), { nil: undefined }),
    bonusTitle: fc.constantFrom('', 'letter', 'roman'),
    totalRow: fc.constantFrom('none', 'empty', 'typed'),
  })
  .map(({ style, sections, bonus, penalty, bonusTitle, totalRow }): Drawn => {
    const rows: unknown[][] = [];
    let main = 0;
    let max = 0;
    let leaves = 0;
    const leaf = (stt: string, m: number, share: number) => {
      // self = share % of the max, in hundredths of a point
      const self = hundredths(Math.round(m * share));
      rows.push([stt, `Tiêu chí ${stt}`, m, self]);
      main += self;
      max += m;
      leaves++;
    };
    const letters = 'ABCDEFGH';
    const romans = ['I', 'II', 'III', 'IV', 'V', 'VI'];
    sections.forEach((groups, i) => {
      let prefix = '';
      if (style !== 'arabic') rows.push([style === 'roman' ? romans[i] : letters[i], `Phần ${i + 1}`]);
      else prefix = `${i + 1}.`;
      if (style === 'arabic') rows.push([`${i + 1}`, `Lĩnh vực ${i + 1}`]);
      groups.forEach((items, j) => {
        const g = `${prefix}${j + 1}`;
        if (items.length === 0) return leaf(g, 2, 50);
        rows.push([g, `Nhóm ${g}`]);
        items.forEach(([m, share], k) => leaf(`${g}.${k + 1}`, m, share));
      });
    });
    const blockTitle = (n: number, text: string) =>
      bonusTitle === '' ? ['', text] : [bonusTitle === 'roman' ? romans[sections.length + n] : letters[sections.length + n], text];
    let bonusSum = 0;
    if (bonus) {
      rows.push(blockTitle(0, 'Điểm cộng'));
      bonus.forEach((b, k) => rows.push([`${k + 1}`, `Sáng kiến ${k + 1}`, '', hundredths(b)]));
      bonusSum = bonus.reduce((s, b) => s + b, 0) / 100;
    }
    let penaltySum = 0;
    if (penalty) {
      rows.push(blockTitle(1, 'Điểm trừ'));
      penalty.forEach((p, k) => rows.push([`${k + 1}`, `Vi phạm ${k + 1}`, '', hundredths(p)]));
      penaltySum = penalty.reduce((s, p) => s + p, 0) / 100;
    }
    const bonusCounted = Math.min(bonusSum, 4);
    if (totalRow !== 'none') {
      const total = Math.max(0, main + bonusCounted - penaltySum);
      rows.push(['', 'Tổng cộng', totalRow === 'typed' ? max : '', totalRow === 'typed' ? Math.round(total * 100) / 100 : '']);
    }
    return { rows, main, max, bonus: bonusCounted, penalty: penaltySum, leaves };
  });

/** Rows the scorer must read as no criterion at all. */
const noiseRow = fc.oneof(
  // section totals, typed right, wrong or empty
  fc
    .tuple(
      fc.constantFrom(
        'Cộng',
        'Cộng mục 1',
        'Tổng điểm phần I',
        'Tổng cộng phần A',
        'Cộng (II)',
        'CỘNG PHẦN B',
        'Cộng điểm thưởng',
        'Tổng điểm trừ',
      ),
      fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 120 })),
      fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 120 })),
    )
    .map(([label, max, self]) => ['', label, max, self]),
  // bullet and description lines, with or without a max (a scoring guide)
  fc
    .tuple(
      fc.constantFrom(['', '- '], ['', '+ '], ['', '• '], ['', '* '], ['', '– '], ['-', ''], ['+', ''], ['*', '- ']),
      fc.oneof(fc.constant(''), fc.integer({ min: 1, max: 20 })),
    )
    .map(([[stt, bullet], max]) => [stt, `${bullet}Đúng hạn: ${max || 1} điểm`, max, '']),
  // the column-number row
  fc.constantFrom(
    ['1', '2', '3', '4', '5', '6', '7', '8'],
    [1, 2, 3, 4, 5, 6, 7, 8],
    ['(1)', '(2)', '(3)', '(4)', '(5)', '(6)', '(7)', '(8)'],
    ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'],
    ['(1)', '(2)', '(3)', '(4)=(3)-(2)'],
  ),
);

describe('layout noise', () => {
  it('section totals, bullet lines and column-number rows never change the totals of a well-formed table', () => {
    fc.assert(
      fc.property(drawnTable, fc.array(fc.tuple(fc.nat(), noiseRow), { maxLength: 6 }), (table, noise) => {
        const header = HEADER.slice(0, 4);
        const base = scoreGrid([header, ...table.rows]);
        const rows = table.rows.map((r) => [...r]);
        for (const [at, row] of noise) rows.splice(at % (rows.length + 1), 0, [...row]);
        const noisy = scoreGrid([header, ...rows]);
        if (!base.ok || !noisy.ok) throw new Error('not recognised');
        // the totals computed here by hand from the drawn numbers
        const micro = (n: number) => Math.round(n * 1e6);
        const total = Math.max(0, micro(table.main) + micro(table.bonus) - micro(table.penalty)) / 1e6;
        for (const r of [base, noisy]) {
          expect(micro(r.self.main)).toBe(micro(table.main));
          expect(micro(r.self.max)).toBe(micro(table.max));
          expect(micro(r.self.bonus)).toBe(micro(table.bonus));
          expect(micro(r.self.penalty)).toBe(micro(table.penalty));
          expect(micro(r.self.total)).toBe(micro(total));
          expect(r.leafCount).toBe(table.leaves);
          expect(r.self).toMatchObject({ complete: true, scored: table.leaves, applicable: table.leaves });
        }
        expect(noisy.self).toEqual(base.self);
        const leafRows = (r: typeof base) => r.criteria.filter((c) => c.children.length === 0).map((c) => `${c.outline} ${c.text}`);
        expect(leafRows(noisy)).toEqual(leafRows(base));
      }),
      { numRuns: 400 },
    );
  });
});

describe('percent and class', () => {
  it('the percent shown reaches a threshold exactly when the class does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200_000_000 }),
        fc.integer({ min: 0, max: 200_000_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        (max, total, thousandths) => {
          const threshold = thousandths / 1000;
          expect(percentOf(total, max) >= threshold).toBe(percentAtLeast(total, max, threshold));
        },
      ),
      { numRuns: 2000 },
    );
    const t = DEFAULT_THRESHOLDS;
    for (const [total, max] of [
      [89_999_700, 100_000_000],
      [53_999_800, 60_000_000],
      [79_999_999, 100_000_000],
    ]) {
      const cls = classify(total, max);
      const shown = percentOf(total, max);
      const byShown = shown >= t.excellent ? 'Xuất sắc' : shown >= t.good ? 'Tốt' : shown >= t.fair ? 'Khá' : 'Trung bình';
      expect(byShown).toBe(cls);
    }
  });
});
