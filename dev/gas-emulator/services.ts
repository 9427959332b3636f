/**
 * Fake LockService, PropertiesService, ScriptApp (triggers), MailApp, Session, Utilities,
 * DriveApp, Logger and a recording console.
 */

import { randomUUID } from 'node:crypto';
import {
  type Ctx,
  type EnumValue,
  GasObject,
  UserImpl,
  enumKey,
  gasError,
  isDate,
  isEnumOf,
  makeEnum,
  requireAuth,
  signatureError,
} from './core';
import { formatJavaPattern, isKnownTimeZone } from './dates';
import { SpreadsheetImpl } from './spreadsheet';

// ---------------------------------------------------------------------------
// LockService
// ---------------------------------------------------------------------------

export type LockKind = 'document' | 'script' | 'user';

interface LockState {
  holder: 'self' | 'other' | null;
  /** Clock time (ms) at which the other execution releases the lock. */
  otherUntil: number;
}

/** Test hooks to simulate another execution holding a lock. */
export class LockHooks {
  /** @internal */
  readonly states: Record<LockKind, LockState> = {
    document: { holder: null, otherUntil: 0 },
    script: { holder: null, otherUntil: 0 },
    user: { holder: null, otherUntil: 0 },
  };
  constructor(private readonly ctx: Ctx) {}

  /** Another execution holds the lock, forever or for `releaseAfterMs` of fake time. */
  holdByOther(kind: LockKind, releaseAfterMs?: number): void {
    this.states[kind] = {
      holder: 'other',
      otherUntil: releaseAfterMs === undefined ? Infinity : this.ctx.clock.now().getTime() + releaseAfterMs,
    };
  }
  /** Force-release the lock whoever holds it. */
  release(kind: LockKind): void {
    this.states[kind] = { holder: null, otherUntil: 0 };
  }
  /** Who holds the lock now: 'self' (the code under test), 'other' or null. */
  holder(kind: LockKind): 'self' | 'other' | null {
    const s = this.states[kind];
    if (s.holder === 'other' && this.ctx.clock.now().getTime() >= s.otherUntil) {
      this.states[kind] = { holder: null, otherUntil: 0 };
      return null;
    }
    return s.holder;
  }
}

export class LockImpl extends GasObject {
  readonly _cls = 'Lock';
  constructor(
    ctx: Ctx,
    readonly _hooks: LockHooks,
    readonly _kind: LockKind,
  ) {
    super(ctx);
  }
  private acquire(timeoutInMillis: number): boolean {
    if (typeof timeoutInMillis !== 'number' || Number.isNaN(timeoutInMillis)) throw signatureError('Lock.tryLock', [timeoutInMillis]);
    const h = this._hooks;
    const holder = h.holder(this._kind);
    if (holder !== 'other') {
      h.states[this._kind] = { holder: 'self', otherUntil: 0 };
      return true;
    }
    const now = this._ctx.clock.now().getTime();
    const until = h.states[this._kind].otherUntil;
    if (until - now <= timeoutInMillis) {
      this._ctx.clock.set(new Date(until));
      h.states[this._kind] = { holder: 'self', otherUntil: 0 };
      return true;
    }
    this._ctx.clock.advance(Math.max(0, timeoutInMillis));
    return false;
  }
  tryLock(timeoutInMillis: number): boolean {
    return this.acquire(timeoutInMillis);
  }
  waitLock(timeoutInMillis: number): void {
    if (!this.acquire(timeoutInMillis)) throw gasError('Lock timeout: another process was holding the lock for too long.');
  }
  hasLock(): boolean {
    return this._hooks.holder(this._kind) === 'self';
  }
  releaseLock(): void {
    if (this._hooks.holder(this._kind) === 'self') this._hooks.release(this._kind);
  }
}

export class LockServiceImpl extends GasObject {
  readonly _cls = 'LockService';
  constructor(
    ctx: Ctx,
    readonly _hooks: LockHooks,
  ) {
    super(ctx);
  }
  getDocumentLock(): LockImpl {
    return new LockImpl(this._ctx, this._hooks, 'document');
  }
  getScriptLock(): LockImpl {
    return new LockImpl(this._ctx, this._hooks, 'script');
  }
  getUserLock(): LockImpl {
    return new LockImpl(this._ctx, this._hooks, 'user');
  }
}

// ---------------------------------------------------------------------------
// PropertiesService
// ---------------------------------------------------------------------------

