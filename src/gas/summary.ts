/** "Build summary": the Tổng hợp sheet for the commune leadership. Reads unit sheets, writes only its own. */
import { isOwnSheet, SHEET_NAMES } from '../core/sheet/own-sheets';
import { scoreUnitGrid } from '../core/sheet/result-block';
import type { ScoredSheet } from '../core/engine/score';
import { type ParsedSettings, scoreOptionsOf } from '../core/settings/settings';
import { buildSummary, type Changes, summaryLayout, summaryUnits, type SummaryRow, type SummaryUnit } from '../core/summary/summary';
import { changesSinceSnapshot } from '../core/workflow/history';

import { formatNow, runMenuAction, toast, withDocumentLock } from './env';
import { findSheet, readSettings } from './settings';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Scores every unit sheet with one read each; nothing is written. */
export function scoreAllSheets(
  ss: Spreadsheet,
  parsed: ParsedSettings,
): { names: string[]; scores: Map<string, ScoredSheet | string>; ids: Map<string, number> } {
  const names: string[] = [];
  const scores = new Map<string, ScoredSheet | string>();
  const ids = new Map<string, number>();
  for (const sheet of ss.getSheets()) {
    const name = sheet.getName();
    const values = sheet.getDataRange().getValues();
    if (isOwnSheet(name, values)) continue;
    names.push(name);
    ids.set(name, sheet.getSheetId());
    const result = scoreUnitGrid(values, scoreOptionsOf(parsed.settings));
    scores.set(name, result.ok ? result : result.reason);
  }
  return { names, scores, ids };
}

/** Each unit's total change since its last snapshot in the history sheet (one read). */
function changesFromHistory(ss: Spreadsheet, units: readonly SummaryUnit[]): Changes {
  const history = findSheet(ss, SHEET_NAMES.history);
  const out = new Map<string, { selfDelta: number | null; appraisalDelta: number | null }>();
  if (!history || history.getLastRow() < 2) return out;
  const rows = history.getDataRange().getValues().slice(1);
  for (const u of units) if (u.result) out.set(u.sheet, changesSinceSnapshot(rows, u.result, u.unit));
  return out;
}

/**
 * Column widths in pixels. They add up to 978 px, the printable width of an A4 landscape page
 * at 100% with normal margins (Apps Script cannot set print options), with 9-point text.
 */
export const SUMMARY_WIDTHS = [34, 140, 75, 41, 41, 41, 41, 41, 41, 41, 41, 41, 41, 41, 58, 41, 58, 41, 80];

export function buildSummarySheet(ss: Spreadsheet, parsed: ParsedSettings, now: Date = new Date()): SummaryRow[] {
  const { names, scores } = scoreAllSheets(ss, parsed);
  const units = summaryUnits(parsed.settings, names, scores);
  const { rows, sections } = buildSummary(units, changesFromHistory(ss, units));
  const s = parsed.settings;
  const layout = summaryLayout({ commune: s.commune, field: s.field, year: s.year, updatedAt: formatNow(ss, now) }, rows, sections);
  const sheet = findSheet(ss, SHEET_NAMES.summary) ?? ss.insertSheet(SHEET_NAMES.summary);
  sheet.clear();
  for (const chart of sheet.getCharts()) sheet.removeChart(chart);
  const height = layout.values.length;
  sheet
    .getRange(1, 1, height, layout.width)
    .setValues(layout.values)
    .setBackgrounds(layout.backgrounds)
    .setVerticalAlignment('middle')
    .setFontSize(9);
  sheet.getRange(1, 1).setFontWeight('bold').setFontSize(13);
  sheet.getRange(layout.headerRow, 1, 1, layout.width).setFontWeight('bold').setWrap(true);
  sheet.getRange(layout.matrixHeaderRow, 1, 1, layout.width).setFontWeight('bold').setWrap(true);
  sheet.setFrozenRows(layout.headerRow);
  SUMMARY_WIDTHS.forEach((w, i) => sheet.setColumnWidth(i + 1, w));
  if (rows.some((r) => r.self)) {
    const unitCount = layout.lastUnitRow - layout.headerRow;
    const chart = sheet
      .newChart()
      .setChartType(Charts.ChartType.BAR)
      .addRange(sheet.getRange(layout.headerRow, 2, unitCount + 1, 1))
      .addRange(sheet.getRange(layout.headerRow, 9, unitCount + 1, 2))
      .setNumHeaders(1)
      .setOption('title', 'Tổng điểm các đơn vị')
      .setOption('legend', { position: 'bottom' })
      .setPosition(height + 2, 2, 0, 0)
      .build();
    sheet.insertChart(chart);
  }
  return rows;
}

/** Menu: build or refresh the summary sheet. */
export function menuBuildSummary(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const parsed = readSettings(ss);
    const rows = withDocumentLock(() => buildSummarySheet(ss, parsed));
    const sheet = findSheet(ss, SHEET_NAMES.summary);
    if (sheet) ss.setActiveSheet(sheet);
    const problems = rows.filter((r) => r.problem).map((r) => `${r.unit}: ${r.problem}`);
    toast(ss, `Đã cập nhật bảng tổng hợp (${rows.length} đơn vị).${problems.length ? ` Cần xem lại: ${problems.join('; ')}` : ''}`, 10);
  });
}
