/**
 * Evidence links: pure helpers shared by the sidebar page (in the browser) and its server
 * functions (in Apps Script). No Apps Script or DOM globals, and no `URL` class (Apps Script's
 * V8 has none): links are checked with regular expressions.
 *
 * - checkUrl: is a pasted text an http(s) link, which Google file it names (Drive id).
 * - EvidenceCell: the text of an evidence cell with its links (rich-text runs and bare URLs),
 *   appending and removing one link while keeping everything else in the cell.
 * - parseScoreInput: the same 0..max check as the sheet's score validation.
 * - evidenceFileName: the plan's naming pattern for evidence files.
 * - The view types the server sends to the page.
 */
import { isNotApplicableText, readNumber } from '../engine/numbers';
import { formatPoints, normalizeLabel } from '../engine/text';

export const MAX_URL_LENGTH = 2048;
export const MAX_EXPLANATION_LENGTH = 2000;
/** Google Sheets refuses more than 50,000 characters in one cell. */
export const MAX_CELL_LENGTH = 50000;

// ---------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------

export type LinkKind = 'drive-file' | 'drive-folder' | 'document' | 'spreadsheet' | 'presentation' | 'form' | 'web';

export const LINK_KIND_LABEL: Record<LinkKind, string> = {
  'drive-file': 'Tệp trên Google Drive',
  'drive-folder': 'Thư mục trên Google Drive',
  document: 'Google Tài liệu',
  spreadsheet: 'Google Trang tính',
  presentation: 'Google Trang trình bày',
  form: 'Google Biểu mẫu',
  web: 'Trang web',
};

