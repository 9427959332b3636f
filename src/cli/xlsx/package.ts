/**
 * Editing an .xlsx package in place. Every part is copied as it is; only the parts an edit needs
 * change (a sheet's XML, its notes, the styles, relationships and content types), and inside them
 * only the elements concerned. This keeps what an xlsx library would drop when re-serialising a
 * workbook: charts, images, notes, validations, conditional formats, print settings…
 *
 *   const pkg = await XlsxPackage.open(bytes);
 *   const sheet = await pkg.sheet('Đơn vị');
 *   sheet?.setCell('D6', { number: 13 });
 *   sheet?.setFill('D7', 'FFF4C7C3');
 *   sheet?.setNote('D7', 'text');
 *   const out = await pkg.save();
 */
import JSZip from 'jszip';
import { a1, parseA1Cell } from '../../core/engine/text';
import { CliError } from '../args';
import { SheetNotes } from './comments';
import {
  ContentTypes,
  CONTENT_TYPE,
  declaredPrefix,
  REL,
  REL_NS,
  Relationships,
  relsPathOf,
  WORKBOOK_ORDER,
  WORKSHEET_ORDER,
} from './parts';
import { CellStyles, DEFAULT_STYLESHEET } from './styles';
import {
  attr,
  attributes,
  child,
  children,
  decodeXstring,
  type Element,
  escapeXml,
  escapeXstring,
  insertChild,
  localName,
  prefixOf,
  qualify,
  relationshipId,
  richText,
  rootElement,
  splice,
  tags,
  unescapeXml,
  withAttr,
} from './xml';

/** What a cell holds: a number, a string, or a formula with the result it shows. */
export type CellContent = { number: number } | { string: string } | { formula: string; cached: number | string | boolean | null };

/** A cell as the file has it. `value` is what the cell shows (a formula's cached result). */
export interface CellInfo {
  type: 'blank' | 'number' | 'string' | 'boolean' | 'error';
  value: number | string | boolean | null;
  formula: boolean;
  /** Index of its cell format in the styles (0 when none is set). */
  style: number;
}

const BLANK: CellInfo = { type: 'blank', value: null, formula: false, style: 0 };

function parseRef(ref: string): { row: number; col: number } {
  const p = parseA1Cell(ref);
  if (p.row < 1 || p.row > 1048576 || p.col < 0 || p.col > 16383) throw new Error(`not a cell reference: ${ref}`);
  return p;
}

const pathKey = (path: string) => path.toLowerCase();

export class XlsxPackage {
  private readonly texts = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private readonly withBom = new Set<string>();
  private readonly editors: SheetEditor[] = [];
  private sharedStrings: { xml: string; items: Element[] } | null = null;
  private stylesPart: string | null = null;
  private styleSheet: CellStyles | null = null;
  /** Set when a formula cell gets a plain value: the calculation chain would then point at a cell without a formula. */
  calcChainStale = false;

  /** [Content_Types].xml, for editors that add parts. */
  contentTypes = new ContentTypes('<Types/>');
  private workbookPart = '';
  private workbookRels = new Relationships('', null);
  private sheets: { name: string; part: string }[] = [];

  private constructor(private readonly zip: JSZip) {}

  static async open(data: Uint8Array): Promise<XlsxPackage> {
    let zip: JSZip;
    try {
      zip = await JSZip.loadAsync(data);
    } catch (err) {
      throw new CliError(`Tệp không phải gói .xlsx hợp lệ (${(err as Error).message}).`);
    }
    const pkg = new XlsxPackage(zip);
    await pkg.init();
    return pkg;
  }

  private async init(): Promise<void> {
    const types = await this.read('[Content_Types].xml');
    const workbookPart = new Relationships('', await this.read('_rels/.rels')).find(REL.officeDocument)?.part;
    const workbook = workbookPart ? await this.read(workbookPart) : null;
    if (!types || !workbookPart || !workbook) throw new CliError('Tệp .xlsx thiếu phần sổ tính (workbook).');
    this.contentTypes = new ContentTypes(types);
    this.workbookPart = workbookPart;
    this.workbookRels = new Relationships(workbookPart, await this.read(relsPathOf(workbookPart)));
    const rels = this.workbookRels.list();
    for (const list of children(workbook, rootElement(workbook))) {
      if (localName(list.tag.name) !== 'sheets') continue;
      for (const s of children(workbook, list)) {
        const id = relationshipId(s.tag.attrs);
        const rel = rels.find((r) => r.id === id);
        if (rel?.part && rel.type === REL.worksheet) this.sheets.push({ name: attr(s.tag.attrs, 'name') ?? '', part: rel.part });
      }
    }
  }

