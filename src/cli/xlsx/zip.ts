/**
 * A zip package read by hand, only as far as the guards need: the central directory (names and
 * declared sizes, nothing inflated) and one entry inflated with a ceiling on its real size, so a
 * zip bomb stops at the ceiling whatever its headers claim.
 */
import { createInflateRaw, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; anything else is not something an .xlsx writer produces. */
  method: number;
  encrypted: boolean;
  compressedSize: number;
  /** As declared by the central directory (may lie: inflateEntry checks the real size). */
  uncompressedSize: number;
  localHeaderOffset: number;
}

/** The zip cannot be read: truncated, not a zip, or using a feature no .xlsx writer uses. */
export class ZipFormatError extends Error {}

/** The entry inflates to more than the ceiling it was given. */
export class ZipTooLargeError extends Error {}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32_MAX = 0xffffffff;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function findEndOfCentralDirectory(dv: DataView): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  const stop = Math.max(0, dv.byteLength - 22 - 0xffff);
  for (let at = dv.byteLength - 22; at >= stop; at--) if (dv.getUint32(at, true) === EOCD) return at;
  throw new ZipFormatError('không tìm thấy mục lục của tệp nén');
}

function bigToNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('kích thước không hợp lệ');
  return Number(value);
}

/** Every entry of the central directory, in order. Throws ZipFormatError on a damaged directory. */
export function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const dv = view(bytes);
  if (dv.byteLength < 22) throw new ZipFormatError('tệp quá ngắn');
  const eocd = findEndOfCentralDirectory(dv);
  let count = dv.getUint16(eocd + 10, true);
  let offset = dv.getUint32(eocd + 16, true);
  if ((count === 0xffff || offset === U32_MAX) && eocd >= 20 && dv.getUint32(eocd - 20, true) === EOCD64_LOCATOR) {
    const at = bigToNumber(dv.getBigUint64(eocd - 12, true));
    if (at + 56 > dv.byteLength || dv.getUint32(at, true) !== EOCD64) throw new ZipFormatError('mục lục ZIP64 hỏng');
    count = bigToNumber(dv.getBigUint64(at + 32, true));
    offset = bigToNumber(dv.getBigUint64(at + 48, true));
  }
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder('utf-8');
  for (let i = 0; i < count; i++) {
    if (offset + 46 > dv.byteLength || dv.getUint32(offset, true) !== CENTRAL) throw new ZipFormatError('mục lục của tệp nén bị hỏng');
    const nameLength = dv.getUint16(offset + 28, true);
    const extraLength = dv.getUint16(offset + 30, true);
    const commentLength = dv.getUint16(offset + 32, true);
    const end = offset + 46 + nameLength + extraLength + commentLength;
    if (end > dv.byteLength) throw new ZipFormatError('mục lục của tệp nén bị hỏng');
    const entry: ZipEntry = {
      name: decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength)),
      method: dv.getUint16(offset + 10, true),
      encrypted: (dv.getUint16(offset + 8, true) & 1) === 1,
      compressedSize: dv.getUint32(offset + 20, true),
      uncompressedSize: dv.getUint32(offset + 24, true),
      localHeaderOffset: dv.getUint32(offset + 42, true),
    };
    readZip64Extra(dv, offset + 46 + nameLength, extraLength, entry);
    entries.push(entry);
    offset = end;
  }
  return entries;
}

/** Sizes and offset of 0xFFFFFFFF live in the ZIP64 extra field, in this order when present. */
function readZip64Extra(dv: DataView, at: number, length: number, entry: ZipEntry): void {
  const fields = (['uncompressedSize', 'compressedSize', 'localHeaderOffset'] as const).filter((k) => entry[k] === U32_MAX);
  if (fields.length === 0) return;
  for (let p = at; p + 4 <= at + length; ) {
    const id = dv.getUint16(p, true);
    const size = dv.getUint16(p + 2, true);
    if (id === 0x0001) {
      fields.forEach((k, i) => {
        if (p + 4 + 8 * (i + 1) <= at + length) entry[k] = bigToNumber(dv.getBigUint64(p + 4 + 8 * i, true));
      });
      return;
    }
    p += 4 + size;
  }
}

/** The entry's stored bytes (still compressed when method is 8). */
function storedData(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const dv = view(bytes);
  const at = entry.localHeaderOffset;
  if (at + 30 > dv.byteLength || dv.getUint32(at, true) !== LOCAL) throw new ZipFormatError(`phần "${entry.name}" bị hỏng`);
  const start = at + 30 + dv.getUint16(at + 26, true) + dv.getUint16(at + 28, true);
  const end = start + entry.compressedSize;
  if (end > dv.byteLength) throw new ZipFormatError(`phần "${entry.name}" bị cắt cụt`);
  if (entry.encrypted) throw new ZipFormatError(`phần "${entry.name}" được mã hóa`);
  if (entry.method !== 0 && entry.method !== 8)
    throw new ZipFormatError(`phần "${entry.name}" dùng kiểu nén ${entry.method} không được hỗ trợ`);
  return bytes.subarray(start, end);
}

/**
 * The entry's real size once inflated, counted as it streams by without keeping it; throws
 * ZipTooLargeError past `ceiling` bytes, ZipFormatError when damaged.
 */
export async function inflatedSize(bytes: Uint8Array, entry: ZipEntry, ceiling: number): Promise<number> {
  const data = storedData(bytes, entry);
  if (entry.method === 0) {
    if (data.length > ceiling) throw new ZipTooLargeError(entry.name);
    return data.length;
  }
  const inflate = createInflateRaw();
  let size = 0;
  return new Promise((resolve, reject) => {
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > ceiling) {
        inflate.destroy();
        reject(new ZipTooLargeError(entry.name));
      }
    });
    inflate.on('error', (err) => reject(new ZipFormatError(`phần "${entry.name}" bị hỏng (${err.message})`)));
    inflate.on('end', () => resolve(size));
    inflate.end(data);
  });
}

/** The entry's bytes, inflated; throws ZipTooLargeError past `ceiling` bytes, ZipFormatError when damaged. */
export function inflateEntry(bytes: Uint8Array, entry: ZipEntry, ceiling: number): Buffer {
  const data = storedData(bytes, entry);
  if (entry.method === 0) {
    if (data.length > ceiling) throw new ZipTooLargeError(entry.name);
    return Buffer.from(data);
  }
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, ceiling) });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new ZipTooLargeError(entry.name);
    throw new ZipFormatError(`phần "${entry.name}" bị hỏng (${(err as Error).message})`);
  }
}
