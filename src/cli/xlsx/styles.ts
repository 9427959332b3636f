/**
 * The cell styles of a package (xl/styles.xml), edited in place: a highlight is a new cell format
 * cloned from the cell's own, with only its fill changed, so the number format, font, border,
 * alignment and protection stay. Existing fills and formats keep their indices.
 */
import {
  type Element,
  children,
  elementAt,
  escapeXml,
  insertChild,
  localName,
  prefixOf,
  qualify,
  rootElement,
  splice,
  withAttr,
} from './xml';

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
/** CT_Stylesheet's sequence. */
const STYLESHEET_ORDER = [
  'numFmts',
  'fonts',
  'fills',
  'borders',
  'cellStyleXfs',
  'cellXfs',
  'cellStyles',
  'dxfs',
  'tableStyles',
  'colors',
  'extLst',
];

type List = 'fills' | 'cellXfs' | 'dxfs';

/** The lists a highlight needs, with what they hold when a file lacks them (the defaults Excel writes). */
const REQUIRED: Record<List, string[]> = {
  fills: ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>'],
  cellXfs: ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'],
  dxfs: [],
};

/** The stylesheet of a package that has none: Excel's defaults. */
export const DEFAULT_STYLESHEET =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="${MAIN_NS}">` +
  '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  `<fills count="2">${REQUIRED.fills.join('')}</fills>` +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  `<cellXfs count="1">${REQUIRED.cellXfs.join('')}</cellXfs>` +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';

export class CellStyles {
  private xml: string;
  private prefix: string;
  private readonly cache = new Map<string, number>();
  changed = false;

  constructor(xml: string) {
    this.xml = xml;
    this.prefix = prefixOf(rootElement(xml).tag.name);
  }

  text(): string {
    return this.xml;
  }

  /** The index of a cell format equal to `style` but with a solid fill of colour `argb` ("FFF4C7C3"). */
  withFill(style: number, argb: string): number {
    const key = `${style}|${argb}`;
    const known = this.cache.get(key);
    if (known !== undefined) return known;
    const q = (local: string) => qualify(this.prefix, local);
    const fill =
      `<${q('fill')}><${q('patternFill')} patternType="solid"><${q('fgColor')} ` +
      `rgb="${escapeXml(argb)}"/><${q('bgColor')} indexed="64"/></${q('patternFill')}></${q('fill')}>`;
    const fillId = this.indexOf('fills', fill);
    const xfs = this.items('cellXfs');
    // A style index past the list is shown by Excel as the default format: clone that one.
    const base = xfs[style] ?? xfs[0];
    const baseText = this.xml.slice(base.tag.start, base.end);
    const open = withAttr(withAttr(this.xml.slice(base.tag.start, base.tag.end), 'fillId', String(fillId)), 'applyFill', '1');
    const clone = open + this.xml.slice(base.tag.end, base.end);
    const index = clone === baseText && xfs[style] ? style : this.indexOf('cellXfs', clone);
    this.cache.set(key, index);
    return index;
  }

  /**
   * The index of a differential format (what a conditional format applies) with a solid fill of
   * colour `argb`. Excel reads a solid differential fill's colour from bgColor, LibreOffice from
   * either: both are written.
   */
  dxfFill(argb: string): number {
    const q = (local: string) => qualify(this.prefix, local);
    const color = `rgb="${escapeXml(argb)}"`;
    return this.indexOf(
      'dxfs',
      `<${q('dxf')}><${q('fill')}><${q('patternFill')} patternType="solid"><${q('fgColor')} ${color}/><${q('bgColor')} ` +
        `${color}/></${q('patternFill')}></${q('fill')}></${q('dxf')}>`,
    );
  }

  /** The position of `itemXml` in the list `list`, appended (and the count updated) when absent. */
  private indexOf(list: List, itemXml: string): number {
    const items = this.items(list);
    const found = items.findIndex((el) => this.xml.slice(el.tag.start, el.end) === itemXml);
    if (found >= 0) return found;
    const parent = this.list(list);
    this.xml = splice(this.xml, parent.innerEnd, parent.innerEnd, itemXml);
    const grown = this.list(list);
    const open = withAttr(this.xml.slice(grown.tag.start, grown.tag.end), 'count', String(items.length + 1));
    this.xml = splice(this.xml, grown.tag.start, grown.tag.end, open);
    this.changed = true;
    return items.length;
  }

  private items(list: List): Element[] {
    const parent = this.list(list);
    return [...children(this.xml, parent)].filter((el) => localName(el.tag.name) !== 'extLst');
  }

  /** The list element, created with its default items when the stylesheet lacks it. */
  private list(list: List): Element {
    const root = rootElement(this.xml);
    for (const el of children(this.xml, root)) if (localName(el.tag.name) === list) return this.opened(el);
    const name = qualify(this.prefix, list);
    const defaults = REQUIRED[list].map((item) => (this.prefix ? item.replace(/<(\/?)(\w)/g, `<$1${this.prefix}:$2`) : item));
    this.xml = insertChild(this.xml, root, list, `<${name} count="${defaults.length}">${defaults.join('')}</${name}>`, STYLESHEET_ORDER);
    this.changed = true;
    return this.list(list);
  }

  /** An empty list written as `<fills/>` opened up so that items can go in. */
  private opened(el: Element): Element {
    if (!el.tag.selfClosing) return el;
    const open = this.xml.slice(el.tag.start, el.tag.end).replace(/\s*\/>$/, '>');
    this.xml = splice(this.xml, el.tag.start, el.tag.end, `${open}</${el.tag.name}>`);
    return elementAt(this.xml, { ...el.tag, end: el.tag.start + open.length, selfClosing: false });
  }
}