/** Documented quotas: 9 KB per value, 500 KB per property store. */
export const PROPERTY_VALUE_LIMIT_BYTES = 9 * 1024;
export const PROPERTY_STORE_LIMIT_BYTES = 500 * 1024;

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');

export class PropertiesImpl extends GasObject {
  readonly _cls = 'Properties';
  constructor(
    ctx: Ctx,
    readonly _store: Map<string, string>,
  ) {
    super(ctx);
  }
  private checkPut(entries: [string, string][], replaceAll: boolean): void {
    const next = new Map(replaceAll ? [] : this._store);
    for (const [k, v] of entries) {
      if (utf8Length(v) > PROPERTY_VALUE_LIMIT_BYTES) throw gasError('Argument too large: value');
      next.set(k, v);
    }
    let total = 0;
    for (const [k, v] of next) total += utf8Length(k) + utf8Length(v);
    if (total > PROPERTY_STORE_LIMIT_BYTES) {
      throw gasError('You have exceeded the property storage quota. Please remove some properties and try again.');
    }
  }
  getProperty(key: string): string | null {
    if (key === null || key === undefined) throw gasError('Invalid argument: key');
    return this._store.get(String(key)) ?? null;
  }
  setProperty(key: string, value: unknown): PropertiesImpl {
    if (key === null || key === undefined || key === '') throw gasError('Invalid argument: key');
    const v = String(value);
    this.checkPut([[String(key), v]], false);
    this._store.set(String(key), v);
    return this;
  }
  setProperties(properties: Record<string, unknown>, deleteAllOthers = false): PropertiesImpl {
    if (!properties || typeof properties !== 'object') throw signatureError('Properties.setProperties', [properties]);
    const entries = Object.entries(properties).map(([k, v]): [string, string] => [k, String(v)]);
    this.checkPut(entries, deleteAllOthers);
    if (deleteAllOthers) this._store.clear();
    for (const [k, v] of entries) this._store.set(k, v);
    return this;
  }
  getProperties(): Record<string, string> {
    return Object.fromEntries(this._store);
  }
  getKeys(): string[] {
    return [...this._store.keys()];
  }
  deleteProperty(key: string): PropertiesImpl {
    this._store.delete(String(key));
    return this;
  }
  deleteAllProperties(): PropertiesImpl {
    this._store.clear();
    return this;
  }
}

export class PropertyStores {
  readonly document = new Map<string, string>();
  readonly script = new Map<string, string>();
  readonly users = new Map<string, Map<string, string>>();
  user(email: string): Map<string, string> {
    let m = this.users.get(email);
    if (!m) {
      m = new Map();
      this.users.set(email, m);
    }
    return m;
  }
}

export class PropertiesServiceImpl extends GasObject {
  readonly _cls = 'PropertiesService';
  constructor(
    ctx: Ctx,
    readonly _stores: PropertyStores,
  ) {
    super(ctx);
  }
  private gate(method: string): void {
    requireAuth(this._ctx, `PropertiesService.${method}`, 'https://www.googleapis.com/auth/script.storage', 'LIMITED');
  }
  getDocumentProperties(): PropertiesImpl {
    this.gate('getDocumentProperties');
    return new PropertiesImpl(this._ctx, this._stores.document);
  }
  getScriptProperties(): PropertiesImpl {
    this.gate('getScriptProperties');
    return new PropertiesImpl(this._ctx, this._stores.script);
  }
  /** Store of the user the script runs as (Session.getEffectiveUser()). */
  getUserProperties(): PropertiesImpl {
    this.gate('getUserProperties');
    return new PropertiesImpl(this._ctx, this._stores.user(this._ctx.effectiveUser));
  }
}

// ---------------------------------------------------------------------------
// ScriptApp
// ---------------------------------------------------------------------------

export const AuthMode = makeEnum('AuthMode', ['NONE', 'CUSTOM_FUNCTION', 'LIMITED', 'FULL'] as const);
export const EventType = makeEnum('EventType', ['CLOCK', 'ON_OPEN', 'ON_EDIT', 'ON_FORM_SUBMIT', 'ON_CHANGE', 'ON_EVENT_UPDATED'] as const);
export const TriggerSource = makeEnum('TriggerSource', ['SPREADSHEETS', 'CLOCK', 'FORMS', 'DOCUMENTS', 'CALENDAR'] as const);
export const AuthorizationStatus = makeEnum('AuthorizationStatus', ['REQUIRED', 'NOT_REQUIRED'] as const);
export const Weekday = makeEnum('Weekday', ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const);

