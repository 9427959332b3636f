/**
 * Core machinery shared by every emulated Apps Script service:
 * - CallLog: every call a script makes on a service/object is recorded as `Class.method`.
 * - GasObject + expose(): emulated objects are handed to the code under test wrapped in a Proxy
 *   that records each method call, hides internals (`_`-prefixed members and test-only helpers)
 *   and unwraps/rewraps arguments and results. Inside the emulator, objects talk to each other
 *   through the raw (un-proxied) instances, so internal work is never counted.
 * - Enums shaped like the real ones (objects whose toString() gives the constant name).
 * - gasError(): errors shaped like the ones Apps Script services throw (name `Exception`);
 *   notEmulated(): the error for a real API form the emulator does not offer.
 */

import type { UiRecorder } from './ui';

// ---------------------------------------------------------------------------
// Call log
// ---------------------------------------------------------------------------

/** One counted call: its name and, for a call that sends and receives JSON (the Sheets API), the bytes moved. */
export interface CallRecord {
  name: string;
  /** UTF-8 bytes of the request's JSON (0 for calls that move no JSON payload). */
  requestBytes: number;
  /** UTF-8 bytes of the response's JSON (0 for calls that move no JSON payload, or that failed). */
  responseBytes: number;
}

export class CallLog {
  private readonly entries: CallRecord[] = [];

  /** @internal used by the proxies and the Sheets API stand-in */
  record(name: string, requestBytes = 0, responseBytes = 0): void {
    this.entries.push({ name, requestBytes, responseBytes });
  }

  /** Number of recorded calls: all of them, or those named exactly `name` (`'Range.getValues'`). */
  count(name?: string): number {
    if (name === undefined) return this.entries.length;
    return this.entries.filter((e) => e.name === name).length;
  }

  /** Every recorded call name, in order (a copy). */
  list(): string[] {
    return this.entries.map((e) => e.name);
  }

