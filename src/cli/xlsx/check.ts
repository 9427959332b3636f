/**
 * A file checked before exceljs reads it. exceljs inflates every part into memory and expands
 * merged areas, data validations and defined names cell by cell, so a few kilobytes can ask it
 * for billions of cells. Here, without exceljs:
 *  - what the file really is: a password-protected workbook, an Excel 97-2003 file, an
 *    OpenDocument spreadsheet, or not a zip at all, each refused with its own message;
 *  - every part is inflated with a ceiling on its real size (a zip bomb stops at the ceiling);
 *  - the cells exceljs will create are counted: rows and cells as written, plus every cell of a
 *    merged area, a data validation, a defined name and a column definition. When those ranges
 *    alone pass the budget they are clipped to the part of the sheet within reach of its data
 *    (see reach.ts) in the copy exceljs reads, with a warning; a file still over the budget, or
 *    with a text longer than Excel allows in a cell, is refused.
 */
import { readFileSync, statSync } from 'node:fs';
import JSZip from 'jszip';
import { a1, columnLetter, parseA1Cell, thousands } from '../../core/engine/text';

import { CliError } from '../args';
import { reachOf } from './reach';
import { inflatedSize, inflateEntry, isZip, ZipFormatError, ZipTooLargeError, zipEntries } from './zip';

export const LIMITS = {
  /** The file as stored. */
  fileBytes: 100 * 1024 * 1024,
  entries: 10_000,
  /** Every part inflated, together (images included). */
  totalBytes: 200 * 1024 * 1024,
  /** The XML parts inflated, together: exceljs holds each as text, then parsed (about 8 bytes of memory a byte). */
  xmlBytes: 32 * 1024 * 1024,
  /** Cells, rows, columns and cells of ranges exceljs creates objects for (about 1 KB each). */
  objects: 200_000,
  /** Worksheets: a commune's workbook has a few dozen; exceljs and the scorer take a few milliseconds each. */
  sheets: 1_000,
  /** Excel's own limit on the characters of one cell. */
  cellChars: 32_767,
};

const MB = 1024 * 1024;

/** A count the Vietnamese way: 32.767 (the core's digit grouping). */
export const count = thousands;

export interface CheckedPackage {
  /** What exceljs should read: the file itself, or a copy with oversized ranges clipped. */
  bytes: Buffer;
  /** The file as it is on disk. */
  original: Buffer;
  /** True when `bytes` is a clipped copy. */
  rewritten: boolean;
  warnings: string[];
  /**
   * Per sheet name, the formula cells whose saved result is an empty text (=IF(…;"";…)): exceljs
   * reads them as formulas without a result.
   */
  emptyResults: Map<string, Set<string>>;
}

const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Names of the storages and streams in an OLE compound file's directory sectors. */
function compoundFileNames(bytes: Buffer): Set<string> {
  const names = new Set<string>();
  // Directory entries are 128 bytes, aligned on 128 from the first sector (offset 512 or 4096):
  // a UTF-16LE name (64 bytes), its length in bytes with the terminating zero, then the type.
  for (let at = 512; at + 128 <= bytes.length; at += 128) {
    const length = bytes.readUInt16LE(at + 64);
    const type = bytes[at + 66];
    if (length < 4 || length > 64 || length % 2 !== 0 || (type !== 1 && type !== 2 && type !== 5)) continue;
    if (bytes.readUInt16LE(at + length - 2) !== 0) continue;
    names.add(bytes.toString('utf16le', at, at + length - 2));
  }
  return names;
}

function refuseCompoundFile(file: string, bytes: Buffer): never {
  const names = compoundFileNames(bytes);
  if (names.has('EncryptionInfo') || names.has('EncryptedPackage')) {
    throw new CliError(
      `Tệp "${file}" là tệp có mật khẩu (đã mã hóa), không đọc được nội dung. Hãy mở tệp bằng Excel, gỡ mật khẩu (Tệp → Thông tin ` +
        `→ Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa mật khẩu), lưu lại rồi chạy lại.`,
    );
  }
  throw new CliError(
    `Tệp "${file}" là tệp Excel 97-2003 (.xls), không phải .xlsx. Hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại dưới dạng Excel ` +
      `(.xlsx) rồi chạy lại.`,
  );
}

/** exceljs keeps images as bytes and reads every other part as text. */
function isMedia(name: string): boolean {
  return name.startsWith('xl/media/');
}

/** The parts of the zip, inflated under what is left of the budgets. */
class Parts {
  private used = 0;
  private usedText = 0;
  constructor(
    private readonly file: string,
    private readonly bytes: Buffer,
    private readonly entries: ReturnType<typeof zipEntries>,
  ) {}

