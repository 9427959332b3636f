/**
 * What a row under the header is, read from its words alone: a total or section-total row, the
 * column-number row, a bullet line, a section marker (Roman or lettered), a bonus/penalty title.
 * Pure functions, so each layout rule has one place and its own tests.
 */
import { cellText, isBlank, normalizeLabel } from './text';

export type Block = 'main' | 'bonus' | 'penalty';

/** An outline as typed: spaces and trailing dots dropped, "(1)" and "1)" read as "1", "Phần I" as "I". */
export function cleanOutline(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let s = cellText(value).replace(/\s+/g, ' ');
  // "Phần I", "PHẦN A": the section marker is the word after "Phần".
  if (/^phan \S+$/.test(normalizeLabel(s))) s = s.slice(s.indexOf(' ') + 1);
  s = s.replace(/\s+/g, '');
  const wrapped = /^\(([^()]+)\)$/.exec(s);
  if (wrapped) s = wrapped[1];
  return s.replace(/[.)]+$/, '');
}

export const ARABIC = /^\d+(\.\d+)*$/;
const ROMAN = /^[IVXLC]+$/;
const ROMAN_VALUE: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100 };

/** The value of a Roman numeral in canonical form (I…CCCXCIX), or null ("IIII", "VX" are not). */
export function romanValue(s: string): number | null {
  if (!ROMAN.test(s)) return null;
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const v = ROMAN_VALUE[s[i]];
    const next = i + 1 < s.length ? ROMAN_VALUE[s[i + 1]] : 0;
    total += v < next ? -v : v;
  }
  return toRoman(total) === s ? total : null;
}

function toRoman(n: number): string {
  const parts: [number, string][] = [
    [100, 'C'],
    [90, 'XC'],
    [50, 'L'],
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let out = '';
  for (const [v, s] of parts) {
    while (n >= v) {
      out += s;
      n -= v;
    }
  }
  return out;
}

export type SectionKind = 'roman' | 'letter';

/**
 * Tells Roman sections from lettered ones. Lettered sections start at "A" where no numbered
 * criterion has been read yet in the current part (so "A", "B" typed as items under "1" stay
 * items) and go on letter by letter. "C", "I", "V", "X", "L" can be either: the one that
 * continues the sequence seen so far wins (A, B, C…; I, II, III, IV, V…); otherwise they are
 * Roman, as they always were. A letter titled as a block ("D. Điểm trừ") is a section anyway.
 */
export class SectionReader {
  private lastLetter = 0;
  private lastRoman = 0;

  kindOf(outline: string, canStartLetters: boolean, titled = false): SectionKind | null {
    const n = /^[A-Z]$/.test(outline) ? outline.charCodeAt(0) - 64 : 0;
    const nextLetter = n > 0 && ((this.lastLetter > 0 && n === this.lastLetter + 1) || (n === 1 && canStartLetters));
    const roman = romanValue(outline);
    const nextRoman = roman !== null && this.lastRoman > 0 && roman === this.lastRoman + 1;
    let kind: SectionKind | null = null;
    if (nextLetter && !nextRoman) kind = 'letter';
    else if (roman !== null) kind = 'roman';
    // A bonus or penalty title makes its letter a section wherever it sits.
    else if (n > 0 && titled) kind = 'letter';
    if (kind === 'letter') this.lastLetter = n;
    if (kind === 'roman') this.lastRoman = roman as number;
    return kind;
  }
}

const BLOCK_TEXT =
  /^(?:phan\s+)?(?:(?:[ivxlc]+|\d+|[a-z])[.)/:-]?\s+)?(?:(?:cac\s+)?(?:tieu chi|noi dung)\s+)?(diem cong|diem thuong|diem tru)(?![a-z])/;

/** The block a title names: "Điểm cộng", "B. ĐIỂM THƯỞNG", "III - Điểm trừ"… (null for any other text). */
export function blockOfText(text: string): Block | null {
  const m = BLOCK_TEXT.exec(normalizeLabel(text));
  if (!m) return null;
  return m[1] === 'diem tru' ? 'penalty' : 'bonus';
}

/** Characters that start a bullet line. */
const BULLET_CHARS = '-+•*–—·◦○▪■►➢✓';
const BULLET_ONLY = new RegExp(`^[${BULLET_CHARS}]+$`);
const BULLET_START = new RegExp(`^[${BULLET_CHARS}]`);

