/** The standard layout of a unit's score sheet, used when the add-on creates one. */
import { type ColumnRole, ROLE_LABELS } from '../engine/table';
import type { Settings } from '../settings/settings';

/** The standard columns, in order, named as the engine names their roles. */
export const STANDARD_ROLES: ColumnRole[] = ['outline', 'text', 'max', 'self', 'explanation', 'evidence', 'appraisal', 'reason', 'request'];
export const STANDARD_HEADERS = STANDARD_ROLES.map((role) => ROLE_LABELS[role]);

/** Column widths in pixels for the standard columns. */
export const STANDARD_WIDTHS = [60, 380, 80, 80, 220, 240, 90, 200, 200];

/**
 * The later stages' columns (issue 14), right of the standard ones so that a sheet gaining them
 * keeps every column it had: the office's evidence check, the unit's appeal and extra evidence,
 * the council's final score and its reason.
 */
export const STAGE_ROLES: ColumnRole[] = ['check', 'appeal', 'extraEvidence', 'final', 'finalReason'];
export const STAGE_HEADERS = STAGE_ROLES.map((role) => ROLE_LABELS[role]);
export const STAGE_WIDTHS = [160, 240, 240, 90, 200];

export const TITLE_ROWS = 4;
export const BONUS_TEXT = 'Điểm cộng: sáng kiến, giải pháp được công nhận (01 điểm/sáng kiến)';
export const PENALTY_TEXT = 'Điểm trừ (ghi rõ căn cứ ở cột Giải trình hoặc Minh chứng)';
export const TOTAL_TEXT = 'TỔNG ĐIỂM';

export interface TemplateCriterion {
  outline: string;
  text: string;
  max: number | string;
}

export function fieldTitle(field: Settings['field']): string {
  return field === 'CDS' ? 'CHUYỂN ĐỔI SỐ' : 'CẢI CÁCH HÀNH CHÍNH';
}

/**
 * A unit's empty score sheet: title rows, the header, the criteria, one bonus row, one penalty
 * row and the total row. Every row has the same width as the header. `stages`: with the later
 * stages' columns.
 */
export function unitSheetGrid(unitName: string, settings: Settings, criteria: readonly TemplateCriterion[], stages = false): unknown[][] {
  const headers = stages ? [...STANDARD_HEADERS, ...STAGE_HEADERS] : STANDARD_HEADERS;
  const width = headers.length;
  const row = (...cells: unknown[]) => [...cells, ...Array(width - cells.length).fill('')];
  const commune = settings.commune ? settings.commune.toUpperCase() : '';
  return [
    row(`ỦY BAN NHÂN DÂN XÃ ${commune}`.trim()),
    row(`BIỂU CHẤM ĐIỂM ${fieldTitle(settings.field)} NĂM ${settings.year}`),
    row(`Đơn vị: ${unitName}`),
    row(''),
    [...headers],
    ...criteria.map((c) => row(c.outline, c.text, c.max)),
    row('', BONUS_TEXT, settings.bonusCap),
    row('', PENALTY_TEXT),
    row('', TOTAL_TEXT, topLevelMax(criteria)),
  ];
}

/** The sum of the top-level rows' max: Roman sections when there are any, else whole numbers. */
export function topLevelMax(criteria: readonly TemplateCriterion[]): number {
  const roman = criteria.filter((c) => /^[IVXLC]+$/.test(c.outline));
  const top = roman.length > 0 ? roman : criteria.filter((c) => /^\d+$/.test(c.outline));
  return top.reduce((sum, c) => sum + (typeof c.max === 'number' ? c.max : 0), 0);
}
