/** Emulated LockService, PropertiesService, ScriptApp (triggers), MailApp, Session, Utilities and DriveApp. */

import {
  type Ctx,
  type EnumValue,
  GasObject,
  UserImpl,
  gasError,
  isDate,
  makeEnum,
  notEmulated,
  requireAuth,
  signatureError,
  unwrap,
  visibleEmail,
} from './core';
import { formatJavaPattern, isKnownTimeZone } from './dates';
import { SpreadsheetImpl } from './spreadsheet';

/** Documented limits: https://developers.google.com/apps-script/guides/services/quotas */
export const PROPERTY_VALUE_LIMIT_BYTES = 9 * 1024;
export const PROPERTY_STORE_LIMIT_BYTES = 500 * 1024;
export const MAX_TRIGGERS_PER_USER = 20;

// ---------------------------------------------------------------------------
// LockService — https://developers.google.com/apps-script/reference/lock/lock
// ---------------------------------------------------------------------------

/** Only the document lock is emulated. */
type LockKind = 'document';

/** Test hooks to simulate another execution holding a lock. */
export class LockHooks {
  /** Locks held by another execution, which never releases them. */
  readonly heldByOther = new Set<LockKind>();

  holdByOther(kind: LockKind): void {
    this.heldByOther.add(kind);
  }

  /**
   * Work another execution (or a person, who takes no lock) does while this execution waits for a lock: run once, at
   * the next waitLock or tryLock, before the lock is granted.
   */
  meanwhile: (() => void) | null = null;
}