  names(): string[] {
    return this.entries.map((e) => e.name);
  }

  /**
   * Inflates every part once, to learn its real size whatever the headers say; keeps the text of
   * `keep` and counts the others as they stream by.
   */
  async inflateAll(keep: (name: string) => boolean): Promise<Map<string, string>> {
    const texts = new Map<string, string>();
    for (const entry of this.entries) {
      if (entry.name.endsWith('/')) continue;
      const media = isMedia(entry.name);
      const textLeft = media ? Number.POSITIVE_INFINITY : LIMITS.xmlBytes - this.usedText;
      const totalLeft = LIMITS.totalBytes - this.used;
      const ceiling = Math.min(textLeft, totalLeft);
      let size: number;
      try {
        if (keep(entry.name)) {
          const text = inflateEntry(this.bytes, entry, ceiling);
          texts.set(entry.name, text.toString('utf8'));
          size = text.length;
        } else size = await inflatedSize(this.bytes, entry, ceiling);
      } catch (err) {
        if (!(err instanceof ZipTooLargeError)) throw unreadable(this.file, (err as Error).message);
        const what = textLeft < totalLeft ? `có phần văn bản (XML) vượt ${LIMITS.xmlBytes / MB} MB` : `vượt ${LIMITS.totalBytes / MB} MB`;
        throw tooLarge(this.file, `khi giải nén ${what} (phần "${err.message}")`);
      }
      this.used += size;
      if (!media) this.usedText += size;
    }
    return texts;
  }

  text(name: string, ceiling: number): string | null {
    const entry = this.entries.find((e) => e.name === name);
    if (!entry) return null;
    try {
      return inflateEntry(this.bytes, entry, ceiling).toString('utf8');
    } catch {
      return null;
    }
  }
}

function unreadable(file: string, why: string): CliError {
  return new CliError(`Không đọc được tệp "${file}": tệp hỏng hoặc không phải định dạng .xlsx (${why}).`);
}

function tooLarge(file: string, what: string): CliError {
  return new CliError(
    `Tệp "${file}" ${what}: quá lớn đối với một biểu chấm điểm (có thể là tệp hỏng hoặc tệp cố tình gây quá tải). Không đọc tệp này.`,
  );
}

/** Reads the file and checks it; throws CliError with a Vietnamese message when it cannot be read. */
export async function checkPackage(file: string): Promise<CheckedPackage> {
  const size = statSync(file).size;
  if (size > LIMITS.fileBytes) throw tooLarge(file, `nặng ${Math.round(size / MB)} MB, vượt ${LIMITS.fileBytes / MB} MB`);
  const original = readFileSync(file);
  if (CFB_MAGIC.every((b, i) => original[i] === b)) refuseCompoundFile(file, original);

  let entries: ReturnType<typeof zipEntries> = [];
  if (isZip(original)) {
    try {
      entries = zipEntries(original);
    } catch (err) {
      if (!(err instanceof ZipFormatError)) throw err;
      throw unreadable(file, err.message);
    }
  }
  const parts = new Parts(file, original, entries);
  const mimetype = entries.length ? parts.text('mimetype', 200) : null;
  if (mimetype?.startsWith('application/vnd.oasis.opendocument')) {
    const kind = mimetype.trim() === 'application/vnd.oasis.opendocument.spreadsheet' ? 'bảng tính (.ods)' : `"${mimetype.trim()}"`;
    throw new CliError(
      `Tệp "${file}" là tệp OpenDocument ${kind} của LibreOffice/OpenOffice, không phải .xlsx. Hãy mở tệp bằng LibreOffice, chọn ` +
        `Tệp → Lưu thành… kiểu "Excel 2007-365 (.xlsx)" rồi chạy lại.`,
    );
  }
  if (!/\.xlsx$/i.test(file)) throw new CliError(`"${file}" không phải tệp .xlsx. Hãy lưu bảng tính dưới dạng Excel (.xlsx) rồi chạy lại.`);
  if (!isZip(original)) throw unreadable(file, 'không phải tệp nén ZIP');
  if (entries.length > LIMITS.entries) throw tooLarge(file, `có ${count(entries.length)} phần, vượt ${count(LIMITS.entries)} phần`);
  const names = parts.names();
  if (!names.includes('xl/workbook.xml')) {
    if (names.includes('xl/workbook.bin'))
      throw new CliError(
        `Tệp "${file}" là tệp Excel nhị phân (.xlsb), không phải .xlsx. Hãy mở tệp bằng Excel, lưu lại dưới dạng Excel ` +
          `(.xlsx) rồi chạy lại.`,
      );
    throw unreadable(file, 'không có phần xl/workbook.xml');
  }

  const keep = new Set(['xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml']);
  const texts = await parts.inflateAll((name) => keep.has(name) || isSheetPart(name));
  checkSharedStrings(file, texts.get('xl/sharedStrings.xml') ?? '');
  const { rewrites, warnings } = boundRanges(file, texts);
  const emptyResults = emptyTextResults(texts);
  if (rewrites.size === 0) return { bytes: original, original, rewritten: false, warnings, emptyResults };
  const zip = await JSZip.loadAsync(original);
  for (const [name, text] of rewrites) zip.file(name, text);
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
  return { bytes, original, rewritten: true, warnings, emptyResults };
}

