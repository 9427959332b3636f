/**
 * The evidence sidebar in a real browser (Debian Chromium via playwright-core), 300 px wide
 * like the Sheets sidebar. The built page (dist/sidebar.html) is served by the preview server
 * (scripts/preview.ts) with a google.script.run stand-in that calls the real server functions
 * in this process, against the in-memory example workbook. Screenshots go to artifacts/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { createExampleEnv, DEMO_LINKS, type Preview, startPreview } from '../../scripts/preview';
import { exampleSettings, unitGrid } from '../../scripts/make-example';
import { cellValue, type FakeEnv } from '../../dev/gas-emulator/index';

const CHROMIUM = '/usr/bin/chromium';
const PAGE = join(process.cwd(), 'dist', 'sidebar.html');
const ARTIFACTS = join(process.cwd(), 'artifacts');
const VP = 'VP HĐND-UBND';
const TT = 'TT PVHCC';
const CA = 'Công an xã';
const DOC = 'https://docs.google.com/document/d/1DemoHanCheKeHoach2026/edit';

let browser: Browser;
let context: BrowserContext | null = null;
let preview: Preview | null = null;
let page: Page;
let env: FakeEnv;
let pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(PAGE)) throw new Error('dist/sidebar.html is missing: run "node build.mjs" first (npm test does).');
  if (!existsSync(CHROMIUM)) throw new Error('Chromium is missing: run "bash scripts/install-chromium.sh".');
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterEach(async () => {
  await context?.close();
  await preview?.close();
  context = null;
  preview = null;
  expect(pageErrors).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
});

interface OpenOptions {
  sheet: string;
  cell: string;
  driveAuthorized?: boolean;
  seed?: (env: FakeEnv) => void;
}

/** A fresh example workbook, the selection, and the sidebar loaded on it. */
async function open(o: OpenOptions): Promise<void> {
  env = createExampleEnv({ unitGrid, exampleSettings }, { driveAuthorized: o.driveAuthorized });
  o.seed?.(env);
  env.ss.setActiveCell(o.sheet, o.cell);
  preview = await startPreview({ env, latencyMs: 10 });
  context = await browser.newContext({ viewport: { width: 300, height: 700 } });
  page = await context.newPage();
  pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => {
    pageErrors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(preview.sidebarUrl);
  await page.locator('#view:not([hidden]), #empty:not([hidden])').first().waitFor();
  await page.waitForFunction(() => document.getElementById('app')?.getAttribute('aria-busy') === 'false');
}

async function waitText(selector: string, text: string, timeout = 5000): Promise<void> {
  await page.waitForFunction(
    ([s, t]) => {
      const e = document.querySelector(s);
      return !!e && (e.textContent ?? '').includes(t);
    },
    [selector, text] as const,
    { timeout },
  );
}

async function text(selector: string): Promise<string> {
  return (await page.locator(selector).textContent()) ?? '';
}

/** The whole page (scrolled to the top first: the sticky toolbar would show mid-page). */
async function shot(name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, `sidebar-${name}.png`), fullPage: true });
}

/** Nothing wider than the 300 px sidebar. */
async function expectFits(): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(300);
}

function rpcCalls(fn: string): number {
  return preview!.rpcLog.filter((c) => c.fn === fn).length;
}

