/**
 * The yearly workflow around the score sheets, as pure descriptions the Apps Script layer carries
 * out: unit sheets from the "Bộ tiêu chí" sheet, who may edit which cells (protections), the
 * history snapshots taken at each milestone and the audit log of edits. No Apps Script globals.
 */
import { fromMicro, round3 } from '../engine/decimal';
import { readNumber } from '../engine/numbers';
import { maxValue, planOrder, stageValue } from './remedy-plan';
import { type Criterion, type ScoredSheet, scoreGrid } from '../engine/score';
import type { Settings, Unit } from '../settings/settings';
import { type ColumnMap, type ColumnRole, describeMissingHeader, findHeader, ROLE_LABELS } from '../engine/table';
import { type TemplateCriterion, unitSheetGrid } from '../sheet/template';
import { a1, cellText, isBlank, isDate, normalizeLabel } from '../engine/text';
import { APPLIES_TO_LABEL, AUDIT_HEADERS, clashesWithOwnSheetName, SNAPSHOT_HEADERS } from '../engine/workbook';

// The own sheets' headers live with SHEET_NAMES, where own sheets are recognised by their content.
export { APPLIES_TO_LABEL, AUDIT_HEADERS, SNAPSHOT_HEADERS };

// ---- 1. criteria set → unit sheets ------------------------------------------------------------

export interface SetCriterion extends TemplateCriterion {
  outline: string;
  text: string;
  max: number | string;
  /** Names (unit or sheet names) listed in "Đơn vị áp dụng"; empty = every unit (or the parent's list). */
  units: string[];
  /** Index of the parent group in the same list, -1 at the top level. */
  parent: number;
}

export interface CriteriaSet {
  criteria: SetCriterion[];
  /** Why no criterion could be read (missing header, empty set). */
  reason?: string;
  /** Rows read but left out, and other remarks. */
  warnings: string[];
}

function isAppliesToLabel(value: unknown): boolean {
  const s = normalizeLabel(value);
  return s.includes('don vi') && s.includes('ap dung');
}

