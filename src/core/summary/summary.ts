/** The summary for the commune leadership: one row per unit, ranks, units × sections matrices and the progress of each
 * stage; live.ts gives its live cells. */
import { type Classification, CLASSIFICATION_COLORS } from '../engine/classify';
import { fromMicro, round3 } from '../engine/decimal';
import { checkOfficialEmail, type SkipReason, SKIP_REASON_LABEL, splitEmails } from '../settings/email';
import { type Pending, pendingOf } from '../engine/findings';
import type { Criterion, ScoredSheet, Stage, StageResult } from '../engine/score';
import { inferStage, type SheetStage, STAGE_NAMES } from '../engine/stages';
import type { Settings, Unit } from '../settings/settings';
import { normalizeLabel } from '../engine/text';
import { SUMMARY_HEADERS } from '../sheet/own-sheets';

/** Where a unit sheet's result block is: its title cell, 1-based row and 0-based column (as sheetFormulas takes it). */
export interface BlockAt {
  row: number;
  col: number;
}

export interface SummaryUnit {
  unit: string;
  sheet: string;
  focal: string;
  /** Null when the sheet is missing or not a score table. */
  result: ScoredSheet | null;
  /** The sheet's result block, which the summary's formulas refer to; null or absent when the sheet has none (or it is not known). */
  block?: BlockAt | null;
  /** The stage recorded for the sheet (the stage workflow); absent: inferred from the columns that hold data. */
  stage?: SheetStage | null;
  problem: string | null;
}

/** A top-level section of a unit's table: its row and its points in each stage (null: the cell shows blank). */
export interface SectionCell {
  criterion: Criterion;
  self: number;
  appraisal: number | null;
}

export interface SummaryRow {
  unit: string;
  sheet: string;
  focal: string;
  leaves: number;
  selfScoredShare: number;
  pending: Pending;
  self: StageResult | null;
  appraisal: StageResult | null;
  /** After the appeal (null when the sheet has no final scores). */
  final: StageResult | null;
  /** The stage the unit is judged on (the engine's official), null without a result. */
  official: Stage | null;
  /** The sheet's workflow stage: recorded, or inferred from its data; null without a result. */
  stage: SheetStage | null;
  rank: number | null;
  problem: string | null;
  /** The unit's scored table and result block, which the live summary refers to. */
  result: ScoredSheet | null;
  block: BlockAt | null;
  /** Points per top-level section, keyed by section label. */
  sections: Map<string, SectionCell>;
  /** Change of the unit's total since its last snapshot (appraisal when it has one), or null. */
  change: number | null;
}

/** Why a unit's numbers in the summary are only those of the moment it was built. */
export function noBlockNote(sheet: string): string {
  return (
    `Các số của đơn vị này là số lúc lập bảng, không tự cập nhật: trang "${sheet}" chưa có bảng kết quả. Hãy chọn "Kiểm tra ` +
    `và tính điểm trang này" trên trang đó rồi lập lại bảng tổng hợp.`
  );
}

/**
 * Which sheets the summary covers: the units table order, or every score sheet when the table
 * is empty. `scores` maps a sheet name to its result (or the reason it is not a score table);
 * `blocks`, when given, where each sheet's result block is — a scored sheet without one gets a
 * note that its numbers will not follow its scores until it is checked.
 */