/** A cell of type "str" that is not empty (`<c …/>`), with its content. */
const TEXT_FORMULA_CELL = /<(?:\w+:)?c\b([^>]*\bt="str"[^>]*?)(?<!\/)>([\s\S]*?)<\/(?:\w+:)?c>/g;
const EMPTY_VALUE = /<(?:\w+:)?v\s*\/>|<(?:\w+:)?v>\s*<\/(?:\w+:)?v>/;

/** The formula cells saved with an empty text as their result, by sheet name. */
function emptyTextResults(texts: Map<string, string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const parts = [...texts.keys()].filter(isSheetPart);
  const names = sheetNames(texts, parts);
  for (const part of parts) {
    const xml = texts.get(part) ?? '';
    if (!xml.includes('t="str"')) continue;
    const refs = new Set<string>();
    for (const m of xml.matchAll(TEXT_FORMULA_CELL)) {
      const ref = attr(m[1], 'r');
      if (ref && /<(?:\w+:)?f\b/.test(m[2]) && EMPTY_VALUE.test(m[2])) refs.add(ref);
    }
    if (refs.size) out.set(names.get(part) ?? part, refs);
  }
  return out;
}

function isSheetPart(name: string): boolean {
  return /^xl\/worksheets\/[^/]+\.xml$/.test(name);
}

