/** Reading a unit sheet for the sidebar, and the views of a criterion the page shows. */
import { fromMicro } from '../../core/engine/decimal';
import { type Criterion, type ScoredSheet, scoreGrid } from '../../core/engine/score';
import { cellText, formatPoints, normalizeLabel } from '../../core/engine/text';

import { type EvidenceCell, cellFromRuns, otherTextOf } from '../../core/evidence/cell';
import { LINK_KIND_LABEL, checkUrl } from '../../core/evidence/links';
import { evidenceFileName } from '../../core/evidence/naming';
import type { CriterionView, LinkView, NoneView, SidebarView, Target } from '../../core/evidence/sidebar-api';
import { type ParsedSettings, type Unit, scoreOptionsOf } from '../../core/settings/settings';
import { findResultBlock } from '../../core/sheet/result-block';
import { timeZoneOf } from '../env';
import { isAddOnSheet, readSettings } from '../settings';
import type { RichText } from '../api/sheets-api';
import { UserError } from './args';
import { MAX_DRIVE_CHECKS, describeLink } from './drive';
import { ROLE_LABELS } from '../../core/engine/table';
import { displayText, linkTextMisleads } from '../../core/evidence/links';
export type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export type RichTextValue = GoogleAppsScript.Spreadsheet.RichTextValue;

export interface Context {
  ss: Spreadsheet;
  sheet: Sheet;
  name: string;
  values: unknown[][];
  tableCols: number;
  result: ScoredSheet;
  parsed: ParsedSettings;
  unit: Unit | null;
}

export function unitOf(parsed: ParsedSettings, sheetName: string): Unit | null {
  const key = normalizeLabel(sheetName);
  return parsed.settings.units.find((u) => normalizeLabel(u.sheet) === key) ?? null;
}

export function findUnitSheet(ss: Spreadsheet, name: string): Sheet {
  const sheet = ss.getSheetByName(name);
  if (!sheet) throw missingSheet(name);
  if (isAddOnSheet(sheet)) throw addOnSheet(name);
  return sheet;
}

export function missingSheet(name: string): UserError {
  return new UserError(`Không tìm thấy trang tính "${name}". Có thể trang vừa được đổi tên hoặc xóa; hãy bấm Làm mới.`);
}

export function addOnSheet(name: string): UserError {
  return new UserError(`Trang "${name}" là trang của công cụ chấm điểm, không phải biểu chấm của đơn vị.`);
}

export function scoreValues(values: unknown[][], tableCols: number, parsed: ParsedSettings) {
  return scoreGrid(values, { ...scoreOptionsOf(parsed.settings), ignoreFromColumn: tableCols });
}

/** One read of the sheet, scored. Throws a UserError when it is not a unit's score table. */
export function loadContext(ss: Spreadsheet, sheet: Sheet, parsed: ParsedSettings = readSettings(ss)): Context {
  return contextOf(ss, sheet, sheet.getDataRange().getValues(), parsed);
}

/** The sheet's values (its data range, read however the caller read it), scored; a UserError when not a score table. */
export function contextOf(ss: Spreadsheet, sheet: Sheet, values: unknown[][], parsed: ParsedSettings): Context {
  const name = sheet.getName();
  const block = findResultBlock(values);
  const tableCols = block ? block.col : (values[0]?.length ?? 0);
  const result = scoreValues(values, tableCols, parsed);
  if (!result.ok) throw new UserError(`Trang "${name}" không phải biểu chấm điểm: ${result.reason}`);
  return { ss, sheet, name, values, tableCols, result, parsed, unit: unitOf(parsed, name) };
}

export function criterionAt(ctx: Context, t: Target, leafOnly: boolean): Criterion {
  const c = ctx.result.criteria.find((x) => x.row === t.row);
  if (!c) throw new UserError(`Hàng ${t.row} của trang "${ctx.name}" không phải là một tiêu chí chấm điểm. Hãy bấm Làm mới.`);
  if (c.outline !== t.outline) {
    throw new UserError('Biểu chấm vừa thay đổi (các hàng đã dời chỗ) nên chưa ghi gì. Hãy bấm Làm mới rồi thử lại.');
  }
  if (leafOnly && c.children.length > 0) {
    throw new UserError(
      `Mục ${c.outline || `ở hàng ${c.row}`} là mục nhóm: điểm được cộng từ các tiêu chí con. Hãy chọn một tiêu chí con.`,
    );
  }
  return c;
}

export function columnOf(ctx: Context, role: 'evidence' | 'explanation' | 'self'): number {
  const col = ctx.result.columns[role];
  if (col === undefined) {
    throw new UserError(`Biểu chấm "${ctx.name}" không có cột "${ROLE_LABELS[role]}".`);
  }
  return col;
}

export function evidenceCellOf(rich: RichTextValue | null, value: unknown): EvidenceCell {
  if (!rich) return evidenceCellOfText(null, value);
  const runs = rich.getRuns().map((r) => ({ start: r.getStartIndex(), end: r.getEndIndex(), url: r.getLinkUrl() }));
  return evidenceCellOfText({ text: rich.getText(), runs }, value);
}

/** The evidence cell from its rich text as read (RichTextValue's or the API's), or from its value when it holds no text. */
export function evidenceCellOfText(rich: RichText | null, value: unknown): EvidenceCell {
  return rich ? cellFromRuns(rich.text, rich.runs) : cellFromRuns(cellText(value));
}

export function assertNoFormula(range: GoogleAppsScript.Spreadsheet.Range): void {
  if (range.getFormula()) throw formulaRefused(range.getA1Notation());
}

