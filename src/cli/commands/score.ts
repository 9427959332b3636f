/** `score FILE.xlsx [--json] [--out OUT.xlsx]`: scores every sheet, optionally writes a live, annotated copy. */
import { workbookJson, workbookText, type WorkbookScore } from '../../core/sheet/workbook';
import type { Command } from '../args';
import { loadWorkbook } from '../inputs';
import { liveCopyPlans } from '../xlsx/live';
import { refuseInputAsOutput, writeOutput } from '../xlsx/output';
import { annotatedCopy } from '../xlsx/write';

export const score: Command = async (args, io) => {
  const out = args.flags.get('--out');
  if (typeof out === 'string') refuseInputAsOutput(args.file, out);
  const { wb, inputs, parsed, settingsSheet, scored } = await loadWorkbook(args.file, io);
  // Thresholds and the bonus cap come from the workbook's own "Cấu hình" sheet when it has one.
  if (parsed.found) for (const w of parsed.warnings) io.err(`Lưu ý (Cấu hình): ${w}`);
  let report: WorkbookScore = scored;
  if (typeof out === 'string') {
    // The copy is the input package with the add-on's formulas, block, rules, validation and notes added.
    const live = liveCopyPlans({ wb, inputs, parsed, settingsSheet, scored }, io);
    writeOutput(out, await annotatedCopy(args.file, live));
    // The report lists what the notes say, the plan's findings (a person's subtotal formula) included.
    const findings = new Map(live.map((s) => [s.name, s.findings]));
    report = {
      ...scored,
      sheets: scored.sheets.map((s) => ({ ...s, result: { ...s.result, findings: findings.get(s.name) ?? s.result.findings } })),
    };
  }
  if (args.flags.has('--json')) io.out(JSON.stringify(workbookJson(args.file, report), null, 2));
  else {
    io.out(workbookText(args.file, report));
    if (typeof out === 'string') io.out(`\nĐã ghi bản có công thức tự tính, tổng điểm và ghi chú vào "${out}".`);
  }
};
