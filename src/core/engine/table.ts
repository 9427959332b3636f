/** Finding the score table in a grid: the header row and which column holds what. */
import { normalizeLabel } from './text';

export type ColumnRole = 'outline' | 'text' | 'max' | 'self' | 'explanation' | 'evidence' | 'appraisal' | 'reason' | 'request';

/** 0-based column index per role; optional roles are absent when the sheet has no such column. */
export type ColumnMap = Partial<Record<ColumnRole, number>>;

export const REQUIRED_ROLES: ColumnRole[] = ['outline', 'text', 'max', 'self'];

/** Vietnamese names of the columns, for messages and for the sheets the add-on creates. */
export const ROLE_LABELS: Record<ColumnRole, string> = {
  outline: 'STT',
  text: 'Tiêu chí',
  max: 'Điểm tối đa',
  self: 'Điểm tự chấm',
  explanation: 'Giải trình',
  evidence: 'Minh chứng',
  appraisal: 'Điểm thẩm định',
  reason: 'Lý do điều chỉnh',
  request: 'Yêu cầu bổ sung minh chứng',
};

/** How far down the header may be. */
export const HEADER_SEARCH_ROWS = 20;

/**
 * Which role a header label names. The order matters: "Yêu cầu bổ sung minh chứng" names the
 * request column, not the evidence column, and "Lý do điều chỉnh điểm thẩm định" the reason.
 */
export function roleOfLabel(label: unknown): ColumnRole | null {
  const s = normalizeLabel(label);
  if (!s || s.length > 80) return null;
  if (s.includes('yeu cau bo sung') || s.startsWith('bo sung minh chung')) return 'request';
  if (s.startsWith('ly do')) return 'reason';
  if (s.includes('giai trinh')) return 'explanation';
  if (s.includes('minh chung') || s.includes('kiem chung')) return 'evidence';
  if (s.includes('tu cham') || s.includes('tu danh gia')) return 'self';
  if (s.includes('tham dinh') || s.includes('hoi dong') || s.includes('cham lai')) return 'appraisal';
  if (s.includes('toi da') || s.includes('diem chuan') || s.includes('thang diem')) return 'max';
  if (/^(stt|tt|so tt|so thu tu)\.?$/.test(s)) return 'outline';
  if (/^(tieu chi|noi dung|nhiem vu|ten tieu chi|linh vuc, tieu chi)/.test(s) || s === 'tieu chi danh gia') return 'text';
  return null;
}

export interface HeaderMatch {
  /** 0-based index of the header row in the grid. */
  rowIndex: number;
  columns: ColumnMap;
}

export type HeaderResult = { ok: true; header: HeaderMatch } | { ok: false; missing: ColumnRole[]; bestRowIndex: number | null };

/** Columns in a row, first occurrence of each role wins. */
export function columnsOfRow(row: readonly unknown[], ignoreFrom = Infinity): ColumnMap {
  const map: ColumnMap = {};
  for (let c = 0; c < row.length && c < ignoreFrom; c++) {
    const role = roleOfLabel(row[c]);
    if (role && map[role] === undefined) map[role] = c;
  }
  return map;
}

/**
 * Finds the header row in the first 20 rows: the first row naming all required columns.
 * When none does, reports what the most promising row lacks.
 */
export function findHeader(grid: readonly (readonly unknown[])[], ignoreFromColumn = Infinity): HeaderResult {
  let best: { rowIndex: number; found: number; columns: ColumnMap } | null = null;
  const limit = Math.min(grid.length, HEADER_SEARCH_ROWS);
  for (let r = 0; r < limit; r++) {
    const row = grid[r];
    if (!Array.isArray(row)) continue;
    const columns = columnsOfRow(row, ignoreFromColumn);
    const found = REQUIRED_ROLES.filter((role) => columns[role] !== undefined).length;
    if (found === REQUIRED_ROLES.length) return { ok: true, header: { rowIndex: r, columns } };
    if (found > 0 && (!best || found > best.found)) best = { rowIndex: r, found, columns };
  }
  if (!best) return { ok: false, missing: [...REQUIRED_ROLES], bestRowIndex: null };
  const bestColumns = best.columns;
  return { ok: false, missing: REQUIRED_ROLES.filter((role) => bestColumns[role] === undefined), bestRowIndex: best.rowIndex };
}

/** Vietnamese explanation of why a sheet is not a score table. */
export function describeMissingHeader(result: Extract<HeaderResult, { ok: false }>): string {
  const names = result.missing.map((role) => `"${ROLE_LABELS[role]}"`).join(', ');
  if (result.bestRowIndex === null) {
    return `Không tìm thấy hàng tiêu đề của bảng chấm điểm trong ${HEADER_SEARCH_ROWS} hàng đầu (cần các cột STT, Tiêu chí, Điểm tối đa, Điểm tự chấm).`;
  }
  return `Hàng ${result.bestRowIndex + 1} giống hàng tiêu đề nhưng thiếu cột ${names}. Trang tính được giữ nguyên, không ghi gì.`;
}
