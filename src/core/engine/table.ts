/** Finding the score table in a grid: the header (one row, or two with merged group cells) and which column holds what. */
import { type Finding, RULE_SEVERITY } from './findings';
import { a1, cellText, columnLetter, normalizeLabel } from './text';

export type ColumnRole =
  | 'outline'
  | 'text'
  | 'max'
  | 'self'
  | 'explanation'
  | 'evidence'
  | 'appraisal'
  | 'reason'
  | 'request'
  // The later stages (evidence check by the office, the unit's appeal, the council's final round): issue 14.
  | 'check'
  | 'appeal'
  | 'extraEvidence'
  | 'final'
  | 'finalReason';

/** 0-based column index per role; optional roles are absent when the sheet has no such column. */
export type ColumnMap = Partial<Record<ColumnRole, number>>;

export const REQUIRED_ROLES: ColumnRole[] = ['outline', 'text', 'max', 'self'];

/**
 * Roles that decide the tree or the points. Two columns for one of them and no year to choose by:
 * the sheet is refused. Two columns for another role: a warning, and the role is left unread.
 */
export const SCORED_ROLES: readonly ColumnRole[] = ['outline', 'text', 'max', 'self', 'appraisal', 'final'];

/** Vietnamese names of the columns, for messages and for the sheets the add-on creates. */
export const ROLE_LABELS: Record<ColumnRole, string> = {
  outline: 'STT',
  text: 'Tiêu chí',
  max: 'Điểm tối đa',
  self: 'Điểm tự chấm',
  explanation: 'Giải trình',
  evidence: 'Minh chứng',
  appraisal: 'Điểm thẩm định',
  reason: 'Lý do điều chỉnh',
  request: 'Yêu cầu bổ sung minh chứng',
  check: 'Kiểm tra minh chứng',
  appeal: 'Giải trình sau thẩm định',
  extraEvidence: 'Minh chứng bổ sung',
  final: 'Điểm sau giải trình',
  finalReason: 'Lý do điều chỉnh lần 2',
};

// ---- vocabulary -------------------------------------------------------------------------------

/** How a term's words must appear in a label: the whole label, its start, or anywhere (whole words). */
export type TermMatch = 'is' | 'starts' | 'has';

/** One way offices name a column. `role: null` is a column carried as it is: read by no rule, never scored. */
export interface Term {
  role: ColumnRole | null;
  match: TermMatch;
  /** Words as matchKey gives them: no diacritics, lower case, punctuation as single spaces. */
  words: string;
}

const terms = (role: ColumnRole | null, match: TermMatch, ...words: string[]): Term[] => words.map((w) => ({ role, match, words: w }));

/**
 * The column vocabulary of every province, as data: the first matching term decides. A term that
 * a broader one would misread comes first: later stages and carried columns before the roles whose
 * words they contain ("Điểm thẩm định lần 2" is not the appraisal, "Minh chứng bổ sung" not the
 * evidence, "Cách tính điểm" not the max), the evidence request before the evidence, the reason
 * ("Lý do điều chỉnh điểm thẩm định") before the appraisal. A new role takes over its carried
 * terms by changing their role.
 */
