/**
 * The in-memory stand-in for the Apps Script services the add-on uses (see README.md).
 *
 *   const env = createFakeEnv({ sheets: { 'Chấm điểm': [['STT', 'Tiêu chí'], [1, 'A']] } });
 *   Object.assign(globalThis, env.globals);          // or vm.createContext(env.globals)
 *   ...run the code under test...
 *   expect(env.calls.count('Range.getValues')).toBe(1);
 *
 * Every method call the code makes on a service or on an object it got from one is recorded in
 * env.calls as `Class.method`. Test helpers (env.ss, sheetValues, makeEditEvent, …) work on the
 * raw objects and are never counted.
 */

import { cellA1, parseA1 } from './a1';
import {
  type AuthModeName,
  CallLog,
  type Ctx,
  type FakeClock,
  type LogEntry,
  UserImpl,
  createClock,
  expose,
  makeConsole,
  unwrap,
} from './core';
import { formatJavaPattern } from './dates';
import {
  Access,
  AuthMode,
  type DriveFileSpec,
  type DriveItem,
  DriveAppImpl,
  DriveState,
  LockHooks,
  LockServiceImpl,
  MailAppImpl,
  MailState,
  PropertiesServiceImpl,
  ScriptAppImpl,
  type SentMail,
  SessionImpl,
  type TriggerRecord,
  TriggerStore,
  UtilitiesImpl,
} from './services';
import {
  type CellState,
  type CellValue,
  ChartType,
  type SheetImpl,
  SpreadsheetAppImpl,
  SpreadsheetImpl,
  parseInput,
  writeInput,
} from './spreadsheet';
import { type SheetsService, createSheetsService } from './sheets-api';
import { HtmlServiceImpl, UiImpl, UiRecorder } from './ui';

export type { DriveFileSpec };

export interface FakeEnvOptions {
  /** Initial values per sheet, in order (literal values: strings are not parsed). Default: one empty `Sheet1`. */
  sheets?: Record<string, unknown[][]>;
  /** Spreadsheet owner (always an editor, always allowed through protections); also the first user. */
  owner?: string;
  /** Other editors of the file (the owner is one already). */
  editors?: string[];
  /** MailApp.getRemainingDailyQuota() at start (default 100). */
  mailQuota?: number;
  /** Files for HtmlService.createHtmlOutputFromFile, keyed `Sidebar` or `Sidebar.html`. */
  htmlFiles?: Record<string, string>;
  /** Items for DriveApp.getFileById / getFolderById; the spreadsheet itself is added automatically. */
  driveFiles?: Record<string, DriveFileSpec>;
  /** false: DriveApp calls fail as without the Drive scope (default true). */
  driveAuthorized?: boolean;
  /** Fake clock start (default: real time when the env is created, then frozen). */
  now?: Date;
  /** Name of the spreadsheet file as DriveApp reports it. */
  spreadsheetName?: string;
  /**
   * The Sheets advanced service enabled (appsscript.json `enabledAdvancedServices`): the `Sheets` global, over the same
   * spreadsheet (see sheets-api.ts). Default false: without it a script sees no `Sheets`, as in Apps Script.
   */
  sheetsApi?: boolean;
}

/** Typed access to the emulated globals (for tests written in TypeScript). */
interface GasGlobals {
  SpreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp;
  HtmlService: GoogleAppsScript.HTML.HtmlService;
  LockService: GoogleAppsScript.Lock.LockService;
  PropertiesService: GoogleAppsScript.Properties.PropertiesService;
  ScriptApp: GoogleAppsScript.Script.ScriptApp;
  MailApp: GoogleAppsScript.Mail.MailApp;
  Session: GoogleAppsScript.Base.Session;
  Utilities: GoogleAppsScript.Utilities.Utilities;
  DriveApp: GoogleAppsScript.Drive.DriveApp;
  Charts: Pick<GoogleAppsScript.Charts.Charts, 'ChartType'>;
  /** Only with `sheetsApi: true`. */
  Sheets?: SheetsService;
}

