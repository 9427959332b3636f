/** Writes a paper (src/core/report/document.ts) as a .docx with the `docx` library: A4, Times New Roman, the decree's margins. */
import {
  AlignmentType,
  BorderStyle,
  convertMillimetersToTwip,
  Document,
  Packer,
  PageBreak,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import {
  type Align,
  BAR_COLOR,
  BAR_WIDTHS,
  type BarsBlock,
  type Block,
  type ColumnsBlock,
  HEADER_FILL,
  PAGE,
  type Para,
  type Paper,
  para,
  TEXT_WIDTH_MM,
  type TableBlock,
  barText,
} from '../../core/report/document';

const ALIGN = {
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
  justify: AlignmentType.JUSTIFIED,
} as const;

const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const NO_BORDERS = {
  top: NO_BORDER,
  bottom: NO_BORDER,
  left: NO_BORDER,
  right: NO_BORDER,
  insideHorizontal: NO_BORDER,
  insideVertical: NO_BORDER,
};
const LINE = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const LINES = { top: LINE, bottom: LINE, left: LINE, right: LINE, insideHorizontal: LINE, insideVertical: LINE };

/** Half-points, the unit of docx font sizes. */
const half = (pt: number) => Math.round(pt * 2);

function paragraph(p: Para, extra: TextRun[] = []): Paragraph {
  const size = half(p.size ?? PAGE.size);
  return new Paragraph({
    alignment: ALIGN[p.align ?? 'left'],
    spacing: { after: (p.after ?? 6) * 20, line: 276 },
    indent: p.indent ? { firstLine: convertMillimetersToTwip(PAGE.indentMm) } : undefined,
    children: [
      ...p.runs.map(
        (r) =>
          new TextRun({ text: r.text, bold: r.bold, italics: r.italic, underline: r.underline ? {} : undefined, size, font: PAGE.font }),
      ),
      ...extra,
    ],
  });
}

/** Column widths in twips, scaled to the text width. */
function twips(widths: readonly number[]): number[] {
  const sum = widths.reduce((a, b) => a + b, 0);
  return widths.map((w) => Math.floor((convertMillimetersToTwip(TEXT_WIDTH_MM) * w) / sum));
}

function cell(children: Paragraph[], width: number, shade?: string, top = false): TableCell {
  return new TableCell({
    children,
    width: { size: width, type: WidthType.DXA },
    verticalAlign: top ? VerticalAlignTable.TOP : VerticalAlignTable.CENTER,
    shading: shade ? { type: ShadingType.CLEAR, fill: shade, color: 'auto' } : undefined,
  });
}

function table(rows: TableRow[], widths: number[], borders: typeof LINES | typeof NO_BORDERS): Table {
  const total = widths.reduce((a, b) => a + b, 0);
  return new Table({
    rows,
    columnWidths: widths,
    width: { size: total, type: WidthType.DXA },
    layout: TableLayoutType.FIXED,
    borders,
    margins: { left: 80, right: 80, top: 30, bottom: 30 },
  });
}

function gridTable(b: TableBlock): Table {
  const widths = twips(b.widths);
  const text = (t: string, align: Align, bold = false) => paragraph(para(t, { align, bold, size: b.size, after: 0 }));
  const header = new TableRow({
    tableHeader: true,
    children: b.header.map((h, i) => cell([text(h, 'center', true)], widths[i], HEADER_FILL.slice(1).toUpperCase())),
  });
  const rows = b.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((v, i) => cell([text(v, b.align[i])], widths[i])) }));
  return table([header, ...rows], widths, LINES);
}

/** A bar per unit: its name, a shaded run of no-break spaces as long as its percent, and the percent. */
function barsTable(b: BarsBlock): Table {
  const widths = twips(BAR_WIDTHS);
  const rows = b.bars.map((bar) => {
    const shaded = new TextRun({
      text: barText(bar.percent),
      size: half(PAGE.size),
      font: PAGE.font,
      shading: { type: ShadingType.CLEAR, fill: BAR_COLOR.slice(1).toUpperCase(), color: 'auto' },
    });
    return new TableRow({
      cantSplit: true,
      children: [
        cell([paragraph(para(bar.label, { size: b.size, after: 0 }))], widths[0]),
        cell([new Paragraph({ spacing: { after: 0 }, children: [shaded] })], widths[1]),
        cell([paragraph(para(bar.text, { size: b.size, after: 0, align: 'right' }))], widths[2]),
      ],
    });
  });
  return table(rows, widths, NO_BORDERS);
}

function columns(b: ColumnsBlock): Table {
  const widths = twips(b.widths);
  const side = (ps: Para[], w: number) =>
    cell(
      ps.map((x) => paragraph(x)),
      w,
      undefined,
      true,
    );
  return table([new TableRow({ children: [side(b.left, widths[0]), side(b.right, widths[1])] })], widths, NO_BORDERS);
}

function element(b: Block): (Paragraph | Table)[] {
  switch (b.kind) {
    case 'para':
      return [paragraph(b.para)];
    case 'table':
      return [gridTable(b), new Paragraph({ spacing: { after: 120 }, children: [] })];
    case 'bars':
      return [barsTable(b), new Paragraph({ spacing: { after: 120 }, children: [] })];
    case 'columns':
      return [columns(b), new Paragraph({ spacing: { after: 120 }, children: [] })];
    case 'pageBreak':
      return [new Paragraph({ children: [new PageBreak()] })];
  }
}

export function paperDocument(paper: Paper): Document {
  const m = PAGE.margins;
  return new Document({
    creator: 'Chấm điểm CCHC/CDS',
    title: paper.name,
    styles: { default: { document: { run: { font: PAGE.font, size: half(PAGE.size) } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: convertMillimetersToTwip(PAGE.widthMm), height: convertMillimetersToTwip(PAGE.heightMm) },
            margin: {
              top: convertMillimetersToTwip(m.top),
              bottom: convertMillimetersToTwip(m.bottom),
              left: convertMillimetersToTwip(m.left),
              right: convertMillimetersToTwip(m.right),
            },
          },
        },
        children: paper.blocks.flatMap(element),
      },
    ],
  });
}

export function paperDocx(paper: Paper): Promise<Buffer> {
  return Packer.toBuffer(paperDocument(paper));
}
