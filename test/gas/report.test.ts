/** "Lập báo cáo": the built add-on writes the papers as a Google Docs document beside the spreadsheet (on the stand-ins). */
import type { DocumentImpl, ParagraphImpl, TableImpl } from '../../dev/gas-emulator/document';
import { UNITS } from '../../scripts/example-data';
import { exampleEnv } from './harness';

const FOLDER = 'folderChamDiem2026';
const folder = { [FOLDER]: { name: 'Chấm điểm 2026', mimeType: 'application/vnd.google-apps.folder' } };
const mm = (points: number) => Math.round((points * 25.4) / 72);

function made(opts: Parameters<typeof exampleEnv>[0] = { driveFiles: folder, spreadsheetFolder: FOLDER }) {
  const { env, addon } = exampleEnv(opts);
  return { env, addon, doc: () => env.documents[env.documents.length - 1] as DocumentImpl };
}

const tables = (d: DocumentImpl) => d._body._children.filter((c): c is TableImpl => c._cls === 'Table');
const cellTexts = (t: TableImpl) => t._rows.map((r) => r.map((c) => c.getText()));

describe('Lập báo cáo', () => {
  it('writes the results report as an A4 document with the decree margins, in the spreadsheet folder', () => {
    const { env, addon, doc } = made();
    addon.menuReportResult();
    expect(env.documents).toHaveLength(1);
    const d = doc();
    expect(d._name).toBe('Báo cáo kết quả chấm điểm CCHC 2026 - xã Phước Chánh (2026-11-23)');
    const page = d._body._page;
    expect([mm(page.width), mm(page.height), mm(page.top), mm(page.bottom), mm(page.left), mm(page.right)]).toEqual([
      210, 297, 20, 20, 30, 15,
    ]);
    expect(env.gas.DriveApp.getFileById(d._id).getParents().next().getId()).toBe(FOLDER);
    expect(env.ui.alerts.at(-1)?.message).toContain(`trong cùng thư mục với bảng tính`);
    expect(env.ui.alerts.at(-1)?.message).toContain(`https://docs.google.com/open?id=${d._id}`);
    expect(d._open).toBe(false);

    // The header block starts the page (the new document's empty paragraph is gone).
    const [header, results] = tables(d);
    expect(d._body._children[0]).toBe(header);
    expect(header._borderWidth).toBe(0);
    expect(cellTexts(header)).toEqual([
      [
        'ỦY BAN NHÂN DÂN\nXÃ PHƯỚC CHÁNH\nSố: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/BC-UBND',
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nPhước Chánh, ngày 23 tháng 11 năm 2026',
      ],
    ]);
    const motto = header.getCell(0, 1)._children[1];
    expect(motto._styles.every((s) => s.bold && s.underline && s.fontFamily === 'Times New Roman')).toBe(true);

    // Figures checked against the workbook's cells read by LibreOffice in test/cli/report.test.ts.
    expect(cellTexts(results)[0]).toEqual(['STT', 'Đơn vị', 'Tự chấm', 'Thẩm định', 'Sau giải trình', 'Tỷ lệ (%)', 'Xếp loại', 'Thứ hạng']);
    expect(cellTexts(results)[1]).toEqual(['1', 'Văn phòng HĐND và UBND xã', '98,5', '97,5', '-', '97,5', 'Xuất sắc', '3']); // ranked on self: 100, 98,958 above
    expect(
      cellTexts(results)
        .map((r) => r[1])
        .slice(1),
    ).toEqual(UNITS.map((u) => u.name));
    expect(results.getCell(0, 0)._background).toBe('#e7eef7');

    // The bar of a unit is shaded, as long as its percent of a full bar.
    const bars = tables(d)[2];
    const bar = bars.getCell(0, 1)._children[0];
    expect(bar._styles.every((s) => s.backgroundColor === '#4f81bd')).toBe(true);
    expect(bars.getCell(0, 2).getText()).toBe('97,5');
    expect(bar._text.length).toBe(Math.round(0.975 * 60));

    const signature = tables(d).at(-1) as TableImpl;
    expect(signature.getCell(0, 0).getText().split('\n')[0]).toBe('Nơi nhận:');
    expect(signature.getCell(0, 1).getText().split('\n').slice(0, 3)).toEqual(['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
    const paragraphs = d._body._children.filter((c): c is ParagraphImpl => c._cls === 'Paragraph' && c._text !== '');
    expect(paragraphs.every((p) => p._styles.every((s) => s.fontFamily === 'Times New Roman' && (s.fontSize ?? 0) >= 11))).toBe(true);
  });

  it('writes one notice per unit, separated by page breaks', () => {
    const { addon, doc } = made();
    addon.menuReportNotice();
    const children = doc()._body._children;
    expect(children.filter((c) => c._cls === 'PageBreak')).toHaveLength(UNITS.length - 1);
    const titles = children.filter((c) => c._cls === 'Paragraph' && (c as ParagraphImpl)._text.startsWith('Kính gửi: '));
    expect(titles.map((p) => (p as ParagraphImpl)._text)).toEqual(UNITS.map((u) => `Kính gửi: ${u.name}`));
  });

  it('names the milestone in the progress report', () => {
    const { addon, doc } = made();
    addon.menuReportProgress();
    expect(doc()._body.getText()).toContain('Tiến độ chấm điểm cải cách hành chính năm 2026\nđến mốc ngày 10/11/2026');
  });

  it('leaves the document in My Drive, and says so, when the spreadsheet folder cannot be reached', () => {
    const { env, addon, doc } = made({ spreadsheetFolder: 'folderSharedWithMe' });
    addon.menuReportResult();
    expect(env.gas.DriveApp.getFileById(doc()._id).getParents().next().getId()).toBe('root');
    expect(env.ui.alerts.at(-1)?.message).toContain('trong "Drive của tôi"');
  });
});
