/**
 * The settings sheet "Cấu hình": key/value rows, the units table and the milestones table,
 * found by their labels (case, diacritics and spacing ignored), with defaults and warnings.
 */
import { DEFAULT_THRESHOLDS, type Thresholds } from '../engine/classify';
import { readNumber } from '../engine/numbers';
import { cellText, formatPoints, isBlank, isDate, normalizeLabel } from '../engine/text';

export interface Unit {
  name: string;
  sheet: string;
  focal: string;
  email: string;
  phone: string;
  sensitive: boolean;
}

export interface Milestone {
  /** Calendar date, YYYY-MM-DD. */
  date: string;
  content: string;
}

export interface Settings {
  commune: string;
  field: 'CCHC' | 'CDS';
  year: number;
  bonusCap: number;
  thresholds: Thresholds;
  officeEmail: string;
  /** Name and phone of the standing office's focal person (for large evidence files). */
  officeFocal: string;
  domains: string[];
  leadDays: number[];
  council: string[];
  units: Unit[];
  milestones: Milestone[];
  /** Official papers: the place written before the date (default: the commune's name). */
  place: string;
  /** The report's number before "/BC-UBND" ("" leaves it blank, to fill when it is registered); notices leave theirs blank. */
  docNumber: string;
  /** "Nơi nhận" lines, without the leading dash. */
  recipients: string[];
  /** Signer's title lines (TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH). */
  signerTitle: string[];
  /** Signer's name ("" leaves it to fill by hand). */
  signerName: string;
  /** Last day (YYYY-MM-DD) a unit may explain after the appraisal ("Hạn giải trình"); '' when not set. */
  appealDeadline: string;
  /** Stages the commune skips, as typed in "Giai đoạn bỏ qua" (checked against the stage flow by the workflow). */
  skippedStages: string[];
}

export interface ParsedSettings {
  settings: Settings;
  warnings: string[];
  /** False when there was no settings sheet at all (defaults used). */
  found: boolean;
  /**
   * Where the numbers the live formulas refer to were read (1-based row; the value is in column
   * B), for each one that was used as typed; `percent` when it was typed as a percentage (0,9).
   */
  cells?: Partial<Record<FormulaKey, { row: number; percent: boolean }>>;
  /** The spreadsheet's time zone the dates were read in (IANA name; Vietnam unless the shell says otherwise). */
  timeZone?: string;
}

/** The settings the sheet's formulas refer to, so that changing one recomputes every unit at once. */
export type FormulaKey = 'bonusCap' | 'excellent' | 'good' | 'fair' | 'average';

export const DEFAULT_MILESTONES: [number, number, string][] = [
  [6, 15, 'Cập nhật kết quả thực hiện 6 tháng đầu năm; rà soát nhiệm vụ chưa có minh chứng, nhiệm vụ có nguy cơ mất điểm.'],
  [9, 15, 'Cập nhật kết quả 9 tháng; bổ sung minh chứng phát sinh, giải trình nhiệm vụ chưa đạt hoặc đạt một phần.'],
  [11, 10, 'Hoàn thành cập nhật kết quả tự chấm năm; gửi hồ sơ, minh chứng và file nén phục vụ thẩm định.'],
];

export function defaultSettings(year: number): Settings {
  return {
    commune: '',
    field: 'CCHC',
    year,
    bonusCap: 4,
    thresholds: { ...DEFAULT_THRESHOLDS },
    officeEmail: '',
    officeFocal: '',
    domains: [],
    leadDays: [7, 3, 1],
    council: [],
    units: [],
    milestones: DEFAULT_MILESTONES.map(([m, d, content]) => ({ date: ymd(year, m, d), content })),
    place: '',
    docNumber: '',
    recipients: [...DEFAULT_RECIPIENTS],
    signerTitle: [...DEFAULT_SIGNER_TITLE],
    signerName: '',
    appealDeadline: '',
    skippedStages: [],
  };
}

