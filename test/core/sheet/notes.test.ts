import type { Finding } from '../../../src/core/engine/findings';
import { findingsByCell, findingsNoteText, mergeNote, parseNote, worstSeverity } from '../../../src/core/sheet/notes';

function finding(row: number, col: number, severity: Finding['severity'], message: string): Finding {
  return { rule: 'unscored', severity, row, col, cell: `X${row}`, outline: '1', message };
}

describe('notes: a person’s note is kept, ours is replaced', () => {
  test('a note without our marker is all the person’s', () => {
    expect(parseNote('Đã kiểm tra ngày 3/6')).toEqual({ person: 'Đã kiểm tra ngày 3/6', ours: false, originalBackground: null });
    expect(parseNote(undefined)).toEqual({ person: '', ours: false, originalBackground: null });
    expect(parseNote(42)).toEqual({ person: '', ours: false, originalBackground: null });
  });

  test('our part goes after the person’s, and a second run replaces only our part', () => {
    const first = mergeNote('Ghi chú của đơn vị', '• Lỗi: thiếu minh chứng', null);
    expect(first).toBe('Ghi chú của đơn vị\n\n— Chấm điểm tự động —\n• Lỗi: thiếu minh chứng');
    const second = mergeNote(first, '• Cảnh báo: thiếu giải trình', null);
    expect(second).toBe('Ghi chú của đơn vị\n\n— Chấm điểm tự động —\n• Cảnh báo: thiếu giải trình');
    expect(mergeNote(second, null, null)).toBe('Ghi chú của đơn vị');
  });

  test('the original background rides in the marker and is read back; white is not recorded', () => {
    const note = mergeNote('', 'x', '#FFF2CC');
    expect(note).toBe('— Chấm điểm tự động (nền gốc #fff2cc) —\nx');
    expect(parseNote(note)).toEqual({ person: '', ours: true, originalBackground: '#fff2cc' });
    expect(mergeNote('', 'x', '#ffffff')).toBe('— Chấm điểm tự động —\nx');
  });

  test('a marker-like text inside a person’s sentence is not our marker', () => {
    const text = 'Xem mục — Chấm điểm tự động — trong hướng dẫn';
    expect(parseNote(text).ours).toBe(false);
  });
});

describe('findings in notes', () => {
  const list = [finding(5, 3, 'warning', 'B'), finding(5, 3, 'error', 'A'), finding(6, 3, 'info', 'C')];

  test('one line per finding with its Vietnamese severity', () => {
    expect(findingsNoteText(list.slice(0, 2))).toBe('• Cảnh báo: B\n• Lỗi: A');
  });

  test('the worst severity wins', () => {
    expect(worstSeverity(list)).toBe('error');
    expect(worstSeverity([list[0], list[2]])).toBe('warning');
    expect(worstSeverity([list[2]])).toBe('info');
  });

  test('grouped by cell, in order', () => {
    const map = findingsByCell(list);
    expect([...map.keys()]).toEqual(['5:3', '6:3']);
    expect(map.get('5:3')?.map((f) => f.message)).toEqual(['B', 'A']);
  });
});
