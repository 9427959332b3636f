/** Pure helpers of the evidence sidebar: link checks, Drive ids, evidence cells, scores, file names. */
import { appendLink, bareUrls, cellFromRuns, hasUsableLink, otherTextOf, removeLink } from '../../../src/core/evidence/cell';
import { checkExplanation, parseScoreInput } from '../../../src/core/evidence/input';
import { checkUrl, displayText, driveIdOf, isSafeHref, linkTextMisleads, MAX_URL_LENGTH, sameUrl } from '../../../src/core/evidence/links';
import { evidenceFileName, shortenText } from '../../../src/core/evidence/naming';

describe('checkUrl', () => {
  test.each([
    ['https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUv/view?usp=sharing', 'drive-file', '1AbCdEfGhIjKlMnOpQrStUv'],
    ['https://drive.google.com/file/u/1/d/1AbCdEfGhIjKlMnOpQrStUv/view', 'drive-file', '1AbCdEfGhIjKlMnOpQrStUv'],
    ['https://drive.google.com/open?id=1AbCdEfGhIjKlMnOpQrStUv', 'drive-file', '1AbCdEfGhIjKlMnOpQrStUv'],
    ['https://drive.google.com/uc?export=download&id=1AbCdEfGhIjKlMnOpQrStUv', 'drive-file', '1AbCdEfGhIjKlMnOpQrStUv'],
    ['https://drive.google.com/drive/folders/1FolderIdAbCdEfGhIjKl?usp=drive_link', 'drive-folder', '1FolderIdAbCdEfGhIjKl'],
    ['https://drive.google.com/drive/u/0/folders/1FolderIdAbCdEfGhIjKl', 'drive-folder', '1FolderIdAbCdEfGhIjKl'],
    ['https://docs.google.com/document/d/1DocIdAbCdEfGhIjKlMn/edit#heading=h.1', 'document', '1DocIdAbCdEfGhIjKlMn'],
    ['https://docs.google.com/spreadsheets/d/1SheetIdAbCdEfGhIjKl/edit#gid=0', 'spreadsheet', '1SheetIdAbCdEfGhIjKl'],
    ['https://docs.google.com/presentation/d/1SlideIdAbCdEfGhIjKl/edit', 'presentation', '1SlideIdAbCdEfGhIjKl'],
    ['https://docs.google.com/forms/d/1FormIdAbCdEfGhIjKlMn/edit', 'form', '1FormIdAbCdEfGhIjKlMn'],
    ['https://docs.google.com/document/u/0/d/1DocIdAbCdEfGhIjKlMn/edit', 'document', '1DocIdAbCdEfGhIjKlMn'],
  ])('%s is a Google file', (url, kind, id) => {
    const c = checkUrl(url);
    expect(c).toMatchObject({ ok: true, kind, driveId: id, url });
    expect(driveIdOf(url)).toBe(id);
  });

  test('a published form (/forms/d/e/…) and other sites have no Drive id', () => {
    expect(checkUrl('https://docs.google.com/forms/d/e/1FAIpQLSf_abcdefghijk/viewform')).toMatchObject({
      ok: true,
      kind: 'web',
      driveId: null,
    });
    expect(checkUrl('https://dichvucong.gov.vn/p/home/dvc-trang-chu.html')).toMatchObject({ ok: true, kind: 'web', driveId: null });
    expect(checkUrl('https://example.com/drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUv')).toMatchObject({ ok: true, driveId: null });
  });

  test('scheme and host are normalised; a bare host gets https://', () => {
    expect(checkUrl('  HTTPS://Drive.Google.COM/file/d/1AbCdEfGhIjKlMnOpQrStUv/view \n')).toMatchObject({
      ok: true,
      url: 'https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUv/view',
    });
    expect(checkUrl('drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUv/view')).toMatchObject({
      ok: true,
      url: 'https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUv/view',
      kind: 'drive-file',
    });
    expect(checkUrl('www.gialai.gov.vn')).toMatchObject({ ok: true, url: 'https://www.gialai.gov.vn' });
    expect(checkUrl('http://localhost.localdomain:8080/a')).toMatchObject({ ok: true, url: 'http://localhost.localdomain:8080/a' });
  });

  test.each([
    ['javascript:alert(1)', 'http:// hoặc https://'],
    ['JavaScript:window.__xss=1', 'http:// hoặc https://'],
    ['javascript://drive.google.com/%0Aalert(1)', 'http:// hoặc https://'],
    ['data:text/html,<script>alert(1)</script>', 'http:// hoặc https://'],
    ['https://drive.google.com/"><img src=x onerror=alert(1)>', 'ký tự không hợp lệ'],
    ['data:text/html;base64,PHNjcmlwdD4=', 'http:// hoặc https://'],
    ['vbscript:msgbox(1)', 'http:// hoặc https://'],
    ['file:///C:/minh-chung.pdf', 'http:// hoặc https://'],
    ['ftp://example.com/a.zip', 'http:// hoặc https://'],
    ['mailto:vanphong@gialai.gov.vn', 'http:// hoặc https://'],
    ['https://user:pass@drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUv', 'tên đăng nhập'],
    ['https://drive.google.com\\@evil.com/', 'ký tự không hợp lệ'],
    ['https://drive.google.com/a b', 'khoảng trắng'],
    ['https://a.com/x\nhttps://b.com/y', 'khoảng trắng'],
    ['https://', 'Tên miền'],
    ['https:///path', 'Tên miền'],
    ['http:/example.com', 'không đúng dạng'],
    ['https://intranet/path', 'Tên miền'],
    ['https://-bad-.com/', 'Tên miền'],
    ['https://example.com:99999/', 'Cổng'],
    ['Quyết định số 12/QĐ-UBND', 'không phải là một đường dẫn'],
    ['', 'Hãy dán'],
    ['   ', 'Hãy dán'],
  ])('refuses %j', (input, message) => {
    const c = checkUrl(input);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.error).toContain(message);
    expect(isSafeHref(input)).toBe(false);
  });

  test('refuses non-strings and links longer than 2,048 characters', () => {
    expect(checkUrl(undefined).ok).toBe(false);
    expect(checkUrl(42).ok).toBe(false);
    expect(checkUrl({ toString: () => 'https://a.com' }).ok).toBe(false);
    const long = `https://example.com/${'a'.repeat(MAX_URL_LENGTH)}`;
    expect(checkUrl(long)).toEqual({ ok: false, error: 'Đường dẫn dài quá 2.048 ký tự.' });
    expect(checkUrl(long.slice(0, MAX_URL_LENGTH)).ok).toBe(true);
  });

  test('sameUrl compares normalised links', () => {
    expect(
      sameUrl(
        'HTTPS://DRIVE.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUv/view',
        'https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUv/view',
      ),
    ).toBe(true);
    expect(sameUrl('https://a.com/X', 'https://a.com/x')).toBe(false);
  });
});

