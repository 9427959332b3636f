/**
 * "Not assessed this year" in a score cell: the words people type for it and the two forms the
 * tool writes. Such a criterion leaves the denominator (the applicable max).
 */
import { normalizeLabel } from './text';

/** Written by the tool for a criterion not assessed this year. */
export const NOT_SCORED = 'Chưa tính điểm';
/** Written by the tool for a criterion that does not apply to the unit. */
export const NOT_APPLICABLE = 'Không áp dụng';

/** Normalized words meaning "does not apply" (written back as NOT_APPLICABLE). */
const DOES_NOT_APPLY = ['khong ap dung', 'kad', 'k/a', 'n/a', 'na', 'n.a', 'n.a.', 'not applicable'];
/** Normalized words meaning "not scored this year" (written back as NOT_SCORED). */
const NOT_SCORED_WORDS = ['chua tinh diem', 'chua tinh', 'chua danh gia', 'khong tinh diem', 'ktd', 'ctd'];

const WORDS = new Map<string, string>([
  ...DOES_NOT_APPLY.map((w): [string, string] => [w, NOT_APPLICABLE]),
  ...NOT_SCORED_WORDS.map((w): [string, string] => [w, NOT_SCORED]),
]);

function key(value: string): string {
  return normalizeLabel(value).replace(/[()]/g, '');
}

export function isNotApplicableText(value: unknown): boolean {
  return typeof value === 'string' && WORDS.has(key(value));
}

/** The tool's own spelling of a "not assessed" word ("n/a" → "Không áp dụng"), or null. */
export function canonicalNotApplicable(value: string): string | null {
  return WORDS.get(key(value)) ?? null;
}
