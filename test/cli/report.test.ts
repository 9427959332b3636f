/**
 * The "report" command's .docx read back by LibreOffice (an independent reader): header lines, every unit with its
 * figures (computed here from the workbook's cells as LibreOffice reads them, not by the engine), the signature block;
 * the first page rendered to an image.
 */
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_PATH } from '../../scripts/make-example';
import { run } from '../../src/cli/main';
import { convert, parseCsv, sheetsAsCsv } from '../fixtures/libreoffice';

jest.setTimeout(300_000);

const dir = mkdtempSync(join(tmpdir(), 'chamdiem-report-'));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The text of a .docx as LibreOffice reads it: one line per paragraph and per table cell. */
function docxLines(file: string): string[] {
  convert([file], 'txt:Text (encoded):UTF8', dir);
  const txt = readFileSync(file.replace(/\.docx$/, '.txt'), 'utf8').replace(/^\uFEFF/, '');
  return txt.split(/\r?\n/).map((l) => l.replace(/\u00a0/g, ' ').trim());
}

interface Expected {
  unit: string;
  self: number;
  appraisal: number | null;
  /** After the appeal: null when the sheet has no final score. */
  final: number | null;
  percent: number;
  selfPercent: number;
  cls: string;
}

/** A number cell as LibreOffice writes it, or a number typed as text with a decimal comma ("3,5"). */
const num = (s: string | undefined) => (s !== undefined && /^-?\d+([.,]\d+)?$/.test(s.trim()) ? Number(s.replace(',', '.')) : null);
const shown = (n: number) => String(n).replace('.', ',');

/**
 * A unit's figures from its sheet's cells: leaves are outlines no other outline extends, counted up to their max (a
 * word such as "đạt" counts 0); "Chưa tính điểm" leaves leave the denominator; the bonus row adds (capped at its max), the penalty row subtracts; the percent is cut to
 * three decimals; classes at 90/80/65/50 (the example's settings).
 */
function figures(unit: string, rows: string[][]): Expected {
  const h = rows.findIndex((r) => r[0] === 'STT');
  const col = (label: string) => rows[h].indexOf(label);
  const [cMax, cSelf, cAppr, cText] = [col('Điểm tối đa'), col('Điểm tự chấm'), col('Điểm thẩm định'), col('Tiêu chí')];
  // The final round: a criterion without a final score keeps its appraisal.
  const cFinal = col('Điểm sau giải trình');
  const body = rows.slice(h + 1);
  const outlines = body.map((r) => r[0]).filter(Boolean);
  const cell = (r: string[], c: number) => (c === cFinal && num(r[c]) === null ? r[cAppr] : r[c]);
  const stage = (c: number) => {
    let main = 0;
    let applicable = 0;
    let complete = true;
    let extra = 0;
    for (const r of body) {
      const o = r[0];
      if (o && !outlines.some((x) => x.startsWith(`${o}.`))) {
        if (cell(r, c) === 'Chưa tính điểm') continue;
        applicable += num(r[cMax]) ?? 0;
        if (num(cell(r, c)) === null) complete = false;
        main += Math.min(num(cell(r, c)) ?? 0, num(r[cMax]) ?? 0);
      } else if (!o && r[cText].startsWith('Điểm cộng')) extra += Math.min(num(cell(r, c)) ?? 0, num(r[cMax]) ?? 4);
      else if (!o && r[cText].startsWith('Điểm trừ')) extra -= num(cell(r, c)) ?? 0;
    }
    const total = Math.round((main + extra) * 1000) / 1000;
    return { total, percent: Math.floor((total / applicable) * 100 * 1000 + 1e-9) / 1000, complete };
  };
  const self = stage(cSelf);
  const appr = stage(cAppr);
  const hasFinal = cFinal >= 0 && body.some((r) => num(r[cFinal]) !== null);
  const fin = hasFinal ? stage(cFinal) : null;
  const judged = fin?.complete && appr.complete ? fin : appr.complete ? appr : self;
  const p = judged.percent;
  const cls = p >= 90 ? 'Xuất sắc' : p >= 80 ? 'Tốt' : p >= 65 ? 'Khá' : p >= 50 ? 'Trung bình' : 'Yếu';
  const final = fin ? fin.total : null;
  return { unit, self: self.total, appraisal: appr.complete ? appr.total : null, final, percent: p, selfPercent: self.percent, cls };
}

