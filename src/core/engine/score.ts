/**
 * The scoring engine: from a grid of cell values (as Range.getValues() returns them) to the
 * criteria tree, the totals of each stage and the findings. Pure: no Apps Script globals.
 */
import { classify, type Classification, DEFAULT_THRESHOLDS, type Thresholds } from './classify';
import { fromMicro, type Micro, percentOf, round3, toMicro } from './decimal';
import { type Finding, RULE_SEVERITY, type RuleCode } from './findings';
import { type CellNumber, readNumber } from './numbers';
import { type ColumnMap, describeMissingHeader, findHeader, type ColumnRole } from './table';
import { a1, cellText, formatPoints, isBlank, normalizeLabel } from './text';

export type Block = 'main' | 'bonus' | 'penalty';
export type Stage = 'self' | 'appraisal';
export const STAGES: Stage[] = ['self', 'appraisal'];
export const STAGE_LABEL: Record<Stage, string> = { self: 'tự chấm', appraisal: 'thẩm định' };

export interface ScoreOptions {
  thresholds?: Thresholds;
  /** Bonus cap when the bonus block has no max of its own (default 4). */
  bonusCap?: number;
  /** Columns from this 0-based index on are ignored (the add-on's own result block). */
  ignoreFromColumn?: number;
  /** 1-based rows hidden in the sheet. */
  hiddenRows?: readonly number[];
  /** Merged areas (1-based row, 0-based col). */
  merges?: readonly { row: number; col: number; numRows: number; numCols: number }[];
}

export interface Criterion {
  index: number;
  /** 1-based sheet row. */
  row: number;
  outline: string;
  text: string;
  block: Block;
  isBlockHeader: boolean;
  parent: number;
  children: number[];
  depth: number;
  cells: { max: CellNumber; self: CellNumber; appraisal: CellNumber };
  explanation: string;
  evidence: string;
  reason: string;
  request: string;
  notApplicable: Record<Stage, boolean>;
  /** Max in millionths: typed for a leaf, sum of children for a group. */
  max: Micro;
  /** Points counted in each stage (leaf: clamped; group: sum of children). */
  points: Record<Stage, Micro>;
}

export interface StageResult {
  max: number;
  applicableMax: number;
  main: number;
  bonus: number;
  penalty: number;
  total: number;
  percent: number;
  classification: Classification;
}

export interface ComputedCell {
  /** 1-based row, 0-based column. */
  row: number;
  col: number;
  value: number;
  kind: 'subtotal' | 'total';
}

export interface ScoredSheet {
  ok: true;
  /** 1-based row of the header. */
  headerRow: number;
  columns: ColumnMap;
  criteria: Criterion[];
  /** Leaf criteria of the main part (not bonus or penalty). */
  leafCount: number;
  totalRow: number | null;
  lastRow: number;
  self: StageResult;
  appraisal: StageResult | null;
  findings: Finding[];
  computed: ComputedCell[];
}

export interface UnrecognisedSheet {
  ok: false;
  reason: string;
}

export type SheetScore = ScoredSheet | UnrecognisedSheet;

const ROMAN = /^[IVXLC]+$/;
const ARABIC = /^\d+(\.\d+)*$/;
const BLOCK_TEXT = /^(?:(?:[ivxlc]+|\d+|[a-z])[.)/-]?\s+)?(diem cong|diem thuong|diem tru)\b/;
const TOTAL_TEXT = /^(tong diem|tong cong|tong so diem|tong so|tong|cong)\b[^a-z]*$|^(tong diem|tong cong|tong so diem)\b/;

function cleanOutline(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return cellText(value).replace(/\s+/g, '').replace(/\.+$/, '');
}

function blockOfText(text: string): Block | null {
  const m = BLOCK_TEXT.exec(normalizeLabel(text));
  if (!m) return null;
  return m[1] === 'diem tru' ? 'penalty' : 'bonus';
}

function isTotalLabel(value: unknown): boolean {
  const s = normalizeLabel(value);
  return s !== '' && TOTAL_TEXT.test(s);
}

function cellAt(row: readonly unknown[], col: number | undefined): unknown {
  return col === undefined ? '' : (row[col] ?? '');
}

function pts(micro: Micro): string {
  return formatPoints(fromMicro(micro));
}

function numText(cell: CellNumber): string {
  return cell.kind === 'number' ? formatPoints(cell.value) : '';
}

