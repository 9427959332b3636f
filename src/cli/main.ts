/**
 * The offline command line: runs the same core as the add-on on .xlsx files.
 *   score FILE.xlsx [--json] [--out OUT.xlsx]
 *   summary FILE.xlsx [--json] [--out OUT.xlsx]
 *   remind FILE.xlsx --today YYYY-MM-DD [--json]
 *   plan FILE.xlsx --out OUT.xlsx [--json]
 *   report FILE.xlsx --out OUT.docx [--kind result|progress|notice] [--today YYYY-MM-DD] [--json]
 *   notify FILE.xlsx [--today YYYY-MM-DD] [--json]
 * Exit codes: 0 when the file was read (findings or not), 2 for bad usage or an unreadable file,
 * 1 for an unexpected error (one line, never a stack trace).
 * Everything printed goes through terminal.ts: no control character from a sheet reaches the terminal.
 */
import { CliError, type Command, type Io, parseArgs } from './args';
import { remedyPlan } from './commands/remedy-plan';
import { notify } from './commands/notify';
import { remind } from './commands/remind';
import { report } from './commands/report';
import { score } from './commands/score';
import { summary } from './commands/summary';
import { jsonText, plainText } from './terminal';

export const COMMANDS: Record<string, Command> = { score, summary, remind, plan: remedyPlan, notify, report };

export const USAGE = `Cách dùng:
  npm run cli -- score TỆP.xlsx [--json] [--out KẾT-QUẢ.xlsx]     chấm điểm mọi biểu trong tệp
  npm run cli -- summary TỆP.xlsx [--json] [--out TỔNG-HỢP.xlsx]  bảng tổng hợp các đơn vị
  npm run cli -- remind TỆP.xlsx --today YYYY-MM-DD [--json]       email nhắc hạn sẽ gửi trong ngày (không gửi)
  npm run cli -- plan TỆP.xlsx --out KẾ-HOẠCH.xlsx [--json]          kế hoạch duy trì, khắc phục năm sau
  npm run cli -- notify TỆP.xlsx [--today YYYY-MM-DD] [--json]      email kết quả khi công bố (không gửi)
  npm run cli -- report TỆP.xlsx --out BÁO-CÁO.docx [--kind result|progress|notice] [--today YYYY-MM-DD]
                                          báo cáo kết quả (result), báo cáo tiến độ theo mốc (progress),
                                          thông báo kết quả cho từng đơn vị (notice)`;

/** The output channels with control characters dropped (plain text) or escaped (--json on stdout). */
function terminalIo(argv: readonly string[], io: Io): Io {
  const json = argv.includes('--json');
  return { out: (t) => io.out(json ? jsonText(t) : plainText(t)), err: (t) => io.err(plainText(t)) };
}

export async function run(argv: readonly string[], rawIo: Io): Promise<number> {
  const io = terminalIo(argv, rawIo);
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
  // Whatever escapes run() (an error thrown inside a library's stream) still ends as one line.
  const fail = (err: unknown) => {
    process.stderr.write(`${plainText(`Lỗi không mong đợi: ${err instanceof Error ? err.message : String(err)}`)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  run(process.argv.slice(2), { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) }).then((code) => {
    process.exitCode = code;
  });
}
