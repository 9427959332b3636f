import type { Classification } from '../../../src/core/engine/classify';
import type { StageResult } from '../../../src/core/engine/score';
import type { ColumnsBlock, Para, Paper, TableBlock } from '../../../src/core/report/document';
import {
  afterAppeal,
  buildNotices,
  buildReport,
  classCounts,
  milestoneAt,
  mostLost,
  placeAndDate,
  type ReportUnit,
  resultRow,
} from '../../../src/core/report/report';
import { defaultSettings, parseSettings, settingsGrid } from '../../../src/core/settings/settings';

function stage(total: number, percent: number, classification: Classification, complete = true): StageResult {
  return {
    max: 100,
    applicableMax: 100,
    main: total,
    bonus: 0,
    penalty: 0,
    total,
    percent,
    classification,
    complete,
    scored: 10,
    applicable: 10,
  };
}

function unit(name: string, over: Partial<ReportUnit> = {}): ReportUnit {
  const self = over.self === undefined ? stage(90, 90, 'Xuất sắc') : over.self;
  return {
    unit: name,
    self,
    appraisal: null,
    rank: 1,
    pending: { unscored: 0, missingEvidence: 0, missingExplanation: 0 },
    problem: null,
    final: null,
    judged: self,
    lost: [],
    ...over,
  };
}

const paraText = (p: Para) => p.runs.map((r) => r.text).join('');
const texts = (paper: Paper) =>
  paper.blocks.flatMap((b) => (b.kind === 'para' ? [paraText(b.para)] : b.kind === 'columns' ? [...b.left, ...b.right].map(paraText) : []));

describe('dates and milestones', () => {
  test('days below 10 and months 1 and 2 take a leading zero', () => {
    expect(placeAndDate('Phước Chánh', '2026-02-05')).toBe('Phước Chánh, ngày 05 tháng 02 năm 2026');
    expect(placeAndDate('Phước Chánh', '2026-11-23')).toBe('Phước Chánh, ngày 23 tháng 11 năm 2026');
    expect(placeAndDate('', '2026-03-09')).toBe('ngày 09 tháng 3 năm 2026');
  });

  test('the progress report is about the last milestone reached, else the first', () => {
    const ms = defaultSettings(2026).milestones;
    expect(milestoneAt(ms, '2026-09-15')?.date).toBe('2026-09-15');
    expect(milestoneAt(ms, '2026-10-01')?.date).toBe('2026-09-15');
    expect(milestoneAt(ms, '2026-01-10')?.date).toBe('2026-06-15');
    expect(milestoneAt([], '2026-01-10')).toBeNull();
  });
});

describe('figures', () => {
  test('the result after explanations is the final round of the row, when the sheet has one', () => {
    const final = stage(95, 95, 'Xuất sắc');
    expect(afterAppeal(unit('A'))).toBeNull();
    expect(afterAppeal(unit('A', { final }))).toBe(final);
  });

  test('a row shows the complete appraisal, the result after explanations, and classes on the latter', () => {
    const row = unit('A', {
      self: stage(90, 90, 'Xuất sắc'),
      appraisal: stage(78.5, 78.5, 'Khá'),
      // The summary judges the unit on its complete final round.
      judged: stage(81.25, 81.25, 'Tốt'),
      final: stage(81.25, 81.25, 'Tốt'),
      rank: 2,
    });
    expect(resultRow(row, 0)).toEqual(['1', 'A', '90', '78,5', '81,25', '81,25', 'Tốt', '2']);
    const underway = unit('B', { appraisal: stage(40, 40, 'Yếu', false), rank: null, self: null, judged: null });
    expect(resultRow(underway, 1)).toEqual(['2', 'B', '-', '- (đang thẩm định)', '-', '-', 'Chưa có kết quả', '-']);
  });

  test('classes are counted on the standing result; units without one are counted apart', () => {
    const units = [
      unit('A'),
      unit('B', { judged: stage(70, 70, 'Khá') }),
      unit('C', { judged: stage(70, 70, 'Khá') }),
      unit('D', { self: null, judged: null }),
    ];
    expect(classCounts(units).map((c) => [c.label, c.count])).toEqual([
      ['Xuất sắc', 1],
      ['Tốt', 0],
      ['Khá', 2],
      ['Trung bình', 0],
      ['Yếu', 0],
      ['Chưa có kết quả', 1],
    ]);
  });

  test('criteria lost by two units or more, most first, each unit counted once', () => {
    const a = { outline: '1.4', text: 'Sáng kiến' };
    const b = { outline: '3.2', text: 'Số hóa  hồ sơ' };
    const c = { outline: '7.2', text: 'Văn bản điện tử' };
    const units = [
      unit('A', { lost: [a, b, b] }),
      unit('B', { lost: [b, c] }),
      unit('C', { lost: [a, { ...b, text: 'Số hóa hồ sơ' }] }),
      unit('D', { lost: [c] }),
    ];
    expect(mostLost(units)).toEqual([
      { outline: '3.2', text: 'Số hóa  hồ sơ', units: 3 },
      { outline: '1.4', text: 'Sáng kiến', units: 2 },
      { outline: '7.2', text: 'Văn bản điện tử', units: 2 },
    ]);
    expect(mostLost([unit('A', { lost: [a] })])).toEqual([]);
  });
});

