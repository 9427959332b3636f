/** The menu item that opens the evidence sidebar. */
import { runMenuAction } from '../env';
export const SIDEBAR_FILE = 'sidebar';

export const SIDEBAR_TITLE = 'Đính kèm minh chứng';

/** Menu: open the sidebar. */
export function showEvidenceSidebar(): void {
  runMenuAction(() => {
    const html = HtmlService.createHtmlOutputFromFile(SIDEBAR_FILE).setTitle(SIDEBAR_TITLE);
    SpreadsheetApp.getUi().showSidebar(html);
  });
}