export function summaryUnits(
  settings: Settings,
  sheetNames: readonly string[],
  scores: Map<string, ScoredSheet | string>,
  blocks?: ReadonlyMap<string, BlockAt>,
): SummaryUnit[] {
  const unitOf = (unit: string, sheet: string, focal: string, score: ScoredSheet | string | undefined, problems: string[]): SummaryUnit => {
    const result = typeof score === 'object' ? score : null;
    const block = result ? (blocks?.get(sheet) ?? null) : null;
    if (result && blocks && !block) problems.push(noBlockNote(sheet));
    return { unit, sheet, focal, result, block, problem: problems.filter(Boolean).join(' ') || null };
  };
  const byNorm = new Map(sheetNames.map((n) => [normalizeLabel(n), n]));
  if (settings.units.length > 0) {
    return settings.units.map((u: Unit) => {
      const actual = byNorm.get(normalizeLabel(u.sheet));
      const score = actual !== undefined ? scores.get(actual) : undefined;
      const problems = [
        actual === undefined
          ? `Không tìm thấy trang tính "${u.sheet}".`
          : typeof score === 'string'
            ? score
            : score === undefined
              ? 'Chưa chấm.'
              : '',
        emailProblem(u.email, settings.domains),
      ];
      return unitOf(u.name, actual ?? u.sheet, u.focal, score, problems);
    });
  }
  return sheetNames.filter((n) => typeof scores.get(n) === 'object').map((n) => unitOf(n, n, '', scores.get(n), []));
}

/** A unit's address that reminders refuse, as a note to fix ("" when every address is fine). */
function emailProblem(cell: string, domains: readonly string[]): string {
  const emails = splitEmails(cell);
  if (emails.length === 0) return `Cần sửa email: ${SKIP_REASON_LABEL['missing-email']}.`;
  const refused = emails.map((e) => [e, checkOfficialEmail(e, domains)] as const).filter(([, r]) => r !== null);
  return refused.map(([e, r]) => `Cần sửa email ${e}: ${SKIP_REASON_LABEL[r as SkipReason]}.`).join(' ');
}

type Stages = { self: StageResult | null; appraisal: StageResult | null; final?: StageResult | null };

/** The appraisal when it is done for every applicable criterion; a partial one is progress, not a result. */
export function finalAppraisal(r: Stages): StageResult | null {
  return r.appraisal?.complete ? r.appraisal : null;
}

/** The final round when it is complete (no appeal left undecided), else null. */
export function finalRound(r: Stages): StageResult | null {
  return r.final?.complete ? r.final : null;
}

/** The stage a unit is judged on: its complete final round, else its complete appraisal, else its self score. */
export function finalStage(r: Stages): StageResult | null {
  return finalRound(r) ?? finalAppraisal(r) ?? r.self;
}

/** The final class cell while an appeal is still undecided. */
export const FINAL_UNDERWAY = 'còn giải trình chưa có điểm';

/** "đã thẩm định 12/40 tiêu chí" in pieces: the words and the two counts (numbers, or formula parts). */
export function progressPieces<T>(scored: T, applicable: T): (string | T)[] {
  return ['đã thẩm định ', scored, '/', applicable, ' tiêu chí'];
}

/** "đã thẩm định 12/40 tiêu chí" for an appraisal under way, else null. */
export function appraisalProgress(r: Stages): string | null {
  return r.appraisal && !r.appraisal.complete ? progressPieces(r.appraisal.scored, r.appraisal.applicable).join('') : null;
}

/** Ranks by the appraisal only when every scored unit's appraisal is complete, else by the self score. */
export function rankBasis(rows: readonly Stages[]): 'appraisal' | 'self' {
  const scored = rows.filter((r) => r.self);
  return scored.length > 0 && scored.every((r) => finalAppraisal(r)) ? 'appraisal' : 'self';
}

/**
 * Competition ranking ("1, 1, 3") on the percent of the basis above; once every appraisal is
 * complete, each unit on its official result (the final round after an appeal, else the appraisal).
 */
export function rankUnits(rows: readonly Stages[]): (number | null)[] {
  const byAppraisal = rankBasis(rows) === 'appraisal';
  const key = (r: Stages) => (r.self ? (byAppraisal ? (finalStage(r) as StageResult).percent : r.self.percent) : null);
  return rows.map((r) => {
    const k = key(r);
    if (k === null) return null;
    return (
      1 +
      rows.filter((o) => {
        const ok = key(o);
        return ok !== null && ok > k;
      }).length
    );
  });
}