/** Splits "Văn phòng; Công an xã, Trạm Y tế" into names. "Tất cả" (all units) gives an empty list. */
export function splitUnitList(value: unknown): string[] {
  const names = cellText(value)
    .split(/[,;\n]+/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  if (names.some((n) => /^tat ca\b/.test(normalizeLabel(n)))) return [];
  return names;
}

function setMax(c: Criterion): number | string {
  if (c.cells.max.kind === 'number') return c.cells.max.value;
  if (c.children.length > 0) return round3(fromMicro(c.max));
  if (c.cells.max.kind === 'na') return c.cells.max.raw;
  return '';
}

/**
 * Reads the "Bộ tiêu chí" sheet: the same columns as a unit sheet (the self-score column may be
 * missing) plus an optional "Đơn vị áp dụng" column. Bonus, penalty and total rows are left out:
 * every unit sheet gets its own bonus, penalty and total rows.
 */
export function criteriaFromSet(grid: readonly (readonly unknown[])[]): CriteriaSet {
  const rows: unknown[][] = (Array.isArray(grid) ? grid : []).map((r) => (Array.isArray(r) ? [...r] : []));
  let header = findHeader(rows);
  if (!header.ok && header.missing.length === 1 && header.missing[0] === 'self' && header.bestRowIndex !== null) {
    // A set often has no self-score column: add an empty one so the table reads like a unit sheet.
    const at = header.bestRowIndex;
    const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
    rows.forEach((r, i) => {
      while (r.length < width) r.push('');
      r.push(i === at ? ROLE_LABELS.self : '');
    });
    header = findHeader(rows);
  }
  if (!header.ok) return { criteria: [], reason: describeMissingHeader(header), warnings: [] };
  // In a two-row header, "Đơn vị áp dụng" merged down over both rows is in the first.
  const unitsCol = Math.max(
    ...rows.slice(header.header.firstRowIndex, header.header.rowIndex + 1).map((r) => r.findIndex(isAppliesToLabel)),
  );
  const scored = scoreGrid(rows);
  if (!scored.ok) return { criteria: [], reason: scored.reason, warnings: [] };

  const warnings: string[] = [];
  const indexOf = new Map<number, number>();
  const criteria: SetCriterion[] = [];
  let extra = 0;
  for (const c of scored.criteria) {
    if (c.block !== 'main') {
      extra++;
      continue;
    }
    indexOf.set(c.index, criteria.length);
    criteria.push({
      outline: c.outline,
      text: c.text,
      max: setMax(c),
      units: unitsCol >= 0 ? splitUnitList(rows[c.row - 1][unitsCol]) : [],
      parent: c.parent >= 0 ? (indexOf.get(c.parent) ?? -1) : -1,
    });
  }
  if (extra > 0) {
    warnings.push(`Bỏ qua ${extra} hàng điểm cộng, điểm trừ của bộ tiêu chí: biểu của mỗi đơn vị đã có sẵn hàng Điểm cộng và Điểm trừ.`);
  }
  if (criteria.length === 0) return { criteria, reason: 'Bộ tiêu chí chưa có tiêu chí nào dưới hàng tiêu đề.', warnings };
  return { criteria, warnings };
}

function matchesUnit(name: string, unit: Unit): boolean {
  const n = normalizeLabel(name);
  return n !== '' && (n === normalizeLabel(unit.name) || n === normalizeLabel(unit.sheet));
}

/**
 * The criteria of one unit's sheet. A row with an empty "Đơn vị áp dụng" inherits its group's
 * list (empty at the top = every unit). A group is kept when one of its rows is; when some were
 * left out, its max becomes the sum of the kept rows' max.
 */
export function criteriaForUnit(criteria: readonly SetCriterion[], unit: Unit): SetCriterion[] {
  const n = criteria.length;
  const children: number[][] = criteria.map(() => []);
  criteria.forEach((c, i) => {
    if (c.parent >= 0 && c.parent < i) children[c.parent].push(i);
  });
  const lists: string[][] = [];
  criteria.forEach((c, i) => {
    const inherited = c.parent >= 0 && c.parent < i ? lists[c.parent] : [];
    lists.push(c.units.length > 0 ? c.units : inherited);
  });
  const kept = new Array<boolean>(n).fill(false);
  const trimmed = new Array<boolean>(n).fill(false);
  const max: (number | string)[] = criteria.map((c) => c.max);
  for (let i = n - 1; i >= 0; i--) {
    if (children[i].length === 0) {
      kept[i] = lists[i].length === 0 || lists[i].some((name) => matchesUnit(name, unit));
      continue;
    }
    const keptChildren = children[i].filter((k) => kept[k]);
    kept[i] = keptChildren.length > 0;
    trimmed[i] = keptChildren.length < children[i].length || keptChildren.some((k) => trimmed[k]);
    if (trimmed[i]) max[i] = round3(keptChildren.reduce((sum, k) => sum + (typeof max[k] === 'number' ? (max[k] as number) : 0), 0));
  }
  const newIndex = new Map<number, number>();
  const out: SetCriterion[] = [];
  criteria.forEach((c, i) => {
    if (!kept[i]) return;
    newIndex.set(i, out.length);
    out.push({ ...c, units: [...c.units], max: max[i], parent: c.parent >= 0 ? (newIndex.get(c.parent) ?? -1) : -1 });
  });
  return out;
}

/** Why a sheet name cannot be used, or null when it can. */
export function invalidSheetName(name: string): string | null {
  if (name.trim() === '') return 'Đơn vị chưa có tên trang tính.';
  if (name.length > 100) return `Tên trang "${name.slice(0, 40)}…" dài hơn 100 ký tự.`;
  if (/[[\]*?:/\\]/.test(name)) return `Tên trang "${name}" chứa ký tự không được dùng trong tên trang ([ ] * ? : / \\).`;
  if (clashesWithOwnSheetName(name)) return `Tên trang "${name}" trùng tên trang của công cụ chấm điểm.`;
  return null;
}

/** Sheet names are unique regardless of case. */
const sheetKey = (name: string) => name.trim().toLowerCase();

export interface UnitSheetPlan {
  create: { unit: Unit; sheet: string; grid: unknown[][] }[];
  skipped: { unit: Unit; reason: string }[];
  /** Names in "Đơn vị áp dụng" that match no unit of the settings. */
  warnings: string[];
}

/**
 * Which unit sheets to create from the criteria set. Existing sheets are never overwritten (they
 * are reported and skipped), so running the plan again after creating the sheets creates nothing.
 */
export function planUnitSheets(
  settings: Settings,
  existingSheetNames: readonly string[],
  criteria: readonly SetCriterion[],
): UnitSheetPlan {
  const plan: UnitSheetPlan = { create: [], skipped: [], warnings: [] };
  const existing = new Set(existingSheetNames.map(sheetKey));
  const planned = new Map<string, Unit>();
  if (settings.units.length === 0) plan.warnings.push('Bảng đơn vị trong trang "Cấu hình" chưa có đơn vị nào.');
  for (const unit of settings.units) {
    const sheet = (unit.sheet || unit.name).trim();
    const invalid = invalidSheetName(sheet);
    if (invalid) {
      plan.skipped.push({ unit, reason: invalid });
      continue;
    }
    if (existing.has(sheetKey(sheet))) {
      plan.skipped.push({ unit, reason: `Trang "${sheet}" đã có: giữ nguyên, không ghi đè.` });
      continue;
    }
    const other = planned.get(sheetKey(sheet));
    if (other) {
      plan.skipped.push({ unit, reason: `Trang "${sheet}" đã dành cho đơn vị "${other.name}".` });
      continue;
    }
    const own = criteriaForUnit(criteria, unit);
    if (own.length === 0) {
      plan.skipped.push({
        unit,
        reason: criteria.length === 0 ? 'Bộ tiêu chí chưa có tiêu chí nào.' : 'Không có tiêu chí nào áp dụng cho đơn vị này.',
      });
      continue;
    }
    planned.set(sheetKey(sheet), unit);
    plan.create.push({
      unit,
      sheet,
      grid: unitSheetGrid(
        unit.name,
        settings,
        own.map(({ outline, text, max }) => ({ outline, text, max })),
      ),
    });
  }
  const unknown = new Set<string>();
  for (const c of criteria) {
    for (const name of c.units) if (!settings.units.some((u) => matchesUnit(name, u))) unknown.add(name);
  }
  for (const name of unknown)
    plan.warnings.push(`"${name}" ở cột "${APPLIES_TO_LABEL}" không khớp đơn vị hay trang tính nào trong bảng đơn vị.`);
  return plan;
}

// ---- 2. protections -----------------------------------------------------------------------------

/** Every protection the add-on makes starts with this, so it can find and replace its own. */
export const PROTECTION_TAG = 'Chấm điểm CCHC/CDS';

export const UNIT_ROLES: ColumnRole[] = ['self', 'explanation', 'evidence'];
export const COUNCIL_ROLES: ColumnRole[] = ['appraisal', 'reason', 'request'];

export interface ProtectionPlan {
  mode: 'open' | 'selfLocked';
  /** Description of the whole-sheet protection (starts with PROTECTION_TAG). */
  sheetDescription: string;
  /** Descriptions for range protections, when the shell protects ranges one by one. */
  rangeDescriptions: { unit: string; council: string };
  /** A1 ranges the unit may edit: self score, explanation, evidence of the criteria rows. */
  unitRanges: string[];
  /** A1 ranges the council may edit: appraisal, reason, evidence request over the same rows. */
  councilRanges: string[];
  unitEditors: string[];
  councilEditors: string[];
  /** The standing office: may edit the whole sheet, so belongs in every protection. */
  officeEditors: string[];
  warnings: string[];
}

export function isOwnProtection(description: unknown): boolean {
  return typeof description === 'string' && description.startsWith(PROTECTION_TAG);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function emails(list: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of list) {
    const e = raw.trim().toLowerCase();
    if (EMAIL.test(e) && !out.includes(e)) out.push(e);
  }
  return out;
}

/** Consecutive runs of sorted distinct integers: [3,4,5,8] → [[3,5],[8,8]]. */
function runs(values: readonly number[]): [number, number][] {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v === last[1] + 1) last[1] = v;
    else out.push([v, v]);
  }
  return out;
}

