/** Writing .xlsx files: the add-on's computed cells, notes and highlights on a copy of the input. */
import type ExcelJS from 'exceljs';
import type { ScoredSheet } from '../../core/engine/score';
import { cellsToWrite } from '../../core/sheet/computed';
import { findingsByCell, findingsNoteText, HIGHLIGHT, mergeNote, worstSeverity } from '../../core/sheet/notes';
import { CliError } from '../args';
import { cellValue } from './read';

/**
 * Writes the computed subtotals and totals and each finding as a note plus a highlight.
 * Cells holding a formula are left alone, and so is every other typed value.
 */
export function annotateSheet(ws: ExcelJS.Worksheet, result: ScoredSheet): void {
  // Offline there is no record of earlier writes: only empty subtotal and total cells are
  // filled; a typed value (or a formula) stays and its mismatch is reported in a note.
  const current: unknown[][] = [];
  for (const cell of result.computed) {
    const v = ws.getCell(cell.row, cell.col + 1).value as unknown as Record<string, unknown> | null;
    const isFormula = !!v && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v);
    (current[cell.row - 1] ??= [])[cell.col] = isFormula ? '=' : cellValue(v as ExcelJS.CellValue);
  }
  for (const cell of cellsToWrite(result.computed, current, null, new Map()).writes) ws.getCell(cell.row, cell.col + 1).value = cell.value;
  for (const [key, findings] of findingsByCell(result.findings)) {
    const [row, col] = key.split(':').map(Number);
    const target = ws.getCell(row, col + 1);
    const existing = typeof target.note === 'string' ? target.note : '';
    target.note = mergeNote(existing, findingsNoteText(findings), null);
    target.fill = {
      type: 'pattern',
      pattern: 'solid',
      fgColor: { argb: `FF${HIGHLIGHT[worstSeverity(findings)].slice(1).toUpperCase()}` },
    };
  }
}

export async function writeWorkbook(wb: ExcelJS.Workbook, out: string): Promise<void> {
  try {
    await wb.xlsx.writeFile(out);
  } catch (err) {
    throw new CliError(`Không ghi được tệp "${out}": ${(err as Error).message}`);
  }
}