export const VOCABULARY: readonly Term[] = [
  // Later stages: the office's evidence check, the unit's appeal and the council's final round (issue 14).
  ...terms('finalReason', 'starts', 'ly do dieu chinh lan 2', 'ly do lan 2', 'ly do sau giai trinh', 'ly do dieu chinh sau giai trinh'),
  ...terms('appeal', 'has', 'giai trinh sau tham dinh', 'y kien giai trinh'),
  ...terms('check', 'has', 'kiem tra minh chung', 'ket qua kiem tra'),
  ...terms('extraEvidence', 'has', 'minh chung bo sung'),
  ...terms('final', 'has', 'diem sau giai trinh', 'diem tham dinh lan 2', 'tham dinh lan 2', 'diem chinh thuc', 'tham dinh lai'),
  // Other later rounds: carried.
  ...terms(null, 'has', 'lan 2', 'lan 3', 'lan 4', 'lan 5', 'lan thu 2', 'lan thu hai', 'lan thu 3', 'lan thu ba'),
  ...terms(null, 'has', 'sau giai trinh', 'sau tham dinh', 'chinh thuc'),
  // Figures and notes beside the scores: carried.
  ...terms(null, 'starts', 'so lieu', 'ty le', 'ti le', 'ghi chu'),
  ...terms(null, 'has', 'cach tinh', 'cach cham'),
  ...terms('request', 'has', 'yeu cau bo sung'),
  ...terms('request', 'starts', 'bo sung minh chung'),
  ...terms('reason', 'starts', 'ly do'),
  ...terms('explanation', 'has', 'giai trinh'),
  ...terms('evidence', 'has', 'minh chung', 'kiem chung'),
  ...terms('self', 'has', 'tu cham', 'tu danh gia'),
  ...terms('appraisal', 'has', 'tham dinh', 'phuc tra', 'hoi dong', 'cham lai'),
  ...terms('max', 'has', 'toi da', 'diem chuan', 'thang diem'),
  ...terms('outline', 'is', 'stt', 'tt', 'so tt', 'so thu tu'),
  ...terms('text', 'starts', 'tieu chi', 'noi dung', 'nhiem vu', 'ten tieu chi', 'linh vuc tieu chi'),
];

/** A label as the vocabulary's words: no diacritics, lower case, punctuation and spaces as single spaces. */
export function matchKey(label: unknown): string {
  return normalizeLabel(label)
    .replace(/[^a-z0-9%]+/g, ' ')
    .trim();
}

/** Longest label read as a column name (longer text is a criterion, not a header). */
const MAX_LABEL = 80;

/** The vocabulary term a header label matches, or null when it names nothing known. */
export function termOfLabel(label: unknown): Term | null {
  // Diacritics as separate marks at most double a label's length: longer text is no label (and costs nothing).
  if (typeof label !== 'string' || label.length > 2 * MAX_LABEL) return null;
  const key = matchKey(label);
  if (!key || key.length > MAX_LABEL) return null;
  // Whole words: padded with spaces, "tu cham" is in "diem tu cham" but "tt" is not in "ttt".
  const padded = ` ${key} `;
  for (const t of VOCABULARY) {
    const hit =
      t.match === 'is' ? key === t.words : t.match === 'starts' ? padded.startsWith(` ${t.words} `) : padded.includes(` ${t.words} `);
    if (hit) return t;
  }
  return null;
}

/** Which role a header label names (null for unknown and carried columns). */
export function roleOfLabel(label: unknown): ColumnRole | null {
  return termOfLabel(label)?.role ?? null;
}

// ---- the header -------------------------------------------------------------------------------

/** A merged area: 1-based row, 0-based column (as ScoreOptions.merges). */
export interface MergedArea {
  row: number;
  col: number;
  numRows: number;
  numCols: number;
}

export interface HeaderOptions {
  /** Merged areas of the sheet, when the shell knows them (the grid has a merged value only in its top-left cell). */
  merges?: readonly MergedArea[];
  /** The settings year: of two columns for one role, the one whose label carries this year is read. */
  year?: number;
}

export interface HeaderMatch {
  /** 0-based index of the header's last row: the table's rows start below it. */
  rowIndex: number;
  /** 0-based index of the header's first row (rowIndex - 1 for a two-row header). */
  firstRowIndex: number;
  columns: ColumnMap;
  /** Remarks on the header, as findings (rule ambiguous-column for a role no total depends on). */
  findings: Finding[];
}

/** A role named by several columns with no year to choose by. */
export interface AmbiguousRole {
  role: ColumnRole;
  columns: number[];
  labels: string[];
}

