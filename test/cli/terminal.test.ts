/**
 * Text from a sheet on its way to the terminal: escape sequences, bell, other C0 and C1 controls
 * and bidirectional overrides are dropped from the plain report of every command, and escaped in
 * --json, which still parses to the very same text.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main';
import { jsonText, plainText } from '../../src/cli/terminal';
import { cellValue } from '../../src/cli/xlsx/read';
import { buildXlsx, type Cell } from './xlsx-fixtures';

/** Every character the terminal must not receive from a sheet. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

// XML cannot hold C0 controls: OOXML writes them as _xHHHH_ (Excel does so for CHAR(27) and the
// like); C1 controls and bidirectional marks go in as they are.
const SHEET = 'Đơn vị \u202eĐỎ\u009b31m';
const SELF_TEXT_XML = 'năm_x001B_[31m đỏ_x0007_\u202e';
const CRITERION = 'Tiêu chí \u2066một\u2069 \u0085';

let dir: string;
let file: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chamdiem-tty-'));
  const rows: Cell[][] = [
    ['BIỂU CHẤM ĐIỂM'],
    ['STT', 'Tiêu chí', 'Điểm tối đa', 'Điểm tự chấm'],
    ['1', CRITERION, 60, SELF_TEXT_XML],
    ['2', 'Tiêu chí hai', 40, 30],
  ];
  file = join(dir, 'bieu\u202eslx.xlsx');
  writeFileSync(file, await buildXlsx([{ name: SHEET, rows }]));
});

describe('the plain report of every command', () => {
  const FILE_NAME = 'bieuslx.xlsx'; // overrides dropped
  const SHEET_SHOWN = 'Đơn vị ĐỎ31m';
  it.each([
    ['score', [], [FILE_NAME, SHEET_SHOWN, 'năm[31m đỏ']],
    ['summary', [], [SHEET_SHOWN]],
    ['remind', ['--today', '2026-06-12'], [FILE_NAME]],
    ['plan', ['--out', 'PLAN'], [SHEET_SHOWN]],
  ])('%s prints no control character, and the text around them is still there', async (command, extra, shown) => {
    const args = extra.map((a) => (a === 'PLAN' ? join(dir, `${command}-out.xlsx`) : a));
    const r = await cli(command, file, ...args);
    expect(r.code).toBe(0);
    for (const text of [r.out, r.err]) expect(text).not.toMatch(UNSAFE);
    for (const text of shown) expect(r.out).toContain(text);
  });

  it('an error message too', async () => {
    const r = await cli('score', join(dir, 'khong-co\u001b[2J\u202e.xlsx'));
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(UNSAFE);
    expect(r.err).toContain('khong-co[2J.xlsx');
  });
});

describe('--json', () => {
  it('is valid JSON holding the very same text, with the controls escaped', async () => {
    const r = await cli('score', file, '--json');
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(UNSAFE);
    expect(r.out).toContain('\\u202e');
    expect(r.out).toContain('\\u009b');
    const json = JSON.parse(r.out);
    expect(json.file).toBe(file);
    expect(json.sheets[0].sheet).toBe(SHEET);
    // (whether the reader keeps the control characters of a score cell is up to the core)
    const finding = json.sheets[0].findings.find((f: { rule: string }) => f.rule === 'score-not-number');
    expect(finding.message).toMatch(/"năm\u001b?\[31m đỏ/);
  });

  it('of every command parses', async () => {
    for (const args of [
      ['summary', file, '--json'],
      ['remind', file, '--today', '2026-06-12', '--json'],
      ['plan', file, '--json', '--out', join(dir, 'plan-json.xlsx')],
    ]) {
      const r = await cli(...args);
      expect({ args, code: r.code }).toEqual({ args, code: 0 });
      expect(r.out).not.toMatch(UNSAFE);
      expect(() => JSON.parse(r.out)).not.toThrow();
    }
  });
});

describe('terminal.ts', () => {
  it('plainText keeps tabs, line feeds and every printable character', () => {
    const printable = 'Điểm\ttự chấm\nđạt 98,5% — “Xuất sắc” ✓ 𝔸';
    expect(plainText(printable)).toBe(printable);
    expect(plainText('a\u001b[31mb\u0007c\r\u009bd\u202ee\u2067f\u2069g\u007f')).toBe('a[31mbcdefg');
  });

  it('jsonText gives JSON that parses to the same value for every character from U+0000 to U+FFFF', () => {
    const all = Array.from({ length: 0x10000 }, (_, i) => String.fromCharCode(i))
      .filter((c) => !/[\ud800-\udfff]/.test(c))
      .join('');
    const text = jsonText(JSON.stringify({ all }, null, 2));
    expect(text).not.toMatch(UNSAFE);
    expect(JSON.parse(text).all).toBe(all);
  });
});

describe('reading text the way OOXML escapes it', () => {
  it('_xHHHH_ is the character, _x005F_ a literal underscore', () => {
    expect(cellValue('dòng_x000D_\nmới')).toBe('dòng\r\nmới');
    expect(cellValue('chữ _x005F_x000D_ giữ nguyên')).toBe('chữ _x000D_ giữ nguyên');
    expect(cellValue({ richText: [{ text: 'a_x0007_' }, { text: 'b' }] })).toBe('a\u0007b');
  });
});
