/**
 * Workbooks written by hand, part by part, so that no xlsx library decides what goes in: the
 * minimal package Excel accepts, cells as inline strings, numbers and formulas (with or without a
 * cached result), plus raw zips whose headers can lie. And LibreOffice, to write .ods and .xlsx.
 */
import { execFile, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createDeflateRaw, deflateRawSync } from 'node:zlib';
import JSZip from 'jszip';

export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function colName(col: number): string {
  let n = col;
  let out = '';
  while (n > 0) {
    out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** A formula, with the result the file caches (none: as openpyxl writes it). */
export interface FormulaCell {
  f: string;
  v?: number | string;
}
export type Cell = string | number | FormulaCell | null;

export function cellXml(ref: string, value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return `<c r="${ref}"><v>${value}</v></c>`;
  if (typeof value === 'string') return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlEscape(value)}</t></is></c>`;
  const type = typeof value.v === 'string' ? ' t="str"' : '';
  const cached = value.v === undefined ? '' : `<v>${xmlEscape(String(value.v))}</v>`;
  return `<c r="${ref}"${type}><f>${xmlEscape(value.f)}</f>${cached}</c>`;
}

/** <row> elements for a grid whose first row is sheet row `first`. */
export function rowsXml(rows: Cell[][], first = 1): string {
  return rows
    .map((cells, i) => {
      const r = first + i;
      const inner = cells.map((v, c) => cellXml(`${colName(c + 1)}${r}`, v)).join('');
      return inner ? `<row r="${r}">${inner}</row>` : '';
    })
    .join('');
}

export interface SheetSpec {
  name: string;
  rows?: Cell[][];
  /** Raw XML appended inside <sheetData> (rows far away, cells of other kinds). */
  extraRows?: string;
  /** Raw XML before <sheetData> (dimension, cols). */
  before?: string;
  /** Raw XML after <sheetData> (mergeCells, dataValidations). */
  after?: string;
}

export interface BookOptions {
  /** Raw <definedName> elements. */
  definedNames?: string;
  /** Shared strings, referenced from raw cells as <c t="s"><v>i</v></c>. */
  sharedStrings?: string[];
  /** docProps/app.xml's Application (openpyxl writes "Microsoft Excel"; some write their own name). */
  application?: string;
}

const NS = 'http://schemas.openxmlformats.org';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** The parts of a minimal .xlsx, by name. */
export function xlsxParts(sheets: SheetSpec[], options: BookOptions = {}): Record<string, string> {
  const parts: Record<string, string> = {};
  const overrides = [
    `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`,
    ...sheets.map(
      (_, i) =>
        `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    ),
  ];
  const rels = sheets.map(
    (_, i) =>
      `<Relationship Id="rId${i + 1}" Type="${NS}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
  );
  if (options.sharedStrings) {
    overrides.push(
      `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`,
    );
    rels.push(`<Relationship Id="rIdS" Type="${NS}/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`);
    const items = options.sharedStrings.map((s) => `<si><t xml:space="preserve">${xmlEscape(s)}</t></si>`).join('');
    parts['xl/sharedStrings.xml'] =
      `${XML}<sst xmlns="${NS}/spreadsheetml/2006/main" count="${options.sharedStrings.length}" uniqueCount="${options.sharedStrings.length}">${items}</sst>`;
  }
  const rootRels = [`<Relationship Id="rId1" Type="${NS}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>`];
  if (options.application) {
    overrides.push(
      `<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>`,
    );
    rootRels.push(`<Relationship Id="rId2" Type="${NS}/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>`);
    parts['docProps/app.xml'] =
      `${XML}<Properties xmlns="${NS}/officeDocument/2006/extended-properties"><Application>${xmlEscape(options.application)}</Application></Properties>`;
  }
  parts['[Content_Types].xml'] =
    `${XML}<Types xmlns="${NS}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${overrides.join('')}</Types>`;
  parts['_rels/.rels'] = `${XML}<Relationships xmlns="${NS}/package/2006/relationships">${rootRels.join('')}</Relationships>`;
  const sheetList = sheets.map((s, i) => `<sheet name="${xmlEscape(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  const names = options.definedNames ? `<definedNames>${options.definedNames}</definedNames>` : '';
  parts['xl/workbook.xml'] =
    `${XML}<workbook xmlns="${NS}/spreadsheetml/2006/main" xmlns:r="${NS}/officeDocument/2006/relationships"><sheets>${sheetList}</sheets>${names}</workbook>`;
  parts['xl/_rels/workbook.xml.rels'] = `${XML}<Relationships xmlns="${NS}/package/2006/relationships">${rels.join('')}</Relationships>`;
  sheets.forEach((s, i) => {
    parts[`xl/worksheets/sheet${i + 1}.xml`] =
      `${XML}<worksheet xmlns="${NS}/spreadsheetml/2006/main">${s.before ?? ''}<sheetData>${rowsXml(s.rows ?? [])}${s.extraRows ?? ''}</sheetData>${s.after ?? ''}</worksheet>`;
  });
  return parts;
}

export async function buildXlsx(sheets: SheetSpec[], options: BookOptions = {}): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, text] of Object.entries(xlsxParts(sheets, options))) zip.file(name, text);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** An entry of a zip written byte by byte: `data` as stored (already deflated when method is 8). */
export interface RawEntry {
  name: string;
  data: Buffer;
  method: 0 | 8;
  /** The uncompressed size the headers declare (a zip bomb may lie). */
  declaredSize: number;
}

export function deflatedEntry(name: string, text: string | Buffer): RawEntry {
  const data = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  return { name, data: deflateRawSync(data), method: 8, declaredSize: data.length };
}

/** A zip with the given entries (CRC left 0: neither the reader's guard nor exceljs checks it). */
export function rawZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** `bytes` zero bytes deflated, without holding them in memory. */
export async function deflatedZeros(bytes: number): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (c: Buffer) => chunks.push(c));
  const block = Buffer.alloc(1 << 20);
  for (let n = 0; n < bytes; n += block.length) {
    if (!deflate.write(block.subarray(0, Math.min(block.length, bytes - n)))) await once(deflate, 'drain');
  }
  deflate.end();
  await once(deflate, 'end');
  return Buffer.concat(chunks);
}

/**
 * An OLE compound file as Office writes a password-protected workbook (streams EncryptionInfo and
 * EncryptedPackage) or an Excel 97-2003 workbook (stream Workbook): the 512-byte header, a FAT
 * sector and one directory sector; stream contents do not matter to the reader.
 */
export function compoundFile(streams: string[]): Buffer {
  const sector = 512;
  const header = Buffer.alloc(sector);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x003e, 0x18); // minor version
  header.writeUInt16LE(0x0003, 0x1a); // major version 3: 512-byte sectors
  header.writeUInt16LE(0xfffe, 0x1c); // little-endian
  header.writeUInt16LE(9, 0x1e); // sector shift
  header.writeUInt16LE(6, 0x20); // mini sector shift
  header.writeUInt32LE(1, 0x2c); // one FAT sector
  header.writeUInt32LE(1, 0x30); // directory starts at sector 1
  header.writeUInt32LE(0x1000, 0x38); // mini stream cutoff
  header.writeInt32LE(-2, 0x3c); // no mini FAT
  header.writeInt32LE(-2, 0x44); // no DIFAT sectors
  header.writeUInt32LE(0, 0x4c); // FAT in sector 0
  for (let i = 1; i < 109; i++) header.writeInt32LE(-1, 0x4c + 4 * i);
  const fat = Buffer.alloc(sector, 0xff);
  fat.writeInt32LE(-3, 0); // sector 0: FAT
  fat.writeInt32LE(-2, 4); // sector 1: directory, end of chain
  const directory = Buffer.alloc(sector);
  ['Root Entry', ...streams].slice(0, 4).forEach((name, i) => {
    const at = i * 128;
    directory.write(name, at, 'utf16le');
    directory.writeUInt16LE((name.length + 1) * 2, at + 64);
    directory[at + 66] = i === 0 ? 5 : 2;
    directory.writeInt32LE(-1, at + 68);
    directory.writeInt32LE(-1, at + 72);
    directory.writeInt32LE(i === 0 && streams.length ? 1 : -1, at + 76);
    directory.writeInt32LE(-2, at + 116);
  });
  return Buffer.concat([header, fat, directory]);
}

/** LibreOffice's `soffice`, required like Chromium is for the browser tests. */
export function requireLibreOffice(): void {
  const probe = spawnSync('soffice', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'LibreOffice is missing (needed to write the .ods and LibreOffice .xlsx fixtures): run "sudo apt-get install -y libreoffice-calc-nogui".',
    );
  }
}

/**
 * Converts `file` with LibreOffice in the background (a throw-away profile, so runs in parallel do
 * not share one); resolves to the new file.
 */
export function convertWithLibreOffice(file: string, format: 'ods' | 'xlsx'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'chamdiem-lo-'));
  const args = [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', format, '--outdir', dir, file];
  return new Promise((resolve, reject) => {
    execFile('soffice', args, { timeout: 240_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`soffice --convert-to ${format} failed: ${stderr || err.message}`));
      else resolve(join(dir, `${basename(file).replace(/\.[^.]+$/, '')}.${format}`));
    });
  });
}