/** Documented quota: 20 triggers per user per script. */
export const MAX_TRIGGERS_PER_USER = 20;
const SCRIPTAPP_SCOPE = 'https://www.googleapis.com/auth/script.scriptapp';

/** Plain description of an installed trigger, for tests. */
export interface TriggerRecord {
  uniqueId: string;
  handlerFunction: string;
  eventType: keyof typeof EventType;
  source: keyof typeof TriggerSource;
  sourceId: string | null;
  owner: string;
  createdAt: Date;
  everyMinutes?: number;
  everyHours?: number;
  everyDays?: number;
  everyWeeks?: number;
  atHour?: number;
  nearMinute?: number;
  onWeekDay?: string;
  onMonthDay?: number;
  at?: Date;
  after?: number;
  timeZone?: string;
}

export class TriggerImpl extends GasObject {
  readonly _cls = 'Trigger';
  constructor(
    ctx: Ctx,
    readonly _rec: TriggerRecord,
  ) {
    super(ctx);
  }
  getHandlerFunction(): string {
    return this._rec.handlerFunction;
  }
  getEventType(): EnumValue {
    return EventType[this._rec.eventType];
  }
  getUniqueId(): string {
    return this._rec.uniqueId;
  }
  getTriggerSource(): EnumValue {
    return TriggerSource[this._rec.source];
  }
  getTriggerSourceId(): string | null {
    return this._rec.sourceId;
  }
}

export class TriggerStore {
  readonly triggers: TriggerRecord[] = [];
  private n = 0n;
  newId(): string {
    this.n += 1n;
    return String(4034124084959907000n + this.n);
  }
}

abstract class BaseTriggerBuilder extends GasObject {
  constructor(
    ctx: Ctx,
    readonly _store: TriggerStore,
    readonly _handler: string,
  ) {
    super(ctx);
  }
  protected install(partial: Omit<TriggerRecord, 'uniqueId' | 'handlerFunction' | 'owner' | 'createdAt'>): TriggerImpl {
    requireAuth(this._ctx, 'ScriptApp.newTrigger', SCRIPTAPP_SCOPE, 'FULL');
    const owner = this._ctx.effectiveUser;
    if (this._store.triggers.filter((t) => t.owner === owner).length >= MAX_TRIGGERS_PER_USER) {
      throw gasError('This script has too many triggers. Triggers must be deleted from the script before more can be added.');
    }
    const rec: TriggerRecord = {
      uniqueId: this._store.newId(),
      handlerFunction: this._handler,
      owner,
      createdAt: this._ctx.clock.now(),
      ...partial,
    };
    this._store.triggers.push(rec);
    return new TriggerImpl(this._ctx, rec);
  }
}

export class ClockTriggerBuilderImpl extends BaseTriggerBuilder {
  readonly _cls = 'ClockTriggerBuilder';
  _cfg: Partial<TriggerRecord> = {};

