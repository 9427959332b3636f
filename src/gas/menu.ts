/** The "Chấm điểm" menu. */
export const MENU_TITLE = 'Chấm điểm';

export function onOpen(e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  const ui = SpreadsheetApp.getUi();
  const menu = e && e.authMode === ScriptApp.AuthMode.NONE ? ui.createAddonMenu() : ui.createMenu(MENU_TITLE);
  menu.addItem('Kiểm tra và tính điểm trang này', 'menuCheckSheet').addToUi();
}

export function onInstall(e?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen(e as unknown as GoogleAppsScript.Events.SheetsOnOpen);
}
