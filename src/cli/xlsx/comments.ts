/**
 * Cell notes of one worksheet, as Excel keeps them: the text in a comments part, the note box in a
 * VML drawing, both tied to the sheet by relationships and the sheet's <legacyDrawing>. Existing
 * notes and shapes are left byte for byte; new ones are appended, and the parts are created when the
 * sheet has none.
 */
import { parseA1Cell } from '../../core/engine/text';
import type { XlsxPackage } from './package';
import { CONTENT_TYPE, declaredPrefix, REL, REL_NS, type Relationships, WORKSHEET_ORDER, withRootAttr } from './parts';
import {
  attr,
  child,
  children,
  decodeXstring,
  type Element,
  escapeXstring,
  insertChild,
  localName,
  prefixOf,
  qualify,
  relationshipId,
  richText,
  rootElement,
  splice,
  unescapeXml,
  withAttr,
} from './xml';

/** Who the notes we add are from. */
export const NOTE_AUTHOR = 'Chấm điểm CCHC/CDS';

const VML_NS = {
  v: 'urn:schemas-microsoft-com:vml',
  o: 'urn:schemas-microsoft-com:office:office',
  x: 'urn:schemas-microsoft-com:office:excel',
};
/** Shape ids of a VML drawing come in blocks of 1024 listed by its <o:idmap data="…">. */
const BLOCK = 1024;

const NEW_COMMENTS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments ' +
  'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors></authors><commentList></commentList></comments>';

export class SheetNotes {
  private readonly pending = new Map<string, string>();

  private constructor(
    private readonly pkg: XlsxPackage,
    private readonly sheetPart: string,
    private readonly rels: Relationships,
    private readonly commentsPart: string | null,
    private readonly existing: Map<string, string>,
  ) {}

  static async load(pkg: XlsxPackage, sheetPart: string, rels: Relationships): Promise<SheetNotes> {
    const part = rels.find(REL.comments)?.part ?? null;
    const xml = part ? await pkg.read(part) : null;
    const existing = new Map<string, string>();
    if (xml) for (const c of comments(xml)) existing.set(c.ref, richText(xml, c.text ?? c.el));
    return new SheetNotes(pkg, sheetPart, rels, xml ? part : null, existing);
  }

  get(ref: string): string | null {
    return this.pending.get(ref) ?? this.existing.get(ref) ?? null;
  }

  set(ref: string, text: string): void {
    this.pending.set(ref, text);
  }

  /** Writes the new notes into the package; returns the sheet's XML with its <legacyDrawing> when added. */
  async flush(sheetXml: string): Promise<string> {
    if (!this.pending.size) return sheetXml;
    const commentsPart =
      this.commentsPart ?? this.pkg.freeName(`${this.sheetPart.slice(0, this.sheetPart.indexOf('/') + 1)}comments`, '.xml');
    let xml = (await this.pkg.read(commentsPart)) ?? NEW_COMMENTS;
    const prefix = prefixOf(rootElement(xml).tag.name);
    const q = (local: string) => qualify(prefix, local);
    const author = authorIndex(xml);
    if (author.index < 0) {
      xml = appendTo(listOf(xml, 'authors', prefix), `<${q('author')}>${escapeXstring(NOTE_AUTHOR)}</${q('author')}>`);
    }
    const authorId = author.index < 0 ? author.count : author.index;
    const note = (ref: string, text: string) =>
      `<${q('comment')} ref="${ref}" authorId="${authorId}"><${q('text')}><${q('r')}><${q('t')} ` +
      `xml:space="preserve">${escapeXstring(text)}</${q('t')}></${q('r')}></${q('text')}></${q('comment')}>`;
    const added = [...this.pending.keys()].filter((ref) => !this.existing.has(ref));
    for (const [ref, text] of this.pending) {
      const old = this.existing.has(ref) ? comments(xml).find((c) => c.ref === ref) : undefined;
      if (old) xml = splice(xml, old.el.tag.start, old.el.end, note(ref, text));
    }
    if (added.length)
      xml = appendTo(listOf(xml, 'commentList', prefix), added.map((ref) => note(ref, this.pending.get(ref) as string)).join(''));
    this.pkg.write(commentsPart, xml);
    this.pkg.contentTypes.ensure(commentsPart, CONTENT_TYPE.comments);
    if (!this.commentsPart) this.rels.add(REL.comments, commentsPart);
    return added.length ? this.addShapes(sheetXml, added) : sheetXml;
  }

