/**
 * E-mail helpers shared by the reminders: HTML escaping and the "official accounts only" rule
 * of the plan (work is exchanged through official e-mail, never a personal Gmail account).
 * Pure: no Apps Script globals.
 */

/** Escapes text for HTML element content and for double- or single-quoted attribute values. */
export function escapeHtml(s: string): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Why an address is not mailed. */
export type SkipReason = 'personal-email' | 'missing-email' | 'outside-domain';

/** What each reason means, for people. */
export const SKIP_REASON_LABEL: Record<SkipReason, string> = {
  'personal-email': 'email cá nhân, không phải email công vụ',
  'missing-email': 'thiếu email hoặc email không hợp lệ',
  'outside-domain': 'email ngoài tên miền công vụ đã cấu hình',
};

/** Free personal mail providers: always refused, whatever the configured domains. */
export const PERSONAL_PROVIDERS: readonly string[] = [
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.com.vn',
  'ymail.com',
  'rocketmail.com',
  'hotmail.com',
  'hotmail.com.vn',
  'outlook.com',
  'outlook.com.vn',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'pm.me',
  'zoho.com',
  'zohomail.com',
  'mail.ru',
  'yandex.ru',
  'yandex.com',
  'gmx.com',
  'gmx.net',
  'mail.com',
  'tutanota.com',
  'qq.com',
  'foxmail.com',
  '163.com',
  '126.com',
  'sina.com',
];

const PERSONAL = new Set(PERSONAL_PROVIDERS);

const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** An address as compared: trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return String(email ?? '')
    .trim()
    .toLowerCase();
}

/** True for a plain address "local@domain.tld" (no display name, no spaces, ASCII only). */
export function isEmailShape(email: string): boolean {
  const e = normalizeEmail(email);
  const at = e.lastIndexOf('@');
  if (at <= 0 || at !== e.indexOf('@') || e.length > 254) return false;
  const local = e.slice(0, at);
  const domain = e.slice(at + 1);
  if (local.length > 64 || !LOCAL_PART.test(local)) return false;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l))) return false;
  return /^[a-z]{2,}$/.test(labels[labels.length - 1]);
}

function normalizeDomain(d: string): string {
  return String(d ?? '')
    .trim()
    .toLowerCase()
    .replace(/^@+/, '')
    .replace(/\.+$/, '');
}

/** A domain is in a configured domain when it is that domain or one of its subdomains. */
function inDomain(domain: string, allowed: string): boolean {
  return domain === allowed || domain.endsWith(`.${allowed}`);
}

/**
 * Whether an address may be mailed: null when it may, else the reason it is refused.
 *  - empty, or not shaped like an address → 'missing-email' (there is no usable address);
 *  - a personal provider (Gmail, Yahoo…) → 'personal-email', even if listed in `domains`:
 *    the plan forbids personal accounts outright;
 *  - `domains` not empty and the address in none of them (or their subdomains) → 'outside-domain'.
 * Case and surrounding whitespace are ignored.
 */
export function checkOfficialEmail(email: string, domains: readonly string[]): SkipReason | null {
  const e = normalizeEmail(email);
  if (!e || !isEmailShape(e)) return 'missing-email';
  const domain = e.slice(e.indexOf('@') + 1);
  if (PERSONAL.has(domain)) return 'personal-email';
  const allowed = domains.map(normalizeDomain).filter(Boolean);
  if (allowed.length > 0 && !allowed.some((d) => inDomain(domain, d))) return 'outside-domain';
  return null;
}

/** The addresses of one cell: separated by commas, semicolons or whitespace. */
export function splitEmails(cell: string): string[] {
  return String(cell ?? '')
    .split(/[,;\s]+/)
    .map(normalizeEmail)
    .filter(Boolean);
}

/** The standing office's accounts: "Email cơ quan thường trực" may list several (an office has more than one account). */
export function officeEmails(settings: { officeEmail: string }): string[] {
  return [...new Set(splitEmails(settings.officeEmail))];
}
