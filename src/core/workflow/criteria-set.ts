/** The "Bộ tiêu chí" sheet: the year's criteria, which units they apply to, and the unit sheets made from them. */
import { fromMicro, round3 } from '../engine/decimal';
import { type Criterion, scoreGrid } from '../engine/score';
import { ROLE_LABELS, describeMissingHeader, findHeader } from '../engine/table';
import { cellText, normalizeLabel } from '../engine/text';
import type { Settings, Unit } from '../settings/settings';
import { type TemplateCriterion, unitSheetGrid } from '../sheet/template';
import { APPLIES_TO_LABEL, clashesWithOwnSheetName } from '../sheet/own-sheets';
export { APPLIES_TO_LABEL };

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

export interface UnitSheetSpec {
  create: { unit: Unit; sheet: string; grid: unknown[][] }[];
  skipped: { unit: Unit; reason: string }[];
  /** Names in "Đơn vị áp dụng" that match no unit of the settings. */
  warnings: string[];
}

/**
 * Which unit sheets to create from the criteria set. Existing sheets are never overwritten (they
 * are reported and skipped), so running the plan again after creating the sheets creates nothing.
 */
export function unitSheetSpecs(
  settings: Settings,
  existingSheetNames: readonly string[],
  criteria: readonly SetCriterion[],
): UnitSheetSpec {
  const plan: UnitSheetSpec = { create: [], skipped: [], warnings: [] };
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
        // With the later stages' columns (evidence check, appeal, final round), as the default stage flow needs them.
        true,
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
