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

import { type Rect, cellA1, parseA1, rectToA1 } from './a1';
import {
  type AccountSpec,
  Accounts,
  type AuthModeName,
  CallLog,
  type Ctx,
  type Execution,
  type ExecutionKind,
  type FakeClock,
  type LogEntry,
  UserImpl,
  createClock,
  expose,
  makeConsole,
  notEmulated,
  unwrap,
  visibleEmail,
} from './core';
import { formatJavaPattern } from './dates';
import { DOCUMENT_MIME_TYPE, DocumentAppImpl, type DocumentImpl, DocumentState } from './document';
import { hasComma } from './formulas';
import { type SpreadsheetLocale, isSpreadsheetLocale } from './locale';
import {
  Access,
  AuthMode,
  type DriveFileSpec,
  type DriveItem,
  DriveAppImpl,
  DRIVE_ROOT_ID,
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
  UrlFetchAppImpl,
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

export type { AccountSpec, DriveFileSpec, ExecutionKind, SpreadsheetLocale };

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
  /** Id of the folder (one of driveFiles) holding the spreadsheet; default the root of My Drive. */
  spreadsheetFolder?: string;
  /**
   * The Sheets advanced service enabled (appsscript.json `enabledAdvancedServices`): the `Sheets` global, over the same
   * spreadsheet (see sheets-api.ts); every call needs authorisation, so a simple trigger's call is refused. Default
   * true, as this project's manifest enables it; false: the script sees no `Sheets`, as in a project without it.
   */
  sheetsApi?: boolean;
  /** The spreadsheet's locale: how text entered into cells reads as numbers and dates (locale.ts). Default vi_VN. */
  locale?: SpreadsheetLocale;
  /** Consumer accounts and other account kinds (AccountSpec); an account not listed is a Workspace account of its domain. */
  accounts?: Record<string, AccountSpec>;
}

/**
 * How Apps Script starts a run (ExecutionKind in core.ts). `user` (editor, simple) is the person at the keyboard,
 * by default the current active user; `installer` is the account that installed the trigger.
 */
export type RunAs =
  | { kind: 'editor' | 'simple'; user?: string }
  | { kind: 'installable-edit'; installer: string; editor?: string; triggerUid?: string }
  | { kind: 'time-driven'; installer: string; triggerUid?: string };

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
  DocumentApp: GoogleAppsScript.Document.DocumentApp;
  Charts: Pick<GoogleAppsScript.Charts.Charts, 'ChartType'>;
  /** Absent with `sheetsApi: false`. */
  Sheets?: SheetsService;
  UrlFetchApp: GoogleAppsScript.URL_Fetch.UrlFetchApp;
}