  private int(method: string, n: number, min: number, max: number): number {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      throw gasError(`Invalid argument: ${method}(${String(n)}). Expected an integer from ${min} to ${max}.`);
    }
    return n;
  }
  everyMinutes(n: number): ClockTriggerBuilderImpl {
    if (![1, 5, 10, 15, 30].includes(n)) throw gasError('The value passed to everyMinutes() must be one of 1, 5, 10, 15 or 30.');
    this._cfg.everyMinutes = n;
    return this;
  }
  everyHours(n: number): ClockTriggerBuilderImpl {
    if (![1, 2, 4, 6, 8, 12].includes(n)) throw gasError('The value passed to everyHours() must be one of 1, 2, 4, 6, 8 or 12.');
    this._cfg.everyHours = n;
    return this;
  }
  everyDays(n: number): ClockTriggerBuilderImpl {
    this._cfg.everyDays = this.int('everyDays', n, 1, 366);
    return this;
  }
  everyWeeks(n: number): ClockTriggerBuilderImpl {
    this._cfg.everyWeeks = this.int('everyWeeks', n, 1, 52);
    return this;
  }
  atHour(hour: number): ClockTriggerBuilderImpl {
    this._cfg.atHour = this.int('atHour', hour, 0, 23);
    return this;
  }
  nearMinute(minute: number): ClockTriggerBuilderImpl {
    this._cfg.nearMinute = this.int('nearMinute', minute, 0, 59);
    return this;
  }
  onWeekDay(day: EnumValue): ClockTriggerBuilderImpl {
    if (!isEnumOf(day, Weekday)) throw signatureError('ClockTriggerBuilder.onWeekDay', [day]);
    this._cfg.onWeekDay = enumKey(day) ?? undefined;
    return this;
  }
  onMonthDay(day: number): ClockTriggerBuilderImpl {
    this._cfg.onMonthDay = this.int('onMonthDay', day, 1, 31);
    return this;
  }
  at(date: Date): ClockTriggerBuilderImpl {
    if (!isDate(date)) throw signatureError('ClockTriggerBuilder.at', [date]);
    this._cfg.at = new Date(date.getTime());
    return this;
  }
  atDate(year: number, month: number, day: number): ClockTriggerBuilderImpl {
    this._cfg.at = new Date(Date.UTC(year, month - 1, day));
    return this;
  }
  after(durationMilliseconds: number): ClockTriggerBuilderImpl {
    this._cfg.after = durationMilliseconds;
    return this;
  }
  inTimezone(timezone: string): ClockTriggerBuilderImpl {
    if (typeof timezone !== 'string' || !isKnownTimeZone(timezone)) throw gasError(`Invalid argument: timezone`);
    this._cfg.timeZone = timezone;
    return this;
  }
  create(): TriggerImpl {
    const c = this._cfg;
    if (!c.everyMinutes && !c.everyHours && !c.everyDays && !c.everyWeeks && !c.at && c.after === undefined) {
      throw gasError('The trigger has no schedule: call everyMinutes/everyHours/everyDays/everyWeeks/at/after first.');
    }
    return this.install({ eventType: 'CLOCK', source: 'CLOCK', sourceId: null, ...c, timeZone: c.timeZone ?? this._ctx.scriptTimeZone });
  }
}

export class SpreadsheetTriggerBuilderImpl extends BaseTriggerBuilder {
  readonly _cls = 'SpreadsheetTriggerBuilder';
  _event: 'ON_OPEN' | 'ON_EDIT' | 'ON_CHANGE' | 'ON_FORM_SUBMIT' | null = null;
  constructor(
    ctx: Ctx,
    store: TriggerStore,
    handler: string,
    readonly _sourceId: string,
  ) {
    super(ctx, store, handler);
  }
  onOpen(): SpreadsheetTriggerBuilderImpl {
    this._event = 'ON_OPEN';
    return this;
  }
  onEdit(): SpreadsheetTriggerBuilderImpl {
    this._event = 'ON_EDIT';
    return this;
  }
  onChange(): SpreadsheetTriggerBuilderImpl {
    this._event = 'ON_CHANGE';
    return this;
  }
  onFormSubmit(): SpreadsheetTriggerBuilderImpl {
    this._event = 'ON_FORM_SUBMIT';
    return this;
  }
  create(): TriggerImpl {
    if (!this._event) throw gasError('The trigger has no event type: call onOpen/onEdit/onChange/onFormSubmit first.');
    return this.install({ eventType: this._event, source: 'SPREADSHEETS', sourceId: this._sourceId });
  }
}

export class TriggerBuilderImpl extends GasObject {
  readonly _cls = 'TriggerBuilder';
  constructor(
    ctx: Ctx,
    readonly _store: TriggerStore,
    readonly _handler: string,
  ) {
    super(ctx);
  }
  timeBased(): ClockTriggerBuilderImpl {
    return new ClockTriggerBuilderImpl(this._ctx, this._store, this._handler);
  }
  forSpreadsheet(sheet: SpreadsheetImpl | string): SpreadsheetTriggerBuilderImpl {
    const id = sheet instanceof SpreadsheetImpl ? sheet._id : typeof sheet === 'string' ? sheet : null;
    if (id === null) throw signatureError('TriggerBuilder.forSpreadsheet', [sheet]);
    return new SpreadsheetTriggerBuilderImpl(this._ctx, this._store, this._handler, id);
  }
}

class AuthorizationInfoImpl extends GasObject {
  readonly _cls = 'AuthorizationInfo';
  getAuthorizationStatus(): EnumValue {
    return AuthorizationStatus.NOT_REQUIRED;
  }
  getAuthorizationUrl(): string | null {
    return null;
  }
  getAuthorizedScopes(): string[] {
    return [];
  }
}

