/** `score FILE.xlsx [--json] [--out OUT.xlsx]`: scores every sheet, optionally writes an annotated copy. */
import { workbookJson, workbookText } from '../../core/sheet/workbook';
import type { Command } from '../args';
import { loadWorkbook } from '../inputs';
import { refuseInputAsOutput, writeOutput } from '../xlsx/output';
import { annotatedCopy } from '../xlsx/write';

export const score: Command = async (args, io) => {
  const out = args.flags.get('--out');
  if (typeof out === 'string') refuseInputAsOutput(args.file, out);
  const { parsed, scored } = await loadWorkbook(args.file, io);
  // Thresholds and the bonus cap come from the workbook's own "Cấu hình" sheet when it has one.
  if (parsed.found) for (const w of parsed.warnings) io.err(`Lưu ý (Cấu hình): ${w}`);
  // The copy is the input package with only the changed cells, notes and styles edited.
  if (typeof out === 'string') writeOutput(out, await annotatedCopy(args.file, scored));
  if (args.flags.has('--json')) io.out(JSON.stringify(workbookJson(args.file, scored), null, 2));
  else {
    io.out(workbookText(args.file, scored));
    if (typeof out === 'string') io.out(`\nĐã ghi bản có tổng điểm và ghi chú vào "${out}".`);
  }
};
