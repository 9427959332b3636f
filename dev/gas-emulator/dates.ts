/**
 * Time-zone aware date formatting used by Utilities.formatDate (Java SimpleDateFormat patterns)
 * and by Range.getDisplayValues (Sheets number-format patterns for dates).
 * Time zones are resolved with Intl.DateTimeFormat; `GMT+7` / `UTC+07:00` style fixed offsets
 * are accepted as in Java; an unknown zone falls back to GMT like java.util.TimeZone does.
 */

import { gasError } from './core';

export interface ZoneParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number; // 0-23
  minute: number;
  second: number;
  millis: number;
  weekday: number; // 0 = Sunday
  offsetMinutes: number; // local - UTC
}

const dtfCache = new Map<string, Intl.DateTimeFormat | null>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const WEEKDAYS_LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_LONG = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function fixedOffsetMinutes(tz: string): number | null {
  const t = tz.trim();
  if (/^(GMT|UTC|Z|Etc\/GMT|Etc\/UTC)$/i.test(t)) return 0;
  const m = /^(?:GMT|UTC)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(t);
  if (!m) return null;
  const mins = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -mins : mins;
}

function formatterFor(tz: string): Intl.DateTimeFormat | null {
  if (dtfCache.has(tz)) return dtfCache.get(tz) ?? null;
  let f: Intl.DateTimeFormat | null = null;
  try {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
  } catch {
    f = null;
  }
  dtfCache.set(tz, f);
  return f;
}

/** True when the zone id is understood (IANA name or GMT/UTC offset). */
export function isKnownTimeZone(tz: string): boolean {
  return fixedOffsetMinutes(tz) !== null || formatterFor(tz) !== null;
}

/** Wall-clock fields of `date` in `tz`. */
export function zoneParts(date: Date, tz: string): ZoneParts {
  const t = date.getTime();
  const millis = ((t % 1000) + 1000) % 1000;
  const fixed = fixedOffsetMinutes(tz);
  const f = fixed === null ? formatterFor(tz) : null;
  if (fixed !== null || !f) {
    const off = fixed ?? 0;
    const s = new Date(t + off * 60000);
    return {
      year: s.getUTCFullYear(),
      month: s.getUTCMonth() + 1,
      day: s.getUTCDate(),
      hour: s.getUTCHours(),
      minute: s.getUTCMinutes(),
      second: s.getUTCSeconds(),
      millis,
      weekday: s.getUTCDay(),
      offsetMinutes: off,
    };
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(date)) parts[p.type] = p.value;
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  const hour = Number(parts.hour) % 24;
  const minute = Number(parts.minute);
  const second = Number(parts.second);
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const offsetMinutes = Math.round((asUtc - (t - millis)) / 60000);
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    millis,
    weekday: WEEKDAYS.indexOf(parts.weekday ?? 'Sun'),
    offsetMinutes,
  };
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + (s.length >= width ? s : '0'.repeat(width - s.length) + s);
}

function offsetString(mins: number, style: 'Z' | 'X1' | 'X2' | 'X3' | 'z'): string {
  const sign = mins < 0 ? '-' : '+';
  const a = Math.abs(mins);
  const hh = pad(Math.floor(a / 60), 2);
  const mm = pad(a % 60, 2);
  if (style === 'Z') return sign + hh + mm;
  if (style === 'z') return `GMT${sign}${hh}:${mm}`;
  if (mins === 0) return 'Z';
  if (style === 'X1') return sign + hh + (a % 60 ? mm : '');
  if (style === 'X2') return sign + hh + mm;
  return `${sign}${hh}:${mm}`;
}

/**
 * Java SimpleDateFormat subset: G y Y M L d D E u a H k K h m s S z Z X, quoted 'text' and ''.
 * Unknown pattern letters throw like Java does.
 */
