/**
 * Writing .xlsx files. The annotated copy of `score --out` is the input package edited in place
 * (see package.ts): the add-on's formulas with the values they show, the result block, the
 * highlight rules and the score validation (live.ts plans them), the notes and highlights of the
 * findings. Nothing else is touched. New workbooks (summary, plan) are written with exceljs.
 */
import { readFileSync } from 'node:fs';
import type ExcelJS from 'exceljs';
import type { Finding } from '../../core/engine/findings';
import { a1 } from '../../core/engine/text';
import { findingsByCell, findingsNoteText, HIGHLIGHT, mergeNote, parseNote, worstSeverity } from '../../core/sheet/notes';
import { CliError } from '../args';
import type { LiveSheet } from './live';
import { writeOutput } from './output';
import { type SheetEditor, XlsxPackage } from './package';
import { addSummarySheet, type SummarySheet } from './summary-sheet';
import { writeRules, writeValidations } from './sheet-rules';

/** A note only the add-on wrote (an earlier `score --out`): it may be refreshed. Any other note is a person's. */
function isOurs(note: string | null): boolean {
  if (note === null) return true;
  const parsed = parseNote(note);
  return parsed.ours && parsed.person === '';
}

/**
 * Writes each finding as a note plus a highlight.
 *
 * A person's note is never edited: when the cell a finding is about already has one, the cell is
 * still highlighted, and the finding goes in a note on the nearest cell to its right, in the same
 * row, that has no note of a person, headed by the cell it is about. A note in a cell (a comment)
 * is invisible until hovered, so that neighbour's value and layout are unchanged.
 */
export function annotateSheet(sheet: SheetEditor, findings: readonly Finding[]): void {
  const hosts = new Map<string, { about: string; text: string }[]>();
  for (const [key, list] of findingsByCell(findings)) {
    const [row, col] = key.split(':').map(Number);
    const about = a1(row, col);
    sheet.setFill(about, `FF${HIGHLIGHT[worstSeverity(list)].slice(1).toUpperCase()}`);
    let host = col;
    while (host < 16384 && !isOurs(sheet.note(a1(row, host)))) host++;
    if (host === 16384) continue; // a whole row of people's notes: the highlight has to do
    const parts = hosts.get(a1(row, host)) ?? [];
    parts.push({ about, text: findingsNoteText(list) });
    hosts.set(a1(row, host), parts);
  }
  for (const [host, parts] of hosts) {
    const own = parts.filter((p) => p.about === host).map((p) => p.text);
    const beside = parts.filter((p) => p.about !== host).map((p) => `Về ô ${p.about} (ô này đã có ghi chú riêng):\n${p.text}`);
    sheet.setNote(host, mergeNote(null, [...own, ...beside].join('\n'), null));
  }
}

/** Whether the add-on may write into a cell: empty, or holding a formula (the plan decided it is ours). */
function free(sheet: SheetEditor, ref: string): boolean {
  const cell = sheet.cell(ref);
  return sheet.writable(ref) && (cell.formula || cell.type === 'blank');
}

/** Applies one sheet's live plan: formulas, the result block, highlight rules, validation, notes. */
export function applyLive(sheet: SheetEditor, live: LiveSheet): void {
  for (const f of live.formulas) if (free(sheet, f.ref)) sheet.setCell(f.ref, { formula: f.formula, cached: f.cached });
  for (const t of live.texts) {
    const cell = sheet.cell(t.ref);
    const write = cell.type === 'blank' ? !cell.formula : live.block.found && t.refresh && !cell.formula && cell.value !== t.text;
    if (write && sheet.writable(t.ref)) sheet.setCell(t.ref, { string: t.text });
    if (t.fill && (write || cell.value === t.text)) sheet.setFill(t.ref, t.fill);
  }
  writeRules(sheet, live.plan.rules);
  writeValidations(sheet, live.validations);
  annotateSheet(sheet, live.findings);
}

/**
 * The input file with every scored sheet made live and annotated, and the summary sheet added when given,
 * as the bytes of a new .xlsx file.
 */
export async function annotatedCopy(file: string, sheets: readonly LiveSheet[], summary?: SummarySheet): Promise<Uint8Array> {
  const pkg = await XlsxPackage.open(readFileSync(file));
  for (const live of sheets) {
    const sheet = await pkg.sheet(live.name);
    // Never a copy that silently lacks a sheet's totals and notes.
    if (!sheet) throw new CliError(`Không ghi được bản có ghi chú: không tìm thấy trang "${live.name}" trong tệp.`);
    applyLive(sheet, live);
  }
  if (summary) await addSummarySheet(pkg, summary);
  return pkg.save();
}

/** Writes a new workbook (not a copy of the input). */
export async function writeWorkbook(wb: ExcelJS.Workbook, out: string): Promise<void> {
  writeOutput(out, new Uint8Array(await wb.xlsx.writeBuffer()));
}
