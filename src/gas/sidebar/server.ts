/**
 * The evidence sidebar "Đính kèm minh chứng": the menu function that opens it and the server
 * functions its page calls through google.script.run.
 *
 * Every argument from the page is untrusted: the sheet must be an existing unit sheet whose
 * table the engine recognises, the row one of its criteria (a leaf for score and evidence
 * edits), links must be http(s), text has a length limit. Each call answers a Reply: data, or a
 * Vietnamese message (never a stack). Writes run under the document lock and read the sheet
 * once (getDataRange().getValues(), plus the rich text of the one evidence cell or column).
 */
import { appendLink, type EvidenceCell, hasUsableLink, MAX_CELL_LENGTH, removeLink } from '../../core/evidence/cell';
import { checkExplanation, parseScoreInput } from '../../core/evidence/input';
import { checkUrl, sameUrl } from '../../core/evidence/links';
import type { LinkCheck, NextResult, PollResult, Reply, WriteResult } from '../../core/evidence/sidebar-api';
import type { Criterion } from '../../core/engine/score';
import { formatPoints } from '../../core/engine/text';
import { formatNow, withDocumentLock } from '../env';
import { appendAuditOrQueue, editorOf } from '../workflow';
import { auditRow } from '../../core/workflow/audit';
import { a1 } from '../../core/engine/text';
import { readSettings } from '../settings';
import { LOCK_WAIT } from '../env';
import { UserError, readPlace, readTarget, reply } from './args';
import { describeLink } from './drive';
import {
  type Context,
  type RichTextValue,
  assertNoFormula,
  columnOf,
  criterionAt,
  criterionView,
  evidenceCellOf,
  findUnitSheet,
  loadContext,
  selectionKey,
  viewOfSelection,
} from './views';
import { scoreValues } from './views';
import type { SidebarServer, Untrusted } from '../../core/evidence/sidebar-api';

/**
 * The view of the active selection, or {changed: false} when it is still `known` (the key of
 * what the page shows). Called every few seconds while the sidebar is visible: a few cheap
 * calls when nothing changed.
 */
export function evidencePoll(known: unknown): Reply<PollResult> {
  return reply(() => {
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const sheet = ss.getActiveSheet();
    const range = sheet.getActiveRange();
    const row = range ? range.getRow() : 0;
    const key = selectionKey(sheet.getName(), row);
    if (typeof known === 'string' && known === key) return { changed: false, key };
    return { changed: true, key, view: viewOfSelection(ss, sheet, row) };
  });
}

/** Checks a link before it is attached: form, kind, Drive file name and sharing. */
export function evidenceCheckLink(target: unknown, url: unknown): Reply<LinkCheck> {
  return reply(() => {
    const t = readTarget(target);
    const c = checkUrl(url);
    if (!c.ok) throw new UserError(c.error);
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const ctx = loadContext(ss, findUnitSheet(ss, t.sheet));
    criterionAt(ctx, t, true);
    return describeLink(c.url, ctx.unit?.sensitive ?? false);
  });
}

/**
 * Records a sidebar write in the audit log, in the same lock: a script's write fires no edit trigger, so the
 * server function audits it itself. The old value is the one read under the lock just before writing. A unit cannot
 * write the protected log: its rows wait in document properties for the office's next trigger run.
 */
function audit(ctx: Context, row: number, col: number, oldValue: unknown, newValue: unknown): void {
  const ss = ctx.sheet.getParent();
  appendAuditOrQueue(ss, [auditRow(formatNow(ss), editorOf(), ctx.name, a1(row, col), oldValue, newValue)]);
}

/**
 * Runs a write on one criterion under the document lock, and audits it. The sheet is not re-checked: its
 * totals, classes and highlights are formulas and conditional formats that follow the write by
 * themselves, and the reply is the view of the criterion after the write, scored from the values
 * read before it with the written cell updated (no second read of the sheet).
 */