export type HeaderResult =
  | { ok: true; header: HeaderMatch }
  | {
      ok: false;
      missing: ColumnRole[];
      /** 0-based row of the most promising header candidate (the header's last row when ambiguous). */
      bestRowIndex: number | null;
      /** Non-empty when a header was found but a scored role has several columns: the sheet is refused. */
      ambiguous: AmbiguousRole[];
      year?: number;
    };

/** One reading of a header candidate: the label of each column and the columns of each role. */
interface Reading {
  labels: string[];
  roles: Map<ColumnRole, number[]>;
}

function readLabels(labels: string[]): Reading {
  const roles = new Map<ColumnRole, number[]>();
  labels.forEach((label, c) => {
    const role = roleOfLabel(label);
    if (role) roles.set(role, [...(roles.get(role) ?? []), c]);
  });
  return { labels, roles };
}

function found(reading: Reading): number {
  return REQUIRED_ROLES.filter((role) => reading.roles.has(role)).length;
}

const complete = (reading: Reading) => found(reading) === REQUIRED_ROLES.length;

/** The labels of a row (numbers as text), whether any is text, or null for a row with nothing in it. */
function rowLabels(row: unknown, width: number): { labels: string[]; hasText: boolean } | null {
  if (!Array.isArray(row)) return null;
  const n = Math.min(row.length, width);
  let hasText = false;
  let any = false;
  const labels: string[] = [];
  for (let c = 0; c < n; c++) {
    const v = row[c];
    const text = typeof v === 'string' ? cellText(v) : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
    if (text !== '') {
      any = true;
      if (typeof v === 'string') hasText = true;
    }
    labels.push(text);
  }
  return any ? { labels, hasText } : null;
}

/**
 * The labels of two header rows read together: a group cell ("Điểm") over sub-labels ("Tối đa",
 * "Tự chấm", "Thẩm định") gives "Điểm Tối đa"…, a cell merged down over both rows ("STT") gives
 * its own label. A group spans its merged area when merges are known, otherwise the blank cells
 * to its right above a sub-label. `merged` / `inferred`: some group covers more than one column,
 * shown by a merged area or guessed from blank cells.
 */
function twoRowLabels(upper: string[], lower: string[], row: number, merges: readonly MergedArea[]) {
  const width = Math.max(upper.length, lower.length);
  const up = Array.from({ length: width }, (_, c) => upper[c] ?? '');
  const inherited = new Array<boolean>(width).fill(false);
  for (const m of merges) {
    if (m.row !== row + 1 || m.numCols < 2 || !up[m.col]) continue;
    for (let c = m.col + 1; c < Math.min(width, m.col + m.numCols); c++) {
      up[c] = up[m.col];
      inherited[c] = true;
    }
  }
  const labels: string[] = [];
  let group = '';
  let merged = false;
  let inferred = false;
  for (let c = 0; c < width; c++) {
    const low = lower[c] ?? '';
    if (up[c]) {
      if (inherited[c] && low) merged = true;
      group = low ? up[c] : '';
      labels.push(low ? `${up[c]} ${low}` : up[c]);
    } else if (low) {
      if (group) inferred = true;
      labels.push(group ? `${group} ${low}` : low);
    } else {
      group = '';
      labels.push('');
    }
  }
  return { labels, merged, inferred };
}

const YEAR = /(?<!\d)(?:19|20)\d\d(?!\d)/g;

/** The years a label mentions ("Điểm tự chấm năm 2025" → [2025]). */
export function yearsIn(label: string): number[] {
  return (label.match(YEAR) ?? []).map(Number);
}

