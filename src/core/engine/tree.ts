/**
 * The criteria tree of a score sheet, read from the rows under the header the way Vietnamese
 * offices lay them out: outline numbers (1, 1.2, 1.2.3, also typed as numbers), Roman and
 * lettered sections, bonus and penalty blocks wherever they sit, wrapped and bullet lines,
 * the column-number row, section-total rows and the sheet's total row.
 */
import { type Finding, findingAt } from './findings';
import { type Micro, toMicro } from './decimal';
import { type CellNumber, readNumber } from './numbers';
import {
  ARABIC,
  type Block,
  blockOfText,
  cleanOutline,
  isBulletOutline,
  isColumnNumberRow,
  romanValue,
  SectionReader,
  type SectionKind,
  startsWithBullet,
  type TotalLabel,
  totalLabel,
} from './rows';
import type { ColumnMap } from './table';
import { cellText, isBlank } from './text';

/** The scoring stages with a score column: the unit's self score, the council's appraisal, its final round after the appeal. */
export type Stage = 'self' | 'appraisal' | 'final';

export interface Criterion {
  index: number;
  /** 1-based sheet row. */
  row: number;
  outline: string;
  text: string;
  /** Lines under the criterion that describe it (bullets, a scoring guide): never scored. */
  description: string[];
  block: Block;
  isBlockHeader: boolean;
  parent: number;
  children: number[];
  depth: number;
  cells: { max: CellNumber; self: CellNumber; appraisal: CellNumber; final: CellNumber };
  explanation: string;
  evidence: string;
  reason: string;
  request: string;
  /** The office's evidence check ("Đạt", "Cần bổ sung: …"). */
  check: string;
  /** The unit's appeal after the appraisal, its extra evidence, and the council's reason for the final score. */
  appeal: string;
  extraEvidence: string;
  finalReason: string;
  notApplicable: Record<Stage, boolean>;
  /** Max in millionths: typed for a leaf, sum of children for a group. */
  max: Micro;
  /** Points counted in each stage (leaf: clamped; group: sum of children). A leaf without a final score takes its appraisal. */
  points: Record<Stage, Micro>;
}

/** A subtotal row inside the table ("Cộng", "Cộng mục 1", "Tổng điểm phần I"): checked, never summed. */
export interface SectionTotal {
  /** 1-based sheet row. */
  row: number;
  label: string;
  /** The section named in the label (lower-case), or null. */
  ref: string | null;
  /** The block named in the label ("Cộng điểm thưởng"), or null. Neither: the rows since the last total. */
  block: Block | null;
  /** 1-based row of the previous total row (or the header): the section starts below it. */
  after: number;
}

export interface Tree {
  criteria: Criterion[];
  findings: Finding[];
  totalRow: number | null;
  lastRow: number;
  hasAppraisal: boolean;
  /** Some criterion has a final score (after the appeal). */
  hasFinal: boolean;
  sectionTotals: SectionTotal[];
}

type RowKind = 'blank' | 'columns' | { label: string; total: TotalLabel } | 'row';

/** What ends a bonus/penalty block: the next section of its level or above, or the next whole number. */
type BlockEnd = 'outer' | 'inner' | 'integer' | 'unnumbered';

function cellAt(row: readonly unknown[], col: number | undefined): unknown {
  return col === undefined ? '' : (row[col] ?? '');
}

function isSectionLike(outline: string): boolean {
  return /^[A-Z]$/.test(outline) || romanValue(outline) !== null;
}

export function buildTree(grid: readonly (readonly unknown[])[], headerIndex: number, columns: ColumnMap, width?: number): Tree {
  return new TreeBuilder(grid, headerIndex, columns, width).build();
}

