/**
 * The add-on's own sheets (settings, summary, logs, history, criteria set, remedy plan): their
 * names, the header rows it writes in them, and how a sheet is recognised as one of them — by its
 * content, not by a loose name match, so a unit's sheet named "Tong hop" is still scored.
 */
import { ROLE_LABELS, findHeader, roleOfLabel } from '../engine/table';
import { normalizeLabel } from '../engine/text';
import { settingsKeyCount } from '../settings/settings';

/** The summary's first columns, as every version of the add-on wrote them (the sheet is recognised by them). */
const SUMMARY_FIRST_HEADERS = [
  'Hạng',
  'Đơn vị',
  'Đầu mối',
  'Số tiêu chí',
  'Đã tự chấm (%)',
  'Chưa chấm',
  'Thiếu minh chứng',
  'Thiếu giải trình',
  'Tổng tự chấm',
  'Tổng thẩm định',
  'Chênh lệch',
  'Điểm cộng',
  'Điểm trừ',
  'Tỷ lệ tự chấm (%)',
  'Xếp loại tự chấm',
  'Tỷ lệ thẩm định (%)',
  'Xếp loại thẩm định',
];

export const SUMMARY_HEADERS = [
  ...SUMMARY_FIRST_HEADERS,
  // The later stages (issue 14): the official percent ranked on, the final round after the appeal, the sheet's stage.
  'Tỷ lệ chính thức (%)',
  'Tổng sau giải trình',
  'Xếp loại sau giải trình',
  'Giai đoạn',
  'Thay đổi so với lần lưu trước',
  'Ghi chú',
];

export const REMEDY_PLAN_HEADERS = [
  ...(['outline', 'text', 'max', 'self', 'appraisal'] as const).map((role) => ROLE_LABELS[role]),
  'Duy trì, khắc phục',
  'Bộ phận chuyên môn duy trì, khắc phục',
  'Giải pháp khắc phục',
];

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
export const SNAPSHOT_HEADERS = [
  'Thời gian',
  'Mốc',
  'Đơn vị',
  ...(['outline', 'text', 'max', 'self', 'appraisal'] as const).map((role) => ROLE_LABELS[role]),
];
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
  // A summary built before the later stages' columns has the same first columns.
  { kind: 'summary', test: headerRow(SUMMARY_FIRST_HEADERS) },
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
