/** What every offline command reads from a workbook: its settings and the scores of its sheets. */
import type { ScoredSheet } from '../core/engine/score';
import { parseSettings, type ParsedSettings, scoreOptionsOf } from '../core/settings/settings';
import { normalizeLabel } from '../core/engine/text';
import { isOwnSheet, scoreWorkbook, SHEET_NAMES, type SheetInput } from '../core/engine/workbook';

/** Settings from the workbook's "Cấu hình" sheet (defaults with a warning when absent). */
export function settingsOf(inputs: readonly SheetInput[], year = new Date().getFullYear()): ParsedSettings {
  const sheet = inputs.find((s) => normalizeLabel(s.name) === normalizeLabel(SHEET_NAMES.settings));
  const parsed = parseSettings(sheet ? sheet.grid : null, year);
  if (!parsed.found) parsed.warnings.push('Tệp không có trang "Cấu hình": dùng giá trị mặc định.');
  return parsed;
}

/** Scores of every non-own sheet: result, or the reason it is not a score table. */
export function scoresOf(inputs: readonly SheetInput[], parsed: ParsedSettings) {
  const wb = scoreWorkbook(inputs, scoreOptionsOf(parsed.settings));
  const scores = new Map<string, ScoredSheet | string>();
  for (const s of wb.sheets) scores.set(s.name, s.result);
  for (const s of wb.skipped) if (!isOwnSheet(s.name)) scores.set(s.name, s.reason);
  const names = inputs.map((s) => s.name).filter((n) => !isOwnSheet(n));
  return { names, scores };
}