  /** The names of the worksheets (chart sheets and dialog sheets are not listed). */
  worksheetNames(): string[] {
    return this.sheets.map((s) => s.name);
  }

  /** Every part name in the package, as stored. */
  paths(): string[] {
    const names = new Set<string>();
    this.zip.forEach((path, file) => {
      if (!file.dir) names.add(path);
    });
    for (const p of this.dirty) names.add(p);
    return [...names];
  }

  /** The stored name of a part (part names are case-insensitive). */
  private stored(path: string): string {
    const key = pathKey(path);
    return this.paths().find((p) => pathKey(p) === key) ?? path;
  }

  /** A part's text, or null when the package has no such part. */
  async read(path: string): Promise<string | null> {
    const name = this.stored(path);
    const cached = this.texts.get(name);
    if (cached !== undefined) return cached;
    const file = this.zip.file(name);
    if (!file) return null;
    const bytes = await file.async('uint8array');
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
      throw new CliError(`Phần "${name}" của tệp được mã hoá UTF-16: chưa hỗ trợ ghi vào tệp như vậy.`);
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) this.withBom.add(name);
    const text = new TextDecoder('utf-8').decode(bytes);
    this.texts.set(name, text);
    return text;
  }

  /** Replaces (or creates) a part's text; it is written on save. */
  write(path: string, text: string): void {
    const name = this.stored(path);
    this.texts.set(name, text);
    this.dirty.add(name);
  }

  /** A part name not used yet: `${prefix}${n}${suffix}` with the smallest n ≥ 1 (or no n at all, when `bare` and free). */
  freeName(prefix: string, suffix: string, bare = false): string {
    const used = new Set(this.paths().map(pathKey));
    if (bare && !used.has(pathKey(`${prefix}${suffix}`))) return `${prefix}${suffix}`;
    for (let n = 1; ; n++) if (!used.has(pathKey(`${prefix}${n}${suffix}`))) return `${prefix}${n}${suffix}`;
  }

  /**
   * Adds an empty worksheet after the others and returns its editor. `printTitleRows` ("5:6") makes those rows
   * repeat at the top of every printed page (the workbook's _xlnm.Print_Titles name for the sheet).
   */
  async addSheet(name: string, printTitleRows?: string): Promise<SheetEditor> {
    if (this.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase())) throw new Error(`sheet exists: ${name}`);
    const dir = this.workbookPart.slice(0, this.workbookPart.lastIndexOf('/') + 1);
    const part = this.freeName(`${dir}worksheets/sheet`, '.xml');
    const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    this.write(
      part,
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${ns}" xmlns:r="${REL_NS}"><sheetData/></worksheet>`,
    );
    this.contentTypes.ensure(part, CONTENT_TYPE.worksheet);
    const id = this.workbookRels.add(REL.worksheet, part);
    let workbook = (await this.read(this.workbookPart)) ?? '';
    const root = rootElement(workbook);
    const q = (local: string) => qualify(prefixOf(root.tag.name), local);
    const lists = [...children(workbook, root)];
    const list = lists.find((el) => localName(el.tag.name) === 'sheets');
    if (!list) throw new CliError('Tệp .xlsx thiếu danh sách trang tính trong sổ tính.');
    const entries = [...children(workbook, list)];
    const sheetId = Math.max(0, ...entries.map((e) => Number(attr(e.tag.attrs, 'sheetId')) || 0)) + 1;
    // The relationship id's prefix as the workbook declares it (usually "r").
    const r = declaredPrefix(workbook, REL_NS);
    const rAttr = r ? `${r}:id` : 'r:id';
    const declare = r ? '' : ` xmlns:r="${REL_NS}"`;
    const entry = `<${q('sheet')} name="${escapeXml(name)}" sheetId="${sheetId}" ${rAttr}="${id}"${declare}/>`;
    workbook = insertChild(workbook, list, 'sheet', entry, ['sheet']);
    if (printTitleRows) {
      const [top, bottom] = printTitleRows.split(':');
      const ref = `'${name.replace(/'/g, "''")}'!$${top}:$${bottom}`;
      const dn = q('definedName');
      const defined = `<${dn} name="_xlnm.Print_Titles" localSheetId="${entries.length}">${escapeXml(ref)}</${dn}>`;
      const wbRoot = rootElement(workbook);
      const names = [...children(workbook, wbRoot)].find((el) => localName(el.tag.name) === 'definedNames');
      workbook = names
        ? insertChild(workbook, names, 'definedName', defined, ['definedName'])
        : insertChild(workbook, wbRoot, 'definedNames', `<${q('definedNames')}>${defined}</${q('definedNames')}>`, WORKBOOK_ORDER);
    }
    this.write(this.workbookPart, workbook);
    this.sheets.push({ name, part });
    const editor = await this.sheet(name);
    if (!editor) throw new Error(`sheet not added: ${name}`);
    return editor;
  }

  /** The editor of a worksheet, or null when there is no worksheet of that name. */
  async sheet(name: string): Promise<SheetEditor | null> {
    const open = this.editors.find((e) => e.name === name);
    if (open) return open;
    const entry = this.sheets.find((s) => s.name === name);
    if (!entry) return null;
    const xml = await this.read(entry.part);
    if (xml === null) return null;
    const rels = new Relationships(entry.part, await this.read(relsPathOf(entry.part)));
    const editor = new SheetEditor(
      this,
      name,
      entry.part,
      xml,
      rels,
      await SheetNotes.load(this, entry.part, rels),
      await this.styles(),
      await this.strings(),
    );
    this.editors.push(editor);
    return editor;
  }

  private async styles(): Promise<CellStyles> {
    if (this.styleSheet) return this.styleSheet;
    this.stylesPart = this.workbookRels.find(REL.styles)?.part ?? null;
    const xml = this.stylesPart ? await this.read(this.stylesPart) : null;
    this.styleSheet = new CellStyles(xml ?? DEFAULT_STYLESHEET);
    return this.styleSheet;
  }

  private async strings(): Promise<(index: number) => string> {
    if (!this.sharedStrings) {
      const part = this.workbookRels.find(REL.sharedStrings)?.part;
      const xml = (part && (await this.read(part))) || '<sst/>';
      this.sharedStrings = { xml, items: [...children(xml, rootElement(xml))] };
    }
    const sst = this.sharedStrings;
    return (index) => (sst.items[index] ? richText(sst.xml, sst.items[index]) : '');
  }

  /** The edited package as the bytes of a new .xlsx file. */
  async save(): Promise<Uint8Array> {
    for (const editor of this.editors) await editor.flush();
    if (this.styleSheet?.changed) {
      if (!this.stylesPart) {
        this.stylesPart = this.freeName(`${this.workbookPart.slice(0, this.workbookPart.lastIndexOf('/') + 1)}styles`, '.xml', true);
        this.workbookRels.add(REL.styles, this.stylesPart);
        this.contentTypes.ensure(this.stylesPart, CONTENT_TYPE.styles);
      }
      this.write(this.stylesPart, this.styleSheet.text());
    }
    if (this.calcChainStale) this.dropCalcChain();
    if (this.workbookRels.changed) this.write(relsPathOf(this.workbookPart), this.workbookRels.text());
    if (this.contentTypes.changed) this.write('[Content_Types].xml', this.contentTypes.text());
    for (const name of this.dirty) {
      const text = this.texts.get(name) ?? '';
      this.zip.file(name, this.withBom.has(name) ? `\ufeff${text}` : text);
    }
    // Parts left alone keep their compressed bytes: JSZip copies them without recompressing.
    return this.zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } });
  }

  /**
   * The calculation chain is only a cache of formula cells: without it Excel rebuilds it, but with a
   * cell that no longer holds a formula in it, Excel reports the file as damaged.
   */
  private dropCalcChain(): void {
    const rel = this.workbookRels.find(REL.calcChain);
    if (!rel?.part) return;
    this.zip.remove(this.stored(rel.part));
    this.contentTypes.removeOverride(rel.part);
    this.workbookRels.remove(rel.id);
  }
}

