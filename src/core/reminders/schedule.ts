/**
 * Deadline reminders, pure: which e-mails go out on a given Vietnam calendar day, to whom, and
 * what they say. The shells (the daily Apps Script trigger, the offline `remind` command) pass in
 * today's date, the settings, each unit's status and the keys already sent; nothing here reads a
 * clock, a spreadsheet or sends anything.
 *
 * Rules (from the commune's online scoring plan):
 *  - for each milestone exactly N days away, N in settings.leadDays, every unit whose sheet still
 *    has work (unscored, missing evidence, missing explanation) gets one personal reminder, with
 *    the standing office in CC; a unit with nothing left gets none;
 *  - the day after each milestone the standing office gets one report of the incomplete units;
 *  - only official addresses are mailed (see email.ts); refused addresses are reported as skipped;
 *  - nothing is sent twice: every e-mail has a key (reminderKey) and keys already sent are left out;
 *  - an e-mail that could not go out (the day's mail quota ran out) is retried on the following days: a
 *    reminder until its milestone has passed (the latest lead day's reminder stands for the earlier ones), the
 *    office report until the next milestone.
 */
import { checkOfficialEmail, type SkipReason, splitEmails } from '../settings/email';
import { type Finding, hasPending, type Pending } from '../engine/findings';
import type { ScoredSheet } from '../engine/score';
import type { Milestone, Settings, Unit } from '../settings/settings';
import { normalizeLabel } from '../engine/text';
import { daysBetween, isYmd } from '../engine/dates';
import { reminderEmail, reportEmail } from './render';
import {
  type MissingKind,
  NO_PENDING,
  OFFICE_LABEL,
  type OpenCriterion,
  type ReminderInput,
  type PlannedEmail,
  type Recipients,
  type DayReminders,
  type UnitStatus,
} from './types';

const MISSING_ORDER: MissingKind[] = ['unscored', 'missingEvidence', 'missingExplanation'];

const KIND_OF_RULE: Partial<Record<Finding['rule'], MissingKind>> = {
  unscored: 'unscored',
  'missing-evidence': 'missingEvidence',
  'missing-explanation': 'missingExplanation',
};

// ---- keys ------------------------------------------------------------------------

/**
 * The identity of one e-mail, as stored in the reminder log: kind, milestone date, lead day
 * (-1 for the report) and the unit's sheet. The sheet name is compared like every other label
 * (case, diacritics and spacing ignored), so retyping it in the settings does not resend.
 */
export function reminderKey(kind: PlannedEmail['kind'], milestone: string, leadDays: number, unitSheet: string): string {
  return `${kind}|${milestone}|${leadDays}|${normalizeLabel(unitSheet)}`;
}

// ---- unit status -----------------------------------------------------------------

/** A unit's counts and open criteria from its scored sheet. */
export function unitStatusFromScore(unit: Unit, sheetId: number | null, result: ScoredSheet): UnitStatus {
  const pending: Pending = { unscored: 0, missingEvidence: 0, missingExplanation: 0 };
  const byRow = new Map<number, OpenCriterion>();
  const criterionAt = new Map(result.criteria.map((c) => [c.row, c]));
  for (const f of result.findings) {
    const kind = KIND_OF_RULE[f.rule];
    if (!kind) continue;
    pending[kind]++;
    let open = byRow.get(f.row);
    if (!open) {
      const c = criterionAt.get(f.row);
      open = { row: f.row, outline: c?.outline ?? f.outline, text: c?.text ?? '', missing: [] };
      byRow.set(f.row, open);
    }
    if (!open.missing.includes(kind)) open.missing.push(kind);
  }
  const open = [...byRow.values()].sort((a, b) => a.row - b.row);
  for (const o of open) o.missing.sort((a, b) => MISSING_ORDER.indexOf(a) - MISSING_ORDER.indexOf(b));
  return { unit, sheetId, pending, open };
}

/** A unit whose sheet is missing (or holds no score table). */
export function missingSheetStatus(unit: Unit, problem?: string): UnitStatus {
  return { unit, sheetId: null, pending: NO_PENDING(), open: [], missingSheet: true, ...(problem ? { problem } : {}) };
}

/**
 * Statuses of the units of the settings from the workbook's scores (as the shells compute them:
 * sheet name → result, or the reason it is not a score table), matching sheet names like labels.
 */
export function unitStatuses(
  settings: Settings,
  sheetNames: readonly string[],
  scores: ReadonlyMap<string, ScoredSheet | string>,
  sheetIds: ReadonlyMap<string, number> = new Map(),
): UnitStatus[] {
  const byNorm = new Map(sheetNames.map((n) => [normalizeLabel(n), n]));
  return settings.units.map((unit) => {
    const name = byNorm.get(normalizeLabel(unit.sheet));
    const score = name !== undefined ? scores.get(name) : undefined;
    if (name === undefined || score === undefined) return missingSheetStatus(unit);
    if (typeof score === 'string') return missingSheetStatus(unit, `trang tính "${name}" không có bảng chấm điểm`);
    return unitStatusFromScore(unit, sheetIds.get(name) ?? null, score);
  });
}

/**
 * Every unit of the settings, in the settings' order, with its status. A unit listed in the
 * settings for which the caller passed no status is treated as a missing sheet; statuses of units
 * the settings do not list are kept after them.
 */
