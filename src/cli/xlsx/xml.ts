/**
 * Small text tools for editing the XML parts of an Office package in place: find an element,
 * read or set an attribute, insert a child at its schema place. Nothing is re-serialised: every
 * byte outside the spot being edited stays as it was.
 */

/** One start, end or empty-element tag as written in the text. */
export interface Tag {
  /** Qualified name as written ("c", "x:c"). */
  name: string;
  /** Index of "<" and index after ">". */
  start: number;
  end: number;
  /** Raw attribute text (with its leading space). */
  attrs: string;
  closing: boolean;
  selfClosing: boolean;
}

/** An element: its start tag and the index after its end tag (the start tag's end when empty). */
export interface Element {
  tag: Tag;
  /** Where the content begins and ends (both equal tag.end when the element is empty). */
  innerStart: number;
  innerEnd: number;
  end: number;
}

const ATTRS = `((?:\\s+[^\\s=/>]+\\s*=\\s*(?:"[^"]*"|'[^']*'))*)\\s*`;
const TAG = new RegExp(
  `<(/?)([A-Za-z_][\\w.:-]*)${ATTRS}(/?)>|<!--[\\s\\S]*?-->|<\\?[\\s\\S]*?\\?>|<!\\[CDATA\\[[\\s\\S]*?\\]\\]>|<![^>]*>`,
  'g',
);

/** Tags from `from` to `to`, skipping comments, processing instructions and CDATA. */
export function* tags(xml: string, from = 0, to = xml.length): Generator<Tag> {
  const re = new RegExp(TAG.source, 'g');
  re.lastIndex = from;
  for (let m = re.exec(xml); m && m.index < to; m = re.exec(xml)) {
    if (m[2] === undefined) continue;
    yield { name: m[2], start: m.index, end: m.index + m[0].length, attrs: m[3], closing: m[1] === '/', selfClosing: m[4] === '/' };
  }
}

export const localName = (name: string) => name.slice(name.indexOf(':') + 1);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The element that starts with `tag`: finds its end tag, counting nested elements of the same name. */
export function elementAt(xml: string, tag: Tag): Element {
  if (tag.selfClosing) return { tag, innerStart: tag.end, innerEnd: tag.end, end: tag.end };
  const re = new RegExp(`<(/?)${escapeRe(tag.name)}${ATTRS}(/?)>`, 'g');
  re.lastIndex = tag.end;
  let depth = 1;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    if (m[1] === '/') depth--;
    else if (m[3] !== '/') depth++;
    if (depth === 0) return { tag, innerStart: tag.end, innerEnd: m.index, end: m.index + m[0].length };
  }
  throw new Error(`<${tag.name}> has no end tag`);
}

/** The direct child elements of `parent` (the top-level elements when null). */
export function* children(xml: string, parent: Element | null): Generator<Element> {
  const to = parent ? parent.innerEnd : xml.length;
  for (let pos = parent ? parent.innerStart : 0; ; ) {
    const next = tags(xml, pos, to).next();
    if (next.done || next.value.closing) return;
    const el = elementAt(xml, next.value);
    yield el;
    pos = el.end;
  }
}

/** The document's root element. */
export function rootElement(xml: string): Element {
  for (const el of children(xml, null)) return el;
  throw new Error('no root element');
}

/** The first direct child of `parent` with this local name. */
export function child(xml: string, parent: Element, local: string): Element | null {
  for (const el of children(xml, parent)) if (localName(el.tag.name) === local) return el;
  return null;
}

/** The namespace prefix of a qualified name ("" for none), and the name with that prefix. */
export const prefixOf = (name: string) => (name.includes(':') ? name.slice(0, name.indexOf(':')) : '');
export const qualify = (prefix: string, local: string) => (prefix ? `${prefix}:${local}` : local);

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1))) : ENTITIES[e],
  );
}

/** Text or attribute value escaped for XML 1.0 (characters XML cannot carry are dropped). */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"]/g, (c) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' } as Record<string, string>)[c]};`);
}