class TreeBuilder {
  private readonly criteria: Criterion[] = [];
  private readonly findings: Finding[] = [];
  private readonly sectionTotals: SectionTotal[] = [];
  /** Rows with a number but no outline of their own, decided once the whole table is read. */
  private readonly lines = new Set<number>();
  private readonly bullets = new Set<number>();
  /** Description lines with their rows, so they keep the sheet's order. */
  private readonly descriptions = new Map<number, { row: number; text: string }[]>();
  private readonly sections = new SectionReader();
  private totalRow: number | null = null;
  private lastRow: number;
  private hasAppraisal = false;
  private hasFinal = false;

  private block: Block = 'main';
  private blockHeader = -1;
  private blockEnd: BlockEnd = 'unnumbered';
  private outerKind: SectionKind | null = null;
  private outer = -1;
  private inner = -1;
  private scope = new Map<string, number>();
  /** Last child number seen under each outline (for 1.10 typed as the number 1.1). */
  private lastChild = new Map<string, number>();
  private lastNumbered = -1;

  constructor(
    private readonly grid: readonly (readonly unknown[])[],
    private readonly headerIndex: number,
    private readonly col: ColumnMap,
    private readonly width?: number,
  ) {
    this.lastRow = headerIndex + 1;
  }

  build(): Tree {
    const { kinds, grand, grandAtBottom } = this.scan();
    let previousTotal = this.headerIndex + 1;
    for (let r = this.headerIndex + 1; r < this.grid.length; r++) {
      const kind = kinds[r - this.headerIndex - 1];
      if (kind === 'blank') continue;
      this.lastRow = r + 1;
      if (kind === 'columns') continue;
      if (kind === 'row') {
        this.readRow(r);
        continue;
      }
      if (r === grand) {
        this.totalRow = r + 1;
        if (grandAtBottom) break;
      } else this.sectionTotals.push({ row: r + 1, label: kind.label, ref: kind.total.ref, block: kind.total.block, after: previousTotal });
      previousTotal = r + 1;
    }
    this.resolveLines();
    for (const c of this.criteria) {
      const d = this.descriptions.get(c.index);
      if (d) c.description = d.sort((a, b) => a.row - b.row).map((x) => x.text);
    }
    return {
      criteria: this.criteria,
      findings: this.findings,
      totalRow: this.totalRow,
      lastRow: this.lastRow,
      hasAppraisal: this.hasAppraisal,
      hasFinal: this.hasFinal,
      sectionTotals: this.sectionTotals,
    };
  }

  private rowAt(r: number): readonly unknown[] {
    const row = this.grid[r];
    return Array.isArray(row) ? row : [];
  }

  /** A total row's label, when its STT is not an outline number and its words read as a total. */
  private totalOf(row: readonly unknown[]): { label: string; total: TotalLabel } | null {
    const stt = cellText(cellAt(row, this.col.outline));
    const outline = cleanOutline(cellAt(row, this.col.outline));
    const text = cellText(cellAt(row, this.col.text));
    const labels = outline === '' ? [text] : ARABIC.test(outline) || isSectionLike(outline) ? [] : [`${stt} ${text}`.trim(), stt];
    for (const label of labels) {
      const total = totalLabel(label);
      if (total) return { label, total };
    }
    return null;
  }

  /**
   * One pass over the rows: what each is, and which total row is the sheet's. That is the last
   * unqualified total ("Tổng cộng", "Cộng") below the last numbered row; failing that, one
   * right under the header, above every criterion. Any other total row is a section total.
   */
  private scan(): { kinds: RowKind[]; grand: number; grandAtBottom: boolean } {
    const kinds: RowKind[] = [];
    let lastOutlined = -1;
    let firstRow = -1;
    let grand = -1;
    let topTotal = -1;
    for (let r = this.headerIndex + 1; r < this.grid.length; r++) {
      const row = this.rowAt(r);
      const outline = cleanOutline(cellAt(row, this.col.outline));
      const text = cellText(cellAt(row, this.col.text));
      let kind: RowKind = 'row';
      if (outline === '' && text === '' && this.numbersBlank(row)) kind = 'blank';
      else if (isColumnNumberRow(row, this.col.text, this.width)) kind = 'columns';
      else {
        const total = this.totalOf(row);
        if (total) {
          kind = total;
          if (total.total.ref === null && total.total.block === null) {
            grand = r;
            if (firstRow < 0 && topTotal < 0) topTotal = r;
          }
        } else if (ARABIC.test(outline) || isSectionLike(outline) || (outline === '' && blockOfText(text))) lastOutlined = r;
      }
      if (kind === 'row' && firstRow < 0) firstRow = r;
      kinds.push(kind);
    }
    if (grand > lastOutlined) return { kinds, grand, grandAtBottom: true };
    return { kinds, grand: topTotal, grandAtBottom: false };
  }

