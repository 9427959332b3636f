/** Scoring every sheet of a workbook, and the JSON/text reports the shells print. */
import type { Finding, RuleCode } from './findings';
import { scoreUnitGrid } from '../sheet/result-block';
import type { ScoredSheet, ScoreOptions, StageResult } from './score';
import { SUMMARY_HEADERS } from '../summary/summary';
import { REMEDY_PLAN_HEADERS } from '../workflow/remedy-plan';
import { settingsKeyCount } from '../settings/settings';
import { findHeader, roleOfLabel } from './table';
import { formatPoints, normalizeLabel } from './text';

export interface SheetInput {
  name: string;
  grid: unknown[][];
  hiddenRows?: number[];
  merges?: ScoreOptions['merges'];
}

/** Sheets the add-on itself owns: never scored. */
export const SHEET_NAMES = {
  settings: 'Cấu hình',
  summary: 'Tổng hợp',
  reminderLog: 'Nhật ký nhắc hạn',
  editLog: 'Nhật ký chỉnh sửa',
  history: 'Lưu trữ',
  criteriaSet: 'Bộ tiêu chí',
  remedyPlan: 'Kế hoạch khắc phục',
} as const;

export type OwnSheetKind = keyof typeof SHEET_NAMES;

/** What each own sheet is, for the reason a sheet is skipped. */
const OWN_SHEET_WHAT: Record<OwnSheetKind, string> = {
  settings: 'cấu hình',
  summary: 'tổng hợp kết quả',
  reminderLog: 'nhật ký nhắc hạn',
  editLog: 'nhật ký chỉnh sửa',
  history: 'lưu điểm theo các mốc',
  criteriaSet: 'bộ tiêu chí',
  remedyPlan: 'kế hoạch khắc phục',
};

/** Header rows the add-on writes in its log sheets (row 1). */
export const REMINDER_LOG_HEADERS = ['Thời gian', 'Đơn vị', 'Người nhận', 'Mốc', 'Trước hạn (ngày)', 'Loại', 'Trạng thái', 'Khóa'];
export const SNAPSHOT_HEADERS = ['Thời gian', 'Mốc', 'Đơn vị', 'STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm', 'Điểm thẩm định'];
export const AUDIT_HEADERS = ['Thời gian', 'Người sửa', 'Trang tính', 'Ô', 'Giá trị cũ', 'Giá trị mới'];
/** The column of the criteria set naming the units a criterion applies to. */
export const APPLIES_TO_LABEL = 'Đơn vị áp dụng';

/** Own layouts sit at the top of their sheet: rows read to recognise them. */
const OWN_LAYOUT_ROWS = 40;

type Grid = readonly (readonly unknown[])[];

function startsWithHeaders(row: unknown, headers: readonly string[]): boolean {
  return Array.isArray(row) && headers.every((h, i) => normalizeLabel(row[i]) === normalizeLabel(h));
}

const headerRow = (headers: readonly string[]) => (top: Grid) => top.some((row) => startsWithHeaders(row, headers));

/**
 * The layouts the add-on writes, recognised exactly. The remedy plan's header is also the header
 * of the appendices offices score by hand ("Phụ lục"): the plan is recognised by the unit line
 * ("Đơn vị: …" in column B) the add-on writes above each of its headers.
 */
const OWN_LAYOUTS: { kind: OwnSheetKind; test: (top: Grid) => boolean }[] = [
  { kind: 'settings', test: (top) => settingsKeyCount(top) >= 2 },
  { kind: 'summary', test: headerRow(SUMMARY_HEADERS) },
  { kind: 'reminderLog', test: headerRow(REMINDER_LOG_HEADERS) },
  { kind: 'editLog', test: headerRow(AUDIT_HEADERS) },
  { kind: 'history', test: headerRow(SNAPSHOT_HEADERS) },
  {
    kind: 'remedyPlan',
    test: (top) => top.some((row, r) => r > 0 && startsWithHeaders(row, REMEDY_PLAN_HEADERS) && isPlanUnitLine(top[r - 1])),
  },
  {
    kind: 'criteriaSet',
    test: (top) =>
      top.some(
        (row) => row.some((v) => normalizeLabel(v) === normalizeLabel(APPLIES_TO_LABEL)) && row.some((v) => roleOfLabel(v) === 'outline'),
      ),
  },
];

function isPlanUnitLine(row: unknown): boolean {
  return Array.isArray(row) && normalizeLabel(row[0]) === '' && /^don vi: /.test(normalizeLabel(row[1]));
}

/** The kind of own sheet the grid's content is laid out as (the add-on's exact layouts), or null. */
export function ownLayoutOf(grid: Grid): OwnSheetKind | null {
  const top = (Array.isArray(grid) ? grid : []).slice(0, OWN_LAYOUT_ROWS).map((row) => (Array.isArray(row) ? row : []));
  return OWN_LAYOUTS.find((layout) => layout.test(top))?.kind ?? null;
}

