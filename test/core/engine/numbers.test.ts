import { readNumber } from '../../../src/core/engine/numbers';
import { percentOf, toMicro } from '../../../src/core/engine/decimal';
import { classify } from '../../../src/core/engine/classify';
import { cellText, columnLetter, isBlank, normalizeLabel } from '../../../src/core/engine/text';

describe('readNumber', () => {
  it.each([
    [2, { kind: 'number', value: 2, asText: false }],
    [0.75, { kind: 'number', value: 0.75, asText: false }],
    ['12,25', { kind: 'number', value: 12.25, asText: true }],
    [' 1.5 ', { kind: 'number', value: 1.5, asText: true }],
    ['1.000', { kind: 'number', value: 1, asText: true }],
    ['-2', { kind: 'number', value: -2, asText: true }],
  ])('reads %p as a number', (input, expected) => {
    expect(readNumber(input)).toMatchObject(expected);
  });

  it.each(['', '   ', null, undefined])('reads %p as empty', (input) => {
    expect(readNumber(input).kind).toBe('empty');
  });

  it.each(['Không áp dụng', 'CHƯA TÍNH ĐIỂM', 'KAD', 'N/A', 'chua tinh diem', '(Không áp dụng)'])('reads %p as not applicable', (input) => {
    expect(readNumber(input).kind).toBe('na');
  });

  it.each(['#REF!', '#N/A', '#VALUE!', '#DIV/0!', '#NAME?', '#ERROR!'])('reads %p as a formula error', (input) => {
    expect(readNumber(input).kind).toBe('error');
  });

  it.each(['đạt', '1,2,3', '100.00 0', '1.5.2', 'abc', true, new Date(2026, 0, 1), NaN, Infinity, 1e308, 5e6, '2000000'])(
    'refuses %p as a number',
    (input) => {
      expect(['text', 'error']).toContain(readNumber(input).kind);
    },
  );
});

describe('exact decimal arithmetic', () => {
  it('adds 29.83 + 34.87 + 25.3 to exactly 90 (floating point gives 89.99999999999999)', () => {
    expect(29.83 + 34.87 + 25.3).not.toBe(90);
    const total = toMicro(29.83) + toMicro(34.87) + toMicro(25.3);
    expect(total).toBe(toMicro(90));
    expect(percentOf(total, toMicro(100))).toBe(90);
    expect(classify(total, toMicro(100))).toBe('Xuất sắc');
  });

  it('classifies at each boundary', () => {
    const c = (p: number) => classify(toMicro(p), toMicro(100));
    expect([c(100), c(90), c(89.999), c(80), c(79.999), c(65), c(64.999), c(50), c(49.999), c(0)]).toEqual([
      'Xuất sắc',
      'Xuất sắc',
      'Tốt',
      'Tốt',
      'Khá',
      'Khá',
      'Trung bình',
      'Trung bình',
      'Yếu',
      'Yếu',
    ]);
  });

  it('uses the percent of the applicable max, and custom thresholds', () => {
    expect(classify(toMicro(72), toMicro(80))).toBe('Xuất sắc');
    expect(classify(toMicro(72), toMicro(80), { excellent: 95, good: 85, fair: 70, average: 50 })).toBe('Tốt');
    expect(classify(0, 0)).toBe('Yếu');
  });
});

describe('text helpers', () => {
  it('normalizes labels ignoring case, diacritics, spaces and line breaks', () => {
    expect(normalizeLabel('Điểm\ntự   chấm')).toBe('diem tu cham');
    expect(normalizeLabel('  ĐIỂM TỰ CHẤM ')).toBe('diem tu cham');
  });
  it('names columns', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });
});

describe('invisible characters pasted from Word', () => {
  it.each([
    ['\u00a012,5\u200b', 12.5],
    ['1\u00ad0', 10],
    ['\ufeff3', 3],
    ['4\u200d,25\u0007', 4.25],
    ['\u202f7\u2060', 7],
  ])('reads %j as %p', (input, value) => {
    expect(readNumber(input)).toMatchObject({ kind: 'number', value });
  });

  it('reads a cell of only invisible characters as empty, and finds "not applicable" behind them', () => {
    expect(readNumber('\u200b\u00a0\ufeff').kind).toBe('empty');
    expect(isBlank('\u200b\u00a0\u00ad')).toBe(true);
    expect(isBlank('\u200bx')).toBe(false);
    expect(readNumber('Không\u00a0áp\u200b dụng').kind).toBe('na');
  });

  it('drops them from labels and text, keeping line breaks in text', () => {
    expect(normalizeLabel('Đ\u00adiểm\u200b tự\u00a0chấm\u0007\ufeff')).toBe('diem tu cham');
    expect(cellText('\ufeffTài liệu\u200b\nsố 2\u00a0')).toBe('Tài liệu\nsố 2');
  });
});