function write(
  target: unknown,
  leafOnly: boolean,
  fn: (ctx: Context, c: Criterion) => { message: string; cell?: EvidenceCell; audit?: { col: number; old: unknown } },
): WriteResult {
  const t = readTarget(target);
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const sheet = findUnitSheet(ss, t.sheet);
  const parsed = readSettings(ss);
  return withDocumentLock(() => {
    const ctx = loadContext(ss, sheet, parsed);
    const c = criterionAt(ctx, t, leafOnly);
    const done = fn(ctx, c);
    if (done.audit) audit(ctx, c.row, done.audit.col, done.audit.old, ctx.values[c.row - 1][done.audit.col]);
    const result = scoreValues(ctx.values, ctx.tableCols, ctx.parsed);
    const after = result.ok ? { ...ctx, result } : ctx;
    const updated = after.result.criteria.find((x) => x.row === c.row) ?? c;
    let cell = done.cell ?? null;
    const col = ctx.result.columns.evidence;
    if (!cell && col !== undefined)
      cell = evidenceCellOf(ctx.sheet.getRange(c.row, col + 1).getRichTextValue(), ctx.values[c.row - 1]?.[col]);
    return { view: criterionView(after, updated, cell, selectionKey(ctx.name, c.row)), message: done.message };
  }, LOCK_WAIT.sidebar);
}

function richOf(cell: EvidenceCell): RichTextValue {
  const builder = SpreadsheetApp.newRichTextValue().setText(cell.text);
  for (const l of cell.links) {
    const c = checkUrl(l.url);
    // Only http(s) links are (re)written; anything else stays as plain text.
    if (c.ok) builder.setLinkUrl(l.start, l.end, c.url);
  }
  return builder.build();
}

function writeEvidence(ctx: Context, row: number, col: number, cell: EvidenceCell): void {
  if (cell.text.length > MAX_CELL_LENGTH)
    throw new UserError(
      'Ô minh chứng đã quá dài (tối đa 50.000 ký tự). Hãy gom minh chứng vào một thư mục trên Google Drive và đính kèm đường dẫn thư mục.',
    );
  const range = ctx.sheet.getRange(row, col + 1);
  if (cell.text === '') range.setValue('');
  else range.setRichTextValue(richOf(cell));
  ctx.values[row - 1][col] = cell.text;
}

/** Attaches a link: a new line of the evidence cell, hyperlinked; the cell's content is kept. */
export function evidenceAddLink(target: unknown, url: unknown): Reply<WriteResult> {
  return reply(() => {
    const checked = checkUrl(url);
    if (!checked.ok) throw new UserError(checked.error);
    const result = write(target, true, (ctx, c) => {
      const col = columnOf(ctx, 'evidence');
      const range = ctx.sheet.getRange(c.row, col + 1);
      assertNoFormula(range);
      const cell = evidenceCellOf(range.getRichTextValue(), ctx.values[c.row - 1][col]);
      if (cell.links.some((l) => sameUrl(l.url, checked.url))) throw new UserError('Đường dẫn này đã được đính kèm cho tiêu chí.');
      const next = appendLink(cell, checked.url);
      writeEvidence(ctx, c.row, col, next);
      return {
        message: `Đã đính kèm minh chứng cho tiêu chí ${c.outline || `ở hàng ${c.row}`}.`,
        cell: next,
        audit: { col, old: cell.text },
      };
    });
    // Drive look-ups after the lock is released.
    const view = result.view;
    return { ...result, check: describeLink(checked.url, view.kind === 'criterion' && view.sensitive) };
  });
}

/** Removes one link (its line when nothing else is on it); the rest of the cell is kept. */
export function evidenceRemoveLink(target: unknown, url: unknown): Reply<WriteResult> {
  return reply(() => {
    if (typeof url !== 'string' || url === '' || url.length > MAX_CELL_LENGTH)
      throw new UserError('Yêu cầu không hợp lệ: thiếu đường dẫn cần gỡ.');
    return write(target, true, (ctx, c) => {
      const col = columnOf(ctx, 'evidence');
      const range = ctx.sheet.getRange(c.row, col + 1);
      assertNoFormula(range);
      const cell = evidenceCellOf(range.getRichTextValue(), ctx.values[c.row - 1][col]);
      const next = removeLink(cell, url);
      if (!next)
        throw new UserError('Không còn thấy đường dẫn này trong ô minh chứng (có thể vừa được sửa trên trang tính). Hãy bấm Làm mới.');
      writeEvidence(ctx, c.row, col, next);
      return { message: 'Đã gỡ minh chứng.', cell: next, audit: { col, old: cell.text } };
    });
  });
}