export const DEFAULT_RECIPIENTS = [
  'Thường trực Đảng ủy xã',
  'Thường trực HĐND xã',
  'Chủ tịch, các Phó Chủ tịch UBND xã',
  'Các cơ quan, đơn vị',
  'Lưu: VT',
];
export const DEFAULT_SIGNER_TITLE = ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'];

/** Lines of a cell: separated by new lines or by `separator` (";" for recipients, "/" for title lines). */
function splitLines(value: unknown, separator: string): string[] {
  return cellText(value)
    .split(new RegExp(`[\\n${separator}]`))
    .map((s) =>
      s
        .trim()
        .replace(/^[-–]\s*/, '')
        .replace(/[;.]$/, '')
        .trim(),
    )
    .filter(Boolean);
}

/** Labels of the key/value rows, in the order the sheet shows them. */
export const KEY_LABELS = {
  commune: 'Tên xã/phường',
  field: 'Lĩnh vực (CCHC hoặc CDS)',
  year: 'Năm',
  bonusCap: 'Điểm cộng tối đa',
  excellent: 'Ngưỡng Xuất sắc (%)',
  good: 'Ngưỡng Tốt (%)',
  fair: 'Ngưỡng Khá (%)',
  average: 'Ngưỡng Trung bình (%)',
  officeEmail: 'Email cơ quan thường trực',
  officeFocal: 'Đầu mối cơ quan thường trực (họ tên, điện thoại)',
  domains: 'Tên miền email công vụ',
  leadDays: 'Nhắc trước (ngày)',
  council: 'Email tổ thẩm định',
  place: 'Địa danh ghi trên văn bản',
  docNumber: 'Số văn bản (trước /BC-UBND)',
  recipients: 'Nơi nhận (cách nhau bởi dấu ;)',
  signerTitle: 'Thẩm quyền ký (các dòng cách nhau bởi dấu /)',
  signerName: 'Người ký',
  appealDeadline: 'Hạn giải trình',
  skippedStages: 'Giai đoạn bỏ qua',
} as const;

type Key = keyof typeof KEY_LABELS;

export const UNIT_HEADERS = ['STT', 'Đơn vị', 'Trang tính', 'Đầu mối', 'Email', 'Điện thoại', 'Nhạy cảm'];
export const MILESTONE_HEADERS = ['STT', 'Hạn', 'Nội dung cập nhật'];

function keyOf(label: unknown): string {
  return normalizeLabel(label)
    .replace(/\([^)]*\)/g, '')
    .replace(/[:*]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const KEY_BY_LABEL = new Map<string, Key>(Object.entries(KEY_LABELS).map(([k, label]) => [keyOf(label), k as Key]));

export function ymd(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1900 || y > 2200) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** The time zone the plan assumes when a shell has none (the offline command line). */
export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/**
 * The calendar date (YYYY-MM-DD) of an instant in an IANA time zone, daylight saving included. A date cell
 * holds midnight of its day in the spreadsheet's time zone, so it is read back in that zone.
 */
export function calendarDate(date: Date, timeZone: string = VIETNAM_TIME_ZONE): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(date);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return ymd(part('year'), part('month'), part('day'));
}

/** A calendar date in Vietnam from a Date instant. */
export function vietnamDate(date: Date): string {
  return calendarDate(date, VIETNAM_TIME_ZONE);
}

/** Today (YYYY-MM-DD) in the time zone the settings were read in. */
export function todayOf(parsed: Pick<ParsedSettings, 'timeZone'>, now: Date): string {
  return calendarDate(now, parsed.timeZone ?? VIETNAM_TIME_ZONE);
}