interface RowLoc {
  r: number;
  start: number;
  end: number;
}

/** A row being edited: its start tag, its cells in column order, and anything else it held. */
interface RowEdit {
  open: string;
  cells: { col: number; xml: string }[];
  rest: string;
}

interface Area {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

function areaOf(range: string): Area {
  const [from, to = from] = range.split(':');
  const a = parseRef(from);
  const b = parseRef(to);
  return { top: a.row, left: a.col, bottom: b.row, right: b.col };
}

const inArea = (a: Area, row: number, col: number) => row >= a.top && row <= a.bottom && col >= a.left && col <= a.right;

/** One worksheet of a package: reads cells and notes, and records edits written on save. */
export class SheetEditor {
  private readonly prefix: string;
  private rows: Map<number, RowLoc> | null = null;
  /** Rows read so far, parsed; `edited` are the ones to write back. */
  private readonly parsed = new Map<number, RowEdit>();
  private readonly edited = new Set<number>();
  private readonly created: { row: number; col: number }[] = [];
  private arrays: Area[] | null = null;
  private columnStyles: { min: number; max: number; style: number }[] | null = null;
  /** The part's text as read. */
  private readonly original: string;

  constructor(
    private readonly pkg: XlsxPackage,
    readonly name: string,
    private readonly part: string,
    private xml: string,
    private readonly rels: Relationships,
    private readonly notes: SheetNotes,
    private readonly styles: CellStyles,
    private readonly sharedString: (index: number) => string,
  ) {
    this.prefix = prefixOf(rootElement(xml).tag.name);
    this.original = xml;
  }

