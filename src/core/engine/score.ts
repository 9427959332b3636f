/**
 * The scoring engine: from a grid of cell values (as Range.getValues() returns them) to the
 * criteria tree, the totals of each stage and the findings. Pure: no Apps Script globals.
 */
import { classify, type Classification, DEFAULT_THRESHOLDS, type Thresholds } from './classify';
import { fromMicro, type Micro, percentOf, toMicro } from './decimal';
import { type Finding, findingAt, type RuleCode } from './findings';
import { type CellNumber, readNumber } from './numbers';
import { type ColumnMap, type ColumnRole, describeMissingHeader, findHeader } from './table';
import type { Block } from './rows';
import { buildTree, type Criterion, type SectionTotal, type Stage } from './tree';
import { a1, formatPoints, normalizeLabel } from './text';
import { appealAllowed, appealPending, needsMoreEvidence } from './stages';

export type { Block } from './rows';
export type { Criterion, Stage } from './tree';
export const STAGES: Stage[] = ['self', 'appraisal', 'final'];
export const STAGE_LABEL: Record<Stage, string> = { self: 'tự chấm', appraisal: 'thẩm định', final: 'sau giải trình' };

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
  /** The settings year: of two columns for one role, the one whose label carries this year is read. */
  year?: number;
}

export interface StageResult {
  max: number;
  applicableMax: number;
  main: number;
  bonus: number;
  penalty: number;
  total: number;
  /** Percent of the applicable max, cut (never rounded up) to 3 decimals so it never reads as a higher class. */
  percent: number;
  classification: Classification;
  /** Every applicable main leaf has a number in this stage: only then is the result final. */
  complete: boolean;
  /** Applicable main leaves with a number in this stage. */
  scored: number;
  /** Main leaves with a max that are not marked not applicable in this stage. */
  applicable: number;
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
  /**
   * After the appeal: the council's final score where it wrote one, the appraisal elsewhere.
   * Null when the sheet has no final column or nothing in it.
   */
  final: StageResult | null;
  /** The latest complete stage, the one the unit is judged on. */
  official: Stage;
  findings: Finding[];
  computed: ComputedCell[];
}

export interface UnrecognisedSheet {
  ok: false;
  reason: string;
  /** Set when the sheet has a header but is refused for a stated rule (ambiguous-column). */
  rule?: RuleCode;
}

export type SheetScore = ScoredSheet | UnrecognisedSheet;

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
  const header = findHeader(rows, options.ignoreFromColumn, options);
  if (!header.ok) {
    const reason = describeMissingHeader(header);
    return header.ambiguous.length > 0 ? { ok: false, reason, rule: 'ambiguous-column' } : { ok: false, reason };
  }
  // A two-row header: rowIndex is its last row, so the table starts below both rows.
  const result = new SheetScorer(rows, header.header.rowIndex, header.header.columns, options).run();
  if (header.header.findings.length > 0) {
    result.findings.push(...header.header.findings);
    result.findings.sort((a, b) => a.row - b.row || a.col - b.col);
  }
  return result;
}

