/**
 * Test-only, in-memory stand-in for the Apps Script services the add-on uses.
 *
 *   const env = createFakeEnv({ sheets: { 'Chấm điểm': [['STT', 'Tiêu chí'], [1, 'A']] } });
 *   Object.assign(globalThis, env.globals);          // or vm.createContext(env.globals)
 *   ...run the code under test...
 *   expect(env.calls.count(/^Range\./)).toBe(2);
 *
 * Every method call the code makes on a service or on an object it got from one is recorded in
 * env.calls as `Class.method`. Test helpers (env.ss, sheetValues, makeEditEvent, …) work on the
 * raw objects and are never counted.
 */

import { cellA1, parseA1 } from './a1';
import { type AuthModeName, CallLog, type Ctx, type FakeClock, type LogEntry, UserImpl, createClock, expose, isDate, unwrap } from './core';
import {
  AuthMode,
  DriveAppImpl,
  type DriveFileSpec,
  DriveState,
  LockHooks,
  LockServiceImpl,
  LoggerImpl,
  MailAppImpl,
  MailState,
  PropertiesServiceImpl,
  PropertyStores,
  ScriptAppImpl,
  type SentMail,
  SessionImpl,
  type TriggerRecord,
  TriggerStore,
  UtilitiesImpl,
  makeConsole,
} from './services';
import {
  type CellState,
  type CellValue,
  ChartType,
  DEFAULT_CELL,
  type RangeImpl,
  type SheetImpl,
  SpreadsheetAppImpl,
  SpreadsheetImpl,
  displayOf,
  parseInput,
} from './spreadsheet';
import { HtmlServiceImpl, UiImpl, UiRecorder } from './ui';

/** The fake spreadsheet as seen by tests (raw object: calls on it are not counted). */
export type FakeSpreadsheet = SpreadsheetImpl;

export interface FakeEnvOptions {
  /** Initial values per sheet, in order (literal values: strings are not parsed). Default: one empty `Sheet1`. */
  sheets?: Record<string, unknown[][]>;
  /** Spreadsheet owner (always an editor, always allowed through protections). */
  owner?: string;
  /** User at the keyboard (Session.getActiveUser); also the effective user unless `effectiveUser` is given. */
  activeUser?: string;
  /** User the script runs as (Session.getEffectiveUser); checked against protections on writes. */
  effectiveUser?: string;
  /** Other editors of the file (owner and active user are added automatically). */
  editors?: string[];
  /** MailApp.getRemainingDailyQuota() at start (default 100). */
  mailQuota?: number;
  /** Files for HtmlService.createHtmlOutputFromFile, keyed `Sidebar` or `Sidebar.html`. */
  htmlFiles?: Record<string, string>;
  /** Files for DriveApp.getFileById; the spreadsheet itself is added automatically. */
  driveFiles?: Record<string, DriveFileSpec>;
  /** false: DriveApp calls fail as without the Drive scope (default true). */
  driveAuthorized?: boolean;
  /** Fake clock start (default: real time when the env is created, then frozen). */
  now?: Date;
  /** Spreadsheet and script time zone (default Asia/Ho_Chi_Minh). */
  timeZone?: string;
  spreadsheetId?: string;
  spreadsheetName?: string;
  /** Name createAddonMenu() menus are recorded under. */
  addonName?: string;
  /** ScriptApp.AuthMode the code runs in (default FULL). */
  authMode?: AuthModeName;
  /** false: SpreadsheetApp.getUi() throws like in a time-driven trigger (default true). */
  uiAvailable?: boolean;
  /** Computes values of formulas the code writes (otherwise such cells read as ''). */
  evaluateFormula?: Ctx['evaluateFormula'];
}