  private q(local: string): string {
    return qualify(this.prefix, local);
  }

  /** The cell at an A1 reference as the sheet holds it now (edits included). */
  cell(ref: string): CellInfo {
    const { row, col } = parseRef(ref);
    const xml = this.cellXml(row, col);
    return xml ? this.info(xml) : BLANK;
  }

  /**
   * Writes a value or a formula into a cell, keeping its format. Refuses (throws) to overwrite a
   * shared formula's master cell or any cell of an array formula, which would break other cells.
   */
  setCell(ref: string, content: CellContent): void {
    const { row, col } = parseRef(ref);
    const old = this.cellXml(row, col);
    if (this.inArrayFormula(row, col)) throw new Error(`${ref} is part of an array formula`);
    let kept = '';
    let style = this.baseStyle(row, col);
    if (old) {
      const el = rootElement(old);
      const f = child(old, el, 'f');
      if (f && attr(f.tag.attrs, 't') === 'shared' && attr(f.tag.attrs, 'ref'))
        throw new Error(`${ref} is the master cell of a shared formula`);
      if (f && !('formula' in content)) this.pkg.calcChainStale = true;
      const attrs = attributes(el.tag.attrs);
      style = Number(attrs.s ?? 0);
      // A new value drops its old type and metadata (cm: formula metadata, vm: value metadata).
      for (const [k, v] of Object.entries(attrs)) if (!['r', 's', 't', 'cm', 'vm'].includes(k)) kept += ` ${k}="${escapeXml(v)}"`;
    }
    const s = style ? ` s="${style}"` : '';
    const c = this.q('c');
    const v = (text: string) => `<${this.q('v')}>${text}</${this.q('v')}>`;
    let body: string;
    let type = '';
    if ('number' in content) body = v(numberText(content.number));
    else if ('string' in content) {
      // An inline string leaves the shared string table (and every index into it) as it was.
      type = ' t="inlineStr"';
      body = `<${this.q('is')}><${this.q('t')} xml:space="preserve">${escapeXstring(content.string)}</${this.q('t')}></${this.q('is')}>`;
    } else {
      const cached = content.cached;
      if (typeof cached === 'string') type = ' t="str"';
      else if (typeof cached === 'boolean') type = ' t="b"';
      const value =
        cached === null
          ? ''
          : v(typeof cached === 'number' ? numberText(cached) : typeof cached === 'boolean' ? (cached ? '1' : '0') : escapeXstring(cached));
      body = `<${this.q('f')}>${escapeXml(content.formula.replace(/^=/, ''))}</${this.q('f')}>${value}`;
    }
    this.putCell(row, col, `<${c} r="${a1(row, col)}"${s}${type}${kept}>${body}</${c}>`);
  }

