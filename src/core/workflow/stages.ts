/**
 * The scoring year as stages, per unit sheet (issue 14): Tự chấm → Kiểm tra minh chứng → Thẩm định →
 * Giải trình → Thẩm định lại → Công bố. Which stages a commune skips, the next and previous stage,
 * the confirmation a move shows (what changes, what is still missing) and who may edit which cells
 * at each stage. Pure: the shell records the stage and applies the protections.
 */
import { pendingOf } from '../engine/findings';
import { type CellNumber, readNumber } from '../engine/numbers';
import type { ScoredSheet } from '../engine/score';
import { STAGE_NAMES, stageOfName } from '../engine/stages';
import { STAGE_ROLES, STAGE_WIDTHS } from '../sheet/template';
import { type ColumnRole, ROLE_LABELS } from '../engine/table';
import { cellText, isBlank, normalizeLabel } from '../engine/text';
import type { Settings, Unit } from '../settings/settings';
import { COUNCIL_ROLES, criteriaRows, partsSpec, type ProtectionSpec, type SpecParts, UNIT_ROLES } from './protections';

/** The stage names by the workflow's short keys (the names themselves are the engine's STAGE_NAMES). */
export const STAGE = {
  self: STAGE_NAMES.self,
  check: STAGE_NAMES.check,
  appraisal: STAGE_NAMES.appraisal,
  appeal: STAGE_NAMES.appeal,
  final: STAGE_NAMES.reappraisal,
  publish: STAGE_NAMES.published,
} as const;

export type StageName = (typeof STAGE)[keyof typeof STAGE];

/** The default flow, in order. */
export const STAGE_FLOW: readonly StageName[] = [STAGE.self, STAGE.check, STAGE.appraisal, STAGE.appeal, STAGE.final, STAGE.publish];

/** The stages a commune may leave out: the office's evidence check and the appeal round. */
const SKIPPABLE: readonly StageName[] = [STAGE.check, STAGE.appeal, STAGE.final];

/** The columns the later stages write in, in the order they are added to an existing sheet. */
export const STAGE_COLUMN_ROLES: readonly ColumnRole[] = STAGE_ROLES;
export const STAGE_COLUMN_WIDTHS: readonly number[] = STAGE_WIDTHS;

/** The stage a name denotes (case, diacritics and spacing ignored), or null. */
export function stageOf(name: unknown): StageName | null {
  const stage = stageOfName(name);
  return stage ? STAGE_NAMES[stage] : null;
}

/**
 * The commune's flow: the default one without the stages "Giai đoạn bỏ qua" names. The appeal and
 * the final round go together (no appeal, nothing to re-appraise). Tự chấm, Thẩm định and Công bố
 * cannot be skipped; an unknown name is reported.
 */
export function stageFlow(settings: Settings): { flow: StageName[]; warnings: string[] } {
  const skipped = new Set<StageName>();
  const warnings: string[] = [];
  for (const typed of settings.skippedStages) {
    const stage = stageOf(typed);
    if (!stage) warnings.push(`"Giai đoạn bỏ qua": không có giai đoạn "${typed}" (các giai đoạn: ${STAGE_FLOW.join(', ')}).`);
    else if (!SKIPPABLE.includes(stage)) warnings.push(`"Giai đoạn bỏ qua": không thể bỏ qua giai đoạn "${stage}".`);
    else skipped.add(stage);
  }
  if (skipped.has(STAGE.final) && !skipped.has(STAGE.appeal))
    warnings.push(`Bỏ qua "${STAGE.final}" thì không có vòng giải trình: bỏ qua cả "${STAGE.appeal}".`);
  if (skipped.has(STAGE.appeal) || skipped.has(STAGE.final)) skipped.add(STAGE.appeal).add(STAGE.final);
  return { flow: STAGE_FLOW.filter((s) => !skipped.has(s)), warnings };
}

/** The stage after `current` in the flow (a stage since skipped counts at its place), or null at the end. */
export function nextStage(flow: readonly StageName[], current: StageName): StageName | null {
  const at = STAGE_FLOW.indexOf(current);
  return flow.find((s) => STAGE_FLOW.indexOf(s) > at) ?? null;
}

/** The stage before `current` in the flow, or null at the start. */
export function previousStage(flow: readonly StageName[], current: StageName): StageName | null {
  const at = STAGE_FLOW.indexOf(current);
  return [...flow].reverse().find((s) => STAGE_FLOW.indexOf(s) < at) ?? null;
}

// ---- what each criterion row holds -------------------------------------------------------