export class ScriptAppImpl extends GasObject {
  readonly _cls = 'ScriptApp';
  readonly AuthMode = AuthMode;
  readonly EventType = EventType;
  readonly TriggerSource = TriggerSource;
  readonly AuthorizationStatus = AuthorizationStatus;
  readonly WeekDay = Weekday;

  constructor(
    ctx: Ctx,
    readonly _store: TriggerStore,
    readonly _scriptId: string,
  ) {
    super(ctx);
  }
  newTrigger(functionName: string): TriggerBuilderImpl {
    if (typeof functionName !== 'string') throw signatureError('ScriptApp.newTrigger', [functionName]);
    return new TriggerBuilderImpl(this._ctx, this._store, functionName);
  }
  /** Installable triggers of the current user in this project. */
  getProjectTriggers(): TriggerImpl[] {
    requireAuth(this._ctx, 'ScriptApp.getProjectTriggers', SCRIPTAPP_SCOPE, 'FULL');
    return this._store.triggers.filter((t) => t.owner === this._ctx.effectiveUser).map((t) => new TriggerImpl(this._ctx, t));
  }
  getUserTriggers(spreadsheet: SpreadsheetImpl): TriggerImpl[] {
    requireAuth(this._ctx, 'ScriptApp.getUserTriggers', SCRIPTAPP_SCOPE, 'FULL');
    if (!(spreadsheet instanceof SpreadsheetImpl)) throw signatureError('ScriptApp.getUserTriggers', [spreadsheet]);
    return this._store.triggers
      .filter((t) => t.owner === this._ctx.effectiveUser && t.sourceId === spreadsheet._id)
      .map((t) => new TriggerImpl(this._ctx, t));
  }
  deleteTrigger(trigger: TriggerImpl): void {
    requireAuth(this._ctx, 'ScriptApp.deleteTrigger', SCRIPTAPP_SCOPE, 'FULL');
    if (!(trigger instanceof TriggerImpl)) throw signatureError('ScriptApp.deleteTrigger', [trigger]);
    const i = this._store.triggers.findIndex((t) => t.uniqueId === trigger._rec.uniqueId);
    if (i >= 0) this._store.triggers.splice(i, 1);
  }
  getScriptId(): string {
    return this._scriptId;
  }
  getAuthorizationInfo(_authMode?: EnumValue): AuthorizationInfoImpl {
    return new AuthorizationInfoImpl(this._ctx);
  }
}

// ---------------------------------------------------------------------------
// MailApp
// ---------------------------------------------------------------------------

export interface SentMail {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body: string;
  htmlBody?: string;
  name?: string;
  replyTo?: string;
  noReply?: boolean;
  attachments?: unknown[];
  from: string;
  sentAt: Date;
}

interface MailOptions {
  to?: string;
  cc?: string;
  bcc?: string;
  subject?: string;
  body?: string;
  htmlBody?: string;
  name?: string;
  replyTo?: string;
  noReply?: boolean;
  attachments?: unknown[];
  inlineImages?: unknown;
}

function splitRecipients(list: unknown): string[] {
  if (list === undefined || list === null || list === '') return [];
  return String(list)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function assertEmail(addr: string): void {
  const m = /<([^>]*)>\s*$/.exec(addr);
  const bare = (m ? m[1] : addr).trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(bare)) throw gasError(`Invalid email: ${addr}`);
}

export class MailState {
  constructor(
    public remaining: number,
    readonly sent: SentMail[],
  ) {}
}

