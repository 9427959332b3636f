/** The plan's naming pattern for evidence files. */
/** One line of text, at most `max` characters, cut at a word boundary, no trailing punctuation. */
export function shortenText(text: string, max: number): string {
  const s = text
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (s.length <= max) return s;
  let cutAt = s.lastIndexOf(' ', max);
  if (cutAt < max / 2) cutAt = max;
  return s.slice(0, cutAt).replace(/[\s,;:.\-–—(/]+$/, '');
}

export interface FileNameParts {
  /** The unit's name (Cấu hình units table), else the sheet name. */
  unit: string;
  /** The top-level section's text. */
  group: string;
  /** The criterion's text. */
  content: string;
  /** MM/yyyy. */
  time: string;
}

/** The plan's pattern: "Tên đơn vị - Nhóm nhiệm vụ - Nội dung minh chứng - Thời gian". */
export function evidenceFileName(p: FileNameParts): string {
  const parts = [shortenText(p.unit, 60), shortenText(p.group, 60), shortenText(p.content, 80), p.time.trim()];
  return parts.filter((x) => x !== '').join(' - ');
}