class LockImpl extends GasObject {
  readonly _cls = 'Lock';
  constructor(
    ctx: Ctx,
    readonly _hooks: LockHooks,
    readonly _kind: LockKind,
  ) {
    super(ctx);
  }
  /** Waiting costs fake time: a failed attempt moves the clock forward by the whole timeout. */
  private acquire(method: string, timeoutInMillis: number): boolean {
    if (typeof timeoutInMillis !== 'number' || Number.isNaN(timeoutInMillis)) throw signatureError(method, [timeoutInMillis]);
    const meanwhile = this._hooks.meanwhile;
    this._hooks.meanwhile = null;
    meanwhile?.();
    if (!this._hooks.heldByOther.has(this._kind)) return true;
    this._ctx.clock.advance(Math.max(0, timeoutInMillis));
    return false;
  }
  tryLock(timeoutInMillis: number): boolean {
    return this.acquire('Lock.tryLock', timeoutInMillis);
  }
  waitLock(timeoutInMillis: number): void {
    if (!this.acquire('Lock.waitLock', timeoutInMillis)) throw gasError('Lock timeout: another process was holding the lock for too long.');
  }
  releaseLock(): void {
    // Nothing to do: another execution never waits for this one.
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
}

// ---------------------------------------------------------------------------
// PropertiesService — https://developers.google.com/apps-script/reference/properties/properties
// ---------------------------------------------------------------------------

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');

class PropertiesImpl extends GasObject {
  readonly _cls = 'Properties';
  constructor(
    ctx: Ctx,
    readonly _store: Map<string, string>,
  ) {
    super(ctx);
  }
  getProperty(key: string): string | null {
    if (key === null || key === undefined) throw gasError('Invalid argument: key');
    return this._store.get(String(key)) ?? null;
  }
  /** Every key and value, a copy (https://developers.google.com/apps-script/reference/properties/properties#getProperties()). */
  getProperties(): Record<string, string> {
    return Object.fromEntries(this._store);
  }
  /** Values are stored as strings; sizes count UTF-8 bytes (keys and values toward the store limit). */
  setProperty(key: string, value: unknown): PropertiesImpl {
    if (key === null || key === undefined || key === '') throw gasError('Invalid argument: key');
    return this._set([[String(key), value]]);
  }
  /**
   * "Sets all key-value pairs from the given object in the current Properties store", in one call
   * (https://developers.google.com/apps-script/reference/properties/properties#setProperties(Object)): all or none
   * when a value or the store is too large.
   */
  setProperties(properties: Record<string, unknown>): PropertiesImpl {
    return this._set(Object.entries(properties ?? {}));
  }
  private _set(entries: readonly [string, unknown][]): PropertiesImpl {
    const next = new Map(this._store);
    for (const [key, value] of entries) {
      if (key === '') throw gasError('Invalid argument: key');
      const v = String(value);
      if (utf8Length(v) > PROPERTY_VALUE_LIMIT_BYTES) throw gasError('Argument too large: value');
      next.set(key, v);
    }
    let total = 0;
    for (const [k, v] of next) total += utf8Length(k) + utf8Length(v);
    if (total > PROPERTY_STORE_LIMIT_BYTES) {
      throw gasError('You have exceeded the property storage quota. Please remove some properties and try again.');
    }
    for (const [k, v] of next) this._store.set(k, v);
    return this;
  }
  /**
   * "Gets all keys in the current Properties store"
   * (https://developers.google.com/apps-script/reference/properties/properties#getKeys()).
   */
  getKeys(): string[] {
    return [...this._store.keys()];
  }
  deleteProperty(key: string): PropertiesImpl {
    this._store.delete(String(key));
    return this;
  }
}

/** Only the document store is emulated. */
export class PropertiesServiceImpl extends GasObject {
  readonly _cls = 'PropertiesService';
  constructor(
    ctx: Ctx,
    readonly _document: Map<string, string>,
  ) {
    super(ctx);
  }
  getDocumentProperties(): PropertiesImpl {
    requireAuth(this._ctx, 'PropertiesService.getDocumentProperties', 'https://www.googleapis.com/auth/script.storage', 'LIMITED');
    return new PropertiesImpl(this._ctx, this._document);
  }
}

// ---------------------------------------------------------------------------
// ScriptApp — https://developers.google.com/apps-script/reference/script/script-app
// ---------------------------------------------------------------------------

export const AuthMode = makeEnum(['NONE', 'CUSTOM_FUNCTION', 'LIMITED', 'FULL'] as const);

const SCRIPTAPP_SCOPE = 'https://www.googleapis.com/auth/script.scriptapp';

/** Plain description of an installed trigger, for tests. */
export interface TriggerRecord {
  uniqueId: string;
  handlerFunction: string;
  eventType: 'CLOCK' | 'ON_EDIT';
  /** The spreadsheet an ON_EDIT trigger watches. */
  sourceId: string | null;
  /** The user who installed it (triggers are per user). */
  owner: string;
  everyDays?: number;
  atHour?: number;
  timeZone?: string;
}

/** https://developers.google.com/apps-script/reference/script/trigger */
class TriggerImpl extends GasObject {
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
  /** The id an installable trigger's event carries as `triggerUid`. */
  getUniqueId(): string {
    return this._rec.uniqueId;
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
  protected install(partial: Omit<TriggerRecord, 'uniqueId' | 'handlerFunction' | 'owner'>): TriggerImpl {
    requireAuth(this._ctx, 'ScriptApp.newTrigger', SCRIPTAPP_SCOPE, 'FULL');
    const owner = this._ctx.exec.effectiveUser;
    if (this._store.triggers.filter((t) => t.owner === owner).length >= MAX_TRIGGERS_PER_USER) {
      throw gasError('This script has too many triggers. Triggers must be deleted from the script before more can be added.');
    }
    const rec: TriggerRecord = { uniqueId: this._store.newId(), handlerFunction: this._handler, owner, ...partial };
    this._store.triggers.push(rec);
    return new TriggerImpl(this._ctx, rec);
  }
}

/** https://developers.google.com/apps-script/reference/script/clock-trigger-builder */
class ClockTriggerBuilderImpl extends BaseTriggerBuilder {
  readonly _cls = 'ClockTriggerBuilder';
  _cfg: Pick<TriggerRecord, 'everyDays' | 'atHour' | 'timeZone'> = {};