/** The cells of one scored criterion row that the stages look at. */
export interface RowFacts {
  /** 1-based sheet row. */
  row: number;
  outline: string;
  self: number | null;
  appraisal: number | null;
  evidence: string;
  reason: string;
  check: string;
  appeal: string;
  extraEvidence: string;
  final: CellNumber;
  finalReason: string;
}

const numberOf = (cell: CellNumber): number | null => (cell.kind === 'number' ? cell.value : null);

/** The facts of every leaf criterion (bonus and penalty rows included), read from the sheet's grid. */
export function rowFacts(result: ScoredSheet, grid: readonly (readonly unknown[])[]): RowFacts[] {
  const rows = new Set(criteriaRows(result));
  const text = (row: number, role: ColumnRole) => {
    const col = result.columns[role];
    return col === undefined ? '' : cellText(grid[row - 1]?.[col]);
  };
  const finalCol = result.columns.final;
  return result.criteria
    .filter((c) => rows.has(c.row))
    .map((c) => ({
      row: c.row,
      outline: c.outline,
      self: numberOf(c.cells.self),
      appraisal: numberOf(c.cells.appraisal),
      evidence: c.evidence,
      reason: c.reason,
      check: text(c.row, 'check'),
      appeal: text(c.row, 'appeal'),
      extraEvidence: text(c.row, 'extraEvidence'),
      final: finalCol === undefined ? { kind: 'empty' } : readNumber(grid[c.row - 1]?.[finalCol]),
      finalReason: text(c.row, 'finalReason'),
    }));
}

/** The office marked the evidence "Cần bổ sung" (a note of what is missing may follow). */
export function needsMoreEvidence(f: RowFacts): boolean {
  return normalizeLabel(f.check).startsWith('can bo sung');
}

/** The unit may explain after the appraisal: the council gave fewer points than the unit did. */
export function appealAllowed(f: RowFacts): boolean {
  return f.self !== null && f.appraisal !== null && f.appraisal < f.self;
}

/** The unit explained or added evidence after the appraisal. */
export function appealed(f: RowFacts): boolean {
  return f.appeal !== '' || f.extraEvidence !== '';
}

// ---- rights per stage -------------------------------------------------------------------

/** Whether the appeal deadline (YYYY-MM-DD, '' when none) is over on `today`. */
export function appealClosed(settings: Settings, today: string): boolean {
  return settings.appealDeadline !== '' && today > settings.appealDeadline;
}

/**
 * Who edits which cells of a unit sheet at a stage; the office edits everything at every stage.
 *  - Tự chấm: the unit its self score, explanation and evidence.
 *  - Kiểm tra minh chứng: the office its "Kiểm tra minh chứng" column; the unit adds evidence only
 *    where the office marked "Cần bổ sung".
 *  - Thẩm định: the council its appraisal, reason and evidence request.
 *  - Giải trình: the unit its appeal and extra evidence, only where the appraisal is below its self
 *    score, until "Hạn giải trình" (`today` after it: nothing).
 *  - Thẩm định lại: the council the final score and its reason, only on the appealed rows.
 *  - Công bố: nobody but the office.
 */
export function stageSpec(
  stage: StageName,
  result: ScoredSheet,
  facts: readonly RowFacts[],
  unit: Unit,
  settings: Settings,
  sheetMaxRows: number,
  today: string,
): ProtectionSpec {
  const rows = new Set(criteriaRows(result, sheetMaxRows));
  const on = (keep: (f: RowFacts) => boolean) => facts.filter((f) => rows.has(f.row) && keep(f)).map((f) => f.row);
  const all = () => true;
  const none = { rows: [], roles: [] };
  const closed = stage === STAGE.appeal && appealClosed(settings, today);
  const parts: Record<StageName, Omit<SpecParts, 'context'>> = {
    [STAGE.self]: { mode: 'open', unit: { rows: on(all), roles: UNIT_ROLES }, council: none },
    [STAGE.check]: { mode: 'selfLocked', unit: { rows: on(needsMoreEvidence), roles: ['evidence'] }, council: none },
    [STAGE.appraisal]: { mode: 'selfLocked', unit: none, council: { rows: on(all), roles: COUNCIL_ROLES } },
    [STAGE.appeal]: {
      mode: 'selfLocked',
      unit: closed ? none : { rows: on(appealAllowed), roles: ['appeal', 'extraEvidence'] },
      council: none,
    },
    [STAGE.final]: { mode: 'selfLocked', unit: none, council: { rows: on(appealed), roles: ['final', 'finalReason'] } },
    [STAGE.publish]: { mode: 'selfLocked', unit: none, council: none },
  };
  const context = `giai đoạn ${stage}${closed ? `, đã hết hạn giải trình ${dayText(settings.appealDeadline)}` : ''}`;
  return partsSpec(result, unit, settings, { ...parts[stage], context });
}