/** Reads "15/6", "15/06/2026", "2026-06-15" or a Date cell (in `timeZone`) as YYYY-MM-DD. */
export function parseDay(value: unknown, defaultYear: number, timeZone: string = VIETNAM_TIME_ZONE): string | null {
  if (isDate(value)) return Number.isNaN(value.getTime()) ? null : calendarDate(value, timeZone);
  const text = cellText(value).replace(/^(truoc ngay|trước ngày|ngay|ngày)\s*/i, '');
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (m) return validDate(+m[1], +m[2], +m[3]) ? ymd(+m[1], +m[2], +m[3]) : null;
  m = /^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?$/.exec(text);
  if (m) {
    const y = m[3] ? +m[3] : defaultYear;
    return validDate(y, +m[2], +m[1]) ? ymd(y, +m[2], +m[1]) : null;
  }
  return null;
}

export function splitList(value: unknown): string[] {
  return cellText(value)
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function isUnitsHeader(row: readonly unknown[]): boolean {
  const labels = row.map(normalizeLabel);
  return labels.includes('don vi') && labels.includes('trang tinh');
}

function isMilestonesHeader(row: readonly unknown[]): boolean {
  const labels = row.map(normalizeLabel);
  return labels.includes('han') && labels.some((l) => l.startsWith('noi dung'));
}

function columnIndex(row: readonly unknown[], label: string): number {
  return row.map(normalizeLabel).indexOf(normalizeLabel(label));
}

function isYes(value: unknown): boolean {
  const s = normalizeLabel(value);
  return s === 'x' || s === 'co' || s === 'yes' || s === 'true' || value === true;
}

/**
 * Parses the settings grid. A null grid (no sheet) gives the defaults with found = false. Date cells are read in
 * `timeZone`, the spreadsheet's (they hold midnight of their day there).
 */
export function parseSettings(
  grid: readonly (readonly unknown[])[] | null,
  currentYear: number,
  timeZone: string = VIETNAM_TIME_ZONE,
): ParsedSettings {
  const warnings: string[] = [];
  if (!grid) return { settings: defaultSettings(currentYear), warnings, found: false, timeZone };
  const raw = new Map<Key, unknown>();
  const rowOf = new Map<Key, number>();
  let unitsAt = -1;
  let milestonesAt = -1;
  grid.forEach((row, r) => {
    if (!Array.isArray(row)) return;
    if (unitsAt < 0 && isUnitsHeader(row)) unitsAt = r;
    else if (milestonesAt < 0 && isMilestonesHeader(row)) milestonesAt = r;
    const key = KEY_BY_LABEL.get(keyOf(row[0]));
    if (key && !raw.has(key)) {
      raw.set(key, row[1] ?? '');
      rowOf.set(key, r + 1);
    }
  });

  const yearCell = readNumber(raw.get('year'));
  let year = currentYear;
  if (yearCell.kind === 'number' && Number.isInteger(yearCell.value) && yearCell.value >= 2000 && yearCell.value <= 2100)
    year = yearCell.value;
  else if (raw.has('year') && !isBlank(raw.get('year')))
    warnings.push(`"${KEY_LABELS.year}" không hợp lệ ("${cellText(raw.get('year'))}"); dùng năm ${currentYear}.`);

  const s = defaultSettings(year);
  s.commune = cellText(raw.get('commune'));
  const field = normalizeLabel(raw.get('field')).toUpperCase();
  if (field === 'CDS' || field === 'CCHC') s.field = field;
  else if (field) warnings.push(`"Lĩnh vực" phải là CCHC hoặc CDS (đang ghi "${cellText(raw.get('field'))}"); dùng CCHC.`);

  const number = (key: Key, fallback: number, min: number, max: number): number => {
    if (!raw.has(key) || isBlank(raw.get(key))) return fallback;
    const n = readNumber(raw.get(key));
    if (n.kind === 'number' && n.value >= min && n.value <= max) return n.value;
    warnings.push(`"${KEY_LABELS[key]}" không hợp lệ ("${cellText(raw.get(key))}"); dùng giá trị mặc định ${fallback}.`);
    return fallback;
  };
  s.bonusCap = number('bonusCap', 4, 0, 100);
  s.thresholds = readThresholds(raw, warnings);
  const cells: ParsedSettings['cells'] = {};
  const used: Record<FormulaKey, number> = { bonusCap: s.bonusCap, ...s.thresholds };
  for (const key of Object.keys(used) as FormulaKey[]) {
    const n = readNumber(raw.get(key));
    const row = rowOf.get(key);
    if (row === undefined || n.kind !== 'number' || n.asText) continue;
    if (n.value === used[key]) cells[key] = { row, percent: false };
    else if (key !== 'bonusCap' && Math.round(n.value * 100 * 1e6) === Math.round(used[key] * 1e6)) cells[key] = { row, percent: true };
  }

  s.officeEmail = cellText(raw.get('officeEmail')).toLowerCase();
  s.officeFocal = cellText(raw.get('officeFocal'));
  s.domains = splitList(raw.get('domains')).map((d) => d.toLowerCase().replace(/^@/, ''));
  s.council = splitList(raw.get('council')).map((e) => e.toLowerCase());
  if (raw.has('leadDays') && !isBlank(raw.get('leadDays'))) {
    const parts = splitList(typeof raw.get('leadDays') === 'number' ? String(raw.get('leadDays')) : raw.get('leadDays'));
    const days = parts.map(Number).filter((n) => Number.isInteger(n) && n >= 0 && n <= 60);
    if (days.length === parts.length && days.length > 0) s.leadDays = [...new Set(days)].sort((a, b) => b - a);
    else warnings.push(`"${KEY_LABELS.leadDays}" phải là các số ngày cách nhau bởi dấu phẩy, ví dụ "7, 3, 1"; dùng 7, 3, 1.`);
  }
  if (raw.has('appealDeadline') && !isBlank(raw.get('appealDeadline'))) {
    const day = parseDay(raw.get('appealDeadline'), year);
    if (day) s.appealDeadline = day;
    else
      warnings.push(
        `"${KEY_LABELS.appealDeadline}" không phải ngày hợp lệ ("${cellText(raw.get('appealDeadline'))}"), ví dụ 15/12/${year}.`,
      );
  }
  // Stage names hold spaces: listed with commas, semicolons or line breaks.
  s.skippedStages = cellText(raw.get('skippedStages'))
    .split(/[,;\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);

  s.place = cellText(raw.get('place'));
  s.docNumber = cellText(raw.get('docNumber'));
  s.signerName = cellText(raw.get('signerName'));
  const recipients = splitLines(raw.get('recipients'), ';');
  if (recipients.length > 0) s.recipients = recipients;
  const title = splitLines(raw.get('signerTitle'), '/');
  if (title.length > 0) s.signerTitle = title;

  if (unitsAt >= 0) s.units = parseUnits(grid, unitsAt, warnings);
  if (milestonesAt >= 0) {
    const milestones = parseMilestones(grid, milestonesAt, year, warnings, timeZone);
    if (milestones.length > 0) s.milestones = milestones;
    else warnings.push('Bảng mốc cập nhật không có mốc hợp lệ; dùng các mốc mặc định 15/6, 15/9 và 10/11.');
  } else {
    warnings.push('Không thấy bảng mốc cập nhật (STT | Hạn | Nội dung cập nhật); dùng các mốc mặc định 15/6, 15/9 và 10/11.');
  }
  return { settings: s, warnings, found: true, cells, timeZone };
}

const THRESHOLD_KEYS = ['excellent', 'good', 'fair', 'average'] as const;

/** A threshold cell: a percent from 0 to 100. A cell formatted as a percentage holds 0.9 for 90 %: read as 90. */
function readThreshold(value: unknown): { percent: number; stored: number; fromFraction: boolean } | null {
  const text = typeof value === 'string' ? cellText(value) : '';
  const n = readNumber(text.endsWith('%') ? text.slice(0, -1) : value);
  if (n.kind !== 'number' || n.value < 0 || n.value > 100) return null;
  // No office sets a class at 1 % or less: a value from 0 to 1 is a percentage cell (90 % is 0.9).
  if (n.value > 0 && n.value <= 1 && !text.endsWith('%'))
    return { percent: Math.round(n.value * 100 * 1e6) / 1e6, stored: n.value, fromFraction: true };
  return { percent: n.value, stored: n.value, fromFraction: false };
}

/**
 * The four class thresholds. A percentage cell (0.9) reads as 90 with a note; a value that is not
 * a percent, or thresholds that do not strictly decrease (Xuất sắc > Tốt > Khá > Trung bình),
 * give the defaults with a warning.
 */
function readThresholds(raw: Map<Key, unknown>, warnings: string[]): Thresholds {
  const t: Thresholds = { ...DEFAULT_THRESHOLDS };
  for (const key of THRESHOLD_KEYS) {
    const value = raw.get(key);
    if (!raw.has(key) || isBlank(value)) continue;
    const read = readThreshold(value);
    if (!read) {
      warnings.push(`"${KEY_LABELS[key]}" không hợp lệ ("${cellText(value)}"); dùng giá trị mặc định ${DEFAULT_THRESHOLDS[key]}.`);
      continue;
    }
    if (read.fromFraction) {
      warnings.push(
        `"${KEY_LABELS[key]}" được lưu là ${formatPoints(read.stored)} (ô định dạng phần trăm, ${formatPoints(read.percent)}%): ` +
          `đọc là ${formatPoints(read.percent)}. Nên nhập số phần trăm, ví dụ 90.`,
      );
    }
    t[key] = read.percent;
  }
  if (t.excellent > t.good && t.good > t.fair && t.fair > t.average) return t;
  const shown = THRESHOLD_KEYS.map((k) => formatPoints(t[k])).join('; ');
  warnings.push(
    `Các ngưỡng xếp loại phải giảm dần (Xuất sắc > Tốt > Khá > Trung bình), đang là ${shown}; dùng ngưỡng mặc định ` +
      `${THRESHOLD_KEYS.map((k) => DEFAULT_THRESHOLDS[k]).join(', ')}.`,
  );
  return { ...DEFAULT_THRESHOLDS };
}

function tableRows(grid: readonly (readonly unknown[])[], headerAt: number): (readonly unknown[])[] {
  const out: (readonly unknown[])[] = [];
  for (let r = headerAt + 1; r < grid.length; r++) {
    const row = Array.isArray(grid[r]) ? grid[r] : [];
    if (row.every(isBlank)) break;
    if (isUnitsHeader(row) || isMilestonesHeader(row)) break;
    out.push(row);
  }
  return out;
}

function parseUnits(grid: readonly (readonly unknown[])[], at: number, warnings: string[]): Unit[] {
  const header = grid[at];
  const col = (label: string) => columnIndex(header, label);
  const [cName, cSheet, cFocal, cEmail, cPhone, cSensitive] = ['Đơn vị', 'Trang tính', 'Đầu mối', 'Email', 'Điện thoại', 'Nhạy cảm'].map(
    col,
  );
  const get = (row: readonly unknown[], c: number) => (c >= 0 ? cellText(row[c]) : '');
  const units: Unit[] = [];
  for (const row of tableRows(grid, at)) {
    const name = get(row, cName);
    const sheet = get(row, cSheet) || name;
    if (!name && !sheet) continue;
    units.push({
      name: name || sheet,
      sheet,
      focal: get(row, cFocal),
      email: get(row, cEmail).toLowerCase(),
      phone: get(row, cPhone),
      sensitive: cSensitive >= 0 && isYes(row[cSensitive]),
    });
  }
  const seen = new Set<string>();
  for (const u of units) {
    const k = normalizeLabel(u.sheet);
    if (seen.has(k)) warnings.push(`Trang tính "${u.sheet}" được khai báo cho nhiều đơn vị trong bảng đơn vị.`);
    seen.add(k);
  }
  return units;
}

function parseMilestones(
  grid: readonly (readonly unknown[])[],
  at: number,
  year: number,
  warnings: string[],
  timeZone: string,
): Milestone[] {
  const header = grid[at];
  const cDate = columnIndex(header, 'Hạn');
  const cContent = header.map(normalizeLabel).findIndex((l) => l.startsWith('noi dung'));
  const out: Milestone[] = [];
  for (const row of tableRows(grid, at)) {
    const date = parseDay(row[cDate], year, timeZone);
    if (!date) {
      if (!isBlank(row[cDate])) warnings.push(`Mốc "${cellText(row[cDate])}" không phải ngày hợp lệ (ví dụ 15/6/${year}); bỏ qua.`);
      continue;
    }
    out.push({ date, content: cContent >= 0 ? cellText(row[cContent]) : '' });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

function dayText(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/** The settings sheet's cells, laid out for a person to edit. */
export function settingsGrid(s: Settings): unknown[][] {
  const rows: unknown[][] = [
    ['CẤU HÌNH CHẤM ĐIỂM CCHC/CDS', ''],
    [KEY_LABELS.commune, s.commune],
    [KEY_LABELS.field, s.field],
    [KEY_LABELS.year, s.year],
    [KEY_LABELS.bonusCap, s.bonusCap],
    [KEY_LABELS.excellent, s.thresholds.excellent],
    [KEY_LABELS.good, s.thresholds.good],
    [KEY_LABELS.fair, s.thresholds.fair],
    [KEY_LABELS.average, s.thresholds.average],
    [KEY_LABELS.officeEmail, s.officeEmail],
    [KEY_LABELS.officeFocal, s.officeFocal],
    [KEY_LABELS.domains, s.domains.join(', ')],
    [KEY_LABELS.leadDays, s.leadDays.join(', ')],
    [KEY_LABELS.council, s.council.join(', ')],
    [KEY_LABELS.place, s.place],
    [KEY_LABELS.docNumber, s.docNumber],
    [KEY_LABELS.recipients, s.recipients.join('; ')],
    [KEY_LABELS.signerTitle, s.signerTitle.join(' / ')],
    [KEY_LABELS.signerName, s.signerName],
    [KEY_LABELS.appealDeadline, s.appealDeadline ? dayText(s.appealDeadline) : ''],
    [KEY_LABELS.skippedStages, s.skippedStages.join(', ')],
    [''],
    ['DANH SÁCH ĐƠN VỊ (Trang tính = tên trang biểu chấm của đơn vị; Nhạy cảm = x với công an, quân sự, y tế, trường học)'],
    UNIT_HEADERS,
    ...s.units.map((u, i) => [i + 1, u.name, u.sheet, u.focal, u.email, u.phone, u.sensitive ? 'x' : '']),
    [''],
    ['MỐC CẬP NHẬT'],
    MILESTONE_HEADERS,
    ...s.milestones.map((m, i) => [i + 1, dayText(m.date), m.content]),
  ];
  const width = UNIT_HEADERS.length;
  return rows.map((r) => [...r, ...Array(Math.max(0, width - r.length)).fill('')]);
}

/** Score options from the settings (the year picks between two columns for one role, e.g. last year's and this year's). */
export function scoreOptionsOf(s: Settings) {
  return { thresholds: s.thresholds, bonusCap: s.bonusCap, year: s.year };
}

/** How many distinct settings keys (the labels of column A) a grid holds: the settings sheet's own layout. */
export function settingsKeyCount(grid: readonly (readonly unknown[])[]): number {
  const keys = new Set<Key>();
  for (const row of grid) {
    const key = Array.isArray(row) && typeof row[0] === 'string' ? KEY_BY_LABEL.get(keyOf(row[0])) : undefined;
    if (key) keys.add(key);
  }
  return keys.size;
}
