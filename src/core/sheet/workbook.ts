/** Scoring every sheet of a workbook, and the JSON/text reports the shells print. */
import type { Finding, RuleCode } from '../engine/findings';
import { scoreUnitGrid } from './result-block';
import { formatExact } from '../engine/decimal';
import type { ScoredSheet, ScoreOptions, StageResult } from '../engine/score';
import { ownSheetOf } from './own-sheets';
import { SEVERITY_LABEL } from '../engine/findings';
import type { Stage } from '../engine/tree';

/** Which stage's result is official, in words. */
export const OFFICIAL_LABEL: Record<Stage, string> = {
  self: 'điểm tự chấm (thẩm định chưa xong)',
  appraisal: 'điểm thẩm định',
  final: 'điểm sau giải trình',
};

export interface SheetInput {
  name: string;
  grid: unknown[][];
  hiddenRows?: number[];
  merges?: ScoreOptions['merges'];
}

export interface WorkbookScore {
  sheets: { name: string; result: ScoredSheet }[];
  /** `own`: a sheet of the add-on; `rule`: why a sheet with a header was refused. */
  skipped: { name: string; reason: string; own: boolean; rule?: RuleCode }[];
}

export function scoreWorkbook(sheets: readonly SheetInput[], options: ScoreOptions = {}): WorkbookScore {
  const out: WorkbookScore = { sheets: [], skipped: [] };
  for (const sheet of sheets) {
    const own = ownSheetOf(sheet.name, sheet.grid);
    if (own) {
      out.skipped.push({ name: sheet.name, reason: own.reason, own: true });
      continue;
    }
    // A sheet downloaded from Google Sheets carries the add-on's result block: leave it out.
    const result = scoreUnitGrid(sheet.grid, { ...options, hiddenRows: sheet.hiddenRows, merges: sheet.merges });
    if (result.ok) out.sheets.push({ name: sheet.name, result });
    else out.skipped.push({ name: sheet.name, reason: result.reason, own: false, ...(result.rule ? { rule: result.rule } : {}) });
  }
  return out;
}

export function findingJson(f: Finding) {
  return { rule: f.rule, severity: f.severity, row: f.row, cell: f.cell, outline: f.outline, message: f.message };
}

export function sheetJson(name: string, r: ScoredSheet) {
  return {
    sheet: name,
    headerRow: r.headerRow,
    criteria: r.leafCount,
    self: r.self,
    appraisal: r.appraisal,
    final: r.final,
    official: r.official,
    findings: r.findings.map(findingJson),
  };
}

export function workbookJson(file: string, wb: WorkbookScore) {
  return { file, skipped: wb.skipped.map((s) => s.name), sheets: wb.sheets.map((s) => sheetJson(s.name, s.result)) };
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text + ' '.repeat(width - text.length);
}

/** "đã thẩm định 12/40 tiêu chí": how far a stage has got. */
export function stageProgress(stage: StageResult, label: string): string {
  return `đã ${label} ${stage.scored}/${stage.applicable} tiêu chí`;
}

function stageRows(self: StageResult, appraisal: StageResult | null, final: StageResult | null): string[] {
  const rows: [string, (s: StageResult) => string][] = [
    ['Điểm tối đa', (s) => formatExact(s.max)],
    ['Tối đa áp dụng', (s) => formatExact(s.applicableMax)],
    ['Điểm chính', (s) => formatExact(s.main)],
    ['Điểm cộng', (s) => formatExact(s.bonus)],
    ['Điểm trừ', (s) => formatExact(s.penalty)],
    ['Tổng điểm', (s) => formatExact(s.total)],
    ['Tỷ lệ', (s) => `${formatExact(s.percent)}%`],
    ['Đã chấm', (s) => `${s.scored}/${s.applicable}`],
    // A partly done appraisal is not a result: no class until every criterion is appraised.
    ['Xếp loại', (s) => (s !== self && !s.complete ? 'chưa xếp loại' : s.classification)],
  ];
  const stages: [string, StageResult | null][] = [
    ['Tự chấm', self],
    ['Thẩm định', appraisal],
    ['Sau giải trình', final],
  ];
  const shown = stages.filter(([, s]) => s !== null) as [string, StageResult][];
  const line = (label: string, cells: string[]) =>
    `  ${pad(label, 18)}${cells.map((c, i) => (i < cells.length - 1 ? pad(c, 16) : c)).join('')}`.trimEnd();
  return [
    line(
      '',
      shown.map(([name]) => name),
    ),
    ...rows.map(([label, get]) =>
      line(
        label,
        shown.map(([, s]) => get(s)),
      ),
    ),
  ];
}

/** The Vietnamese text report of the offline scorer. */
export function workbookText(file: string, wb: WorkbookScore): string {
  const lines: string[] = [`Tệp: ${file}`];
  if (wb.sheets.length === 0) lines.push('Không có trang tính nào chứa bảng chấm điểm.');
  for (const { name, result: r } of wb.sheets) {
    lines.push('', `━━ ${name} ━━ (hàng tiêu đề ${r.headerRow}, ${r.leafCount} tiêu chí chấm điểm)`);
    lines.push(...stageRows(r.self, r.appraisal, r.final));
    if (!r.appraisal) lines.push('  (Chưa có điểm thẩm định)');
    else if (!r.appraisal.complete) {
      lines.push(`  (Thẩm định chưa xong: ${stageProgress(r.appraisal, 'thẩm định')}; tổng thẩm định chưa phải kết quả cuối cùng)`);
    }
    if (r.final && !r.final.complete) {
      lines.push(`  (Thẩm định lại chưa xong: ${stageProgress(r.final, 'có điểm sau giải trình')}; còn giải trình chưa có điểm)`);
    }
    lines.push(`  Kết quả chính thức: ${OFFICIAL_LABEL[r.official]}.`);
    const errors = r.findings.filter((f) => f.severity === 'error').length;
    const warnings = r.findings.filter((f) => f.severity === 'warning').length;
    const infos = r.findings.length - errors - warnings;
    if (r.findings.length === 0) {
      lines.push('  Không phát hiện sai sót.');
    } else {
      lines.push(`  Phát hiện ${r.findings.length} vấn đề: ${errors} lỗi, ${warnings} cảnh báo${infos ? `, ${infos} lưu ý` : ''}.`);
      for (const f of r.findings) {
        lines.push(`  - Hàng ${f.row} (${f.cell})${f.outline ? ` mục ${f.outline}` : ''} [${SEVERITY_LABEL[f.severity]}] ${f.message}`);
      }
    }
  }
  for (const s of wb.skipped) lines.push('', `Bỏ qua trang "${s.name}": ${s.reason}`);
  return lines.join('\n');
}
