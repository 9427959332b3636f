/** Loads the built dist/Code.js into a bare vm context wired to the in-memory Apps Script stand-ins. */
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { exampleSettings, unitGrid } from '../../scripts/make-example';
import { UNITS } from '../../scripts/example-data';
import { settingsGrid } from '../../src/core/settings/settings';
import { ENTRY_NAMES } from '../../src/gas/entry-names';
import { createFakeEnv, sheetValues, type AccountSpec, type FakeEnv, type FakeEnvOptions, type RunAs } from '../../dev/gas-emulator/index';

export type Addon = Record<string, (...args: unknown[]) => unknown>;

/**
 * Accounts the add-on tests can be run as, besides the owner (the first office account): a second account of the
 * office, in the same Workspace domain, and a unit's consumer Google account made with its official address.
 */
export const TEST_ACCOUNTS = {
  office2: { email: 'vanphong.phuocchanh@gialai.gov.vn', spec: {} },
  unit: { email: 'congan.phuocchanh@gialai.gov.vn', spec: { consumer: true } },
} as const satisfies Record<string, { email: string; spec: AccountSpec }>;

export type TestAccount = keyof typeof TEST_ACCOUNTS;

export interface AddonOptions {
  /**
   * Run the tests as this account instead of the owner: it is at the keyboard, and every entry point runs the way
   * Apps Script runs it (see asAppsScript). Default: the GAS_TEST_ACCOUNT environment variable (office2 or unit),
   * else none — every call then runs as before, as the person at the keyboard with full authorization.
   */
  account?: TestAccount | null;
  /** The script to load: default dist/Code.js (the clasp edition); dist-onefile/Code.gs is the one-file edition. */
  file?: string;
}

function accountFromEnvironment(): TestAccount | null {
  const name = process.env.GAS_TEST_ACCOUNT;
  if (!name) return null;
  if (!(name in TEST_ACCOUNTS)) throw new Error(`GAS_TEST_ACCOUNT=${name}: expected one of ${Object.keys(TEST_ACCOUNTS).join(', ')}`);
  return name as TestAccount;
}

/**
 * For tests that call the server functions in-process (no vm): put the GAS_TEST_ACCOUNT account, if any, at the
 * keyboard. Those calls are sidebar calls, which run as the person at the keyboard. Returns the account used.
 */
export function applyTestAccount(env: FakeEnv): string | null {
  const account = accountFromEnvironment();
  if (!account) return null;
  const { email, spec } = TEST_ACCOUNTS[account];
  env.setActiveUser(email, spec);
  return email;
}

const codeOf = new Map<string, string>();

/**
 * A context holding only the Apps Script services: the script gets its own JavaScript built-ins,
 * and no require, module, process or timers, as in Apps Script.
 */
export function loadAddon(env: FakeEnv, options: AddonOptions = {}): Addon {
  const file = options.file ?? 'dist/Code.js';
  const code = codeOf.get(file) ?? readFileSync(file, 'utf8');
  codeOf.set(file, code);
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
  vm.runInContext(code, context, { filename: file });
  const account = options.account === undefined ? accountFromEnvironment() : options.account;
  if (!account) return context as unknown as Addon;
  const { email, spec } = TEST_ACCOUNTS[account];
  env.setActiveUser(email, spec);
  return asAppsScript(env, context as unknown as Addon, email);
}

/** The entry points Apps Script calls as triggers; the others are menu items and sidebar calls. */
const TRIGGERED: Partial<Record<string, 'simple' | 'installable-edit' | 'time-driven'>> = {
  onOpen: 'simple',
  onEdit: 'simple',
  onEditInstalled: 'installable-edit',
  dailyTick: 'time-driven',
};

/**
 * The add-on whose entry points run as Apps Script runs them: a simple trigger as the person at the keyboard
 * without authorised services, an installable trigger as the account that installed it (the first trigger of that
 * handler, else `installer`: the test calls a handler whose trigger it assumes), a menu item or a sidebar call as
 * the person at the keyboard.
 */
function asAppsScript(env: FakeEnv, addon: Addon, installer: string): Addon {
  const entries = new Set<string>(ENTRY_NAMES);
  const runFor = (name: string): RunAs => {
    const kind = TRIGGERED[name];
    if (!kind) return { kind: 'editor' };
    if (kind === 'simple') return { kind };
    const trigger = env.triggers().find((t) => t.handlerFunction === name);
    return { kind, installer: trigger?.owner ?? installer, triggerUid: trigger?.uniqueId };
  };
  return new Proxy(addon, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof prop !== 'string' || typeof value !== 'function' || !entries.has(prop)) return value;
      return (...args: unknown[]) => env.run(runFor(prop), () => value.apply(target, args));
    },
  });
}

/** The example workbook of Phước Chánh as fake sheets: Cấu hình plus the five unit sheets. */
export function exampleSheets(): Record<string, unknown[][]> {
  const settings = exampleSettings();
  const sheets: Record<string, unknown[][]> = { 'Cấu hình': settingsGrid(settings) };
  for (const unit of UNITS) sheets[unit.sheet] = unitGrid(unit, settings);
  return sheets;
}

export function exampleEnv(opts: FakeEnvOptions = {}, addonOptions: AddonOptions = {}): { env: FakeEnv; addon: Addon } {
  const env = createFakeEnv({
    sheets: exampleSheets(),
    htmlFiles: { sidebar: readFileSync('dist/sidebar.html', 'utf8') },
    owner: 'vhxh.phuocchanh@gialai.gov.vn',
    now: new Date('2026-11-23T01:00:00Z'),
    ...opts,
  });
  return { env, addon: loadAddon(env, addonOptions) };
}

/** Types a value into the settings sheet beside its label (column B), as the office would. */
export function setSetting(env: FakeEnv, label: string, value: string): void {
  const r = sheetValues(env, 'Cấu hình').findIndex((x) => x[0] === label);
  if (r < 0) throw new Error(`no setting ${label}`);
  env.ss.seedValues('Cấu hình', [[value]], `B${r + 1}`);
}