  /** Gives a cell a solid background of colour `argb` ("FFF4C7C3"), keeping the rest of its format. */
  setFill(ref: string, argb: string): void {
    const { row, col } = parseRef(ref);
    const old = this.cellXml(row, col);
    const style = old ? this.info(old).style : this.baseStyle(row, col);
    const s = String(this.styles.withFill(style, argb));
    if (!old) this.putCell(row, col, `<${this.q('c')} r="${a1(row, col)}" s="${s}"/>`);
    else {
      const el = rootElement(old);
      this.putCell(row, col, withAttr(old.slice(0, el.tag.end), 's', s) + old.slice(el.tag.end));
    }
  }

  /** The text of the cell's note, or null when it has none. */
  note(ref: string): string | null {
    const { row, col } = parseRef(ref);
    return this.notes.get(a1(row, col));
  }

  /** Gives the cell a note with this text, replacing the note it has (callers decide whose note may be replaced). */
  setNote(ref: string, text: string): void {
    const { row, col } = parseRef(ref);
    this.notes.set(a1(row, col), text);
  }

  /** Writes the edits into the package's parts. */
  async flush(): Promise<void> {
    if (this.edited.size) this.writeRows();
    this.xml = await this.notes.flush(this.xml);
    // Compared with the text as read: elements inserted or replaced have already moved it.
    if (this.xml !== this.original) this.pkg.write(this.part, this.xml);
    if (this.rels.changed) this.pkg.write(relsPathOf(this.part), this.rels.text());
  }

  /**
   * Inserts a child element of the worksheet (conditionalFormatting, dataValidations…) at its
   * schema place (see WORKSHEET_ORDER in parts.ts).
   */
  insert(local: string, elementXml: string): void {
    this.moveText(() => insertChild(this.xml, rootElement(this.xml), local, elementXml, WORKSHEET_ORDER));
  }

  /** The text of each child element of the worksheet with this local name, in document order. */
  elements(local: string): string[] {
    return [...children(this.xml, rootElement(this.xml))]
      .filter((el) => localName(el.tag.name) === local)
      .map((el) => this.xml.slice(el.tag.start, el.end));
  }

  /**
   * Replaces the worksheet's children with this local name by `elementsXml` (in that order, at the
   * place of the first one, or at the schema place when there was none). Nothing changes when they
   * are the same text.
   */
  replaceElements(local: string, elementsXml: readonly string[]): void {
    const old = this.elements(local);
    if (old.length === elementsXml.length && old.every((x, i) => x === elementsXml[i])) return;
    this.moveText(() => {
      const found = [...children(this.xml, rootElement(this.xml))].filter((el) => localName(el.tag.name) === local);
      let xml = this.xml;
      for (const el of [...found].reverse()) xml = splice(xml, el.tag.start, el.end, '');
      return elementsXml.length ? insertChild(xml, rootElement(xml), local, elementsXml.join(''), WORKSHEET_ORDER) : xml;
    });
  }

  /** The name of an element of this worksheet's namespace, with the prefix the part uses ("c" or "x:c"). */
  qualified(local: string): string {
    return this.q(local);
  }

  /** The index of a differential format (for a conditional format) with a solid fill of colour `argb`. */
  fillFormat(argb: string): number {
    return this.styles.dxfFill(argb);
  }

  /** Whether a value or formula can be written into the cell: not in an array formula, not a shared formula's master. */
  writable(ref: string): boolean {
    const { row, col } = parseRef(ref);
    if (this.inArrayFormula(row, col)) return false;
    const old = this.cellXml(row, col);
    const f = old ? child(old, rootElement(old), 'f') : null;
    return !(f && attr(f.tag.attrs, 't') === 'shared' && attr(f.tag.attrs, 'ref'));
  }

