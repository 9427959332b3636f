import { findHeader, roleOfLabel } from '../../../src/core/engine/table';
import { scoreGrid } from '../../../src/core/engine/score';

describe('finding the table', () => {
  it('recognises columns by label in any order, case and accent', () => {
    const row = [
      'Lý do điều chỉnh',
      'DIEM TU CHAM',
      'stt',
      'Nội dung',
      'Điểm\ntối đa',
      'Tài liệu kiểm chứng',
      'Điểm Hội đồng chấm lại',
      'Giải trình',
      'Yêu cầu bổ sung minh chứng',
    ];
    const r = findHeader([row]);
    expect(r.ok && r.header.columns).toEqual({
      reason: 0,
      self: 1,
      outline: 2,
      text: 3,
      max: 4,
      evidence: 5,
      appraisal: 6,
      explanation: 7,
      request: 8,
    });
  });

  it('finds a header below title rows, however many (no longer only in the first 20 rows)', () => {
    const header = ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm'];
    const at = (n: number) => [...Array.from({ length: n }, (_, i) => [`Tiêu đề ${i}`]), header];
    const found = findHeader(at(19));
    expect(found.ok && found.header.rowIndex).toBe(19);
    const deep = findHeader(at(20));
    expect(deep.ok && deep.header.rowIndex).toBe(20);
  });

  it('names what is missing and leaves the sheet alone', () => {
    const r = scoreGrid([
      ['STT', 'Tiêu chí', 'Điểm tối đa', 'Ghi chú'],
      ['1', 'x', 1, ''],
    ]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain('"Điểm tự chấm"');
    const empty = scoreGrid([]);
    expect(!empty.ok && empty.reason).toMatch(/Không tìm thấy hàng tiêu đề/);
  });

  it('does not mistake the evidence-request column for the evidence column', () => {
    expect(roleOfLabel('Yêu cầu bổ sung minh chứng')).toBe('request');
    expect(roleOfLabel('Minh chứng')).toBe('evidence');
    expect(roleOfLabel('Nhận xét')).toBeNull();
  });
});
