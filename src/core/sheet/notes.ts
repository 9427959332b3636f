/**
 * Cell notes and highlights owned by the add-on. Our part of a note follows a marker line, so a
 * note a person wrote is kept as it is and only our part is refreshed or removed.
 */
import { type Finding, type Severity, SEVERITY_LABEL } from '../engine/findings';

/** The line that starts the add-on's part of a note; it may carry the cell's original background. */
const MARKER_WORDS = 'Chấm điểm tự động';
const MARKER_WITH_BG = new RegExp(`^— ${MARKER_WORDS}(?: \\(nền gốc (#[0-9a-fA-F]{6})\\))? —$`, 'm');

function marker(originalBackground: string | null): string {
  const bg = originalBackground && !/^#ffffff$/i.test(originalBackground) ? ` (nền gốc ${originalBackground.toLowerCase()})` : '';
  return `— ${MARKER_WORDS}${bg} —`;
}

/** The marker line of a note of ours on a cell whose background was the default. */
export const NOTE_MARKER = marker(null);

export const HIGHLIGHT: Record<Severity, string> = { error: '#f4c7c3', warning: '#fce8b2', info: '#d2e3fc' };

export interface ParsedNote {
  /** What a person wrote (without our part). */
  person: string;
  /** Whether the note carries our part. */
  ours: boolean;
  /** The cell's background before we highlighted it, when it was not the default. */
  originalBackground: string | null;
}

export function parseNote(note: unknown): ParsedNote {
  const text = typeof note === 'string' ? note : '';
  const m = MARKER_WITH_BG.exec(text);
  if (!m) return { person: text, ours: false, originalBackground: null };
  return { person: text.slice(0, m.index).replace(/\n+$/, ''), ours: true, originalBackground: m[1] ?? null };
}

/** The note text for a cell's findings, in Vietnamese. */
export function findingsNoteText(findings: readonly Finding[]): string {
  return findings.map((f) => `• ${SEVERITY_LABEL[f.severity]}: ${f.message}`).join('\n');
}

/** The cell's new note: the person's part kept, ours replaced (or removed when `ours` is null). */
export function mergeNote(existing: unknown, ours: string | null, originalBackground: string | null): string {
  const parsed = parseNote(existing);
  if (ours === null) return parsed.person;
  const head = parsed.person ? `${parsed.person}\n\n` : '';
  return `${head}${marker(originalBackground)}\n${ours}`;
}

/** The most severe severity among findings. */
export function worstSeverity(findings: readonly Finding[]): Severity {
  if (findings.some((f) => f.severity === 'error')) return 'error';
  if (findings.some((f) => f.severity === 'warning')) return 'warning';
  return 'info';
}

/** Groups findings by their cell (row, col). */
export function findingsByCell(findings: readonly Finding[]): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.row}:${f.col}`;
    const list = map.get(key);
    if (list) list.push(f);
    else map.set(key, [f]);
  }
  return map;
}
