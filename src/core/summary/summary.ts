/** The summary for the commune leadership: one row per unit, ranks, and a units × sections matrix. */
import { type Classification, CLASSIFICATION_COLORS } from '../engine/classify';
import { fromMicro, round3 } from '../engine/decimal';
import { checkOfficialEmail, type SkipReason, SKIP_REASON_LABEL, splitEmails } from '../settings/email';
import { type Pending, pendingOf } from '../engine/findings';
import type { ScoredSheet, StageResult } from '../engine/score';
import type { Settings, Unit } from '../settings/settings';
import { normalizeLabel } from '../engine/text';
import { SUMMARY_HEADERS } from '../sheet/own-sheets';

export interface SummaryUnit {
  unit: string;
  sheet: string;
  focal: string;
  /** Null when the sheet is missing or not a score table. */
  result: ScoredSheet | null;
  problem: string | null;
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
  rank: number | null;
  problem: string | null;
  /** Self points per top-level section, keyed by section label. */
  sections: Map<string, number>;
  /** Change of the unit's total since its last snapshot (appraisal when it has one), or null. */
  change: number | null;
}

/**
 * Which sheets the summary covers: the units table order, or every score sheet when the table
 * is empty. `scores` maps a sheet name to its result (or the reason it is not a score table).
 */
export function summaryUnits(settings: Settings, sheetNames: readonly string[], scores: Map<string, ScoredSheet | string>): SummaryUnit[] {
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
      ].filter(Boolean);
      return {
        unit: u.name,
        sheet: actual ?? u.sheet,
        focal: u.focal,
        result: typeof score === 'object' ? score : null,
        problem: problems.join(' ') || null,
      };
    });
  }
  return sheetNames
    .filter((n) => typeof scores.get(n) === 'object')
    .map((n) => ({ unit: n, sheet: n, focal: '', result: scores.get(n) as ScoredSheet, problem: null }));
}

/** A unit's address that reminders refuse, as a note to fix ("" when every address is fine). */
function emailProblem(cell: string, domains: readonly string[]): string {
  const emails = splitEmails(cell);
  if (emails.length === 0) return `Cần sửa email: ${SKIP_REASON_LABEL['missing-email']}.`;
  const refused = emails.map((e) => [e, checkOfficialEmail(e, domains)] as const).filter(([, r]) => r !== null);
  return refused.map(([e, r]) => `Cần sửa email ${e}: ${SKIP_REASON_LABEL[r as SkipReason]}.`).join(' ');
}

type Stages = { self: StageResult | null; appraisal: StageResult | null };

/** The appraisal when it is done for every applicable criterion; a partial one is progress, not a result. */
export function finalAppraisal(r: Stages): StageResult | null {
  return r.appraisal?.complete ? r.appraisal : null;
}

/** The stage a unit is judged on: its complete appraisal, else its self score. */
export function finalStage(r: Stages): StageResult | null {
  return finalAppraisal(r) ?? r.self;
}

/** "đã thẩm định 12/40 tiêu chí" for an appraisal under way, else null. */
export function appraisalProgress(r: Stages): string | null {
  return r.appraisal && !r.appraisal.complete ? `đã thẩm định ${r.appraisal.scored}/${r.appraisal.applicable} tiêu chí` : null;
}

/** Ranks by the appraisal only when every scored unit's appraisal is complete, else by the self score. */
export function rankBasis(rows: readonly Stages[]): 'appraisal' | 'self' {
  const scored = rows.filter((r) => r.self);
  return scored.length > 0 && scored.every((r) => finalAppraisal(r)) ? 'appraisal' : 'self';
}

