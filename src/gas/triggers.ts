/**
 * Who installed the add-on's triggers, and runs that step aside. An installable trigger belongs to the account that
 * made it: ScriptApp.getProjectTriggers() lists only the current account's, and only that account can delete it.
 * So the document properties record who installed each trigger and when, every menu can say so, and each run
 * claims its day under the document lock: a second account's trigger that finds the day already claimed by
 * another trigger does nothing, so nothing is sent, logged or snapshotted twice.
 */
import { type DocumentProperties, documentProperties, formatNow } from './env';
import type { EntryName } from './entry-names';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** The daily time-driven trigger (reminders, snapshots, locking, refresh) and the installable edit trigger (audit). */
export type TriggerKind = 'daily' | 'edit';

export const TRIGGER_HANDLERS: Record<TriggerKind, EntryName> = { daily: 'dailyTick', edit: 'onEditInstalled' };

/** Document properties: who installed the trigger and when (JSON), and the day's claim (JSON). */
export const PROP_TRIGGER: Record<TriggerKind, string> = { daily: 'chamdiem.trigger.daily', edit: 'chamdiem.trigger.edit' };
export const PROP_CLAIM: Record<TriggerKind, string> = { daily: 'chamdiem.claim.daily', edit: 'chamdiem.claim.edit' };
/** When each account's trigger of this kind last ran (JSON {account: ISO instant}), to tell a stopped one. */
export const PROP_SEEN: Record<TriggerKind, string> = { daily: 'chamdiem.seen.daily', edit: 'chamdiem.seen.edit' };
/** Set by "Tắt nhắc hạn" (JSON {by, at}): any daily trigger, whoever installed it, then does nothing. */
export const PROP_DAILY_OFF = 'chamdiem.daily.off';

/** A recorded trigger is taken for gone when neither its install nor a run of it is this recent (a daily run). */
const ALIVE_MS = 2 * 86400000;

export interface TriggerRecord {
  /** The installer's address ('' when Apps Script did not tell). */
  owner: string;
  /** When it was installed (ISO instant). */
  at: string;
}

export interface DayClaim {
  /** The day (YYYY-MM-DD, the spreadsheet's time zone) the trigger `uid` claimed. */
  day: string;
  uid: string;
  /** The account the claiming trigger runs as. */
  by: string;
}

function props(): DocumentProperties {
  return documentProperties();
}

function readJson<T>(key: string): T | null {
  const raw = props().getProperty(key);
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' ? (v as T) : null;
  } catch (_) {
    return null;
  }
}

export function triggerRecord(kind: TriggerKind): TriggerRecord | null {
  return readJson<TriggerRecord>(PROP_TRIGGER[kind]);
}

export function dayClaim(kind: TriggerKind): DayClaim | null {
  return readJson<DayClaim>(PROP_CLAIM[kind]);
}

export function dailyOff(): { by: string; at: string } | null {
  return readJson<{ by: string; at: string }>(PROP_DAILY_OFF);
}

/** The account the script runs as (the person in a menu run, the installer in a trigger run). */
export function runningAccount(): string {
  try {
    return Session.getEffectiveUser().getEmail();
  } catch (_) {
    return '';
  }
}

/** The current account's triggers of this kind (the only ones Apps Script lets it see). */
export function ownTriggers(kind: TriggerKind): GoogleAppsScript.Script.Trigger[] {
  return ScriptApp.getProjectTriggers().filter((t) => t.getHandlerFunction() === TRIGGER_HANDLERS[kind]);
}

function sameAccount(a: string, b: string): boolean {
  return a !== '' && a.toLowerCase() === b.toLowerCase();
}

/**
 * Notes that a trigger of this kind ran as the current account (also when it stepped aside or reminders are off),
 * at most once every few hours. Call under the document lock.
 */
