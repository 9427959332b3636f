/**
 * The later stages offline, on the example workbook: score, summary and notify. The figures of
 * "Phòng Kinh tế" are worked out from the example data: every criterion self-scored at its max
 * (100); the council lowered 3.3 (5 → 3), 5.3 (4 → 3) and 7.2 (5 → 4): 96; after the appeal 3.3
 * went back to 5 and 7.2 stayed 4, 5.3 (not appealed) keeps its appraisal 3: 98.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UNITS } from '../../scripts/example-data';
import { EXAMPLE_PATH, exampleSettings, unitGrid } from '../../scripts/make-example';
import { run } from '../../src/cli/main';
import { MAINTAIN, REMEDY, remedyPlanEntries } from '../../src/core/workflow/remedy-plan';
import { scored } from '../helpers';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const OFFICE = 'vhxh.phuocchanh@gialai.gov.vn';
const KT = 'Phòng Kinh tế';

describe('the later stages offline', () => {
  it('score --json gives the final round and the official stage', async () => {
    const json = JSON.parse((await cli('score', EXAMPLE_PATH, '--json')).out);
    const kt = json.sheets.find((s: { sheet: string }) => s.sheet === KT);
    expect([kt.self.total, kt.appraisal.total, kt.final.total, kt.final.percent, kt.final.complete]).toEqual([100, 96, 98, 98, true]);
    expect(kt.official).toBe('final');
    expect(kt.findings).toEqual([]);
    const official = Object.fromEntries(
      json.sheets.map((s: { sheet: string; official: string; final: unknown }) => [s.sheet, [s.official, s.final]]),
    );
    // VP is appraised on every criterion; the others are not appraised (or only partly): their self score is official.
    expect(official['VP HĐND-UBND']).toEqual(['appraisal', null]);
    expect(official['TT PVHCC']).toEqual(['self', null]);
  });

  it('summary --json gives each unit its final round, official stage and stage', async () => {
    const json = JSON.parse((await cli('summary', EXAMPLE_PATH, '--json')).out);
    const units = Object.fromEntries(json.units.map((u: { sheet: string }) => [u.sheet, u]));
    expect(Object.keys(units[KT])).toEqual(['unit', 'sheet', 'self', 'appraisal', 'final', 'official', 'stage', 'rank', 'pending']);
    expect([units[KT].final.total, units[KT].official, units[KT].stage]).toEqual([98, 'final', 'reappraisal']);
    expect([units['VP HĐND-UBND'].official, units['VP HĐND-UBND'].stage]).toEqual(['appraisal', 'appraisal']);
    expect([units['TT PVHCC'].final, units['TT PVHCC'].stage]).toEqual([null, 'self']);
    const text = (await cli('summary', EXAMPLE_PATH)).out;
    expect(text).toContain('Phòng Kinh tế xã: 98 điểm, 98%, Xuất sắc; giai đoạn: Thẩm định lại');
  });

  it('notify --json prints the result e-mails in the shape of remind --json', async () => {
    const r = await cli('notify', EXAMPLE_PATH, '--today', '2026-12-20', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(['today', 'emails', 'skipped']);
    expect(json.emails.map((e: { kind: string; unit: string }) => [e.kind, e.unit])).toEqual([
      ['result', 'Văn phòng HĐND và UBND xã'],
      ['result', 'Trung tâm Phục vụ hành chính công xã'],
      ['result', 'Công an xã'],
      ['result', 'Phòng Kinh tế xã'],
    ]);
    const kt = json.emails[3];
    expect(Object.keys(kt)).toEqual(['kind', 'unit', 'to', 'cc', 'milestone', 'daysLeft', 'subject', 'pending']);
    expect(kt).toMatchObject({
      to: ['kinhte.phuocchanh@gialai.gov.vn'],
      cc: [OFFICE],
      milestone: '2026-12-20',
      daysLeft: 0,
      subject: '[Kết quả CCHC 2026] Phòng Kinh tế xã: 98 điểm, xếp loại Xuất sắc',
    });
    expect(json.skipped).toEqual([
      { unit: 'Ban Chỉ huy Quân sự xã', email: '', reason: 'missing-email' },
      { unit: 'Trạm Y tế xã', email: 'tramyte.phuocchanh@gmail.com', reason: 'personal-email' },
    ]);
  });

  it('notify lists the e-mails in Vietnamese, and refuses a bad date', async () => {
    const r = await cli('notify', EXAMPLE_PATH, '--today', '2026-12-20');
    expect(r.out).toContain('Sẽ gửi 4 email:');
    expect(r.out).toContain('Kết quả: 98 điểm, 98%, Xuất sắc (giai đoạn: Thẩm định lại)');
    const bad = await cli('notify', EXAMPLE_PATH, '--today', '2026-13-01');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/không phải ngày hợp lệ/);
  });

  it('the remedy plan decides on the final scores after the appeal', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'chamdiem-')), 'ke-hoach.xlsx');
    const json = JSON.parse((await cli('plan', EXAMPLE_PATH, '--out', out, '--json')).out);
    const kt = json.units.find((u: { sheet: string }) => u.sheet === KT);
    // 30 criteria: 5.3 (3 of 4) and 7.2 (4 of 5) to remedy; 3.3 is back to its max after the appeal.
    expect(kt).toMatchObject({ maintain: 28, remedy: 2, notAssessed: 0, basis: 'final' });
    const unit = UNITS.find((u) => u.sheet === KT)!;
    const entries = remedyPlanEntries(unit.name, scored(unitGrid(unit, exampleSettings())));
    const row = (outline: string) => entries.find((e) => e.criterion?.outline === outline && e.kind === 'leaf')!.values.slice(2, 6);
    // max, self, the council's latest score, status
    expect(row('3.3')).toEqual([5, 5, 5, MAINTAIN]);
    expect(row('5.3')).toEqual([4, 4, 3, REMEDY]);
    expect(row('7.2')).toEqual([5, 5, 4, REMEDY]);
    expect(entries[entries.length - 1].values.slice(2, 5)).toEqual([100, 100, 98]);
  });
});