/** A1 ranges covering the given 1-based rows × 0-based columns, merged into rectangles of runs. */
export function rangesOf(rows: readonly number[], cols: readonly number[]): string[] {
  const out: string[] = [];
  if (cols.length === 0) return out;
  for (const [r1, r2] of runs(rows)) {
    for (const [c1, c2] of runs(cols)) out.push(r1 === r2 && c1 === c2 ? a1(r1, c1) : `${a1(r1, c1)}:${a1(r2, c2)}`);
  }
  return out;
}

/** 1-based rows a person scores: every leaf criterion, bonus and penalty rows included. */
export function criteriaRows(result: ScoredSheet, sheetMaxRows = Infinity): number[] {
  return result.criteria.filter((c) => c.children.length === 0 && c.row > result.headerRow && c.row <= sheetMaxRows).map((c) => c.row);
}

function roleColumns(columns: ColumnMap, roles: readonly ColumnRole[]): number[] {
  return roles.map((r) => columns[r]).filter((c): c is number => c !== undefined);
}

function roleNames(columns: ColumnMap, roles: readonly ColumnRole[]): string {
  return roles
    .filter((r) => columns[r] !== undefined)
    .map((r) => ROLE_LABELS[r])
    .join(', ');
}

function buildProtection(
  result: ScoredSheet,
  unit: Unit,
  settings: Settings,
  sheetMaxRows: number,
  mode: ProtectionPlan['mode'],
  unitRoles: ColumnRole[],
): ProtectionPlan {
  const rows = criteriaRows(result, sheetMaxRows);
  const cols = result.columns;
  const unitEditors = unitRoles.length > 0 ? emails([unit.email]) : [];
  const councilEditors = emails(settings.council);
  const officeEditors = emails([settings.officeEmail]);
  const unitRanges = rangesOf(rows, roleColumns(cols, unitRoles));
  const councilRanges = rangesOf(rows, roleColumns(cols, COUNCIL_ROLES));
  const who = `${PROTECTION_TAG} – ${unit.name}`;
  const unitPart = unitRoles.length > 0 ? `đơn vị sửa ${roleNames(cols, unitRoles)}` : 'đã khóa phần tự chấm của đơn vị';
  const councilPart = councilRanges.length > 0 ? `; tổ thẩm định sửa ${roleNames(cols, COUNCIL_ROLES)}` : '';
  const warnings: string[] = [];
  if (unitRoles.length > 0 && unitEditors.length === 0)
    warnings.push(`Đơn vị "${unit.name}" chưa có email hợp lệ: chỉ cơ quan thường trực sửa được phần tự chấm.`);
  if (councilRanges.length > 0 && councilEditors.length === 0)
    warnings.push('Chưa khai báo "Email tổ thẩm định" trong trang "Cấu hình": chỉ cơ quan thường trực sửa được phần thẩm định.');
  if (cols.appraisal === undefined) warnings.push('Biểu chưa có cột "Điểm thẩm định": không có vùng dành cho tổ thẩm định.');
  const official = (e: string) => settings.domains.some((d) => e.endsWith(`@${d}`) || e.endsWith(`.${d}`));
  if (settings.domains.length > 0) {
    for (const e of [...unitEditors, ...councilEditors, ...officeEditors]) {
      if (!official(e))
        warnings.push(
          `Email ${e} không thuộc tên miền công vụ (${settings.domains.join(', ')}): nên đổi sang email công vụ trước khi cấp quyền sửa.`,
        );
    }
  }
  if (officeEditors.length === 0)
    warnings.push('Chưa khai báo "Email cơ quan thường trực" trong trang "Cấu hình": chỉ chủ sở hữu tệp sửa được các ô còn lại.');
  return {
    mode,
    sheetDescription: `${who}: ${unitPart}${councilPart}; các ô khác do cơ quan thường trực quản lý.`,
    rangeDescriptions: { unit: `${who}: phần tự chấm của đơn vị`, council: `${who}: phần thẩm định` },
    unitRanges,
    councilRanges,
    unitEditors,
    councilEditors,
    officeEditors,
    warnings,
  };
}

