/** The command line's vocabulary: parsed arguments, the output channels and the command type. */

/** An error the user can fix (bad usage, unreadable file): printed as one line, exit code 2. */
export class CliError extends Error {}

export interface ParsedArgs {
  command: string;
  file: string;
  flags: Map<string, string | true>;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export type Command = (args: ParsedArgs, io: Io) => Promise<void>;

const VALUE_FLAGS = new Set(['--out', '--today', '--kind']);

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