export interface FakeEnv {
  /** Everything a script sees as globals: emulated services + standard built-ins (no require/process/timers). */
  globals: Record<string, unknown>;
  /** Same services, typed. */
  gas: GasGlobals;
  calls: CallLog;
  ui: UiRecorder;
  mail: SentMail[];
  /** The spreadsheet, raw: calls on it are not counted, and its test helpers are visible. */
  ss: SpreadsheetImpl;
  clock: FakeClock;
  /** console.* output (recorded, not printed). */
  logs: LogEntry[];
  /** Simulate other executions holding locks. */
  locks: LockHooks;
  /** Installed triggers (plain records). */
  triggers(): TriggerRecord[];
  /** Change who is at the keyboard (also the user the script runs as); makes them a file editor. */
  setActiveUser(email: string): void;
  setAuthMode(mode: AuthModeName): void;
  setMailQuota(remaining: number): void;
  setDriveAuthorized(authorized: boolean): void;
  /** @internal */
  _ctx: Ctx;
}

const STANDARD_GLOBALS = {
  Date,
  Math,
  JSON,
  Intl,
  Object,
  Array,
  String,
  Number,
  Boolean,
  Symbol,
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  RegExp,
  Map,
  Set,
  WeakMap,
  WeakSet,
  Promise,
  BigInt,
  parseFloat,
  parseInt,
  isNaN,
  isFinite,
  encodeURIComponent,
  decodeURIComponent,
  encodeURI,
  decodeURI,
};

const TIME_ZONE = 'Asia/Ho_Chi_Minh';

function driveItem(spec: DriveFileSpec): DriveItem {
  const access = spec.access ?? 'PRIVATE';
  if (!(access in Access)) throw new Error(`[gas-emulator] unknown DriveApp.Access "${access}" for ${spec.name}`);
  return { name: spec.name, access: access as keyof typeof Access, mimeType: spec.mimeType ?? 'application/octet-stream' };
}

export function createFakeEnv(opts: FakeEnvOptions = {}): FakeEnv {
  const owner = opts.owner ?? 'owner@example.com';
  const calls = new CallLog();
  const ui = new UiRecorder();
  const ctx: Ctx = {
    calls,
    clock: createClock(opts.now ?? new Date()),
    user: owner,
    scriptTimeZone: TIME_ZONE,
    authMode: 'FULL',
    ui,
    logs: [],
  };

  const ss = new SpreadsheetImpl(ctx, {
    id: '1FakeSpreadsheetId_0123456789abcdefghijklmnop',
    timeZone: TIME_ZONE,
    owner,
    editors: opts.editors ?? [],
  });
  const sheets = opts.sheets ?? { Sheet1: [] };
  const names = Object.keys(sheets);
  if (!names.length) ss._addSheet('Sheet1');
  for (const name of names) ss._addSheet(name, undefined, sheets[name]);

  const mail: SentMail[] = [];
  const mailState = new MailState(opts.mailQuota ?? 100, mail);
  const items = new Map<string, DriveItem>();
  items.set(ss._id, driveItem({ name: opts.spreadsheetName ?? 'Fake spreadsheet', mimeType: 'application/vnd.google-apps.spreadsheet' }));
  for (const [id, f] of Object.entries(opts.driveFiles ?? {})) items.set(id, driveItem(f));
  const driveState = new DriveState(opts.driveAuthorized ?? true, items);
  const locks = new LockHooks();
  const triggerStore = new TriggerStore();

  const services = {
    SpreadsheetApp: new SpreadsheetAppImpl(ctx, ss, new UiImpl(ctx)),
    HtmlService: new HtmlServiceImpl(ctx, opts.htmlFiles ?? {}),
    LockService: new LockServiceImpl(ctx, locks),
    PropertiesService: new PropertiesServiceImpl(ctx, new Map()),
    ScriptApp: new ScriptAppImpl(ctx, triggerStore),
    MailApp: new MailAppImpl(ctx, mailState),
    Session: new SessionImpl(ctx),
    Utilities: new UtilitiesImpl(ctx),
    DriveApp: new DriveAppImpl(ctx, driveState),
  };
  const exposed = Object.fromEntries(Object.entries(services).map(([k, v]) => [k, expose(v)]));
  const globals: Record<string, unknown> = {
    ...STANDARD_GLOBALS,
    ...exposed,
    Charts: Object.freeze({ ChartType }),
    console: makeConsole(ctx),
  };
  if (opts.sheetsApi) globals.Sheets = createSheetsService(ctx, ss, services.SpreadsheetApp);

  return {
    globals,
    gas: globals as unknown as GasGlobals,
    calls,
    ui,
    mail,
    ss,
    clock: ctx.clock,
    logs: ctx.logs,
    locks,
    triggers: () => triggerStore.triggers.map((t) => ({ ...t })),
    setActiveUser(email) {
      ctx.user = email;
      ss._editors.add(email);
    },
    setAuthMode(mode) {
      ctx.authMode = mode;
    },
    setMailQuota(remaining) {
      mailState.remaining = remaining;
    },
    setDriveAuthorized(authorized) {
      driveState.authorized = authorized;
    },
    _ctx: ctx,
  };
}

