/**
 * Writing .xlsx files. The annotated copy of `score --out` is the input package edited in place
 * (see package.ts): only the cells, notes and styles that change are touched. New workbooks
 * (summary, plan) are written with exceljs.
 */
import { readFileSync } from 'node:fs';
import type ExcelJS from 'exceljs';
import type { ScoredSheet } from '../../core/engine/score';
import { a1 } from '../../core/engine/text';
import type { WorkbookScore } from '../../core/sheet/workbook';
import { cellsToWrite } from '../../core/sheet/computed';
import { findingsByCell, findingsNoteText, HIGHLIGHT, mergeNote, parseNote, worstSeverity } from '../../core/sheet/notes';
import { CliError } from '../args';
import { writeOutput } from './output';
import { type CellInfo, type SheetEditor, XlsxPackage } from './package';

/** Stands for a cell whose text is only spaces: to cellsToWrite a blank, but a value a person typed. */
const TYPED_SPACES = '(khoảng trắng)';

/** A cell as cellsToWrite reads it: only a cell with nothing in it (or an empty string) is blank. */
function typedValue(cell: CellInfo): unknown {
  if (cell.type === 'string' && cell.value !== '' && String(cell.value).trim() === '') return TYPED_SPACES;
  return cell.value ?? '';
}

/** A note only the add-on wrote (an earlier `score --out`): it may be refreshed. Any other note is a person's. */
function isOurs(note: string | null): boolean {
  if (note === null) return true;
  const parsed = parseNote(note);
  return parsed.ours && parsed.person === '';
}

/**
 * Writes the computed subtotals and totals into empty cells, and each finding as a note plus a
 * highlight. Cells holding a formula, a value or only spaces are left alone (their mismatch is
 * reported in a note).
 *
 * A person's note is never edited: when the cell a finding is about already has one, the cell is
 * still highlighted, and the finding goes in a note on the nearest cell to its right, in the same
 * row, that has no note of a person, headed by the cell it is about. A note in a cell (a comment)
 * is invisible until hovered, so that neighbour's value and layout are unchanged.
 */
export function annotateSheet(sheet: SheetEditor, result: ScoredSheet): void {
  const values: unknown[][] = [];
  const formulas: string[][] = [];
  for (const c of result.computed) {
    const cell = sheet.cell(a1(c.row, c.col));
    (values[c.row - 1] ??= [])[c.col] = typedValue(cell);
    if (cell.formula) (formulas[c.row - 1] ??= [])[c.col] = '=';
  }
  for (const c of cellsToWrite(result.computed, values, formulas, new Map()).writes) sheet.setCell(a1(c.row, c.col), { number: c.value });

  const hosts = new Map<string, { about: string; text: string }[]>();
  for (const [key, findings] of findingsByCell(result.findings)) {
    const [row, col] = key.split(':').map(Number);
    const about = a1(row, col);
    sheet.setFill(about, `FF${HIGHLIGHT[worstSeverity(findings)].slice(1).toUpperCase()}`);
    let host = col;
    while (host < 16384 && !isOurs(sheet.note(a1(row, host)))) host++;
    if (host === 16384) continue; // a whole row of people's notes: the highlight has to do
    const list = hosts.get(a1(row, host)) ?? [];
    list.push({ about, text: findingsNoteText(findings) });
    hosts.set(a1(row, host), list);
  }
  for (const [host, parts] of hosts) {
    const own = parts.filter((p) => p.about === host).map((p) => p.text);
    const beside = parts.filter((p) => p.about !== host).map((p) => `Về ô ${p.about} (ô này đã có ghi chú riêng):\n${p.text}`);
    sheet.setNote(host, mergeNote(null, [...own, ...beside].join('\n'), null));
  }
}

/** The input file with every scored sheet annotated, as the bytes of a new .xlsx file. */
export async function annotatedCopy(file: string, scored: WorkbookScore): Promise<Uint8Array> {
  const pkg = await XlsxPackage.open(readFileSync(file));
  for (const { name, result } of scored.sheets) {
    const sheet = await pkg.sheet(name);
    // Never a copy that silently lacks a sheet's totals and notes.
    if (!sheet) throw new CliError(`Không ghi được bản có ghi chú: không tìm thấy trang "${name}" trong tệp.`);
    annotateSheet(sheet, result);
  }
  return pkg.save();
}

/** Writes a new workbook (not a copy of the input). */
export async function writeWorkbook(wb: ExcelJS.Workbook, out: string): Promise<void> {
  writeOutput(out, new Uint8Array(await wb.xlsx.writeBuffer()));
}