/** Characters of an XML text once its entities and OOXML _xHHHH_ escapes are decoded. */
function xmlTextLength(text: string): number {
  return text.replace(/&(?:#\d+|#x[0-9a-f]+|[a-z]+);|_x[0-9a-f]{4}_/gi, '_').length;
}

function checkSharedStrings(file: string, xml: string): void {
  const item = /<(?:\w+:)?si\b[^>]*>([\s\S]*?)<\/(?:\w+:)?si>/g;
  const run = /<(?:\w+:)?t\b[^>]*>([^<]*)<\/(?:\w+:)?t>/g;
  let index = 0;
  for (let m = item.exec(xml); m; m = item.exec(xml), index++) {
    let length = 0;
    for (let t = run.exec(m[1]); t; t = run.exec(m[1])) length += xmlTextLength(t[1]);
    if (length > LIMITS.cellChars) {
      throw new CliError(
        `Tệp "${file}" có một chuỗi dài ${count(length)} ký tự (chuỗi thứ ${count(index + 1)} trong xl/sharedStrings.xml), vượt ` +
          `giới hạn ${count(LIMITS.cellChars)} ký tự một ô của Excel: tệp hỏng hoặc không do Excel tạo ra. Không đọc tệp này.`,
      );
    }
  }
}

interface Rect {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

const REF = /^\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?$/;

/** "B3", "$B$3:$D$9" or "D9:B3" as 1-based rows and columns; null when it is not one. */
function parseRect(ref: string): Rect | null {
  const text = ref.trim().toUpperCase();
  if (!REF.test(text)) return null;
  const [from, to = from] = text.split(':');
  const a = parseA1Cell(from);
  const b = parseA1Cell(to);
  return {
    top: Math.min(a.row, b.row),
    left: Math.min(a.col, b.col) + 1,
    bottom: Math.max(a.row, b.row),
    right: Math.max(a.col, b.col) + 1,
  };
}

function area(r: Rect): number {
  return (r.bottom - r.top + 1) * (r.right - r.left + 1);
}

function refArea(ref: string): number {
  const r = parseRect(ref);
  return r ? area(r) : 1;
}

function rectRef(r: Rect): string {
  const from = a1(r.top, r.left - 1);
  const to = a1(r.bottom, r.right - 1);
  return from === to ? from : `${from}:${to}`;
}

/** The part of `r` inside the box, or null when none is. */
function clip(r: Rect, box: { lastRow: number; lastCol: number }): Rect | null {
  if (r.top > box.lastRow || r.left > box.lastCol) return null;
  return { ...r, bottom: Math.min(r.bottom, box.lastRow), right: Math.min(r.right, box.lastCol) };
}

type Box = { lastRow: number; lastCol: number };

/** One worksheet part: what exceljs will create for it, and the same part with its ranges clipped. */
class SheetPart {
  readonly cells: number;
  readonly rows: number;
  readonly box: Box;
  constructor(readonly xml: string) {
    const refs: { row: number; col: number }[] = [];
    let cells = 0;
    for (const m of xml.matchAll(/<(?:\w+:)?c(?=[\s>/])[^>]*>/g)) {
      cells++;
      const r = /\br="([^"]*)"/.exec(m[0]);
      const rect = r ? parseRect(r[1]) : null;
      if (rect) refs.push({ row: rect.top, col: rect.left });
    }
    this.cells = cells;
    this.rows = (xml.match(/<(?:\w+:)?row(?=[\s>/])/g) ?? []).length;
    this.box = reachOf(refs);
  }

  /** Cells of merged areas and data validations, and columns defined (exceljs makes every column up to the last). */
  rangeCost(xml: string = this.xml): number {
    let cost = 0;
    for (const m of xml.matchAll(MERGE)) cost += refArea(m[1]);
    for (const m of xml.matchAll(VALIDATION)) for (const ref of m[2].split(/\s+/)) cost += refArea(ref);
    let columns = 0;
    for (const m of xml.matchAll(COLUMN)) columns = Math.max(columns, Number(attr(m[0], 'max')) || 0);
    return cost + columns;
  }

  /** The part with merges, validations and column definitions cut to the box; the first range cut. */
  clipped(): { xml: string; first: string | null } {
    let first: string | null = null;
    const note = (ref: string) => {
      first ??= ref;
    };
    const box = this.box;
    let xml = this.xml.replace(MERGE_ELEMENT, (element, ref: string) => {
      const r = parseRect(ref);
      if (!r || (r.bottom <= box.lastRow && r.right <= box.lastCol)) return element;
      note(ref);
      const kept = clip(r, box);
      return kept && area(kept) > 1 ? element.replace(ref, rectRef(kept)) : '';
    });
    xml = xml.replace(VALIDATION_ELEMENT, (element, open: string, sqref: string) => {
      const refs = sqref.split(/\s+/).filter(Boolean);
      const kept: string[] = [];
      for (const ref of refs) {
        const r = parseRect(ref);
        if (!r || (r.bottom <= box.lastRow && r.right <= box.lastCol)) kept.push(ref);
        else {
          note(ref);
          const c = clip(r, box);
          if (c) kept.push(rectRef(c));
        }
      }
      if (kept.length === 0) return '';
      return element.replace(open, open.replace(`sqref="${sqref}"`, `sqref="${kept.join(' ')}"`));
    });
    xml = xml.replace(COLUMN, (element) => {
      const min = Number(attr(element, 'min') ?? 1);
      const max = Number(attr(element, 'max') ?? min);
      if (max <= box.lastCol) return element;
      note(`${columnLetter(min - 1)}:${columnLetter(max - 1)}`);
      return min > box.lastCol ? '' : element.replace(/\bmax="\d+"/, `max="${box.lastCol}"`);
    });
    return { xml, first };
  }
}

const MERGE = /<(?:\w+:)?mergeCell\b[^>]*\bref="([^"]*)"/g;
const MERGE_ELEMENT = /<(?:\w+:)?mergeCell\b[^>]*\bref="([^"]*)"[^>]*>(?:\s*<\/(?:\w+:)?mergeCell>)?/g;
const VALIDATION = /(<(?:\w+:)?dataValidation\b[^>]*\bsqref="([^"]*)"[^>]*>)/g;
const VALIDATION_ELEMENT = /(<(?:\w+:)?dataValidation\b[^>]*\bsqref="([^"]*)"[^>]*?)(?:\/>|>[\s\S]*?<\/(?:\w+:)?dataValidation>)/g;
const COLUMN = /<(?:\w+:)?col\b[^>]*>/g;
const DEFINED_NAME = /(<(?:\w+:)?definedName\b[^>]*>)([^<]*)(<\/(?:\w+:)?definedName>)/g;
/** The ranges exceljs expands in a defined name: both corners with a row number. */
const NAME_RANGE = /\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)/g;

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(tag);
  return m ? m[1] : null;
}