function allStatuses(settings: Settings, given: readonly UnitStatus[]): UnitStatus[] {
  const byKey = new Map<string, UnitStatus>();
  for (const s of given) {
    const k = normalizeLabel(s.unit.sheet);
    if (!byKey.has(k)) byKey.set(k, s);
  }
  const used = new Set<UnitStatus>();
  const out: UnitStatus[] = [];
  for (const unit of settings.units) {
    const s = byKey.get(normalizeLabel(unit.sheet));
    if (s && !used.has(s)) {
      used.add(s);
      out.push(s);
    } else out.push(missingSheetStatus(unit));
  }
  for (const s of given) if (!used.has(s)) out.push(s);
  return out;
}

// ---- recipients --------------------------------------------------------------------

/** A unit's addresses split into the official ones and the refused ones (reminders and result e-mails alike). */
export function officialRecipients(cell: string, domains: readonly string[]): Recipients {
  const out: Recipients = { ok: [], refused: [] };
  const emails = splitEmails(cell);
  if (emails.length === 0) out.refused.push({ email: '', reason: 'missing-email' });
  for (const email of emails) {
    const reason = checkOfficialEmail(email, domains);
    if (reason) out.refused.push({ email, reason });
    else if (!out.ok.includes(email)) out.ok.push(email);
  }
  return out;
}

// ---- the plan --------------------------------------------------------------------------

/**
 * Today's e-mails.
 *  - No units in the settings: nobody to mail, the plan is empty (the caller says so).
 *  - A unit whose sheet is missing (or is no score table) gets no reminder: it cannot act on a
 *    sheet it does not have, and creating or renaming sheets is the standing office's job. It
 *    appears in the office report as "không tìm thấy trang tính" (or the caller's `problem`).
 *  - On a reminder day every unit's address is checked, and each refused one is listed in
 *    `skipped` even when that unit has nothing left to do, so the office can fix the address
 *    before the unit falls behind. The office address is checked on any reminder or report day;
 *    refused, reminders go without CC and the report is not sent (unit = OFFICE_LABEL).
 *  - Keys already sent, or planned earlier in the same plan (two units sharing one sheet, a
 *    milestone listed twice), are left out: first one wins.
 *  - Exact days only, except retries: a reminder or report whose key is in `unsent` (logged as not sent) is
 *    planned again (`retry`) on a later day, as long as it is still the latest one due: a reminder up to its
 *    milestone day while the unit still has work left, a report until the next milestone. A day the
 *    trigger did not run at all is not caught up.
 */
export function remindersForDay(input: ReminderInput): DayReminders {
  const { today, settings } = input;
  if (!isYmd(today)) throw new Error(`Ngày hôm nay không hợp lệ (cần dạng YYYY-MM-DD): "${today}".`);
  const plan: DayReminders = { today, emails: [], skipped: [] };
  if (settings.units.length === 0) return plan;

  const statuses = allStatuses(settings, input.units);
  const leads = [...new Set(settings.leadDays.filter((n) => Number.isInteger(n) && n >= 0))];
  const milestones = uniqueMilestones(settings.milestones);
  const office = officialRecipients(settings.officeEmail, settings.domains);
  const unitRecipients = new Map(statuses.map((s) => [s, officialRecipients(s.unit.email, settings.domains)]));
  const planned = new Set<string>();
  const skippedSeen = new Set<string>();
  const skip = (unit: string, email: string, reason: SkipReason) => {
    const k = `${unit}\u0000${email}\u0000${reason}`;
    if (skippedSeen.has(k)) return;
    skippedSeen.add(k);
    plan.skipped.push({ unit, email, reason });
  };
  const checkOffice = () => office.refused.forEach((r) => skip(OFFICE_LABEL, r.email, r.reason));
  const fresh = (key: string) => !input.alreadySent.has(key) && !planned.has(key);
  const unsent = input.unsent ?? new Set<string>();
  const add = (email: PlannedEmail, retry: boolean) => {
    planned.add(email.key);
    plan.emails.push(retry ? { ...email, retry } : email);
  };

  milestones.forEach((m, i) => {
    const daysLeft = daysBetween(today, m.date);
    const exact = leads.includes(daysLeft);
    // The latest lead day already past, whose unsent reminders are retried today (none on a lead day itself).
    const passed = leads.filter((n) => n > daysLeft);
    const retryLead = !exact && daysLeft >= 0 && passed.length > 0 ? Math.min(...passed) : null;
    if (exact || retryLead !== null) {
      if (exact) checkOffice();
      for (const s of statuses) {
        const r = unitRecipients.get(s) as Recipients;
        if (exact) r.refused.forEach((x) => skip(s.unit.name, x.email, x.reason));
        if (s.missingSheet || !hasPending(s.pending) || r.ok.length === 0) continue;
        const key = reminderKey('reminder', m.date, exact ? daysLeft : (retryLead as number), s.unit.sheet);
        if (!fresh(key) || (!exact && !unsent.has(key))) continue;
        const cc = office.ok.filter((e) => !r.ok.includes(e));
        add(reminderEmail(key, m, daysLeft, s, r.ok, cc, settings, input.spreadsheetUrl), !exact);
      }
    }
    const next = milestones[i + 1];
    const key = reminderKey('report', m.date, -1, OFFICE_LABEL);
    const retryReport = daysLeft < -1 && unsent.has(key) && (!next || next.date > today);
    if (daysLeft === -1 || retryReport) {
      checkOffice();
      if (office.ok.length === 0 || !fresh(key)) return;
      add(reportEmail(key, m, today, statuses, unitRecipients, office.ok, settings, input), retryReport);
    }
  });
  return plan;
}

function uniqueMilestones(milestones: readonly Milestone[]): Milestone[] {
  const byDate = new Map<string, Milestone>();
  for (const m of milestones) if (isYmd(m.date) && !byDate.has(m.date)) byDate.set(m.date, m);
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}
