/** Findings: what the engine reports about a score sheet, with stable rule codes. */
import { a1 } from './text';

export type RuleCode =
  | 'score-not-number'
  | 'formula-no-result'
  | 'number-as-text'
  | 'score-negative'
  | 'score-above-max'
  | 'subtotal-mismatch'
  | 'max-sum-mismatch'
  | 'total-mismatch'
  | 'main-max-not-100'
  | 'duplicate-stt'
  | 'unscored'
  | 'missing-explanation'
  | 'missing-evidence'
  | 'missing-adjust-reason'
  | 'bonus-over-cap'
  | 'penalty-without-basis'
  | 'merged-cells'
  | 'hidden-row'
  | 'section-total-mismatch'
  | 'outline-as-number'
  | 'ambiguous-column'
  | 'subtotal-formula'
  // The later stages (issue 14): the evidence check, the unit's appeal and the council's final round.
  | 'evidence-needs-more'
  | 'appeal-pending'
  | 'appeal-not-allowed'
  | 'missing-final-reason'
  | 'final-above-self';

export type Severity = 'error' | 'warning' | 'info';

export const RULE_SEVERITY: Record<RuleCode, Severity> = {
  'score-not-number': 'error',
  'formula-no-result': 'error',
  'number-as-text': 'warning',
  'score-negative': 'error',
  'score-above-max': 'error',
  'subtotal-mismatch': 'error',
  'max-sum-mismatch': 'error',
  'total-mismatch': 'error',
  'main-max-not-100': 'warning',
  'duplicate-stt': 'error',
  unscored: 'warning',
  'missing-explanation': 'warning',
  'missing-evidence': 'warning',
  'missing-adjust-reason': 'warning',
  'bonus-over-cap': 'warning',
  'penalty-without-basis': 'warning',
  'merged-cells': 'warning',
  'hidden-row': 'info',
  'section-total-mismatch': 'error',
  'outline-as-number': 'warning',
  'ambiguous-column': 'warning',
  'subtotal-formula': 'error',
  'evidence-needs-more': 'warning',
  'appeal-pending': 'warning',
  'appeal-not-allowed': 'warning',
  'missing-final-reason': 'warning',
  'final-above-self': 'warning',
};

export const SEVERITY_LABEL: Record<Severity, string> = { error: 'Lỗi', warning: 'Cảnh báo', info: 'Lưu ý' };

export interface Finding {
  rule: RuleCode;
  severity: Severity;
  /** 1-based sheet row. */
  row: number;
  /** A1 address of the cell the finding is about. */
  cell: string;
  /** 0-based column of that cell. */
  col: number;
  outline: string;
  message: string;
}

/** A finding about one cell: `col` is 0-based (column A when the sheet has no such column). */
export function findingAt(rule: RuleCode, at: { row: number; outline: string }, col: number | undefined, message: string): Finding {
  const column = col ?? 0;
  return { rule, severity: RULE_SEVERITY[rule], row: at.row, cell: a1(at.row, column), col: column, outline: at.outline, message };
}

/** Counts of the work a unit still has to do, used by the summary and the reminders. */
export interface Pending {
  unscored: number;
  missingEvidence: number;
  missingExplanation: number;
}

export function pendingOf(findings: readonly Finding[]): Pending {
  const p: Pending = { unscored: 0, missingEvidence: 0, missingExplanation: 0 };
  for (const f of findings) {
    if (f.rule === 'unscored') p.unscored++;
    else if (f.rule === 'missing-evidence') p.missingEvidence++;
    else if (f.rule === 'missing-explanation') p.missingExplanation++;
  }
  return p;
}

export function hasPending(p: Pending): boolean {
  return p.unscored + p.missingEvidence + p.missingExplanation > 0;
}
