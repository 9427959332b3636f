/** The package-level bookkeeping of an Office file: part names, relationships and content types. */
import { attr, children, elementAt, escapeXml, localName, rootElement, splice, tags, withAttr } from './xml';

const REL_BASE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
export const REL = {
  officeDocument: `${REL_BASE}/officeDocument`,
  worksheet: `${REL_BASE}/worksheet`,
  styles: `${REL_BASE}/styles`,
  sharedStrings: `${REL_BASE}/sharedStrings`,
  calcChain: `${REL_BASE}/calcChain`,
  comments: `${REL_BASE}/comments`,
  vmlDrawing: `${REL_BASE}/vmlDrawing`,
};
export const REL_NS = REL_BASE;
export const CONTENT_TYPE = {
  comments: 'application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml',
  vml: 'application/vnd.openxmlformats-officedocument.vmlDrawing',
  styles: 'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml',
  worksheet: 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml',
};

/** CT_Workbook's sequence, for the children the writer adds (definedNames after sheets). */
export const WORKBOOK_ORDER = [
  'fileVersion',
  'fileSharing',
  'workbookPr',
  'workbookProtection',
  'bookViews',
  'sheets',
  'functionGroups',
  'externalReferences',
  'definedNames',
  'calcPr',
  'oleSize',
  'customWorkbookViews',
  'pivotCaches',
  'smartTagPr',
  'smartTagTypes',
  'webPublishing',
  'fileRecoveryPr',
  'webPublishObjects',
  'extLst',
];

/** CT_Worksheet's sequence: a new child element goes before the first existing one listed after it. */
export const WORKSHEET_ORDER = [
  'sheetPr',
  'dimension',
  'sheetViews',
  'sheetFormatPr',
  'cols',
  'sheetData',
  'sheetCalcPr',
  'sheetProtection',
  'protectedRanges',
  'scenarios',
  'autoFilter',
  'sortState',
  'dataConsolidate',
  'customSheetViews',
  'mergeCells',
  'phoneticPr',
  'conditionalFormatting',
  'dataValidations',
  'hyperlinks',
  'printOptions',
  'pageMargins',
  'pageSetup',
  'headerFooter',
  'rowBreaks',
  'colBreaks',
  'customProperties',
  'cellWatches',
  'ignoredErrors',
  'smartTags',
  'drawing',
  'legacyDrawing',
  'legacyDrawingHF',
  'drawingHF',
  'picture',
  'oleObjects',
  'controls',
  'webPublishItems',
  'tableParts',
  'extLst',
];

/** The part a relationship target points to, from the part that holds the relationship. */
export function resolveTarget(source: string, target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : `${source.slice(0, source.lastIndexOf('/') + 1)}${target}`;
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '.' && seg !== '') out.push(seg);
  }
  return out.join('/');
}

/** A relative target from `source` to `part` (both package paths without a leading slash). */
export function relativeTarget(source: string, part: string): string {
  const from = source.split('/').slice(0, -1);
  const to = part.split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
}

