/**
 * Next year's remedy plan ("Phụ lục: Nhiệm vụ duy trì, giải pháp khắc phục …"): one block per
 * unit listing every criterion with its max, self and council points and whether the unit
 * keeps it up ("Duy trì") or has to remedy it ("Khắc phục"). Pure: no Apps Script globals.
 * After an appeal round the council's column shows its final scores (the appraisal where it kept
 * it), the official result the statuses are decided on.
 */
import { fromMicro, round3 } from '../engine/decimal';
import type { Criterion, ScoredSheet, Stage } from '../engine/score';
import type { Settings } from '../settings/settings';
import { NOT_SCORED } from '../engine/not-applicable';
import { REMEDY_PLAN_HEADERS } from '../sheet/own-sheets';
import { councilStage, criteriaInOrder, leafStatus, MAINTAIN, REMEDY, type RemedyStatus } from '../engine/remedy';

export { criteriaInOrder, leafStatus, MAINTAIN, REMEDY, type RemedyStatus } from '../engine/remedy';

/** Column widths in pixels, one per header. */
export const REMEDY_PLAN_WIDTHS = [60, 380, 80, 80, 90, 110, 200, 300];

export const REMEDY_TOTAL_TEXT = 'Tổng điểm';

export interface RemedyEntry {
  kind: 'group' | 'leaf' | 'total';
  /** The criterion behind the row (null for the total row). */
  criterion: Criterion | null;
  status: RemedyStatus;
  /** Which stage decided the status: the council's (final or appraisal) when it scored the leaf, else the self score. */
  basis: Stage | null;
  /** One row of REMEDY_PLAN_HEADERS.length cells. */
  values: unknown[];
}

const points = (micro: number) => round3(fromMicro(micro));

export function isLeaf(c: Criterion): boolean {
  return c.children.length === 0;
}

/** The max a row shows: the computed sum for a group, the typed max for a leaf. */
export function maxValue(c: Criterion): number | string {
  if (!isLeaf(c)) return points(c.max);
  if (c.cells.max.kind === 'number') return points(c.max);
  if (c.cells.max.kind === 'na') return NOT_SCORED;
  return '';
}

/**
 * The points a row shows for one stage: the computed sum for a group; for a leaf the counted
 * (clamped) points, "Chưa tính điểm" when not assessed, blank when the cell is blank.
 * `hasStage` false (no appraisal anywhere in the sheet) blanks the whole column.
 */
export function stageValue(c: Criterion, stage: Stage, hasStage: boolean): number | string {
  if (!hasStage) return '';
  if (!isLeaf(c)) return points(c.points[stage]);
  // A leaf without a final score keeps its appraisal.
  const cell = stage === 'final' && c.cells.final.kind === 'empty' ? c.cells.appraisal : c.cells[stage];
  if (cell.kind === 'empty') return '';
  if (c.notApplicable[stage]) return NOT_SCORED;
  return points(c.points[stage]);
}

/** The plan rows of one unit, as structured entries (no header). */
export function remedyPlanEntries(unitName: string, result: ScoredSheet): RemedyEntry[] {
  const council = councilStage(result);
  const entries: RemedyEntry[] = criteriaInOrder(result).map((c) => {
    const leaf = isLeaf(c);
    const { status, basis } = leaf ? leafStatus(c, council) : { status: '' as RemedyStatus, basis: null };
    return {
      kind: leaf ? 'leaf' : 'group',
      criterion: c,
      status,
      basis,
      values: [
        c.outline,
        c.text,
        maxValue(c),
        stageValue(c, 'self', true),
        stageValue(c, council ?? 'appraisal', council !== null),
        status,
        status ? unitName : '',
        '',
      ],
    };
  });
  entries.push({
    kind: 'total',
    criterion: null,
    status: '',
    basis: null,
    values: ['', REMEDY_TOTAL_TEXT, result.self.max, result.self.total, council ? (result[council]?.total ?? '') : '', '', '', ''],
  });
  return entries;
}