  private numbersBlank(row: readonly unknown[]): boolean {
    return (['max', 'self', 'appraisal', 'final'] as const).every((role) => isBlank(cellAt(row, this.col[role])));
  }

  private newScope(): void {
    this.scope = new Map();
    this.lastChild = new Map();
    this.lastNumbered = -1;
  }

  /** Where a row without a parent of its own goes: the innermost open section, else the block's header. */
  private container(): number {
    if (this.inner >= 0) return this.inner;
    if (this.outer >= 0) return this.outer;
    return this.block === 'main' ? -1 : this.blockHeader;
  }

  private startBlock(block: Block, end: BlockEnd): void {
    this.newScope();
    this.block = block;
    this.blockEnd = end;
  }

  private endBlock(): void {
    this.block = 'main';
    this.blockHeader = -1;
  }

  private readRow(r: number): void {
    const row = this.rowAt(r);
    const outlineRaw = cellAt(row, this.col.outline);
    let outline = cleanOutline(outlineRaw);
    const text = cellText(cellAt(row, this.col.text));
    const isArabic = ARABIC.test(outline);
    const titleText = blockOfText(text);
    const section = isArabic ? null : this.sections.kindOf(outline, this.lastNumbered < 0, titleText !== null);
    const isInteger = /^\d+$/.test(outline);
    const title = outline === '' || section || isInteger ? titleText : null;

    if (section) {
      this.outerKind ??= section;
      const level = section === this.outerKind ? 'outer' : 'inner';
      this.newScope();
      let parent: number;
      if (title) {
        this.startBlock(title, level);
        parent = -1;
      } else {
        if (this.block !== 'main' && (this.blockEnd !== 'outer' || level === 'outer')) this.endBlock();
        parent = level === 'inner' && this.outer >= 0 ? this.outer : this.block === 'main' ? -1 : this.blockHeader;
      }
      const node = this.addNode(r, row, outline, text, parent, !!title);
      if (level === 'outer') {
        this.outer = node.index;
        this.inner = -1;
      } else this.inner = node.index;
      if (title) this.blockHeader = node.index;
      return;
    }

    if (title) {
      // A bonus or penalty title with a whole number or no STT: its items follow it.
      this.startBlock(title, isInteger ? 'integer' : 'unnumbered');
      this.outer = -1;
      this.inner = -1;
      this.blockHeader = this.addNode(r, row, outline, text, -1, true).index;
      return;
    }

    if (isArabic) {
      if (isInteger && this.block !== 'main' && this.blockEnd === 'integer') this.endBlock();
      const typedAsNumber = typeof outlineRaw === 'number' ? this.outlineFromOrder(outline) : null;
      if (typedAsNumber) outline = typedAsNumber;
      const dot = outline.lastIndexOf('.');
      const parentKey = dot > 0 ? outline.slice(0, dot) : '';
      const found = parentKey ? this.scope.get(parentKey) : undefined;
      const node = this.addNode(r, row, outline, text, found ?? this.container(), false);
      if (typedAsNumber) {
        const shown = cellText(outlineRaw);
        this.findings.push(
          findingAt(
            'outline-as-number',
            node,
            this.col.outline,
            `STT được nhập dạng số nên bảng tính lưu thành ${shown} (mất số 0 ở cuối); theo thứ tự các mục, đây là mục ${outline}. ` +
              `Hãy nhập STT dạng chữ (gõ '${outline}) để không bị đọc nhầm.`,
          ),
        );
      }
      const existing = this.scope.get(outline);
      if (existing !== undefined) {
        this.findings.push(
          findingAt(
            'duplicate-stt',
            node,
            this.col.outline,
            `STT ${outline} bị trùng với hàng ${this.criteria[existing].row} trong cùng một phần.`,
          ),
        );
      }
      this.scope.set(outline, node.index);
      this.lastChild.set(parentKey, Number(outline.slice(dot + 1)));
      this.lastNumbered = node.index;
      return;
    }

    // No outline number: a wrapped line, a bullet or description line, or an unnumbered item.
    const bullet = isBulletOutline(outline) || startsWithBullet(text);
    if (this.numbersBlank(row)) {
      const prev = this.criteria[this.criteria.length - 1];
      if (text === '' || !prev) return;
      if (bullet || outline !== '') this.describe(prev.index, r, [cellText(outlineRaw), text]);
      // A line pasted from a document and wrapped: it continues the criterion above.
      else prev.text = `${prev.text} ${text}`.trim();
      return;
    }
    const owner = this.lastNumbered >= 0 ? this.lastNumbered : this.container();
    const node = this.addNode(r, row, bullet ? '' : outline, text, owner, false);
    this.lines.add(node.index);
    if (bullet) this.bullets.add(node.index);
  }