/** Picks one column per role; several columns for a role are chosen between by the year in their labels only. */
function resolve(reading: Reading, rowIndex: number, year: number | undefined) {
  const columns: ColumnMap = {};
  const ambiguous: AmbiguousRole[] = [];
  const findings: Finding[] = [];
  for (const [role, cols] of reading.roles) {
    let chosen: number | undefined = cols.length === 1 ? cols[0] : undefined;
    if (chosen === undefined && year !== undefined) {
      const ofYear = cols.filter((c) => yearsIn(reading.labels[c]).includes(year));
      if (ofYear.length === 1) chosen = ofYear[0];
    }
    if (chosen !== undefined) {
      columns[role] = chosen;
      continue;
    }
    const dup: AmbiguousRole = { role, columns: cols, labels: cols.map((c) => reading.labels[c]) };
    if (SCORED_ROLES.includes(role)) {
      ambiguous.push(dup);
    } else {
      const row = rowIndex + 1;
      findings.push({
        rule: 'ambiguous-column',
        severity: RULE_SEVERITY['ambiguous-column'],
        row,
        cell: a1(row, cols[0]),
        col: cols[0],
        outline: '',
        message:
          `${describeColumns(dup)}: không rõ cột nào đúng nên công cụ không đọc cột "${ROLE_LABELS[role]}" (bỏ qua các kiểm ` +
          `tra dựa vào cột này). Hãy đổi tên hoặc xóa cột thừa.`,
      });
    }
  }
  return { columns, ambiguous, findings };
}

function describeColumns(dup: AmbiguousRole): string {
  const shown = (label: string) => (label.length > 60 ? `${label.slice(0, 57)}…` : label);
  const list = dup.columns.map((c, i) => `cột ${columnLetter(c)} ("${shown(dup.labels[i].replace(/\s+/g, ' '))}")`);
  const names = list.length === 2 ? list.join(' và ') : list.join(', ');
  return `Có ${dup.columns.length} cột cùng là "${ROLE_LABELS[dup.role]}": ${names}`;
}

/** Rows at the top read in full to name the most promising row of a sheet without a header. */
const BEST_SCAN_ROWS = 50;

const OUTLINE_TERMS = VOCABULARY.filter((t) => t.role === 'outline');
/** First letters of the STT labels ("stt", "tt", "so thu tu"…): a cheap look at a cell before reading it. */
const OUTLINE_INITIALS = new Set(OUTLINE_TERMS.map((t) => t.words.charAt(0)));
/** Longest raw STT label: its words, diacritics as separate marks, punctuation. */
const OUTLINE_MAX_LENGTH = 2 * Math.max(...OUTLINE_TERMS.map((t) => t.words.length)) + 4;

/** Whether a row has an STT label: every header has one, in its only row or one of its two. Cheap: short strings only. */
function hasOutlineLabel(row: unknown, width: number): boolean {
  if (!Array.isArray(row)) return false;
  const n = Math.min(row.length, width);
  for (let c = 0; c < n; c++) {
    const v = row[c];
    if (typeof v !== 'string' || v.length > OUTLINE_MAX_LENGTH) continue;
    const first = /[^\s\u200b-\u200d\u00ad]/.exec(v)?.[0]?.toLowerCase();
    const initial = first && first < '\u0080' ? first : normalizeLabel(first).charAt(0);
    if (OUTLINE_INITIALS.has(initial) && roleOfLabel(v) === 'outline') return true;
  }
  return false;
}

/**
 * Finds the header anywhere in the sheet: the first row, or pair of rows (group cells over
 * sub-labels, STT and Tiêu chí merged down), naming every required column. Only rows with an STT
 * label (and their neighbours) are read in full, and the search stops at the first header, so a
 * sheet of 100,000 rows costs one quick look per row. When none is found, reports what the most
 * promising row lacks; when a scored role has several columns and no year decides, refuses.
 */
