/** Who may edit which cells of a unit sheet: the protections the Apps Script shell applies. */
import type { ScoredSheet } from '../engine/score';
import { type ColumnMap, type ColumnRole, ROLE_LABELS } from '../engine/table';
import { a1 } from '../engine/text';
import { isEmailShape, normalizeEmail, officeEmails } from '../settings/email';
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
  /**
   * The few protections the shell writes: the whole sheet for the office with `openRanges` left open, and one range
   * protection per block. `openRanges` are the unit and council cells of the criteria rows (unitRanges ∪
   * councilRanges, merged into rectangles where the columns touch).
   *
   * Why these give the same rights as one protection per run of rows, with three objects instead of 1 + 2 × runs:
   * - A range left open in a sheet protection is open to EVERY editor of the spreadsheet (other units too): the sheet
   *   protection simply does not cover it (Apps Script reference, Protection: "A protected sheet may include
   *   unprotected regions"; Sheets API ProtectedRange.unprotectedRanges). So each open range must be covered by a
   *   range protection naming its editors — the blocks cover every open cell (same columns, rows first..last).
   * - A cell is editable only by someone every protection covering it allows (Sheets' rule, and the stand-in's
   *   `_userCanEdit`; it is why Sheets' own help gives a range to someone inside a protected sheet through "Except
   *   certain cells", https://www.appscare.com/2015/02/set-permissions-protected-sheets/). A group row inside a block
   *   stays covered by the sheet protection (office only), so the block's wider span gives the unit nothing more.
   */
  openRanges: string[];
  /** The unit's columns from the first criteria row to the last (group rows in between included): office + unit. */
  unitBlocks: string[];
  /** The council's columns over the same rows: office + council. */
  councilBlocks: string[];
  warnings: string[];
}

/** Builds the protections of one unit sheet (protectionSpec, selfLockedSpec, or a stage's builder). */
export type SpecBuilder = (result: ScoredSheet, unit: Unit, settings: Settings, maxRows: number) => ProtectionSpec;

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

/** Editors outside the official domains, and a missing office address: the warnings every protection gives. */
function addressWarnings(settings: Settings, editors: readonly string[], officeEditors: readonly string[]): string[] {
  const out: string[] = [];
  const official = (e: string) => settings.domains.some((d) => e.endsWith(`@${d}`) || e.endsWith(`.${d}`));
  for (const e of settings.domains.length > 0 ? [...editors, ...officeEditors] : []) {
    if (!official(e))
      out.push(
        `Email ${e} không thuộc tên miền công vụ (${settings.domains.join(', ')}): nên đổi sang email công vụ trước khi cấp quyền sửa.`,
      );
  }
  if (officeEditors.length === 0)
    out.push('Chưa khai báo "Email cơ quan thường trực" trong trang "Cấu hình": chỉ chủ sở hữu tệp sửa được các ô còn lại.');
  return out;
}

/** Every row from the first of `rows` to the last (group rows in between included). */
function span(rows: readonly number[]): number[] {
  if (rows.length === 0) return [];
  const first = Math.min(...rows);
  return Array.from({ length: Math.max(...rows) - first + 1 }, (_, i) => first + i);
}

/**
 * The sheet-wide protection's open cells (exactly the unit's and the council's) and the blocks that keep each open
 * cell to its editors: the unit's columns over the span of its rows, the council's likewise.
 */
function blocks(
  unit: { rows: readonly number[]; cols: number[] },
  council: { rows: readonly number[]; cols: number[] },
): Pick<ProtectionSpec, 'openRanges' | 'unitBlocks' | 'councilBlocks'> {
  return {
    // The same rows for both: one rectangle per run of rows across both parts' columns.
    openRanges:
      unit.rows.length === council.rows.length && unit.rows.every((r, i) => r === council.rows[i])
        ? rangesOf(unit.rows, [...unit.cols, ...council.cols])
        : [...rangesOf(unit.rows, unit.cols), ...rangesOf(council.rows, council.cols)],
    unitBlocks: rangesOf(span(unit.rows), unit.cols),
    councilBlocks: rangesOf(span(council.rows), council.cols),
  };
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
  const officeEditors = emails(officeEmails(settings));
  const unitCols = roleColumns(cols, unitRoles);
  const councilCols = roleColumns(cols, COUNCIL_ROLES);
  const unitRanges = rangesOf(rows, unitCols);
  const councilRanges = rangesOf(rows, councilCols);
  const who = `${PROTECTION_TAG} – ${unit.name}`;
  const unitPart = unitRoles.length > 0 ? `đơn vị sửa ${roleNames(cols, unitRoles)}` : 'đã khóa phần tự chấm của đơn vị';
  const councilPart = councilRanges.length > 0 ? `; tổ thẩm định sửa ${roleNames(cols, COUNCIL_ROLES)}` : '';
  const warnings: string[] = [];
  if (unitRoles.length > 0 && unitEditors.length === 0)
    warnings.push(`Đơn vị "${unit.name}" chưa có email hợp lệ: chỉ cơ quan thường trực sửa được phần tự chấm.`);
  if (councilRanges.length > 0 && councilEditors.length === 0)
    warnings.push('Chưa khai báo "Email tổ thẩm định" trong trang "Cấu hình": chỉ cơ quan thường trực sửa được phần thẩm định.');
  if (cols.appraisal === undefined) warnings.push('Biểu chưa có cột "Điểm thẩm định": không có vùng dành cho tổ thẩm định.');
  warnings.push(...addressWarnings(settings, [...unitEditors, ...councilEditors], officeEditors));
  return {
    mode,
    sheetDescription: `${who}: ${unitPart}${councilPart}; các ô khác do cơ quan thường trực quản lý.`,
    rangeDescriptions: { unit: `${who}: phần tự chấm của đơn vị`, council: `${who}: phần thẩm định` },
    unitRanges,
    councilRanges,
    unitEditors,
    councilEditors,
    officeEditors,
    ...blocks({ rows, cols: unitCols }, { rows, cols: councilCols }),
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
  const officeEditors = emails(officeEmails(settings));
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
  warnings.push(...addressWarnings(settings, [...unitEditors, ...councilEditors], officeEditors));
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
    ...blocks(
      { rows: parts.unit.rows, cols: roleColumns(cols, parts.unit.roles) },
      { rows: parts.council.rows, cols: roleColumns(cols, parts.council.roles) },
    ),
    warnings,
  };
}
