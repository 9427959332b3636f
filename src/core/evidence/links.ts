/**
 * Evidence links: is a pasted text an http(s) link, which Google file it names (Drive id).
 * No `URL` class (Apps Script's V8 has none): links are checked with regular expressions.
 */
import { visibleText } from '../engine/text';
import { thousands } from '../engine/text';

export const MAX_URL_LENGTH = 2048;

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

/** A host named in shown text ("drive.google.com", "https://x.vn/…"), or null. */
const HOST_IN_TEXT = /(?:https?:\/\/)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?=[/:?#\s]|$)/i;

/**
 * Whether the text shown for a link names a different address than the one it opens: the text
 * reads like a link or a domain, and its host is not the target's. A plain label ("Biên bản họp")
 * never misleads. Invisible and direction-control characters are left out before comparing, so
 * "moc.elgoog" reversed by U+202E is read as it is stored.
 */
export function linkTextMisleads(shown: string, target: string): boolean {
  const text = visibleText(shown).trim();
  const m = HOST_IN_TEXT.exec(text);
  if (!m) return false;
  const t = checkUrl(target);
  if (!t.ok) return true;
  const hostOf = (h: string) => h.toLowerCase().replace(/^www\./, '');
  return hostOf(m[1]) !== hostOf(t.host);
}

/** Text from a sheet or Drive as the sidebar shows it: direction overrides and invisible characters removed. */
export function displayText(text: string): string {
  return visibleText(text);
}