/** The sentence above the table saying what the ranks are based on, in pieces the live formula reuses. */
export const RANK_NOTE = {
  byAppraisal: 'Xếp hạng theo tỷ lệ điểm chính thức (điểm thẩm định, hoặc điểm sau giải trình nếu có)',
  bySelf: 'Xếp hạng theo tỷ lệ điểm tự chấm',
  underway: [' (thẩm định chưa xong ở ', ' đơn vị)'],
  ties: '; các đơn vị bằng tỷ lệ cùng hạng.',
} as const;

function rankNote(rows: readonly SummaryRow[]): string {
  if (rankBasis(rows) === 'appraisal') return RANK_NOTE.byAppraisal + RANK_NOTE.ties;
  const underway = rows.filter((r) => r.self && appraisalProgress(r)).length;
  const why = underway > 0 ? `${RANK_NOTE.underway[0]}${underway}${RANK_NOTE.underway[1]}` : '';
  return RANK_NOTE.bySelf + why + RANK_NOTE.ties;
}

function sectionLabel(outline: string, text: string): string {
  const t = text.length > 40 ? `${text.slice(0, 38)}…` : text;
  return outline ? `${outline}. ${t}` : t;
}

/** Total change since the last snapshot, per sheet name (from the history sheet). */
export type Changes = ReadonlyMap<string, { selfDelta: number | null; appraisalDelta: number | null }>;

/**
 * Whether a section's cell in `stage` shows a number: the self column always does; an appraisal
 * subtotal stays blank until one of its children holds a number (as sheetFormulas writes it).
 */
function showsNumber(criteria: readonly Criterion[], c: Criterion, stage: Stage): boolean {
  if (stage === 'self' || c.cells[stage].kind === 'na') return true;
  if (c.children.length === 0) return c.cells[stage].kind !== 'empty';
  return c.children.some((k) => {
    const child = criteria[k];
    return child.children.length === 0 ? child.cells[stage].kind === 'number' : showsNumber(criteria, child, stage);
  });
}

/** The share of applicable criteria that have a self score (percent, 3 decimals). */
export function scoredShare(s: StageResult): number {
  return s.applicable > 0 ? round3((s.scored / s.applicable) * 100) : 0;
}

export function buildSummary(units: readonly SummaryUnit[], changes: Changes = new Map()): { rows: SummaryRow[]; sections: string[] } {
  const sectionOrder: string[] = [];
  const rows: SummaryRow[] = units.map((u) => {
    const r = u.result;
    const sections = new Map<string, SectionCell>();
    if (r) {
      for (const c of r.criteria) {
        if (c.block !== 'main' || c.parent !== -1) continue;
        const label = sectionLabel(c.outline, c.text);
        if (!sectionOrder.includes(label)) sectionOrder.push(label);
        const appraisal = showsNumber(r.criteria, c, 'appraisal') ? round3(fromMicro(c.points.appraisal)) : null;
        sections.set(label, { criterion: c, self: round3(fromMicro(c.points.self)), appraisal });
      }
    }
    return {
      unit: u.unit,
      sheet: u.sheet,
      focal: u.focal,
      leaves: r ? r.leafCount : 0,
      selfScoredShare: r ? scoredShare(r.self) : 0,
      pending: r ? pendingOf(r.findings) : { unscored: 0, missingEvidence: 0, missingExplanation: 0 },
      self: r ? r.self : null,
      appraisal: r ? r.appraisal : null,
      final: r ? r.final : null,
      official: r ? r.official : null,
      stage: r ? (u.stage ?? inferStage(r)) : null,
      rank: null,
      problem: u.problem,
      result: r,
      block: r ? (u.block ?? null) : null,
      sections,
      change: changeOf(changes.get(u.sheet), r),
    };
  });
  rankUnits(rows).forEach((rank, i) => (rows[i].rank = rank));
  return { rows, sections: sectionOrder };
}

function changeOf(c: { selfDelta: number | null; appraisalDelta: number | null } | undefined, r: ScoredSheet | null): number | null {
  if (!c || !r) return null;
  return finalAppraisal(r) && c.appraisalDelta !== null ? c.appraisalDelta : c.selfDelta;
}