function namesCost(xml: string): number {
  let cost = 0;
  for (const m of xml.matchAll(DEFINED_NAME)) for (const r of m[2].matchAll(NAME_RANGE)) cost += area(parseRect(r[0])!);
  return cost;
}

/** Defined names cut to the largest box of any sheet (a name does not say its sheet in a way worth parsing here). */
function clipNames(xml: string, box: Box): string {
  return xml.replace(DEFINED_NAME, (_, open: string, text: string, close: string) => {
    const clipped = text.replace(NAME_RANGE, (ref: string) => {
      const r = parseRect(ref)!;
      if (r.bottom <= box.lastRow && r.right <= box.lastCol) return ref;
      const kept = clip(r, box) ?? { top: r.top, left: r.left, bottom: r.top, right: r.left };
      const corner = (row: number, col: number) => `$${columnLetter(col - 1)}$${row}`;
      return `${corner(kept.top, kept.left)}:${corner(kept.bottom, kept.right)}`;
    });
    return open + clipped + close;
  });
}

/** Sheet names by part, from the workbook and its relationships (for messages). */
function sheetNames(texts: Map<string, string>, parts: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  const workbook = texts.get('xl/workbook.xml') ?? '';
  const rels = new Map<string, string>();
  for (const m of (texts.get('xl/_rels/workbook.xml.rels') ?? '').matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const id = attr(m[0], 'Id');
    const target = attr(m[0], 'Target');
    if (id && target) rels.set(id, target.replace(/^\/?(xl\/)?/, 'xl/'));
  }
  for (const m of workbook.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const name = attr(m[0], 'name');
    const id = /\br:id="([^"]*)"/.exec(m[0])?.[1];
    const part = id ? rels.get(id) : undefined;
    if (name && part) out.set(part, decodeXml(name));
  }
  for (const part of parts) if (!out.has(part)) out.set(part, part);
  return out;
}

function decodeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e] ?? '');
}

/** Counts what exceljs will create; clips oversized ranges or refuses the file. */
function boundRanges(file: string, texts: Map<string, string>): { rewrites: Map<string, string>; warnings: string[] } {
  const sheets = new Map<string, SheetPart>();
  for (const [name, xml] of texts) if (isSheetPart(name)) sheets.set(name, new SheetPart(xml));
  if (sheets.size > LIMITS.sheets) throw tooLarge(file, `có ${count(sheets.size)} trang tính, vượt giới hạn ${count(LIMITS.sheets)}`);
  let data = 0;
  let ranges = 0;
  for (const s of sheets.values()) {
    data += s.cells + s.rows;
    ranges += s.rangeCost();
  }
  const workbook = texts.get('xl/workbook.xml') ?? '';
  ranges += namesCost(workbook);
  if (data > LIMITS.objects) throw tooLarge(file, `có ${count(data)} ô và hàng, vượt giới hạn ${count(LIMITS.objects)}`);
  const rewrites = new Map<string, string>();
  const warnings: string[] = [];
  if (data + ranges <= LIMITS.objects) return { rewrites, warnings };

  const names = sheetNames(texts, sheets.keys());
  let clippedCost = 0;
  const widest: Box = { lastRow: 1, lastCol: 1 };
  for (const [part, s] of sheets) {
    widest.lastRow = Math.max(widest.lastRow, s.box.lastRow);
    widest.lastCol = Math.max(widest.lastCol, s.box.lastCol);
    const { xml, first } = s.clipped();
    clippedCost += s.rangeCost(xml);
    if (first === null) continue;
    rewrites.set(part, xml);
    const end = s.box.lastRow && s.box.lastCol ? a1(s.box.lastRow, s.box.lastCol - 1) : 'A1';
    warnings.push(
      `Trang "${names.get(part)}" có vùng gộp ô, kiểm tra dữ liệu hoặc định dạng cột rất lớn (${first}): chỉ xét phần nằm trong ` +
        `vùng có dữ liệu (đến ô ${end}).`,
    );
  }
  const clippedNames = clipNames(workbook, widest);
  clippedCost += namesCost(clippedNames);
  if (clippedNames !== workbook) {
    rewrites.set('xl/workbook.xml', clippedNames);
    warnings.push('Tệp có tên vùng (Defined Name) rất lớn: chỉ xét phần nằm trong vùng có dữ liệu.');
  }
  if (data + clippedCost > LIMITS.objects) {
    throw tooLarge(
      file,
      `có quá nhiều ô gộp, ô kiểm tra dữ liệu và tên vùng (${count(data + clippedCost)} ô, giới hạn ${count(LIMITS.objects)})`,
    );
  }
  return { rewrites, warnings };
}
