/** Reading .xlsx files with exceljs, turning sheets into the grids the core reads. */
import ExcelJS from 'exceljs';
import { CliError } from '../args';
import { existsSync, statSync } from 'node:fs';
import { mergeFromA1 } from '../../core/engine/text';
import type { SheetInput } from '../../core/sheet/workbook';

/** One cell as Range.getValues() would give it: formulas as their result, errors as "#REF!" text. */
export function cellValue(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  const v = value as unknown as Record<string, unknown>;
  if ('error' in v) return String(v.error);
  if ('richText' in v && Array.isArray(v.richText)) return (v.richText as { text: string }[]).map((r) => r.text).join('');
  if ('formula' in v || 'sharedFormula' in v)
    return v.result === undefined || v.result === null ? '' : cellValue(v.result as ExcelJS.CellValue);
  if ('hyperlink' in v) return typeof v.text === 'string' ? v.text : cellValue(v.text as ExcelJS.CellValue);
  if ('text' in v) return String(v.text);
  return '';
}

export function sheetToInput(ws: ExcelJS.Worksheet): SheetInput {
  const grid: unknown[][] = [];
  const hiddenRows: number[] = [];
  const width = ws.columnCount;
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (row.hidden) hiddenRows.push(r);
    const values: unknown[] = [];
    for (let c = 1; c <= width; c++) values.push(cellValue(row.getCell(c).value));
    grid.push(values);
  }
  const merges = ((ws.model as unknown as { merges?: string[] }).merges ?? []).map(mergeFromA1);
  // exceljs repeats a merged area's value in every cell of it; Sheets' getValues gives it only
  // in the top-left cell, and the core expects that.
  for (const m of merges) {
    for (let r = m.row; r < m.row + m.numRows; r++) {
      for (let c = m.col; c < m.col + m.numCols; c++) {
        if ((r !== m.row || c !== m.col) && grid[r - 1] && c < grid[r - 1].length) grid[r - 1][c] = '';
      }
    }
  }
  return { name: ws.name, grid, hiddenRows, merges };
}

export async function readWorkbook(file: string): Promise<ExcelJS.Workbook> {
  if (!file) throw new CliError('Thiếu tên tệp .xlsx cần chấm.');
  if (!existsSync(file)) throw new CliError(`Không tìm thấy tệp "${file}".`);
  if (!statSync(file).isFile()) throw new CliError(`"${file}" không phải là tệp.`);
  if (!/\.xlsx$/i.test(file)) throw new CliError(`"${file}" không phải tệp .xlsx. Hãy lưu bảng tính dưới dạng Excel (.xlsx) rồi chạy lại.`);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(file);
  } catch (err) {
    throw new CliError(`Không đọc được tệp "${file}": tệp hỏng hoặc không phải định dạng .xlsx (${(err as Error).message}).`);
  }
  return wb;
}

export function workbookInputs(wb: ExcelJS.Workbook): SheetInput[] {
  return wb.worksheets.map(sheetToInput);
}
