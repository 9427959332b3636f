import { checkSubtotalFormula, referencedCells } from '../../../src/core/sheet/formula-refs';
import { scored, sheet } from '../../helpers';

describe('the cells a formula refers to', () => {
  test('cells, ranges, absolute parts; strings and function names are not references', () => {
    const r = referencedCells('=SUM(D9:D11;$D$14)+LOG10(2)+N("D20 không phải ô")');
    expect([...r.cells].sort()).toEqual(['10:3', '11:3', '14:3', '9:3']);
    expect(r.elsewhere).toBe(false);
  });

  test('another sheet or a whole-column sized range is "elsewhere"', () => {
    expect(referencedCells("='Cấu hình'!B5").elsewhere).toBe(true);
    expect(referencedCells('=Sheet2!A1+1').elsewhere).toBe(true);
    expect(referencedCells('=SUM(D1:D1000000)').elsewhere).toBe(true);
  });
});

describe('a person’s subtotal formula checked against the group’s children', () => {
  // rows: 3 group 1, 4 leaf 1.1, 5 leaf 1.2, 6 leaf 1.3, 7 group 2, 8 leaf 2.1
  const result = scored(
    sheet(['1', 'Nhóm 1', 6, ''], ['1.1', 'a', 2, 1], ['1.2', 'b', 2, 2], ['1.3', 'c', 2, 2], ['2', 'Nhóm 2', 3, ''], ['2.1', 'd', 3, 3]),
  );
  const group = result.criteria.find((c) => c.outline === '1')!;

  test('the right sum, written any way, passes', () => {
    expect(checkSubtotalFormula(result, group, 3, '=SUM(D4:D6)')).toBeNull();
    expect(checkSubtotalFormula(result, group, 3, '=D4+D5+D6')).toBeNull();
  });

  test('a missing child and an extra cell are named', () => {
    const c = checkSubtotalFormula(result, group, 3, '=SUM(D4:D5)+D8')!;
    expect(c.missing.map((x) => x.outline)).toEqual(['1.3']);
    expect(c.extra).toEqual(['8:3']);
  });
});