/**
 * Text for a SpreadsheetML string (ST_Xstring): "_xHHHH_" there means the character HHHH, so a
 * literal one is written with its underscore escaped, and control characters as "_xHHHH_".
 */
export function escapeXstring(text: string): string {
  const encoded = text
    .replace(/_(?=x[0-9a-fA-F]{4}_)/g, '_x005F_')
    .replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g,
      (c) => `_x${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}_`,
    );
  return escapeXml(encoded);
}

/** The reverse of escapeXstring after unescapeXml. */
export const decodeXstring = (text: string) =>
  text.replace(/_x([0-9a-fA-F]{4})_/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));

/** An attribute's value (unescaped), or undefined. `attrs` is a tag's attribute text. */
export function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${escapeRe(name)}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attrs);
  return m ? unescapeXml(m[1] ?? m[2]) : undefined;
}

/** All attributes of a tag, unescaped, by qualified name. */
export function attributes(attrs: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of attrs.matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out[m[1]] = unescapeXml(m[2] ?? m[3]);
  return out;
}

/** The r:id of an element, whatever prefix the file gives the relationships namespace. */
export function relationshipId(attrs: string): string | undefined {
  return Object.entries(attributes(attrs)).find(([k]) => k.includes(':') && localName(k) === 'id' && !k.startsWith('xmlns'))?.[1];
}

/** The text of a string item (shared string, inline string, note): its runs, without phonetic guides. */
export function richText(xml: string, el: Element): string {
  let out = '';
  for (const part of children(xml, el)) {
    const local = localName(part.tag.name);
    if (local === 't') out += xml.slice(part.innerStart, part.innerEnd);
    else if (local === 'r')
      for (const t of children(xml, part)) if (localName(t.tag.name) === 't') out += xml.slice(t.innerStart, t.innerEnd);
  }
  return decodeXstring(unescapeXml(out));
}

/** The start tag text with an attribute set (replaced in place, or added at the end); null removes it. */
export function withAttr(tagText: string, name: string, value: string | null): string {
  const re = new RegExp(`(\\s)${escapeRe(name)}\\s*=\\s*(?:"[^"]*"|'[^']*')`);
  if (re.test(tagText)) return tagText.replace(re, value === null ? '' : `$1${name}="${escapeXml(value)}"`);
  if (value === null) return tagText;
  return tagText.replace(/\s*(\/?)>$/, ` ${name}="${escapeXml(value)}"$1>`);
}

/** Replaces text[from, to) with `insert`. */
export const splice = (text: string, from: number, to: number, insert: string) => text.slice(0, from) + insert + text.slice(to);

/**
 * Inserts `childXml` (an element with local name `local`) as a child of `parent` where the schema's
 * sequence `order` puts it: before the first existing child that comes later in that order. A child
 * wrapped in mc:AlternateContent ranks as the first known element inside it; unknown children do
 * not move the insertion point.
 */
export function insertChild(xml: string, parent: Element, local: string, childXml: string, order: readonly string[]): string {
  const rank = order.indexOf(local);
  if (rank < 0) throw new Error(`${local} is not in the schema order`);
  if (parent.tag.selfClosing) {
    const open = xml.slice(parent.tag.start, parent.tag.end).replace(/\s*\/>$/, '>');
    return splice(xml, parent.tag.start, parent.tag.end, `${open}${childXml}</${parent.tag.name}>`);
  }
  for (const el of children(xml, parent)) {
    if (rankOf(xml, el, order) > rank) return splice(xml, el.tag.start, el.tag.start, childXml);
  }
  return splice(xml, parent.innerEnd, parent.innerEnd, childXml);
}

function rankOf(xml: string, el: Element, order: readonly string[]): number {
  const local = localName(el.tag.name);
  if (local !== 'AlternateContent') return order.indexOf(local);
  for (const t of tags(xml, el.innerStart, el.innerEnd)) {
    const r = order.indexOf(localName(t.name));
    if (!t.closing && r >= 0) return r;
  }
  return -1;
}
