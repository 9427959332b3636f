/**
 * The add-on's conditional formats and score validation in a worksheet's XML. Its own are
 * recognised (a highlight rule by the formula mark, a validation by its help text) and replaced;
 * a person's are kept as they are, and a score cell a person already validates keeps that rule.
 */
import { formatPoints, parseA1Cell } from '../../core/engine/text';
import { type HighlightRule, isOwnRuleFormula } from '../../core/sheet/highlights';
import { scoreHint } from '../../core/evidence/input';
import type { ScoreValidation } from './live';
import type { SheetEditor } from './package';
import { attr, children, escapeXml, localName, rootElement, unescapeXml, withAttr } from './xml';

/** An element's children with their text, parsed from the element's own text. */
function kids(xml: string): { local: string; text: string; inner: string; attrs: string }[] {
  return [...children(xml, rootElement(xml))].map((el) => ({
    local: localName(el.tag.name),
    text: xml.slice(el.tag.start, el.end),
    inner: xml.slice(el.innerStart, el.innerEnd),
    attrs: el.tag.attrs,
  }));
}

/** The element's start tag and end tag around new content. */
function rewrap(xml: string, content: string): string {
  const root = rootElement(xml);
  const open = xml.slice(root.tag.start, root.tag.end).replace(/\s*\/>$/, '>');
  return `${open}${content}</${root.tag.name}>`;
}

/** A cfRule whose formula carries the add-on's mark. */
function isOwnRule(ruleXml: string): boolean {
  return kids(ruleXml).some((k) => k.local === 'formula' && isOwnRuleFormula(unescapeXml(k.inner)));
}

/**
 * Replaces the add-on's highlight rules: each of ours as a `conditionalFormatting` with one
 * expression rule and a differential fill; a person's rules keep their element and priority,
 * ours come after them.
 */
export function writeRules(sheet: SheetEditor, rules: readonly Pick<HighlightRule, 'ranges' | 'formula' | 'background'>[]): void {
  const q = (local: string) => sheet.qualified(local);
  const kept: string[] = [];
  let priority = 0;
  for (const cf of sheet.elements('conditionalFormatting')) {
    const all = kids(cf);
    const theirs = all.filter((k) => !(k.local === 'cfRule' && isOwnRule(k.text)));
    for (const k of theirs) if (k.local === 'cfRule') priority = Math.max(priority, Number(attr(k.attrs, 'priority')) || 0);
    if (theirs.length === all.length) kept.push(cf);
    else if (theirs.some((k) => k.local === 'cfRule')) kept.push(rewrap(cf, theirs.map((k) => k.text).join('')));
  }
  const ours = rules.map((rule) => {
    const dxf = sheet.fillFormat(`FF${rule.background.slice(1).toUpperCase()}`);
    const formula = `<${q('formula')}>${escapeXml(rule.formula.replace(/^=/, ''))}</${q('formula')}>`;
    const cfRule = `<${q('cfRule')} type="expression" dxfId="${dxf}" priority="${++priority}">${formula}</${q('cfRule')}>`;
    return `<${q('conditionalFormatting')} sqref="${escapeXml(rule.ranges.join(' '))}">${cfRule}</${q('conditionalFormatting')}>`;
  });
  sheet.replaceElements('conditionalFormatting', [...kept, ...ours]);
}

const OWN_HELP = /^Nhập điểm là số từ 0 đến /;

/** The cells of a sqref ("D7:D9 F2") as a test. */
function covers(sqref: string): (row: number, col: number) => boolean {
  const areas = sqref
    .split(/\s+/)
    .filter(Boolean)
    .map((range) => {
      const [from, to = from] = range.split(':').map((r) => parseA1Cell(r.replace(/\$/g, '')));
      return {
        top: Math.min(from.row, to.row),
        bottom: Math.max(from.row, to.row),
        left: Math.min(from.col, to.col),
        right: Math.max(from.col, to.col),
      };
    });
  return (row, col) => areas.some((a) => row >= a.top && row <= a.bottom && col >= a.left && col <= a.right);
}

/** Cells of one column as ranges: D7, D8, D9, D12 → "D7:D9 D12". */
function sqrefOf(refs: readonly string[]): string {
  const cells = refs.map((r) => ({ ref: r, ...parseA1Cell(r) })).sort((a, b) => a.col - b.col || a.row - b.row);
  const out: string[] = [];
  let start = cells[0];
  let last = cells[0];
  const flush = () => out.push(start.ref === last.ref ? start.ref : `${start.ref}:${last.ref}`);
  for (const c of cells.slice(1)) {
    if (c.col === last.col && c.row === last.row + 1) last = c;
    else {
      flush();
      start = c;
      last = c;
    }
  }
  flush();
  return out.join(' ');
}

/**
 * The score validation, as the add-on sets it: a decimal from 0 to the row's max, blank allowed,
 * and a warning (not a stop) for anything else, so "Chưa tính điểm" can still be typed. Replaces
 * the add-on's earlier validations; a cell a person validates keeps the person's rule.
 */
export function writeValidations(sheet: SheetEditor, validations: readonly ScoreValidation[]): void {
  const q = (local: string) => sheet.qualified(local);
  const [list] = sheet.elements('dataValidations');
  const theirs = list ? kids(list).filter((k) => !(k.local === 'dataValidation' && OWN_HELP.test(attr(k.attrs, 'prompt') ?? ''))) : [];
  const taken = theirs.filter((k) => k.local === 'dataValidation').map((k) => covers(attr(k.attrs, 'sqref') ?? ''));
  const ours: string[] = [];
  for (const { max, refs } of validations) {
    const open = refs.filter((ref) => {
      const { row, col } = parseA1Cell(ref);
      return !taken.some((t) => t(row, col));
    });
    if (open.length === 0) continue;
    const attrs = [
      'type="decimal"',
      'operator="between"',
      'allowBlank="1"',
      'errorStyle="warning"',
      'showInputMessage="1"',
      'showErrorMessage="1"',
      `errorTitle="${escapeXml('Điểm ngoài khoảng')}"`,
      `error="${escapeXml(
        `Điểm là số từ 0 đến ${formatPoints(max)}. Nếu muốn ghi "Chưa tính điểm" hoặc "Không áp dụng", chọn Yes để giữ.`,
      )}"`,
      `prompt="${escapeXml(scoreHint(max))}"`,
      `sqref="${sqrefOf(open)}"`,
    ];
    ours.push(
      `<${q('dataValidation')} ` +
        `${attrs.join(' ')}><${q('formula1')}>0</${q('formula1')}><${q('formula2')}>${max}</${q('formula2')}></${q('dataValidation')}>`,
    );
  }
  const items = [...theirs.map((k) => k.text), ...ours];
  if (
    list &&
    items.join('') ===
      kids(list)
        .map((k) => k.text)
        .join('')
  )
    return;
  const count = items.filter((x) => /^<([\w.-]+:)?dataValidation[\s>/]/.test(x)).length;
  if (count === 0) {
    sheet.replaceElements('dataValidations', []);
    return;
  }
  const base = list ?? `<${q('dataValidations')}/>`;
  const root = rootElement(base);
  const open = withAttr(base.slice(root.tag.start, root.tag.end).replace(/\s*\/>$/, '>'), 'count', String(count));
  sheet.replaceElements('dataValidations', [`${open}${items.join('')}</${root.tag.name}>`]);
}
