/**
 * Offline "report": the papers the standing office issues, as a .docx.
 *   report FILE.xlsx --out BAO-CAO.docx [--kind result|progress|notice] [--today YYYY-MM-DD] [--json]
 * result: the year's results report; progress: the report of the last milestone reached; notice: one notice per unit,
 * a page each.
 */
import { isYmd } from '../../core/engine/dates';
import { buildPaper, PAPER_KINDS, type PaperKind, type ReportUnit, resultRow, RESULT_HEADERS } from '../../core/report/report';
import { vietnamDate } from '../../core/settings/settings';
import { buildSummary, finalStage, summaryUnits } from '../../core/summary/summary';
import { REMEDY, remedyPlanEntries } from '../../core/workflow/remedy-plan';
import { type Command, CliError } from '../args';
import { paperDocx } from '../docx/paper';
import { loadWorkbook } from '../inputs';
import { refuseInputAsOutput, writeOutput } from '../xlsx/output';

const KIND_TEXT: Record<PaperKind, string> = {
  result: 'báo cáo kết quả chấm điểm',
  progress: 'báo cáo tiến độ chấm điểm',
  notice: 'thông báo kết quả chấm điểm cho từng đơn vị',
};

/** The summary rows with what the papers add: the stage each unit is judged on and the criteria it has to remedy. */
export function reportUnits(rows: ReturnType<typeof buildSummary>['rows']): ReportUnit[] {
  return rows.map((r) => ({
    ...r,
    judged: finalStage(r),
    lost: r.result ? remedyPlanEntries(r.unit, r.result).flatMap((e) => (e.status === REMEDY && e.criterion ? [e.criterion] : [])) : [],
  }));
}

function kindOf(value: string | true | undefined): PaperKind {
  if (value === undefined) return 'result';
  const kind = PAPER_KINDS.find((k) => k === value);
  if (!kind)
    throw new CliError(`--kind "${String(value)}" không hợp lệ: chọn result (kết quả), progress (tiến độ) hoặc notice (thông báo).`);
  return kind;
}

function todayOf(value: string | true | undefined): string {
  if (value === undefined) return vietnamDate(new Date());
  const today = String(value).trim();
  if (!isYmd(today)) throw new CliError(`--today "${String(value)}" không phải ngày hợp lệ: cần dạng YYYY-MM-DD, ví dụ 2026-12-15.`);
  return today;
}

export const report: Command = async (args, io) => {
  const out = args.flags.get('--out');
  if (typeof out !== 'string' || !/\.docx$/i.test(out))
    throw new CliError('Thiếu --out TỆP.docx: lệnh report ghi văn bản ra một tệp Word (.docx) mới.');
  const kind = kindOf(args.flags.get('--kind'));
  const today = todayOf(args.flags.get('--today'));
  refuseInputAsOutput(args.file, out);
  const { parsed, names, scores } = await loadWorkbook(args.file, io);
  for (const w of parsed.warnings) io.err(`Lưu ý: ${w}`);
  const units = reportUnits(buildSummary(summaryUnits(parsed.settings, names, scores)).rows);
  const paper = buildPaper(kind, units, { settings: parsed.settings, today });
  writeOutput(out, await paperDocx(paper));

  if (args.flags.has('--json')) {
    const rows = units.map(resultRow);
    io.out(
      JSON.stringify(
        { file: args.file, out, kind, today, units: rows.map((r) => Object.fromEntries(RESULT_HEADERS.map((h, i) => [h, r[i]]))) },
        null,
        2,
      ),
    );
    return;
  }
  io.out(`Đã ghi ${KIND_TEXT[kind]} (${units.length} đơn vị) vào "${out}".`);
};