test('shows the selected criterion and attaches a link using the keyboard only', async () => {
  await open({ sheet: CA, cell: 'B8' });
  expect(await text('#crit-outline')).toBe('1.1.1');
  expect(await text('#crit-text')).toMatch(/^Ban hành kế hoạch CCHC năm đầy đủ nội dung/);
  expect(await text('#crit-max')).toBe('1');
  expect(await text('#crit-self')).toBe('1');
  expect(await page.locator('#crit-sensitive').isVisible()).toBe(true);
  const link = page.locator('#links a');
  expect(await link.count()).toBe(1);
  expect(await link.getAttribute('href')).toBe('https://drive.google.com/file/d/1101-1-1MinhChung/view');
  expect(await link.getAttribute('target')).toBe('_blank');
  expect((await link.getAttribute('rel'))?.split(' ').sort()).toEqual(['noopener', 'noreferrer']);
  expect(await text('#links li')).toContain('Minh chứng 1.1.1 - Công an xã.pdf');
  expect(await text('#links .warn')).toContain('bất kỳ ai có đường liên kết');

  // Tab from the top: every stop shows a visible focus ring, and the link field is reachable.
  const stops: string[] = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const e = document.activeElement as HTMLElement;
      const s = getComputedStyle(e);
      return { id: e.id || e.tagName.toLowerCase(), outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    stops.push(focus.id);
    expect(focus.outline).not.toBe('none');
    expect(focus.width).toBeGreaterThanOrEqual(2);
    if (focus.id === 'url') break;
  }
  expect(stops).toEqual(['refresh', 'next', 'a', 'button', 'url']);

  await page.keyboard.type(DEMO_LINKS.anyoneWithLink);
  await waitText('#url-check', 'Tên tệp trên Google Drive: Báo cáo kết quả CCHC quý III năm 2026.pdf');
  expect(await text('#url-check')).toContain('Đường dẫn hợp lệ: Tệp trên Google Drive.');
  expect(await text('#url-check .warn')).toContain('Đơn vị nhạy cảm: tệp đang chia sẻ cho bất kỳ ai có đường liên kết');
  await expectFits();
  await shot('1-check-sensitive');

  await page.keyboard.press('Enter');
  await waitText('#status', 'Đã đính kèm minh chứng cho tiêu chí 1.1.1.');
  expect(await page.locator('#links li').count()).toBe(2);
  expect(await page.inputValue('#url')).toBe('');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('url');
  expect(cellValue(env, CA, 'F8')).toBe(`https://drive.google.com/file/d/1101-1-1MinhChung/view\n${DEMO_LINKS.anyoneWithLink}`);
  const rich = env.gas.SpreadsheetApp.getActive().getSheetByName(CA)!.getRange('F8').getRichTextValue()!;
  expect(
    rich
      .getRuns()
      .filter((r) => r.getLinkUrl())
      .map((r) => r.getLinkUrl()),
  ).toEqual(['https://drive.google.com/file/d/1101-1-1MinhChung/view', DEMO_LINKS.anyoneWithLink]);
  // The toolbar and the status stay in view while the page is scrolled down to the link field.
  await page.locator('#url').scrollIntoViewIfNeeded();
  const status = await page.locator('#status').boundingBox();
  expect(status!.y).toBeGreaterThanOrEqual(0);
  expect(status!.y).toBeLessThan(120);
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
  await page.screenshot({ path: join(ARTIFACTS, 'sidebar-2-attached-viewport.png') });
  await expectFits();
  await shot('2-attached');
});

test('javascript: links are refused and sheet text stays inert', async () => {
  const payload = '<img src=x onerror="window.__xss=1">Ban hành kế hoạch <script>window.__xss=2</script>';
  await open({
    sheet: VP,
    cell: 'B8',
    seed: (e) => {
      const sheet = e.gas.SpreadsheetApp.getActive().getSheetByName(VP)!;
      sheet.getRange('B8').setValue(payload);
      sheet.getRange('E8').setValue('<b onmouseover="window.__xss=3">giải trình</b>');
      const text = 'bấm vào đây\n<img src=x onerror=window.__xss=4>\n' + DOC;
      const rich = e.gas.SpreadsheetApp.newRichTextValue().setText(text).setLinkUrl(0, 11, 'javascript:window.__xss=5').build();
      sheet.getRange('F8').setRichTextValue(rich);
    },
  });
  expect(await text('#crit-text')).toBe(payload);
  expect(await page.inputValue('#expl')).toBe('<b onmouseover="window.__xss=3">giải trình</b>');
  expect(await page.locator('img, b').count()).toBe(0);
  expect(await page.locator('a[href^="javascript"], a:not([href^="https://"])').count()).toBe(0);
  expect(await text('#links .bad')).toBe('bấm vào đây');
  expect(await text('#links li:first-child .note')).toContain('không phải http/https');
  expect(await text('#other-text')).toBe('<img src=x onerror=window.__xss=4>');
  await page.locator('#links .bad').click();
  await page.hover('#crit-text');

  await page.fill('#url', 'javascript:window.__xss=6');
  await waitText('#url-check', 'Chỉ nhận đường dẫn bắt đầu bằng http:// hoặc https://.');
  await page.press('#url', 'Enter');
  expect(await page.getAttribute('#url', 'aria-invalid')).toBe('true');
  expect(rpcCalls('evidenceAddLink')).toBe(0);

  // The server refuses it too, whatever the page does.
  const reply = await page.evaluate(
    (t) =>
      new Promise((resolve) => {
        // biome-ignore lint/suspicious/noExplicitAny: the page-side google.script.run runner is untyped here
        (window as unknown as { google: { script: { run: any } } }).google.script.run
          .withSuccessHandler(resolve)
          .withFailureHandler(resolve)
          .evidenceAddLink(t, 'javascript:window.__xss=7');
      }),
    { sheet: VP, row: 8, outline: '1.1.1' },
  );
  expect(reply).toEqual({ ok: false, error: 'Chỉ nhận đường dẫn bắt đầu bằng http:// hoặc https://.' });
  expect(String(cellValue(env, VP, 'F8'))).not.toContain('__xss=7');
  await expectFits();
  await shot('3-xss-inert');
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
});