export function summaryJson(rows: readonly SummaryRow[]) {
  return {
    units: rows.map((r) => ({
      unit: r.unit,
      sheet: r.sheet,
      self: r.self,
      appraisal: r.appraisal,
      final: r.final,
      official: r.official,
      stage: r.stage,
      rank: r.rank,
      pending: r.pending,
      ...(r.problem ? { problem: r.problem } : {}),
    })),
  };
}

function column(header: string): number {
  const i = SUMMARY_HEADERS.indexOf(header);
  if (i < 0) throw new Error(`Thiếu cột "${header}" trong bảng tổng hợp.`);
  return i;
}

/** Columns of the summary table (0-based) that the live formulas fill. */
export const SUMMARY_COL = {
  rank: column('Hạng'),
  scoredShare: column('Đã tự chấm (%)'),
  selfTotal: column('Tổng tự chấm'),
  appraisalTotal: column('Tổng thẩm định'),
  difference: column('Chênh lệch'),
  bonus: column('Điểm cộng'),
  penalty: column('Điểm trừ'),
  selfPercent: column('Tỷ lệ tự chấm (%)'),
  selfClass: column('Xếp loại tự chấm'),
  appraisalPercent: column('Tỷ lệ thẩm định (%)'),
  appraisalClass: column('Xếp loại thẩm định'),
  finalTotal: column('Tổng sau giải trình'),
  finalClass: column('Xếp loại sau giải trình'),
  officialPercent: column('Tỷ lệ chính thức (%)'),
} as const;

/** The progress table's columns after "Đơn vị": criteria with a score, and criteria to score, per stage. */
export const PROGRESS_HEADERS = ['Đã tự chấm', 'Cần tự chấm', 'Đã thẩm định', 'Cần thẩm định'] as const;
/** Its first count's column (0-based). */
export const PROGRESS_FIRST_COL = 2;

/** A unit whose numbers the summary takes from its sheet's cells by formulas (it has a result block). */
export function isLive(r: Pick<SummaryRow, 'result' | 'block'>): boolean {
  return r.result !== null && r.block !== null;
}

/** Whether the unit's table has an appraisal column. */
export function hasAppraisalColumn(r: Pick<SummaryRow, 'result'>): boolean {
  return r.result?.columns.appraisal !== undefined;
}

/** Criteria scored and to score, per stage, as the progress table shows them. */
function progressCounts(r: SummaryRow): unknown[] {
  if (!r.self) return ['', '', '', ''];
  // No appraisal typed yet: nothing appraised, and what the self stage counts is to appraise.
  const appraisal = !hasAppraisalColumn(r) ? ['', ''] : r.appraisal ? [r.appraisal.scored, r.appraisal.applicable] : [0, r.self.applicable];
  return [r.self.scored, r.self.applicable, ...appraisal];
}

export interface SummaryLayout {
  values: unknown[][];
  backgrounds: string[][];
  /** 1-based rows. */
  noteRow: number;
  headerRow: number;
  firstUnitRow: number;
  lastUnitRow: number;
  /** Header row of the units × sections matrix of self points. */
  matrixHeaderRow: number;
  /** Header row of the same matrix for appraisal points; null when no unit's table has an appraisal column. */
  appraisalMatrixHeaderRow: number | null;
  /** Header row of the progress table (criteria scored and to score, per unit). */
  progressHeaderRow: number;
  width: number;
}

/**
 * The whole summary sheet as one block of values and backgrounds, so the shell writes it with
 * one setValues and one setBackgrounds, and two refreshes give the same sheet. The values are
 * those of the moment it is built; summaryFormulas (live.ts) gives the cells that follow the
 * unit sheets from then on.
 */