  private int(method: string, n: number, min: number, max: number): number {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      throw gasError(`Invalid argument: ${method}(${String(n)}). Expected an integer from ${min} to ${max}.`);
    }
    return n;
  }
  everyDays(n: number): ClockTriggerBuilderImpl {
    this._cfg.everyDays = this.int('everyDays', n, 1, 366);
    return this;
  }
  atHour(hour: number): ClockTriggerBuilderImpl {
    this._cfg.atHour = this.int('atHour', hour, 0, 23);
    return this;
  }
  inTimezone(timezone: string): ClockTriggerBuilderImpl {
    if (typeof timezone !== 'string' || !isKnownTimeZone(timezone)) throw gasError('Invalid argument: timezone');
    this._cfg.timeZone = timezone;
    return this;
  }
  /** Without inTimezone() the trigger runs in the script's time zone. */
  create(): TriggerImpl {
    const c = this._cfg;
    if (!c.everyDays) throw gasError('The trigger has no schedule: call everyDays first.');
    return this.install({ eventType: 'CLOCK', sourceId: null, ...c, timeZone: c.timeZone ?? this._ctx.scriptTimeZone });
  }
}

/** https://developers.google.com/apps-script/reference/script/spreadsheet-trigger-builder */
class SpreadsheetTriggerBuilderImpl extends BaseTriggerBuilder {
  readonly _cls = 'SpreadsheetTriggerBuilder';
  _event: 'ON_EDIT' | null = null;
  constructor(
    ctx: Ctx,
    store: TriggerStore,
    handler: string,
    readonly _sourceId: string,
  ) {
    super(ctx, store, handler);
  }
  onEdit(): SpreadsheetTriggerBuilderImpl {
    this._event = 'ON_EDIT';
    return this;
  }
  create(): TriggerImpl {
    if (!this._event) throw gasError('The trigger has no event type: call onEdit first.');
    return this.install({ eventType: this._event, sourceId: this._sourceId });
  }
}

/** https://developers.google.com/apps-script/reference/script/trigger-builder */
class TriggerBuilderImpl extends GasObject {
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

export class ScriptAppImpl extends GasObject {
  readonly _cls = 'ScriptApp';
  readonly AuthMode = AuthMode;

  constructor(
    ctx: Ctx,
    readonly _store: TriggerStore,
  ) {
    super(ctx);
  }
  newTrigger(functionName: string): TriggerBuilderImpl {
    if (typeof functionName !== 'string') throw signatureError('ScriptApp.newTrigger', [functionName]);
    return new TriggerBuilderImpl(this._ctx, this._store, functionName);
  }
  /**
   * "Gets all installable triggers associated with the current project and current user"
   * (https://developers.google.com/apps-script/reference/script/script-app#getProjectTriggers()): only the triggers
   * the account the script runs as installed — "A given account can't see triggers installed from a second account,
   * even though the first account can still activate those triggers"
   * (https://developers.google.com/apps-script/guides/triggers/installable#restrictions).
   */
  getProjectTriggers(): TriggerImpl[] {
    requireAuth(this._ctx, 'ScriptApp.getProjectTriggers', SCRIPTAPP_SCOPE, 'FULL');
    const me = this._ctx.exec.effectiveUser;
    return this._store.triggers.filter((t) => t.owner === me).map((t) => new TriggerImpl(this._ctx, t));
  }
  /**
   * Removes one of the current account's triggers. Another account's trigger cannot be reached through
   * getProjectTriggers, so there is no real way to try; a Trigger object carried over from a run as another
   * account is refused with an assumed message rather than deleted.
   */
  deleteTrigger(trigger: TriggerImpl): void {
    requireAuth(this._ctx, 'ScriptApp.deleteTrigger', SCRIPTAPP_SCOPE, 'FULL');
    if (!(trigger instanceof TriggerImpl)) throw signatureError('ScriptApp.deleteTrigger', [trigger]);
    if (trigger._rec.owner !== this._ctx.exec.effectiveUser) {
      throw gasError('The trigger belongs to another user: only the account that installed it can delete it.');
    }
    const i = this._store.triggers.findIndex((t) => t.uniqueId === trigger._rec.uniqueId);
    if (i >= 0) this._store.triggers.splice(i, 1);
  }
}

// ---------------------------------------------------------------------------
// MailApp — https://developers.google.com/apps-script/reference/mail/mail-app
// ---------------------------------------------------------------------------

export interface SentMail {
  to: string[];
  cc: string[];
  subject: string;
  body: string;
  htmlBody?: string;
  name?: string;
}

const MAIL_SCOPE = 'https://www.googleapis.com/auth/script.send_mail';

/** The fields of the sendEmail(message) object the emulator understands; any other field is refused. */
const MAIL_FIELDS = new Set(['to', 'cc', 'subject', 'body', 'htmlBody', 'name']);

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
  /** Needs the mail scope like sendEmail (assumed: every MailApp method is refused to a simple trigger). */
  getRemainingDailyQuota(): number {
    requireAuth(this._ctx, 'MailApp.getRemainingDailyQuota', MAIL_SCOPE, 'FULL');
    return this._state.remaining;
  }
  /** Only the sendEmail(message) form. Every recipient (to and cc) consumes one unit of the daily quota. */
  sendEmail(...args: unknown[]): void {
    requireAuth(this._ctx, 'MailApp.sendEmail', MAIL_SCOPE, 'FULL');
    const [message] = args;
    if (args.length !== 1 || !message || typeof message !== 'object')
      throw notEmulated(`MailApp.sendEmail with ${args.length} argument(s)`);
    const o = message as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!MAIL_FIELDS.has(k)) throw notEmulated(`the MailApp.sendEmail field "${k}"`);
    const to = splitRecipients(o.to);
    const cc = splitRecipients(o.cc);
    const all = [...to, ...cc];
    if (!all.length) throw gasError('Failed to send email: no recipient');
    all.forEach(assertEmail);
    if (this._state.remaining < all.length) throw gasError('Service invoked too many times for one day: email.');
    this._state.remaining -= all.length;
    const mail: SentMail = { to, cc, subject: String(o.subject ?? ''), body: String(o.body ?? '') };
    if (o.htmlBody !== undefined) mail.htmlBody = String(o.htmlBody);
    if (o.name !== undefined) mail.name = String(o.name);
    this._state.sent.push(mail);
  }
}