/** One unit's plan: the header, one row per criterion (main part, bonus, penalty) and the total row. */
export function remedyPlanRows(unitName: string, result: ScoredSheet): unknown[][] {
  return [[...REMEDY_PLAN_HEADERS], ...remedyPlanEntries(unitName, result).map((e) => e.values)];
}

export interface RemedyCounts {
  maintain: number;
  remedy: number;
  notAssessed: number;
  /** The council's stage when every counted leaf was decided by it, 'self' when none was, else 'mixed'. */
  basis: Stage | 'mixed';
}

export function remedyCounts(entries: readonly RemedyEntry[]): RemedyCounts {
  const counted = entries.filter((e) => e.status !== '');
  const bases = new Set(counted.map((e) => e.basis));
  return {
    maintain: counted.filter((e) => e.status === MAINTAIN).length,
    remedy: counted.filter((e) => e.status === REMEDY).length,
    notAssessed: counted.filter((e) => e.status === NOT_SCORED).length,
    basis:
      bases.size === 1 && !bases.has('self') && !bases.has(null)
        ? ([...bases][0] as Stage)
        : bases.has('appraisal') || bases.has('final')
          ? 'mixed'
          : 'self',
  };
}

export interface RemedyMeta {
  commune: string;
  field: Settings['field'];
  year: number;
}

export interface RemedyUnit {
  name: string;
  result: ScoredSheet;
}

export interface RemedyPlanLayout {
  /** Every row has REMEDY_PLAN_HEADERS.length cells. */
  values: unknown[][];
  /** 1-based rows to print in bold: titles, unit names, headers, groups and totals. */
  boldRows: number[];
  /** 1-based rows of the three title lines (to merge across the table width). */
  titleRows: number[];
  /** 1-based header rows, one per unit block. */
  headerRows: number[];
  /** 1-based rows naming each unit. */
  unitRows: number[];
  widths: number[];
}

export function remedyPlanTitle(meta: RemedyMeta): string {
  return (
    `Nhiệm vụ duy trì, giải pháp khắc phục những tồn tại, hạn chế qua đánh giá, chấm điểm các tiêu chí, tiêu chí thành phần ` +
    `nhiệm vụ ${meta.field} năm ${meta.year}`
  );
}

/** The whole remedy-plan sheet: title rows, then for each unit its name, header and rows. */
export function remedyPlanLayout(units: readonly RemedyUnit[], meta: RemedyMeta): RemedyPlanLayout {
  const width = REMEDY_PLAN_HEADERS.length;
  const pad = (cells: unknown[]) => [...cells, ...Array(Math.max(0, width - cells.length)).fill('')];
  const values: unknown[][] = [];
  const layout: RemedyPlanLayout = { values, boldRows: [], titleRows: [], headerRows: [], unitRows: [], widths: [...REMEDY_PLAN_WIDTHS] };
  const push = (cells: unknown[], ...lists: number[][]) => {
    values.push(pad(cells));
    for (const list of lists) list.push(values.length);
  };
  const commune = meta.commune.trim();
  push(['PHỤ LỤC'], layout.titleRows, layout.boldRows);
  push([remedyPlanTitle(meta)], layout.titleRows, layout.boldRows);
  push(
    [`(Kèm theo Kế hoạch số:      /KH-UBND ngày      tháng      năm      của UBND xã${commune ? ` ${commune}` : ''})`],
    layout.titleRows,
  );
  if (units.length === 0) {
    push(['']);
    push(['', 'Không có biểu chấm điểm nào của đơn vị để lập kế hoạch.']);
  }
  for (const unit of units) {
    push(['']);
    push(['', `Đơn vị: ${unit.name}`], layout.unitRows, layout.boldRows);
    push([...REMEDY_PLAN_HEADERS], layout.headerRows, layout.boldRows);
    for (const e of remedyPlanEntries(unit.name, unit.result)) push(e.values, ...(e.kind === 'leaf' ? [] : [layout.boldRows]));
  }
  return layout;
}

/** The remedy-plan sheet's cells (see remedyPlanLayout for the rows to bold). */
export function remedyPlanGrid(units: readonly RemedyUnit[], meta: RemedyMeta): unknown[][] {
  return remedyPlanLayout(units, meta).values;
}