export function formatJavaPattern(date: Date, tz: string, pattern: string): string {
  const p = zoneParts(date, tz);
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === "'") {
      if (pattern[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) throw gasError(`Unterminated quote in date pattern: ${pattern}`);
      out += pattern.slice(i + 1, end).replace(/''/g, "'");
      i = end + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(ch)) {
      out += ch;
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === ch) n++;
    i += n;
    switch (ch) {
      case 'G':
        out += 'AD';
        break;
      case 'y':
      case 'Y':
        out += n === 2 ? pad(p.year % 100, 2) : pad(p.year, n);
        break;
      case 'M':
      case 'L':
        out += n >= 4 ? MONTHS_LONG[p.month - 1] : n === 3 ? MONTHS[p.month - 1] : pad(p.month, n);
        break;
      case 'd':
        out += pad(p.day, n);
        break;
      case 'D': {
        const doy = Math.round((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(p.year, 0, 1)) / 86400000) + 1;
        out += pad(doy, n);
        break;
      }
      case 'E':
        out += n >= 4 ? WEEKDAYS_LONG[p.weekday] : WEEKDAYS[p.weekday];
        break;
      case 'u':
        out += pad(p.weekday === 0 ? 7 : p.weekday, n);
        break;
      case 'a':
        out += p.hour < 12 ? 'AM' : 'PM';
        break;
      case 'H':
        out += pad(p.hour, n);
        break;
      case 'k':
        out += pad(p.hour === 0 ? 24 : p.hour, n);
        break;
      case 'K':
        out += pad(p.hour % 12, n);
        break;
      case 'h':
        out += pad(p.hour % 12 === 0 ? 12 : p.hour % 12, n);
        break;
      case 'm':
        out += pad(p.minute, n);
        break;
      case 's':
        out += pad(p.second, n);
        break;
      case 'S':
        out += pad(p.millis, n);
        break;
      case 'z':
        out += offsetString(p.offsetMinutes, 'z');
        break;
      case 'Z':
        out += offsetString(p.offsetMinutes, 'Z');
        break;
      case 'X':
        out += offsetString(p.offsetMinutes, n === 1 ? 'X1' : n === 2 ? 'X2' : 'X3');
        break;
      default:
        throw gasError(`Illegal pattern character '${ch}'`);
    }
  }
  return out;
}

/**
 * Sheets number-format date patterns (e.g. `dd/mm/yyyy hh:mm`): `m`/`mm` mean minutes right
 * after an hour token or right before a seconds token, months otherwise.
 */
export function formatSheetsDatePattern(date: Date, tz: string, pattern: string): string {
  const p = zoneParts(date, tz);
  const tokens: { t: string; lit: boolean }[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === '"') {
      const end = pattern.indexOf('"', i + 1);
      const stop = end < 0 ? pattern.length : end;
      tokens.push({ t: pattern.slice(i + 1, stop), lit: true });
      i = stop + 1;
      continue;
    }
    if (ch === '\\') {
      tokens.push({ t: pattern[i + 1] ?? '', lit: true });
      i += 2;
      continue;
    }
    if (/^am\/pm/i.test(pattern.slice(i))) {
      tokens.push({ t: 'am/pm', lit: false });
      i += 5;
      continue;
    }
    const low = ch.toLowerCase();
    if ('ymdhs'.includes(low)) {
      let n = 1;
      while (pattern[i + n]?.toLowerCase() === low) n++;
      tokens.push({ t: low.repeat(n), lit: false });
      i += n;
      continue;
    }
    tokens.push({ t: ch, lit: true });
    i++;
  }
  const twelve = tokens.some((t) => !t.lit && t.t === 'am/pm');
  const fieldIdx = tokens.map((t, k) => (t.lit ? -1 : k)).filter((k) => k >= 0);
  let out = '';
  tokens.forEach((tok, k) => {
    if (tok.lit) {
      out += tok.t;
      return;
    }
    const pos = fieldIdx.indexOf(k);
    const prev = pos > 0 ? tokens[fieldIdx[pos - 1]].t : '';
    const next = pos < fieldIdx.length - 1 ? tokens[fieldIdx[pos + 1]].t : '';
    const n = tok.t.length;
    switch (tok.t[0]) {
      case 'y':
        out += n <= 2 ? pad(p.year % 100, 2) : String(p.year);
        break;
      case 'm': {
        const minutes = n <= 2 && (prev.startsWith('h') || next.startsWith('s'));
        if (minutes) out += n === 2 ? pad(p.minute, 2) : String(p.minute);
        else out += n >= 4 ? MONTHS_LONG[p.month - 1] : n === 3 ? MONTHS[p.month - 1] : n === 2 ? pad(p.month, 2) : String(p.month);
        break;
      }
      case 'd':
        out += n >= 4 ? WEEKDAYS_LONG[p.weekday] : n === 3 ? WEEKDAYS[p.weekday] : n === 2 ? pad(p.day, 2) : String(p.day);
        break;
      case 'h': {
        const h = twelve ? (p.hour % 12 === 0 ? 12 : p.hour % 12) : p.hour;
        out += n >= 2 ? pad(h, 2) : String(h);
        break;
      }
      case 's':
        out += n >= 2 ? pad(p.second, 2) : String(p.second);
        break;
      default:
        out += p.hour < 12 ? 'AM' : 'PM';
    }
  });
  return out;
}
