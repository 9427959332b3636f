import fc from 'fast-check';
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