/** Sets the self score with the sheet's check: 0..max, "Chưa tính điểm", or empty. */
export function evidenceSetScore(target: unknown, input: unknown): Reply<WriteResult> {
  return reply(() =>
    write(target, true, (ctx, c) => {
      const col = columnOf(ctx, 'self');
      const parsed = parseScoreInput(input, c.cells.max.kind === 'number' ? c.cells.max.value : null);
      if (!parsed.ok) throw new UserError(parsed.error);
      const range = ctx.sheet.getRange(c.row, col + 1);
      assertNoFormula(range);
      const old = ctx.values[c.row - 1][col];
      range.setValue(parsed.value);
      ctx.values[c.row - 1][col] = parsed.value;
      const what =
        typeof parsed.value === 'number' ? `${formatPoints(parsed.value)} điểm` : parsed.value === '' ? 'trống' : `"${parsed.value}"`;
      return { message: `Đã lưu điểm tự chấm: ${what}.`, audit: { col, old } };
    }),
  );
}

/** Sets the explanation (at most 2,000 characters, stored as text). */
export function evidenceSetExplanation(target: unknown, text: unknown): Reply<WriteResult> {
  return reply(() => {
    const checked = checkExplanation(text);
    if (!checked.ok) throw new UserError(checked.error);
    return write(target, false, (ctx, c) => {
      const col = columnOf(ctx, 'explanation');
      const range = ctx.sheet.getRange(c.row, col + 1);
      assertNoFormula(range);
      const old = ctx.values[c.row - 1][col];
      // The apostrophe keeps text such as "=…" or "15/6" from becoming a formula, number or date.
      range.setValue(checked.value === '' ? '' : `'${checked.value}`);
      ctx.values[c.row - 1][col] = checked.value;
      return { message: checked.value === '' ? 'Đã xóa giải trình.' : 'Đã lưu giải trình.', audit: { col, old } };
    });
  });
}

/**
 * Selects the next leaf after `from` (wrapping around) that has a self score above 0 and no
 * http(s) link in its evidence cell, and returns its view.
 */
export function evidenceNextMissing(from: unknown): Reply<NextResult> {
  return reply(() => {
    const { sheet: name, row: fromRow } = readPlace(from);
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const ctx = loadContext(ss, findUnitSheet(ss, name));
    const col = columnOf(ctx, 'evidence');
    const scored = ctx.result.criteria.filter(
      (c) => c.children.length === 0 && c.block !== 'penalty' && c.cells.self.kind === 'number' && c.cells.self.value > 0,
    );
    if (scored.length === 0) return { found: false, message: 'Chưa có tiêu chí nào có điểm tự chấm lớn hơn 0.' };
    const first = scored[0].row;
    const last = scored[scored.length - 1].row;
    const rich = ctx.sheet.getRange(first, col + 1, last - first + 1, 1).getRichTextValues();
    const cells = new Map<number, EvidenceCell>();
    const missing = scored.filter((c) => {
      const cell = evidenceCellOf(rich[c.row - first]?.[0] ?? null, ctx.values[c.row - 1]?.[col]);
      cells.set(c.row, cell);
      return !hasUsableLink(cell);
    });
    if (missing.length === 0) return { found: false, message: 'Mọi tiêu chí có điểm tự chấm đều đã có minh chứng.' };
    const next = missing.find((c) => c.row > fromRow) ?? missing[0];
    ss.setActiveSheet(ctx.sheet);
    ctx.sheet.setActiveRange(ctx.sheet.getRange(next.row, col + 1));
    const label = next.outline ? `Tiêu chí ${next.outline}` : `Tiêu chí ở hàng ${next.row}`;
    const rest =
      missing.length === 1 ? 'Đây là tiêu chí duy nhất còn thiếu.' : `Còn ${missing.length} tiêu chí có điểm nhưng chưa có minh chứng.`;
    return {
      found: true,
      message: `${label} (hàng ${next.row}) chưa có minh chứng. ${rest}`,
      view: criterionView(ctx, next, cells.get(next.row) ?? null, selectionKey(ctx.name, next.row)),
    };
  });
}

/** The functions the page calls, checked against the page's own view of them (SidebarServer). */
export const SIDEBAR_SERVER = {
  evidencePoll,
  evidenceCheckLink,
  evidenceAddLink,
  evidenceRemoveLink,
  evidenceSetScore,
  evidenceSetExplanation,
  evidenceNextMissing,
} satisfies Untrusted<SidebarServer>;
