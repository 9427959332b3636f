/**
 * First open after install: the menu offers "Bắt đầu…" first while the workbook has no `Cấu hình`
 * sheet, and that authorised menu command shows one dialog: which sheets are recognised as unit
 * sheets, which are the add-on's own, which are not and why (the engine's reasons), and asks whether
 * to create `Cấu hình` now, pre-filled with the recognised units.
 *
 * Why a menu item and not a dialog from onOpen: onOpen is a simple trigger; it runs without
 * authorization (https://developers.google.com/apps-script/guides/triggers#restrictions), and an
 * unused add-on's onOpen runs in AuthMode.NONE, where even the workbook cannot be read. A dialog
 * needs the script.container.ui scope, which the person grants when choosing the menu item.
 */
import { SHEET_NAMES } from '../core/sheet/own-sheets';
import { scoreWorkbook, type WorkbookScore } from '../core/sheet/workbook';
import { runMenuAction, timeZoneOf, toast } from './env';
import { listSheets, readSheets } from './api/sheets-api';
import { createSettingsSheet, findSheet } from './settings';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export const FIRST_RUN_CAPTION = 'Bắt đầu: kiểm tra bảng tính và tạo trang Cấu hình…';
export const FIRST_RUN_TITLE = 'Bắt đầu sử dụng Chấm điểm';

/** Sheets listed per group in the dialog; the rest are counted. */
export const LIST_LIMIT = 25;

/** True while the workbook has no settings sheet: the menu then offers the first run (one Spreadsheet call, two at most). */
export function needsFirstRun(ss: Spreadsheet): boolean {
  return findSheet(ss, SHEET_NAMES.settings) === null;
}

/**
 * onOpen, where the workbook may be read: whether to offer the first run, with a toast pointing at it.
 * Never throws: the menu is built whatever happens here.
 */
export function offerFirstRun(): boolean {
  try {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    if (!needsFirstRun(ss)) return false;
    toast(ss, `Chưa có trang "Cấu hình". Chọn menu Chấm điểm → ${FIRST_RUN_CAPTION.replace('…', '')} để bắt đầu.`, 15);
    return true;
  } catch (_) {
    return false;
  }
}

function listed(lines: string[]): string[] {
  if (lines.length <= LIST_LIMIT) return lines;
  return [...lines.slice(0, LIST_LIMIT), `• … và ${lines.length - LIST_LIMIT} trang khác.`];
}

/** The dialog text (plain text: sheet names and cell text are shown as typed, never as markup). */
export function firstRunReport(wb: WorkbookScore, hasSettings: boolean): string {
  const units = wb.sheets.map(
    ({ name, result }) => `• "${name}": tiêu đề ở hàng ${result.headerRow}, ${result.leafCount} tiêu chí cần chấm.`,
  );
  const own = wb.skipped.filter((s) => s.own).map((s) => `• "${s.name}": ${s.reason}`);
  const other = wb.skipped.filter((s) => !s.own).map((s) => `• "${s.name}": ${s.reason}`);
  const lines: string[] = [];
  if (units.length) lines.push(`Nhận ra ${units.length} biểu chấm điểm của đơn vị:`, ...listed(units));
  else lines.push('Chưa nhận ra trang nào là biểu chấm điểm của đơn vị.');
  if (other.length) lines.push('', `Không phải biểu chấm (${other.length} trang), vì:`, ...listed(other));
  if (own.length) lines.push('', `Trang của công cụ (${own.length}):`, ...listed(own));
  lines.push('');
  if (hasSettings) lines.push('Trang "Cấu hình" đã có: mở bằng Chấm điểm → Cấu hình.');
  else {
    lines.push(
      units.length
        ? `Tạo trang "Cấu hình" ngay bây giờ, điền sẵn ${units.length} đơn vị ở trên? (Có thể sửa sau.)`
        : 'Tạo trang "Cấu hình" ngay bây giờ? (Bảng đơn vị để trống, điền sau.)',
      'Chọn "Không" nếu muốn làm sau: có thể tạo bất cứ lúc nào ở Chấm điểm → Cấu hình.',
    );
  }
  return lines.join('\n');
}

/** Every sheet of the workbook as the engine reads it: one listing, then every sheet read together (Sheets API). */
export function checkWorkbook(ss: Spreadsheet): WorkbookScore {
  const titles = listSheets(ss.getId()).map((s) => s.title);
  return scoreWorkbook(readSheets(ss.getId(), titles, {}, timeZoneOf(ss)).map((g) => ({ name: g.title, grid: g.values })));
}

/** Menu: the workbook check, and the offer to create `Cấu hình` when it is missing. */
export function menuFirstRun(): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const ui = SpreadsheetApp.getUi();
    const hasSettings = !needsFirstRun(ss);
    const wb = checkWorkbook(ss);
    const answer = ui.alert(FIRST_RUN_TITLE, firstRunReport(wb, hasSettings), hasSettings ? ui.ButtonSet.OK : ui.ButtonSet.YES_NO);
    if (hasSettings || answer !== ui.Button.YES) return;
    ss.setActiveSheet(
      createSettingsSheet(
        ss,
        wb.sheets.map((s) => s.name),
      ),
    );
  });
}
