/** The "Cấu hình" sheet: thresholds typed as percentages, thresholds out of order, the year for scoring. */
import { DEFAULT_THRESHOLDS } from '../../../src/core/engine/classify';
import { parseSettings, scoreOptionsOf } from '../../../src/core/settings/settings';
import { scored } from '../../helpers';

const config = (excellent: unknown, good: unknown, fair: unknown, average: unknown, year: unknown = 2025) => [
  ['CẤU HÌNH CHẤM ĐIỂM CCHC/CDS', ''],
  ['Năm', year],
  ['Ngưỡng Xuất sắc (%)', excellent],
  ['Ngưỡng Tốt (%)', good],
  ['Ngưỡng Khá (%)', fair],
  ['Ngưỡng Trung bình (%)', average],
];

/** A unit scoring `self` of 100 points (two criteria of 60 and 40). */
const unitAt = (self: number, options: ReturnType<typeof scoreOptionsOf>) =>
  scored(
    [
      ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm'],
      ['1', 'Tiêu chí A', 60, Math.min(self, 60)],
      ['2', 'Tiêu chí B', 40, Math.max(0, self - 60)],
    ],
    options,
  ).self;

describe('thresholds in Cấu hình', () => {
  it('reads cells formatted as percentages (90 % is stored as 0.9) as 90, with a note each', () => {
    const { settings, warnings } = parseSettings(config(0.9, 0.8, 0.65, 0.5), 2025);
    expect(settings.thresholds).toEqual({ excellent: 90, good: 80, fair: 65, average: 50 });
    const notes = warnings.filter((w) => w.includes('định dạng phần trăm'));
    expect(notes).toHaveLength(4);
    expect(notes[0]).toBe(
      '"Ngưỡng Xuất sắc (%)" được lưu là 0,9 (ô định dạng phần trăm, 90%): đọc là 90. Nên nhập số phần trăm, ví dụ 90.',
    );
  });

  it('never gives "Xuất sắc" to a unit at 40 %', () => {
    const options = scoreOptionsOf(parseSettings(config(0.9, 0.8, 0.65, 0.5), 2025).settings);
    // 30 + 10 of 60 + 40 points is 40 %: under every threshold.
    const r = scored(
      [
        ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm'],
        ['1', 'Tiêu chí A', 60, 30],
        ['2', 'Tiêu chí B', 40, 10],
      ],
      options,
    );
    expect(r.self.percent).toBe(40);
    expect(r.self.classification).toBe('Yếu');
  });

  it('reads each cell on its own: a mix of 0.9 and 80, and "85%" typed as text', () => {
    const { settings, warnings } = parseSettings(config(0.95, '85%', 70, '0,55'), 2025);
    expect(settings.thresholds).toEqual({ excellent: 95, good: 85, fair: 70, average: 55 });
    expect(warnings.filter((w) => w.includes('định dạng phần trăm'))).toHaveLength(2);
  });

  it.each([
    ['increasing', [80, 90, 65, 50]],
    ['two equal', [90, 80, 80, 50]],
    ['percent cells out of order', [0.9, 0.95, 0.65, 0.5]],
  ])('refuses thresholds that do not strictly decrease (%s): defaults and a warning', (_, [a, b, c, d]) => {
    const { settings, warnings } = parseSettings(config(a, b, c, d), 2025);
    expect(settings.thresholds).toEqual(DEFAULT_THRESHOLDS);
    expect(warnings.some((w) => w.startsWith('Các ngưỡng xếp loại phải giảm dần (Xuất sắc > Tốt > Khá > Trung bình)'))).toBe(true);
  });

  it('keeps the defaults, with a warning, for a value that is not a percent', () => {
    const { settings, warnings } = parseSettings(config(150, 80, 65, 50), 2025);
    expect(settings.thresholds).toEqual(DEFAULT_THRESHOLDS);
    expect(warnings).toContain('"Ngưỡng Xuất sắc (%)" không hợp lệ ("150"); dùng giá trị mặc định 90.');
  });

  it('classifies with thresholds read from percentage cells exactly as with typed numbers', () => {
    const fromPercent = scoreOptionsOf(parseSettings(config(0.9, 0.8, 0.65, 0.5), 2025).settings);
    const typed = scoreOptionsOf(parseSettings(config(90, 80, 65, 50), 2025).settings);
    const expected: [number, string][] = [
      [95, 'Xuất sắc'],
      [90, 'Xuất sắc'],
      [89.5, 'Tốt'],
      [80, 'Tốt'],
      [79, 'Khá'],
      [65, 'Khá'],
      [64.5, 'Trung bình'],
      [50, 'Trung bình'],
      [49, 'Yếu'],
    ];
    for (const [self, cls] of expected) {
      expect([self, unitAt(self, fromPercent).classification]).toEqual([self, cls]);
      expect([self, unitAt(self, typed).classification]).toEqual([self, cls]);
    }
  });
});

describe('the year for scoring', () => {
  it('passes the Cấu hình year to the scorer', () => {
    expect(scoreOptionsOf(parseSettings(config(90, 80, 65, 50, 2024), 2030).settings).year).toBe(2024);
    expect(scoreOptionsOf(parseSettings(null, 2030).settings).year).toBe(2030);
  });
});
