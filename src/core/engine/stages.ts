/**
 * The stages of a scoring year on one unit sheet (issue 14): the unit self-scores, the office
 * checks the evidence, the council appraises, the unit may appeal, the council decides a final
 * score, the office publishes. Names, the evidence-check words, the appeal rules shared by the
 * engine's findings and the shells, and the stage a sheet's data shows. Pure.
 */
import type { Criterion, ScoredSheet, StageResult } from './score';
import { toMicro } from './decimal';
import { matchKey } from './table';

/** The workflow stages of a unit sheet, in order. */
export type SheetStage = 'self' | 'check' | 'appraisal' | 'appeal' | 'reappraisal' | 'published';

export const SHEET_STAGES: readonly SheetStage[] = ['self', 'check', 'appraisal', 'appeal', 'reappraisal', 'published'];

/** The stages' Vietnamese names, as the menu, the history and the summary show them. */
export const STAGE_NAMES = {
  self: 'Tự chấm',
  check: 'Kiểm tra minh chứng',
  appraisal: 'Thẩm định',
  appeal: 'Giải trình',
  reappraisal: 'Thẩm định lại',
  published: 'Công bố',
} as const satisfies Record<SheetStage, string>;

/** The stage a name stands for (case, diacritics and spacing ignored), or null. */
export function stageOfName(name: unknown): SheetStage | null {
  const key = matchKey(name);
  return SHEET_STAGES.find((s) => matchKey(STAGE_NAMES[s]) === key) ?? null;
}

/** The words of the evidence-check column ("Kiểm tra minh chứng"). */
export const CHECK_PASS = 'Đạt';
export const CHECK_MORE = 'Cần bổ sung';
export const CHECK_VALUES: readonly string[] = [CHECK_PASS, CHECK_MORE];

/** The office asked for more evidence: the check reads "Cần bổ sung…" (a note of what is missing may follow) or "Chưa đạt". */
export function needsMoreEvidence(check: string): boolean {
  const key = ` ${matchKey(check)} `;
  return key.startsWith(` ${matchKey(CHECK_MORE)} `) || key.startsWith(' chua dat ');
}

/** A unit may appeal a criterion only when its appraisal is below its self score. */
export function appealAllowed(c: Criterion): boolean {
  const { self, appraisal } = c.cells;
  return self.kind === 'number' && appraisal.kind === 'number' && toMicro(appraisal.value) < toMicro(self.value);
}

/** An allowed appeal the council has not decided yet (no final score). */
export function appealPending(c: Criterion): boolean {
  return c.appeal !== '' && appealAllowed(c) && c.cells.final.kind === 'empty';
}

/** The official result: the stage the engine calls official (final, appraisal or self). */
export function officialResult(r: Pick<ScoredSheet, 'self' | 'appraisal' | 'final' | 'official'>): StageResult {
  return r[r.official] ?? r.self;
}

/**
 * The stage a sheet's data shows, for a sheet without a recorded stage (offline): the latest
 * stage whose columns hold something. Publishing leaves no trace in the cells, so it is never inferred.
 */
export function inferStage(result: Pick<ScoredSheet, 'criteria'>): SheetStage {
  const leaves = result.criteria.filter((c) => c.children.length === 0);
  const any = (has: (c: Criterion) => boolean) => leaves.some(has);
  if (any((c) => c.cells.final.kind !== 'empty' || c.finalReason !== '')) return 'reappraisal';
  if (any((c) => c.appeal !== '' || c.extraEvidence !== '')) return 'appeal';
  if (any((c) => c.cells.appraisal.kind !== 'empty' || c.reason !== '' || c.request !== '')) return 'appraisal';
  if (any((c) => c.check !== '')) return 'check';
  return 'self';
}
