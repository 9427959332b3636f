/**
 * A paper as blocks that both writers draw: the .docx writer of the command line (src/cli/docx) and the Google Docs
 * writer of the add-on (src/gas/report.ts). Page, font and margins follow Nghị định 30/2020/NĐ-CP (Phụ lục I).
 */

export type Align = 'left' | 'center' | 'right' | 'justify';

export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
}

export interface Para {
  runs: Run[];
  align?: Align;
  /** Font size in points (default PAGE.size). */
  size?: number;
  /** First-line indent of a body paragraph (PAGE.indentMm). */
  indent?: boolean;
  /** Space after, in points (default 6). */
  after?: number;
}

export interface TableBlock {
  kind: 'table';
  header: string[];
  rows: string[][];
  /** Relative column widths (any unit; the writers scale them to the text width). */
  widths: number[];
  align: Align[];
  /** Font size in points. */
  size: number;
}

/** One bar per unit: its percent of the applicable max (0–100), drawn as a shaded run proportional to it. */
export interface BarsBlock {
  kind: 'bars';
  bars: { label: string; percent: number; text: string }[];
  size: number;
}

/** Two side-by-side columns without borders: the header block and the signature block. */
export interface ColumnsBlock {
  kind: 'columns';
  widths: [number, number];
  left: Para[];
  right: Para[];
}

export type Block = { kind: 'para'; para: Para } | TableBlock | BarsBlock | ColumnsBlock | { kind: 'pageBreak' };

export interface Paper {
  /** File name without extension. */
  name: string;
  blocks: Block[];
}

/** A4, Times New Roman 14, margins within the decree's ranges (top/bottom 20–25, left 30–35, right 15–20 mm). */
export const PAGE = {
  widthMm: 210,
  heightMm: 297,
  margins: { top: 20, bottom: 20, left: 30, right: 15 },
  font: 'Times New Roman',
  size: 14,
  indentMm: 10,
} as const;

/** Width of the text between the margins, in millimetres. */
export const TEXT_WIDTH_MM = PAGE.widthMm - PAGE.margins.left - PAGE.margins.right;

/** Bars are drawn with no-break spaces: a full bar (100 %) is this many of them (sized to the bar column). */
export const BAR_FULL = 60;

export const MM_PER_POINT = 25.4 / 72;

/** The characters of a bar of `percent` (0–100). */
export function barText(percent: number): string {
  const n = Math.max(0, Math.min(BAR_FULL, Math.round((percent / 100) * BAR_FULL)));
  return '\u00a0'.repeat(Math.max(1, n));
}

export const BAR_COLOR = '#4f81bd';
/** Relative widths of the bars table: unit, bar, percent. */
export const BAR_WIDTHS = [32, 55, 13];
/** Background of a results table's header row. */
export const HEADER_FILL = '#e7eef7';

export const para = (text: string, style: Omit<Para, 'runs'> & Omit<Run, 'text'> = {}): Para => {
  const { bold, italic, underline, ...rest } = style;
  return { runs: [{ text, bold, italic, underline }], ...rest };
};