export function isBulletOutline(outline: string): boolean {
  return BULLET_ONLY.test(outline);
}

export function startsWithBullet(text: string): boolean {
  return BULLET_START.test(text.trim());
}

export interface TotalLabel {
  /**
   * The section the row totals, as written in its label ("Cộng mục 1" → "1", "Tổng điểm phần I"
   * → "i", lower-case), or null.
   */
  ref: string | null;
  /** The block the row totals ("Cộng điểm thưởng", "Tổng điểm trừ"), or null. */
  block: Block | null;
}

const TOTAL_HEAD = /^(tong cong|tong so diem|tong diem|tong so|tong|cong)(?![a-z0-9])(.*)$/;
const SECTION_REF = /^(?:diem\s+)?(?:(?:cua\s+)?(?:phan|muc|nhom|linh vuc|tieu chi|chi so|khoi|chuong)\s+)?([ivxlc]+|[a-z]|\d+(?:\.\d+)*)$/;
const BLOCK_REF = /^(?:cac\s+)?(?:tieu chi\s+)?(?:diem\s+)?(cong|thuong|tru)(?![a-z])/;
/** Heads that make a total whatever words follow ("Tổng điểm tự chấm", "Tổng cộng điểm đạt được"). */
const STRONG_HEADS = new Set(['tong cong', 'tong so diem', 'tong diem']);

/**
 * Reads a total row's label. An unqualified total ("Cộng", "Tổng cộng", "Tổng điểm (I+II)")
 * has neither a section nor a block. "Tổng cộng", "Tổng điểm", "Tổng số điểm" may be followed by
 * any words; a bare "Cộng"/"Tổng" only by a section, a block, or words starting "điểm"/"các",
 * so "Cộng đồng…", "Công khai…" or "Tổng số hồ sơ…" are not totals.
 */
export function totalLabel(value: unknown): TotalLabel | null {
  const s = normalizeLabel(value);
  if (s === '' || s.length > 120) return null;
  const m = TOTAL_HEAD.exec(s);
  if (!m) return null;
  const rest = m[2];
  const none = { ref: null, block: null };
  if (/\+/.test(rest)) return none;
  const words = rest
    .replace(/[():;,=\-–]|\.(?!\d)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (words === '' || words === 'diem') return none;
  const ref = SECTION_REF.exec(words);
  if (ref) return { ref: ref[1], block: null };
  // "Cộng điểm thưởng", "Tổng điểm trừ" ("Tổng cộng" itself is no bonus)
  const block = BLOCK_REF.exec(words);
  if (block && (m[1] !== 'tong cong' || /^(?:cac\s+)?(?:tieu chi\s+)?diem\s/.test(words))) {
    return { ref: null, block: block[1] === 'tru' ? 'penalty' : 'bonus' };
  }
  return STRONG_HEADS.has(m[1]) || /^(diem|cac)\s/.test(words) ? none : null;
}

/** "1", "(2)", "3=1+2" → 1, 2, 3; "A", "(B)" → 1, 2 with kind "letter". */
function columnToken(value: unknown): { n: number; letter: boolean } | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value < 1000 ? { n: value, letter: false } : null;
  const s = cellText(value).replace(/\s+/g, '');
  const num = /^\(?(\d{1,3})\)?(?:=.*)?$/.exec(s);
  if (num) return { n: Number(num[1]), letter: false };
  const letter = /^\(?([A-Za-z])\)?$/.exec(s);
  if (letter) return { n: letter[1].toUpperCase().charCodeAt(0) - 64, letter: true };
  return null;
}

/**
 * The row that numbers the columns under a header ("1 2 3 … 9", "(1) (2) (3)", "A B C"): at
 * least three cells, all column numbers of one kind counting up by one, the criterion column
 * among them (a criterion's text is never a bare number).
 */
export function isColumnNumberRow(row: readonly unknown[], textCol: number | undefined, width = row.length): boolean {
  let prev: { n: number; letter: boolean } | null = null;
  let count = 0;
  let textIsToken = false;
  for (let c = 0; c < Math.min(row.length, width); c++) {
    if (isBlank(row[c])) continue;
    const t = columnToken(row[c]);
    if (!t || (prev && (t.letter !== prev.letter || t.n !== prev.n + 1))) return false;
    prev = t;
    count++;
    if (c === textCol) textIsToken = true;
  }
  return count >= 3 && textIsToken;
}
