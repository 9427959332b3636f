/**
 * "Lập báo cáo": the papers of src/core/report as a Google Docs document in the spreadsheet's Drive folder. Reads the
 * unit sheets, writes nothing in the spreadsheet.
 */
import {
  type Align,
  BAR_COLOR,
  BAR_WIDTHS,
  type Block,
  HEADER_FILL,
  MM_PER_POINT,
  PAGE,
  type Para,
  type Paper,
  para,
  TEXT_WIDTH_MM,
  barText,
} from '../core/report/document';
import { buildPaper, type PaperKind, type ReportUnit } from '../core/report/report';
import { vietnamDate } from '../core/settings/settings';
import { buildSummary, finalStage, summaryUnits, type SummaryRow } from '../core/summary/summary';
import { REMEDY, remedyPlanEntries } from '../core/workflow/remedy-plan';
import { runMenuAction } from './env';
import { readSettings } from './settings';
import { scoreAllSheets } from './summary';

type Body = GoogleAppsScript.Document.Body;
type Paragraph = GoogleAppsScript.Document.Paragraph;
type Table = GoogleAppsScript.Document.Table;

const points = (mm: number) => mm / MM_PER_POINT;

/** The summary rows with what the papers add (as the command line's report command does). */
function reportUnits(rows: readonly SummaryRow[]): ReportUnit[] {
  return rows.map((r) => ({
    ...r,
    judged: finalStage(r),
    lost: r.result ? remedyPlanEntries(r.unit, r.result).flatMap((e) => (e.status === REMEDY && e.criterion ? [e.criterion] : [])) : [],
  }));
}

function alignment(a: Align | undefined): GoogleAppsScript.Document.HorizontalAlignment {
  const H = DocumentApp.HorizontalAlignment;
  return { left: H.LEFT, center: H.CENTER, right: H.RIGHT, justify: H.JUSTIFY }[a ?? 'left'];
}

/** Sets a paragraph's text and style: font, size, alignment, spacing, and each run's bold/italic/underline. */
function styleParagraph(p: Paragraph, spec: Para): void {
  const text = spec.runs.map((r) => r.text).join('');
  p.setText(text);
  p.setAlignment(alignment(spec.align));
  p.setSpacingBefore(0);
  p.setSpacingAfter(spec.after ?? 6);
  p.setIndentFirstLine(spec.indent ? points(PAGE.indentMm) : 0);
  if (text.length === 0) return;
  const t = p.editAsText();
  t.setFontFamily(PAGE.font);
  t.setFontSize(spec.size ?? PAGE.size);
  let at = 0;
  for (const r of spec.runs) {
    const end = at + r.text.length - 1;
    if (r.text.length > 0) {
      if (r.bold) t.setBold(at, end, true);
      if (r.italic) t.setItalic(at, end, true);
      if (r.underline) t.setUnderline(at, end, true);
    }
    at = end + 1;
  }
}

/** A table cell holding the given paragraphs (a new cell holds one empty paragraph: it takes the first). */
function fillCell(cell: GoogleAppsScript.Document.TableCell, paras: readonly Para[]): void {
  paras.forEach((spec, i) => styleParagraph(i === 0 ? cell.getChild(0).asParagraph() : cell.appendParagraph(''), spec));
}

function setWidths(table: Table, widths: readonly number[]): void {
  const sum = widths.reduce((a, b) => a + b, 0);
  widths.forEach((w, i) => table.setColumnWidth(i, (points(TEXT_WIDTH_MM) * w) / sum));
}

