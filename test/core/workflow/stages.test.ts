import { scoreGrid, type ScoredSheet } from '../../../src/core/engine/score';
import { defaultSettings, parseSettings, type Settings, settingsGrid, type Unit } from '../../../src/core/settings/settings';
import { a1 } from '../../../src/core/engine/text';
import {
  moveConfirmation,
  nextStage,
  previousStage,
  rowFacts,
  STAGE,
  STAGE_FLOW,
  stageColumnsPlan,
  stageFlow,
  type StageName,
  stageOf,
  stageSpec,
} from '../../../src/core/workflow/stages';

const HEADER = [
  'STT',
  'Tiêu chí',
  'Điểm tối đa',
  'Điểm tự chấm',
  'Giải trình',
  'Minh chứng',
  'Điểm thẩm định',
  'Lý do điều chỉnh',
  'Yêu cầu bổ sung minh chứng',
  'Kiểm tra minh chứng',
  'Giải trình sau thẩm định',
  'Minh chứng bổ sung',
  'Điểm sau giải trình',
  'Lý do điều chỉnh lần 2',
];

/**
 * Row 3 (1.1): full marks, checked "Đạt", appraisal equal.
 * Row 4 (1.2): no evidence, marked "Cần bổ sung", appraisal 2 below self 3 with a reason, appealed, final 3.
 * Row 5 (1.3): appraisal 1 below self 2 with a reason, no appeal.
 */
const GRID: unknown[][] = [
  HEADER,
  ['1', 'Nhóm', 10, '', '', '', '', '', '', '', '', '', '', ''],
  ['1.1', 'Tiêu chí a', 4, 4, '', 'https://x/a', 4, '', '', 'Đạt', '', '', '', ''],
  ['1.2', 'Tiêu chí b', 3, 3, '', '', 2, 'Thiếu quyết định', '', 'Cần bổ sung: thiếu QĐ', 'Đã có QĐ số 5', '', 3, 'Chấp nhận'],
  ['1.3', 'Tiêu chí c', 3, 2, 'Chưa đạt', 'https://x/c', 1, 'Chỉ đạt một phần', '', '', '', '', '', ''],
  ['', 'TỔNG ĐIỂM', 10, '', '', '', '', '', '', '', '', '', '', ''],
];

const UNIT: Unit = { name: 'Công an xã', sheet: 'Công an xã', focal: '', email: 'congan@gialai.gov.vn', phone: '', sensitive: false };

function settings(extra: Partial<Settings> = {}): Settings {
  return {
    ...defaultSettings(2026),
    officeEmail: 'vp@gialai.gov.vn',
    council: ['hoidong@gialai.gov.vn'],
    domains: ['gialai.gov.vn'],
    units: [UNIT],
    ...extra,
  };
}

function scored(grid: unknown[][] = GRID): ScoredSheet {
  const r = scoreGrid(grid);
  if (!r.ok) throw new Error(r.reason);
  return r;
}

/** Every cell of A1:N6 that the ranges cover, expanded one by one. */
function cells(ranges: string[]): string[] {
  const out: string[] = [];
  const covered = (ref: string, r: number, c: number) => {
    const [from, to = from] = ref.split(':');
    const parse = (x: string) => ({ col: x.charCodeAt(0) - 65, row: Number(x.slice(1)) });
    const p = parse(from);
    const q = parse(to);
    return r >= p.row && r <= q.row && c >= p.col && c <= q.col;
  };
  for (let r = 1; r <= GRID.length; r++) {
    for (let c = 0; c < HEADER.length; c++) if (ranges.some((x) => covered(x, r, c))) out.push(a1(r, c));
  }
  return out;
}