class SheetScorer {
  private criteria: Criterion[] = [];
  private findings: Finding[] = [];
  private sectionTotals: SectionTotal[] = [];
  private readonly thresholds: Thresholds;
  private totalRow: number | null = null;
  private lastRow: number;
  private hasAppraisal = false;
  private hasFinal = false;

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
    const tree = buildTree(this.grid, this.headerIndex, this.columns, this.options.ignoreFromColumn);
    this.criteria = tree.criteria;
    this.findings = tree.findings;
    this.sectionTotals = tree.sectionTotals;
    this.totalRow = tree.totalRow;
    this.lastRow = tree.lastRow;
    this.hasAppraisal = tree.hasAppraisal;
    // A final score on a leaf (a group's cell is a subtotal): the final round has begun.
    this.hasFinal = tree.hasFinal && this.criteria.some((c) => this.isLeaf(c) && c.cells.final.kind !== 'empty');
    this.computePoints();
    const self = this.rawStage('self');
    const appraisal = this.hasAppraisal ? this.rawStage('appraisal') : null;
    const final = this.hasFinal ? this.rawStage('final') : null;
    this.checkCells();
    this.checkGroups();
    this.checkBlocks();
    this.checkSectionTotals();
    this.checkTotals({ self, appraisal, final });
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
      final: final ? this.publicStage(final) : null,
      official: this.official({ self, appraisal, final }),
      findings: this.findings,
      computed: this.computedCells({ self, appraisal, final }),
    };
  }

  /** The latest complete stage: final, else appraisal, else self. */
  private official(stages: Raw): Stage {
    const complete = (s: RawStage | null) => s !== null && s.applicable > 0 && s.scored === s.applicable;
    return complete(stages.final) ? 'final' : complete(stages.appraisal) ? 'appraisal' : 'self';
  }

  /** Whether a stage began for the data (is typed) on a leaf: a final score is begun where the appraisal is. */
  private typed(c: Criterion, stage: Stage): boolean {
    return c.cells[stage].kind !== 'empty' || (stage === 'final' && c.cells.appraisal.kind !== 'empty');
  }

  /**
   * Whether a leaf holds a number in a stage. In the final stage a criterion without a final score
   * takes its appraisal, except one whose appeal the council has yet to decide.
   */
  private hasNumber(c: Criterion, stage: Stage): boolean {
    if (c.cells[stage].kind === 'number') return true;
    return stage === 'final' && c.cells.final.kind === 'empty' && c.cells.appraisal.kind === 'number' && !appealPending(c);
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
          if (stage === 'final' && cell.kind === 'empty') {
            c.points.final = c.notApplicable.final ? 0 : c.points.appraisal;
            continue;
          }
          let v = cell.kind === 'number' ? toMicro(cell.value) : 0;
          if (v < 0) v = 0;
          if (hasMax && v > c.max) v = c.max;
          c.points[stage] = c.notApplicable[stage] ? 0 : v;
        }
      }
      if (this.isLeaf(c)) continue;
      c.max = 0;
      for (const stage of STAGES) c.points[stage] = 0;
      for (const k of c.children) {
        const child = this.criteria[k];
        c.max += child.max;
        for (const stage of STAGES) c.points[stage] += child.points[stage];
      }
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
    let scored = 0;
    let applicable = 0;
    for (const c of this.criteria) {
      if (!this.isLeaf(c)) continue;
      if (c.block === 'main') {
        max += c.max;
        if (!c.notApplicable[stage]) {
          applicableMax += c.max;
          main += c.points[stage];
          if (c.max > 0) {
            applicable++;
            if (this.hasNumber(c, stage)) scored++;
          }
        }
      } else if (c.block === 'bonus') bonusRaw += c.points[stage];
      else penalty += c.points[stage];
    }
    const bonus = Math.min(bonusRaw, this.bonusCap());
    const total = Math.max(0, main + bonus - penalty);
    return { max, applicableMax, main, bonusRaw, bonus, penalty, total, scored, applicable };
  }

  /** Points are exact (millionths), so a total of 89,9997 is never shown as 90 beside "Tốt". */
  private publicStage(s: RawStage): StageResult {
    return {
      max: fromMicro(s.max),
      applicableMax: fromMicro(s.applicableMax),
      main: fromMicro(s.main),
      bonus: fromMicro(s.bonus),
      penalty: fromMicro(s.penalty),
      total: fromMicro(s.total),
      percent: percentOf(s.total, s.applicableMax),
      classification: classify(s.total, s.applicableMax, this.thresholds),
      complete: s.applicable > 0 && s.scored === s.applicable,
      scored: s.scored,
      applicable: s.applicable,
    };
  }

  // ---- 3. findings ---------------------------------------------------------

  private add(rule: RuleCode, at: { row: number; outline: string }, col: number | undefined, message: string): void {
    this.findings.push(findingAt(rule, at, col, message));
  }

  private label(c: Criterion): string {
    return c.outline ? `Tiêu chí ${c.outline}` : `Tiêu chí ở hàng ${c.row}`;
  }

  /** Reports unreadable, text-typed and negative numbers in one cell. */
  private checkNumberCell(c: Criterion, role: 'max' | Stage): void {
    const col = this.columns[role];
    const cell = c.cells[role];
    const what = role === 'max' ? 'Điểm tối đa' : `Điểm ${STAGE_LABEL[role]}`;
    const where = col === undefined ? '' : a1(c.row, col);
    if (cell.kind === 'text') {
      this.add(
        'score-not-number',
        c,
        col,
        `${what} ở ô ${where} là "${cell.raw}", không phải số: được tính là 0. Hãy nhập số (ví dụ 1,5) hoặc ghi "Chưa tính điểm" ` +
          `nếu tiêu chí chưa đánh giá.`,
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
        `${what} ở ô ${where} là công thức ${cell.raw} chưa có kết quả (tệp không lưu kết quả và công cụ không tự tính được): ` +
          `${this.isLeaf(c) ? 'được tính là 0' : 'công cụ dùng tổng các mục con'}. Hãy mở tệp bằng Excel hoặc LibreOffice, lưu ` +
          `lại rồi chạy lại.`,
      );
    } else if (cell.kind === 'number') {
      if (cell.asText) {
        this.add(
          'number-as-text',
          c,
          col,
          `${what} "${String(cell.raw).trim()}" được nhập dạng chữ; đã đọc là ${formatPoints(cell.value)}. Nên nhập lại thành số ` +
            `để bảng tính tự cộng đúng.`,
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
      if (col.final !== undefined) this.checkNumberCell(c, 'final');
      if (!leaf) continue;

      if (c.block === 'main' && c.cells.max.kind === 'empty' && !c.notApplicable.self) {
        this.add('score-not-number', c, col.max, `${this.label(c)} chưa có điểm tối đa: tiêu chí không được tính vào tổng.`);
      }
      const hasMax = c.cells.max.kind === 'number' && !(c.block === 'bonus' && c.isBlockHeader);
      for (const stage of STAGES) {
        const cell = c.cells[stage];
        if (col[stage] === undefined) continue;
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
            `Điểm thẩm định ${formatPoints(appraisal.value)} khác điểm tự chấm ${numText(self) || '(trống)'} nhưng chưa ghi ` +
              `lý do điều chỉnh.`,
          );
        }
      }
      this.checkLaterStages(c);
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

  /** The evidence check, the appeal and the final round of one leaf. */
  private checkLaterStages(c: Criterion): void {
    const col = this.columns;
    const { self, appraisal, final } = c.cells;
    if (needsMoreEvidence(c.check) && c.extraEvidence === '') {
      this.add(
        'evidence-needs-more',
        c,
        col.extraEvidence ?? col.check,
        `${this.label(c)}: cơ quan thường trực yêu cầu bổ sung minh chứng ("${c.check}") nhưng đơn vị chưa bổ sung ở cột ` +
          `Minh chứng bổ sung.`,
      );
    }
    if (c.appeal !== '' && !appealAllowed(c)) {
      const why =
        appraisal.kind !== 'number'
          ? 'tiêu chí chưa có điểm thẩm định'
          : `điểm thẩm định ${formatPoints(appraisal.value)} không thấp hơn điểm tự chấm ${numText(self) || '(trống)'}`;
      this.add(
        'appeal-not-allowed',
        c,
        col.appeal,
        `${this.label(c)} có giải trình sau thẩm định nhưng ${why}: chỉ giải trình ở tiêu chí có điểm thẩm định thấp hơn điểm ` +
          `tự chấm.`,
      );
    } else if (appealPending(c)) {
      this.add(
        'appeal-pending',
        c,
        col.final ?? col.appeal,
        `${this.label(c)}: đơn vị đã giải trình sau thẩm định nhưng Hội đồng chưa ghi điểm sau giải trình ` +
          `(điểm thẩm định ${numText(appraisal)}, tự chấm ${numText(self)}).`,
      );
    }
    if (final.kind !== 'number') return;
    const differs = appraisal.kind !== 'number' || toMicro(appraisal.value) !== toMicro(final.value);
    if (differs && c.finalReason === '') {
      this.add(
        'missing-final-reason',
        c,
        col.finalReason ?? col.final,
        `Điểm sau giải trình ${formatPoints(final.value)} khác điểm thẩm định ${numText(appraisal) || '(trống)'} nhưng chưa ghi ` +
          `lý do điều chỉnh lần 2.`,
      );
    }
    if (c.block !== 'penalty' && self.kind === 'number' && toMicro(final.value) > toMicro(self.value)) {
      this.add(
        'final-above-self',
        c,
        col.final,
        `Điểm sau giải trình ${formatPoints(final.value)} cao hơn điểm đơn vị tự chấm ${formatPoints(self.value)}: hãy kiểm tra lại.`,
      );
    }
  }

  /** Whether a stage's column is checked: it exists, and a later stage holds something. */
  private checked(stage: Stage): boolean {
    if (this.columns[stage] === undefined) return false;
    return stage === 'self' || (stage === 'appraisal' ? this.hasAppraisal : this.hasFinal);
  }

  private checkGroups(): void {
    const col = this.columns;
    const cap = this.bonusCap();
    for (const c of this.criteria) {
      if (this.isLeaf(c)) continue;
      // The max typed on a bonus title is the block's cap, not the sum of its items.
      const bonusTitle = c.block === 'bonus' && c.isBlockHeader;
      if (!bonusTitle && c.cells.max.kind === 'number' && toMicro(c.cells.max.value) !== c.max) {
        this.add(
          'max-sum-mismatch',
          c,
          col.max,
          `Điểm tối đa của mục ${c.outline || `ở hàng ${c.row}`} ghi ${numText(c.cells.max)} nhưng tổng điểm tối đa các mục con ` +
            `là ${pts(c.max)}.`,
        );
      }
      for (const stage of STAGES) {
        if (!this.checked(stage)) continue;
        const cell = c.cells[stage];
        const typed = cell.kind === 'number' ? toMicro(cell.value) : null;
        if (typed !== null && typed !== c.points[stage] && !(bonusTitle && typed === Math.min(c.points[stage], cap))) {
          this.add(
            'subtotal-mismatch',
            c,
            col[stage],
            `Điểm ${STAGE_LABEL[stage]} của mục ${c.outline || `ở hàng ${c.row}`} ghi ${numText(cell)} nhưng tổng các mục con là ` +
              `${pts(c.points[stage])}. Xóa số đã ghi để công cụ tự điền tổng đúng.`,
          );
        }
      }
    }
  }

  private checkBlocks(): void {
    const cap = this.bonusCap();
    const header = this.criteria.find((c) => c.block === 'bonus' && c.isBlockHeader);
    for (const stage of STAGES) {
      if (stage !== 'self' && !this.checked(stage)) continue;
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

  /**
   * Compares a number typed in a total row with the one computed. `where` names the row,
   * `against` what it should equal. A penalty section may show its total with a minus sign.
   */
  private compareTyped(
    rule: 'total-mismatch' | 'section-total-mismatch',
    row: number,
    role: ColumnRole,
    expected: Micro,
    text: { where: string; what: string; against: string; signed?: boolean; alsoRight?: Micro },
  ): void {
    const col = this.columns[role];
    if (col === undefined) return;
    const cell = readNumber(cellAt(this.grid[row - 1] ?? [], col));
    const at = { row, outline: '' };
    if (cell.kind === 'empty' || (cell.kind === 'na' && rule === 'section-total-mismatch')) return;
    if (cell.kind !== 'number') {
      this.add(
        rule,
        at,
        col,
        `${text.where} ghi ${text.what} là "${'raw' in cell ? cell.raw : ''}", không đọc được thành số; ${text.against} là ` +
          `${pts(expected)}.`,
      );
    } else {
      const typed = toMicro(text.signed ? Math.abs(cell.value) : cell.value);
      if (typed === expected || typed === text.alsoRight) return;
      this.add(rule, at, col, `${text.where} ghi ${text.what} ${formatPoints(cell.value)} nhưng ${text.against} là ${pts(expected)}.`);
    }
  }

  private checkTotals({ self, appraisal, final }: Raw): void {
    const col = this.columns;
    const anchor = this.totalRow !== null ? { row: this.totalRow, outline: '' } : { row: this.headerIndex + 1, outline: '' };
    const hasMain = this.criteria.some((c) => c.block === 'main');
    if (hasMain && self.max !== toMicro(100)) {
      this.add(
        'main-max-not-100',
        anchor,
        col.max,
        `Tổng điểm tối đa của các tiêu chí chính là ${pts(self.max)}, không phải 100 điểm. Hãy kiểm tra lại điểm tối đa các tiêu chí.`,
      );
    } else if (!hasMain && this.criteria.length > 0) {
      this.add(
        'main-max-not-100',
        anchor,
        col.max,
        'Không có tiêu chí chính nào: mọi hàng đang được tính là Điểm cộng hoặc Điểm trừ. Nếu phần Điểm cộng/Điểm trừ đặt trên các ' +
          'tiêu chí chính, hãy đánh số các phần (A, B… hoặc I, II…) để công cụ biết phần tiêu chí chính bắt đầu từ đâu.',
      );
    }
    if (this.totalRow === null) return;
    const checks: [ColumnRole, Micro, string][] = [['max', self.max, 'điểm tối đa']];
    checks.push(['self', self.total, 'điểm tự chấm']);
    if (appraisal) checks.push(['appraisal', appraisal.total, 'điểm thẩm định']);
    if (final) checks.push(['final', final.total, 'điểm sau giải trình']);
    for (const [role, expected, what] of checks) {
      this.compareTyped('total-mismatch', this.totalRow, role, expected, { where: 'Hàng tổng', what, against: 'tổng tính được' });
    }
  }

  /** Section-total rows ("Cộng", "Tổng điểm phần I"): each typed number against its section's sum. */
  private checkSectionTotals(): void {
    const cap = this.bonusCap();
    for (const t of this.sectionTotals) {
      const section = this.sectionOf(t);
      if (!section) continue;
      const checks: [ColumnRole, Micro, string][] = [
        ['max', section.max, 'điểm tối đa'],
        ['self', section.points.self, 'điểm tự chấm'],
      ];
      if (this.hasAppraisal) checks.push(['appraisal', section.points.appraisal, 'điểm thẩm định']);
      if (this.hasFinal) checks.push(['final', section.points.final, 'điểm sau giải trình']);
      for (const [role, expected, what] of checks) {
        this.compareTyped('section-total-mismatch', t.row, role, expected, {
          where: `Hàng "${t.label}"`,
          what,
          against: `tổng ${section.name}`,
          // a penalty total may carry a minus sign, a bonus total may show the capped points
          signed: section.block === 'penalty',
          alsoRight: section.block === 'bonus' && role !== 'max' ? Math.min(expected, cap) : undefined,
        });
      }
    }
  }

  /**
   * The section a total row closes: the one its label names ("Cộng mục 1": the last row numbered
   * 1 above it; "Cộng điểm thưởng": the last bonus title above it), else the leaves between the
   * previous total row and this one. Leaves of several blocks add up as the sheet does
   * (main + bonus − penalty, the max of the main part).
   */
  private sectionOf(t: SectionTotal): { name: string; max: Micro; points: Record<Stage, Micro>; block: Block | null } | null {
    let node: Criterion | undefined;
    for (const c of this.criteria) {
      if (c.row >= t.row) break;
      if (t.ref !== null ? normalizeLabel(c.outline) === t.ref : t.block !== null && c.isBlockHeader && c.block === t.block) node = c;
    }
    if (node) {
      const name = node.outline ? `mục ${node.outline}` : `phần "${node.text}"`;
      return { name, max: node.max, points: node.points, block: node.isBlockHeader || node.block !== 'main' ? node.block : null };
    }
    const leaves = this.criteria.filter((c) => this.isLeaf(c) && c.row > t.after && c.row < t.row);
    if (leaves.length === 0) return null;
    const blocks = new Set(leaves.map((c) => c.block));
    const mixed = blocks.size > 1;
    const sum = (get: (c: Criterion) => Micro, c: Criterion) => (mixed && c.block === 'penalty' ? -get(c) : get(c));
    const counted = mixed ? leaves.filter((c) => c.block === 'main') : leaves;
    return {
      name: `các tiêu chí từ hàng ${leaves[0].row} đến hàng ${leaves[leaves.length - 1].row}`,
      max: counted.reduce((s, c) => s + c.max, 0),
      points: {
        self: leaves.reduce((s, c) => s + sum((x) => x.points.self, c), 0),
        appraisal: leaves.reduce((s, c) => s + sum((x) => x.points.appraisal, c), 0),
        final: leaves.reduce((s, c) => s + sum((x) => x.points.final, c), 0),
      },
      block: mixed ? null : leaves[0].block,
    };
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
    const scoreCols = new Set([this.columns.max, ...STAGES.map((s) => this.columns[s])].filter((x) => x !== undefined));
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
        `Ô gộp ${a1(m.row, m.col)}:${a1(lastMergeRow, m.col + m.numCols - 1)} trong cột điểm: chỉ hàng đầu có giá trị, các hàng ` +
          `còn lại được coi là trống. Hãy bỏ gộp ô và nhập điểm từng hàng.`,
      );
    }
  }

  // ---- 4. cells to write back ----------------------------------------------

  /**
   * Group subtotals and the total row, exact. No appraisal (final) subtotal for a group whose
   * leaves nobody has appraised yet: an empty cell there says "not appraised", a 0 would not.
   */
  private computedCells(raw: Raw): ComputedCell[] {
    const out: ComputedCell[] = [];
    const begun = (stage: Stage) => {
      const marks = this.criteria.map(() => false);
      for (let i = this.criteria.length - 1; i >= 0; i--) {
        const c = this.criteria[i];
        if (this.isLeaf(c)) marks[i] = this.typed(c, stage);
        if (marks[i] && c.parent >= 0) marks[c.parent] = true;
      }
      return marks;
    };
    const stages = STAGES.map((stage) => [stage, raw[stage], stage === 'self' ? null : begun(stage)] as const);
    for (const c of this.criteria) {
      if (this.isLeaf(c)) continue;
      for (const [stage, result, typed] of stages) {
        const col = this.columns[stage];
        if (col === undefined || !result || c.cells[stage].kind === 'na') continue;
        if (typed && !typed[c.index]) continue;
        out.push({ row: c.row, col, value: fromMicro(c.points[stage]), kind: 'subtotal' });
      }
    }
    if (this.totalRow !== null) {
      for (const [stage, result] of stages) {
        const col = this.columns[stage];
        if (col === undefined || !result) continue;
        out.push({ row: this.totalRow, col, value: fromMicro(result.total), kind: 'total' });
      }
    }
    return out;
  }
}

type RawStage = ReturnType<SheetScorer['rawStage']>;
type Raw = { self: RawStage; appraisal: RawStage | null; final: RawStage | null };
