/** Calendar dates as YYYY-MM-DD text, the way the core passes days around (no clock, no time zone). */

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

function ymdTime(s: string): number | null {
  const m = YMD.exec(String(s ?? ''));
  if (!m) return null;
  const [y, mo, d] = [+m[1], +m[2], +m[3]];
  const t = Date.UTC(y, mo - 1, d);
  const dt = new Date(t);
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return t;
}

/** True for a real calendar date written YYYY-MM-DD ("2026-02-30" is not). */
export function isYmd(s: string): boolean {
  return ymdTime(s) !== null;
}

/** Whole calendar days from `fromYmd` to `toYmd` (negative when `toYmd` is earlier). Throws on a malformed date. */
export function daysBetween(fromYmd: string, toYmd: string): number {
  const a = ymdTime(fromYmd);
  const b = ymdTime(toYmd);
  if (a === null || b === null) throw new Error(`Ngày không hợp lệ (cần dạng YYYY-MM-DD): "${a === null ? fromYmd : toYmd}".`);
  return Math.round((b - a) / 86400000);
}

/** 2026-06-15 → 15/06/2026. */
export function vietnameseDay(ymd: string): string {
  const m = YMD.exec(ymd);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : ymd;
}