describe('the stage flow', () => {
  it('has six stages in order, and skips what Cấu hình names (the appeal round as a whole)', () => {
    expect(STAGE_FLOW).toEqual(['Tự chấm', 'Kiểm tra minh chứng', 'Thẩm định', 'Giải trình', 'Thẩm định lại', 'Công bố']);
    expect(stageFlow(settings()).flow).toEqual(STAGE_FLOW);
    const noAppeal = stageFlow(settings({ skippedStages: ['giai trinh'] }));
    expect(noAppeal).toEqual({ flow: ['Tự chấm', 'Kiểm tra minh chứng', 'Thẩm định', 'Công bố'], warnings: [] });
    const onlyFinal = stageFlow(settings({ skippedStages: ['Thẩm định lại'] }));
    expect(onlyFinal.flow).toEqual(['Tự chấm', 'Kiểm tra minh chứng', 'Thẩm định', 'Công bố']);
    expect(onlyFinal.warnings).toEqual(['Bỏ qua "Thẩm định lại" thì không có vòng giải trình: bỏ qua cả "Giải trình".']);
    const bad = stageFlow(settings({ skippedStages: ['Thẩm định', 'Phúc tra', 'Kiểm tra minh chứng'] }));
    expect(bad.flow).toEqual(['Tự chấm', 'Thẩm định', 'Giải trình', 'Thẩm định lại', 'Công bố']);
    expect(bad.warnings).toEqual([
      '"Giai đoạn bỏ qua": không thể bỏ qua giai đoạn "Thẩm định".',
      '"Giai đoạn bỏ qua": không có giai đoạn "Phúc tra" (các giai đoạn: Tự chấm, Kiểm tra minh chứng, Thẩm định, Giải trình, ' +
        'Thẩm định lại, Công bố).',
    ]);
  });

  it('reads the skipped stages and the appeal deadline from Cấu hình', () => {
    const grid = settingsGrid(settings());
    const at = grid.findIndex((r) => r[0] === 'Hạn giải trình');
    const skip = grid.findIndex((r) => r[0] === 'Giai đoạn bỏ qua');
    expect(at).toBeGreaterThan(0);
    grid[at][1] = '15/12/2026';
    grid[skip][1] = 'Giải trình; Kiểm tra minh chứng';
    const parsed = parseSettings(grid, 2026);
    expect(parsed.settings.appealDeadline).toBe('2026-12-15');
    expect(parsed.settings.skippedStages).toEqual(['Giải trình', 'Kiểm tra minh chứng']);
    expect(stageFlow(parsed.settings).flow).toEqual(['Tự chấm', 'Thẩm định', 'Công bố']);
    grid[at][1] = '31/02';
    expect(parseSettings(grid, 2026).warnings).toContain('"Hạn giải trình" không phải ngày hợp lệ ("31/02"), ví dụ 15/12/2026.');
    expect(parseSettings(grid, 2026).settings.appealDeadline).toBe('');
  });

  it('goes to the next and previous stage of the flow, a skipped stage counting at its place', () => {
    const flow = stageFlow(settings({ skippedStages: ['Kiểm tra minh chứng', 'Giải trình'] })).flow;
    expect(nextStage(flow, STAGE.self)).toBe('Thẩm định');
    expect(nextStage(flow, STAGE.appraisal)).toBe('Công bố');
    expect(nextStage(flow, STAGE.publish)).toBeNull();
    expect(nextStage(flow, STAGE.check)).toBe('Thẩm định'); // recorded before the commune chose to skip it
    expect(previousStage(flow, STAGE.publish)).toBe('Thẩm định');
    expect(previousStage(flow, STAGE.appeal)).toBe('Thẩm định');
    expect(previousStage(flow, STAGE.self)).toBeNull();
    expect(stageOf(' thẩm định  LẠI ')).toBe('Thẩm định lại');
    expect(stageOf('Khác')).toBeNull();
  });
});