/** Scores one sheet's grid. Never throws for any grid of cell values. */
export function scoreGrid(grid: readonly (readonly unknown[])[], options: ScoreOptions = {}): SheetScore {
  const rows = Array.isArray(grid) ? grid : [];
  const header = findHeader(rows, options.ignoreFromColumn);
  if (!header.ok) return { ok: false, reason: describeMissingHeader(header) };
  return new SheetScorer(rows, header.header.rowIndex, header.header.columns, options).run();
}

class SheetScorer {
  private readonly criteria: Criterion[] = [];
  private readonly findings: Finding[] = [];
  private readonly thresholds: Thresholds;
  private totalRow: number | null = null;
  private totalRowIndex = -1;
  private lastRow: number;
  private hasAppraisal = false;

  constructor(
    private readonly grid: readonly (readonly unknown[])[],
    private readonly headerIndex: number,
    private readonly columns: ColumnMap,
    private readonly options: ScoreOptions,
  ) {
    this.thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
    this.lastRow = headerIndex + 1;
  }

  run(): ScoredSheet {
    this.buildTree();
    this.computePoints();
    const self = this.rawStage('self');
    const appraisal = this.hasAppraisal ? this.rawStage('appraisal') : null;
    this.checkCells();
    this.checkGroups();
    this.checkBlocks();
    this.checkTotals(self, appraisal);
    this.checkLayout();
    this.findings.sort((a, b) => a.row - b.row || a.col - b.col);
    const leafCount = this.criteria.filter((c) => c.block === 'main' && c.children.length === 0 && !c.isBlockHeader).length;
    return {
      ok: true,
      headerRow: this.headerIndex + 1,
      columns: { ...this.columns },
      criteria: this.criteria,
      leafCount,
      totalRow: this.totalRow,
      lastRow: this.lastRow,
      self: this.publicStage(self),
      appraisal: appraisal ? this.publicStage(appraisal) : null,
      findings: this.findings,
      computed: this.computedCells(self, appraisal),
    };
  }

  // ---- 1. tree -------------------------------------------------------------

  private buildTree(): void {
    const col = this.columns;
    let block: Block = 'main';
    let blockHeader = -1;
    let roman = -1;
    let scope = new Map<string, number>();
    let lastNumbered = -1;
    const newScope = () => {
      scope = new Map();
      lastNumbered = -1;
    };

    for (let r = this.headerIndex + 1; r < this.grid.length; r++) {
      const row = Array.isArray(this.grid[r]) ? this.grid[r] : [];
      const outlineRaw = cellAt(row, col.outline);
      const outline = cleanOutline(outlineRaw);
      const text = cellText(cellAt(row, col.text));
      const maxRaw = cellAt(row, col.max);
      const selfRaw = cellAt(row, col.self);
      const appraisalRaw = cellAt(row, col.appraisal);
      const numbersBlank = isBlank(maxRaw) && isBlank(selfRaw) && isBlank(appraisalRaw);

      if (outline === '' && text === '' && numbersBlank) continue;

      const isArabic = ARABIC.test(outline);
      const isRoman = !isArabic && ROMAN.test(outline);

      if ((!isArabic && !isRoman && isTotalLabel(outlineRaw)) || (outline === '' && isTotalLabel(text))) {
        this.totalRow = r + 1;
        this.totalRowIndex = r;
        this.lastRow = r + 1;
        break;
      }
      this.lastRow = r + 1;

      const startsBlock = outline === '' || isRoman || /^\d+$/.test(outline) ? blockOfText(text) : null;
      if (!startsBlock && outline === '' && text !== '' && numbersBlank && this.criteria.length > 0) {
        // A wrapped line pasted from a document: it continues the criterion above.
        const prev = this.criteria[this.criteria.length - 1];
        prev.text = `${prev.text} ${text}`.trim();
        continue;
      }
      let parent = -1;
      let isBlockHeader = false;

      if (startsBlock) {
        block = startsBlock;
        isBlockHeader = true;
        roman = -1;
        newScope();
      } else if (isRoman) {
        newScope();
        parent = block === 'main' ? -1 : blockHeader;
      } else if (isArabic) {
        const dot = outline.lastIndexOf('.');
        const parentKey = dot > 0 ? outline.slice(0, dot) : null;
        const found = parentKey !== null ? scope.get(parentKey) : undefined;
        if (found !== undefined) parent = found;
        else parent = roman >= 0 ? roman : blockHeader;
      } else {
        parent = lastNumbered >= 0 ? lastNumbered : roman >= 0 ? roman : blockHeader;
      }

      const index = this.criteria.length;
      const parentNode = parent >= 0 ? this.criteria[parent] : undefined;
      const cells = { max: readNumber(maxRaw), self: readNumber(selfRaw), appraisal: readNumber(appraisalRaw) };
      if (cells.appraisal.kind !== 'empty') this.hasAppraisal = true;
      const naSelf = cells.self.kind === 'na' || cells.max.kind === 'na' || (parentNode?.notApplicable.self ?? false);
      const naAppraisal =
        cells.appraisal.kind === 'na' ||
        cells.max.kind === 'na' ||
        (cells.appraisal.kind === 'empty' && cells.self.kind === 'na') ||
        (parentNode?.notApplicable.appraisal ?? false);
      const node: Criterion = {
        index,
        row: r + 1,
        outline,
        text,
        block,
        isBlockHeader,
        parent,
        children: [],
        depth: parentNode ? parentNode.depth + 1 : 0,
        cells,
        explanation: cellText(cellAt(row, col.explanation)),
        evidence: cellText(cellAt(row, col.evidence)),
        reason: cellText(cellAt(row, col.reason)),
        request: cellText(cellAt(row, col.request)),
        notApplicable: { self: naSelf, appraisal: naAppraisal },
        max: 0,
        points: { self: 0, appraisal: 0 },
      };
      this.criteria.push(node);
      if (parentNode) parentNode.children.push(index);

      if (isBlockHeader) {
        blockHeader = index;
      } else if (isRoman) {
        roman = index;
      } else if (isArabic) {
        const key = outline;
        const existing = scope.get(key);
        if (existing !== undefined) {
          this.add(
            'duplicate-stt',
            node,
            col.outline,
            `STT ${outline} bị trùng với hàng ${this.criteria[existing].row} trong cùng một phần.`,
          );
        }
        scope.set(key, index);
        lastNumbered = index;
      }
    }
  }