  /** Applies an edit of the whole text: cell edits are located by their offsets, so they are written first. */
  private moveText(edit: () => string): void {
    if (this.edited.size) this.writeRows();
    this.xml = edit();
    this.rows = null;
    this.parsed.clear();
    this.columnStyles = null;
  }

  // ---- rows and cells -------------------------------------------------------------------------

  private sheetData(): Element {
    const el = child(this.xml, rootElement(this.xml), 'sheetData');
    if (!el) throw new CliError(`Trang "${this.name}" không có vùng dữ liệu (sheetData).`);
    return el;
  }

  private rowIndex(): Map<number, RowLoc> {
    if (this.rows) return this.rows;
    this.rows = new Map();
    let r = 0;
    for (const el of children(this.xml, this.sheetData())) {
      if (localName(el.tag.name) !== 'row') continue;
      r = Number(attr(el.tag.attrs, 'r') ?? r + 1);
      this.rows.set(r, { r, start: el.tag.start, end: el.end });
    }
    return this.rows;
  }

  /** A row's start tag and cells, parsed once (a new empty row when the sheet has none there). */
  private row(row: number): RowEdit {
    const known = this.parsed.get(row);
    if (known) return known;
    const loc = this.rowIndex().get(row);
    const edit: RowEdit = { open: `<${this.q('row')} r="${row}">`, cells: [], rest: '' };
    if (loc) {
      const text = this.xml.slice(loc.start, loc.end);
      const el = rootElement(text);
      edit.open = text.slice(0, el.tag.end).replace(/\s*\/>$/, '>');
      let col = -1;
      for (const c of children(text, el)) {
        const raw = text.slice(c.tag.start, c.end);
        if (localName(c.tag.name) !== 'c') edit.rest += raw;
        else {
          // A cell without a reference follows the one before it.
          const r = attr(c.tag.attrs, 'r');
          col = r ? parseRef(r).col : col + 1;
          edit.cells.push({ col, xml: raw });
        }
      }
    }
    this.parsed.set(row, edit);
    return edit;
  }

  private cellXml(row: number, col: number): string | null {
    if (!this.parsed.has(row) && !this.rowIndex().has(row)) return null;
    return this.row(row).cells.find((c) => c.col === col)?.xml ?? null;
  }

  private putCell(row: number, col: number, xml: string): void {
    const edit = this.row(row);
    this.edited.add(row);
    const at = edit.cells.findIndex((c) => c.col >= col);
    if (at >= 0 && edit.cells[at].col === col) edit.cells[at].xml = xml;
    else {
      edit.cells.splice(at < 0 ? edit.cells.length : at, 0, { col, xml });
      this.created.push({ row, col });
    }
  }

  private info(xml: string): CellInfo {
    const el = rootElement(xml);
    const t = attr(el.tag.attrs, 't') ?? 'n';
    const style = Number(attr(el.tag.attrs, 's') ?? 0);
    const parts = [...children(xml, el)];
    const part = (local: string) => parts.find((p) => localName(p.tag.name) === local);
    const f = part('f');
    const v = part('v');
    const raw = v ? unescapeXml(xml.slice(v.innerStart, v.innerEnd)) : null;
    const is = part('is');
    const base = { formula: !!f, style };
    if (t === 'inlineStr') return { ...base, type: 'string', value: is ? richText(xml, is) : '' };
    if (raw === null) return { ...base, type: 'blank', value: null };
    if (t === 's') return { ...base, type: 'string', value: this.sharedString(Number(raw)) };
    if (t === 'str' || t === 'd') return { ...base, type: 'string', value: decodeXstring(raw) };
    if (t === 'b') return { ...base, type: 'boolean', value: raw.trim() === '1' || raw.trim() === 'true' };
    if (t === 'e') return { ...base, type: 'error', value: raw };
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? { ...base, type: 'number', value: n } : { ...base, type: 'blank', value: null };
  }