export class MailAppImpl extends GasObject {
  readonly _cls = 'MailApp';
  constructor(
    ctx: Ctx,
    readonly _state: MailState,
  ) {
    super(ctx);
  }
  getRemainingDailyQuota(): number {
    return this._state.remaining;
  }
  /** sendEmail(message) | (recipient, subject, body[, options]) | (to, replyTo, subject, body) */
  sendEmail(...args: unknown[]): void {
    requireAuth(this._ctx, 'MailApp.sendEmail', 'https://www.googleapis.com/auth/script.send_mail', 'FULL');
    let o: MailOptions;
    if (args.length === 1 && args[0] && typeof args[0] === 'object') {
      o = { ...(args[0] as MailOptions) };
    } else if (args.length === 4 && typeof args[3] === 'string') {
      o = { to: String(args[0]), replyTo: String(args[1]), subject: String(args[2]), body: String(args[3]) };
    } else if (args.length >= 3 && typeof args[0] === 'string') {
      const opts = (args[3] && typeof args[3] === 'object' ? args[3] : {}) as MailOptions;
      o = { ...opts, to: args[0], subject: String(args[1] ?? ''), body: String(args[2] ?? '') };
    } else {
      throw signatureError('MailApp.sendEmail', args);
    }
    const to = splitRecipients(o.to);
    const cc = splitRecipients(o.cc);
    const bcc = splitRecipients(o.bcc);
    const all = [...to, ...cc, ...bcc];
    if (!all.length) throw gasError('Failed to send email: no recipient');
    all.forEach(assertEmail);
    if (o.replyTo) assertEmail(o.replyTo);
    if (this._state.remaining < all.length) throw gasError('Service invoked too many times for one day: email.');
    this._state.remaining -= all.length;
    const mail: SentMail = {
      to,
      cc,
      bcc,
      subject: String(o.subject ?? ''),
      body: String(o.body ?? ''),
      from: this._ctx.effectiveUser,
      sentAt: this._ctx.clock.now(),
    };
    if (o.htmlBody !== undefined) mail.htmlBody = String(o.htmlBody);
    if (o.name !== undefined) mail.name = String(o.name);
    if (o.replyTo !== undefined) mail.replyTo = String(o.replyTo);
    if (o.noReply !== undefined) mail.noReply = !!o.noReply;
    if (o.attachments !== undefined) mail.attachments = o.attachments;
    this._state.sent.push(mail);
  }
}

// ---------------------------------------------------------------------------
// Session
// ---------------------------------------------------------------------------

export class SessionImpl extends GasObject {
  readonly _cls = 'Session';
  getActiveUser(): UserImpl {
    return new UserImpl(this._ctx, this._ctx.activeUser);
  }
  getEffectiveUser(): UserImpl {
    return new UserImpl(this._ctx, this._ctx.effectiveUser);
  }
  getScriptTimeZone(): string {
    return this._ctx.scriptTimeZone;
  }
  /** Deprecated alias. */
  getTimeZone(): string {
    return this._ctx.scriptTimeZone;
  }
  getActiveUserLocale(): string {
    return 'vi';
  }
  getTemporaryActiveUserKey(): string {
    return `tmp-${Buffer.from(this._ctx.activeUser).toString('base64')}`;
  }
}

// ---------------------------------------------------------------------------
// Utilities
// ---------------------------------------------------------------------------

export class UtilitiesImpl extends GasObject {
  readonly _cls = 'Utilities';
  formatDate(date: Date, timeZone: string, format: string): string {
    if (!isDate(date) || typeof timeZone !== 'string' || typeof format !== 'string') {
      throw signatureError('Utilities.formatDate', [date, timeZone, format]);
    }
    return formatJavaPattern(date, timeZone, format);
  }
  /** No real waiting: the fake clock moves forward by `milliseconds`. */
  sleep(milliseconds: number): void {
    if (typeof milliseconds !== 'number') throw signatureError('Utilities.sleep', [milliseconds]);
    this._ctx.clock.advance(Math.max(0, milliseconds));
  }
  getUuid(): string {
    return randomUUID();
  }
  /** sprintf-like: %s %d %i %f %.Nf %%. */
  formatString(template: string, ...args: unknown[]): string {
    let i = 0;
    return String(template).replace(/%(\.\d+)?([sdif%])/g, (_m, prec: string | undefined, t: string) => {
      if (t === '%') return '%';
      const a = args[i++];
      if (t === 's') return String(a);
      if (t === 'd' || t === 'i') return String(Math.trunc(Number(a)));
      return prec ? Number(a).toFixed(Number(prec.slice(1))) : String(Number(a));
    });
  }
  base64Encode(data: string): string {
    return Buffer.from(String(data), 'utf8').toString('base64');
  }
  base64Decode(encoded: string): number[] {
    return [...Buffer.from(String(encoded), 'base64')].map((b) => (b > 127 ? b - 256 : b));
  }
}

// ---------------------------------------------------------------------------
// DriveApp
// ---------------------------------------------------------------------------

export const Access = makeEnum('Access', ['ANYONE', 'ANYONE_WITH_LINK', 'DOMAIN', 'DOMAIN_WITH_LINK', 'PRIVATE'] as const);
export const Permission = makeEnum('Permission', ['VIEW', 'EDIT', 'COMMENT', 'OWNER', 'ORGANIZER', 'NONE'] as const);

