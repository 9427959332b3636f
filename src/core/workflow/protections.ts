/** Who may edit which cells of a unit sheet: the protections the Apps Script shell applies. */
import type { ScoredSheet } from '../engine/score';
import { type ColumnMap, type ColumnRole, ROLE_LABELS } from '../engine/table';
import { a1 } from '../engine/text';
import { isEmailShape, normalizeEmail } from '../settings/email';
import type { Settings, Unit } from '../settings/settings';
import { runs } from '../engine/numbers';
/** Every protection the add-on makes starts with this, so it can find and replace its own. */
export const PROTECTION_TAG = 'Chấm điểm CCHC/CDS';

export const UNIT_ROLES: ColumnRole[] = ['self', 'explanation', 'evidence'];

export const COUNCIL_ROLES: ColumnRole[] = ['appraisal', 'reason', 'request'];

export interface ProtectionSpec {
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

function emails(list: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of list) {
    const e = normalizeEmail(raw);
    if (isEmailShape(e) && !out.includes(e)) out.push(e);
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
  mode: ProtectionSpec['mode'],
  unitRoles: ColumnRole[],
): ProtectionSpec {
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
export function protectionSpec(result: ScoredSheet, unit: Unit, settings: Settings, sheetMaxRows: number): ProtectionSpec {
  return buildProtection(result, unit, settings, sheetMaxRows, 'open', UNIT_ROLES);
}

/**
 * After the last milestone: the unit's cells are locked for the council to appraise. With
 * `allowEvidence` the unit may still add evidence the council asked for.
 */
export function selfLockedSpec(
  result: ScoredSheet,
  unit: Unit,
  settings: Settings,
  sheetMaxRows: number,
  options: { allowEvidence?: boolean } = {},
): ProtectionSpec {
  return buildProtection(result, unit, settings, sheetMaxRows, 'selfLocked', options.allowEvidence ? ['evidence'] : []);
}

/** A spec builder: the shell applies whatever builder a command chooses (a stage's rights, "Phân quyền", "Khóa tự chấm"). */
export type SpecBuilder = (result: ScoredSheet, unit: Unit, settings: Settings, maxRows: number) => ProtectionSpec;

/** Who edits what, part by part: some rows × some columns for the unit, others for the council. */
export interface SpecParts {
  mode: ProtectionSpec['mode'];
  /** Named in the descriptions after the unit, e.g. "giai đoạn Giải trình". */
  context: string;
  unit: { rows: readonly number[]; roles: readonly ColumnRole[] };
  council: { rows: readonly number[]; roles: readonly ColumnRole[] };
}

/**
 * The protections of a sheet whose editable cells differ row by row (the stages of issue 14): the
 * unit edits its rows × roles, the council its own, the office everything. Same shape and same
 * warnings as protectionSpec, so the shell applies both alike.
 */
export function partsSpec(result: ScoredSheet, unit: Unit, settings: Settings, parts: SpecParts): ProtectionSpec {
  const cols = result.columns;
  const unitRanges = rangesOf(parts.unit.rows, roleColumns(cols, parts.unit.roles));
  const councilRanges = rangesOf(parts.council.rows, roleColumns(cols, parts.council.roles));
  const unitEditors = unitRanges.length > 0 ? emails([unit.email]) : [];
  const councilEditors = councilRanges.length > 0 ? emails(settings.council) : [];
  const officeEditors = emails([settings.officeEmail]);
  const who = `${PROTECTION_TAG} – ${unit.name} (${parts.context})`;
  const part = (whom: string, ranges: string[], p: SpecParts['unit']) =>
    ranges.length > 0 ? `${whom} sửa ${roleNames(cols, p.roles)} (${new Set(p.rows).size} tiêu chí)` : `${whom} không sửa ô nào`;
  const warnings: string[] = [];
  const absent = [...parts.unit.roles, ...parts.council.roles].filter((r) => cols[r] === undefined);
  if (absent.length > 0)
    warnings.push(
      `Biểu chưa có cột ${[...new Set(absent)].map((r) => `"${ROLE_LABELS[r]}"`).join(', ')}: hãy chọn "Thêm cột giai đoạn sau".`,
    );
  if (unitRanges.length > 0 && unitEditors.length === 0)
    warnings.push(`Đơn vị "${unit.name}" chưa có email hợp lệ: chỉ cơ quan thường trực sửa được các ô của đơn vị.`);
  if (councilRanges.length > 0 && councilEditors.length === 0)
    warnings.push('Chưa khai báo "Email tổ thẩm định" trong trang "Cấu hình": chỉ cơ quan thường trực sửa được phần thẩm định.');
  const official = (e: string) => settings.domains.some((d) => e.endsWith(`@${d}`) || e.endsWith(`.${d}`));
  for (const e of settings.domains.length > 0 ? [...unitEditors, ...councilEditors, ...officeEditors] : []) {
    if (!official(e))
      warnings.push(
        `Email ${e} không thuộc tên miền công vụ (${settings.domains.join(', ')}): nên đổi sang email công vụ trước khi cấp quyền sửa.`,
      );
  }
  if (officeEditors.length === 0)
    warnings.push('Chưa khai báo "Email cơ quan thường trực" trong trang "Cấu hình": chỉ chủ sở hữu tệp sửa được các ô còn lại.');
  return {
    mode: parts.mode,
    sheetDescription:
      `${who}: ${part('đơn vị', unitRanges, parts.unit)}; ${part('tổ thẩm định', councilRanges, parts.council)}; ` +
      'các ô khác do cơ quan thường trực quản lý.',
    rangeDescriptions: { unit: `${who}: phần của đơn vị`, council: `${who}: phần của tổ thẩm định` },
    unitRanges,
    councilRanges,
    unitEditors,
    councilEditors,
    officeEditors,
    warnings,
  };
}