  /** The format a new cell would show: its row's when the row has one, else its column's. */
  private baseStyle(row: number, col: number): number {
    const rowTag = this.parsed.get(row)?.open ?? (this.rowIndex().has(row) ? this.row(row).open : '');
    const rowAttrs = rowTag ? (tags(rowTag).next().value?.attrs ?? '') : '';
    if (['1', 'true'].includes(attr(rowAttrs, 'customFormat') ?? '')) return Number(attr(rowAttrs, 's') ?? 0);
    if (!this.columnStyles) {
      const lists = [...children(this.xml, rootElement(this.xml))].filter((e) => localName(e.tag.name) === 'cols');
      this.columnStyles = lists.flatMap((list) =>
        [...children(this.xml, list)].map((c) => ({
          min: Number(attr(c.tag.attrs, 'min')),
          max: Number(attr(c.tag.attrs, 'max')),
          style: Number(attr(c.tag.attrs, 'style') ?? 0),
        })),
      );
    }
    return this.columnStyles.find((c) => col + 1 >= c.min && col + 1 <= c.max)?.style ?? 0;
  }

  private inArrayFormula(row: number, col: number): boolean {
    if (!this.arrays) {
      this.arrays = [];
      const re = new RegExp(`<${this.q('f')}\\s[^>]*>`, 'g');
      for (const m of this.xml.matchAll(re)) {
        const t = attr(m[0], 't');
        const ref = attr(m[0], 'ref');
        if ((t === 'array' || t === 'dataTable') && ref) this.arrays.push(areaOf(ref));
      }
    }
    return this.arrays.some((a) => inArea(a, row, col));
  }

  /** Rewrites sheetData with the edited rows (and new ones in row order); other rows stay as they were. */
  private writeRows(): void {
    const data = this.sheetData();
    const index = this.rowIndex();
    const fresh = [...this.edited].filter((r) => !index.has(r)).sort((a, b) => a - b);
    const out: string[] = [];
    let cursor = data.innerStart;
    for (const loc of [...index.values()].sort((a, b) => a.start - b.start)) {
      while (fresh.length && fresh[0] < loc.r) out.push(this.rowText(fresh.shift() as number));
      out.push(this.xml.slice(cursor, loc.start), this.edited.has(loc.r) ? this.rowText(loc.r) : this.xml.slice(loc.start, loc.end));
      cursor = loc.end;
    }
    out.push(this.xml.slice(cursor, data.innerEnd));
    for (const r of fresh) out.push(this.rowText(r));
    const open = this.xml.slice(data.tag.start, data.tag.end).replace(/\s*\/>$/, '>');
    this.xml = splice(this.xml, data.tag.start, data.end, `${open}${out.join('')}</${data.tag.name}>`);
    this.extendDimension();
    this.rows = null;
    this.parsed.clear();
    this.edited.clear();
  }

  private rowText(row: number): string {
    const edit = this.row(row);
    let open = edit.open;
    const spans = attr(open, 'spans');
    if (spans && edit.cells.length) {
      const bounds = spans.split(/[\s:]+/).map(Number);
      const lo = Math.min(...bounds, edit.cells[0].col + 1);
      const hi = Math.max(...bounds, edit.cells[edit.cells.length - 1].col + 1);
      if (lo !== Math.min(...bounds) || hi !== Math.max(...bounds)) open = withAttr(open, 'spans', `${lo}:${hi}`);
    }
    return `${open}${edit.cells.map((c) => c.xml).join('')}${edit.rest}</${this.q('row')}>`;
  }

  /** Widens the sheet's recorded used range to the cells created. */
  private extendDimension(): void {
    const dim = child(this.xml, rootElement(this.xml), 'dimension');
    const ref = dim && attr(dim.tag.attrs, 'ref');
    if (!dim || !ref || !this.created.length) return;
    let area: Area;
    try {
      area = areaOf(ref);
    } catch {
      return;
    }
    for (const { row, col } of this.created) {
      area = {
        top: Math.min(area.top, row),
        left: Math.min(area.left, col),
        bottom: Math.max(area.bottom, row),
        right: Math.max(area.right, col),
      };
    }
    const text = `${a1(area.top, area.left)}:${a1(area.bottom, area.right)}`;
    if (text !== ref)
      this.xml = splice(this.xml, dim.tag.start, dim.tag.end, withAttr(this.xml.slice(dim.tag.start, dim.tag.end), 'ref', text));
  }
}

/** A number as a cell value: the shortest text that reads back as the same double. */
function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return String(n);
}