  /**
   * 1.10 typed as a number reads back as 1.1: after 1.9 the order tells it is 1.10 (and 1.2
   * after 1.19 is 1.20). Returns the outline the order calls for, or null when the number fits.
   */
  private outlineFromOrder(outline: string): string | null {
    const dot = outline.lastIndexOf('.');
    if (dot < 0) return null;
    const key = outline.slice(0, dot);
    const digits = outline.slice(dot + 1);
    const last = this.lastChild.get(key);
    if (last === undefined || Number(digits) === last + 1) return null;
    for (const zeros of ['0', '00']) if (Number(digits + zeros) === last + 1) return `${key}.${digits}${zeros}`;
    return null;
  }

  private describe(index: number, r: number, parts: string[]): void {
    const text = parts.filter(Boolean).join(' ');
    if (text === '') return;
    const list = this.descriptions.get(index) ?? [];
    list.push({ row: r + 1, text });
    this.descriptions.set(index, list);
  }

  private addNode(r: number, row: readonly unknown[], outline: string, text: string, parent: number, isBlockHeader: boolean): Criterion {
    const col = this.col;
    const index = this.criteria.length;
    const parentNode = parent >= 0 ? this.criteria[parent] : undefined;
    const cells = {
      max: readNumber(cellAt(row, col.max)),
      self: readNumber(cellAt(row, col.self)),
      appraisal: readNumber(cellAt(row, col.appraisal)),
      final: readNumber(cellAt(row, col.final)),
    };
    if (cells.appraisal.kind !== 'empty') this.hasAppraisal = true;
    if (cells.final.kind !== 'empty') this.hasFinal = true;
    const naSelf = cells.self.kind === 'na' || cells.max.kind === 'na' || (parentNode?.notApplicable.self ?? false);
    const naAppraisal =
      cells.appraisal.kind === 'na' ||
      cells.max.kind === 'na' ||
      (cells.appraisal.kind === 'empty' && cells.self.kind === 'na') ||
      (parentNode?.notApplicable.appraisal ?? false);
    // No final score: the appraisal stands, not applicable or not.
    const naFinal =
      cells.final.kind === 'na' ||
      cells.max.kind === 'na' ||
      (cells.final.kind === 'empty' && naAppraisal) ||
      (parentNode?.notApplicable.final ?? false);
    const node: Criterion = {
      index,
      row: r + 1,
      outline,
      text,
      description: [],
      block: this.block,
      isBlockHeader,
      parent,
      children: [],
      depth: parentNode ? parentNode.depth + 1 : 0,
      cells,
      explanation: cellText(cellAt(row, col.explanation)),
      evidence: cellText(cellAt(row, col.evidence)),
      reason: cellText(cellAt(row, col.reason)),
      request: cellText(cellAt(row, col.request)),
      check: cellText(cellAt(row, col.check)),
      appeal: cellText(cellAt(row, col.appeal)),
      extraEvidence: cellText(cellAt(row, col.extraEvidence)),
      finalReason: cellText(cellAt(row, col.finalReason)),
      notApplicable: { self: naSelf, appraisal: naAppraisal, final: naFinal },
      max: 0,
      points: { self: 0, appraisal: 0, final: 0 },
    };
    this.criteria.push(node);
    if (parentNode) parentNode.children.push(index);
    return node;
  }