/** Competition ranking ("1, 1, 3") on the percent of the basis above. */
export function rankUnits(rows: readonly Stages[]): (number | null)[] {
  const byAppraisal = rankBasis(rows) === 'appraisal';
  const key = (r: Stages) => (r.self ? (byAppraisal ? (finalAppraisal(r) as StageResult).percent : r.self.percent) : null);
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

function rankNote(rows: readonly SummaryRow[]): string {
  const basis = rankBasis(rows) === 'appraisal' ? 'điểm thẩm định' : 'điểm tự chấm';
  const underway = rows.filter((r) => r.self && appraisalProgress(r)).length;
  const why = underway > 0 ? ` (thẩm định chưa xong ở ${underway} đơn vị)` : '';
  return `Xếp hạng theo tỷ lệ ${basis}${why}; các đơn vị bằng tỷ lệ cùng hạng.`;
}

function sectionLabel(outline: string, text: string): string {
  const t = text.length > 40 ? `${text.slice(0, 38)}…` : text;
  return outline ? `${outline}. ${t}` : t;
}

/** Total change since the last snapshot, per sheet name (from the history sheet). */
export type Changes = ReadonlyMap<string, { selfDelta: number | null; appraisalDelta: number | null }>;

export function buildSummary(units: readonly SummaryUnit[], changes: Changes = new Map()): { rows: SummaryRow[]; sections: string[] } {
  const sectionOrder: string[] = [];
  const rows: SummaryRow[] = units.map((u) => {
    const r = u.result;
    const sections = new Map<string, number>();
    if (r) {
      for (const c of r.criteria) {
        if (c.block !== 'main' || c.parent !== -1) continue;
        const label = sectionLabel(c.outline, c.text);
        if (!sectionOrder.includes(label)) sectionOrder.push(label);
        sections.set(label, round3(fromMicro(c.points.self)));
      }
    }
    const leaves = r ? r.criteria.filter((c) => c.block === 'main' && c.children.length === 0 && !c.notApplicable.self) : [];
    const scoredLeaves = leaves.filter((c) => c.cells.self.kind !== 'empty').length;
    return {
      unit: u.unit,
      sheet: u.sheet,
      focal: u.focal,
      leaves: r ? r.leafCount : 0,
      selfScoredShare: leaves.length ? round3((scoredLeaves / leaves.length) * 100) : 0,
      pending: r ? pendingOf(r.findings) : { unscored: 0, missingEvidence: 0, missingExplanation: 0 },
      self: r ? r.self : null,
      appraisal: r ? r.appraisal : null,
      rank: null,
      problem: u.problem,
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
      rank: r.rank,
      pending: r.pending,
      ...(r.problem ? { problem: r.problem } : {}),
    })),
  };
}

export interface SummaryLayout {
  values: unknown[][];
  backgrounds: string[][];
  /** 1-based rows. */
  headerRow: number;
  firstUnitRow: number;
  lastUnitRow: number;
  matrixHeaderRow: number;
  width: number;
}

/**
 * The whole summary sheet as one block of values and backgrounds, so the shell writes it with
 * one setValues and one setBackgrounds, and two refreshes give the same sheet.
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
  const headerRow = values.length;
  for (const r of rows) {
    const appraisal = finalAppraisal(r);
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
        r.change ?? '',
        r.problem ?? '',
      ),
    );
  }
  const lastUnitRow = values.length;
  values.push(blank());
  values.push(line('ĐIỂM TỰ CHẤM THEO PHẦN (đơn vị × phần tiêu chí)'));
  values.push(line('', 'Đơn vị', ...sections));
  const matrixHeaderRow = values.length;
  for (const r of rows) values.push(line('', r.unit, ...sections.map((s) => (r.sections.has(s) ? r.sections.get(s) : ''))));

  const backgrounds = values.map(() => Array<string>(width).fill('#ffffff'));
  for (let c = 0; c < width; c++) {
    backgrounds[headerRow - 1][c] = '#cfe2f3';
    backgrounds[matrixHeaderRow - 1][c] = '#cfe2f3';
  }
  rows.forEach((r, i) => {
    const rowIndex = headerRow + i;
    const paint = (col: number, cls: Classification | undefined) => {
      if (cls) backgrounds[rowIndex][col] = CLASSIFICATION_COLORS[cls];
    };
    paint(14, r.self?.classification);
    paint(16, finalAppraisal(r)?.classification);
  });
  return { values, backgrounds, headerRow, firstUnitRow: headerRow + 1, lastUnitRow, matrixHeaderRow, width };
}