export function findHeader(grid: readonly (readonly unknown[])[], ignoreFromColumn = Infinity, options: HeaderOptions = {}): HeaderResult {
  const rows = Array.isArray(grid) ? grid : [];
  const merges = options.merges ?? [];
  const read = new Map<number, { labels: string[]; hasText: boolean; reading: Reading } | null>();
  const rowAt = (r: number) => {
    if (r < 0 || r >= rows.length) return null;
    let got = read.get(r);
    if (got === undefined) {
      const labels = rowLabels(rows[r], ignoreFromColumn);
      got = labels ? { ...labels, reading: readLabels(labels.labels) } : null;
      read.set(r, got);
    }
    return got;
  };
  const accept = (reading: Reading, first: number, last: number): HeaderResult => {
    const { columns, ambiguous, findings } = resolve(reading, last, options.year);
    if (ambiguous.length > 0) return { ok: false, missing: [], bestRowIndex: last, ambiguous, year: options.year };
    return { ok: true, header: { rowIndex: last, firstRowIndex: first, columns, findings } };
  };
  /** Rows u and u + 1 read as one header, when they are one. */
  const pairAt = (u: number): HeaderResult | null => {
    const upper = rowAt(u);
    const lower = rowAt(u + 1);
    if (!upper?.hasText || !lower || upper.reading.roles.size === 0) return null;
    const two = twoRowLabels(upper.labels, lower.labels, u, merges);
    const pair = readLabels(two.labels);
    if (!complete(pair)) return null;
    // Under STT and Tiêu chí merged down over both rows, the second header row is blank.
    const underVertical = (['outline', 'text'] as const).every((role) =>
      (upper.reading.roles.get(role) ?? []).every((c) => !lower.labels[c]),
    );
    // A complete row is a header by itself unless the row below splits its groups; a complete
    // lower row takes the row above only when a merged group cell shows they belong together.
    const isPair = complete(upper.reading) ? (two.merged || two.inferred) && underVertical : complete(lower.reading) ? two.merged : true;
    return isPair ? accept(pair, u, u + 1) : null;
  };
  let best: { rowIndex: number; found: number; reading: Reading } | null = null;
  const consider = (r: number) => {
    const row = rowAt(r);
    if (!row?.hasText || row.reading.roles.size === 0) return;
    const n = found(row.reading);
    if (!best || n > best.found) best = { rowIndex: r, found: n, reading: row.reading };
  };
  for (let r = 0; r < rows.length; r++) {
    if (!hasOutlineLabel(rows[r], ignoreFromColumn)) {
      if (r < BEST_SCAN_ROWS) consider(r);
      continue;
    }
    const header = pairAt(r - 1) ?? pairAt(r);
    if (header) return header;
    const single = rowAt(r);
    if (single && complete(single.reading)) return accept(single.reading, r, r);
    consider(r);
  }
  const last = best as { rowIndex: number; reading: Reading } | null;
  if (!last) return { ok: false, missing: [...REQUIRED_ROLES], bestRowIndex: null, ambiguous: [] };
  return { ok: false, missing: REQUIRED_ROLES.filter((role) => !last.reading.roles.has(role)), bestRowIndex: last.rowIndex, ambiguous: [] };
}

/** Vietnamese explanation of why a sheet is not read as a score table. */
export function describeMissingHeader(result: Extract<HeaderResult, { ok: false }>): string {
  if (result.ambiguous.length > 0) {
    const row = (result.bestRowIndex ?? 0) + 1;
    const parts = result.ambiguous.map((dup) => `${describeColumns(dup)}.`);
    const example = result.ambiguous[0].role;
    const yearText = result.year !== undefined ? ` năm ${result.year}` : '';
    return (
      `Hàng tiêu đề ${row}: ${parts.join(' ')} Công cụ không đoán cột nào dùng để chấm${yearText}. ` +
      `Hãy ghi năm vào tiêu đề cột cần chấm (ví dụ "${ROLE_LABELS[example]} năm ${result.year ?? 2026}") hoặc xóa, đổi tên cột ` +
      `thừa. Trang tính được giữ nguyên, không ghi gì.`
    );
  }
  if (result.bestRowIndex === null) {
    return 'Không tìm thấy hàng tiêu đề của bảng chấm điểm (cần các cột STT, Tiêu chí, Điểm tối đa, Điểm tự chấm).';
  }
  const names = result.missing.map((role) => `"${ROLE_LABELS[role]}"`).join(', ');
  return `Hàng ${result.bestRowIndex + 1} giống hàng tiêu đề nhưng thiếu cột ${names}. Trang tính được giữ nguyên, không ghi gì.`;
}