describe('evidence cells', () => {
  const A = 'https://drive.google.com/file/d/1AaaaaaaaaaaaaaaaaaaA/view';
  const B = 'https://docs.google.com/document/d/1BbbbbbbbbbbbbbbbbbbB/edit';

  test('bare URLs in text, trailing punctuation left out, balanced brackets kept', () => {
    expect(bareUrls(`Xem ${A}, và (${B}).`).map((l) => l.url)).toEqual([A, B]);
    expect(bareUrls('https://vi.wikipedia.org/wiki/A_(B)').map((l) => l.url)).toEqual(['https://vi.wikipedia.org/wiki/A_(B)']);
    expect(bareUrls('không có liên kết')).toEqual([]);
  });

  test('rich-text runs and bare URLs make the links; adjacent runs of one link merge', () => {
    const text = `Quyết định 12\n${B}`;
    const cell = cellFromRuns(text, [
      { start: 0, end: 8, url: A },
      { start: 8, end: 13, url: A },
      { start: 13, end: 14, url: null },
    ]);
    expect(cell.links).toEqual([
      { start: 0, end: 13, url: A },
      { start: 14, end: 14 + B.length, url: B },
    ]);
    expect(hasUsableLink(cell)).toBe(true);
    expect(hasUsableLink(cellFromRuns('Đang bổ sung'))).toBe(false);
    expect(hasUsableLink(cellFromRuns('xem', [{ start: 0, end: 3, url: 'javascript:alert(1)' }]))).toBe(false);
  });

  test('appendLink keeps what was in the cell and adds one line', () => {
    const cell = cellFromRuns(`Quyết định 12\n${A}\n\n`, [{ start: 0, end: 13, url: B }]);
    const next = appendLink(cell, 'https://example.com/c');
    expect(next.text).toBe(`Quyết định 12\n${A}\nhttps://example.com/c`);
    expect(next.links.map((l) => [next.text.slice(l.start, l.end), l.url])).toEqual([
      ['Quyết định 12', B],
      [A, A],
      ['https://example.com/c', 'https://example.com/c'],
    ]);
    expect(appendLink(cellFromRuns(''), A)).toEqual({ text: A, links: [{ start: 0, end: A.length, url: A }] });
  });

  test('removeLink drops the link and its line when nothing else is on it', () => {
    const cell = cellFromRuns(`Ghi chú của đơn vị\n${A}\nQuyết định 12: ${B}`);
    const noA = removeLink(cell, A)!;
    expect(noA.text).toBe(`Ghi chú của đơn vị\nQuyết định 12: ${B}`);
    expect(noA.links.map((l) => noA.text.slice(l.start, l.end))).toEqual([B]);
    const noB = removeLink(noA, B)!;
    expect(noB.text).toBe('Ghi chú của đơn vị\nQuyết định 12: ');
    expect(noB.links).toEqual([]);
    expect(otherTextOf(noB)).toBe('Ghi chú của đơn vị\nQuyết định 12:');
  });

  test('removeLink of the last line, of the only link, of a missing link', () => {
    const two = cellFromRuns(`${A}\n${B}`);
    const first = removeLink(two, B)!;
    expect(first).toEqual({ text: A, links: [{ start: 0, end: A.length, url: A }] });
    expect(removeLink(first, A)).toEqual({ text: '', links: [] });
    expect(removeLink(first, B)).toBeNull();
    const listed = cellFromRuns(`${A}, ${B}`);
    const rest = removeLink(listed, A)!;
    expect(rest.text).toBe(`, ${B}`);
    expect(rest.links.map((l) => rest.text.slice(l.start, l.end))).toEqual([B]);
  });

  test('an unsafe link run can be removed by its exact URL', () => {
    const cell = cellFromRuns(`bấm vào đây\n${A}`, [{ start: 0, end: 11, url: 'javascript:alert(1)' }]);
    const next = removeLink(cell, 'javascript:alert(1)')!;
    expect(next).toEqual({ text: A, links: [{ start: 0, end: A.length, url: A }] });
  });

  test('otherTextOf is the text that is not a link', () => {
    expect(otherTextOf(cellFromRuns(`${A}\n${B}`))).toBe('');
    expect(otherTextOf(cellFromRuns(`Đang bổ sung, gửi sau 15/6\n${A}`))).toBe('Đang bổ sung, gửi sau 15/6');
  });
});

