/**
 * The benchmark's cost model (issue 12): each call the emulator counted is priced by its class, low / mid / high,
 * from published measurements of Apps Script — a Spreadsheet read 60 / 150 / 300 ms; a queued write 1 / 5 / 10 ms,
 * with a commit of the pending writes 300 / 500 / 700 ms whenever a read follows writes and at the end; a lookup that
 * needs no round trip 0 / 1 / 5 ms; PropertiesService get 20 / 30 / 84 ms and set 43 / 60 / 231 ms; a Sheets API
 * call 0.15 / 0.3 / 0.6 s plus 0.5 / 1 / 2 s per MB moved; MailApp 0.2 / 0.5 / 1 s a message. Pure: it prices a call
 * log (env.calls.records() or env.calls.list()); nothing is timed.
 *
 * Choices the issue leaves open, made here:
 * - What needs a round trip. Reads: the getters of Spreadsheet, Sheet, Range, RangeList and Protection objects that
 *   ask the spreadsheet (values, formulas, notes, formats, sizes, the sheet list, protections, rules), and DriveApp.
 *   Lookups: what the object already knows (Sheet.getName/getSheetId/getParent, getRange and getRangeList, a Range's
 *   position and A1 notation, Spreadsheet.getId/getUrl), builders, rule and validation objects once read, Utilities,
 *   Session, the Ui, HtmlService, SpreadsheetApp.getActive*, LockService.getDocumentLock,
 *   PropertiesService.getDocumentProperties, MailApp.getRemainingDailyQuota, Spreadsheet.toast.
 *   Writes: the setters, clear*, insert*, delete*, append*, merge, protect, remove*, add* of those objects.
 * - Script services the issue does not price are priced as Properties, their nearest kind (a round trip to a script
 *   service, not to the spreadsheet): trigger listing and lock acquisition as a get, trigger creation and deletion as
 *   a set.
 * - SpreadsheetApp.flush commits pending writes; so does a Sheets API call (assumed: the advanced service reads and
 *   writes the saved spreadsheet, so queued SpreadsheetApp writes must be committed first).
 * - A MB is 1,000,000 bytes (request JSON + response JSON of each API call, as the emulator counts them).
 */

export interface Range3 {
  low: number;
  mid: number;
  high: number;
}

/** Every price in milliseconds (per call, per message, or per MB moved). */
export interface CostModel {
  spreadsheetRead: Range3;
  queuedWrite: Range3;
  commit: Range3;
  lookup: Range3;
  propertiesGet: Range3;
  propertiesSet: Range3;
  apiCall: Range3;
  apiPerMB: Range3;
  mailMessage: Range3;
}

export const MODEL: CostModel = {
  spreadsheetRead: { low: 60, mid: 150, high: 300 },
  queuedWrite: { low: 1, mid: 5, high: 10 },
  commit: { low: 300, mid: 500, high: 700 },
  lookup: { low: 0, mid: 1, high: 5 },
  propertiesGet: { low: 20, mid: 30, high: 84 },
  propertiesSet: { low: 43, mid: 60, high: 231 },
  apiCall: { low: 150, mid: 300, high: 600 },
  apiPerMB: { low: 500, mid: 1000, high: 2000 },
  mailMessage: { low: 200, mid: 500, high: 1000 },
};

export const BYTES_PER_MB = 1_000_000;

export type CallClass = 'read' | 'write' | 'lookup' | 'properties-get' | 'properties-set' | 'api' | 'mail';

/** A counted call: its name, and the bytes an API call moved (env.calls.records()); a bare name moves none. */
export type Call = string | { name: string; requestBytes?: number; responseBytes?: number };

const SPREADSHEET_OBJECT = /^(Spreadsheet|Sheet|Range|RangeList|Protection|EmbeddedChart)\.(\w+)$/;
/** What a spreadsheet object answers without asking the spreadsheet. */
const LOCAL = new Set([
  'Sheet.getName',
  'Sheet.getSheetId',
  'Sheet.getParent',
  'Sheet.getRange',
  'Sheet.getRangeList',
  'Sheet.newChart',
  'Range.getRow',
  'Range.getColumn',
  'Range.getNumRows',
  'Range.getNumColumns',
  'Range.getA1Notation',
  'Range.getSheet',
  'Spreadsheet.getId',
  'Spreadsheet.getUrl',
  'Spreadsheet.toast',
]);
const WRITE_VERB = /^(set|clear|insert|delete|append|merge|protect|remove|add|hide|show|activate|sort)/;