// ---- the confirmation of a move ------------------------------------------------------------

function dayText(ymd: string): string {
  const [y, m, d] = ymd.split('-');
  return `${d}/${m}/${y}`;
}

/** What moving into a stage changes, for the confirmation. */
export function stageChanges(to: StageName, settings: Settings): string[] {
  const deadline = settings.appealDeadline ? `, đến hết ngày ${dayText(settings.appealDeadline)} ("Hạn giải trình")` : '';
  const changes: Record<StageName, string[]> = {
    [STAGE.self]: ['Đơn vị sửa được Điểm tự chấm, Giải trình, Minh chứng; tổ thẩm định không sửa ô nào.'],
    [STAGE.check]: [
      'Đơn vị thôi sửa điểm tự chấm.',
      `Cơ quan thường trực ghi cột "${ROLE_LABELS.check}" (Đạt / Cần bổ sung, kèm ghi chú còn thiếu gì).`,
      'Đơn vị chỉ bổ sung minh chứng ở tiêu chí ghi "Cần bổ sung" (sau khi ghi, chọn "Cập nhật quyền sửa theo giai đoạn").',
    ],
    [STAGE.appraisal]: [
      'Đơn vị không sửa ô nào.',
      `Tổ thẩm định ghi ${(['appraisal', 'reason', 'request'] as const).map((r) => ROLE_LABELS[r]).join(', ')}.`,
    ],
    [STAGE.appeal]: [
      `Đơn vị ghi "${ROLE_LABELS.appeal}" và "${ROLE_LABELS.extraEvidence}", chỉ ở tiêu chí có điểm thẩm định thấp hơn ` +
        `điểm tự chấm${deadline}.`,
      'Tổ thẩm định không sửa ô nào.',
    ],
    [STAGE.final]: [
      'Đơn vị thôi giải trình.',
      `Tổ thẩm định ghi "${ROLE_LABELS.final}" và "${ROLE_LABELS.finalReason}" ở các tiêu chí đơn vị đã giải trình; ` +
        'các tiêu chí khác giữ điểm thẩm định.',
    ],
    [STAGE.publish]: [
      'Chỉ cơ quan thường trực sửa được biểu.',
      'Điểm hiện tại được lưu vào trang "Lưu trữ".',
      'Mỗi đơn vị nhận một email kết quả (chỉ gửi email công vụ, mỗi đơn vị một lần).',
    ],
  };
  return changes[to];
}

/** One sheet of a move, as the confirmation sees it. */
export interface MoveSheet {
  unit: string;
  from: StageName;
  result: ScoredSheet;
  facts: readonly RowFacts[];
}

const count = (n: number, what: string) => (n > 0 ? [`${n} tiêu chí ${what}`] : []);

function missingColumns(sheet: MoveSheet, roles: readonly ColumnRole[]): string[] {
  const absent = roles.filter((r) => sheet.result.columns[r] === undefined);
  return absent.length > 0 ? [`chưa có cột ${absent.map((r) => `"${ROLE_LABELS[r]}"`).join(', ')}`] : [];
}

/** What a sheet still lacks, or what is worth knowing, as it enters `to`. */
export function stillMissing(to: StageName, sheet: MoveSheet, flow: readonly StageName[]): string[] {
  const f = sheet.facts;
  const pending = pendingOf(sheet.result.findings);
  const scoring = [...count(pending.unscored, 'chưa tự chấm'), ...count(pending.missingEvidence, 'chưa có minh chứng')];
  switch (to) {
    case STAGE.self:
      return [];
    case STAGE.check:
      return [...scoring, ...missingColumns(sheet, ['check'])];
    case STAGE.appraisal:
      if (!flow.includes(STAGE.check)) return scoring;
      return [
        // Only criteria that claim points have evidence to check.
        ...count(f.filter((x) => x.self !== null && x.self > 0 && x.check === '').length, 'chưa kiểm tra minh chứng'),
        ...count(f.filter((x) => needsMoreEvidence(x)).length, 'được ghi "Cần bổ sung" minh chứng'),
      ];
    case STAGE.appeal:
      return [
        ...count(f.filter((x) => x.self !== null && x.appraisal === null).length, 'chưa có điểm thẩm định'),
        ...count(f.filter((x) => appealAllowed(x) && x.reason === '').length, 'bị giảm điểm chưa ghi lý do'),
        ...count(f.filter(appealAllowed).length, 'có điểm thẩm định thấp hơn tự chấm (đơn vị được giải trình)'),
        ...missingColumns(sheet, ['appeal', 'extraEvidence']),
      ];
    case STAGE.final:
      return [...count(f.filter(appealed).length, 'đơn vị đã giải trình'), ...missingColumns(sheet, ['final', 'finalReason'])];
    case STAGE.publish: {
      const finalRound = flow.includes(STAGE.final);
      const differs = (x: RowFacts) => x.final.kind === 'number' && x.appraisal !== null && x.final.value !== x.appraisal;
      return [
        ...count(f.filter((x) => x.self !== null && x.appraisal === null).length, 'chưa có điểm thẩm định'),
        ...(finalRound
          ? count(f.filter((x) => appealed(x) && x.final.kind !== 'number').length, 'đã giải trình chưa có điểm sau giải trình')
          : []),
        ...(finalRound ? count(f.filter((x) => differs(x) && x.finalReason === '').length, 'đổi điểm sau giải trình chưa ghi lý do') : []),
      ];
    }
  }
}

