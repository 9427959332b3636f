/**
 * Offline "summary": the leadership summary from an .xlsx, as text, JSON, or (`--out`) a copy of the workbook with
 * its unit sheets made live and a summary sheet whose totals, classes and ranks are formulas over them.
 */
import { formatExact } from '../../core/engine/decimal';
import { STAGE_NAMES } from '../../core/engine/stages';
import { SHEET_NAMES } from '../../core/sheet/own-sheets';
import { summaryFormulas, summaryRules } from '../../core/summary/live';
import { appraisalProgress, buildSummary, finalStage, summaryJson, summaryLayout, summaryUnits } from '../../core/summary/summary';
import type { Command } from '../args';
import { loadWorkbook } from '../inputs';
import { liveCopyPlans } from '../xlsx/live';
import { refuseInputAsOutput, writeOutput } from '../xlsx/output';
import { freeSheetName } from '../xlsx/summary-sheet';
import { annotatedCopy } from '../xlsx/write';

export const summary: Command = async (args, io) => {
  const out = args.flags.get('--out');
  if (typeof out === 'string') refuseInputAsOutput(args.file, out);
  const loaded = await loadWorkbook(args.file, io);
  const { parsed, names, scores } = loaded;
  for (const w of parsed.warnings) io.err(`Lưu ý: ${w}`);
  // Written out, every scored unit sheet gets its result block, which the summary's formulas refer to.
  const live = typeof out === 'string' ? liveCopyPlans(loaded, io) : null;
  const blocks = live ? new Map(live.map((l) => [l.name, { row: l.block.row, col: l.block.col }])) : undefined;
  const { rows, sections } = buildSummary(summaryUnits(parsed.settings, names, scores, blocks));
  if (typeof out === 'string' && live) {
    const s = parsed.settings;
    const updatedAt = new Date().toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
    const layout = summaryLayout({ commune: s.commune, field: s.field, year: s.year, updatedAt }, rows, sections);
    const name = freeSheetName(
      SHEET_NAMES.summary,
      loaded.wb.worksheets.map((w) => w.name),
    );
    const sheet = { name, layout, formulas: summaryFormulas(layout, rows, ','), rules: summaryRules(layout) };
    writeOutput(out, await annotatedCopy(args.file, live, sheet));
    if (name !== SHEET_NAMES.summary)
      io.err(`Lưu ý: tệp đã có trang "${SHEET_NAMES.summary}", bảng tổng hợp mới được ghi vào trang "${name}".`);
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
  if (typeof out === 'string')
    io.out(`Đã ghi bản có bảng tổng hợp tự tính theo điểm các trang đơn vị vào "${out}" (in A4 ngang, vừa một trang bề rộng).`);
};