/** The class of a counted call (see the choices above). */
export function classify(name: string): CallClass {
  if (name.startsWith('Sheets.')) return 'api';
  if (name === 'MailApp.sendEmail') return 'mail';
  if (/^Properties\.(getProperty|getProperties|getKeys)$/.test(name)) return 'properties-get';
  if (/^Properties\.(setProperty|setProperties|deleteProperty|deleteAllProperties)$/.test(name)) return 'properties-set';
  if (name === 'ScriptApp.getProjectTriggers' || /^Lock\.(waitLock|tryLock)$/.test(name)) return 'properties-get';
  if (name === 'ScriptApp.deleteTrigger' || /TriggerBuilder\.create$/.test(name)) return 'properties-set';
  if (/^(DriveApp|File|Folder)\./.test(name)) return 'read';
  const m = SPREADSHEET_OBJECT.exec(name);
  if (!m || LOCAL.has(name)) return 'lookup';
  return WRITE_VERB.test(m[2]) ? 'write' : 'read';
}

/** Does the call commit the writes queued before it? */
function commitsPending(name: string, cls: CallClass): boolean {
  return cls === 'read' || cls === 'api' || name === 'SpreadsheetApp.flush';
}

export interface Priced {
  calls: number;
  apiCalls: number;
  /** Bytes moved by API calls (request + response JSON). */
  bytes: number;
  commits: number;
  byClass: Record<CallClass, number>;
  seconds: Range3;
}

const CLASS_PRICE: Record<Exclude<CallClass, 'api'>, keyof CostModel> = {
  read: 'spreadsheetRead',
  write: 'queuedWrite',
  lookup: 'lookup',
  'properties-get': 'propertiesGet',
  'properties-set': 'propertiesSet',
  mail: 'mailMessage',
};

/** The price of a call log under the model: low / mid / high seconds, with the counts behind them. */
export function price(calls: readonly Call[], model: CostModel = MODEL): Priced {
  const ms: Range3 = { low: 0, mid: 0, high: 0 };
  const add = (cost: Range3, times = 1) => {
    ms.low += cost.low * times;
    ms.mid += cost.mid * times;
    ms.high += cost.high * times;
  };
  const byClass: Record<CallClass, number> = { read: 0, write: 0, lookup: 0, 'properties-get': 0, 'properties-set': 0, api: 0, mail: 0 };
  let bytes = 0;
  let commits = 0;
  let pending = false;
  const commit = () => {
    if (!pending) return;
    add(model.commit);
    commits++;
    pending = false;
  };
  for (const call of calls) {
    const name = typeof call === 'string' ? call : call.name;
    const cls = classify(name);
    byClass[cls]++;
    if (commitsPending(name, cls)) commit();
    if (cls === 'api') {
      const moved = typeof call === 'string' ? 0 : (call.requestBytes ?? 0) + (call.responseBytes ?? 0);
      bytes += moved;
      add(model.apiCall);
      add(model.apiPerMB, moved / BYTES_PER_MB);
    } else add(model[CLASS_PRICE[cls]]);
    if (cls === 'write') pending = true;
  }
  commit();
  const seconds = { low: round(ms.low / 1000), mid: round(ms.mid / 1000), high: round(ms.high / 1000) };
  return { calls: calls.length, apiCalls: byClass.api, bytes, commits, byClass, seconds };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** One measured workload: what ran, on how big a workbook, and the calls it made. */
export interface Workload {
  name: string;
  units: number;
  rows: number;
  calls: readonly Call[];
}

export interface BenchJson {
  model: CostModel & { unit: 'ms'; bytesPerMB: number };
  workloads: { name: string; units: number; rows: number; calls: number; apiCalls: number; bytes: number; seconds: Range3 }[];
}

/** The `npm run bench -- --json` document. */
export function benchJson(workloads: readonly Workload[], model: CostModel = MODEL): BenchJson {
  return {
    model: { unit: 'ms', bytesPerMB: BYTES_PER_MB, ...model },
    workloads: workloads.map((w) => {
      const p = price(w.calls, model);
      return { name: w.name, units: w.units, rows: w.rows, calls: p.calls, apiCalls: p.apiCalls, bytes: p.bytes, seconds: p.seconds };
    }),
  };
}
