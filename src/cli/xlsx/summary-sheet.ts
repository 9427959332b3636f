/**
 * The leadership's summary as a sheet of the workbook `summary --out` writes: the values of the
 * moment, the live cells as formulas over the unit sheets (with those values as their cached
 * results), the class colours as conditional formats, and the print settings of an A4 landscape
 * page one page wide with the header row repeated on every page.
 */
import { a1 } from '../../core/engine/text';
import type { SummaryFormula, SummaryRule } from '../../core/summary/live';
import type { SummaryLayout } from '../../core/summary/summary';
import type { XlsxPackage } from './package';
import { writeRules } from './sheet-rules';

/** The sheet's name: the summary's own, or the first free "Tổng hợp (2)", "(3)"… when the workbook already has one. */
export function freeSheetName(wanted: string, taken: readonly string[]): string {
  const used = new Set(taken.map((n) => n.toLowerCase()));
  if (!used.has(wanted.toLowerCase())) return wanted;
  for (let n = 2; ; n++) if (!used.has(`${wanted} (${n})`.toLowerCase())) return `${wanted} (${n})`;
}

export interface SummarySheet {
  name: string;
  layout: SummaryLayout;
  formulas: readonly SummaryFormula[];
  rules: readonly SummaryRule[];
}

const argb = (hex: string) => `FF${hex.slice(1).toUpperCase()}`;

/** Adds the summary sheet to the package. */
export async function addSummarySheet(pkg: XlsxPackage, summary: SummarySheet): Promise<void> {
  const { layout } = summary;
  const sheet = await pkg.addSheet(summary.name, `1:${layout.headerRow}`);
  const formulas = new Map(summary.formulas.map((f) => [a1(f.row, f.col), f.formula]));
  layout.values.forEach((line, r) =>
    line.forEach((value, c) => {
      const ref = a1(r + 1, c);
      const formula = formulas.get(ref);
      const shown = typeof value === 'number' || typeof value === 'string' ? value : null;
      if (formula) sheet.setCell(ref, { formula, cached: shown === '' ? null : shown });
      else if (typeof value === 'number') sheet.setCell(ref, { number: value });
      else if (typeof value === 'string' && value !== '') sheet.setCell(ref, { string: value });
      const bg = layout.backgrounds[r]?.[c];
      if (bg && bg !== '#ffffff') sheet.setFill(ref, argb(bg));
    }),
  );
  const q = (local: string) => sheet.qualified(local);
  sheet.insert('sheetPr', `<${q('sheetPr')}><${q('pageSetUpPr')} fitToPage="1"/></${q('sheetPr')}>`);
  sheet.insert(
    'sheetViews',
    `<${q('sheetViews')}><${q('sheetView')} workbookViewId="0"><${q('pane')} ySplit="${layout.headerRow}" ` +
      `topLeftCell="A${layout.headerRow + 1}" activePane="bottomLeft" state="frozen"/></${q('sheetView')}></${q('sheetViews')}>`,
  );
  sheet.insert('cols', `<${q('cols')}><${q('col')} min="2" max="2" width="30" customWidth="1"/></${q('cols')}>`);
  sheet.insert('pageMargins', `<${q('pageMargins')} left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>`);
  // A4 (paper size 9), landscape, one page wide and as many pages tall as needed.
  sheet.insert('pageSetup', `<${q('pageSetup')} paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>`);
  writeRules(
    sheet,
    summary.rules.map((rule) => ({ ranges: [rule.range], formula: rule.formula, background: rule.background })),
  );
}
