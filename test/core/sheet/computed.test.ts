import { cellsToWrite, decodeOwned, encodeOwned } from '../../../src/core/sheet/computed';
import type { ComputedCell } from '../../../src/core/engine/score';

const cell = (row: number, value: number): ComputedCell => ({ row, col: 3, value, kind: 'subtotal' });

describe('which computed cells may be written', () => {
  const values = [[], ['', '', '', ''], ['', '', '', 7], ['', '', '', 5], ['', '', '', 6], ['', '', '', 'x']];
  it('fills empty cells, updates its own stale values, keeps typed ones and formulas', () => {
    const previous = new Map([
      ['D3', 7],
      ['D5', 3],
    ]);
    const formulas = [[], [], [], [], [], ['', '', '', '=SUM(D1:D2)']];
    const { writes, owned } = cellsToWrite([cell(2, 1), cell(3, 8), cell(4, 5), cell(5, 9), cell(6, 2)], values, formulas, previous);
    expect(writes.map((w) => w.row)).toEqual([2, 3]); // empty; own stale 7 → 8
    expect([...owned]).toEqual([
      ['D2', 1],
      ['D3', 8],
      ['D4', 5],
    ]); // D5 typed 6 (we wrote 3) is the person's now
  });

  it('round-trips the record compactly and cuts it to fit one property', () => {
    const owned = new Map([
      ['D12', 13],
      ['AA7', 4.5],
      ['D9', -0],
    ]);
    expect(encodeOwned(owned)).toBe('D12=13;AA7=4.5;D9=0');
    expect(decodeOwned(encodeOwned(owned))).toEqual(
      new Map([
        ['D12', 13],
        ['AA7', 4.5],
        ['D9', 0],
      ]),
    );
    expect(decodeOwned('junk;D1=2;=3;D=4')).toEqual(new Map([['D1', 2]]));
    expect(encodeOwned(owned, 10)).toBe('D12=13');
  });
});
