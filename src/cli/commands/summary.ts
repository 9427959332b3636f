/** Offline "summary": the leadership summary from an .xlsx, as JSON or a new workbook. */
import { SHEET_NAMES } from '../../core/sheet/own-sheets';
import ExcelJS from 'exceljs';
import { formatExact } from '../../core/engine/decimal';
import { STAGE_NAMES } from '../../core/engine/stages';
import { appraisalProgress, buildSummary, finalStage, summaryJson, summaryLayout, summaryUnits } from '../../core/summary/summary';

import { loadWorkbook } from '../inputs';
import type { Command } from '../args';
import { refuseInputAsOutput } from '../xlsx/output';
import { writeWorkbook } from '../xlsx/write';

export const summary: Command = async (args, io) => {
  const out = args.flags.get('--out');
  if (typeof out === 'string') refuseInputAsOutput(args.file, out);
  const { parsed, names, scores } = await loadWorkbook(args.file, io);
  for (const w of parsed.warnings) io.err(`Lưu ý: ${w}`);
  const { rows, sections } = buildSummary(summaryUnits(parsed.settings, names, scores));
  if (typeof out === 'string') {
    const s = parsed.settings;
    const layout = summaryLayout(
      { commune: s.commune, field: s.field, year: s.year, updatedAt: new Date().toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }) },
      rows,
      sections,
    );
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet(SHEET_NAMES.summary, {
      views: [{ state: 'frozen', ySplit: layout.headerRow }],
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    layout.values.forEach((row, r) => {
      const added = ws.addRow(row.map((v) => (v === '' ? null : v)));
      row.forEach((_, c) => {
        const bg = layout.backgrounds[r][c];
        if (bg !== '#ffffff')
          added.getCell(c + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${bg.slice(1).toUpperCase()}` } };
      });
    });
    ws.getRow(1).font = { bold: true, size: 13 };
    ws.getRow(layout.headerRow).font = { bold: true };
    ws.getRow(layout.headerRow).alignment = { wrapText: true, vertical: 'middle' };
    ws.getColumn(2).width = 30;
    await writeWorkbook(book, out);
  }
  if (args.flags.has('--json')) {
    io.out(JSON.stringify(summaryJson(rows), null, 2));
    return;
  }
  io.out(
    `Tổng hợp ${parsed.settings.field} năm ${parsed.settings.year}${parsed.settings.commune ? ` - xã ${parsed.settings.commune}` : ''}`,
  );
  for (const r of rows) {
    const stage = finalStage(r);
    const progress = appraisalProgress(r);
    const what = stage
      ? `${formatExact(stage.total)} điểm, ${formatExact(stage.percent)}%, ` +
        `${stage.classification}${progress ? ` (tự chấm; ${progress})` : ''}${r.stage ? `; giai đoạn: ${STAGE_NAMES[r.stage]}` : ''}`
      : (r.problem ?? '');
    io.out(
      `${r.rank ?? '-'}. ${r.unit}: ${what}; chưa chấm ${r.pending.unscored}, thiếu minh chứng ${r.pending.missingEvidence}, thiếu ` +
        `giải trình ${r.pending.missingExplanation}`,
    );
  }
  if (typeof out === 'string') io.out(`Đã ghi bảng tổng hợp vào "${out}".`);
};