  /** Every recorded call with its payload bytes, in order (copies). */
  records(): CallRecord[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /** Payload bytes moved (request + response) by all calls, or by those named exactly `name`. */
  bytes(name?: string): number {
    let total = 0;
    for (const e of this.entries) if (name === undefined || e.name === name) total += e.requestBytes + e.responseBytes;
    return total;
  }

  reset(): void {
    this.entries.length = 0;
  }
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/** An Error shaped like the ones Apps Script services throw (`Exception: <message>`). */
export function gasError(message: string): Error {
  const e = new Error(message);
  e.name = 'Exception';
  return e;
}

/**
 * The error for a form of the real API that the emulator does not offer (an overload, an option, an
 * input format): loud, so that a test never passes on a silently wrong emulation.
 */
export function notEmulated(what: string): Error {
  return new Error(`[gas-emulator] ${what} is not emulated; add it (see dev/gas-emulator/README.md)`);
}

/** Describe arguments the way Apps Script does in "The parameters (...) don't match" errors. */
function describeArg(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return (v.length ? describeArg(v[0]) : 'Object') + '[]';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'String';
  if (typeof v === 'boolean') return 'Boolean';
  if (isDate(v)) return 'Date';
  if (v instanceof GasObject) return v._cls;
  return 'Object';
}

export function signatureError(service: string, args: readonly unknown[]): Error {
  return gasError(`The parameters (${args.map(describeArg).join(',')}) don't match the method signature for ${service}.`);
}

/** Cross-realm Date check (values may come from a vm context). */
export function isDate(v: unknown): v is Date {
  return Object.prototype.toString.call(v) === '[object Date]';
}

// ---------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------

/** A value of an Apps Script enum: `String(v)` and `JSON.stringify(v)` give its name, as in Apps Script. */
export interface EnumValue {
  toString(): string;
  toJSON(): string;
}

export function makeEnum<K extends string>(keys: readonly K[]): { readonly [P in K]: EnumValue } {
  const out = {} as Record<K, EnumValue>;
  for (const key of keys) out[key] = Object.freeze({ toString: () => key, toJSON: () => key });
  return Object.freeze(out);
}

/** True when `v` is one of the values of `e`. */
export function isEnumOf(v: unknown, e: Record<string, EnumValue>): v is EnumValue {
  return !!v && typeof v === 'object' && Object.values(e).includes(v as EnumValue);
}

// ---------------------------------------------------------------------------
// Shared context
// ---------------------------------------------------------------------------

/** https://developers.google.com/apps-script/reference/script/auth-mode */
export type AuthModeName = 'NONE' | 'CUSTOM_FUNCTION' | 'LIMITED' | 'FULL';

export interface FakeClock {
  /** Current fake time (a fresh Date each call). */
  now(): Date;
  set(d: Date): void;
  /** Move the clock forward by `ms` milliseconds. */
  advance(ms: number): void;
}

export interface LogEntry {
  level: (typeof CONSOLE_LEVELS)[number];
  message: string;
}

/**
 * The kinds of run Apps Script starts, and who is who in each
 * (https://developers.google.com/apps-script/guides/triggers,
 * https://developers.google.com/apps-script/guides/triggers/installable):
 * - `editor`: a menu item, a sidebar's google.script.run call, or the script editor's Run: the person at the
 *   keyboard runs the script with their own authorization (FULL, or what setAuthMode says).
 * - `simple`: a simple trigger (onOpen, onEdit): "Because simple triggers fire automatically, without asking
 *   the user for authorization … they cannot access services that require authorization" (LIMITED). It runs
 *   as the person at the keyboard ("Simple triggers execute under the identity of the active user",
 *   https://developers.google.com/apps-script/execution_container_triggers).
 * - `installable-edit`: an installable edit trigger: "Installable triggers always run under the account of the
 *   person who created them" (FULL, as the installer) while the active user is the person who edited.
 * - `time-driven`: a clock trigger: runs as its installer; nobody is at the keyboard.
 */
export type ExecutionKind = 'editor' | 'simple' | 'installable-edit' | 'time-driven';

export interface Execution {
  kind: ExecutionKind;
  /** The person at the keyboard (the installer in a time-driven run). */
  activeUser: string;
  /** The account the script runs as: whose authorization, triggers and rights through protections. */
  effectiveUser: string;
  /** The trigger being run (installable triggers only). */
  triggerUid?: string;
}

/** An account's kind: a Google Workspace account of its domain, or a consumer (personal) Google account. */
export interface AccountSpec {
  /**
   * A consumer Google account: not in any Workspace domain, even with an official address (an account made
   * for `congan.phuocchanh@gialai.gov.vn` outside Workspace). Default: true for gmail.com and googlemail.com
   * addresses, false otherwise (a Workspace account of the address's domain).
   */
  consumer?: boolean;
}

/** Who is in which Google Workspace domain. */
export class Accounts {
  private readonly specs = new Map<string, AccountSpec>();

  declare(email: string, spec: AccountSpec): void {
    this.specs.set(email.toLowerCase(), { ...spec });
  }

  /** The Workspace domain of the account, or null for a consumer account. */
  workspaceDomain(email: string): string | null {
    const at = email.lastIndexOf('@');
    const domain = at < 0 ? '' : email.slice(at + 1).toLowerCase();
    const consumer = this.specs.get(email.toLowerCase())?.consumer ?? /^(gmail|googlemail)\.com$/.test(domain);
    return consumer || !domain ? null : domain;
  }

  sameWorkspace(a: string, b: string): boolean {
    const d = this.workspaceDomain(a);
    return d !== null && d === this.workspaceDomain(b);
  }
}

/** State shared by every emulated object of one environment. */
export interface Ctx {
  calls: CallLog;
  clock: FakeClock;
  /** The current run: who is at the keyboard, whom the script runs as. */
  exec: Execution;
  accounts: Accounts;
  /** The script's developer: the spreadsheet's owner, who made the bound script. */
  developer: string;
  scriptTimeZone: string;
  authMode: AuthModeName;
  ui: UiRecorder;
  logs: LogEntry[];
}

/**
 * What User.getEmail() gives for `email` in the current run
 * (https://developers.google.com/apps-script/reference/base/user#getEmail()): "the user's email address is not
 * available in any context that allows a script to run without that user's authorization, like a simple onOpen(e)
 * or onEdit(e) trigger … However, these restrictions generally do not apply if the developer runs the script
 * themselves or belongs to the same Google Workspace domain as the user." So:
 * - a menu, a sidebar call (the person authorised the script) and a time-driven run (the installer's own): the email;
 * - a simple trigger: the email when the person is the developer or in the developer's Workspace domain, else '';
 * - an installable edit trigger (runs on the installer's authorization): the email when the editor is the installer
 *   or in the installer's Workspace domain, else '' — as observed in "Detecting operations to Google Spreadsheet by
 *   owner, specific users, and anonymous users" (tanaikech.github.io, 2022-01-04): another user's edit gives e.user
 *   {email: ''}, Session.getActiveUser() '' and Session.getEffectiveUser() the installer.
 * Consumer accounts are in no Workspace domain, so across consumer accounts the email is ''.
 */
export function visibleEmail(ctx: Ctx, email: string): string {
  const { kind, effectiveUser } = ctx.exec;
  if (kind === 'editor' || kind === 'time-driven') return email;
  const authorizer = kind === 'simple' ? ctx.developer : effectiveUser;
  return email === authorizer || ctx.accounts.sameWorkspace(email, authorizer) ? email : '';
}

export function createClock(start: Date): FakeClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    set: (d: Date) => {
      t = d.getTime();
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

/**
 * Throw the real "You do not have permission to call X" error unless the auth mode allows it (onOpen of an
 * add-on not yet used in the document runs in NONE; simple triggers run in LIMITED).
 * https://developers.google.com/apps-script/add-ons/concepts/editor-auth-lifecycle
 */
export function requireAuth(ctx: Ctx, method: string, scope: string, needs: 'LIMITED' | 'FULL'): void {
  const rank: Record<AuthModeName, number> = { NONE: 0, CUSTOM_FUNCTION: 0, LIMITED: 1, FULL: 2 };
  if (rank[ctx.authMode] < rank[needs]) {
    throw gasError(`You do not have permission to call ${method}. Required permissions: ${scope}`);
  }
}

// ---------------------------------------------------------------------------
// Counted objects
// ---------------------------------------------------------------------------

/** Base class of every emulated Apps Script object. Members starting with `_` are internal. */
export abstract class GasObject {
  abstract readonly _cls: string;
  readonly _ctx: Ctx;

  constructor(ctx: Ctx) {
    this._ctx = ctx;
  }

  toString(): string {
    return this._cls;
  }
}

const proxyOf = new WeakMap<object, object>();
const targetOf = new WeakMap<object, object>();
const NOT_COUNTED = new Set(['toString', 'valueOf', 'toJSON']);

/** Apply `f` to every element of an array, keeping the same array when nothing changed. */
function mapArray<T>(value: T[], f: (x: T) => T): T[] {
  const out = value.map(f);
  return out.some((x, i) => x !== value[i]) ? out : value;
}

/** Wrap emulated objects (also inside arrays) in their counting proxy. Other values pass through. */
export function expose<T>(value: T): T {
  if (value instanceof GasObject) return exposeObject(value) as unknown as T;
  if (Array.isArray(value)) return mapArray(value, expose) as unknown as T;
  return value;
}

/** Replace counting proxies (also inside arrays) by the raw objects. */
export function unwrap<T>(value: T): T {
  if (value && typeof value === 'object') {
    const t = targetOf.get(value as unknown as object);
    if (t) return t as unknown as T;
    if (Array.isArray(value)) return mapArray(value, unwrap) as unknown as T;
  }
  return value;
}

function exposeObject(t: GasObject): object {
  const existing = proxyOf.get(t);
  if (existing) return existing;
  const cls = t._cls;
  const calls = t._ctx.calls;
  const hidden = (t.constructor as { testOnly?: ReadonlySet<string> }).testOnly;
  const cache = new Map<string, (...args: unknown[]) => unknown>();
  const p = new Proxy(t, {
    get(target, prop) {
      if (typeof prop !== 'string') return Reflect.get(target, prop, target);
      if (prop.startsWith('_') || prop === 'constructor' || hidden?.has(prop)) return undefined;
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return expose(v);
      let w = cache.get(prop);
      if (!w) {
        const fn = v as (...args: unknown[]) => unknown;
        const counted = !NOT_COUNTED.has(prop);
        const name = `${cls}.${prop}`;
        w = (...args: unknown[]): unknown => {
          if (counted) calls.record(name);
          return expose(fn.apply(target, args.map(unwrap)));
        };
        cache.set(prop, w);
      }
      return w;
    },
    set() {
      // Real service objects ignore arbitrary property assignment; never let code poke internals.
      return true;
    },
  });
  proxyOf.set(t, p);
  targetOf.set(p, t);
  return p;
}

// ---------------------------------------------------------------------------
// User (shared by Session, Protection and events)
// https://developers.google.com/apps-script/reference/base/user
// ---------------------------------------------------------------------------

export class UserImpl extends GasObject {
  readonly _cls = 'User';
  constructor(
    ctx: Ctx,
    readonly _email: string,
  ) {
    super(ctx);
  }
  getEmail(): string {
    return this._email;
  }
}

/** Email from a string or a User argument. */
export function emailOf(v: unknown): string {
  if (v instanceof UserImpl) return v._email;
  if (typeof v === 'string') return v.trim();
  throw gasError('Invalid argument: user');
}

// ---------------------------------------------------------------------------
// console (not an Apps Script service: recorded into env.logs, never printed, never counted)
// ---------------------------------------------------------------------------

const CONSOLE_LEVELS = ['log', 'info', 'warn', 'error'] as const;

function formatLog(args: unknown[]): string {
  return args
    .map((a) => {
      if (typeof a === 'string') return a;
      if (Object.prototype.toString.call(a) === '[object Error]') {
        const err = a as Error; // possibly from another realm (the vm of the code under test)
        return `${err.name}: ${err.message}`;
      }
      try {
        return typeof a === 'object' && a !== null && !isDate(a) ? JSON.stringify(a) : String(a);
      } catch {
        return String(a);
      }
    })
    .join(' ');
}

export function makeConsole(ctx: Ctx): Pick<Console, (typeof CONSOLE_LEVELS)[number]> {
  const rec =
    (level: LogEntry['level']) =>
    (...args: unknown[]) => {
      ctx.logs.push({ level, message: formatLog(args) });
    };
  return Object.fromEntries(CONSOLE_LEVELS.map((l) => [l, rec(l)])) as Pick<Console, LogEntry['level']>;
}