describe('rights per stage', () => {
  const result = scored();
  const facts = rowFacts(result, GRID);
  const spec = (stage: StageName, today = '2026-12-01', extra: Partial<Settings> = {}) =>
    stageSpec(stage, result, facts, UNIT, settings({ appealDeadline: '2026-12-15', ...extra }), 1000, today);

  // Who may edit which cell, written out by hand from the rules of each stage (rows 3–5 are the criteria).
  const expected: Record<StageName, { unit: string[]; council: string[] }> = {
    'Tự chấm': { unit: ['D3', 'E3', 'F3', 'D4', 'E4', 'F4', 'D5', 'E5', 'F5'], council: [] },
    'Kiểm tra minh chứng': { unit: ['F4'], council: [] },
    'Thẩm định': { unit: [], council: ['G3', 'H3', 'I3', 'G4', 'H4', 'I4', 'G5', 'H5', 'I5'] },
    'Giải trình': { unit: ['K4', 'L4', 'K5', 'L5'], council: [] },
    'Thẩm định lại': { unit: [], council: ['M4', 'N4'] },
    'Công bố': { unit: [], council: [] },
  };

  it.each(STAGE_FLOW)('%s: the unit and the council edit exactly their cells, the office everything', (stage) => {
    const s = spec(stage);
    expect(cells(s.unitRanges)).toEqual(expected[stage].unit);
    expect(cells(s.councilRanges)).toEqual(expected[stage].council);
    expect(s.unitEditors).toEqual(expected[stage].unit.length ? ['congan@gialai.gov.vn'] : []);
    expect(s.councilEditors).toEqual(expected[stage].council.length ? ['hoidong@gialai.gov.vn'] : []);
    expect(s.officeEditors).toEqual(['vp@gialai.gov.vn']);
    expect(s.sheetDescription.startsWith(`Chấm điểm CCHC/CDS – Công an xã (giai đoạn ${stage}`)).toBe(true);
    expect(s.mode).toBe(stage === 'Tự chấm' ? 'open' : 'selfLocked');
    expect(s.warnings).toEqual([]);
  });

  it('closes the appeal after "Hạn giải trình", and describes it', () => {
    expect(spec('Giải trình', '2026-12-15').unitRanges).toEqual(['K4:L5']);
    const closed = spec('Giải trình', '2026-12-16');
    expect(closed.unitRanges).toEqual([]);
    expect(closed.sheetDescription).toBe(
      'Chấm điểm CCHC/CDS – Công an xã (giai đoạn Giải trình, đã hết hạn giải trình 15/12/2026): đơn vị không sửa ô nào; ' +
        'tổ thẩm định không sửa ô nào; các ô khác do cơ quan thường trực quản lý.',
    );
    expect(spec('Giải trình', '2027-01-01', { appealDeadline: '' }).unitRanges).toEqual(['K4:L5']);
  });

  it('says which columns a stage needs that the sheet lacks, and who has no address', () => {
    const grid = GRID.map((r) => r.slice(0, 9));
    const r = scored(grid);
    const s = stageSpec('Giải trình', r, rowFacts(r, grid), { ...UNIT, email: '' }, settings(), 1000, '2026-12-01');
    expect(s.unitRanges).toEqual([]);
    expect(s.warnings).toEqual(['Biểu chưa có cột "Giải trình sau thẩm định", "Minh chứng bổ sung": hãy chọn "Thêm cột giai đoạn sau".']);
    const t = stageSpec('Tự chấm', r, rowFacts(r, grid), { ...UNIT, email: 'ca@gmail.com' }, settings(), 1000, '2026-12-01');
    expect(t.warnings).toEqual([
      'Email ca@gmail.com không thuộc tên miền công vụ (gialai.gov.vn): nên đổi sang email công vụ trước khi cấp quyền sửa.',
    ]);
  });

  it('leaves out rows below the sheet end', () => {
    expect(cells(stageSpec('Tự chấm', result, facts, UNIT, settings(), 4, '2026-12-01').unitRanges)).toEqual([
      'D3',
      'E3',
      'F3',
      'D4',
      'E4',
      'F4',
    ]);
  });
});

