/**
 * Core machinery shared by every fake Apps Script service:
 * - CallLog: every call a script makes on a service/object is recorded as `Class.method`.
 * - GasObject + expose(): fake objects are handed to the code under test wrapped in a Proxy
 *   that records each method call, hides internals (`_`-prefixed members and test-only helpers)
 *   and unwraps/rewraps arguments and results.  Inside the fakes, objects talk to each other
 *   through the raw (un-proxied) instances, so internal work is never counted.
 * - Enums shaped like the real ones (objects whose toString()/name() give the constant name).
 * - gasError(): errors shaped like the ones Apps Script services throw (name `Exception`).
 */

import type { UiRecorder } from './ui';

// ---------------------------------------------------------------------------
// Call log
// ---------------------------------------------------------------------------

export class CallLog {
  private readonly entries: string[] = [];

  /** @internal used by the proxies */
  record(name: string): void {
    this.entries.push(name);
  }

  /**
   * Number of recorded calls.
   * - no filter: every call;
   * - string: exact name (`'Range.getValues'`), or a prefix when it ends with `.*` (`'Range.*'`);
   * - RegExp: names matching it (`/^Range\./`).
   */
  count(filter?: string | RegExp): number {
    if (filter === undefined) return this.entries.length;
    let n = 0;
    if (typeof filter === 'string') {
      if (filter.endsWith('.*')) {
        const prefix = filter.slice(0, -1);
        for (const e of this.entries) if (e.startsWith(prefix)) n++;
      } else {
        for (const e of this.entries) if (e === filter) n++;
      }
      return n;
    }
    for (const e of this.entries) {
      filter.lastIndex = 0;
      if (filter.test(e)) n++;
    }
    return n;
  }

  /** Every recorded call name, in order (a copy). */
  list(): string[] {
    return this.entries.slice();
  }

  /** Calls grouped by name. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.entries) out[e] = (out[e] ?? 0) + 1;
    return out;
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

/** Describe arguments the way Apps Script does in "The parameters (...) don't match" errors. */
export function describeArgs(args: readonly unknown[]): string {
  return args.map(describeArg).join(',');
}

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
  return gasError(`The parameters (${describeArgs(args)}) don't match the method signature for ${service}.`);
}

/** Cross-realm Date check (values may come from a vm context). */
export function isDate(v: unknown): v is Date {
  return Object.prototype.toString.call(v) === '[object Date]';
}

// ---------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------

export interface EnumValue {
  name(): string;
  ordinal(): number;
  toString(): string;
  toJSON(): string;
}

const enumMeta = new WeakMap<object, { type: string; key: string }>();

export function makeEnum<K extends string>(type: string, keys: readonly K[]): { readonly [P in K]: EnumValue } {
  const out = {} as Record<K, EnumValue>;
  keys.forEach((key, i) => {
    const v: EnumValue = Object.freeze({
      name: () => key,
      ordinal: () => i,
      toString: () => key,
      toJSON: () => key,
    });
    enumMeta.set(v, { type, key });
    out[key] = v;
  });
  return Object.freeze(out);
}

/** Name of an enum value (also accepts a plain string, returned as is). */
export function enumKey(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const m = enumMeta.get(v);
    if (m) return m.key;
  }
  return null;
}

/** True when `v` is one of the values of `e`. */
export function isEnumOf(v: unknown, e: Record<string, EnumValue>): v is EnumValue {
  return !!v && typeof v === 'object' && Object.values(e).includes(v as EnumValue);
}

// ---------------------------------------------------------------------------
// Shared context
// ---------------------------------------------------------------------------

export type AuthModeName = 'NONE' | 'CUSTOM_FUNCTION' | 'LIMITED' | 'FULL';

export interface FakeClock {
  /** Current fake time (a fresh Date each call). */
  now(): Date;
  set(d: Date): void;
  /** Move the clock forward by `ms` milliseconds. */
  advance(ms: number): void;
}

export interface LogEntry {
  level: 'log' | 'info' | 'warn' | 'error' | 'debug' | 'Logger';
  message: string;
}

/** State shared by every fake object of one environment. */
export interface Ctx {
  calls: CallLog;
  clock: FakeClock;
  owner: string;
  activeUser: string;
  effectiveUser: string;
  scriptTimeZone: string;
  authMode: AuthModeName;
  uiAvailable: boolean;
  ui: UiRecorder;
  logs: LogEntry[];
  /** Optional evaluator for formulas written by the code (otherwise formula cells read as ''). */
  evaluateFormula?: (formula: string, where: { sheet: string; row: number; column: number }) => unknown;
}

export function createClock(start: Date): FakeClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    set: (d: Date) => {
      t = new Date(d.getTime()).getTime();
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

/** Throw the real "You do not have permission to call X" error unless the auth mode allows it. */
export function requireAuth(ctx: Ctx, method: string, scope: string, needs: 'LIMITED' | 'FULL'): void {
  const rank: Record<AuthModeName, number> = { NONE: 0, CUSTOM_FUNCTION: 0, LIMITED: 1, FULL: 2 };
  if (rank[ctx.authMode] < rank[needs]) {
    throw gasError(`You do not have permission to call ${method}. Required permissions: ${scope}`);
  }
}

// ---------------------------------------------------------------------------
// Counted objects
// ---------------------------------------------------------------------------

/** Base class of every fake Apps Script object. Members starting with `_` are internal. */
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

/** Wrap fake objects (also inside arrays) in their counting proxy. Other values pass through. */
export function expose<T>(value: T): T {
  if (value instanceof GasObject) return exposeObject(value) as unknown as T;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((x) => {
      const w = expose(x);
      if (w !== x) changed = true;
      return w;
    });
    return (changed ? out : value) as unknown as T;
  }
  return value;
}

/** Replace counting proxies (also inside arrays) by the raw objects. */
export function unwrap<T>(value: T): T {
  if (value && typeof value === 'object') {
    const t = targetOf.get(value as unknown as object);
    if (t) return t as unknown as T;
    if (Array.isArray(value)) {
      let changed = false;
      const out = value.map((x) => {
        const u = unwrap(x);
        if (u !== x) changed = true;
        return u;
      });
      return (changed ? out : value) as unknown as T;
    }
  }
  return value;
}

/** True when `v` is a counting proxy handed out by expose(). */
export function isExposed(v: unknown): boolean {
  return !!v && typeof v === 'object' && targetOf.has(v as object);
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
      if (prop.charCodeAt(0) === 95 /* _ */ || prop === 'constructor' || hidden?.has(prop)) return undefined;
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      let w = cache.get(prop);
      if (!w) {
        const fn = v as (...args: unknown[]) => unknown;
        const counted = !NOT_COUNTED.has(prop);
        const name = `${cls}.${prop}`;
        w = (...args: unknown[]): unknown => {
          if (counted) calls.record(name);
          return expose(
            fn.apply(
              target,
              args.map((a) => unwrap(a)),
            ),
          );
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
// User (shared by Session, Protection, Spreadsheet, events)
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
  /** Deprecated in the real API, still present. */
  getUserLoginId(): string {
    return this._email;
  }
}

/** Email from a string or a User argument. */
export function emailOf(v: unknown): string {
  if (v instanceof UserImpl) return v._email;
  if (typeof v === 'string') return v.trim();
  throw gasError('Invalid argument: user');
}