  /** Note boxes for the new notes, in the sheet's VML drawing (created when it has none). */
  private async addShapes(sheetXml: string, refs: readonly string[]): Promise<string> {
    const root = rootElement(sheetXml);
    const legacy = child(sheetXml, root, 'legacyDrawing');
    const relId = legacy && relationshipId(legacy.tag.attrs);
    const rel = relId ? this.rels.list().find((r) => r.id === relId) : undefined;
    const existingPart = rel?.part ?? null;
    const part =
      existingPart ?? this.pkg.freeName(`${this.sheetPart.slice(0, this.sheetPart.indexOf('/') + 1)}drawings/vmlDrawing`, '.vml');
    const blocks = await this.blocksInUse();
    let vml = existingPart ? ((await this.pkg.read(existingPart)) ?? '') : '';
    if (!vml) {
      const block = Math.max(0, ...blocks) + 1;
      vml =
        `<xml xmlns:v="${VML_NS.v}" xmlns:o="${VML_NS.o}" xmlns:x="${VML_NS.x}"><o:shapelayout v:ext="edit"><o:idmap ` +
        `v:ext="edit" data="${block}"/></o:shapelayout></xml>`;
    }
    const p = { v: '', o: '', x: '' };
    for (const key of ['v', 'o', 'x'] as const) {
      let prefix = declaredPrefix(vml, VML_NS[key]);
      if (!prefix) {
        prefix = key;
        vml = withRootAttr(vml, `xmlns:${key}`, VML_NS[key]);
      }
      p[key] = prefix;
    }
    let shapes = '';
    if (!/\bid\s*=\s*["']_x0000_t202["']/.test(vml)) {
      shapes +=
        `<${p.v}:shapetype id="_x0000_t202" coordsize="21600,21600" ${p.o}:spt="202" ` +
        `path="m,l,21600r21600,l21600,xe"><${p.v}:stroke joinstyle="miter"/>` +
        `<${p.v}:path gradientshapeok="t" ${p.o}:connecttype="rect"/></${p.v}:shapetype>`;
    }
    const ids = [...vml.matchAll(/_x0000_s(\d+)/g)].map((m) => Number(m[1]));
    const idmap = /<([\w.-]+:)?idmap\b[^>]*>/.exec(vml);
    const listed = (idmap && attr(idmap[0], 'data')?.split(',').map(Number)) || [Math.max(0, ...blocks) + 1];
    let next = Math.max(listed[0] * BLOCK, ...ids) + 1;
    const z = Math.max(0, ...[...vml.matchAll(/z-index:\s*(\d+)/g)].map((m) => Number(m[1])));
    const needed = new Set(listed);
    refs.forEach((ref, i) => {
      const { row, col } = parseA1Cell(ref);
      needed.add(Math.floor(next / BLOCK));
      shapes += noteShape(p, next++, z + i + 1, row, col);
    });
    if (idmap && needed.size > listed.length)
      vml = splice(vml, idmap.index, idmap.index + idmap[0].length, withAttr(idmap[0], 'data', [...needed].join(',')));
    const vmlRoot = rootElement(vml);
    vml = splice(vml, vmlRoot.innerEnd, vmlRoot.innerEnd, shapes);
    this.pkg.write(part, vml);
    if (existingPart) return sheetXml;
    this.pkg.contentTypes.ensure(part, CONTENT_TYPE.vml, true);
    const id = this.rels.add(REL.vmlDrawing, part);
    let r = declaredPrefix(sheetXml, REL_NS);
    if (!r) {
      r = /\sxmlns:r\s*=/.test(root.tag.attrs) ? 'rel' : 'r';
      sheetXml = withRootAttr(sheetXml, `xmlns:${r}`, REL_NS);
    }
    const name = qualify(prefixOf(root.tag.name), 'legacyDrawing');
    return insertChild(sheetXml, rootElement(sheetXml), 'legacyDrawing', `<${name} ${r}:id="${id}"/>`, WORKSHEET_ORDER);
  }

  /** The shape-id blocks every VML drawing of the package uses, so a new drawing takes a free one. */
  private async blocksInUse(): Promise<number[]> {
    const blocks: number[] = [];
    for (const path of this.pkg.paths().filter((p) => p.toLowerCase().endsWith('.vml'))) {
      const vml = (await this.pkg.read(path)) ?? '';
      for (const m of vml.matchAll(/_x0000_s(\d+)/g)) blocks.push(Math.floor(Number(m[1]) / BLOCK));
      for (const m of vml.matchAll(/<(?:[\w.-]+:)?idmap\b[^>]*>/g))
        for (const d of (attr(m[0], 'data') ?? '').split(',')) if (/^\d+$/.test(d)) blocks.push(Number(d));
    }
    return blocks;
  }
}

/** The comment elements of a comments part, with their (upper-case) cell reference and text element. */
function comments(xml: string): { ref: string; el: Element; text: Element | null }[] {
  const out: { ref: string; el: Element; text: Element | null }[] = [];
  const list = child(xml, rootElement(xml), 'commentList');
  for (const el of list ? children(xml, list) : []) {
    if (localName(el.tag.name) !== 'comment') continue;
    const text = child(xml, el, 'text');
    out.push({ ref: (attr(el.tag.attrs, 'ref') ?? '').toUpperCase(), el, text });
  }
  return out;
}

/** Our author's index in <authors> (-1 when absent) and how many authors there are. */
function authorIndex(xml: string): { index: number; count: number } {
  const list = child(xml, rootElement(xml), 'authors');
  const names = list ? [...children(xml, list)].map((a) => decodeXstring(unescapeXml(xml.slice(a.innerStart, a.innerEnd)))) : [];
  return { index: names.indexOf(NOTE_AUTHOR), count: names.length };
}

/** The list element (authors, commentList), created in its place when missing. */
function listOf(xml: string, local: 'authors' | 'commentList', prefix: string): { xml: string; el: Element } {
  const root = rootElement(xml);
  const found = child(xml, root, local);
  if (found) return { xml, el: found };
  const name = qualify(prefix, local);
  const grown = insertChild(xml, root, local, `<${name}></${name}>`, ['authors', 'commentList', 'extLst']);
  return listOf(grown, local, prefix);
}

/** The XML with `item` appended to the list element. */
function appendTo(list: { xml: string; el: Element }, item: string): string {
  const { xml, el } = list;
  if (!el.tag.selfClosing) return splice(xml, el.innerEnd, el.innerEnd, item);
  const open = xml.slice(el.tag.start, el.tag.end).replace(/\s*\/>$/, '>');
  return splice(xml, el.tag.start, el.tag.end, `${open}${item}</${el.tag.name}>`);
}

/** A hidden note box for the cell at 1-based `row`, 0-based `col`, shown on hover beside it. */
function noteShape(p: { v: string; o: string; x: string }, id: number, z: number, row: number, col: number): string {
  const { v, o, x } = p;
  // Anchor: left column, offset, top row, offset, right column, offset, bottom row, offset (0-based).
  const anchor = `${col + 1}, 15, ${Math.max(row - 2, 0)}, 10, ${col + 5}, 15, ${row + 6}, 4`;
  return (
    `<${v}:shape id="_x0000_s${id}" type="#_x0000_t202" ` +
    `style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:240pt;height:120pt;z-index:${z};visibility:hidden" ` +
    `fillcolor="#ffffe1" ${o}:insetmode="auto">` +
    `<${v}:fill color2="#ffffe1"/><${v}:shadow on="t" color="black" obscured="t"/><${v}:path ${o}:connecttype="none"/>` +
    `<${v}:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></${v}:textbox>` +
    `<${x}:ClientData ` +
    `ObjectType="Note"><${x}:MoveWithCells/><${x}:SizeWithCells/><${x}:Anchor>${anchor}</${x}:Anchor>` +
    `<${x}:AutoFill>False</${x}:AutoFill><${x}:Row>${row - 1}</${x}:Row><${x}:Column>${col}</${x}:Column></${x}:ClientData></${v}:shape>`
  );
}