describe('report command', () => {
  const result = join(dir, 'bao-cao.docx');
  const notice = join(dir, 'thong-bao.docx');
  let expected: Expected[];
  let printed: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    printed = await cli('report', EXAMPLE_PATH, '--out', result, '--today', '2026-12-05');
    const sheets = sheetsAsCsv([EXAMPLE_PATH], join(dir, 'csv')).get(EXAMPLE_PATH) as Map<string, string>;
    const settings = parseCsv(sheets.get('Cấu hình') as string);
    const unitsAt = settings.findIndex((r) => r[0] === 'STT' && r[1] === 'Đơn vị');
    const units: string[][] = [];
    for (const r of settings.slice(unitsAt + 1)) {
      if (!/^\d+$/.test(r[0])) break;
      units.push(r);
    }
    expected = units.map((r) => figures(r[1], parseCsv(sheets.get(r[2]) as string)));
  });

  it('says what it wrote', () => {
    expect(printed).toEqual({ code: 0, out: `Đã ghi báo cáo kết quả chấm điểm (${expected.length} đơn vị) vào "${result}".`, err: '' });
    expect(expected.length).toBeGreaterThan(1);
  });

  it('has the header block, the title, every unit with its figures and the signature block', () => {
    const lines = docxLines(result);
    expect(lines.slice(0, 6)).toEqual([
      'ỦY BAN NHÂN DÂN',
      'XÃ PHƯỚC CHÁNH',
      'Số:       /BC-UBND',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Phước Chánh, ngày 05 tháng 12 năm 2026',
    ]);
    const title = lines.indexOf('BÁO CÁO');
    expect(lines[title + 1]).toBe('Kết quả chấm điểm cải cách hành chính năm 2026');

    const header = lines.indexOf('STT');
    expect(lines.slice(header, header + 8)).toEqual([
      'STT',
      'Đơn vị',
      'Tự chấm',
      'Thẩm định',
      'Sau giải trình',
      'Tỷ lệ (%)',
      'Xếp loại',
      'Thứ hạng',
    ]);
    // Ranks by the self percent while any appraisal is under way (competition ranking: 1, 1, 3).
    const rank = (e: Expected) => 1 + expected.filter((o) => o.selfPercent > e.selfPercent).length;
    expected.forEach((e, i) => {
      const at = header + 8 + i * 8;
      const cells = lines.slice(at, at + 8);
      expect(cells.slice(0, 6)).toEqual([
        String(i + 1),
        e.unit,
        shown(e.self),
        e.appraisal === null ? '-' : shown(e.appraisal),
        e.final === null ? '-' : shown(e.final),
        shown(e.percent),
      ]);
      expect(cells.slice(6)).toEqual([e.cls, String(rank(e))]);
    });

    const recipients = lines.indexOf('Nơi nhận:');
    expect(recipients).toBeGreaterThan(header);
    expect(lines.slice(recipients + 1, recipients + 6)).toEqual([
      '- Thường trực Đảng ủy xã;',
      '- Thường trực HĐND xã;',
      '- Chủ tịch, các Phó Chủ tịch UBND xã;',
      '- Các cơ quan, đơn vị;',
      '- Lưu: VT.',
    ]);
    expect(lines.slice(recipients + 6, recipients + 9)).toEqual(['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
  });

  it('writes one notice page per unit, each with its figures', async () => {
    expect((await cli('report', EXAMPLE_PATH, '--out', notice, '--kind', 'notice', '--today', '2026-12-05')).code).toBe(0);
    const lines = docxLines(notice);
    const starts = lines.flatMap((l, i) => (l === 'THÔNG BÁO' ? [i] : []));
    expect(starts).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      const page = lines.slice(starts[i], starts[i + 1] ?? lines.length);
      expect(page).toContain(`của ${e.unit}`);
      expect(page).toContain(`Kính gửi: ${e.unit}`);
      const value = (label: string) => page[page.indexOf(label) + 1];
      expect(value('Điểm tự chấm')).toBe(shown(e.self));
      expect(value('Tỷ lệ (%)')).toBe(shown(e.percent));
      expect(value('Xếp loại')).toBe(e.cls);
      expect(page).toContain('TM. ỦY BAN NHÂN DÂN');
    });
    convert([notice], 'pdf', dir);
    const pages = /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [notice.replace(/\.docx$/, '.pdf')], { encoding: 'utf8' }))?.[1];
    expect(Number(pages)).toBe(expected.length);
  });

  it('renders the first page to an image (PDF by LibreOffice, then pdftoppm)', () => {
    convert([result], 'pdf', dir);
    const png = join(dir, 'trang-1.png');
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '80',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      result.replace(/\.docx$/, '.pdf'),
      png.slice(0, -4),
    ]);
    expect(existsSync(png)).toBe(true);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    expect(statSync(png).size).toBeGreaterThan(10_000);
  });

  it('summary --out prints on A4 landscape, one page wide, with the title and header rows on every page', async () => {
    const out = join(dir, 'tong-hop.xlsx');
    expect((await cli('summary', EXAMPLE_PATH, '--out', out)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet('Tổng hợp')!;
    const header = ws.getColumn(1).values.indexOf('Hạng');
    expect(header).toBeGreaterThan(1);
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    expect(ws.pageSetup.printTitlesRow).toBe(`1:${header}`);
  });

  it('refuses an unknown kind and an output that is not .docx, with a clear message', async () => {
    expect(await cli('report', EXAMPLE_PATH, '--out', join(dir, 'x.docx'), '--kind', 'tong-hop')).toEqual({
      code: 2,
      out: '',
      err: 'Lỗi: --kind "tong-hop" không hợp lệ: chọn result (kết quả), progress (tiến độ) hoặc notice (thông báo).',
    });
    expect((await cli('report', EXAMPLE_PATH, '--out', join(dir, 'x.xlsx'))).err).toMatch(/^Lỗi: Thiếu --out TỆP\.docx/);
  });
});
