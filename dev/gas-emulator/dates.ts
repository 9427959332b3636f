/**
 * Time-zone aware date formatting for Utilities.formatDate (Java SimpleDateFormat patterns).
 * Time zones are resolved with Intl.DateTimeFormat; `GMT+7` / `UTC+07:00` style fixed offsets
 * are accepted as in Java; an unknown zone falls back to GMT like java.util.TimeZone does.
 * https://developers.google.com/apps-script/reference/utilities/utilities#formatDate(Date,String,String)
 * https://docs.oracle.com/javase/8/docs/api/java/text/SimpleDateFormat.html
 */

import { gasError, notEmulated } from './core';

interface ZoneParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number; // 0-23
  minute: number;
  second: number;
}

const dtfCache = new Map<string, Intl.DateTimeFormat | null>();

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
function zoneParts(date: Date, tz: string): ZoneParts {
  const fixed = fixedOffsetMinutes(tz);
  const f = fixed === null ? formatterFor(tz) : null;
  if (!f) {
    const s = new Date(date.getTime() + (fixed ?? 0) * 60000);
    return {
      year: s.getUTCFullYear(),
      month: s.getUTCMonth() + 1,
      day: s.getUTCDate(),
      hour: s.getUTCHours(),
      minute: s.getUTCMinutes(),
      second: s.getUTCSeconds(),
    };
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(date)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The wall-clock time of `date` in `tz`, as milliseconds of a UTC date showing the same fields. */
export function wallClockMs(date: Date, tz: string): number {
  const p = zoneParts(date, tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, date.getUTCMilliseconds());
}

/**
 * The instant whose wall-clock time in `tz` shows these fields (month 1-12). For a wall-clock time that
 * a daylight-saving change skips or repeats, one of the candidates (not specified further).
 */
export function fromWallClock(tz: string, year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const offset = (t: number) => wallClockMs(new Date(t), tz) - t;
  return new Date(wall - offset(wall - offset(wall)));
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The pattern letters emulated, with the field each one prints. */
const FIELDS: Record<string, (p: ZoneParts, n: number) => string> = {
  y: (p, n) => (n === 2 ? pad(p.year % 100, 2) : pad(p.year, n)),
  M: (p, n) => pad(p.month, n),
  d: (p, n) => pad(p.day, n),
  H: (p, n) => pad(p.hour, n),
  m: (p, n) => pad(p.minute, n),
  s: (p, n) => pad(p.second, n),
};

/** Java SimpleDateFormat subset: y M d H m s (numeric forms), quoted 'text' and ''. */
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
      // Quoted text; inside it '' stands for one quote.
      i++;
      for (;;) {
        if (i >= pattern.length) throw gasError(`Unterminated quote in date pattern: ${pattern}`);
        if (pattern[i] !== "'") out += pattern[i++];
        else if (pattern[i + 1] === "'") {
          out += "'";
          i += 2;
        } else break;
      }
      i++;
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
    const field = FIELDS[ch];
    if (!field || (ch === 'M' && n > 2)) throw notEmulated(`the date pattern letter ${ch.repeat(n)}`);
    out += field(p, n);
  }
  return out;
}