  /**
   * Decides the rows without an outline that carry a number. They are items of the criterion
   * above when any of them is scored, or, before anyone scores, when their maxes add up to its
   * max (or it has none). Otherwise they describe it (a scoring guide: "- đúng hạn: 2 điểm"),
   * and never turn a scored criterion into a group worth 0. Under a criterion that has numbered
   * items, only scored lines are items. Above every criterion, unscored bullet lines are notes.
   */
  private resolveLines(): void {
    if (this.lines.size === 0) return;
    const byOwner = new Map<number, Criterion[]>();
    for (const i of this.lines) {
      const c = this.criteria[i];
      byOwner.set(c.parent, [...(byOwner.get(c.parent) ?? []), c]);
    }
    const scored = (c: Criterion) => c.cells.self.kind !== 'empty' || c.cells.appraisal.kind !== 'empty' || c.cells.final.kind !== 'empty';
    const drop = new Set<number>();
    for (const [owner, lines] of byOwner) {
      if (owner < 0) {
        for (const c of lines) if (!scored(c) && this.bullets.has(c.index)) drop.add(c.index);
        continue;
      }
      const o = this.criteria[owner];
      let keep: (c: Criterion) => boolean;
      if (o.children.length > lines.length) keep = scored;
      else if (lines.some(scored)) keep = () => true;
      else {
        const linesMax = lines.reduce((s, c) => s + (c.cells.max.kind === 'number' ? toMicro(c.cells.max.value) : 0), 0);
        const asItems = !scored(o) && (o.cells.max.kind !== 'number' || toMicro(o.cells.max.value) === linesMax);
        keep = () => asItems;
      }
      for (const c of lines) {
        if (keep(c)) continue;
        drop.add(c.index);
        this.describe(owner, c.row - 1, [c.outline, c.text]);
        for (const d of this.descriptions.get(c.index) ?? []) this.describe(owner, d.row - 1, [d.text]);
      }
    }
    if (drop.size > 0) this.removeNodes(drop);
  }

  /** Removes leaf nodes and renumbers the rest (children still come after their parent). */
  private removeNodes(drop: ReadonlySet<number>): void {
    const newIndex = new Map<number, number>();
    const kept = this.criteria.filter((c) => !drop.has(c.index));
    kept.forEach((c, i) => newIndex.set(c.index, i));
    const descriptions = new Map<number, { row: number; text: string }[]>();
    for (const [i, d] of this.descriptions) if (newIndex.has(i)) descriptions.set(newIndex.get(i) as number, d);
    this.descriptions.clear();
    for (const [i, d] of descriptions) this.descriptions.set(i, d);
    for (const c of kept) {
      c.index = newIndex.get(c.index) as number;
      c.parent = c.parent >= 0 ? (newIndex.get(c.parent) as number) : -1;
      c.children = c.children.filter((k) => !drop.has(k)).map((k) => newIndex.get(k) as number);
    }
    this.criteria.length = 0;
    this.criteria.push(...kept);
  }
}