  // ---- 2. points -----------------------------------------------------------

  private isLeaf(c: Criterion): boolean {
    return c.children.length === 0;
  }

  private computePoints(): void {
    // Children always come after their parent, so one reverse pass sums bottom-up.
    for (let i = this.criteria.length - 1; i >= 0; i--) {
      const c = this.criteria[i];
      if (this.isLeaf(c)) {
        c.max = c.cells.max.kind === 'number' ? Math.max(0, toMicro(c.cells.max.value)) : 0;
        // A bonus row without children is capped as a block (bonus-over-cap), not clamped here.
        const hasMax = c.cells.max.kind === 'number' && !(c.block === 'bonus' && c.isBlockHeader);
        for (const stage of STAGES) {
          const cell = c.cells[stage];
          let v = cell.kind === 'number' ? toMicro(cell.value) : 0;
          if (v < 0) v = 0;
          if (hasMax && v > c.max) v = c.max;
          c.points[stage] = c.notApplicable[stage] ? 0 : v;
        }
      }
      if (this.isLeaf(c)) continue;
      let max = 0;
      let self = 0;
      let appraisal = 0;
      for (const k of c.children) {
        const child = this.criteria[k];
        max += child.max;
        self += child.points.self;
        appraisal += child.points.appraisal;
      }
      c.max = max;
      c.points.self = self;
      c.points.appraisal = appraisal;
    }
  }

  private bonusCap(): Micro {
    const header = this.criteria.find((c) => c.block === 'bonus' && c.isBlockHeader);
    if (header && header.cells.max.kind === 'number' && header.cells.max.value > 0) return toMicro(header.cells.max.value);
    return toMicro(this.options.bonusCap ?? 4);
  }

  private rawStage(stage: Stage) {
    let max = 0;
    let applicableMax = 0;
    let main = 0;
    let bonusRaw = 0;
    let penalty = 0;
    for (const c of this.criteria) {
      if (!this.isLeaf(c)) continue;
      if (c.block === 'main') {
        max += c.max;
        if (!c.notApplicable[stage]) {
          applicableMax += c.max;
          main += c.points[stage];
        }
      } else if (c.block === 'bonus') bonusRaw += c.points[stage];
      else penalty += c.points[stage];
    }
    const bonus = Math.min(bonusRaw, this.bonusCap());
    const total = Math.max(0, main + bonus - penalty);
    return { max, applicableMax, main, bonusRaw, bonus, penalty, total };
  }

