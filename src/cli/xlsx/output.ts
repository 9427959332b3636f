/** Output files of the offline commands: never the input file, and written whole or not at all. */
import { existsSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError } from '../args';

/** The real path of a file that may not exist yet (its folder's real path and its name). */
function realPath(file: string): string {
  const abs = resolve(file);
  if (existsSync(abs)) return realpathSync(abs);
  const dir = dirname(abs);
  return existsSync(dir) ? join(realpathSync(dir), basename(abs)) : abs;
}

/** Whether writing `out` would write over `input`: same path, a symlink or hard link to it, another spelling of it. */
export function isSameFile(input: string, out: string): boolean {
  if (realPath(input) === realPath(out)) return true;
  try {
    const a = statSync(input, { bigint: true });
    const b = statSync(out, { bigint: true });
    // Hard links, and names a case-insensitive file system reads as the same file.
    return a.ino !== 0n && a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}

/** Refuses (exit 2) an output file that is the input file under any name. */
export function refuseInputAsOutput(input: string, out: string): void {
  // A missing input is reported by the reader, with its own message.
  if (input && existsSync(input) && isSameFile(input, out))
    throw new CliError(`Tệp ghi ra "${out}" chính là tệp đầu vào "${input}": hãy chọn một tên tệp khác để bảng tính gốc được giữ nguyên.`);
}

/** Writes the file through a temporary file beside it, so a failure never leaves half a file. */
export function writeOutput(out: string, bytes: Uint8Array): void {
  const temp = join(dirname(resolve(out)), `.${basename(out)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, out);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // the temporary file was not created
    }
    throw new CliError(`Không ghi được tệp "${out}": ${(err as Error).message}`);
  }
}