describe('parseScoreInput', () => {
  test.each([
    ['1,5', 2, 1.5],
    ['1.5', 2, 1.5],
    [' 2 ', 2, 2],
    ['0', 2, 0],
    [0.25, 1, 0.25],
    ['12,25', null, 12.25],
  ])('%j (max %j) is %j', (input, max, value) => {
    expect(parseScoreInput(input, max)).toEqual({ ok: true, value });
  });

  test('"Chưa tính điểm" and "Không áp dụng" are stored with diacritics; empty clears', () => {
    expect(parseScoreInput('Chưa tính điểm', 2)).toEqual({ ok: true, value: 'Chưa tính điểm' });
    expect(parseScoreInput('chua tinh diem', 2)).toEqual({ ok: true, value: 'Chưa tính điểm' });
    expect(parseScoreInput('không áp dụng', 2)).toEqual({ ok: true, value: 'Không áp dụng' });
    expect(parseScoreInput('N/A', 2)).toEqual({ ok: true, value: 'Không áp dụng' });
    expect(parseScoreInput('  ', 2)).toEqual({ ok: true, value: '' });
  });

  test.each([
    ['2,5', 2, 'vượt điểm tối đa 2'],
    ['-1', 2, 'không được âm'],
    ['đạt', 2, '"đạt" không phải là điểm'],
    ['1,5,2', 2, 'không phải là điểm'],
    ['=A1', 2, 'không phải là điểm'],
  ])('%j (max %j) is refused', (input, max, message) => {
    const r = parseScoreInput(input, max);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toContain(message);
      expect(r.error).toContain('từ 0 đến 2');
    }
  });

  test('non-text input is refused', () => {
    expect(parseScoreInput(null, 2).ok).toBe(false);
    expect(parseScoreInput({}, 2).ok).toBe(false);
    expect(parseScoreInput(['1'], 2).ok).toBe(false);
  });
});