  private publicStage(s: ReturnType<SheetScorer['rawStage']>): StageResult {
    return {
      max: round3(fromMicro(s.max)),
      applicableMax: round3(fromMicro(s.applicableMax)),
      main: round3(fromMicro(s.main)),
      bonus: round3(fromMicro(s.bonus)),
      penalty: round3(fromMicro(s.penalty)),
      total: round3(fromMicro(s.total)),
      percent: percentOf(s.total, s.applicableMax),
      classification: classify(s.total, s.applicableMax, this.thresholds),
    };
  }

  // ---- 3. findings ---------------------------------------------------------

  private add(rule: RuleCode, c: Criterion | { row: number; outline: string }, col: number | undefined, message: string): void {
    const column = col ?? 0;
    this.findings.push({
      rule,
      severity: RULE_SEVERITY[rule],
      row: c.row,
      cell: a1(c.row, column),
      col: column,
      outline: c.outline,
      message,
    });
  }

  private label(c: Criterion): string {
    return c.outline ? `Tiêu chí ${c.outline}` : `Tiêu chí ở hàng ${c.row}`;
  }

  /** Reports unreadable, text-typed and negative numbers in one cell. */
  private checkNumberCell(c: Criterion, role: 'max' | Stage): void {
    const col = this.columns[role];
    const cell = c.cells[role];
    const what = role === 'max' ? 'Điểm tối đa' : role === 'self' ? 'Điểm tự chấm' : 'Điểm thẩm định';
    const where = col === undefined ? '' : a1(c.row, col);
    if (cell.kind === 'text') {
      this.add(
        'score-not-number',
        c,
        col,
        `${what} ở ô ${where} là "${cell.raw}", không phải số: được tính là 0. Hãy nhập số (ví dụ 1,5) hoặc ghi "Chưa tính điểm" nếu tiêu chí chưa đánh giá.`,
      );
    } else if (cell.kind === 'error') {
      this.add(
        'score-not-number',
        c,
        col,
        `${what} ở ô ${where} báo lỗi công thức ${cell.raw}: được tính là 0. Hãy sửa công thức hoặc nhập số.`,
      );
    } else if (cell.kind === 'formula') {
      this.add(
        'formula-no-result',
        c,
        col,
        `${what} ở ô ${where} là công thức ${cell.raw} chưa có kết quả (tệp không lưu kết quả và công cụ không tự tính được): ${this.isLeaf(c) ? 'được tính là 0' : 'công cụ dùng tổng các mục con'}. Hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi chạy lại.`,
      );
    } else if (cell.kind === 'number') {
      if (cell.asText) {
        this.add(
          'number-as-text',
          c,
          col,
          `${what} "${String(cell.raw).trim()}" được nhập dạng chữ; đã đọc là ${formatPoints(cell.value)}. Nên nhập lại thành số để bảng tính tự cộng đúng.`,
        );
      }
      if (cell.value < 0) {
        this.add(
          'score-negative',
          c,
          col,
          `${what} ${formatPoints(cell.value)} là số âm: được tính là 0. Điểm trừ ghi ở hàng Điểm trừ, không ghi số âm.`,
        );
      }
    }
  }