export function noteRun(kind: TriggerKind, now: Date): void {
  const me = runningAccount();
  const seen = readJson<Record<string, string>>(PROP_SEEN[kind]) ?? {};
  const last = Date.parse(seen[me] ?? '');
  if (!Number.isNaN(last) && now.getTime() - last < ALIVE_MS / 8) return;
  seen[me] = now.toISOString();
  props().setProperty(PROP_SEEN[kind], JSON.stringify(seen));
}

/** True when the recorded trigger belongs to another account and has been installed or run lately. */
function otherAlive(kind: TriggerKind, rec: TriggerRecord | null, me: string, now: Date): rec is TriggerRecord {
  if (!rec || sameAccount(rec.owner, me)) return false;
  const seen = readJson<Record<string, string>>(PROP_SEEN[kind]) ?? {};
  const last = Math.max(Date.parse(rec.at) || 0, Date.parse(seen[rec.owner] ?? '') || 0);
  return now.getTime() - last < ALIVE_MS;
}

export type EnsureOutcome =
  /** The current account already had one. */
  | { state: 'mine'; record: TriggerRecord }
  /** Installed now by the current account. */
  | { state: 'installed'; record: TriggerRecord }
  /** Another account's trigger does the job: none installed. */
  | { state: 'other'; record: TriggerRecord };

/**
 * Makes sure one trigger of this kind does the job: the current account's, or another account's that was
 * installed or ran within two days (one that stopped — its account left — is replaced by the current account's).
 * Run under the document lock.
 */
export function ensureTrigger(kind: TriggerKind, now: Date, install: () => void): EnsureOutcome {
  const me = runningAccount();
  const rec = triggerRecord(kind);
  if (ownTriggers(kind).length > 0) {
    const record = rec && sameAccount(rec.owner, me) ? rec : { owner: me, at: now.toISOString() };
    if (record !== rec && !otherAlive(kind, rec, me, now)) props().setProperty(PROP_TRIGGER[kind], JSON.stringify(record));
    return { state: 'mine', record };
  }
  if (otherAlive(kind, rec, me, now)) return { state: 'other', record: rec };
  install();
  const record = { owner: me, at: now.toISOString() };
  props().setProperty(PROP_TRIGGER[kind], JSON.stringify(record));
  return { state: 'installed', record };
}

/** Deletes the current account's triggers of this kind and the record when it was theirs; returns how many. */
export function removeOwnTriggers(kind: TriggerKind): number {
  const mine = ownTriggers(kind);
  for (const t of mine) ScriptApp.deleteTrigger(t);
  const rec = triggerRecord(kind);
  if (rec && (mine.length > 0 || sameAccount(rec.owner, runningAccount()))) props().deleteProperty(PROP_TRIGGER[kind]);
  return mine.length;
}

/** True when another trigger already claimed `day`: this run (of the trigger `uid`) steps aside. */
export function claimedByOther(kind: TriggerKind, day: string, uid: string | undefined): boolean {
  const claim = dayClaim(kind);
  return !!uid && !!claim && claim.day === day && claim.uid !== uid;
}

/**
 * Claims `day` for the trigger run `uid` (call under the document lock). False when another trigger already
 * claimed that day: the run steps aside. A run without a trigger id (called by hand) claims nothing and proceeds.
 */
export function claimDay(kind: TriggerKind, day: string, uid: string | undefined): boolean {
  if (!uid) return true;
  if (claimedByOther(kind, day, uid)) return false;
  if (dayClaim(kind)?.day !== day) props().setProperty(PROP_CLAIM[kind], JSON.stringify({ day, uid, by: runningAccount() }));
  return true;
}

/** "tài khoản X (cài lúc dd/MM/yyyy HH:mm)", for the menus. */
export function ownerText(ss: Spreadsheet, rec: TriggerRecord): string {
  const at = Date.parse(rec.at);
  const when = Number.isNaN(at) ? '' : ` (cài lúc ${formatNow(ss, new Date(at))})`;
  return `tài khoản ${rec.owner || 'không xác định'}${when}`;
}
