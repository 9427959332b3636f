/** Loads the built dist/Code.js into a bare vm context wired to the in-memory Apps Script stand-ins. */
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { exampleSettings, unitGrid } from '../../scripts/make-example';
import { UNITS } from '../../scripts/example-data';
import { settingsGrid } from '../../src/core/settings/settings';
import { createFakeEnv, type FakeEnv, type FakeEnvOptions } from '../../dev/gas-emulator/index';

export type Addon = Record<string, (...args: unknown[]) => unknown>;

let code: string | null = null;

/**
 * A context holding only the Apps Script services: the script gets its own JavaScript built-ins,
 * and no require, module, process or timers, as in Apps Script.
 */
export function loadAddon(env: FakeEnv): Addon {
  code ??= readFileSync('dist/Code.js', 'utf8');
  const sandbox: Record<string, unknown> = Object.fromEntries(
    Object.entries(env.globals).filter(([k]) => !(k in globalThis) || k === 'console'),
  );
  // `new Date()` in the script reads the fake clock, so tests can drive time.
  const clock = env.clock;
  class ClockDate extends Date {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(clock.now().getTime());
      else super(...(args as [string]));
    }
    static override now(): number {
      return clock.now().getTime();
    }
  }
  sandbox.Date = ClockDate;
  const context = vm.createContext(sandbox);
  vm.runInContext(code, context, { filename: 'Code.js' });
  return context as unknown as Addon;
}

/** The example workbook of Phước Chánh as fake sheets: Cấu hình plus the five unit sheets. */
export function exampleSheets(): Record<string, unknown[][]> {
  const settings = exampleSettings();
  const sheets: Record<string, unknown[][]> = { 'Cấu hình': settingsGrid(settings) };
  for (const unit of UNITS) sheets[unit.sheet] = unitGrid(unit, settings);
  return sheets;
}

export function exampleEnv(opts: FakeEnvOptions = {}): { env: FakeEnv; addon: Addon } {
  const env = createFakeEnv({
    sheets: exampleSheets(),
    htmlFiles: { sidebar: readFileSync('dist/sidebar.html', 'utf8') },
    owner: 'vhxh.phuocchanh@gialai.gov.vn',
    now: new Date('2026-11-23T01:00:00Z'),
    ...opts,
  });
  return { env, addon: loadAddon(env) };
}
