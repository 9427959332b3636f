/** Reading and creating the "Cấu hình" settings sheet. */
import { isOwnSheet, isOwnSheetName, SHEET_NAMES } from '../core/sheet/own-sheets';
import { parseSettings, type ParsedSettings, settingsGrid, defaultSettings } from '../core/settings/settings';

import { normalizeLabel } from '../core/engine/text';
import { runMenuAction, timeZoneOf, toast } from './env';
import { MILESTONE_HEADERS } from '../core/settings/settings';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** The title among `titles` that names `name` as findSheet finds it: the same text, else the same label. */
export function titleMatching(titles: readonly string[], name: string): string | null {
  if (titles.includes(name)) return name;
  const wanted = normalizeLabel(name);
  return titles.find((t) => normalizeLabel(t) === wanted) ?? null;
}

export function findSheet(ss: Spreadsheet, name: string): GoogleAppsScript.Spreadsheet.Sheet | null {
  const exact = ss.getSheetByName(name);
  if (exact) return exact;
  const wanted = normalizeLabel(name);
  return ss.getSheets().find((s) => normalizeLabel(s.getName()) === wanted) ?? null;
}

/**
 * A sheet of the add-on, where only the sheet is at hand: its exact own name first (no read for
 * other sheets), then its content (one read), so a unit's sheet named like an own sheet is a unit's.
 */
export function isAddOnSheet(sheet: GoogleAppsScript.Spreadsheet.Sheet): boolean {
  const name = sheet.getName();
  return isOwnSheetName(name) && isOwnSheet(name, sheet.getDataRange().getValues());
}

/** The current year in the spreadsheet's time zone. */
function currentYear(timeZone: string, now: Date = new Date()): number {
  return Number(Utilities.formatDate(now, timeZone, 'yyyy'));
}

/**
 * Settings from the sheet (4 Spreadsheet calls), or defaults with a warning when it is missing. The spreadsheet's
 * time zone is read once here and kept in the result: dates in the settings and "today" are in that zone.
 */
export function readSettings(ss: Spreadsheet, now: Date = new Date()): ParsedSettings {
  const timeZone = timeZoneOf(ss);
  const sheet = findSheet(ss, SHEET_NAMES.settings);
  return settingsOf(sheet ? sheet.getDataRange().getValues() : null, timeZone, now);
}

/** Settings from the settings sheet's values (null: no such sheet), read however the caller read them. */
export function settingsOf(values: readonly (readonly unknown[])[] | null, timeZone: string, now: Date = new Date()): ParsedSettings {
  const parsed = parseSettings(values, currentYear(timeZone, now), timeZone);
  if (!parsed.found) {
    parsed.warnings.push('Chưa có trang "Cấu hình": đang dùng giá trị mặc định. Chọn Chấm điểm → Cấu hình để tạo.');
  }
  return parsed;
}

/**
 * Creates the settings sheet first in the workbook, pre-filled with the plan's defaults and one unit
 * row per sheet of `unitSheets`, and says so in a toast.
 */
export function createSettingsSheet(ss: Spreadsheet, unitSheets: readonly string[]): GoogleAppsScript.Spreadsheet.Sheet {
  const settings = defaultSettings(currentYear(timeZoneOf(ss)));
  settings.units = unitSheets.map((n) => ({ name: n, sheet: n, focal: '', email: '', phone: '', sensitive: false }));
  const grid = settingsGrid(settings);
  const sheet = ss.insertSheet(SHEET_NAMES.settings, 0);
  // Milestone dates are written as text ("15/06/2026"): a general-format cell would turn them into dates.
  const milestones = grid.findIndex((row) => row[0] === MILESTONE_HEADERS[0] && row[1] === MILESTONE_HEADERS[1]) + 2;
  if (milestones > 1 && milestones <= grid.length) sheet.getRange(milestones, 2, grid.length - milestones + 1, 1).setNumberFormat('@');
  sheet.getRange(1, 1, grid.length, grid[0].length).setValues(grid);
  sheet.getRange(1, 1).setFontWeight('bold').setFontSize(13);
  sheet.setColumnWidth(1, 300);
  sheet.setColumnWidths(2, 6, 170);
  toast(ss, 'Đã tạo trang "Cấu hình" với giá trị mặc định theo kế hoạch. Hãy điền tên xã, email và bảng đơn vị.');
  return sheet;
}

/** Menu: create the settings sheet (pre-filled with the plan's defaults) or open it. */
export function menuSettings(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    let sheet = findSheet(ss, SHEET_NAMES.settings);
    if (!sheet) {
      const names = ss.getSheets().map((s) => s.getName());
      sheet = createSettingsSheet(
        ss,
        names.filter((n) => normalizeLabel(n) !== normalizeLabel(SHEET_NAMES.settings)),
      );
    }
    ss.setActiveSheet(sheet);
    const { warnings } = readSettings(ss);
    if (warnings.length > 0) SpreadsheetApp.getUi().alert('Cấu hình', warnings.join('\n'), SpreadsheetApp.getUi().ButtonSet.OK);
  });
}