/** Typed access to the fake globals (for tests written in TypeScript). */
export interface GasGlobals {
  SpreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp;
  HtmlService: GoogleAppsScript.HTML.HtmlService;
  LockService: GoogleAppsScript.Lock.LockService;
  PropertiesService: GoogleAppsScript.Properties.PropertiesService;
  ScriptApp: GoogleAppsScript.Script.ScriptApp;
  MailApp: GoogleAppsScript.Mail.MailApp;
  Session: GoogleAppsScript.Base.Session;
  Utilities: GoogleAppsScript.Utilities.Utilities;
  DriveApp: GoogleAppsScript.Drive.DriveApp;
  Logger: GoogleAppsScript.Base.Logger;
  Charts: Pick<GoogleAppsScript.Charts.Charts, 'ChartType'>;
}

export interface FakeEnv {
  /** Everything a script sees as globals: fake services + standard built-ins (no require/process/timers). */
  globals: Record<string, unknown>;
  /** Same services, typed. */
  gas: GasGlobals;
  calls: CallLog;
  ui: UiRecorder;
  mail: SentMail[];
  ss: FakeSpreadsheet;
  clock: FakeClock;
  /** console.* and Logger.log output (not printed). */
  logs: LogEntry[];
  /** Simulate other executions holding locks. */
  locks: LockHooks;
  /** Raw property stores (document, script, per-user). */
  properties: PropertyStores;
  /** Installed triggers (plain records). */
  triggers(): TriggerRecord[];
  /** Change who is at the keyboard (also the effective user unless `effective` is given); makes them a file editor. */
  setActiveUser(email: string, effective?: string): void;
  setEffectiveUser(email: string): void;
  setAuthMode(mode: AuthModeName): void;
  setUiAvailable(available: boolean): void;
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

export function createFakeEnv(opts: FakeEnvOptions = {}): FakeEnv {
  const owner = opts.owner ?? 'owner@example.com';
  const activeUser = opts.activeUser ?? owner;
  const effectiveUser = opts.effectiveUser ?? activeUser;
  const timeZone = opts.timeZone ?? 'Asia/Ho_Chi_Minh';
  const calls = new CallLog();
  const ui = new UiRecorder();
  if (opts.addonName) ui.addonName = opts.addonName;
  const ctx: Ctx = {
    calls,
    clock: createClock(opts.now ?? new Date()),
    owner,
    activeUser,
    effectiveUser,
    scriptTimeZone: timeZone,
    authMode: opts.authMode ?? 'FULL',
    uiAvailable: opts.uiAvailable ?? true,
    ui,
    logs: [],
    evaluateFormula: opts.evaluateFormula,
  };

  const ss = new SpreadsheetImpl(ctx, {
    id: opts.spreadsheetId ?? '1FakeSpreadsheetId_0123456789abcdefghijklmnop',
    name: opts.spreadsheetName ?? 'Fake spreadsheet',
    timeZone,
    owner,
    editors: [activeUser, effectiveUser, ...(opts.editors ?? [])],
  });
  const sheets = opts.sheets ?? { Sheet1: [] };
  const names = Object.keys(sheets);
  if (!names.length) ss._addSheet('Sheet1');
  for (const name of names) ss._addSheet(name, undefined, sheets[name]);

  const mail: SentMail[] = [];
  const mailState = new MailState(opts.mailQuota ?? 100, mail);
  const files = new Map<string, Required<DriveFileSpec>>();
  files.set(ss._id, {
    name: ss._name,
    access: 'PRIVATE',
    permission: 'NONE',
    mimeType: 'application/vnd.google-apps.spreadsheet',
    owner,
  });
  for (const [id, f] of Object.entries(opts.driveFiles ?? {})) {
    files.set(id, {
      name: f.name,
      access: f.access ?? 'PRIVATE',
      permission: f.permission ?? 'NONE',
      mimeType: f.mimeType ?? 'application/octet-stream',
      owner: f.owner ?? owner,
    });
  }
  const driveState = new DriveState(opts.driveAuthorized ?? true, files);
  const locks = new LockHooks(ctx);
  const properties = new PropertyStores();
  const triggerStore = new TriggerStore();
  const uiImpl = new UiImpl(ctx);

  const services = {
    SpreadsheetApp: new SpreadsheetAppImpl(ctx, ss, uiImpl),
    HtmlService: new HtmlServiceImpl(ctx, opts.htmlFiles ?? {}),
    LockService: new LockServiceImpl(ctx, locks),
    PropertiesService: new PropertiesServiceImpl(ctx, properties),
    ScriptApp: new ScriptAppImpl(ctx, triggerStore, '1FakeScriptId_0123456789abcdefghijklmnopqrstuv'),
    MailApp: new MailAppImpl(ctx, mailState),
    Session: new SessionImpl(ctx),
    Utilities: new UtilitiesImpl(ctx),
    DriveApp: new DriveAppImpl(ctx, driveState),
    Logger: new LoggerImpl(ctx),
  };
  const exposed = Object.fromEntries(Object.entries(services).map(([k, v]) => [k, expose(v)]));
  const globals: Record<string, unknown> = {
    ...STANDARD_GLOBALS,
    ...exposed,
    Charts: Object.freeze({ ChartType }),
    console: makeConsole(ctx),
  };

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
    properties,
    triggers: () => triggerStore.triggers.map((t) => ({ ...t, createdAt: new Date(t.createdAt.getTime()) })),
    setActiveUser(email, effective) {
      ctx.activeUser = email;
      ctx.effectiveUser = effective ?? email;
      ss._editors.add(email);
    },
    setEffectiveUser(email) {
      ctx.effectiveUser = email;
    },
    setAuthMode(mode) {
      ctx.authMode = mode;
    },
    setUiAvailable(available) {
      ctx.uiAvailable = available;
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

function rawSheet(env: FakeEnv, name: string): SheetImpl {
  return env.ss.sheet(name);
}

/** Values from A1 to the last row/column with content (fresh copy); [] for an empty sheet. */
export function sheetValues(env: FakeEnv, name: string): CellValue[][] {
  const s = rawSheet(env, name);
  const nr = s._lastRow();
  const nc = s._lastCol();
  if (!nr || !nc) return [];
  return s._range({ r: 1, c: 1, nr, nc }).getValues();
}

/** Displayed strings from A1 to the last row/column with content. */
export function sheetDisplayValues(env: FakeEnv, name: string): string[][] {
  const s = rawSheet(env, name);
  const nr = s._lastRow();
  const nc = s._lastCol();
  if (!nr || !nc) return [];
  return s._range({ r: 1, c: 1, nr, nc }).getDisplayValues();
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
 * Would Sheets let `email` edit `a1Cell` (a cell or a range: every cell must be editable)?
 * Owner: always. Non-editors of the file: never. Otherwise every protection covering the cell
 * must allow the user: warning-only protections let any editor through; a protection whose
 * editors were never changed mirrors the file's editors; unprotected ranges of a sheet
 * protection are open to every editor of the file.
 */
export function canUserEdit(
  spreadsheet: FakeSpreadsheet | GoogleAppsScript.Spreadsheet.Spreadsheet,
  sheetName: string,
  a1Cell: string,
  email: string,
): boolean {
  const ss = unwrap(spreadsheet) as unknown as SpreadsheetImpl;
  return ss.canUserEdit(sheetName, a1Cell, email);
}

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

export interface EditEventOptions {
  /** Who edits (default: the active user). */
  user?: string;
  /** Default LIMITED (simple trigger); use FULL for an installable trigger. */
  authMode?: AuthModeName;
  /** Set for installable-trigger events. */
  triggerUid?: string;
}

/** How an edit event reports a cell value (always a string). */
function eventString(v: CellValue, tz: string): string {
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return String(v);
  if (isDate(v)) return displayOf({ ...DEFAULT_CELL, value: v }, tz);
  return v;
}

/**
 * Build the event object of a user edit of `sheetName!a1` and apply the edit first.
 * - `value` given (5th argument, not undefined): the user typed it — parsed like Sheets (numbers, TRUE/FALSE,
 *   `=formula`); `null` or '' clears the cell(s). The edit is refused (throws) when the user may
 *   not edit the cell (protections) or when a reject-invalid data validation refuses the value.
 * - `value` omitted/undefined: the cell is left as is (event for an edit already applied).
 * - `oldValue` defaults to the cell's content before the edit (absent when it was empty).
 * `value`/`oldValue` are only present for single-cell edits, as strings, like the real event.
 */
export function makeEditEvent(
  env: FakeEnv,
  sheetName: string,
  a1: string,
  oldValue?: unknown,
  value?: unknown,
  options: EditEventOptions = {},
): GoogleAppsScript.Events.SheetsOnEdit {
  const ss = env.ss;
  const sheet = rawSheet(env, sheetName);
  const rect = parseA1(a1, sheet._maxRows, sheet._maxCols);
  const single = rect.nr === 1 && rect.nc === 1;
  const user = options.user ?? env._ctx.activeUser;
  const tz = ss._tz;
  const before = sheet._peek(rect.r, rect.c).value;
  const applying = value !== undefined;

  if (applying) {
    if (!ss._userCanEdit(sheet, rect, user)) {
      throw new Error(`[fake] ${user} may not edit ${sheetName}!${a1}: the cell is protected`);
    }
    const range = sheet._range(rect);
    for (let i = 0; i < rect.nr; i++) {
      for (let j = 0; j < rect.nc; j++) {
        const current = sheet._peek(rect.r + i, rect.c + j);
        const parsed = parseInput(value === '' ? null : value, current.numberFormat);
        const dv = current.dataValidation;
        if (dv && !dv._allowInvalid && !parsed.formula && !dv._accepts(parsed.value)) {
          throw new Error(
            `[fake] Sheets rejects ${JSON.stringify(value)} in ${sheetName}!${cellA1(rect.r + i, rect.c + j)}: ${dv._helpText ?? 'invalid data'}`,
          );
        }
      }
    }
    for (let i = 0; i < rect.nr; i++) {
      for (let j = 0; j < rect.nc; j++) {
        range._write(sheet._mut(rect.r + i, rect.c + j), value === '' ? null : value, rect.r + i, rect.c + j);
      }
    }
    sheet._compact(rect);
  }

  const e: Record<string, unknown> = {
    authMode: AuthMode[options.authMode ?? 'LIMITED'],
    range: expose(sheet._range(rect)),
    source: expose(ss),
    user: expose(new UserImpl(env._ctx, user)),
  };
  if (single) {
    const old = oldValue !== undefined ? (oldValue as CellValue) : before;
    if (old !== '' && old !== null) e.oldValue = eventString(old, tz);
    const now = sheet._peek(rect.r, rect.c).value;
    if (now !== '') e.value = eventString(now, tz);
  }
  if (options.triggerUid !== undefined) e.triggerUid = options.triggerUid;
  return e as unknown as GoogleAppsScript.Events.SheetsOnEdit;
}

/** Event object for onOpen(e) (simple trigger by default). */
export function makeOpenEvent(env: FakeEnv, options: EditEventOptions = {}): GoogleAppsScript.Events.SheetsOnOpen {
  const e: Record<string, unknown> = {
    authMode: AuthMode[options.authMode ?? 'LIMITED'],
    source: expose(env.ss),
    user: expose(new UserImpl(env._ctx, options.user ?? env._ctx.activeUser)),
  };
  if (options.triggerUid !== undefined) e.triggerUid = options.triggerUid;
  return e as unknown as GoogleAppsScript.Events.SheetsOnOpen;
}

/** A counted Range proxy for `sheetName!a1`, as the code would get it (for passing into code). */
export function rangeFor(env: FakeEnv, sheetName: string, a1: string): GoogleAppsScript.Spreadsheet.Range {
  const s = rawSheet(env, sheetName);
  return expose(s._range(parseA1(a1, s._maxRows, s._maxCols))) as unknown as GoogleAppsScript.Spreadsheet.Range;
}

export type { RangeImpl };
