/**
 * Reading .xlsx files with exceljs, turning sheets into the grids the core reads.
 * The file is checked first (check.ts); a grid holds only the cells within reach of the sheet's
 * data (reach.ts), so its size follows the data, not the sheet's dimension; formulas saved without
 * their result are computed when they can be (formulas.ts).
 */
import { existsSync, statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { UncomputedFormula } from '../../core/engine/numbers';
import { a1, isBlank, mergeFromA1 } from '../../core/engine/text';
import type { SheetInput } from '../../core/sheet/workbook';
import { CliError } from '../args';
import { computeFormulas, type PendingFormula } from './formulas';
import { type CheckedPackage, checkPackage, count, LIMITS } from './check';
import { reachOf } from './reach';

/** Cells of one grid, all rows together: more means a sheet wider than any score table. */
export const MAX_GRID_CELLS = 5_000_000;

/**
 * Text as the file means it: OOXML writes a character XML cannot hold (a control character) as
 * _xHHHH_, and a literal "_x" that would read as one as _x005F_x. exceljs leaves both as they are.
 */
function decodeEscapes(text: string): string {
  return text.includes('_x')
    ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    : text;
}

/** One cell as Range.getValues() would give it: formulas as their result, errors as "#REF!" text. */
export function cellValue(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return decodeEscapes(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  const v = value as unknown as Record<string, unknown>;
  if ('error' in v) return String(v.error);
  if ('richText' in v && Array.isArray(v.richText)) return decodeEscapes((v.richText as { text: string }[]).map((r) => r.text).join(''));
  if ('formula' in v || 'sharedFormula' in v)
    return v.result === undefined || v.result === null ? '' : cellValue(v.result as ExcelJS.CellValue);
  if ('hyperlink' in v) return cellValue(v.text as ExcelJS.CellValue);
  if ('text' in v) return decodeEscapes(String(v.text));
  return '';
}

/** What reading gathers besides the grids: messages for the user and formulas to compute. */
export interface ReadNotes {
  warnings: string[];
  pending: PendingFormula[];
  /** Formula cells saved with an empty text as result, by sheet name (see check.ts). */
  emptyResults?: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * A cell's value for the grid: a formula the file holds without a result becomes an
 * UncomputedFormula, unless its saved result is an empty text (`emptyResults`).
 */
function gridValue(cell: ExcelJS.Cell, emptyResults: ReadonlySet<string> | undefined): unknown {
  if (cell.type === ExcelJS.ValueType.Formula && formulaResult(cell) === undefined && !emptyResults?.has(cell.address))
    return new UncomputedFormula(`=${cell.formula.replace(/_xl(?:fn|ws)\./gi, '')}`);
  return shownValue(cell);
}

/** A formula's saved result (`cell.value` leaves out a result of 0, false or ""), undefined when none. */
function formulaResult(cell: ExcelJS.Cell): unknown {
  return (cell.result as unknown) ?? undefined;
}

/** What a cell shows, as Range.getValues() gives it: a formula's saved result ('' when none). */
export function shownValue(cell: ExcelJS.Cell): unknown {
  if (cell.type !== ExcelJS.ValueType.Formula) return cellValue(cell.value);
  const result = formulaResult(cell);
  return result === undefined ? '' : cellValue(result as ExcelJS.CellValue);
}

/** The rows exceljs holds for a sheet, without visiting the gaps between them. */
function storedRows(ws: ExcelJS.Worksheet): ExcelJS.Row[] {
  const rows: ExcelJS.Row[] = [];
  // `_rows` is sparse; eachRow({ includeEmpty: true }) would create every row up to the last one.
  (ws as unknown as { _rows: (ExcelJS.Row | undefined)[] })._rows.forEach((row) => {
    if (row) rows.push(row);
  });
  return rows;
}

function describeCells(cells: readonly { row: number; col: number }[]): string {
  const shown = cells.slice(0, 3).map((c) => a1(c.row, c.col - 1));
  return cells.length > shown.length ? `${shown.join(', ')}, …` : shown.join(', ');
}

export function sheetToInput(ws: ExcelJS.Worksheet, notes: ReadNotes = { warnings: [], pending: [] }): SheetInput {
  const rows = storedRows(ws);
  const cells: { row: number; col: number; value: unknown }[] = [];
  for (const row of rows) {
    row.eachCell((cell, col) => {
      // A merged area's value is in its top-left cell only, as Sheets' getValues gives it.
      if (cell.type === ExcelJS.ValueType.Merge) return;
      const value = gridValue(cell, notes.emptyResults?.get(ws.name));
      if (isBlank(value)) return;
      if (typeof value === 'string' && value.length > LIMITS.cellChars) {
        throw new CliError(
          `Ô ${cell.address} trang "${ws.name}" chứa ${count(value.length)} ký tự, vượt giới hạn ${count(LIMITS.cellChars)} ký tự ` +
            `một ô của Excel: tệp hỏng hoặc không do Excel tạo ra. Không đọc tệp này.`,
        );
      }
      cells.push({ row: row.number, col, value });
    });
  }
  const { lastRow, lastCol } = reachOf(cells);
  const far = cells.filter((c) => c.row > lastRow || c.col > lastCol);
  if (far.length > 0) {
    notes.warnings.push(
      `Trang "${ws.name}": bỏ qua ${count(far.length)} ô có dữ liệu nằm quá xa bảng (${describeCells(far)}). Nếu đó là dữ liệu cần ` +
        `chấm, hãy chuyển về sát bảng.`,
    );
  }
  const kept = cells.filter((c) => c.row <= lastRow && c.col <= lastCol);
  const widths = new Map<number, number>();
  for (const c of kept) widths.set(c.row, Math.max(widths.get(c.row) ?? 0, c.col));
  let size = 0;
  for (const w of widths.values()) size += w;
  if (size > MAX_GRID_CELLS) {
    throw new CliError(
      `Trang "${ws.name}" rộng hơn mọi biểu chấm điểm (${count(size)} ô trong vùng có dữ liệu): tệp hỏng hoặc không phải biểu chấm điểm.`,
    );
  }
  const grid: unknown[][] = Array.from({ length: lastRow }, (_, r) => new Array(widths.get(r + 1) ?? 0).fill(''));
  for (const c of kept) {
    grid[c.row - 1][c.col - 1] = c.value;
    if (c.value instanceof UncomputedFormula)
      notes.pending.push({ sheet: ws.name, row: c.row, col: c.col, formula: c.value.formula.slice(1) });
  }
  const hiddenRows = rows.filter((r) => r.hidden && r.number <= lastRow).map((r) => r.number);
  // `_merges` (master address → range): the public `model` would serialise every row to list them.
  const merges = Object.values((ws as unknown as { _merges: Record<string, { range: string }> })._merges)
    .map((m) => mergeFromA1(m.range))
    .filter((m) => m.row <= lastRow && m.col < lastCol);
  return { name: ws.name, grid, hiddenRows, merges };
}

export interface OpenedWorkbook {
  wb: ExcelJS.Workbook;
  /** The file's bytes, and whether exceljs read a copy with oversized ranges clipped. */
  source: CheckedPackage;
}

/** Checks and reads the file; throws CliError with a Vietnamese message when it cannot be read. */
export async function openWorkbook(file: string): Promise<OpenedWorkbook> {
  if (!file) throw new CliError('Thiếu tên tệp .xlsx cần chấm.');
  if (!existsSync(file)) throw new CliError(`Không tìm thấy tệp "${file}".`);
  if (!statSync(file).isFile()) throw new CliError(`"${file}" không phải là tệp.`);
  const source = await checkPackage(file);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(source.bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw new CliError(`Không đọc được tệp "${file}": tệp hỏng hoặc không phải định dạng .xlsx (${(err as Error).message}).`);
  }
  return { wb, source };
}

export async function readWorkbook(file: string): Promise<ExcelJS.Workbook> {
  return (await openWorkbook(file)).wb;
}

/** The grids of every sheet, with formulas saved without a result computed where possible. */
export function workbookInputs(
  wb: ExcelJS.Workbook,
  warnings: string[] = [],
  emptyResults?: ReadonlyMap<string, ReadonlySet<string>>,
): SheetInput[] {
  const notes: ReadNotes = { warnings, pending: [], emptyResults };
  const inputs = wb.worksheets.map((ws) => sheetToInput(ws, notes));
  const { pending, computed } = computeFormulas(new Map(inputs.map((s) => [s.name, s.grid])), notes.pending);
  if (pending > 0) {
    const left = pending - computed;
    warnings.push(
      `Tệp có ${count(pending)} công thức không lưu sẵn kết quả (tệp do một chương trình không tính công thức tạo ra): đã tự tính ` +
        `${count(computed)} công thức` +
        `${left ? `, còn ${count(left)} công thức không tính được, được báo là "công thức chưa có kết quả"` : ''}.`,
    );
  }
  return inputs;
}
