/** The menu item that opens the evidence sidebar, and how any page of src/pages is served. */
import { runMenuAction } from '../env';
export const SIDEBAR_FILE = 'sidebar';

export const SIDEBAR_TITLE = 'Đính kèm minh chứng';

/**
 * Written by build.mjs at the top of the one-file edition (dist-onefile/Code.gs): every page of
 * src/pages as {name: html}. The clasp edition (dist/) declares none and ships the pages as .html files.
 */
declare const EMBEDDED_PAGES: Record<string, string> | undefined;

/** A built page of src/pages, from the one-file edition's strings or from the project's .html file. */
export function pageOutput(name: string): GoogleAppsScript.HTML.HtmlOutput {
  if (typeof EMBEDDED_PAGES === 'undefined') return HtmlService.createHtmlOutputFromFile(name);
  const html = EMBEDDED_PAGES[name];
  if (typeof html !== 'string') throw new Error(`Trang "${name}" không có trong bản một tệp. Hãy dán lại Code.gs của bản phát hành.`);
  return HtmlService.createHtmlOutput(html);
}

/** Menu: open the sidebar. */
export function showEvidenceSidebar(): void {
  runMenuAction(() => {
    SpreadsheetApp.getUi().showSidebar(pageOutput(SIDEBAR_FILE).setTitle(SIDEBAR_TITLE));
  });
}