  private checkCells(): void {
    const col = this.columns;
    for (const c of this.criteria) {
      const leaf = this.isLeaf(c);
      this.checkNumberCell(c, 'max');
      this.checkNumberCell(c, 'self');
      if (col.appraisal !== undefined) this.checkNumberCell(c, 'appraisal');
      if (!leaf) continue;

      if (c.block === 'main' && c.cells.max.kind === 'empty' && !c.notApplicable.self) {
        this.add('score-not-number', c, col.max, `${this.label(c)} chưa có điểm tối đa: tiêu chí không được tính vào tổng.`);
      }
      const hasMax = c.cells.max.kind === 'number' && !(c.block === 'bonus' && c.isBlockHeader);
      for (const stage of STAGES) {
        const cell = c.cells[stage];
        if (stage === 'appraisal' && col.appraisal === undefined) continue;
        if (cell.kind === 'number' && hasMax && toMicro(cell.value) > c.max) {
          this.add(
            'score-above-max',
            c,
            col[stage],
            `Điểm ${STAGE_LABEL[stage]} ${formatPoints(cell.value)} vượt điểm tối đa ${pts(c.max)}: chỉ được tính ${pts(c.max)}.`,
          );
        }
      }

      const self = c.cells.self;
      if (c.block === 'main' && !c.notApplicable.self) {
        if (self.kind === 'empty') {
          this.add('unscored', c, col.self, `${this.label(c)} chưa tự chấm điểm.`);
        }
        if (col.explanation !== undefined && self.kind === 'number' && toMicro(self.value) < c.max && c.explanation === '') {
          this.add(
            'missing-explanation',
            c,
            col.explanation,
            `Tự chấm ${formatPoints(self.value)}/${pts(c.max)} điểm nhưng chưa có giải trình vì sao chưa đạt tối đa.`,
          );
        }
      }
      if (c.block !== 'penalty' && col.evidence !== undefined && self.kind === 'number' && self.value > 0 && c.evidence === '') {
        this.add(
          'missing-evidence',
          c,
          col.evidence,
          `${this.label(c)} có điểm tự chấm ${formatPoints(self.value)} nhưng chưa có đường dẫn minh chứng.`,
        );
      }
      const appraisal = c.cells.appraisal;
      if (col.reason !== undefined && appraisal.kind === 'number' && c.reason === '') {
        const selfValue = self.kind === 'number' ? toMicro(self.value) : null;
        if (selfValue === null || selfValue !== toMicro(appraisal.value)) {
          this.add(
            'missing-adjust-reason',
            c,
            col.reason,
            `Điểm thẩm định ${formatPoints(appraisal.value)} khác điểm tự chấm ${numText(self) || '(trống)'} nhưng chưa ghi lý do điều chỉnh.`,
          );
        }
      }
      if (c.block === 'penalty' && (c.points.self > 0 || c.points.appraisal > 0)) {
        if ((col.explanation !== undefined || col.evidence !== undefined) && c.explanation === '' && c.evidence === '') {
          this.add(
            'penalty-without-basis',
            c,
            col.explanation ?? col.evidence,
            `Điểm trừ ${pts(Math.max(c.points.self, c.points.appraisal))} chưa có căn cứ: cần ghi giải trình hoặc minh chứng cụ thể.`,
          );
        }
      }
    }
  }

  private checkGroups(): void {
    const col = this.columns;
    for (const c of this.criteria) {
      if (this.isLeaf(c)) continue;
      if (c.cells.max.kind === 'number' && toMicro(c.cells.max.value) !== c.max) {
        this.add(
          'max-sum-mismatch',
          c,
          col.max,
          `Điểm tối đa của mục ${c.outline || `ở hàng ${c.row}`} ghi ${numText(c.cells.max)} nhưng tổng điểm tối đa các mục con là ${pts(c.max)}.`,
        );
      }
      for (const stage of STAGES) {
        if (stage === 'appraisal' && (!this.hasAppraisal || col.appraisal === undefined)) continue;
        const cell = c.cells[stage];
        if (cell.kind === 'number' && toMicro(cell.value) !== c.points[stage]) {
          this.add(
            'subtotal-mismatch',
            c,
            col[stage],
            `Điểm ${STAGE_LABEL[stage]} của mục ${c.outline || `ở hàng ${c.row}`} ghi ${numText(cell)} nhưng tổng các mục con là ${pts(c.points[stage])}. Xóa số đã ghi để công cụ tự điền tổng đúng.`,
          );
        }
      }
    }
  }

  private checkBlocks(): void {
    const cap = this.bonusCap();
    const header = this.criteria.find((c) => c.block === 'bonus' && c.isBlockHeader);
    for (const stage of STAGES) {
      if (stage === 'appraisal' && !this.hasAppraisal) continue;
      const raw = this.rawStage(stage).bonusRaw;
      if (raw > cap) {
        const target = header ?? this.criteria.find((c) => c.block === 'bonus');
        if (target) {
          this.add(
            'bonus-over-cap',
            target,
            this.columns[stage],
            `Điểm cộng (${STAGE_LABEL[stage]}) là ${pts(raw)}, vượt mức tối đa ${pts(cap)}: chỉ được tính ${pts(cap)}.`,
          );
        }
      }
    }
  }

