/**
 * The offline command line: runs the same core as the add-on on .xlsx files.
 *   score FILE.xlsx [--json] [--out OUT.xlsx]
 *   summary FILE.xlsx [--json] [--out OUT.xlsx]
 *   remind FILE.xlsx --today YYYY-MM-DD [--json]
 *   plan FILE.xlsx --out OUT.xlsx [--json]
 * Exit codes: 0 when the file was read (findings or not), 2 for bad usage or an unreadable file.
 */
import { CliError, type Command, type Io, parseArgs } from './args';
import { remedyPlan } from './commands/remedy-plan';
import { remind } from './commands/remind';
import { score } from './commands/score';
import { summary } from './commands/summary';

export const COMMANDS: Record<string, Command> = { score, summary, remind, plan: remedyPlan };

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