// ---------------------------------------------------------------------------
// Session and Utilities
// ---------------------------------------------------------------------------

/** https://developers.google.com/apps-script/reference/base/session — what each returns is decided by visibleEmail (core.ts). */
export class SessionImpl extends GasObject {
  readonly _cls = 'Session';
  /** The person at the keyboard; '' where the reference says the address is not available. */
  getActiveUser(): UserImpl {
    return new UserImpl(this._ctx, visibleEmail(this._ctx, this._ctx.exec.activeUser));
  }
  /**
   * "the user under whose authority the script is running": the installer in an installable or time-driven run,
   * the person in a menu or sidebar call. In a simple trigger the script runs as the active user; its address is
   * assumed to be shown on the same terms as getActiveUser's.
   */
  getEffectiveUser(): UserImpl {
    const exec = this._ctx.exec;
    return new UserImpl(this._ctx, exec.kind === 'simple' ? visibleEmail(this._ctx, exec.effectiveUser) : exec.effectiveUser);
  }
}

/** https://developers.google.com/apps-script/reference/utilities/utilities */
export class UtilitiesImpl extends GasObject {
  readonly _cls = 'Utilities';
  formatDate(date: Date, timeZone: string, format: string): string {
    if (!isDate(date) || typeof timeZone !== 'string' || typeof format !== 'string') {
      throw signatureError('Utilities.formatDate', [date, timeZone, format]);
    }
    return formatJavaPattern(date, timeZone, format);
  }
}

// ---------------------------------------------------------------------------
// Services that need authorization and do nothing here: UrlFetchApp and the advanced Sheets service
// ---------------------------------------------------------------------------

/**
 * https://developers.google.com/apps-script/reference/url-fetch/url-fetch-app — present in every project; a simple
 * trigger may not call it ("They cannot access services that require authorization",
 * https://developers.google.com/apps-script/guides/triggers#restrictions). There is no network here: a run that is
 * allowed to fetch meets a loud not-emulated error.
 */
export class UrlFetchAppImpl extends GasObject {
  readonly _cls = 'UrlFetchApp';
  fetch(url: string): never {
    requireAuth(this._ctx, 'UrlFetchApp.fetch', 'https://www.googleapis.com/auth/script.external_request', 'FULL');
    throw notEmulated(`UrlFetchApp.fetch(${JSON.stringify(String(url))})`);
  }
}

// ---------------------------------------------------------------------------
// DriveApp — https://developers.google.com/apps-script/reference/drive/drive-app
// ---------------------------------------------------------------------------

/** https://developers.google.com/apps-script/reference/drive/access */
export const Access = makeEnum(['ANYONE', 'ANYONE_WITH_LINK', 'DOMAIN', 'DOMAIN_WITH_LINK', 'PRIVATE'] as const);

export const FOLDER_MIME_TYPE = 'application/vnd.google-apps.folder';

