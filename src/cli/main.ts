/**
 * The offline command line: runs the same core as the add-on on .xlsx files.
 *   score FILE.xlsx [--json] [--out OUT.xlsx]
 *   summary FILE.xlsx [--json] [--out OUT.xlsx]
 *   remind FILE.xlsx --today YYYY-MM-DD [--json]
 *   plan FILE.xlsx --out OUT.xlsx [--json]
 * Exit codes: 0 when the file was read (findings or not), 2 for bad usage or an unreadable file.
 */
import { scoreWorkbook, workbookJson, workbookText } from '../core/engine/workbook';
import { plan } from './plan';
import { remind } from './remind';
import { settingsOf } from './inputs';
import { summary } from './summary';
import { scoreOptionsOf } from '../core/settings/settings';
import { annotateSheet, CliError, readWorkbook, workbookInputs, writeWorkbook } from './xlsx';

export interface ParsedArgs {
  command: string;
  file: string;
  flags: Map<string, string | true>;
}

const VALUE_FLAGS = new Set(['--out', '--today']);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [command = '', ...rest] = argv;
  const flags = new Map<string, string | true>();
  let file = '';
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg.startsWith('--')) {
      if (VALUE_FLAGS.has(arg)) {
        const value = rest[i + 1];
        if (value === undefined || value.startsWith('--')) throw new CliError(`Thiếu giá trị sau ${arg}.`);
        flags.set(arg, value);
        i++;
      } else if (arg === '--json') flags.set(arg, true);
      else throw new CliError(`Không hiểu tùy chọn ${arg}.`);
    } else if (!file) file = arg;
    else throw new CliError(`Thừa tham số "${arg}".`);
  }
  return { command, file, flags };
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export type Command = (args: ParsedArgs, io: Io) => Promise<void>;

async function score(args: ParsedArgs, io: Io): Promise<void> {
  const wb = await readWorkbook(args.file);
  const inputs = workbookInputs(wb);
  // Thresholds and the bonus cap come from the workbook's own "Cấu hình" sheet when it has one.
  const parsed = settingsOf(inputs);
  if (parsed.found) for (const w of parsed.warnings) io.err(`Lưu ý (Cấu hình): ${w}`);
  const result = scoreWorkbook(inputs, scoreOptionsOf(parsed.settings));
  const out = args.flags.get('--out');
  if (typeof out === 'string') {
    for (const { name, result: r } of result.sheets) {
      const ws = wb.getWorksheet(name);
      if (ws) annotateSheet(ws, r);
    }
    await writeWorkbook(wb, out);
  }
  if (args.flags.has('--json')) io.out(JSON.stringify(workbookJson(args.file, result), null, 2));
  else {
    io.out(workbookText(args.file, result));
    if (typeof out === 'string') io.out(`\nĐã ghi bản có tổng điểm và ghi chú vào "${out}".`);
  }
}

export const COMMANDS: Record<string, Command> = { score, summary, remind, plan };

export const USAGE = `Cách dùng:
  npm run cli -- score TỆP.xlsx [--json] [--out KẾT-QUẢ.xlsx]     chấm điểm mọi biểu trong tệp
  npm run cli -- summary TỆP.xlsx [--json] [--out TỔNG-HỢP.xlsx]  bảng tổng hợp các đơn vị
  npm run cli -- remind TỆP.xlsx --today YYYY-MM-DD [--json]       email nhắc hạn sẽ gửi trong ngày (không gửi)
  npm run cli -- plan TỆP.xlsx --out KẾ-HOẠCH.xlsx [--json]          kế hoạch duy trì, khắc phục năm sau`;

export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    const args = parseArgs(argv);
    const command = COMMANDS[args.command];
    if (!command) {
      io.err(args.command ? `Không có lệnh "${args.command}".\n${USAGE}` : USAGE);
      return 2;
    }
    await command(args, io);
    return 0;
  } catch (err) {
    if (err instanceof CliError) {
      io.err(`Lỗi: ${err.message}`);
      return 2;
    }
    io.err(`Lỗi không mong đợi: ${(err as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  run(process.argv.slice(2), { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) }).then((code) => {
    process.exitCode = code;
  });
}
