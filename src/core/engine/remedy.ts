/**
 * What a unit keeps up ("Duy trì") and what it has to remedy ("Khắc phục"), criterion by
 * criterion, decided on the council's latest score: shared by the remedy plan and the result e-mail.
 */
import { NOT_SCORED } from './not-applicable';
import type { Criterion, ScoredSheet, Stage } from './score';

export const MAINTAIN = 'Duy trì';
export const REMEDY = 'Khắc phục';

export type RemedyStatus = typeof MAINTAIN | typeof REMEDY | typeof NOT_SCORED | '';

const BLOCK_ORDER = { main: 0, bonus: 1, penalty: 2 } as const;

/** Criteria in plan order: the main part, then the bonus rows, then the penalty rows (stable). */
export function criteriaInOrder(result: Pick<ScoredSheet, 'criteria'>): Criterion[] {
  return result.criteria
    .map((c, i) => ({ c, i }))
    .sort((a, b) => BLOCK_ORDER[a.c.block] - BLOCK_ORDER[b.c.block] || a.i - b.i)
    .map((x) => x.c);
}

/** The council's latest stage in a sheet: the final round when it has begun, else the appraisal when there is one, else none. */
export function councilStage(result: Pick<ScoredSheet, 'appraisal' | 'final'>): Stage | null {
  return result.final ? 'final' : result.appraisal ? 'appraisal' : null;
}

/** Whether the council scored a leaf in its stage (in the final round, a leaf without a final score keeps its appraisal). */
export function councilScored(c: Criterion, council: Stage | null): boolean {
  if (council === null || council === 'self') return false;
  return c.cells[council].kind !== 'empty' || (council === 'final' && c.cells.appraisal.kind !== 'empty');
}

/**
 * Status of a leaf. Main part: "Duy trì" when the deciding score reaches the max, "Khắc phục" when
 * it falls short, "Chưa tính điểm" when not assessed. The deciding score is the council's (the
 * final score after an appeal, else the appraisal) where it scored the leaf, otherwise the self
 * score. Bonus rows: "Duy trì" when they earned points. Penalty rows: "Khắc phục" when a penalty
 * was incurred. Otherwise blank.
 */
export function leafStatus(c: Criterion, council: Stage | null): { status: RemedyStatus; basis: Stage | null } {
  const basis: Stage = councilScored(c, council) ? (council as Stage) : 'self';
  if (c.notApplicable[basis]) return { status: NOT_SCORED, basis };
  const earned = c.points[basis];
  if (c.block === 'bonus') return { status: earned > 0 ? MAINTAIN : '', basis };
  if (c.block === 'penalty') return { status: earned > 0 ? REMEDY : '', basis };
  if (c.cells.max.kind !== 'number') return { status: '', basis: null };
  return { status: earned >= c.max ? MAINTAIN : REMEDY, basis };
}

/** The leaves a unit has to remedy, in plan order. */
export function remedyItems(result: Pick<ScoredSheet, 'criteria' | 'appraisal' | 'final'>): Criterion[] {
  const council = councilStage(result);
  return criteriaInOrder(result).filter((c) => c.children.length === 0 && leafStatus(c, council).status === REMEDY);
}