/** Where the relationships of a part are kept: "xl/worksheets/_rels/sheet1.xml.rels". */
export function relsPathOf(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

export interface Relationship {
  id: string;
  type: string;
  target: string;
  /** The target part's path, or null for an external target. */
  part: string | null;
}

/** A part's relationships: read, and appended to without touching the existing ones. */
export class Relationships {
  changed = false;
  private xml: string;

  constructor(
    /** The part these relationships belong to. */
    readonly source: string,
    xml: string | null,
  ) {
    this.xml =
      xml ??
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships ' +
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>';
  }

  text(): string {
    return this.xml;
  }

  list(): Relationship[] {
    const out: Relationship[] = [];
    for (const t of tags(this.xml)) {
      if (t.closing || localName(t.name) !== 'Relationship') continue;
      const target = attr(t.attrs, 'Target') ?? '';
      const external = attr(t.attrs, 'TargetMode') === 'External';
      out.push({
        id: attr(t.attrs, 'Id') ?? '',
        type: attr(t.attrs, 'Type') ?? '',
        target,
        part: external ? null : resolveTarget(this.source, target),
      });
    }
    return out;
  }

  find(type: string): Relationship | undefined {
    return this.list().find((r) => r.type === type);
  }

  /** Adds a relationship to `part` and returns its new, unused id. */
  add(type: string, part: string): string {
    const ids = new Set(this.list().map((r) => r.id));
    let n = ids.size + 1;
    while (ids.has(`rId${n}`)) n++;
    const id = `rId${n}`;
    const root = rootElement(this.xml);
    const name = root.tag.name.replace(/Relationships$/, 'Relationship');
    const rel = `<${name} Id="${id}" Type="${escapeXml(type)}" Target="${escapeXml(relativeTarget(this.source, part))}"/>`;
    this.xml = root.tag.selfClosing
      ? splice(
          this.xml,
          root.tag.start,
          root.tag.end,
          `${this.xml.slice(root.tag.start, root.tag.end).replace(/\s*\/>$/, '>')}${rel}</${root.tag.name}>`,
        )
      : splice(this.xml, root.innerEnd, root.innerEnd, rel);
    this.changed = true;
    return id;
  }

  remove(id: string): void {
    for (const t of tags(this.xml)) {
      if (!t.closing && localName(t.name) === 'Relationship' && attr(t.attrs, 'Id') === id) {
        this.xml = splice(this.xml, t.start, elementAt(this.xml, t).end, '');
        this.changed = true;
        return;
      }
    }
  }
}

/** [Content_Types].xml: defaults by extension and overrides by part name, appended to in place. */
export class ContentTypes {
  changed = false;

  constructor(private xml: string) {}

  text(): string {
    return this.xml;
  }

  private entries(kind: 'Default' | 'Override') {
    const root = rootElement(this.xml);
    return [...children(this.xml, root)].filter((el) => localName(el.tag.name) === kind);
  }

  hasDefault(extension: string): boolean {
    return this.entries('Default').some((el) => (attr(el.tag.attrs, 'Extension') ?? '').toLowerCase() === extension.toLowerCase());
  }

  hasOverride(part: string): boolean {
    return this.entries('Override').some((el) => (attr(el.tag.attrs, 'PartName') ?? '').toLowerCase() === `/${part}`.toLowerCase());
  }

  /** Makes `part` of this content type: through the extension's default when there is none yet, else an override. */
  ensure(part: string, type: string, viaDefault = false): void {
    if (this.hasOverride(part)) return;
    const ext = part.slice(part.lastIndexOf('.') + 1);
    if (viaDefault && this.hasDefault(ext)) return;
    this.append(
      viaDefault
        ? `<Default Extension="${escapeXml(ext)}" ContentType="${type}"/>`
        : `<Override PartName="/${escapeXml(part)}" ContentType="${type}"/>`,
    );
  }

  removeOverride(part: string): void {
    const el = this.entries('Override').find((e) => (attr(e.tag.attrs, 'PartName') ?? '').toLowerCase() === `/${part}`.toLowerCase());
    if (!el) return;
    this.xml = splice(this.xml, el.tag.start, el.end, '');
    this.changed = true;
  }

  private append(entry: string): void {
    const root = rootElement(this.xml);
    const prefix = root.tag.name.includes(':') ? `${root.tag.name.split(':')[0]}:` : '';
    const text = prefix ? entry.replace(/^<(\w)/, `<${prefix}$1`) : entry;
    this.xml = splice(this.xml, root.innerEnd, root.innerEnd, text);
    this.changed = true;
  }
}

/** Sets an attribute on the root element's start tag (used for namespace declarations). */
export function withRootAttr(xml: string, name: string, value: string): string {
  const root = rootElement(xml);
  return splice(xml, root.tag.start, root.tag.end, withAttr(xml.slice(root.tag.start, root.tag.end), name, value));
}

/** The prefix a document declares for a namespace URI on its root, or null. */
export function declaredPrefix(xml: string, uri: string): string | null {
  const root = rootElement(xml);
  const m = new RegExp(`\\sxmlns:([\\w.-]+)\\s*=\\s*["']${uri.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']`).exec(root.tag.attrs);
  return m ? m[1] : null;
}