/**
 * Copy env.globals onto globalThis (for code compiled into the jest process).
 * Returns a function restoring what was there before.
 */
export function installGlobals(
  env: FakeEnv,
  target: Record<string, unknown> = globalThis as unknown as Record<string, unknown>,
): () => void {
  const saved = new Map<string, PropertyDescriptor | undefined>();
  for (const k of Object.keys(env.globals)) {
    saved.set(k, Object.getOwnPropertyDescriptor(target, k));
    Object.defineProperty(target, k, { value: env.globals[k], configurable: true, writable: true, enumerable: false });
  }
  return () => {
    for (const [k, d] of saved) {
      if (d) Object.defineProperty(target, k, d);
      else delete target[k];
    }
  };
}

// ---------------------------------------------------------------------------
// Read-back helpers
// ---------------------------------------------------------------------------

/** Values from A1 to the last row/column with content (fresh copy); [] for an empty sheet. */
export function sheetValues(env: FakeEnv, name: string): CellValue[][] {
  const s = env.ss.sheet(name);
  const nr = s._lastRow();
  const nc = s._lastCol();
  if (!nr || !nc) return [];
  return s._range({ r: 1, c: 1, nr, nc }).getValues();
}

export function cellState(env: FakeEnv, name: string, a1: string): CellState {
  return env.ss.cellState(name, a1);
}

export function cellValue(env: FakeEnv, name: string, a1: string): CellValue {
  return cellState(env, name, a1).value;
}

export function cellNote(env: FakeEnv, name: string, a1: string): string {
  return cellState(env, name, a1).note;
}

export function cellBackground(env: FakeEnv, name: string, a1: string): string {
  return cellState(env, name, a1).background;
}

/**
 * The background one cell shows in the Sheets UI: its conditional-format rules applied (the first
 * rule covering the cell whose formula holds, the formula relative to the top-left cell of the rule's
 * first range), else the cell's own background. Not an Apps Script API; never counted.
 */
export function effectiveBackground(sheet: SheetImpl | GoogleAppsScript.Spreadsheet.Sheet, a1Cell: string): string {
  const s = unwrap(sheet) as unknown as SheetImpl;
  const rect = parseA1(a1Cell, s._maxRows, s._maxCols);
  if (rect.nr !== 1 || rect.nc !== 1) throw new Error(`[gas-emulator] effectiveBackground takes one cell, not ${a1Cell}`);
  return s._effectiveBackground(rect.r, rect.c);
}

/** Would Sheets let `email` edit `a1Cell` (a cell or a range: every cell must be editable)? See SpreadsheetImpl._userCanEdit. */
export function canUserEdit(
  spreadsheet: SpreadsheetImpl | GoogleAppsScript.Spreadsheet.Spreadsheet,
  sheetName: string,
  a1Cell: string,
  email: string,
): boolean {
  const ss = unwrap(spreadsheet) as unknown as SpreadsheetImpl;
  return ss.canUserEdit(sheetName, a1Cell, email);
}

// ---------------------------------------------------------------------------
// Events — https://developers.google.com/apps-script/guides/triggers/events
// ---------------------------------------------------------------------------

/** How an edit event reports a cell value (always a string; a date as Sheets shows it by default). */
function eventString(v: CellValue, tz: string): string {
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  const time = formatJavaPattern(v, tz, 'HH:mm:ss');
  return formatJavaPattern(v, tz, time === '00:00:00' ? 'dd/MM/yyyy' : 'dd/MM/yyyy HH:mm:ss');
}