test('direction overrides are removed and a link whose text names another address is flagged', async () => {
  // "gpj.exe" written right to left by U+202E would read "exe.jpg"; the text names drive.google.com
  // but the link opens another site.
  const shown = 'drive.google.com/file/d/1KeHoach \u202Egpj.exe';
  await open({
    sheet: VP,
    cell: 'B8',
    seed: (e) => {
      const sheet = e.gas.SpreadsheetApp.getActive().getSheetByName(VP)!;
      const rich = e.gas.SpreadsheetApp.newRichTextValue()
        .setText(shown)
        .setLinkUrl(0, shown.length, 'https://tai-lieu.example.vn/x')
        .build();
      sheet.getRange('F8').setRichTextValue(rich);
    },
  });
  const label = await text('#links li:first-child a');
  expect(label).toBe('drive.google.com/file/d/1KeHoach gpj.exe');
  expect(label).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  expect(await text('#links li:first-child .warn')).toContain('không khớp với địa chỉ thật (tai-lieu.example.vn)');
  await shot('3b-misleading-link');
});

test('removes a link with a confirming second press, keeping the other', async () => {
  await open({
    sheet: VP,
    cell: 'B8',
    seed: (e) => {
      const sheet = e.gas.SpreadsheetApp.getActive().getSheetByName(VP)!;
      sheet.getRange('F8').setValue(`Ghi chú của đơn vị\n${cellValueOf(e, 'F8')}\n${DOC}`);
    },
  });
  expect(await page.locator('#links li').count()).toBe(2);
  expect(await text('#other-text')).toBe('Ghi chú của đơn vị');
  const first = page.locator('#links li').first().locator('button');
  await first.focus();
  await page.keyboard.press('Enter');
  await waitText('#links li:first-child button', 'Xác nhận gỡ');
  await waitText('#status', 'Bấm “Xác nhận gỡ”');
  expect(rpcCalls('evidenceRemoveLink')).toBe(0);
  await shot('4-remove-confirm');
  await page.keyboard.press('Enter');
  await waitText('#status', 'Đã gỡ minh chứng.');
  expect(await page.locator('#links li').count()).toBe(1);
  expect(cellValue(env, VP, 'F8')).toBe(`Ghi chú của đơn vị\n${DOC}`);
  expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Gỡ minh chứng: ${DOC}`);
  await expectFits();
});

function cellValueOf(e: FakeEnv, a1: string): string {
  return String(cellValue(e, VP, a1));
}

test('the self score has the sheet check; the explanation saves on Enter', async () => {
  await open({ sheet: VP, cell: 'D9' });
  expect(await text('#crit-outline')).toBe('1.1.2');
  expect(await text('#score-hint')).toBe('Nhập điểm là số từ 0 đến 2 (ví dụ 1,5), hoặc "Chưa tính điểm" nếu tiêu chí chưa đánh giá.');
  await page.fill('#score', '2,5');
  await page.press('#score', 'Enter');
  await waitText('#score-error', 'vượt điểm tối đa 2');
  expect(await page.getAttribute('#score', 'aria-invalid')).toBe('true');
  expect(rpcCalls('evidenceSetScore')).toBe(0);
  await expectFits();
  await shot('5-score-error');

  await page.fill('#score', '1,5');
  await page.press('#score', 'Enter');
  await waitText('#status', 'Đã lưu điểm tự chấm: 1,5 điểm.');
  expect(cellValue(env, VP, 'D9')).toBe(1.5);
  expect(await text('#crit-self')).toBe('1,5');
  expect(await page.isVisible('#score-error')).toBe(false);

  await page.fill('#score', 'Chưa tính điểm');
  await page.press('#score', 'Enter');
  await waitText('#status', 'Đã lưu điểm tự chấm: "Chưa tính điểm".');
  expect(cellValue(env, VP, 'D9')).toBe('Chưa tính điểm');

  await page.click('#expl');
  await page.keyboard.type('Hoàn thành 75% kế hoạch');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('=chưa đủ minh chứng quý IV');
  expect(await text('#expl-count')).toBe('50/2.000 ký tự.');
  await page.keyboard.press('Enter');
  await waitText('#status', 'Đã lưu giải trình.');
  expect(cellValue(env, VP, 'E9')).toBe('Hoàn thành 75% kế hoạch\n=chưa đủ minh chứng quý IV');
  await shot('6-score-saved');
});

test('next criterion without evidence, wrapping around; the sidebar follows the selection', async () => {
  await open({ sheet: TT, cell: 'B8' });
  expect(await text('#crit-outline')).toBe('1.1.1');
  await page.click('#next');
  await waitText('#status', 'Tiêu chí 3.4 (hàng 29) chưa có minh chứng. Còn 2 tiêu chí có điểm nhưng chưa có minh chứng.');
  expect(await text('#crit-outline')).toBe('3.4');
  expect(env.ss.getActiveRange().getA1Notation()).toBe('F29');
  expect(await page.locator('#links li').count()).toBe(0);
  expect(await page.isVisible('#links-empty')).toBe(true);
  await shot('7-next-missing');
  await page.click('#next');
  await waitText('#crit-outline', '7.5');
  expect(env.ss.getActiveRange().getA1Notation()).toBe('F45');
  await page.click('#next');
  await waitText('#crit-outline', '3.4');

  // A person clicks another row in the sheet: the poll picks it up.
  env.ss.setActiveCell(TT, 'C10');
  await waitText('#crit-outline', '1.2', 8000);
  expect(await text('#crit-text')).toBe('Công tác tuyên truyền CCHC');
  expect(await page.isVisible('#crit-group')).toBe(true);
  expect(await page.isVisible('#add-form')).toBe(false);
  expect(await page.isVisible('#score-form')).toBe(false);
  await shot('8-group-row');

  // Typing pauses following, so nothing typed is lost.
  env.ss.setActiveCell(TT, 'C8');
  await waitText('#crit-outline', '1.1.1', 8000);
  await page.fill('#url', 'https://example.com/dang-go');
  env.ss.setActiveCell(TT, 'C9');
  await page.waitForTimeout(3500);
  expect(await text('#crit-outline')).toBe('1.1.1');
  expect(await page.inputValue('#url')).toBe('https://example.com/dang-go');

  env.ss.setActiveCell('Cấu hình', 'A1');
  await page.fill('#url', '');
  await waitText('#empty', 'trang của công cụ chấm điểm', 8000);
  expect(await page.isDisabled('#next')).toBe(true);
  expect(await text('#status')).toBe('');
  await expectFits();
  await shot('9-not-a-unit-sheet');
});

test('without Drive permission the sidebar says it could not check, and still attaches', async () => {
  await open({ sheet: CA, cell: 'B11', driveAuthorized: false });
  expect(await text('#crit-outline')).toBe('1.2.1');
  expect(await text('#links .note')).toContain('Không kiểm tra được tệp trên Google Drive');
  await page.fill('#url', DEMO_LINKS.anyoneWithLink);
  await waitText(
    '#url-check',
    'Không kiểm tra được tệp trên Google Drive: tiện ích chưa được cấp quyền xem Google Drive. Hãy tự kiểm tra tệp chỉ ' +
      'được chia sẻ hạn chế.',
  );
  await shot('10-no-drive-permission');
  await page.click('#add');
  await waitText('#status', 'Đã đính kèm minh chứng cho tiêu chí 1.2.1.');
  expect(String(cellValue(env, CA, 'F11'))).toContain(DEMO_LINKS.anyoneWithLink);
  await expectFits();
});

test('file name helper: the plan pattern, copied to the clipboard, and the zip reminder', async () => {
  await open({ sheet: VP, cell: 'B9' });
  await context!.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(preview!.url).origin });
  const month = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', month: '2-digit', year: 'numeric' }).format(new Date());
  const expected = `Văn phòng HĐND và UBND xã - CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC - Mức độ hoàn thành kế hoạch CCHC - ${month}`;
  expect(await page.inputValue('#file-name')).toBe(expected);
  expect(await text('#zip-note')).toBe(
    'Minh chứng dung lượng lớn: nén thành tệp .zip hoặc .rar, đặt tên theo mẫu trên và gửi cho đầu mối cơ quan thường trực: Huỳnh ' +
      'Quốc Việt - 0987015592.',
  );
  await page.click('#copy');
  await waitText('#status', 'Đã sao chép tên tệp.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
  await page.locator('#zip-note').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'sidebar-11-file-name-viewport.png') });
  await expectFits();
  await shot('11-file-name');
});