function appendBlock(body: Body, b: Block): void {
  switch (b.kind) {
    case 'para':
      styleParagraph(body.appendParagraph(''), b.para);
      return;
    case 'pageBreak':
      body.appendPageBreak();
      return;
    case 'columns': {
      const table = body.appendTable([['', '']]);
      table.setBorderWidth(0);
      setWidths(table, b.widths);
      fillCell(table.getCell(0, 0), b.left);
      fillCell(table.getCell(0, 1), b.right);
      return;
    }
    case 'table': {
      const table = body.appendTable([b.header, ...b.rows]);
      setWidths(table, b.widths);
      [b.header, ...b.rows].forEach((row, r) =>
        row.forEach((v, c) => {
          const cell = table.getCell(r, c);
          fillCell(cell, [para(v, { bold: r === 0, align: r === 0 ? 'center' : b.align[c], size: b.size, after: 0 })]);
          if (r === 0) cell.setBackgroundColor(HEADER_FILL);
        }),
      );
      return;
    }
    case 'bars': {
      if (b.bars.length === 0) return;
      const table = body.appendTable(b.bars.map(() => ['', '', '']));
      table.setBorderWidth(0);
      setWidths(table, BAR_WIDTHS);
      b.bars.forEach((bar, r) => {
        fillCell(table.getCell(r, 0), [para(bar.label, { size: b.size, after: 0 })]);
        const bars = barText(bar.percent);
        fillCell(table.getCell(r, 1), [para(bars, { after: 0 })]);
        table
          .getCell(r, 1)
          .editAsText()
          .setBackgroundColor(0, bars.length - 1, BAR_COLOR);
        fillCell(table.getCell(r, 2), [para(bar.text, { size: b.size, after: 0, align: 'right' })]);
      });
    }
  }
}

/** Writes the paper into a new document: A4, the decree's margins, then each block. Returns the document. */
export function writePaper(paper: Paper, name: string): GoogleAppsScript.Document.Document {
  const doc = DocumentApp.create(name);
  const body = doc.getBody();
  body.setPageWidth(points(PAGE.widthMm));
  body.setPageHeight(points(PAGE.heightMm));
  body.setMarginTop(points(PAGE.margins.top));
  body.setMarginBottom(points(PAGE.margins.bottom));
  body.setMarginLeft(points(PAGE.margins.left));
  body.setMarginRight(points(PAGE.margins.right));
  const first = body.getChild(0);
  for (const block of paper.blocks) appendBlock(body, block);
  // A new document starts with one empty paragraph: take it out so the header block starts the page.
  if (body.getNumChildren() > 1) first.removeFromParent();
  doc.saveAndClose();
  return doc;
}

/** Moves a new file into the spreadsheet's folder; false when that folder cannot be reached (the file stays in My Drive). */
function moveBeside(fileId: string, spreadsheetId: string): boolean {
  const parents = DriveApp.getFileById(spreadsheetId).getParents();
  if (!parents.hasNext()) return false;
  DriveApp.getFileById(fileId).moveTo(parents.next());
  return true;
}

const KIND_TITLE: Record<PaperKind, string> = {
  result: 'Báo cáo kết quả chấm điểm',
  progress: 'Báo cáo tiến độ chấm điểm',
  notice: 'Thông báo kết quả chấm điểm',
};

/** Builds the paper of `kind` from the spreadsheet and writes it as a Google Docs document; returns its name and URL. */
export function buildReportDocument(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  kind: PaperKind,
  now: Date = new Date(),
): { name: string; url: string; beside: boolean; units: number } {
  const parsed = readSettings(ss, now);
  const s = parsed.settings;
  const { names, scores } = scoreAllSheets(ss, parsed);
  const units = reportUnits(buildSummary(summaryUnits(s, names, scores)).rows);
  const today = vietnamDate(now);
  const paper = buildPaper(kind, units, { settings: s, today });
  const name = `${KIND_TITLE[kind]} ${s.field} ${s.year}${s.commune ? ` - xã ${s.commune}` : ''} (${today})`;
  const doc = writePaper(paper, name);
  const beside = moveBeside(doc.getId(), ss.getId());
  return { name, url: doc.getUrl(), beside, units: units.length };
}

function menuReport(kind: PaperKind): void {
  runMenuAction(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const made = buildReportDocument(ss, kind);
    const where = made.beside ? 'trong cùng thư mục với bảng tính' : 'trong "Drive của tôi" (không mở được thư mục của bảng tính)';
    const ui = SpreadsheetApp.getUi();
    ui.alert(
      'Lập báo cáo',
      `Đã lập "${made.name}" (${made.units} đơn vị) ${where}.\n\nMở tại: ${made.url}\n\n` +
        'Văn bản khổ A4, phông Times New Roman, lề theo Nghị định 30/2020/NĐ-CP; điền số văn bản và họ tên người ký trước khi in.',
      ui.ButtonSet.OK,
    );
  });
}

export function menuReportResult(): void {
  menuReport('result');
}

export function menuReportProgress(): void {
  menuReport('progress');
}

export function menuReportNotice(): void {
  menuReport('notice');
}