/** The own sheet a name is, exactly as the add-on names it (no loose match: "Tong hop" is a unit's sheet). */
export function ownSheetNamed(name: string): OwnSheetKind | null {
  const key = String(name ?? '')
    .normalize('NFC')
    .trim();
  const found = (Object.keys(SHEET_NAMES) as OwnSheetKind[]).find((k) => SHEET_NAMES[k] === key);
  return found ?? null;
}

/** True when the name is exactly one the add-on gives its own sheets: a quick test where only a name is known. */
export function isOwnSheetName(name: string): boolean {
  return ownSheetNamed(name) !== null;
}

/**
 * Whether a new unit sheet's name would be taken for an own sheet: the add-on finds its sheets by
 * name ignoring case and accents, so such a name is refused when sheets are created.
 */
export function clashesWithOwnSheetName(name: string): boolean {
  const key = normalizeLabel(name);
  return Object.values(SHEET_NAMES).some((n) => normalizeLabel(n) === key);
}

/**
 * A sheet of the add-on, and why, or null for a sheet to score. Recognised by its content (the
 * layouts the add-on writes), or by its exact name when it holds no score table (a settings sheet
 * typed by hand). A unit's table in a sheet named "Tổng hợp", "Tong hop" or "LƯU TRỮ" is scored.
 */
export function ownSheetOf(name: string, grid: readonly (readonly unknown[])[]): { kind: OwnSheetKind; reason: string } | null {
  const byContent = ownLayoutOf(grid);
  if (byContent) return { kind: byContent, reason: `Trang ${OWN_SHEET_WHAT[byContent]} của công cụ chấm điểm, không phải biểu chấm.` };
  const byName = ownSheetNamed(name);
  if (!byName) return null;
  const header = findHeader(grid);
  if (header.ok || header.ambiguous.length > 0) return null;
  return { kind: byName, reason: `Trang ${OWN_SHEET_WHAT[byName]} của công cụ chấm điểm (không có bảng chấm điểm), không phải biểu chấm.` };
}

export function isOwnSheet(name: string, grid: readonly (readonly unknown[])[]): boolean {
  return ownSheetOf(name, grid) !== null;
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
    findings: r.findings.map(findingJson),
  };
}

export function workbookJson(file: string, wb: WorkbookScore) {
  return { file, skipped: wb.skipped.map((s) => s.name), sheets: wb.sheets.map((s) => sheetJson(s.name, s.result)) };
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text + ' '.repeat(width - text.length);
}

function stageRows(self: StageResult, appraisal: StageResult | null): string[] {
  const rows: [string, (s: StageResult) => string][] = [
    ['Điểm tối đa', (s) => formatPoints(s.max)],
    ['Tối đa áp dụng', (s) => formatPoints(s.applicableMax)],
    ['Điểm chính', (s) => formatPoints(s.main)],
    ['Điểm cộng', (s) => formatPoints(s.bonus)],
    ['Điểm trừ', (s) => formatPoints(s.penalty)],
    ['Tổng điểm', (s) => formatPoints(s.total)],
    ['Tỷ lệ', (s) => `${formatPoints(s.percent)}%`],
    ['Xếp loại', (s) => s.classification],
  ];
  const lines = [`  ${pad('', 18)}${pad('Tự chấm', 14)}${appraisal ? 'Thẩm định' : ''}`.trimEnd()];
  for (const [label, get] of rows) {
    lines.push(`  ${pad(label, 18)}${pad(get(self), 14)}${appraisal ? get(appraisal) : ''}`.trimEnd());
  }
  return lines;
}

/** The Vietnamese text report of the offline scorer. */
export function workbookText(file: string, wb: WorkbookScore): string {
  const lines: string[] = [`Tệp: ${file}`];
  if (wb.sheets.length === 0) lines.push('Không có trang tính nào chứa bảng chấm điểm.');
  for (const { name, result: r } of wb.sheets) {
    lines.push('', `━━ ${name} ━━ (hàng tiêu đề ${r.headerRow}, ${r.leafCount} tiêu chí chấm điểm)`);
    lines.push(...stageRows(r.self, r.appraisal));
    if (!r.appraisal) lines.push('  (Chưa có điểm thẩm định)');
    const errors = r.findings.filter((f) => f.severity === 'error').length;
    const warnings = r.findings.filter((f) => f.severity === 'warning').length;
    const infos = r.findings.length - errors - warnings;
    if (r.findings.length === 0) {
      lines.push('  Không phát hiện sai sót.');
    } else {
      lines.push(`  Phát hiện ${r.findings.length} vấn đề: ${errors} lỗi, ${warnings} cảnh báo${infos ? `, ${infos} lưu ý` : ''}.`);
      for (const f of r.findings) {
        const tag = f.severity === 'error' ? 'Lỗi' : f.severity === 'warning' ? 'Cảnh báo' : 'Lưu ý';
        lines.push(`  - Hàng ${f.row} (${f.cell})${f.outline ? ` mục ${f.outline}` : ''} [${tag}] ${f.message}`);
      }
    }
  }
  for (const s of wb.skipped) lines.push('', `Bỏ qua trang "${s.name}": ${s.reason}`);
  return lines.join('\n');
}