export function summaryLayout(
  meta: { commune: string; field: string; year: number; updatedAt: string },
  rows: readonly SummaryRow[],
  sections: readonly string[],
): SummaryLayout {
  const width = Math.max(SUMMARY_HEADERS.length, sections.length + 2);
  const blank = () => Array<unknown>(width).fill('');
  const line = (...cells: unknown[]) => [...cells, ...Array(width - cells.length).fill('')];
  const values: unknown[][] = [
    line(`BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM ${meta.field} NĂM ${meta.year}${meta.commune ? ` - XÃ ${meta.commune.toUpperCase()}` : ''}`),
    line(`Cập nhật lúc ${meta.updatedAt}`),
    line(rankNote(rows)),
    SUMMARY_HEADERS.concat(Array(width - SUMMARY_HEADERS.length).fill('')),
  ];
  const noteRow = 3;
  const headerRow = values.length;
  for (const r of rows) {
    const appraisal = finalAppraisal(r);
    const final = finalRound(r);
    const judged = finalStage(r);
    const diff = r.self && appraisal ? round3(appraisal.total - r.self.total) : '';
    values.push(
      line(
        r.rank ?? '',
        r.unit,
        r.focal,
        r.self ? r.leaves : '',
        r.self ? r.selfScoredShare : '',
        r.self ? r.pending.unscored : '',
        r.self ? r.pending.missingEvidence : '',
        r.self ? r.pending.missingExplanation : '',
        r.self ? r.self.total : '',
        appraisal ? appraisal.total : '',
        diff,
        judged ? judged.bonus : '',
        judged ? judged.penalty : '',
        r.self ? r.self.percent : '',
        r.self ? r.self.classification : '',
        appraisal ? appraisal.percent : '',
        appraisal ? appraisal.classification : (appraisalProgress(r) ?? ''),
        judged ? judged.percent : '',
        final ? final.total : '',
        final ? final.classification : r.final ? FINAL_UNDERWAY : '',
        r.stage ? STAGE_NAMES[r.stage] : '',
        r.change ?? '',
        r.problem ?? '',
      ),
    );
  }
  const lastUnitRow = values.length;
  const headerRows: number[] = [headerRow];
  /** A titled table below the main one: blank line, title, header, one line per unit. */
  const table = (title: string, headers: readonly string[], cells: (r: SummaryRow) => unknown[]): number => {
    values.push(blank(), line(title), line('', 'Đơn vị', ...headers));
    const at = values.length;
    headerRows.push(at);
    for (const r of rows) values.push(line('', r.unit, ...cells(r)));
    return at;
  };
  const matrixHeaderRow = table('ĐIỂM TỰ CHẤM THEO PHẦN (đơn vị × phần tiêu chí)', sections, (r) =>
    sections.map((s) => r.sections.get(s)?.self ?? ''),
  );
  const appraisalMatrixHeaderRow = rows.some(hasAppraisalColumn)
    ? table('ĐIỂM THẨM ĐỊNH THEO PHẦN (đơn vị × phần tiêu chí)', sections, (r) =>
        sections.map((s) => (hasAppraisalColumn(r) ? (r.sections.get(s)?.appraisal ?? '') : '')),
      )
    : null;
  const progressHeaderRow = table('TIẾN ĐỘ CHẤM ĐIỂM (số tiêu chí)', PROGRESS_HEADERS, progressCounts);

  const backgrounds = values.map(() => Array<string>(width).fill('#ffffff'));
  for (const row of headerRows) backgrounds[row - 1].fill('#cfe2f3');
  rows.forEach((r, i) => {
    // A live unit's class changes with its scores: conditional formats colour it (summaryRules).
    if (isLive(r)) return;
    const rowIndex = headerRow + i;
    const paint = (col: number, cls: Classification | undefined) => {
      if (cls) backgrounds[rowIndex][col] = CLASSIFICATION_COLORS[cls];
    };
    paint(SUMMARY_COL.selfClass, r.self?.classification);
    paint(SUMMARY_COL.appraisalClass, finalAppraisal(r)?.classification);
    paint(SUMMARY_COL.finalClass, finalRound(r)?.classification);
  });
  return {
    values,
    backgrounds,
    noteRow,
    headerRow,
    firstUnitRow: headerRow + 1,
    lastUnitRow,
    matrixHeaderRow,
    appraisalMatrixHeaderRow,
    progressHeaderRow,
    width,
  };
}
