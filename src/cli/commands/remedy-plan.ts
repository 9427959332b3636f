/**
 * Offline "plan": next year's remedy plan ("Kế hoạch khắc phục") from an .xlsx of score sheets.
 *   plan FILE.xlsx --out OUT.xlsx [--json]
 */
import { REMEDY_PLAN_HEADERS, SHEET_NAMES } from '../../core/sheet/own-sheets';
import ExcelJS from 'exceljs';
import { remedyCounts, type RemedyCounts, type RemedyUnit, remedyPlanEntries, remedyPlanLayout } from '../../core/workflow/remedy-plan';
import { summaryUnits } from '../../core/summary/summary';

import type { Command } from '../args';
import { loadWorkbook } from '../inputs';
import { CliError } from '../args';
import { refuseInputAsOutput } from '../xlsx/output';
import { writeWorkbook } from '../xlsx/write';

const BASIS_TEXT: Record<RemedyCounts['basis'], string> = {
  appraisal: 'theo điểm thẩm định',
  final: 'theo điểm sau giải trình',
  self: 'theo điểm tự chấm',
  mixed: 'theo điểm thẩm định, tiêu chí chưa thẩm định theo điểm tự chấm',
};

/** Writes the plan sheet: merged title lines, bold titles/headers/groups/totals, wrapped text, widths. */
export function remedyPlanWorkbook(units: readonly RemedyUnit[], meta: Parameters<typeof remedyPlanLayout>[1]): ExcelJS.Workbook {
  const layout = remedyPlanLayout(units, meta);
  const width = REMEDY_PLAN_HEADERS.length;
  const book = new ExcelJS.Workbook();
  book.creator = 'Chấm điểm CCHC/CDS';
  const ws = book.addWorksheet(SHEET_NAMES.remedyPlan, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  layout.values.forEach((row) => ws.addRow(row.map((v) => (v === '' ? null : v))));
  layout.widths.forEach((w, i) => {
    const column = ws.getColumn(i + 1);
    column.width = Math.round(w / 7);
    column.alignment = i >= 2 && i <= 4 ? { wrapText: true, vertical: 'top', horizontal: 'center' } : { wrapText: true, vertical: 'top' };
  });
  for (const r of layout.boldRows) ws.getRow(r).font = { bold: true };
  for (const r of layout.titleRows) {
    ws.mergeCells(r, 1, r, width);
    const cell = ws.getCell(r, 1);
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    if (r === layout.titleRows[0]) cell.font = { bold: true, size: 13 };
    else if (r === layout.titleRows[1]) ws.getRow(r).height = 32;
    else cell.font = { italic: true };
  }
  for (const r of layout.headerRows) {
    const row = ws.getRow(r);
    row.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    for (let c = 1; c <= width; c++) row.getCell(c).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFCFE2F3' } };
  }
  return book;
}

export const remedyPlan: Command = async (args, io) => {
  const out = args.flags.get('--out');
  if (typeof out !== 'string') throw new CliError('Thiếu --out TỆP-KẾ-HOẠCH.xlsx: lệnh plan ghi kế hoạch khắc phục ra một tệp mới.');
  refuseInputAsOutput(args.file, out);
  const { parsed, names, scores } = await loadWorkbook(args.file, io);
  for (const w of parsed.warnings) io.err(`Lưu ý: ${w}`);
  const listed = summaryUnits(parsed.settings, names, scores);
  const units: RemedyUnit[] = [];
  const report: { unit: string; sheet: string; counts: RemedyCounts | null; problem: string | null }[] = [];
  for (const u of listed) {
    if (u.result) {
      units.push({ name: u.unit, result: u.result });
      report.push({ unit: u.unit, sheet: u.sheet, counts: remedyCounts(remedyPlanEntries(u.unit, u.result)), problem: null });
    } else {
      report.push({ unit: u.unit, sheet: u.sheet, counts: null, problem: u.problem ?? 'Không đọc được biểu chấm điểm.' });
    }
  }
  const s = parsed.settings;
  await writeWorkbook(remedyPlanWorkbook(units, { commune: s.commune, field: s.field, year: s.year }), out);

  if (args.flags.has('--json')) {
    io.out(
      JSON.stringify(
        { file: args.file, out, units: report.map((r) => ({ unit: r.unit, sheet: r.sheet, ...(r.counts ?? {}), problem: r.problem })) },
        null,
        2,
      ),
    );
    return;
  }
  io.out(`Kế hoạch duy trì, khắc phục ${s.field} năm ${s.year}${s.commune ? ` - xã ${s.commune}` : ''}`);
  if (report.length === 0) io.out('Không có biểu chấm điểm nào của đơn vị để lập kế hoạch.');
  for (const r of report) {
    if (!r.counts) {
      io.out(`- ${r.unit}: chưa lập được kế hoạch (${r.problem})`);
      continue;
    }
    const na = r.counts.notAssessed ? `, ${r.counts.notAssessed} chưa tính điểm` : '';
    io.out(
      `- ${r.unit}: ${r.counts.maintain} tiêu chí "Duy trì", ${r.counts.remedy} tiêu chí "Khắc phục"${na} (${BASIS_TEXT[r.counts.basis]})`,
    );
  }
  io.out(`Đã ghi trang "${SHEET_NAMES.remedyPlan}" vào "${out}".`);
};
