/**
 * The papers the standing office issues from the summary (Nghị định 30/2020/NĐ-CP layout): the progress report of a
 * milestone, the year's results report and one notice per unit. Pure: the shells pass in the summary rows (with the
 * stage each unit is judged on and the criteria it lost, from the remedy plan) and the settings.
 */
import { CLASSIFICATIONS, type Classification } from '../engine/classify';
import type { Pending } from '../engine/findings';
import type { StageResult } from '../engine/score';
import { formatPoints } from '../engine/text';
import type { Milestone, Settings } from '../settings/settings';
import { type Block, type ColumnsBlock, type Paper, para } from './document';

export type ReportKind = 'result' | 'progress';
export type PaperKind = ReportKind | 'notice';
export const PAPER_KINDS: readonly PaperKind[] = ['result', 'progress', 'notice'];

/** A summary row as the report reads it (SummaryRow fits), plus what the shell adds. */
export interface ReportUnit {
  unit: string;
  self: StageResult | null;
  appraisal: StageResult | null;
  rank: number | null;
  pending: Pending;
  problem: string | null;
  /** After the appeal (null when the sheet has no final scores). */
  final: StageResult | null;
  /** The stage the unit is judged on (summary's finalStage: the final round once complete). */
  judged: StageResult | null;
  /** Main criteria below their max (the remedy plan's "Khắc phục" rows). */
  lost: readonly { outline: string; text: string }[];
}

/** The result after the units' explanations ("sau giải trình"): the final round, when the sheet has one. */
export function afterAppeal(u: ReportUnit): StageResult | null {
  return u.final;
}

/** The result a unit is classed and ranked on: the summary's (the complete final round, else the appraisal, else self). */
export function standing(u: ReportUnit): StageResult | null {
  return u.judged;
}

export interface PaperMeta {
  settings: Settings;
  /** The paper's date, YYYY-MM-DD. */
  today: string;
}

const FIELD_TEXT = { CCHC: 'cải cách hành chính', CDS: 'chuyển đổi số' } as const;
const DASH = '-';

