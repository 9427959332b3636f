/** What a person types in the sidebar for a score or an explanation, checked as the sheet would check it. */
import { canonicalNotApplicable } from '../engine/not-applicable';
import { readNumber } from '../engine/numbers';
import { formatPoints, thousands } from '../engine/text';

export const MAX_EXPLANATION_LENGTH = 2000;

export type ScoreInput = { ok: true; value: number | string } | { ok: false; error: string };

/** The help text of a score cell, as the sheet's data validation shows it. */
export function scoreHint(max: number | null): string {
  return max === null
    ? 'Nhập điểm là số không âm (ví dụ 1,5), hoặc "Chưa tính điểm" nếu tiêu chí chưa đánh giá.'
    : `Nhập điểm là số từ 0 đến ${formatPoints(max)} (ví dụ 1,5), hoặc "Chưa tính điểm" nếu tiêu chí chưa đánh giá.`;
}

/**
 * A self score typed in the sidebar, with the sheet's check: a number from 0 to max ("1,5" and
 * "1.5" are 1.5), or "Chưa tính điểm"/"Không áp dụng" (stored with their diacritics), or '' to
 * clear the cell.
 */
export function parseScoreInput(input: unknown, max: number | null): ScoreInput {
  if (typeof input !== 'string' && typeof input !== 'number') return { ok: false, error: 'Điểm không hợp lệ.' };
  const text = String(input)
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '') return { ok: true, value: '' };
  if (text.length > 50) return { ok: false, error: scoreHint(max) };
  const notApplicable = canonicalNotApplicable(text);
  if (notApplicable !== null) return { ok: true, value: notApplicable };
  const n = readNumber(text);
  if (n.kind !== 'number') return { ok: false, error: `"${text}" không phải là điểm. ${scoreHint(max)}` };
  if (n.value < 0) return { ok: false, error: `Điểm không được âm. ${scoreHint(max)}` };
  if (max !== null && Math.round(n.value * 1e6) > Math.round(max * 1e6)) {
    return { ok: false, error: `Điểm ${formatPoints(n.value)} vượt điểm tối đa ${formatPoints(max)} của tiêu chí. ${scoreHint(max)}` };
  }
  return { ok: true, value: n.value };
}

/** The explanation as it will be stored, or an error. */
export function checkExplanation(input: unknown): { ok: true; value: string } | { ok: false; error: string } {
  if (typeof input !== 'string') return { ok: false, error: 'Giải trình không hợp lệ.' };
  const value = input
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .trim();
  if (value.length > MAX_EXPLANATION_LENGTH) {
    return { ok: false, error: `Giải trình dài ${thousands(value.length)} ký tự, tối đa ${thousands(MAX_EXPLANATION_LENGTH)} ký tự.` };
  }
  return { ok: true, value };
}
