/** The shapes of deadline reminders: unit statuses, planned e-mails and the day's batch. */
import type { Pending } from '../engine/findings';
import type { SkipReason } from '../settings/email';
import type { Settings, Unit } from '../settings/settings';

export type MissingKind = 'unscored' | 'missingEvidence' | 'missingExplanation';

export interface OpenCriterion {
  /** 1-based sheet row of the criterion. */
  row: number;
  outline: string;
  text: string;
  missing: MissingKind[];
}

export interface UnitStatus {
  unit: Unit;
  /** Sheet id for the `#gid=` link; null when unknown (offline) or the sheet is missing. */
  sheetId: number | null;
  pending: Pending;
  /** Criteria still open, in sheet order. */
  open: OpenCriterion[];
  /** True when the unit's sheet is not in the workbook or holds no score table. */
  missingSheet?: boolean;
  /** Short Vietnamese note for the office report when missingSheet (default "không tìm thấy trang tính"). */
  problem?: string;
}

export interface PlannedEmail {
  /** A deadline reminder, the office's report after a milestone, or a unit's published result. */
  kind: 'reminder' | 'report' | 'result';
  key: string;
  /** Unit name, or OFFICE_LABEL for reports. */
  unit: string;
  /** The unit's sheet, or the summary sheet for reports. */
  sheet: string;
  to: string[];
  cc: string[];
  /** YYYY-MM-DD. */
  milestone: string;
  /** Days from today to the milestone: a lead day for reminders, -1 for the day-after report. */
  daysLeft: number;
  subject: string;
  htmlBody: string;
  textBody: string;
  /** The unit's counts; for a report, the sum over all units. */
  pending: Pending;
  /** True when this is a retry of an e-mail logged as not sent on an earlier day (the key is the original's). */
  retry?: boolean;
}

export interface SkippedRecipient {
  unit: string;
  email: string;
  reason: SkipReason;
}

export interface DayReminders {
  today: string;
  emails: PlannedEmail[];
  skipped: SkippedRecipient[];
}

export interface ReminderInput {
  /** Today in Vietnam, YYYY-MM-DD (settings.vietnamDate(new Date()) in the shells). */
  today: string;
  settings: Settings;
  units: UnitStatus[];
  spreadsheetUrl: string;
  summarySheetId: number | null;
  alreadySent: ReadonlySet<string>;
  /** Keys logged as not sent (the mail quota ran out) and not sent since: retried while still due. */
  unsent?: ReadonlySet<string>;
}

/** Who the reports are addressed to and who appears as "unit" for the office's own entries. */
export const OFFICE_LABEL = 'Cơ quan thường trực';

/** At most this many open criteria are listed in a reminder; the rest are counted. */
export const OPEN_LIST_LIMIT = 30;

export const MISSING_LABEL: Record<MissingKind, string> = {
  unscored: 'chưa tự chấm điểm',
  missingEvidence: 'thiếu minh chứng',
  missingExplanation: 'thiếu giải trình',
};

export const NO_PENDING = (): Pending => ({ unscored: 0, missingEvidence: 0, missingExplanation: 0 });

export interface Recipients {
  ok: string[];
  refused: { email: string; reason: SkipReason }[];
}
