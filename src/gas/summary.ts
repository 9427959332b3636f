/**
 * "Build summary": the Tổng hợp sheet for the commune leadership. Reads unit sheets, writes only
 * its own. Its totals, percents, classes, ranks, matrices and progress are formulas over the unit
 * sheets (src/core/summary/live.ts), so the sheet follows every score with no script running;
 * building it again is needed only when units or criteria change.
 */
import { isOwnSheet, SHEET_NAMES } from '../core/sheet/own-sheets';
import { findResultBlock, scoreUnitGrid } from '../core/sheet/result-block';
import type { ScoredSheet } from '../core/engine/score';
import { type ParsedSettings, scoreOptionsOf } from '../core/settings/settings';
import { formulaBlocks, summaryFormulas, summaryRules } from '../core/summary/live';
import {
  type BlockAt,
  buildSummary,
  type Changes,
  noBlockNote,
  SUMMARY_COL,
  summaryLayout,
  summaryUnits,
  type SummaryRow,
  type SummaryUnit,
} from '../core/summary/summary';
import { changesSinceSnapshot } from '../core/workflow/history';

import { formatNow, runMenuAction, timeZoneOf, toast, withDocumentLock } from './env';
import { readSheets } from './api/sheets-api';
import { unitEntries } from './check';
import { findSheet, readSettings } from './settings';
import { recordedStages } from './stage-store';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/**
 * Scores every unit sheet, and finds each one's result block; nothing is written. The sheets come from one listing and
 * are read together through the Sheets API (one values.batchGet, one get for which cells hold dates), so the cost
 * hardly grows with the number of units. Menus and installable triggers only (the API needs authorisation).
 */
export function scoreAllSheets(
  ss: Spreadsheet,
  parsed: ParsedSettings,
): { names: string[]; scores: Map<string, ScoredSheet | string>; ids: Map<string, number>; blocks: Map<string, BlockAt> } {
  const names: string[] = [];
  const scores = new Map<string, ScoredSheet | string>();
  const ids = new Map<string, number>();
  const blocks = new Map<string, BlockAt>();
  const { entries } = unitEntries(ss, parsed);
  const grids = readSheets(
    ss.getId(),
    entries.map((e) => e.title),
    {},
    timeZoneOf(ss),
  );
  entries.forEach((entry, i) => {
    const name = entry.title;
    const values = grids[i].values;
    if (isOwnSheet(name, values)) return;
    names.push(name);
    ids.set(name, entry.sheetId);
    const result = scoreUnitGrid(values, scoreOptionsOf(parsed.settings));
    scores.set(name, result.ok ? result : result.reason);
    const block = findResultBlock(values);
    if (block) blocks.set(name, { row: block.row + 1, col: block.col });
  });
  return { names, scores, ids, blocks };
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
export const SUMMARY_WIDTHS = [30, 100, 50, 36, 36, 36, 36, 36, 36, 36, 36, 36, 36, 36, 52, 36, 52, 36, 36, 52, 52, 36, 50];

export function buildSummarySheet(ss: Spreadsheet, parsed: ParsedSettings, now: Date = new Date()): SummaryRow[] {
  const { names, scores, blocks, ids } = scoreAllSheets(ss, parsed);
  // The stage the office recorded for each sheet ("Giai đoạn chấm điểm"); a sheet never moved shows what its data says.
  const stages = recordedStages(ids.values());
  const units = summaryUnits(parsed.settings, names, scores, blocks).map((u) => {
    const id = ids.get(u.sheet);
    return { ...u, stage: id === undefined ? null : (stages.get(id) ?? null) };
  });
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
  // The live cells: ';' between arguments, which Sheets reads in every locale.
  for (const block of formulaBlocks(summaryFormulas(layout, rows, ';'))) {
    sheet.getRange(block.row, block.col + 1, block.formulas.length, block.formulas[0].length).setFormulas(block.formulas);
  }
  sheet.setConditionalFormatRules(
    summaryRules(layout).map((rule) =>
      SpreadsheetApp.newConditionalFormatRule()
        .whenFormulaSatisfied(rule.formula)
        .setBackground(rule.background)
        .setRanges([sheet.getRange(rule.range)])
        .build(),
    ),
  );
  sheet.getRange(1, 1).setFontWeight('bold').setFontSize(13);
  for (const row of [layout.headerRow, layout.matrixHeaderRow, layout.appraisalMatrixHeaderRow, layout.progressHeaderRow]) {
    if (row !== null) sheet.getRange(row, 1, 1, layout.width).setFontWeight('bold').setWrap(true);
  }
  sheet.setFrozenRows(layout.headerRow);
  SUMMARY_WIDTHS.forEach((w, i) => sheet.setColumnWidth(i + 1, w));
  if (rows.some((r) => r.self)) {
    const unitCount = layout.lastUnitRow - layout.headerRow;
    const chart = sheet
      .newChart()
      .setChartType(Charts.ChartType.BAR)
      .addRange(sheet.getRange(layout.headerRow, 2, unitCount + 1, 1))
      .addRange(sheet.getRange(layout.headerRow, SUMMARY_COL.selfTotal + 1, unitCount + 1, 2))
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
    // Units without a result block are counted once, not each with the whole note.
    const stale = rows.filter((r) => r.result && !r.block).length;
    const problems = rows
      .map((r) => [r.unit, (r.problem ?? '').replace(noBlockNote(r.sheet), '').trim()])
      .filter(([, problem]) => problem)
      .map(([unit, problem]) => `${unit}: ${problem}`);
    const staleNote = stale
      ? ` ${stale} đơn vị chưa có bảng kết quả nên số của họ chưa tự cập nhật: hãy chọn "Kiểm tra và tính điểm tất cả đơn vị" rồi ` +
        `lập lại bảng tổng hợp.`
      : '';
    toast(
      ss,
      `Đã cập nhật bảng tổng hợp (${rows.length} đơn vị); điểm, xếp loại và hạng tự cập nhật khi các đơn vị nhập ` +
        `điểm.${staleNote}${problems.length ? ` Cần xem lại: ${problems.join('; ')}` : ''}`,
      10,
    );
  });
}