/** Refuse a user edit Sheets would refuse: a protected cell, or a value a reject-invalid validation refuses. */
function assertUserMayType(sheet: SheetImpl, sheetName: string, a1: string, user: string, typed: unknown): void {
  const rect = parseA1(a1, sheet._maxRows, sheet._maxCols);
  if (!sheet._ss._userCanEdit(sheet, rect, user)) {
    throw new Error(`[gas-emulator] ${user} may not edit ${sheetName}!${a1}: the cell is protected`);
  }
  for (let i = 0; i < rect.nr; i++) {
    for (let j = 0; j < rect.nc; j++) {
      const current = sheet._peek(rect.r + i, rect.c + j);
      const parsed = parseInput(typed, current.numberFormat);
      const dv = current.dataValidation;
      if (dv && !dv._allowInvalid && !parsed.formula && !dv._accepts(parsed.value)) {
        throw new Error(
          `[gas-emulator] Sheets rejects ${JSON.stringify(typed)} in ${sheetName}!${cellA1(rect.r + i, rect.c + j)}: ` +
            `${dv._helpText ?? 'invalid data'}`,
        );
      }
    }
  }
}

/**
 * Build the event object of a user edit of `sheetName!a1` (the active user edits) and apply the edit first.
 * - `value` given (5th argument, not undefined): the user typed it — parsed like Sheets (numbers, TRUE/FALSE,
 *   `=formula`); `null` or '' clears the cell(s). The edit is refused (throws) when the user may
 *   not edit the cell (protections) or when a reject-invalid data validation refuses the value.
 * - `value` omitted/undefined: the cell is left as is (event for an edit already applied).
 * - `oldValue` defaults to the cell's content before the edit (absent when it was empty).
 * `value`/`oldValue` are only present for single-cell edits, as strings, like the real event.
 * The event is that of a simple trigger (authMode LIMITED).
 */
export function makeEditEvent(
  env: FakeEnv,
  sheetName: string,
  a1: string,
  oldValue?: unknown,
  value?: unknown,
): GoogleAppsScript.Events.SheetsOnEdit {
  const ss = env.ss;
  const sheet = ss.sheet(sheetName);
  const rect = parseA1(a1, sheet._maxRows, sheet._maxCols);
  const user = env._ctx.user;
  const before = sheet._peek(rect.r, rect.c).value;

  if (value !== undefined) {
    const typed = value === '' ? null : value;
    assertUserMayType(sheet, sheetName, a1, user, typed);
    for (let i = 0; i < rect.nr; i++) for (let j = 0; j < rect.nc; j++) writeInput(sheet._mut(rect.r + i, rect.c + j), typed, i, j);
    sheet._compact(rect);
    sheet._contentChanged([rect]);
  }

  const e: Record<string, unknown> = {
    authMode: AuthMode.LIMITED,
    range: expose(sheet._range(rect)),
    source: expose(ss),
    user: expose(new UserImpl(env._ctx, user)),
  };
  if (rect.nr === 1 && rect.nc === 1) {
    const old = oldValue !== undefined ? (oldValue as CellValue) : before;
    if (old !== '' && old !== null) e.oldValue = eventString(old, ss._tz);
    const now = sheet._peek(rect.r, rect.c).value;
    if (now !== '') e.value = eventString(now, ss._tz);
  }
  return e as unknown as GoogleAppsScript.Events.SheetsOnEdit;
}

/** Event object for onOpen(e): a simple trigger (LIMITED) unless `authMode` says otherwise (NONE before the add-on is used). */
export function makeOpenEvent(env: FakeEnv, options: { authMode?: AuthModeName } = {}): GoogleAppsScript.Events.SheetsOnOpen {
  const e: Record<string, unknown> = {
    authMode: AuthMode[options.authMode ?? 'LIMITED'],
    source: expose(env.ss),
    user: expose(new UserImpl(env._ctx, env._ctx.user)),
  };
  return e as unknown as GoogleAppsScript.Events.SheetsOnOpen;
}