  private checkTotals(self: ReturnType<SheetScorer['rawStage']>, appraisal: ReturnType<SheetScorer['rawStage']> | null): void {
    const col = this.columns;
    const anchor = this.totalRow !== null ? { row: this.totalRow, outline: '' } : { row: this.headerIndex + 1, outline: '' };
    if (self.max !== toMicro(100) && this.criteria.some((c) => c.block === 'main')) {
      this.add(
        'main-max-not-100',
        anchor,
        col.max,
        `Tổng điểm tối đa của các tiêu chí chính là ${pts(self.max)}, không phải 100 điểm. Hãy kiểm tra lại điểm tối đa các tiêu chí.`,
      );
    }
    if (this.totalRow === null) return;
    const row = this.grid[this.totalRowIndex] ?? [];
    const checks: [ColumnRole, Micro, string][] = [['max', self.max, 'điểm tối đa']];
    checks.push(['self', self.total, 'điểm tự chấm']);
    if (appraisal) checks.push(['appraisal', appraisal.total, 'điểm thẩm định']);
    for (const [role, expected, what] of checks) {
      const c = col[role];
      if (c === undefined) continue;
      const cell = readNumber(cellAt(row, c));
      if (cell.kind === 'empty') continue;
      if (cell.kind !== 'number') {
        this.add(
          'total-mismatch',
          anchor,
          c,
          `Hàng tổng ghi ${what} là "${'raw' in cell ? cell.raw : ''}", không đọc được thành số; tổng tính được là ${pts(expected)}.`,
        );
      } else if (toMicro(cell.value) !== expected) {
        this.add(
          'total-mismatch',
          anchor,
          c,
          `Hàng tổng ghi ${what} ${formatPoints(cell.value)} nhưng tổng tính được là ${pts(expected)}.`,
        );
      }
    }
  }

  private checkLayout(): void {
    const first = this.headerIndex + 2;
    const last = this.lastRow;
    const byRow = new Map<number, Criterion>();
    for (const c of this.criteria) byRow.set(c.row, c);
    for (const r of this.options.hiddenRows ?? []) {
      if (r < first || r > last) continue;
      const c = byRow.get(r) ?? { row: r, outline: '' };
      this.add(
        'hidden-row',
        c,
        this.columns.outline,
        `Hàng ${r} đang bị ẩn nhưng vẫn được tính điểm. Hãy hiện hàng để mọi người cùng thấy.`,
      );
    }
    const scoreCols = new Set([this.columns.max, this.columns.self, this.columns.appraisal].filter((x) => x !== undefined));
    for (const m of this.options.merges ?? []) {
      const lastMergeRow = m.row + m.numRows - 1;
      if (lastMergeRow < first || m.row > last || m.numRows < 2) continue;
      let touches = false;
      for (let c = m.col; c < m.col + m.numCols; c++) if (scoreCols.has(c)) touches = true;
      if (!touches) continue;
      const c = byRow.get(m.row) ?? { row: m.row, outline: '' };
      this.add(
        'merged-cells',
        c,
        m.col,
        `Ô gộp ${a1(m.row, m.col)}:${a1(lastMergeRow, m.col + m.numCols - 1)} trong cột điểm: chỉ hàng đầu có giá trị, các hàng còn lại được coi là trống. Hãy bỏ gộp ô và nhập điểm từng hàng.`,
      );
    }
  }

  // ---- 4. cells to write back ----------------------------------------------

  private computedCells(self: ReturnType<SheetScorer['rawStage']>, appraisal: ReturnType<SheetScorer['rawStage']> | null): ComputedCell[] {
    const out: ComputedCell[] = [];
    const stages: [Stage, ReturnType<SheetScorer['rawStage']> | null][] = [
      ['self', self],
      ['appraisal', appraisal],
    ];
    for (const c of this.criteria) {
      if (this.isLeaf(c)) continue;
      for (const [stage, result] of stages) {
        const col = this.columns[stage];
        if (col === undefined || !result || c.cells[stage].kind === 'na') continue;
        out.push({ row: c.row, col, value: round3(fromMicro(c.points[stage])), kind: 'subtotal' });
      }
    }
    if (this.totalRow !== null) {
      for (const [stage, result] of stages) {
        const col = this.columns[stage];
        if (col === undefined || !result) continue;
        out.push({ row: this.totalRow, col, value: round3(fromMicro(result.total)), kind: 'total' });
      }
    }
    return out;
  }
}