describe('checkExplanation', () => {
  test('trims, normalises line breaks, limits to 2,000 characters', () => {
    expect(checkExplanation('  Hoàn thành 75%\r\nkế hoạch \u0007')).toEqual({ ok: true, value: 'Hoàn thành 75%\nkế hoạch' });
    expect(checkExplanation('a'.repeat(2000)).ok).toBe(true);
    expect(checkExplanation('a'.repeat(2001))).toEqual({ ok: false, error: 'Giải trình dài 2.001 ký tự, tối đa 2.000 ký tự.' });
    expect(checkExplanation(5).ok).toBe(false);
  });
});

describe('evidence file names', () => {
  test('the plan pattern with the criterion text shortened at a word', () => {
    const name = evidenceFileName({
      unit: 'Công an xã',
      group: 'CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC',
      content: 'Ban hành kế hoạch CCHC năm đầy đủ nội dung, phân công trách nhiệm, sản phẩm, thời gian thực hiện',
      time: '11/2026',
    });
    expect(name).toBe(
      'Công an xã - CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC - Ban hành kế hoạch CCHC năm đầy đủ nội dung, phân công trách nhiệm, ' +
        'sản phẩm - 11/2026',
    );
  });

  test('line breaks and empty parts', () => {
    expect(evidenceFileName({ unit: 'Trạm\nY tế', group: '', content: 'Kế hoạch', time: '06/2026' })).toBe(
      'Trạm Y tế - Kế hoạch - 06/2026',
    );
    expect(shortenText('a'.repeat(100), 10)).toBe('a'.repeat(10));
    expect(shortenText('một hai ba, bốn', 11)).toBe('một hai ba');
  });
});

describe('links that mislead a reader', () => {
  test('a shown text naming another host than the target is flagged; a plain label is not', () => {
    expect(linkTextMisleads('drive.google.com/file/d/1abc', 'https://evil.example.com/x')).toBe(true);
    expect(linkTextMisleads('https://www.drive.google.com/abc', 'https://drive.google.com/file/d/1abc/view')).toBe(false);
    expect(linkTextMisleads('Biên bản họp ngày 3/6', 'https://evil.example.com/x')).toBe(false);
    expect(linkTextMisleads('https://drive.google.com/x', 'javascript:alert(1)')).toBe(true);
  });

  test('direction overrides and isolates never reach the reader', () => {
    const text = `hoá đơn \u202Efdp.exe\u2066 x\u2069 \u202A\u202B\u202C\u202D\u2067\u2068`;
    expect(displayText(text)).toBe('hoá đơn fdp.exe x ');
    // A host reversed by an override is compared as stored, not as it would be drawn: flagged.
    expect(linkTextMisleads('\u202Emoc.elgoog.evird', 'https://drive.google.com/x')).toBe(true);
  });
});