export interface DriveFileSpec {
  name: string;
  access?: string;
  permission?: string;
  mimeType?: string;
  owner?: string;
}

export class DriveState {
  constructor(
    public authorized: boolean,
    readonly files: Map<string, Required<DriveFileSpec>>,
  ) {}
}

export class FileImpl extends GasObject {
  readonly _cls = 'File';
  constructor(
    ctx: Ctx,
    readonly _id: string,
    readonly _spec: Required<DriveFileSpec>,
  ) {
    super(ctx);
  }
  getId(): string {
    return this._id;
  }
  getName(): string {
    return this._spec.name;
  }
  getMimeType(): string {
    return this._spec.mimeType;
  }
  getUrl(): string {
    if (this._spec.mimeType === 'application/vnd.google-apps.spreadsheet') {
      return `https://docs.google.com/spreadsheets/d/${this._id}/edit?usp=drivesdk`;
    }
    return `https://drive.google.com/file/d/${this._id}/view?usp=drivesdk`;
  }
  getSharingAccess(): EnumValue {
    return Access[this._spec.access as keyof typeof Access];
  }
  getSharingPermission(): EnumValue {
    return Permission[this._spec.permission as keyof typeof Permission];
  }
  setSharing(accessType: EnumValue, permissionType: EnumValue): FileImpl {
    if (!isEnumOf(accessType, Access) || !isEnumOf(permissionType, Permission))
      throw signatureError('File.setSharing', [accessType, permissionType]);
    this._spec.access = enumKey(accessType) as string;
    this._spec.permission = enumKey(permissionType) as string;
    return this;
  }
  getOwner(): UserImpl {
    return new UserImpl(this._ctx, this._spec.owner);
  }
  setName(name: string): FileImpl {
    this._spec.name = String(name);
    return this;
  }
}

export class DriveAppImpl extends GasObject {
  readonly _cls = 'DriveApp';
  readonly Access = Access;
  readonly Permission = Permission;
  constructor(
    ctx: Ctx,
    readonly _state: DriveState,
  ) {
    super(ctx);
  }
  getFileById(id: string): FileImpl {
    const scope = '(https://www.googleapis.com/auth/drive.readonly || https://www.googleapis.com/auth/drive)';
    requireAuth(this._ctx, 'DriveApp.getFileById', scope, 'FULL');
    if (!this._state.authorized) throw gasError(`You do not have permission to call DriveApp.getFileById. Required permissions: ${scope}`);
    const spec = this._state.files.get(String(id));
    if (!spec) throw gasError('No item with the given ID could be found, or you do not have permission to access it.');
    return new FileImpl(this._ctx, String(id), spec);
  }
}

// ---------------------------------------------------------------------------
// Logger & console
// ---------------------------------------------------------------------------

function formatLog(args: unknown[]): string {
  if (!args.length) return '';
  const [first, ...rest] = args;
  if (typeof first === 'string' && rest.length && /%[sdif]/.test(first)) {
    let i = 0;
    return first.replace(/%[sdif]/g, () => String(rest[i++]));
  }
  return args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' ');
}

function safeJson(a: unknown): string {
  if (isDate(a)) return a.toString();
  if (a instanceof Error) return `${a.name}: ${a.message}`;
  try {
    return typeof a === 'object' && a !== null ? JSON.stringify(a) : String(a);
  } catch {
    return String(a);
  }
}

export class LoggerImpl extends GasObject {
  readonly _cls = 'Logger';
  private lines: string[] = [];
  log(...args: unknown[]): LoggerImpl {
    const line = formatLog(args);
    this.lines.push(line);
    this._ctx.logs.push({ level: 'Logger', message: line });
    return this;
  }
  getLog(): string {
    return this.lines.map((l) => `${l}\n`).join('');
  }
  clear(): void {
    this.lines = [];
  }
}

/** A console that records into env.logs instead of printing (not counted as service calls). */
export function makeConsole(ctx: Ctx): Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'debug'> {
  const rec =
    (level: 'log' | 'info' | 'warn' | 'error' | 'debug') =>
    (...args: unknown[]) => {
      ctx.logs.push({ level, message: formatLog(args) });
    };
  return { log: rec('log'), info: rec('info'), warn: rec('warn'), error: rec('error'), debug: rec('debug') };
}
