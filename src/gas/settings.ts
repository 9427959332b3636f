/** Reading and creating the "Cấu hình" settings sheet. */
import { isOwnSheet, isOwnSheetName, SHEET_NAMES } from '../core/sheet/own-sheets';
import { parseSettings, type ParsedSettings, settingsGrid, defaultSettings } from '../core/settings/settings';

import { normalizeLabel } from '../core/engine/text';
import { runMenuAction, timeZoneOf, toast } from './env';
import { readSheets, runListing } from './api/sheets-api';
import { MILESTONE_HEADERS } from '../core/settings/settings';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** The title among `titles` that names `name` as findSheet finds it: the same text, else the same label. */
export function titleMatching(titles: readonly string[], name: string): string | null {
  if (titles.includes(name)) return name;
  const wanted = normalizeLabel(name);
  return titles.find((t) => normalizeLabel(t) === wanted) ?? null;
}

export function findSheet(ss: Spreadsheet, name: string): GoogleAppsScript.Spreadsheet.Sheet | null {
  // Inside a run sharing its reads, the listing says whether and under which title the sheet exists.
  const listing = runListing(ss);
  if (listing) {
    const info = findListed(listing, name);
    return info ? ss.getSheetByName(info.title) : null;
  }
  const exact = ss.getSheetByName(name);
  if (exact) return exact;
  const wanted = normalizeLabel(name);
  return ss.getSheets().find((s) => normalizeLabel(s.getName()) === wanted) ?? null;
}

/** The id of the sheet findSheet finds, or null; from the listing (no read) inside a run that shares its reads. */
export function sheetIdOf(ss: Spreadsheet, name: string): number | null {
  const listing = runListing(ss);
  if (listing) return findListed(listing, name)?.sheetId ?? null;
  return findSheet(ss, name)?.getSheetId() ?? null;
}

/** A sheet of a listing by name, as findSheet finds it: the exact name, else the same name once normalised. */
export function findListed<T extends { title: string }>(listing: readonly T[], name: string): T | undefined {
  const title = titleMatching(
    listing.map((s) => s.title),
    name,
  );
  return listing.find((s) => s.title === title);
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
  return settingsOf(settingsValues(ss, timeZone), timeZone, now);
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
 * The settings sheet's values, or null without one. Inside a run sharing its reads (the daily run) they come with
 * every sheet the run's next steps read (all but the add-on's own), in one values.batchGet and one get for the dates.
 */
function settingsValues(ss: Spreadsheet, timeZone: string): unknown[][] | null {
  const listing = runListing(ss);
  if (!listing) {
    const sheet = findSheet(ss, SHEET_NAMES.settings);
    return sheet ? sheet.getDataRange().getValues() : null;
  }
  const settings = findListed(listing, SHEET_NAMES.settings);
  if (!settings) return null;
  const others = listing.filter((s) => s !== settings && !isOwnSheetName(s.title)).map((s) => s.title);
  return readSheets(ss.getId(), [settings.title, ...others], {}, timeZone)[0].values;
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