export interface DriveFileSpec {
  name: string;
  /** A key of DriveApp.Access (default PRIVATE). */
  access?: string;
  /** Accepted for the callers that describe it; no emulated method reads it. */
  permission?: string;
  /** Default application/octet-stream; application/vnd.google-apps.folder makes a folder. */
  mimeType?: string;
  /** Ids of the folders holding it (default: the root of My Drive, DRIVE_ROOT_ID). */
  parents?: string[];
}

export interface DriveItem {
  name: string;
  access: keyof typeof Access;
  mimeType: string;
  parents: string[];
}

/** The id of the emulated root folder ("My Drive"), always present. */
export const DRIVE_ROOT_ID = 'root';

export class DriveState {
  constructor(
    public authorized: boolean,
    readonly items: Map<string, DriveItem>,
  ) {
    if (!items.has(DRIVE_ROOT_ID))
      items.set(DRIVE_ROOT_ID, { name: 'My Drive', access: 'PRIVATE', mimeType: FOLDER_MIME_TYPE, parents: [] });
  }
}

/** https://developers.google.com/apps-script/reference/drive/folder-iterator */
class FolderIteratorImpl extends GasObject {
  readonly _cls = 'FolderIterator';
  private at = 0;
  constructor(
    ctx: Ctx,
    readonly _folders: DriveItemImpl[],
  ) {
    super(ctx);
  }
  hasNext(): boolean {
    return this.at < this._folders.length;
  }
  next(): DriveItemImpl {
    if (!this.hasNext()) throw gasError('Cannot retrieve the next object: iterator has reached the end.');
    return this._folders[this.at++];
  }
}

/** https://developers.google.com/apps-script/reference/drive/file and …/drive/folder */
class DriveItemImpl extends GasObject {
  constructor(
    ctx: Ctx,
    readonly _cls: 'File' | 'Folder',
    readonly _item: DriveItem,
    readonly _id: string,
    readonly _state: DriveState,
  ) {
    super(ctx);
  }
  getId(): string {
    return this._id;
  }
  getName(): string {
    return this._item.name;
  }
  getSharingAccess(): EnumValue {
    return Access[this._item.access];
  }
  /** File.getParents / Folder.getParents: the folders that are immediate parents (those the emulated Drive knows). */
  getParents(): FolderIteratorImpl {
    const folders = this._item.parents.flatMap((id) => {
      const item = this._state.items.get(id);
      return item ? [new DriveItemImpl(this._ctx, 'Folder', item, id, this._state)] : [];
    });
    return new FolderIteratorImpl(this._ctx, folders);
  }
  /** File.moveTo(destination): "Moves this item to the provided destination folder"; needs the full drive scope. */
  moveTo(destination: DriveItemImpl): DriveItemImpl {
    requireAuth(this._ctx, `${this._cls}.moveTo`, 'https://www.googleapis.com/auth/drive', 'FULL');
    const target = unwrap(destination);
    if (!(target instanceof DriveItemImpl) || target._cls !== 'Folder') throw signatureError(`${this._cls}.moveTo`, [destination]);
    this._item.parents = [target._id];
    return this;
  }
}

export class DriveAppImpl extends GasObject {
  readonly _cls = 'DriveApp';
  constructor(
    ctx: Ctx,
    readonly _state: DriveState,
  ) {
    super(ctx);
  }
  private find(method: string, id: string): DriveItem | undefined {
    const scope = '(https://www.googleapis.com/auth/drive.readonly || https://www.googleapis.com/auth/drive)';
    requireAuth(this._ctx, `DriveApp.${method}`, scope, 'FULL');
    if (!this._state.authorized) throw gasError(`You do not have permission to call DriveApp.${method}. Required permissions: ${scope}`);
    return this._state.items.get(String(id));
  }
  getFileById(id: string): DriveItemImpl {
    const item = this.find('getFileById', id);
    if (!item) throw gasError('No item with the given ID could be found, or you do not have permission to access it.');
    return new DriveItemImpl(this._ctx, 'File', item, String(id), this._state);
  }
  /** A file id is treated like an unknown id (the real error for that case is not documented). */
  getFolderById(id: string): DriveItemImpl {
    const item = this.find('getFolderById', id);
    if (!item || item.mimeType !== FOLDER_MIME_TYPE) {
      throw gasError('No item with the given ID could be found, or you do not have permission to access it.');
    }
    return new DriveItemImpl(this._ctx, 'Folder', item, String(id), this._state);
  }
}