export type UrlCheck = { ok: true; url: string; host: string; kind: LinkKind; driveId: string | null } | { ok: false; error: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const HOST_LIKE = /^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?(?:[/?#]|$)/i;
const AUTHORITY = /^(https?):\/\/([^/?#]*)([/?#][\s\S]*)?$/i;
const LABEL = /^[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff-]{0,61}[a-z0-9\u00a1-\uffff])?$/i;
/** Whitespace, control characters and characters that never appear unencoded in a link. */
const BAD_CHARS = /[\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff<>"\\`]/;
const TRIM = /^[\s\u00a0\u200b\ufeff]+|[\s\u00a0\u200b\ufeff]+$/g;

/** 2048 → "2.048" (Vietnamese digit grouping, without relying on Intl). */
export function thousands(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

function fail(error: string): UrlCheck {
  return { ok: false, error };
}

/**
 * Checks a pasted link: http or https only, a real host name, no user name or password, no
 * spaces, at most 2,048 characters. "drive.google.com/…" without a scheme gets https://.
 * Returns the link normalised (scheme and host in lower case) and which Google file it is.
 */
export function checkUrl(input: unknown): UrlCheck {
  if (typeof input !== 'string') return fail('Hãy dán một đường dẫn minh chứng.');
  let s = input.replace(TRIM, '');
  if (s === '') return fail('Hãy dán một đường dẫn minh chứng.');
  if (s.length > MAX_URL_LENGTH) return fail(`Đường dẫn dài quá ${thousands(MAX_URL_LENGTH)} ký tự.`);
  const scheme = SCHEME.exec(s);
  if (!scheme || !/^https?$/i.test(scheme[1])) {
    // "drive.google.com/…" (a host without a scheme) is read as https://drive.google.com/….
    if (HOST_LIKE.test(s)) s = `https://${s}`;
    else if (scheme) return fail('Chỉ nhận đường dẫn bắt đầu bằng http:// hoặc https://.');
    else return fail('Đây không phải là một đường dẫn. Hãy dán đường dẫn đầy đủ, bắt đầu bằng https://');
  }
  if (BAD_CHARS.test(s)) return fail('Đường dẫn có khoảng trắng hoặc ký tự không hợp lệ. Hãy dán đúng một đường dẫn.');
  const m = AUTHORITY.exec(s);
  if (!m) return fail('Đường dẫn không đúng dạng. Hãy dán đường dẫn đầy đủ, ví dụ https://drive.google.com/…');
  const [, rawScheme, authority, rest = ''] = m;
  if (authority.includes('@')) return fail('Đường dẫn không được chứa tên đăng nhập hoặc mật khẩu (ký tự @ trước tên miền).');
  const hp = /^([^:]+)(?::(\d{1,5}))?$/.exec(authority);
  if (!hp) return fail('Tên miền trong đường dẫn không hợp lệ.');
  const host = hp[1].toLowerCase();
  const port = hp[2];
  const labels = host.split('.');
  if (host.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l))) return fail('Tên miền trong đường dẫn không hợp lệ.');
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return fail('Cổng trong đường dẫn không hợp lệ.');
  const url = `${rawScheme.toLowerCase()}://${host}${port !== undefined ? `:${port}` : ''}${rest}`;
  const google = googleFileOf(host, rest);
  return { ok: true, url, host, kind: google ? google.kind : 'web', driveId: google ? google.id : null };
}

/** True for a link the page may turn into a clickable href. */
export function isSafeHref(url: unknown): boolean {
  const c = checkUrl(url);
  return c.ok && /^https?:\/\//.test(c.url);
}

const ID = '([A-Za-z0-9_-]{10,})';
const USER = '(?:u\\/\\d+\\/)?';
const DOCS_PATHS: [RegExp, LinkKind][] = [
  [new RegExp(`^/document/${USER}d/${ID}`), 'document'],
  [new RegExp(`^/spreadsheets/${USER}d/${ID}`), 'spreadsheet'],
  [new RegExp(`^/presentation/${USER}d/${ID}`), 'presentation'],
  [new RegExp(`^/forms/${USER}d/${ID}`), 'form'],
  [new RegExp(`^/drawings/${USER}d/${ID}`), 'drive-file'],
  [new RegExp(`^/file/${USER}d/${ID}`), 'drive-file'],
];
const DRIVE_PATHS: [RegExp, LinkKind][] = [
  [new RegExp(`^/file/${USER}d/${ID}`), 'drive-file'],
  [new RegExp(`^/drive/${USER}folders/${ID}`), 'drive-folder'],
  [new RegExp(`^/${USER}folderview$`), 'drive-folder'],
  [new RegExp(`^/${USER}(?:open|uc)$`), 'drive-file'],
];

/** The Drive file or folder a Google link names, from its host and path. */
export function googleFileOf(host: string, rest: string): { kind: LinkKind; id: string } | null {
  const path = rest.replace(/[?#][\s\S]*$/, '');
  const query = /\?([^#]*)/.exec(rest)?.[1] ?? '';
  const idParam = new RegExp(`(?:^|&)id=${ID}`).exec(query)?.[1] ?? null;
  const table = host === 'docs.google.com' ? DOCS_PATHS : host === 'drive.google.com' ? DRIVE_PATHS : null;
  if (!table) return null;
  for (const [re, kind] of table) {
    const m = re.exec(path);
    if (!m) continue;
    const id = m[1] ?? idParam;
    if (id) return { kind, id };
  }
  return null;
}

/** The Drive id in a link, or null. */
export function driveIdOf(url: string): string | null {
  const c = checkUrl(url);
  return c.ok ? c.driveId : null;
}

/** Two links are the same evidence when they are equal after normalisation. */
export function sameUrl(a: string, b: string): boolean {
  const x = checkUrl(a);
  const y = checkUrl(b);
  return x.ok && y.ok ? x.url === y.url : a === b;
}

// ---------------------------------------------------------------------------
// Evidence cells
// ---------------------------------------------------------------------------

/** A span of the cell text [start, end) and the link it carries. */
export interface CellLink {
  start: number;
  end: number;
  url: string;
}

export interface EvidenceCell {
  text: string;
  /** Links in text order: rich-text link runs, then bare http(s) URLs outside them. */
  links: CellLink[];
}

/** A rich-text run as RichTextValue.getRuns() describes it. */
export interface LinkRun {
  start: number;
  end: number;
  url: string | null;
}

const BARE_URL = /https?:\/\/[^\s<>"]+/gi;
const TRAILING = /[.,;:!?'"»”’)\]}]+$/;

/** http(s) URLs typed as plain text in a cell (trailing punctuation left out). */
export function bareUrls(text: string): CellLink[] {
  const out: CellLink[] = [];
  BARE_URL.lastIndex = 0;
  for (let m = BARE_URL.exec(text); m; m = BARE_URL.exec(text)) {
    let url = m[0];
    // Keep a closing bracket that belongs to the link, e.g. …/Minh_chứng_(1).
    while (TRAILING.test(url)) {
      const last = url[url.length - 1];
      const open = last === ')' ? '(' : last === ']' ? '[' : last === '}' ? '{' : null;
      if (open && url.split(open).length > url.split(last).length - 1) break;
      url = url.slice(0, -1);
    }
    if (url.length > 'https://'.length) out.push({ start: m.index, end: m.index + url.length, url });
  }
  return out;
}

/** The links of a cell from its text and rich-text runs. */
export function cellFromRuns(text: string, runs: readonly LinkRun[] = []): EvidenceCell {
  const links: CellLink[] = [];
  for (const r of runs) {
    if (!r.url) continue;
    const start = Math.max(0, Math.min(text.length, r.start));
    const end = Math.max(start, Math.min(text.length, r.end));
    if (end <= start) continue;
    const last = links[links.length - 1];
    if (last && last.url === r.url && last.end === start) last.end = end;
    else links.push({ start, end, url: r.url });
  }
  for (const b of bareUrls(text)) {
    if (!links.some((l) => l.start < b.end && b.start < l.end)) links.push(b);
  }
  links.sort((a, b) => a.start - b.start);
  return { text, links };
}

/** True when the cell has at least one usable (http/https) link. */
export function hasUsableLink(cell: EvidenceCell): boolean {
  return cell.links.some((l) => checkUrl(l.url).ok);
}

/** The cell with `url` on a new last line; everything already in the cell is kept. */
export function appendLink(cell: EvidenceCell, url: string): EvidenceCell {
  const base = cell.text.replace(/\s+$/, '');
  const sep = base === '' ? '' : '\n';
  const links = cell.links.filter((l) => l.start < base.length).map((l) => ({ ...l, end: Math.min(l.end, base.length) }));
  const start = base.length + sep.length;
  links.push({ start, end: start + url.length, url });
  return { text: base + sep + url, links };
}

/** Removes [a, b) from the text, shifting the links after it and dropping those inside it. */
function cut(cell: EvidenceCell, a: number, b: number): EvidenceCell {
  const n = b - a;
  const links: CellLink[] = [];
  for (const l of cell.links) {
    if (l.end <= a) links.push({ ...l });
    else if (l.start >= b) links.push({ ...l, start: l.start - n, end: l.end - n });
  }
  return { text: cell.text.slice(0, a) + cell.text.slice(b), links };
}

const LEFTOVER = /^[\s,;|•·*+\-–—:]*$/;

/**
 * The cell without the first link to `url`: its text is removed, and its line too when nothing
 * but separators is left on it. Other lines and links are kept. Null when there is no such link.
 */
export function removeLink(cell: EvidenceCell, url: string): EvidenceCell | null {
  const target = cell.links.find((l) => l.url === url) ?? cell.links.find((l) => sameUrl(l.url, url));
  if (!target) return null;
  let out = cut(cell, target.start, target.end);
  const lineStart = target.start === 0 ? 0 : out.text.lastIndexOf('\n', target.start - 1) + 1;
  let lineEnd = out.text.indexOf('\n', target.start);
  if (lineEnd < 0) lineEnd = out.text.length;
  if (LEFTOVER.test(out.text.slice(lineStart, lineEnd))) {
    // Drop the line with one of its line breaks (the one after it, or before it when last).
    if (lineEnd < out.text.length) out = cut(out, lineStart, lineEnd + 1);
    else out = cut(out, Math.max(0, lineStart - 1), lineEnd);
  }
  if (out.text.trim() === '') return { text: '', links: [] };
  return out;
}

/** Text of the cell that is not a link (a person's notes), or '' when there is none. */
export function otherTextOf(cell: EvidenceCell): string {
  let text = '';
  let at = 0;
  for (const l of cell.links) {
    text += `${cell.text.slice(at, l.start)} `;
    at = Math.max(at, l.end);
  }
  text += cell.text.slice(at);
  const lines = text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => !LEFTOVER.test(line));
  return lines.join('\n');
}

// ---------------------------------------------------------------------------
// Scores
// ---------------------------------------------------------------------------

export const NOT_SCORED = 'Chưa tính điểm';
export const NOT_APPLICABLE = 'Không áp dụng';
const NA_WORDS = new Set(['khong ap dung', 'kad', 'k/a', 'n/a', 'na', 'n.a', 'n.a.', 'not applicable']);

export type ScoreInput = { ok: true; value: number | string } | { ok: false; error: string };

/** The help text of a score cell, as the sheet's data validation shows it. */
export function scoreHint(max: number | null): string {
  return max === null
    ? 'Nhập điểm là số không âm (ví dụ 1,5), hoặc "Chưa tính điểm" nếu tiêu chí chưa đánh giá.'
    : `Nhập điểm là số từ 0 đến ${formatPoints(max)} (ví dụ 1,5), hoặc "Chưa tính điểm" nếu tiêu chí chưa đánh giá.`;
}

/**
 * A self score typed in the sidebar, with the sheet's check: a number from 0 to max ("1,5" and
 * "1.5" are 1.5), or "Chưa tính điểm"/"Không áp dụng" (stored with their diacritics), or '' to
 * clear the cell.
 */
export function parseScoreInput(input: unknown, max: number | null): ScoreInput {
  if (typeof input !== 'string' && typeof input !== 'number') return { ok: false, error: 'Điểm không hợp lệ.' };
  const text = String(input)
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '') return { ok: true, value: '' };
  if (text.length > 50) return { ok: false, error: scoreHint(max) };
  if (isNotApplicableText(text)) {
    const key = normalizeLabel(text).replace(/[()]/g, '');
    return { ok: true, value: NA_WORDS.has(key) ? NOT_APPLICABLE : NOT_SCORED };
  }
  const n = readNumber(text);
  if (n.kind !== 'number') return { ok: false, error: `"${text}" không phải là điểm. ${scoreHint(max)}` };
  if (n.value < 0) return { ok: false, error: `Điểm không được âm. ${scoreHint(max)}` };
  if (max !== null && Math.round(n.value * 1e6) > Math.round(max * 1e6)) {
    return { ok: false, error: `Điểm ${formatPoints(n.value)} vượt điểm tối đa ${formatPoints(max)} của tiêu chí. ${scoreHint(max)}` };
  }
  return { ok: true, value: n.value };
}

/** The explanation as it will be stored, or an error. */
export function checkExplanation(input: unknown): { ok: true; value: string } | { ok: false; error: string } {
  if (typeof input !== 'string') return { ok: false, error: 'Giải trình không hợp lệ.' };
  const value = input
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .trim();
  if (value.length > MAX_EXPLANATION_LENGTH) {
    return { ok: false, error: `Giải trình dài ${thousands(value.length)} ký tự, tối đa ${thousands(MAX_EXPLANATION_LENGTH)} ký tự.` };
  }
  return { ok: true, value };
}

// ---------------------------------------------------------------------------
// File names
// ---------------------------------------------------------------------------

/** One line of text, at most `max` characters, cut at a word boundary, no trailing punctuation. */
export function shortenText(text: string, max: number): string {
  const s = text
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (s.length <= max) return s;
  let cutAt = s.lastIndexOf(' ', max);
  if (cutAt < max / 2) cutAt = max;
  return s.slice(0, cutAt).replace(/[\s,;:.\-–—(/]+$/, '');
}

export interface FileNameParts {
  /** The unit's name (Cấu hình units table), else the sheet name. */
  unit: string;
  /** The top-level section's text. */
  group: string;
  /** The criterion's text. */
  content: string;
  /** MM/yyyy. */
  time: string;
}

/** The plan's pattern: "Tên đơn vị - Nhóm nhiệm vụ - Nội dung minh chứng - Thời gian". */
export function evidenceFileName(p: FileNameParts): string {
  const parts = [shortenText(p.unit, 60), shortenText(p.group, 60), shortenText(p.content, 80), p.time.trim()];
  return parts.filter((x) => x !== '').join(' - ');
}

// ---------------------------------------------------------------------------
// What the server sends to the page
// ---------------------------------------------------------------------------

/** Identifies the criterion a write is for; the outline guards against rows that moved. */
export interface Target {
  sheet: string;
  row: number;
  outline: string;
}

export interface LinkView {
  /** The link as stored in the cell (may be unsafe: then it is shown as text only). */
  url: string;
  /** The text of the cell carrying the link. */
  text: string;
  safe: boolean;
  kindLabel: string;
  /** File name read through DriveApp, when checked and readable. */
  fileName: string | null;
  /** Sharing problem for a sensitive unit. */
  warning: string | null;
  /** Could not check, or not a Drive file. */
  note: string | null;
}

export interface CriterionView {
  kind: 'criterion';
  /** Selection key (sheet and selected row) the view answers. */
  key: string;
  target: Target;
  unit: string;
  sensitive: boolean;
  outline: string;
  text: string;
  group: string;
  block: 'main' | 'bonus' | 'penalty';
  leaf: boolean;
  /** Max and self score as the sheet shows them ('' when empty). */
  max: string;
  maxValue: number | null;
  self: string;
  explanation: string;
  hasEvidenceColumn: boolean;
  hasExplanationColumn: boolean;
  links: LinkView[];
  otherText: string;
  fileName: string;
  officeFocal: string;
}

export interface NoneView {
  kind: 'none';
  key: string;
  sheet: string;
  row: number;
  /** True when the sheet is a unit's score sheet (next-missing works from here). */
  unitSheet: boolean;
  message: string;
}

export type SidebarView = CriterionView | NoneView;

export interface LinkCheck {
  url: string;
  kindLabel: string;
  fileName: string | null;
  drive: 'ok' | 'no-permission' | 'not-found' | 'not-drive';
  warning: string | null;
  note: string | null;
}

export type Reply<T> = { ok: true; data: T } | { ok: false; error: string };

export type PollResult = { changed: false; key: string } | { changed: true; key: string; view: SidebarView };

export interface WriteResult {
  view: SidebarView;
  message: string;
  check?: LinkCheck;
}

export interface NextResult {
  found: boolean;
  message: string;
  view?: SidebarView;
}
