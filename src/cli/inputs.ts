/** What every offline command reads from a workbook: its settings and the scores of its sheets. */
import { ownSheetOf, SHEET_NAMES } from '../core/sheet/own-sheets';
import type { ScoredSheet } from '../core/engine/score';
import { parseSettings, type ParsedSettings, scoreOptionsOf } from '../core/settings/settings';
import { normalizeLabel } from '../core/engine/text';
import { scoreWorkbook, type SheetInput, type WorkbookScore } from '../core/sheet/workbook';
import type { Io } from './args';
import { openWorkbook, workbookInputs } from './xlsx/read';

/** The workbook's settings sheet: the one laid out as settings first (a unit's "Cau hinh" is not the settings), else the one named so. */
export function settingsSheetOf(inputs: readonly SheetInput[]): SheetInput | undefined {
  return (
    inputs.find((s) => ownSheetOf(s.name, s.grid)?.kind === 'settings') ??
    inputs.find((s) => normalizeLabel(s.name) === normalizeLabel(SHEET_NAMES.settings))
  );
}

/** Settings from the workbook's "Cấu hình" sheet (defaults with a warning when absent). */
export function settingsOf(inputs: readonly SheetInput[], year: number = new Date().getFullYear()): ParsedSettings {
  const sheet = settingsSheetOf(inputs);
  const parsed = parseSettings(sheet ? sheet.grid : null, year);
  if (!parsed.found) parsed.warnings.push('Tệp không có trang "Cấu hình": dùng giá trị mặc định.');
  return parsed;
}

function scoresFrom(inputs: readonly SheetInput[], wb: WorkbookScore) {
  const scores = new Map<string, ScoredSheet | string>();
  for (const s of wb.sheets) scores.set(s.name, s.result);
  const own = new Set(wb.skipped.filter((s) => s.own).map((s) => s.name));
  for (const s of wb.skipped) if (!s.own) scores.set(s.name, s.reason);
  const names = inputs.map((s) => s.name).filter((n) => !own.has(n));
  return { names, scores };
}

/**
 * The steps every command starts with: read the file, its settings, and score its sheets.
 * What reading noticed (cells left out, ranges clipped, formulas computed) goes to `io.err`.
 */
export async function loadWorkbook(file: string, io: Io, year?: number) {
  const { wb, source } = await openWorkbook(file);
  const warnings = [...source.warnings];
  const inputs = workbookInputs(wb, warnings, source.emptyResults);
  for (const w of warnings) io.err(`Lưu ý: ${w}`);
  const parsed = settingsOf(inputs, year);
  const settingsSheet = parsed.found ? (settingsSheetOf(inputs)?.name ?? null) : null;
  const scored = scoreWorkbook(inputs, scoreOptionsOf(parsed.settings));
  return { wb, source, inputs, parsed, settingsSheet, scored, ...scoresFrom(inputs, scored) };
}

export type LoadedWorkbook = Awaited<ReturnType<typeof loadWorkbook>>;