export interface FakeEnv {
  /** Everything a script sees as globals: emulated services + standard built-ins (no require/process/timers). */
  globals: Record<string, unknown>;
  /** Same services, typed. */
  gas: GasGlobals;
  calls: CallLog;
  ui: UiRecorder;
  mail: SentMail[];
  /** Documents the script created with DocumentApp.create (raw: reading them is not counted). */
  documents: DocumentImpl[];
  /** The spreadsheet, raw: calls on it are not counted, and its test helpers are visible. */
  ss: SpreadsheetImpl;
  clock: FakeClock;
  /** console.* output (recorded, not printed). */
  logs: LogEntry[];
  /** Simulate other executions holding locks. */
  locks: LockHooks;
  /** Installed triggers (plain records). */
  triggers(): TriggerRecord[];
  /**
   * Change who is at the keyboard (also the user menus and sidebar calls run as); makes them a file editor.
   * `spec` declares the account's kind (a consumer account, see AccountSpec).
   */
  setActiveUser(email: string, spec?: AccountSpec): void;
  /** Who is at the keyboard now (in a run: that run's active user). */
  activeUser(): string;
  /** Declare an account's kind without making it active. */
  declareAccount(email: string, spec: AccountSpec): void;
  /**
   * Run `fn` as Apps Script runs a menu item, a simple trigger, an installable edit trigger or a time-driven
   * trigger (RunAs): who is at the keyboard, whom the script runs as, the authorization mode, what Session and
   * e.user reveal, what getUi allows. The previous run is restored afterwards, even when `fn` throws.
   */
  run<T>(as: RunAs, fn: () => T): T;
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

const DEFAULT_LOCALE: SpreadsheetLocale = 'vi_VN';

function driveItem(spec: DriveFileSpec): DriveItem {
  const access = spec.access ?? 'PRIVATE';
  if (!(access in Access)) throw new Error(`[gas-emulator] unknown DriveApp.Access "${access}" for ${spec.name}`);
  return {
    name: spec.name,
    access: access as keyof typeof Access,
    mimeType: spec.mimeType ?? 'application/octet-stream',
    parents: spec.parents ?? [DRIVE_ROOT_ID],
  };
}

export function createFakeEnv(opts: FakeEnvOptions = {}): FakeEnv {
  const owner = opts.owner ?? 'owner@example.com';
  const locale = opts.locale ?? DEFAULT_LOCALE;
  if (!isSpreadsheetLocale(locale)) throw new Error(`[gas-emulator] the locale "${locale}" is not emulated (vi_VN, en_US)`);
  const calls = new CallLog();
  const ui = new UiRecorder();
  const accounts = new Accounts();
  for (const [email, spec] of Object.entries(opts.accounts ?? {})) accounts.declare(email, spec);
  const ctx: Ctx = {
    calls,
    clock: createClock(opts.now ?? new Date()),
    exec: { kind: 'editor', activeUser: owner, effectiveUser: owner },
    accounts,
    developer: owner,
    scriptTimeZone: TIME_ZONE,
    authMode: 'FULL',
    ui,
    logs: [],
  };

  const ss = new SpreadsheetImpl(ctx, {
    id: '1FakeSpreadsheetId_0123456789abcdefghijklmnop',
    timeZone: TIME_ZONE,
    locale,
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
  items.set(
    ss._id,
    driveItem({
      name: opts.spreadsheetName ?? 'Fake spreadsheet',
      mimeType: 'application/vnd.google-apps.spreadsheet',
      parents: [opts.spreadsheetFolder ?? DRIVE_ROOT_ID],
    }),
  );
  for (const [id, f] of Object.entries(opts.driveFiles ?? {})) items.set(id, driveItem(f));
  const driveState = new DriveState(opts.driveAuthorized ?? true, items);
  const documents = new DocumentState((id, name) => items.set(id, driveItem({ name, mimeType: DOCUMENT_MIME_TYPE })));
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
    DocumentApp: new DocumentAppImpl(ctx, documents),
    UrlFetchApp: new UrlFetchAppImpl(ctx),
  };
  const exposed = Object.fromEntries(Object.entries(services).map(([k, v]) => [k, expose(v)]));
  const globals: Record<string, unknown> = {
    ...STANDARD_GLOBALS,
    ...exposed,
    Charts: Object.freeze({ ChartType }),
    console: makeConsole(ctx),
  };
  if (opts.sheetsApi ?? true) globals.Sheets = createSheetsService(ctx, ss, services.SpreadsheetApp);

  return {
    globals,
    gas: globals as unknown as GasGlobals,
    calls,
    ui,
    mail,
    documents: documents.documents,
    ss,
    clock: ctx.clock,
    logs: ctx.logs,
    locks,
    triggers: () => triggerStore.triggers.map((t) => ({ ...t })),
    setActiveUser(email, spec) {
      if (spec) accounts.declare(email, spec);
      ctx.exec = { kind: 'editor', activeUser: email, effectiveUser: email };
      ss._editors.add(email);
    },
    activeUser: () => ctx.exec.activeUser,
    declareAccount(email, spec) {
      accounts.declare(email, spec);
    },
    run(as, fn) {
      const saved = { exec: ctx.exec, authMode: ctx.authMode };
      ctx.exec = executionOf(as, saved.exec.activeUser);
      if (as.kind === 'simple') ctx.authMode = saved.authMode === 'NONE' ? 'NONE' : 'LIMITED';
      else if (as.kind !== 'editor') ctx.authMode = 'FULL';
      try {
        return fn();
      } finally {
        ctx.exec = saved.exec;
        ctx.authMode = saved.authMode;
      }
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

function executionOf(as: RunAs, person: string): Execution {
  switch (as.kind) {
    case 'editor':
    case 'simple': {
      const user = as.user ?? person;
      return { kind: as.kind, activeUser: user, effectiveUser: user };
    }
    case 'installable-edit':
      return { kind: as.kind, activeUser: as.editor ?? person, effectiveUser: as.installer, triggerUid: as.triggerUid };
    case 'time-driven':
      return { kind: as.kind, activeUser: as.installer, effectiveUser: as.installer, triggerUid: as.triggerUid };
  }
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

/**
 * Apply a person's input to `rect` as Sheets would (the active user types or pastes): refused (throws) when a
 * protection keeps them out or a reject-invalid data validation refuses a value; `valueAt(i, j)` is what goes in
 * cell (i, j), parsed like typing (numbers, dates, TRUE/FALSE, `=formula` in the spreadsheet's locale). A formula
 * typed into several cells at once (a fill) moves its relative references from cell to cell when `fill` is set.
 */
function applyUserInput(env: FakeEnv, sheet: SheetImpl, rect: Rect, valueAt: (i: number, j: number) => unknown, fill: boolean): void {
  const user = env._ctx.exec.activeUser;
  const where = (i: number, j: number) => `${sheet._name}!${cellA1(rect.r + i, rect.c + j)}`;
  if (!sheet._ss._userCanEdit(sheet, rect, user)) {
    throw new Error(`[gas-emulator] ${user} may not edit ${sheet._name}!${rectToA1(rect)}: the cell is protected`);
  }
  const reader = sheet._ss._reader;
  for (let i = 0; i < rect.nr; i++) {
    for (let j = 0; j < rect.nc; j++) {
      const typed = valueAt(i, j);
      if (typeof typed === 'string' && typed.startsWith('=') && reader.locale === 'vi_VN' && hasComma(typed)) {
        throw notEmulated(`a formula typed in a vi_VN spreadsheet with ',' (a decimal mark there): ${typed}`);
      }
      const current = sheet._peek(rect.r + i, rect.c + j);
      const parsed = parseInput(typed, current.numberFormat, reader);
      const dv = current.dataValidation;
      if (dv && !dv._allowInvalid && !parsed.formula && !dv._accepts(parsed.value)) {
        throw new Error(`[gas-emulator] Sheets rejects ${JSON.stringify(typed)} in ${where(i, j)}: ${dv._helpText ?? 'invalid data'}`);
      }
    }
  }
  for (let i = 0; i < rect.nr; i++) {
    for (let j = 0; j < rect.nc; j++) writeInput(sheet._mut(rect.r + i, rect.c + j), valueAt(i, j), reader, fill ? i : 0, fill ? j : 0);
  }
  sheet._compact(rect);
  sheet._contentChanged([rect]);
}

/**
 * The fields every Sheets event shares, as the run that reads them sees them: `authMode` LIMITED in a simple
 * trigger and FULL in an installable one, `triggerUid` (installable triggers only), and `user`, a User whose
 * getEmail() is the editor's address or '' where the reference withholds it (visibleEmail in core.ts). One event
 * object can thus be handed to the simple onEdit and to every installable edit trigger, as Apps Script does.
 */
function eventBase(env: FakeEnv, person: string, authMode?: AuthModeName): Record<string, unknown> {
  const ctx = env._ctx;
  const e: Record<string, unknown> = { source: expose(env.ss) };
  Object.defineProperties(e, {
    authMode: {
      enumerable: true,
      get: () => AuthMode[authMode ?? (ctx.exec.kind === 'installable-edit' ? 'FULL' : 'LIMITED')],
    },
    triggerUid: { enumerable: true, get: () => ctx.exec.triggerUid },
    user: { enumerable: true, get: () => expose(new UserImpl(ctx, visibleEmail(ctx, person))) },
  });
  return e;
}

/**
 * The event object of a person's edit of `sheetName!a1` (the active user edits), after applying the edit.
 * - `value` given (5th argument, not undefined): the person typed it (into every cell of a range, as a fill
 *   does) — parsed like Sheets; `null` or '' clears. Refused (throws) like Sheets would (applyUserInput).
 * - `value` omitted/undefined: the cell is left as is (event for an edit already applied).
 * - `oldValue` defaults to the cell's content before the edit (absent when it was empty).
 * `value`/`oldValue` are present only when one cell was edited, as strings: "Only available if the edited range
 * is a single cell" (https://developers.google.com/apps-script/guides/triggers/events#edit). A cleared cell has no
 * `value`. For pastes, see makePasteEvent.
 */
export function makeEditEvent(
  env: FakeEnv,
  sheetName: string,
  a1: string,
  oldValue?: unknown,
  value?: unknown,
): GoogleAppsScript.Events.SheetsOnEdit {
  const sheet = env.ss.sheet(sheetName);
  const rect = parseA1(a1, sheet._maxRows, sheet._maxCols);
  const before = sheet._peek(rect.r, rect.c).value;
  if (value !== undefined) {
    const typed = value === '' ? null : value;
    applyUserInput(env, sheet, rect, () => typed, true);
  }
  const e = eventBase(env, env._ctx.exec.activeUser);
  e.range = expose(sheet._range(rect));
  if (rect.nr === 1 && rect.nc === 1) {
    const old = oldValue !== undefined ? (oldValue as CellValue) : before;
    if (old !== '' && old !== null) e.oldValue = eventString(old, env.ss._tz);
    const now = sheet._peek(rect.r, rect.c).value;
    if (now !== '') e.value = eventString(now, env.ss._tz);
  }
  return e as unknown as GoogleAppsScript.Events.SheetsOnEdit;
}

/**
 * The event object of a paste of `values` (rows of cells) with its top-left cell at `topLeft`, after applying it
 * (text parsed like typing; refused like an edit). A paste's event has neither `value` nor `oldValue`, even for
 * one cell ("When an user copied and pasted from other cell, e.oldValue and e.value of onEdit(e) are not shown",
 * https://gist.github.com/tanaikech/73edaed1268a6d07118aed538aa5608d); the code must read the range.
 */
export function makePasteEvent(
  env: FakeEnv,
  sheetName: string,
  topLeft: string,
  values: unknown[][],
): GoogleAppsScript.Events.SheetsOnEdit {
  const sheet = env.ss.sheet(sheetName);
  const at = parseA1(topLeft, sheet._maxRows, sheet._maxCols);
  const nc = values[0]?.length ?? 0;
  if (!values.length || !nc || values.some((row) => row.length !== nc)) {
    throw new Error('[gas-emulator] makePasteEvent takes a non-empty rectangle of values');
  }
  const rect = { r: at.r, c: at.c, nr: values.length, nc };
  sheet._checkRect(rect);
  applyUserInput(env, sheet, rect, (i, j) => (values[i][j] === '' ? null : values[i][j]), false);
  const e = eventBase(env, env._ctx.exec.activeUser);
  e.range = expose(sheet._range(rect));
  return e as unknown as GoogleAppsScript.Events.SheetsOnEdit;
}

/** Event object for onOpen(e): a simple trigger (LIMITED) unless `authMode` says otherwise (NONE before the add-on is used). */
export function makeOpenEvent(env: FakeEnv, options: { authMode?: AuthModeName } = {}): GoogleAppsScript.Events.SheetsOnOpen {
  return eventBase(env, env._ctx.exec.activeUser, options.authMode ?? 'LIMITED') as unknown as GoogleAppsScript.Events.SheetsOnOpen;
}

// ---------------------------------------------------------------------------
// Firing triggers — https://developers.google.com/apps-script/guides/triggers/installable
// ---------------------------------------------------------------------------

/** The top-level functions of the script under test (the vm context of dist/Code.js, or any object of functions). */
export type ScriptFunctions = Record<string, unknown>;

/** One trigger run: which handler, what kind of run, as whom; `error` when it threw (Apps Script logs it, the edit stays). */
export interface TriggerRun {
  handler: string;
  kind: ExecutionKind;
  runAs: string;
  error?: string;
}

function errorText(err: unknown): string {
  const m = err && typeof err === 'object' ? (err as { message?: unknown }).message : undefined;
  return typeof m === 'string' ? m : String(err);
}

function runHandler(env: FakeEnv, script: ScriptFunctions, handler: string, as: RunAs, event: unknown): TriggerRun {
  const run: TriggerRun = { handler, kind: as.kind, runAs: 'installer' in as ? as.installer : (as.user ?? env._ctx.exec.activeUser) };
  const fn = script[handler];
  if (typeof fn !== 'function') return { ...run, error: `Script function not found: ${handler}` };
  try {
    env.run(as, () => (fn as (e: unknown) => unknown)(event));
  } catch (err) {
    run.error = errorText(err);
  }
  return run;
}

/** What a person does to cells: type one value (into every cell of the range: a fill), or paste rows of values. */
export type UserEdit = { value: unknown } | { paste: unknown[][] };

/**
 * A person (the active user) edits the sheet, and Apps Script fires what it fires: the simple `onEdit(e)` if the
 * script has one, run as the editor with LIMITED authorization, then every installable edit trigger of this
 * spreadsheet, each run as the account that installed it (FULL) — "Installable triggers always run under the account
 * of the person who created them". Script writes never fire triggers, so nothing else runs. Returns the runs in order.
 */
export function fireEdit(env: FakeEnv, script: ScriptFunctions, sheetName: string, a1: string, edit: UserEdit): TriggerRun[] {
  const event = 'paste' in edit ? makePasteEvent(env, sheetName, a1, edit.paste) : makeEditEvent(env, sheetName, a1, undefined, edit.value);
  const editor = env._ctx.exec.activeUser;
  const runs: TriggerRun[] = [];
  if (typeof script.onEdit === 'function') runs.push(runHandler(env, script, 'onEdit', { kind: 'simple', user: editor }, event));
  for (const t of env.triggers()) {
    if (t.eventType !== 'ON_EDIT' || t.sourceId !== env.ss._id) continue;
    runs.push(
      runHandler(env, script, t.handlerFunction, { kind: 'installable-edit', installer: t.owner, editor, triggerUid: t.uniqueId }, event),
    );
  }
  return runs;
}

/**
 * The clock strikes for every time-driven trigger (each runs once, now, whatever its schedule: the test moves the
 * clock), each run as its installer. The event carries `authMode` and `triggerUid` only (its date fields are not
 * emulated). Returns the runs in the order the triggers were installed.
 */
export function fireTimeDriven(env: FakeEnv, script: ScriptFunctions): TriggerRun[] {
  return env
    .triggers()
    .filter((t) => t.eventType === 'CLOCK')
    .map((t) =>
      runHandler(
        env,
        script,
        t.handlerFunction,
        { kind: 'time-driven', installer: t.owner, triggerUid: t.uniqueId },
        {
          authMode: AuthMode.FULL,
          triggerUid: t.uniqueId,
        },
      ),
    );
}