/** At most this many units are listed one by one in a confirmation; the rest are counted. */
export const CONFIRM_UNIT_LIMIT = 20;

/**
 * The confirmation of a move of some sheets into `to` (forward, or `back`): what will change and
 * what each unit still lacks ("Công an xã: 3 tiêu chí chưa có minh chứng").
 */
export function moveConfirmation(
  to: StageName,
  back: boolean,
  sheets: readonly MoveSheet[],
  settings: Settings,
  flow: readonly StageName[],
  today: string,
): string {
  const froms = [...new Set(sheets.map((s) => s.from))];
  const lines = [
    back
      ? `Quay lại giai đoạn "${to}" cho ${sheets.length} biểu chấm (đang ở ${froms.map((s) => `"${s}"`).join(', ')}).`
      : `Chuyển ${sheets.length} biểu chấm từ ${froms.map((s) => `"${s}"`).join(', ')} sang giai đoạn "${to}".`,
    '',
    'Sẽ thay đổi:',
    ...stageChanges(to, settings).map((l) => `• ${l}`),
  ];
  if (to === STAGE.appeal && !settings.appealDeadline) lines.push('• Chưa đặt "Hạn giải trình" trong trang "Cấu hình": không có hạn.');
  if (to === STAGE.appeal && appealClosed(settings, today))
    lines.push(`• "Hạn giải trình" (${dayText(settings.appealDeadline)}) đã qua: đơn vị sẽ không sửa được ô nào.`);
  if (to === STAGE.final && settings.appealDeadline && !appealClosed(settings, today))
    lines.push(`• Chưa hết "Hạn giải trình" (${dayText(settings.appealDeadline)}): đơn vị sẽ không giải trình thêm được.`);
  const missing = sheets.map((s) => ({ unit: s.unit, items: stillMissing(to, s, flow) })).filter((m) => m.items.length > 0);
  lines.push('', 'Còn thiếu, cần biết:');
  if (missing.length === 0) lines.push('• Không có gì.');
  for (const m of missing.slice(0, CONFIRM_UNIT_LIMIT)) lines.push(`• ${m.unit}: ${m.items.join('; ')}.`);
  if (missing.length > CONFIRM_UNIT_LIMIT) lines.push(`• và ${missing.length - CONFIRM_UNIT_LIMIT} đơn vị khác.`);
  if (back) lines.push('', 'Việc quay lại được ghi vào trang "Nhật ký chỉnh sửa".');
  lines.push('', 'Tiếp tục?');
  return lines.join('\n');
}

// ---- the stages' columns on an existing sheet -------------------------------------------------

/** Where the later stages' missing columns go: after the table's last role column, before the result block. */
export interface StageColumnsPlan {
  /** Roles still without a column, in order. */
  roles: ColumnRole[];
  /** 1-based row of the header's last row (the labels go there). */
  headerRow: number;
  /** 1-based column of the first new column. */
  column: number;
  /** Columns to insert first: 0 when the columns there are empty (in every row) and left of the result block. */
  insert: number;
}

/** The plan for adding the stage columns, or null when the sheet has them all. Typed cells are never written. */
export function stageColumnsPlan(
  result: ScoredSheet,
  grid: readonly (readonly unknown[])[],
  blockCol: number | null,
  maxColumns: number,
): StageColumnsPlan | null {
  const roles = STAGE_COLUMN_ROLES.filter((r) => result.columns[r] === undefined);
  if (roles.length === 0) return null;
  const last = Math.max(...Object.values(result.columns).filter((c): c is number => c !== undefined));
  const first = last + 1;
  const limit = Math.min(blockCol ?? Infinity, maxColumns);
  const free = (c: number) => c < limit && grid.every((row) => !Array.isArray(row) || isBlank(row[c]));
  const room = roles.every((_, i) => free(first + i));
  return { roles, headerRow: result.headerRow, column: first + 1, insert: room ? 0 : roles.length };
}