describe('papers', () => {
  const settings = { ...defaultSettings(2026), commune: 'Phước Chánh' };

  test('the report has the header, the title by field, the table and the signature from the settings', () => {
    const cds = { ...settings, field: 'CDS' as const, signerName: 'Nguyễn Văn A', docNumber: '125' };
    const paper = buildReport(
      [unit('A'), unit('B', { lost: [{ outline: '1.1', text: 'Kế hoạch' }] })],
      { settings: cds, today: '2026-12-01' },
      'result',
    );
    const t = texts(paper);
    expect(t.slice(0, 6)).toEqual([
      'ỦY BAN NHÂN DÂN',
      'XÃ PHƯỚC CHÁNH',
      'Số: 125/BC-UBND',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Phước Chánh, ngày 01 tháng 12 năm 2026',
    ]);
    expect(t).toContain('Kết quả chấm điểm chuyển đổi số năm 2026');
    expect(t).toContain('- 1.1. Kế hoạch');
    const table = paper.blocks.find((b): b is TableBlock => b.kind === 'table');
    expect(table?.rows.map((r) => r[1])).toEqual(['A', 'B']);
    const signature = paper.blocks.at(-1) as ColumnsBlock;
    expect(signature.left.map(paraText)).toEqual([
      'Nơi nhận:',
      '- Thường trực Đảng ủy xã;',
      '- Thường trực HĐND xã;',
      '- Chủ tịch, các Phó Chủ tịch UBND xã;',
      '- Các cơ quan, đơn vị;',
      '- Lưu: VT.',
    ]);
    expect(signature.right.map(paraText).filter((x) => x.trim())).toEqual([
      'TM. ỦY BAN NHÂN DÂN',
      'KT. CHỦ TỊCH',
      'PHÓ CHỦ TỊCH',
      'Nguyễn Văn A',
    ]);
  });

  test('notices: one per unit, page breaks between them, rank out of the number of units', () => {
    const numbered = { ...settings, docNumber: '125' };
    const paper = buildNotices([unit('A', { rank: 1 }), unit('B', { rank: 2 })], { settings: numbered, today: '2026-12-01' });
    expect(paper.blocks.filter((b) => b.kind === 'pageBreak')).toHaveLength(1);
    const tables = paper.blocks.filter((b): b is TableBlock => b.kind === 'table');
    expect(tables.map((t) => t.rows.at(-1))).toEqual([
      ['Thứ hạng', '1/2 đơn vị'],
      ['Thứ hạng', '2/2 đơn vị'],
    ]);
    expect(texts(paper).filter((x) => x.startsWith('Số: '))).toEqual([
      'Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/TB-UBND',
      'Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/TB-UBND',
    ]);
  });
});

describe('settings for the papers', () => {
  test('are read from Cấu hình and written back by settingsGrid', () => {
    const s = {
      ...defaultSettings(2026),
      place: 'Chư Sê',
      recipients: ['Sở Nội vụ', 'Lưu: VT'],
      signerTitle: ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'],
    };
    const parsed = parseSettings(settingsGrid(s), 2026);
    expect(parsed.warnings.filter((w) => !w.includes('mốc'))).toEqual([]);
    expect([parsed.settings.place, parsed.settings.recipients, parsed.settings.signerTitle]).toEqual([
      'Chư Sê',
      ['Sở Nội vụ', 'Lưu: VT'],
      ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'],
    ]);
    const typed = parseSettings(
      [
        ['Nơi nhận', '- UBND tỉnh;\n- Sở Nội vụ;\n- Lưu: VT.'],
        ['Thẩm quyền ký', 'KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH'],
      ],
      2026,
    ).settings;
    expect(typed.recipients).toEqual(['UBND tỉnh', 'Sở Nội vụ', 'Lưu: VT']);
    expect(typed.signerTitle).toEqual(['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
    expect(parseSettings([['Tên xã/phường', 'X']], 2026).settings.signerTitle).toEqual([
      'TM. ỦY BAN NHÂN DÂN',
      'KT. CHỦ TỊCH',
      'PHÓ CHỦ TỊCH',
    ]);
  });
});