/**
 * Who may edit what on a unit sheet while the unit scores itself: the unit its self score,
 * explanation and evidence cells, the council its appraisal, reason and request cells, the office
 * everything. Header, max column, group subtotals and the total row belong to none but the office.
 * The plan depends only on the sheet's layout and the settings, so applying it twice (after removing
 * the protections whose description starts with PROTECTION_TAG) gives the same protections.
 */
export function protectionPlan(result: ScoredSheet, unit: Unit, settings: Settings, sheetMaxRows: number): ProtectionPlan {
  return buildProtection(result, unit, settings, sheetMaxRows, 'open', UNIT_ROLES);
}

/**
 * After the last milestone: the unit's cells are locked for the council to appraise. With
 * `allowEvidence` the unit may still add evidence the council asked for.
 */
export function selfLockedPlan(
  result: ScoredSheet,
  unit: Unit,
  settings: Settings,
  sheetMaxRows: number,
  options: { allowEvidence?: boolean } = {},
): ProtectionPlan {
  return buildProtection(result, unit, settings, sheetMaxRows, 'selfLocked', options.allowEvidence ? ['evidence'] : []);
}

// ---- 3. history snapshots -----------------------------------------------------------------------

export const SNAPSHOT_TOTAL_TEXT = 'Tổng điểm';