/** The refusal to overwrite a formula cell (`cell` in A1 notation). */
export function formulaRefused(cell: string): UserError {
  return new UserError(`Ô ${cell} đang chứa công thức nên tiện ích không ghi đè. Hãy sửa trực tiếp trên trang tính.`);
}

export function selectionKey(sheet: string, row: number): string {
  return `${sheet}\n${row}`;
}

export function rootOf(result: ScoredSheet, c: Criterion): Criterion {
  let node = c;
  while (node.parent >= 0) node = result.criteria[node.parent];
  return node;
}

export function cellDisplay(c: Criterion['cells']['self']): string {
  if (c.kind === 'empty') return '';
  if (c.kind === 'number') return formatPoints(c.value);
  return c.raw;
}

export function linkViews(cell: EvidenceCell, sensitive: boolean): LinkView[] {
  let checks = 0;
  return cell.links.map((l) => {
    const text = displayText(cell.text.slice(l.start, l.end));
    const misleading = linkTextMisleads(text, l.url);
    const c = checkUrl(l.url);
    if (!c.ok) {
      return {
        url: l.url,
        text,
        safe: false,
        kindLabel: '',
        fileName: null,
        warning: null,
        note: 'Liên kết không phải http/https nên không mở được từ đây.',
        misleading,
      };
    }
    const view: LinkView = {
      url: c.url,
      text,
      safe: true,
      kindLabel: LINK_KIND_LABEL[c.kind],
      fileName: null,
      warning: null,
      note: null,
      misleading,
    };
    // Drive look-ups cost time: done for sensitive units, whose sharing must be checked.
    if (sensitive && checks < MAX_DRIVE_CHECKS) {
      checks++;
      const d = describeLink(c.url, true);
      view.fileName = d.fileName === null ? null : displayText(d.fileName);
      view.warning = d.warning;
      view.note = d.note;
    }
    return view;
  });
}

export function criterionView(ctx: Context, c: Criterion, cell: EvidenceCell | null, key: string): CriterionView {
  const unitName = ctx.unit?.name || ctx.name;
  const sensitive = ctx.unit?.sensitive ?? false;
  const root = rootOf(ctx.result, c);
  const group = c.block === 'bonus' ? 'Điểm cộng' : c.block === 'penalty' ? 'Điểm trừ' : root === c ? '' : root.text;
  const time = Utilities.formatDate(new Date(), ctx.parsed.timeZone ?? timeZoneOf(ctx.ss), 'MM/yyyy');
  const evidence = cell ?? cellFromRuns('');
  return {
    kind: 'criterion',
    key,
    target: { sheet: ctx.name, row: c.row, outline: c.outline },
    unit: unitName,
    sensitive,
    outline: c.outline,
    text: c.text,
    group,
    block: c.block,
    leaf: c.children.length === 0,
    max: c.children.length === 0 ? cellDisplay(c.cells.max) : formatPoints(fromMicro(c.max)),
    maxValue: c.cells.max.kind === 'number' ? c.cells.max.value : null,
    // A group shows the sum of its children, as the check writes it.
    self: c.children.length === 0 ? cellDisplay(c.cells.self) : formatPoints(fromMicro(c.points.self)),
    explanation: c.explanation,
    hasEvidenceColumn: ctx.result.columns.evidence !== undefined,
    hasExplanationColumn: ctx.result.columns.explanation !== undefined,
    links: linkViews(evidence, sensitive),
    otherText: otherTextOf(evidence),
    fileName: evidenceFileName({ unit: unitName, group: group || c.text, content: group ? c.text : '', time }),
    officeFocal: ctx.parsed.settings.officeFocal,
  };
}

/** The view of one criterion, reading the rich text of its evidence cell only. */
export function viewOfCriterion(ctx: Context, c: Criterion, key: string): CriterionView {
  const col = ctx.result.columns.evidence;
  let cell: EvidenceCell | null = null;
  if (col !== undefined) cell = evidenceCellOf(ctx.sheet.getRange(c.row, col + 1).getRichTextValue(), ctx.values[c.row - 1]?.[col]);
  return criterionView(ctx, c, cell, key);
}

export function none(sheet: string, row: number, unitSheet: boolean, message: string): NoneView {
  return { kind: 'none', key: selectionKey(sheet, row), sheet, row, unitSheet, message };
}

/** What the sidebar shows for a selected row of a sheet. */
export function viewOfSelection(ss: Spreadsheet, sheet: Sheet, row: number): SidebarView {
  const name = sheet.getName();
  const key = selectionKey(name, row);
  if (isAddOnSheet(sheet)) {
    return none(
      name,
      row,
      false,
      `Trang "${name}" là trang của công cụ chấm điểm. Hãy mở biểu chấm của một đơn vị và chọn một hàng tiêu chí.`,
    );
  }
  let ctx: Context;
  try {
    ctx = loadContext(ss, sheet);
  } catch (err) {
    if (err instanceof UserError) return none(name, row, false, `${err.message} Hãy mở biểu chấm của một đơn vị.`);
    throw err;
  }
  const r = ctx.result;
  if (row <= r.headerRow || row > r.lastRow || (r.totalRow !== null && row >= r.totalRow)) {
    return none(
      name,
      row,
      true,
      `Hàng đang chọn không thuộc bảng tiêu chí. Hãy chọn một hàng tiêu chí (từ hàng ${r.headerRow + 1} trở xuống).`,
    );
  }
  // A wrapped line of text belongs to the criterion above it.
  let c: Criterion | undefined;
  for (const x of r.criteria) if (x.row <= row) c = x;
  if (!c) return none(name, row, true, 'Hàng đang chọn không phải là một tiêu chí. Hãy chọn một hàng tiêu chí.');
  return viewOfCriterion(ctx, c, key);
}