/** "05/02/2026": day and month with two digits, as dates are written in the papers. */
export function dayMonthYear(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/** "Phước Chánh, ngày 05 tháng 02 năm 2026": days below 10 and months 1 and 2 take a leading zero (NĐ 30, Phụ lục I). */
export function placeAndDate(place: string, date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const month = m <= 2 ? String(m).padStart(2, '0') : String(m);
  return `${place ? `${place}, ` : ''}ngày ${String(d).padStart(2, '0')} tháng ${month} năm ${y}`;
}

/** The milestone a progress report is about: the last one on or before `today`, else the first. */
export function milestoneAt(milestones: readonly Milestone[], today: string): Milestone | null {
  const past = milestones.filter((m) => m.date <= today);
  return past.length > 0 ? past[past.length - 1] : (milestones[0] ?? null);
}

const points = (s: StageResult | null | undefined) => (s ? formatPoints(s.total) : DASH);

function communeName(s: Settings): string {
  return s.commune.trim();
}

/**
 * The header block: the commune's UBND and the number on the left; the national motto, place and date on the right.
 * `number` "" leaves room to write it by hand (each notice gets its own number when registered).
 */
function headerBlock(meta: PaperMeta, symbol: string, number: string): ColumnsBlock {
  const s = meta.settings;
  const commune = communeName(s);
  const place = s.place.trim() || commune;
  return {
    kind: 'columns',
    widths: [38, 62],
    left: [
      para('ỦY BAN NHÂN DÂN', { bold: true, align: 'center', size: 13, after: 0 }),
      para(commune ? `XÃ ${commune.toUpperCase()}` : 'XÃ ……', { bold: true, align: 'center', size: 13, after: 6 }),
      para(`Số: ${number.trim() || '\u00a0'.repeat(6)}/${symbol}`, { align: 'center', size: 13, after: 0 }),
    ],
    right: [
      para('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, align: 'center', size: 12.5, after: 0 }),
      para('Độc lập - Tự do - Hạnh phúc', { bold: true, underline: true, align: 'center', size: 13, after: 6 }),
      para(placeAndDate(place, meta.today), { italic: true, align: 'center', size: 14, after: 0 }),
    ],
  };
}

/** "Nơi nhận" on the left, the signer's title lines, room to sign and the name on the right. */
function signatureBlock(s: Settings, recipients: readonly string[]): ColumnsBlock {
  const list = recipients.map((r, i) => para(`- ${r}${i === recipients.length - 1 ? '.' : ';'}`, { size: 11, after: 0 }));
  return {
    kind: 'columns',
    widths: [50, 50],
    left: [para('Nơi nhận:', { bold: true, italic: true, size: 12, after: 0 }), ...list],
    right: [
      ...s.signerTitle.map((line) => para(line, { bold: true, align: 'center', after: 0 })),
      ...[1, 2, 3].map(() => para('', { after: 0 })),
      para(s.signerName.trim() || '\u00a0', { bold: true, align: 'center', after: 0 }),
    ],
  };
}

const p = (text: string, style: Parameters<typeof para>[1] = {}): Block => ({ kind: 'para', para: para(text, style) });
const body = (text: string): Block => p(text, { align: 'justify', indent: true });
const heading = (text: string): Block => p(text, { bold: true, align: 'justify', indent: true });
const titleLines = (lines: string[]): Block[] =>
  lines.map((t, i) => p(t, { bold: true, align: 'center', after: i === lines.length - 1 ? 12 : 0 }));

/** Shortens a criterion's text for a list line. */
function short(text: string, max = 90): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}

const criterionLabel = (c: { outline: string; text: string }) => `${c.outline ? `${c.outline}. ` : ''}${short(c.text)}`;

export const RESULT_HEADERS = ['STT', 'Đơn vị', 'Tự chấm', 'Thẩm định', 'Sau giải trình', 'Tỷ lệ (%)', 'Xếp loại', 'Thứ hạng'];

/** One results-table row per unit. */
export function resultRow(u: ReportUnit, i: number): string[] {
  const stand = standing(u);
  const appraisal = u.appraisal?.complete ? u.appraisal : null;
  return [
    String(i + 1),
    u.unit,
    points(u.self),
    appraisal ? points(appraisal) : u.appraisal ? `${DASH} (đang thẩm định)` : DASH,
    points(afterAppeal(u)),
    stand ? formatPoints(stand.percent) : DASH,
    stand ? stand.classification : 'Chưa có kết quả',
    u.rank !== null ? String(u.rank) : DASH,
  ];
}

/** How many units in each class (and without a result), in the order of the classes. */
export function classCounts(units: readonly ReportUnit[]): { label: Classification | 'Chưa có kết quả'; count: number }[] {
  const counts = CLASSIFICATIONS.map((c) => ({ label: c as Classification | 'Chưa có kết quả', count: 0 }));
  let none = 0;
  for (const u of units) {
    const s = standing(u);
    if (s) counts[CLASSIFICATIONS.indexOf(s.classification)].count++;
    else none++;
  }
  return none > 0 ? [...counts, { label: 'Chưa có kết quả', count: none }] : counts;
}

/** Criteria lost by the most units (at least two), most first, then in outline order; at most `limit`. */
export function mostLost(units: readonly ReportUnit[], limit = 5): { outline: string; text: string; units: number }[] {
  const byKey = new Map<string, { outline: string; text: string; units: number; order: number }>();
  for (const u of units) {
    const seen = new Set<string>();
    for (const c of u.lost) {
      const key = `${c.outline}\u0000${c.text.replace(/\s+/g, ' ').trim().toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = byKey.get(key) ?? { ...c, units: 0, order: byKey.size };
      entry.units++;
      byKey.set(key, entry);
    }
  }
  return [...byKey.values()]
    .filter((e) => e.units >= 2)
    .sort((a, b) => b.units - a.units || a.order - b.order)
    .slice(0, limit)
    .map(({ outline, text, units: n }) => ({ outline, text, units: n }));
}

/** A unit that has not finished its self score (or has no readable sheet), or lacks evidence. */
function lateOrMissing(u: ReportUnit): string | null {
  if (!u.self) return `${u.unit}: chưa có kết quả tự chấm${u.problem ? ` (${u.problem})` : ''}.`;
  const parts = [
    u.pending.unscored > 0 ? `còn ${u.pending.unscored} tiêu chí chưa tự chấm` : '',
    u.pending.missingEvidence > 0 ? `${u.pending.missingEvidence} tiêu chí thiếu minh chứng` : '',
    u.pending.missingExplanation > 0 ? `${u.pending.missingExplanation} tiêu chí thiếu giải trình` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `${u.unit}: ${parts.join(', ')}.` : null;
}

const MAX_REMEDY_LINES = 6;

function remedyLines(u: ReportUnit, max = MAX_REMEDY_LINES): string[] {
  const shown = u.lost.slice(0, max).map((c) => `- ${criterionLabel(c)}`);
  const more = u.lost.length - shown.length;
  return more > 0 ? [...shown, `- Và ${more} tiêu chí khác (xem Kế hoạch khắc phục).`] : shown;
}

function processText(units: readonly ReportUnit[], meta: PaperMeta): Block[] {
  const s = meta.settings;
  const n = units.length;
  const selfDone = units.filter((u) => u.self?.complete).length;
  const appraised = units.filter((u) => u.appraisal?.complete).length;
  const appealed = units.filter((u) => afterAppeal(u)).length;
  const dates = s.milestones.map((m) => dayMonthYear(m.date)).join(', ');
  return [
    body(
      `Thực hiện Bộ tiêu chí đánh giá, chấm điểm ${FIELD_TEXT[s.field]} năm ${s.year}, Ủy ban nhân dân xã đã triển khai ` +
        `đến ${n} cơ quan, đơn vị. Các đơn vị tự chấm điểm, cập nhật minh chứng trên biểu chấm điểm theo các mốc ${dates}; ` +
        `Tổ thẩm định thẩm định kết quả tự chấm của từng đơn vị; đơn vị có tiêu chí bị điều chỉnh được giải trình, bổ sung ` +
        `minh chứng; kết quả sau giải trình là căn cứ xếp loại, xếp hạng.`,
    ),
    body(
      `Đến ngày ${dayMonthYear(meta.today)}: ${selfDone}/${n} đơn vị hoàn thành tự chấm; ${appraised}/${n} đơn vị đã được ` +
        `thẩm định đầy đủ; ${appealed}/${n} đơn vị có kết quả sau giải trình.`,
    ),
  ];
}

function resultBlocks(units: readonly ReportUnit[], n: string): Block[] {
  const counts = classCounts(units);
  const stands = units.map((u) => ({ u, s: standing(u) })).filter((x) => x.s);
  return [
    heading(`${n}. Kết quả chấm điểm của các cơ quan, đơn vị`),
    {
      kind: 'table',
      header: RESULT_HEADERS,
      rows: units.map(resultRow),
      widths: [7, 29, 10, 11, 11, 10, 12, 9],
      align: ['center', 'left', 'center', 'center', 'center', 'center', 'center', 'center'],
      size: 11,
    },
    p(
      'Tỷ lệ, xếp loại và thứ hạng tính theo kết quả sau giải trình; đơn vị chưa có thì theo kết quả thẩm định, chưa thẩm định ' +
        'xong thì theo kết quả tự chấm.',
      { italic: true, size: 12, align: 'justify' },
    ),
    body(`Biểu đồ tỷ lệ điểm (%) của các đơn vị:`),
    {
      kind: 'bars',
      bars: stands.map(({ u, s }) => ({
        label: u.unit,
        percent: (s as StageResult).percent,
        text: formatPoints((s as StageResult).percent),
      })),
      size: 12,
    },
    body(`Xếp loại: ${counts.map((c) => `${c.label} ${c.count} đơn vị`).join('; ')}.`),
  ];
}

/** The progress report of a milestone or the year's results report. */
export function buildReport(units: readonly ReportUnit[], meta: PaperMeta, kind: ReportKind): Paper {
  const s = meta.settings;
  const commune = communeName(s);
  const field = FIELD_TEXT[s.field];
  const milestone = kind === 'progress' ? milestoneAt(s.milestones, meta.today) : null;
  const title =
    kind === 'result'
      ? [`Kết quả chấm điểm ${field} năm ${s.year}`, `của các cơ quan, đơn vị thuộc Ủy ban nhân dân xã${commune ? ` ${commune}` : ''}`]
      : [
          `Tiến độ chấm điểm ${field} năm ${s.year}`,
          milestone ? `đến mốc ngày ${dayMonthYear(milestone.date)}` : `đến ngày ${dayMonthYear(meta.today)}`,
        ];
  const late = units.map(lateOrMissing).filter((x): x is string => x !== null);
  const lost = mostLost(units);
  const withRemedy = units.filter((u) => u.lost.length > 0);
  const blocks: Block[] = [
    headerBlock(meta, 'BC-UBND', s.docNumber),
    ...titleLines(['BÁO CÁO', ...title]),
    heading('I. QUÁ TRÌNH TRIỂN KHAI'),
    ...processText(units, meta),
    ...(milestone ? [body(`Nội dung cần hoàn thành ở mốc ngày ${dayMonthYear(milestone.date)}: ${milestone.content}`)] : []),
    heading('II. KẾT QUẢ'),
    ...resultBlocks(units, '1'),
    heading(`2. Đơn vị chậm tiến độ, thiếu minh chứng${milestone ? ` tại mốc ngày ${dayMonthYear(milestone.date)}` : ''}`),
    ...(late.length > 0 ? late.map((t) => body(`- ${t}`)) : [body('Không có đơn vị chậm tiến độ hoặc thiếu minh chứng.')]),
    heading('3. Tiêu chí bị mất điểm ở nhiều đơn vị nhất'),
    ...(lost.length > 0
      ? lost.map((c) => body(`- ${criterionLabel(c)}: ${c.units}/${units.length} đơn vị.`))
      : [body('Không có tiêu chí nào bị mất điểm ở từ hai đơn vị trở lên.')]),
    heading('III. NHIỆM VỤ KHẮC PHỤC CỦA CÁC ĐƠN VỊ'),
    ...(withRemedy.length > 0
      ? withRemedy.flatMap((u) => [body(`${u.unit} (${u.lost.length} tiêu chí cần khắc phục):`), ...remedyLines(u).map(body)])
      : [body('Các đơn vị không có tiêu chí cần khắc phục.')]),
    body(
      `Trên đây là báo cáo ${kind === 'result' ? 'kết quả' : 'tiến độ'} chấm điểm ${field} năm ${s.year} của Ủy ban nhân dân ` +
        `xã${commune ? ` ${commune}` : ''}./.`,
    ),
    signatureBlock(s, s.recipients),
  ];
  const name = `${kind === 'result' ? 'Bao cao ket qua' : 'Bao cao tien do'} ${s.field} ${s.year}`;
  return { name, blocks };
}

/** The rows of a unit's notice: what it scored at each stage, its class and rank. */
export function noticeRows(u: ReportUnit, count: number): string[][] {
  const stand = standing(u);
  return [
    ['Điểm tự chấm', points(u.self)],
    ['Điểm thẩm định', u.appraisal?.complete ? points(u.appraisal) : DASH],
    ['Điểm sau giải trình', points(afterAppeal(u))],
    ['Tỷ lệ (%)', stand ? formatPoints(stand.percent) : DASH],
    ['Xếp loại', stand ? stand.classification : 'Chưa có kết quả'],
    ['Thứ hạng', u.rank !== null ? `${u.rank}/${count} đơn vị` : DASH],
  ];
}

/** One notice per unit ("Thông báo kết quả chấm điểm"), a page each, in one paper. */
export function buildNotices(units: readonly ReportUnit[], meta: PaperMeta): Paper {
  const s = meta.settings;
  const field = FIELD_TEXT[s.field];
  const commune = communeName(s);
  const blocks: Block[] = [];
  units.forEach((u, i) => {
    if (i > 0) blocks.push({ kind: 'pageBreak' });
    blocks.push(
      headerBlock(meta, 'TB-UBND', ''),
      ...titleLines(['THÔNG BÁO', `Kết quả chấm điểm ${field} năm ${s.year}`, `của ${u.unit}`]),
      p(`Kính gửi: ${u.unit}`, { align: 'center', after: 12 }),
      body(
        `Ủy ban nhân dân xã${commune ? ` ${commune}` : ''} thông báo kết quả chấm điểm ${field} năm ${s.year} của ${u.unit} ` + `như sau:`,
      ),
      {
        kind: 'table',
        header: ['Nội dung', 'Kết quả'],
        rows: noticeRows(u, units.length),
        widths: [55, 45],
        align: ['left', 'center'],
        size: 13,
      },
      ...(u.lost.length > 0
        ? [body(`Các tiêu chí chưa đạt điểm tối đa (${u.lost.length} tiêu chí):`), ...remedyLines(u, 5).map(body)]
        : [body('Đơn vị đạt điểm tối đa ở tất cả các tiêu chí đã chấm.')]),
      body(
        `Đề nghị ${u.unit} duy trì các kết quả đã đạt; xây dựng giải pháp khắc phục các tiêu chí chưa đạt điểm tối đa trong ` +
          `kế hoạch năm ${s.year + 1}./.`,
      ),
      signatureBlock(s, ['Như trên', 'Lưu: VT']),
    );
  });
  if (units.length === 0) blocks.push(p('Không có đơn vị nào để thông báo.'));
  return { name: `Thong bao ket qua ${s.field} ${s.year}`, blocks };
}

/** The paper of a kind. */
export function buildPaper(kind: PaperKind, units: readonly ReportUnit[], meta: PaperMeta): Paper {
  return kind === 'notice' ? buildNotices(units, meta) : buildReport(units, meta, kind);
}