/** One row per criterion (main part, bonus, penalty) and the unit's total row, for the "Lưu trữ" sheet. */
export function snapshotRows(time: string, milestone: string, unit: string, result: ScoredSheet): unknown[][] {
  const hasAppraisal = result.appraisal !== null;
  const rows = planOrder(result).map((c) => [
    time,
    milestone,
    unit,
    c.outline,
    c.text,
    maxValue(c),
    stageValue(c, 'self', true),
    stageValue(c, 'appraisal', hasAppraisal),
  ]);
  rows.push([
    time,
    milestone,
    unit,
    '',
    SNAPSHOT_TOTAL_TEXT,
    result.self.max,
    result.self.total,
    result.appraisal ? result.appraisal.total : '',
  ]);
  return rows;
}

export interface SnapshotChange {
  /** Change of the unit's total since its last snapshot; null when there is nothing to compare. */
  selfDelta: number | null;
  appraisalDelta: number | null;
  /** The snapshot compared with. */
  previous: { time: string; milestone: string } | null;
}

function snapshotNumber(value: unknown): number | null {
  const n = readNumber(value);
  return n.kind === 'number' ? n.value : null;
}

/**
 * How the unit's totals changed since its last snapshot. `previousRows` are rows of the history
 * sheet (header rows and other units' rows are ignored when `unit` is given); the last total row wins.
 */
export function changesSinceSnapshot(previousRows: readonly (readonly unknown[])[], result: ScoredSheet, unit?: string): SnapshotChange {
  const wanted = unit === undefined ? null : normalizeLabel(unit);
  const totalKey = normalizeLabel(SNAPSHOT_TOTAL_TEXT);
  let last: readonly unknown[] | null = null;
  for (const row of previousRows) {
    if (!Array.isArray(row)) continue;
    if (!isBlank(row[3]) || normalizeLabel(row[4]) !== totalKey) continue;
    if (wanted !== null && normalizeLabel(row[2]) !== wanted) continue;
    last = row;
  }
  if (!last) return { selfDelta: null, appraisalDelta: null, previous: null };
  const prevSelf = snapshotNumber(last[6]);
  const prevAppraisal = snapshotNumber(last[7]);
  const time = isDate(last[0]) ? (last[0] as Date).toISOString() : cellText(last[0]);
  return {
    selfDelta: prevSelf === null ? null : round3(result.self.total - prevSelf),
    appraisalDelta: prevAppraisal === null || !result.appraisal ? null : round3(result.appraisal.total - prevAppraisal),
    previous: { time, milestone: cellText(last[1]) },
  };
}

// ---- 4. audit log -------------------------------------------------------------------------------

/** A sheet cell holds at most 50,000 characters. */
const CELL_LIMIT = 50000;

function auditValue(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || isDate(value)) return value;
  let s = String(value);
  if (s.length > CELL_LIMIT) s = `${s.slice(0, CELL_LIMIT - 1)}…`;
  // Written back with setValues, a leading "=" would turn the logged text into a live formula.
  return s.startsWith('=') ? `'${s}` : s;
}

/** One row of the "Nhật ký chỉnh sửa" sheet. An unknown editor is logged as "(không rõ)". */
export function auditRow(time: string, user: string, sheet: string, cell: string, oldValue: unknown, newValue: unknown): unknown[] {
  return [time, user.trim() || '(không rõ)', sheet, cell, auditValue(oldValue), auditValue(newValue)];
}

export const WATCHED_ROLES: ColumnRole[] = ['max', 'self', 'appraisal', 'explanation', 'evidence', 'reason'];

/** True for the columns whose edits are logged and re-checked: scores, explanation, evidence, reason. */
export function isWatchedColumn(columns: ColumnMap, col0: number): boolean {
  return WATCHED_ROLES.some((r) => columns[r] === col0);
}
