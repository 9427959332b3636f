/** Contract of the emulated DocumentApp (document.ts) and of DriveApp's parents and moveTo (services.ts). */
import { createFakeEnv } from './index';

const FOLDER = { dir: { name: 'Thư mục', mimeType: 'application/vnd.google-apps.folder' } };

describe('DocumentApp', () => {
  test('create files a new document in the root of My Drive; it starts with one empty paragraph', () => {
    const e = createFakeEnv({ driveFiles: FOLDER, spreadsheetFolder: 'dir' });
    const doc = e.gas.DocumentApp.create('Báo cáo');
    expect(doc.getName()).toBe('Báo cáo');
    expect(doc.getUrl()).toBe(`https://docs.google.com/open?id=${doc.getId()}`);
    const file = e.gas.DriveApp.getFileById(doc.getId());
    expect(file.getName()).toBe('Báo cáo');
    expect(file.getParents().next().getId()).toBe('root');
    expect(e.gas.DriveApp.getFileById(e.ss._id).getParents().next().getId()).toBe('dir');
    const body = doc.getBody();
    expect(body.getNumChildren()).toBe(1);
    expect(body.getChild(0).asParagraph().getText()).toBe('');
  });

  test('text styles take inclusive offsets inside the text, or the whole text', () => {
    const e = createFakeEnv();
    const body = e.gas.DocumentApp.create('x').getBody();
    const p = body.appendParagraph('Số: 12');
    const t = p.editAsText();
    t.setBold(0, 2, true).setFontSize(13);
    expect(() => t.setBold(0, 6, true)).toThrow('Index (6) must be less than the content length (6).');
    expect(() => body.appendParagraph('').editAsText().setBold(0, 0, true)).toThrow(/content length \(0\)/);
    expect(() => t.setBold(0, 1, 'yes' as unknown as boolean)).toThrow(/don't match the method signature for Text.setBold/);
    const raw = e.documents[0]._body._children[1] as unknown as { _styles: { bold?: boolean; fontSize?: number }[] };
    expect(raw._styles.map((s) => [s.bold ?? false, s.fontSize])).toEqual([
      [true, 13],
      [true, 13],
      [true, 13],
      [false, 13],
      [false, 13],
      [false, 13],
    ]);
  });

  test('the last paragraph of the body cannot be removed; tables hold one paragraph per cell', () => {
    const e = createFakeEnv();
    const body = e.gas.DocumentApp.create('x').getBody();
    const first = body.getChild(0);
    expect(() => first.removeFromParent()).toThrow("Can't remove the last paragraph in a document section.");
    const table = body.appendTable([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(() => first.removeFromParent()).toThrow("Can't remove the last paragraph in a document section.");
    body.appendParagraph('sau bảng');
    first.removeFromParent();
    expect(body.getNumChildren()).toBe(2);
    expect(table.getCell(1, 0).getChild(0).asParagraph().getText()).toBe('c');
    expect(() => table.setColumnWidth(2, 10)).toThrow('Index (2) must be less than the number of columns (2).');
    expect(() => table.getCell(2, 0)).toThrow(/Child index \(2\)/);
  });

  test('DocumentApp needs authorization', () => {
    const e = createFakeEnv();
    e.setAuthMode('LIMITED');
    expect(() => e.gas.DocumentApp.create('x')).toThrow(/Required permissions: .*auth\/documents/);
  });
});

describe('DriveApp parents and moveTo', () => {
  test('moveTo puts the file in one folder; a file is no destination; an iterator ends', () => {
    const e = createFakeEnv({ driveFiles: { ...FOLDER, f: { name: 'tệp' } } });
    const { DriveApp } = e.gas;
    const file = DriveApp.getFileById('f');
    file.moveTo(DriveApp.getFolderById('dir'));
    const parents = DriveApp.getFileById('f').getParents();
    expect(parents.next().getName()).toBe('Thư mục');
    expect(parents.hasNext()).toBe(false);
    expect(() => parents.next()).toThrow('Cannot retrieve the next object: iterator has reached the end.');
    expect(() => file.moveTo(DriveApp.getFileById('f') as unknown as GoogleAppsScript.Drive.Folder)).toThrow(
      /method signature for File.moveTo/,
    );
  });
});