describe('the confirmation of a move', () => {
  const result = scored();
  const sheet = { unit: 'Công an xã', from: STAGE.self, result, facts: rowFacts(result, GRID) };

  it('says what changes and what each unit still lacks', () => {
    const text = moveConfirmation('Kiểm tra minh chứng', false, [sheet], settings(), STAGE_FLOW, '2026-12-01');
    expect(text).toBe(
      [
        'Chuyển 1 biểu chấm từ "Tự chấm" sang giai đoạn "Kiểm tra minh chứng".',
        '',
        'Sẽ thay đổi:',
        '• Đơn vị thôi sửa điểm tự chấm.',
        '• Cơ quan thường trực ghi cột "Kiểm tra minh chứng" (Đạt / Cần bổ sung, kèm ghi chú còn thiếu gì).',
        '• Đơn vị chỉ bổ sung minh chứng ở tiêu chí ghi "Cần bổ sung" (sau khi ghi, chọn "Cập nhật quyền sửa theo giai đoạn").',
        '',
        'Còn thiếu, cần biết:',
        '• Công an xã: 1 tiêu chí chưa có minh chứng.',
        '',
        'Tiếp tục?',
      ].join('\n'),
    );
  });

  it('counts for each target stage what a person would look for', () => {
    const lacks = (to: StageName, flow = STAGE_FLOW) =>
      moveConfirmation(to, false, [{ ...sheet, from: previousStage(flow, to) as StageName }], settings(), flow, '2026-12-01')
        .split('\n')
        .filter((l) => l.startsWith('• Công an xã'));
    // 1.3 has no check mark; 1.2 is marked "Cần bổ sung".
    expect(lacks('Thẩm định')).toEqual([
      '• Công an xã: 1 tiêu chí chưa kiểm tra minh chứng; 1 tiêu chí được ghi "Cần bổ sung" minh chứng.',
    ]);
    // Without the check stage the evidence itself is counted.
    const noCheck = STAGE_FLOW.filter((s) => s !== 'Kiểm tra minh chứng');
    expect(lacks('Thẩm định', noCheck)).toEqual(['• Công an xã: 1 tiêu chí chưa có minh chứng.']);
    // 1.2 and 1.3 were lowered (both with a reason).
    expect(lacks('Giải trình')).toEqual(['• Công an xã: 2 tiêu chí có điểm thẩm định thấp hơn tự chấm (đơn vị được giải trình).']);
    expect(lacks('Thẩm định lại')).toEqual(['• Công an xã: 1 tiêu chí đơn vị đã giải trình.']);
    // 1.2's final 3 differs from its appraisal 2 and has its reason: nothing missing.
    expect(lacks('Công bố')).toEqual([]);
  });

  it('before publishing, names appeals without a final score or a changed score without its reason', () => {
    const grid = GRID.map((r) => [...r]);
    grid[3][12] = '';
    grid[4][10] = 'Xin xem lại';
    grid[4][12] = 2;
    const r = scored(grid);
    const text = moveConfirmation('Công bố', false, [{ ...sheet, result: r, facts: rowFacts(r, grid) }], settings(), STAGE_FLOW, '');
    expect(text).toContain(
      '• Công an xã: 1 tiêu chí đã giải trình chưa có điểm sau giải trình; 1 tiêu chí đổi điểm sau giải trình chưa ghi lý do.',
    );
    expect(text).toContain('• Mỗi đơn vị nhận một email kết quả (chỉ gửi email công vụ, mỗi đơn vị một lần).');
  });

  it('a move back is said to be logged; a missing deadline or one not yet over is said', () => {
    const back = moveConfirmation('Tự chấm', true, [{ ...sheet, from: STAGE.check }], settings(), STAGE_FLOW, '2026-12-01');
    expect(back.split('\n')[0]).toBe('Quay lại giai đoạn "Tự chấm" cho 1 biểu chấm (đang ở "Kiểm tra minh chứng").');
    expect(back).toContain('Việc quay lại được ghi vào trang "Nhật ký chỉnh sửa".');
    expect(back).toContain('• Không có gì.');
    expect(moveConfirmation('Giải trình', false, [sheet], settings(), STAGE_FLOW, '2026-12-01')).toContain(
      '• Chưa đặt "Hạn giải trình" trong trang "Cấu hình": không có hạn.',
    );
    const passed = moveConfirmation('Giải trình', false, [sheet], settings({ appealDeadline: '2026-12-15' }), STAGE_FLOW, '2026-12-16');
    expect(passed).toContain('• "Hạn giải trình" (15/12/2026) đã qua: đơn vị sẽ không sửa được ô nào.');
    expect(passed).toContain(
      '• Đơn vị ghi "Giải trình sau thẩm định" và "Minh chứng bổ sung", chỉ ở tiêu chí có điểm thẩm định thấp hơn điểm tự chấm, đến hết ngày 15/12/2026 ("Hạn giải trình").',
    );
    const early = moveConfirmation('Thẩm định lại', false, [sheet], settings({ appealDeadline: '2026-12-15' }), STAGE_FLOW, '2026-12-10');
    expect(early).toContain('• Chưa hết "Hạn giải trình" (15/12/2026): đơn vị sẽ không giải trình thêm được.');
    const late = moveConfirmation('Thẩm định lại', false, [sheet], settings({ appealDeadline: '2026-12-15' }), STAGE_FLOW, '2026-12-16');
    expect(late).not.toContain('Chưa hết');
  });
});

describe('the stage columns on an existing sheet', () => {
  const old = GRID.map((r) => r.slice(0, 9));

  it('go into empty columns after the table, or are inserted before the result block', () => {
    const r = scored(old);
    expect(stageColumnsPlan(r, old, null, 26)).toEqual({
      roles: ['check', 'appeal', 'extraEvidence', 'final', 'finalReason'],
      headerRow: 1,
      column: 10,
      insert: 0,
    });
    // The result block two columns to the right: no room for five columns.
    expect(stageColumnsPlan(r, old, 10, 26)?.insert).toBe(5);
    // A typed note in column L (0-based 11): never overwritten, columns inserted instead.
    const noted = old.map((row, i) => (i === 3 ? [...row, '', '', 'ghi chú'] : row));
    expect(stageColumnsPlan(scored(noted), noted, null, 26)?.insert).toBe(5);
    // A sheet of exactly 12 columns: no room for five.
    expect(stageColumnsPlan(r, old, null, 12)?.insert).toBe(5);
    expect(stageColumnsPlan(scored(), GRID, null, 26)).toBeNull();
    const some = GRID.map((row) => [...row.slice(0, 10), row[12]]);
    expect(stageColumnsPlan(scored(some), some, null, 26)).toEqual({
      roles: ['appeal', 'extraEvidence', 'finalReason'],
      headerRow: 1,
      column: 12,
      insert: 0,
    });
  });
});
