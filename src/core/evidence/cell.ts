/** The text of an evidence cell with its links (rich-text runs and bare URLs): append or remove one link, keep the rest. */
import { checkUrl, sameUrl } from './links';
/** Google Sheets refuses more than 50,000 characters in one cell. */
export const MAX_CELL_LENGTH = 50000;

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
