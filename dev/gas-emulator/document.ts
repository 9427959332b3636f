/**
 * DocumentApp, as much as the add-on's "Lập báo cáo" uses: create a document, set the page, append paragraphs, tables
 * and page breaks, style text by offsets. References:
 *   https://developers.google.com/apps-script/reference/document/document-app
 *   https://developers.google.com/apps-script/reference/document/body
 *   https://developers.google.com/apps-script/reference/document/paragraph
 *   https://developers.google.com/apps-script/reference/document/text
 *   https://developers.google.com/apps-script/reference/document/table (and table-cell)
 * Every call needs the documents scope (the Body page: "documents.currentonly or documents").
 */
import { type Ctx, type EnumValue, GasObject, gasError, isEnumOf, makeEnum, requireAuth, signatureError } from './core';

const SCOPE = '(https://www.googleapis.com/auth/documents.currentonly || https://www.googleapis.com/auth/documents)';
export const DOCUMENT_MIME_TYPE = 'application/vnd.google-apps.document';

/** https://developers.google.com/apps-script/reference/document/horizontal-alignment */
export const HorizontalAlignment = makeEnum(['LEFT', 'CENTER', 'RIGHT', 'JUSTIFY'] as const);

/** Per-character style, as Text keeps it (attributes not set are absent). */
export interface CharStyle {
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  fontFamily?: string;
  fontSize?: number;
  backgroundColor?: string | null;
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Text of a paragraph with a style per character. */
class TextImpl extends GasObject {
  readonly _cls = 'Text';
  constructor(
    ctx: Ctx,
    readonly _owner: { _text: string; _styles: CharStyle[] },
  ) {
    super(ctx);
  }
  getText(): string {
    return this._owner._text;
  }
  /** Offsets are inclusive and must lie inside the text (Text: "startOffset … endOffsetInclusive"). */
  private range(method: string, start: number, end: number): [number, number] {
    const length = this._owner._text.length;
    if (!isNumber(start) || !isNumber(end)) throw signatureError(`Text.${method}`, [start, end]);
    if (start < 0 || start >= length || end >= length || end < start)
      throw gasError(`Index (${end >= length ? end : start}) must be less than the content length (${length}).`);
    return [start, end];
  }
  private apply(method: string, args: unknown[], key: keyof CharStyle, check: (v: unknown) => boolean): TextImpl {
    // Two forms: (value) for the whole text, (start, endInclusive, value) for a range.
    const value = args.length === 1 ? args[0] : args[2];
    if ((args.length !== 1 && args.length !== 3) || !check(value)) throw signatureError(`Text.${method}`, args);
    const [start, end] = args.length === 1 ? [0, this._owner._text.length - 1] : this.range(method, args[0] as number, args[1] as number);
    for (let i = start; i <= end; i++) this._owner._styles[i] = { ...this._owner._styles[i], [key]: value };
    return this;
  }
  setBold(...args: unknown[]): TextImpl {
    return this.apply('setBold', args, 'bold', (v) => typeof v === 'boolean');
  }
  setItalic(...args: unknown[]): TextImpl {
    return this.apply('setItalic', args, 'italic', (v) => typeof v === 'boolean');
  }
  setUnderline(...args: unknown[]): TextImpl {
    return this.apply('setUnderline', args, 'underline', (v) => typeof v === 'boolean');
  }
  setFontFamily(...args: unknown[]): TextImpl {
    return this.apply('setFontFamily', args, 'fontFamily', (v) => typeof v === 'string');
  }
  setFontSize(...args: unknown[]): TextImpl {
    return this.apply('setFontSize', args, 'fontSize', (v) => isNumber(v) && (v as number) > 0);
  }
  /** A CSS colour "#rrggbb" (the Text page's example), or null to clear. */
  setBackgroundColor(...args: unknown[]): TextImpl {
    return this.apply(
      'setBackgroundColor',
      args,
      'backgroundColor',
      (v) => v === null || (typeof v === 'string' && /^#[0-9a-f]{6}$/i.test(v)),
    );
  }
}

type Container = BodyImpl | TableCellImpl;

export class ParagraphImpl extends GasObject {
  readonly _cls = 'Paragraph';
  _text = '';
  _styles: CharStyle[] = [];
  _alignment: EnumValue = HorizontalAlignment.LEFT;
  _spacingBefore = 0;
  _spacingAfter = 0;
  _indentFirstLine = 0;
  constructor(
    ctx: Ctx,
    public _parent: Container | null,
    text: string,
  ) {
    super(ctx);
    this.setText(text);
  }
  getText(): string {
    return this._text;
  }
  /** Replaces the text; the new text takes no character style. */
  setText(text: string): ParagraphImpl {
    if (typeof text !== 'string') throw signatureError('Paragraph.setText', [text]);
    this._text = text;
    this._styles = Array.from({ length: text.length }, () => ({}));
    return this;
  }
  setAlignment(alignment: EnumValue): ParagraphImpl {
    if (!isEnumOf(alignment, HorizontalAlignment)) throw signatureError('Paragraph.setAlignment', [alignment]);
    this._alignment = alignment;
    return this;
  }
  getAlignment(): EnumValue {
    return this._alignment;
  }
  private points(method: string, v: unknown): number {
    if (!isNumber(v)) throw signatureError(`Paragraph.${method}`, [v]);
    return v;
  }
  setSpacingBefore(points: number): ParagraphImpl {
    this._spacingBefore = this.points('setSpacingBefore', points);
    return this;
  }
  setSpacingAfter(points: number): ParagraphImpl {
    this._spacingAfter = this.points('setSpacingAfter', points);
    return this;
  }
  setIndentFirstLine(points: number): ParagraphImpl {
    this._indentFirstLine = this.points('setIndentFirstLine', points);
    return this;
  }
  editAsText(): TextImpl {
    return new TextImpl(this._ctx, this);
  }
  asParagraph(): ParagraphImpl {
    return this;
  }
  /** A body or a cell keeps at least one paragraph (Docs: "Can't remove the last paragraph in a document section."). */
  removeFromParent(): ParagraphImpl {
    const parent = this._parent;
    if (!parent) return this;
    const i = parent._children.indexOf(this);
    const paragraphs = parent._children.filter((c) => c instanceof ParagraphImpl);
    if (paragraphs.length === 1) throw gasError("Can't remove the last paragraph in a document section.");
    parent._children.splice(i, 1);
    this._parent = null;
    return this;
  }
}

export class PageBreakImpl extends GasObject {
  readonly _cls = 'PageBreak';
}

export class TableCellImpl extends GasObject {
  readonly _cls = 'TableCell';
  _children: ParagraphImpl[] = [];
  _background: string | null = null;
  constructor(ctx: Ctx, text: string) {
    super(ctx);
    this._children.push(new ParagraphImpl(ctx, this, text));
  }
  getChild(index: number): ParagraphImpl {
    const child = this._children[index];
    if (!child) throw gasError(`Child index (${index}) must be less than the number of child elements (${this._children.length}).`);
    return child;
  }
  getNumChildren(): number {
    return this._children.length;
  }
  appendParagraph(text: string): ParagraphImpl {
    if (typeof text !== 'string') throw signatureError('TableCell.appendParagraph', [text]);
    const p = new ParagraphImpl(this._ctx, this, text);
    this._children.push(p);
    return p;
  }
  setBackgroundColor(color: string): TableCellImpl {
    if (typeof color !== 'string' || !/^#[0-9a-f]{6}$/i.test(color)) throw signatureError('TableCell.setBackgroundColor', [color]);
    this._background = color;
    return this;
  }
  /** The cell's text as one Text: only its first paragraph is emulated for styling. */
  editAsText(): TextImpl {
    return this._children[0].editAsText();
  }
  getText(): string {
    return this._children.map((p) => p._text).join('\n');
  }
}

export class TableImpl extends GasObject {
  readonly _cls = 'Table';
  _rows: TableCellImpl[][];
  _borderWidth = 1;
  _columnWidths: (number | null)[];
  constructor(ctx: Ctx, cells: string[][]) {
    super(ctx);
    this._rows = cells.map((row) => row.map((text) => new TableCellImpl(ctx, text)));
    this._columnWidths = Array(Math.max(0, ...cells.map((r) => r.length))).fill(null);
  }
  getNumRows(): number {
    return this._rows.length;
  }
  getCell(rowIndex: number, cellIndex: number): TableCellImpl {
    const cell = this._rows[rowIndex]?.[cellIndex];
    if (!cell)
      throw gasError(`Child index (${this._rows[rowIndex] ? cellIndex : rowIndex}) must be less than the number of child elements.`);
    return cell;
  }
  setBorderWidth(width: number): TableImpl {
    if (!isNumber(width) || width < 0) throw signatureError('Table.setBorderWidth', [width]);
    this._borderWidth = width;
    return this;
  }
  setColumnWidth(columnIndex: number, width: number): TableImpl {
    if (!isNumber(columnIndex) || !isNumber(width)) throw signatureError('Table.setColumnWidth', [columnIndex, width]);
    if (columnIndex < 0 || columnIndex >= this._columnWidths.length)
      throw gasError(`Index (${columnIndex}) must be less than the number of columns (${this._columnWidths.length}).`);
    this._columnWidths[columnIndex] = width;
    return this;
  }
  getText(): string {
    return this._rows.map((r) => r.map((c) => c.getText()).join('\t')).join('\n');
  }
}

export type BodyChild = ParagraphImpl | TableImpl | PageBreakImpl;

export class BodyImpl extends GasObject {
  readonly _cls = 'Body';
  _children: BodyChild[] = [];
  _page = { width: 612, height: 792, top: 72, bottom: 72, left: 72, right: 72 };
  constructor(ctx: Ctx) {
    super(ctx);
    // A new document holds one empty paragraph.
    this._children.push(new ParagraphImpl(ctx, this, ''));
  }
  getNumChildren(): number {
    return this._children.length;
  }
  getChild(index: number): BodyChild {
    const child = this._children[index];
    if (!child) throw gasError(`Child index (${index}) must be less than the number of child elements (${this._children.length}).`);
    return child;
  }
  appendParagraph(text: string): ParagraphImpl {
    if (typeof text !== 'string') throw signatureError('Body.appendParagraph', [text]);
    const p = new ParagraphImpl(this._ctx, this, text);
    this._children.push(p);
    return p;
  }
  /** "Creates and appends a new Table containing a TableCell for each specified string value." */
  appendTable(cells: string[][]): TableImpl {
    if (!Array.isArray(cells) || !cells.every((r) => Array.isArray(r) && r.every((c) => typeof c === 'string')))
      throw signatureError('Body.appendTable', [cells]);
    const t = new TableImpl(this._ctx, cells);
    this._children.push(t);
    return t;
  }
  appendPageBreak(): PageBreakImpl {
    const b = new PageBreakImpl(this._ctx);
    this._children.push(b);
    return b;
  }
  private set(method: string, key: keyof BodyImpl['_page'], points: number): BodyImpl {
    if (!isNumber(points) || points < 0) throw signatureError(`Body.${method}`, [points]);
    this._page[key] = points;
    return this;
  }
  setPageWidth(points: number): BodyImpl {
    return this.set('setPageWidth', 'width', points);
  }
  setPageHeight(points: number): BodyImpl {
    return this.set('setPageHeight', 'height', points);
  }
  setMarginTop(points: number): BodyImpl {
    return this.set('setMarginTop', 'top', points);
  }
  setMarginBottom(points: number): BodyImpl {
    return this.set('setMarginBottom', 'bottom', points);
  }
  setMarginLeft(points: number): BodyImpl {
    return this.set('setMarginLeft', 'left', points);
  }
  setMarginRight(points: number): BodyImpl {
    return this.set('setMarginRight', 'right', points);
  }
  /** Paragraphs and tables as text, one element a line (a page break as "\f"). */
  getText(): string {
    return this._children.map((c) => (c instanceof PageBreakImpl ? '\f' : c.getText())).join('\n');
  }
}

export class DocumentImpl extends GasObject {
  readonly _cls = 'Document';
  readonly _body: BodyImpl;
  _open = true;
  constructor(
    ctx: Ctx,
    readonly _id: string,
    public _name: string,
  ) {
    super(ctx);
    this._body = new BodyImpl(ctx);
  }
  getId(): string {
    return this._id;
  }
  getName(): string {
    return this._name;
  }
  getBody(): BodyImpl {
    return this._body;
  }
  /** Document.getUrl: "Retrieves the URL to access the current document." */
  getUrl(): string {
    return `https://docs.google.com/open?id=${this._id}`;
  }
  saveAndClose(): void {
    this._open = false;
  }
}

/** Documents the script created, and where DocumentApp.create files them (a hook into the emulated Drive). */
export class DocumentState {
  readonly documents: DocumentImpl[] = [];
  constructor(readonly fileCreated: (id: string, name: string) => void) {}
}

export class DocumentAppImpl extends GasObject {
  readonly _cls = 'DocumentApp';
  readonly HorizontalAlignment = HorizontalAlignment;
  constructor(
    ctx: Ctx,
    readonly _state: DocumentState,
  ) {
    super(ctx);
  }
  /** DocumentApp.create(name): "Creates and returns a new document" (in the root of My Drive). */
  create(name: string): DocumentImpl {
    requireAuth(this._ctx, 'DocumentApp.create', SCOPE, 'FULL');
    if (typeof name !== 'string') throw signatureError('DocumentApp.create', [name]);
    const id = `1FakeDocumentId_${String(this._state.documents.length + 1).padStart(4, '0')}`;
    const doc = new DocumentImpl(this._ctx, id, name);
    this._state.documents.push(doc);
    this._state.fileCreated(id, name);
    return doc;
  }
}
