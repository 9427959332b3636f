/**
 * Preview of the evidence sidebar in an ordinary browser, without Apps Script:
 *   npm run preview [-- --port 8765]
 * serves on 127.0.0.1 only:
 *   /          a harness: the example workbook's active sheet (click a row to select it) and
 *              the sidebar in a 300 px frame beside it;
 *   /sidebar   dist/sidebar.html with a google.script.run stand-in injected, whose calls go to
 *   /rpc       the real server functions of src/gas/sidebar.ts, run in Node against the
 *              in-memory Apps Script stand-ins of dev/gas-emulator (example workbook of Phước Chánh).
 * The browser tests (test/pages) use the same server.
 */
import { SHEET_NAMES } from '../src/core/sheet/own-sheets';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { checkUrl } from '../src/core/evidence/links';
import type { Settings } from '../src/core/settings/settings';
import { settingsGrid } from '../src/core/settings/settings';

import * as sidebar from '../src/gas/sidebar/server';
import { createFakeEnv, installGlobals, sheetValues, type DriveFileSpec, type FakeEnv } from '../dev/gas-emulator/index';
import type { ExampleUnit } from './example-data';
import { UNITS } from './example-data';

/** What the example workbook is built from (scripts/make-example.ts). */
export interface ExampleMaker {
  unitGrid(unit: ExampleUnit, settings: Settings): unknown[][];
  exampleSettings(): Settings;
}

/** Drive files the preview knows, so links can be checked (name and sharing). */
export const DEMO_FILES: Record<string, DriveFileSpec> = {
  '1DemoCongKhaiAiCoLink2026': {
    name: 'Báo cáo kết quả CCHC quý III năm 2026.pdf',
    access: 'ANYONE_WITH_LINK',
    permission: 'VIEW',
    mimeType: 'application/pdf',
  },
  '1DemoCongKhaiTrenWeb2026': { name: 'Danh sách cán bộ trực ban.xlsx', access: 'ANYONE', permission: 'VIEW' },
  '1DemoHanCheKeHoach2026': { name: 'Kế hoạch CCHC năm 2026', access: 'PRIVATE', mimeType: 'application/vnd.google-apps.document' },
};

/** Sample links to paste in the preview. */
export const DEMO_LINKS = {
  anyoneWithLink: 'https://drive.google.com/file/d/1DemoCongKhaiAiCoLink2026/view?usp=sharing',
  publicOnWeb: 'https://drive.google.com/file/d/1DemoCongKhaiTrenWeb2026/view',
  restrictedDoc: 'https://docs.google.com/document/d/1DemoHanCheKeHoach2026/edit',
  unknownDrive: 'https://drive.google.com/file/d/1KhongTonTaiTrenDrive2026/view',
  web: 'https://dichvucong.gov.vn/p/home/dvc-trang-chu.html',
};

export interface ExampleEnvOptions {
  now?: Date;
  driveAuthorized?: boolean;
}

/**
 * The example workbook (settings sheet and the five units) as an in-memory spreadsheet. Every
 * Drive link already in the sheets is a readable file; those of the sensitive "Công an xã"
 * for criteria 1.x are shared with anyone who has the link.
 */
export function createExampleEnv(make: ExampleMaker, options: ExampleEnvOptions = {}): FakeEnv {
  const settings = make.exampleSettings();
  const sheets: Record<string, unknown[][]> = { [SHEET_NAMES.settings]: settingsGrid(settings) };
  const driveFiles: Record<string, DriveFileSpec> = { ...DEMO_FILES };
  for (const unit of UNITS) {
    const grid = make.unitGrid(unit, settings);
    sheets[unit.sheet] = grid;
    for (const row of grid) {
      const c = checkUrl(row[5]);
      if (!c.ok || !c.driveId) continue;
      const outline = String(row[0] ?? '');
      const open = unit.sheet === 'Công an xã' && outline.startsWith('1.');
      driveFiles[c.driveId] = {
        name: `Minh chứng ${outline || 'bổ sung'} - ${unit.name}.pdf`,
        access: open ? 'ANYONE_WITH_LINK' : 'PRIVATE',
        permission: open ? 'VIEW' : 'NONE',
        mimeType: 'application/pdf',
      };
    }
  }
  const env = createFakeEnv({
    sheets,
    driveFiles,
    now: options.now,
    driveAuthorized: options.driveAuthorized,
    spreadsheetName: 'Chấm điểm CCHC xã Phước Chánh 2026',
  });
  // Start on the sensitive unit, criterion 1.1.1 (row 8: four title rows, the header, 1, 1.1).
  env.ss.setActiveCell('Công an xã', 'B8');
  return env;
}

/** The google.script.run stand-in injected into the page: every call is POSTed to /rpc. */
export const STAND_IN_SCRIPT = `(function () {
  function runner(onSuccess, onFailure) {
    return new Proxy({}, {
      get: function (_, name) {
        if (name === 'withSuccessHandler') return function (f) { return runner(f, onFailure); };
        if (name === 'withFailureHandler') return function (f) { return runner(onSuccess, f); };
        if (name === 'withUserObject') return function () { return runner(onSuccess, onFailure); };
        if (typeof name !== 'string' || name === 'then') return undefined;
        return function () {
          var args = Array.prototype.slice.call(arguments);
          fetch('/rpc', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fn: name, args: args }) })
            .then(function (r) { return r.json(); })
            .then(function (res) {
              if (res.ok) { if (onSuccess) onSuccess(res.value); }
              else if (onFailure) onFailure(new Error(res.error));
            })
            .catch(function (e) { if (onFailure) onFailure(e); });
        };
      }
    });
  }
  window.google = { script: { run: runner(null, null), host: { close: function () {}, editor: { focus: function () {} } } } };
})();`;

/** Server functions the page may call (google.script.run sees only these). */
const SERVER_FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  evidencePoll: sidebar.evidencePoll,
  evidenceCheckLink: sidebar.evidenceCheckLink,
  evidenceAddLink: sidebar.evidenceAddLink,
  evidenceRemoveLink: sidebar.evidenceRemoveLink,
  evidenceSetScore: sidebar.evidenceSetScore,
  evidenceSetExplanation: sidebar.evidenceSetExplanation,
  evidenceNextMissing: sidebar.evidenceNextMissing,
};

export interface PreviewOptions {
  env: FakeEnv;
  /** 0 picks a free port. */
  port?: number;
  /** Delay of every google.script.run call, like the network (ms). */
  latencyMs?: number;
  /** The built page (default dist/sidebar.html, read on every request). */
  sidebarFile?: string;
}

export interface Preview {
  url: string;
  sidebarUrl: string;
  env: FakeEnv;
  /** Every server call the page made, in order. */
  rpcLog: { fn: string; args: unknown[] }[];
  close(): Promise<void>;
}

const SERVICE_NAMES = [
  'SpreadsheetApp',
  'HtmlService',
  'LockService',
  'PropertiesService',
  'ScriptApp',
  'MailApp',
  'Session',
  'Utilities',
  'DriveApp',
  'Logger',
  'Charts',
  // The advanced service the add-on enables (appsscript.json): sidebar writes go through it.
  'Sheets',
];

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

function readBody(req: IncomingMessage, limit = 1 << 20): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sheetJson(env: FakeEnv) {
  const active = env.ss.getActiveSheet();
  const name = active.getName();
  const values = sheetValues(env, name);
  const current = active.getActiveRange();
  return {
    sheets: env.ss.getSheets().map((s) => s.getName()),
    active: name,
    activeRow: current ? current.getRow() : 0,
    rows: values.map((r, i) => ({
      row: i + 1,
      cells: r.slice(0, 6).map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v))),
    })),
  };
}

/** Starts the preview server on 127.0.0.1. */
export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const { env } = options;
  const latency = options.latencyMs ?? 0;
  const file = options.sidebarFile ?? join(process.cwd(), 'dist', 'sidebar.html');
  const services = Object.fromEntries(SERVICE_NAMES.filter((k) => k in env.globals).map((k) => [k, env.globals[k]]));
  const restore = installGlobals({ ...env, globals: services });
  const rpcLog: Preview['rpcLog'] = [];
  let origin = '';

  const server = createServer((req, res) => {
    void (async () => {
      const url = (req.url ?? '/').split('?')[0];
      if (req.method === 'POST') {
        // Only the page this server sent may call it.
        if (req.headers.origin && req.headers.origin !== origin) return send(res, 403, 'text/plain', 'forbidden');
        let body: { fn?: unknown; args?: unknown; sheet?: unknown; row?: unknown; authorized?: unknown };
        try {
          body = JSON.parse(await readBody(req));
        } catch (_) {
          return send(res, 400, 'text/plain', 'bad request');
        }
        if (url === '/rpc') {
          const fn =
            typeof body.fn === 'string' && Object.prototype.hasOwnProperty.call(SERVER_FUNCTIONS, body.fn)
              ? SERVER_FUNCTIONS[body.fn]
              : null;
          const args = Array.isArray(body.args) ? body.args : [];
          if (latency > 0) await new Promise((r) => setTimeout(r, latency));
          if (!fn)
            return send(
              res,
              200,
              'application/json',
              JSON.stringify({ ok: false, error: `Script function not found: ${String(body.fn)}` }),
            );
          rpcLog.push({ fn: String(body.fn), args });
          try {
            const value = fn(...args);
            return send(res, 200, 'application/json', JSON.stringify({ ok: true, value: value === undefined ? null : value }));
          } catch (err) {
            return send(
              res,
              200,
              'application/json',
              JSON.stringify({ ok: false, error: err instanceof Error ? err.message : String(err) }),
            );
          }
        }
        if (url === '/api/select' && typeof body.sheet === 'string' && typeof body.row === 'number') {
          try {
            env.ss.setActiveCell(body.sheet, `B${Math.max(1, Math.floor(body.row))}`);
          } catch (_) {
            return send(res, 400, 'text/plain', 'bad sheet');
          }
          return send(res, 200, 'application/json', JSON.stringify(sheetJson(env)));
        }
        if (url === '/api/drive') {
          env.setDriveAuthorized(body.authorized === true);
          return send(res, 200, 'application/json', '{}');
        }
        return send(res, 404, 'text/plain', 'not found');
      }
      if (url === '/') return send(res, 200, 'text/html', HARNESS_HTML);
      if (url === '/favicon.ico') {
        res.writeHead(204);
        return res.end();
      }
      if (url === '/sidebar') {
        let html: string;
        try {
          html = readFileSync(file, 'utf8');
        } catch (_) {
          return send(res, 500, 'text/plain; charset=utf-8', `Thiếu ${file}: hãy chạy "node build.mjs" trước.`);
        }
        return send(
          res,
          200,
          'text/html',
          html.replace('<head>', () => `<head>\n<script>${STAND_IN_SCRIPT}</script>`),
        );
      }
      if (url === '/api/sheet') return send(res, 200, 'application/json', JSON.stringify(sheetJson(env)));
      return send(res, 404, 'text/plain', 'not found');
    })().catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain', 'error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/`,
    sidebarUrl: `${origin}/sidebar`,
    env,
    rpcLog,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          restore();
          resolve();
        });
      }),
  };
}

const HARNESS_HTML = `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Xem trước: Đính kèm minh chứng</title>
<style>
  body { margin: 0; font: 13px Roboto, Arial, sans-serif; color: #202124; display: flex; height: 100vh; }
  .sheet { flex: 1 1 auto; overflow: auto; padding: 12px 16px; }
  aside { flex: 0 0 300px; border-left: 1px solid #dadce0; display: flex; flex-direction: column; }
  aside h2 { margin: 0; padding: 10px 12px; font-size: 15px; border-bottom: 1px solid #dadce0; }
  iframe { border: 0; width: 300px; flex: 1 1 auto; }
  h1 { font-size: 17px; margin: 0 0 6px; }
  .bar { display: flex; gap: 16px; align-items: center; margin: 8px 0; flex-wrap: wrap; }
  table { border-collapse: collapse; width: 100%; }
  td, th { border: 1px solid #e0e0e0; padding: 3px 6px; vertical-align: top; text-align: left; }
  th { background: #f1f3f4; }
  tr.selectable { cursor: pointer; }
  tr.selectable:hover { background: #f8f9fa; }
  tr.active { background: #e8f0fe !important; outline: 2px solid #1a73e8; }
  td.n { color: #5f6368; text-align: right; }
  td.ev { max-width: 280px; white-space: pre-wrap; word-break: break-all; color: #1a56c4; }
  button.row { all: unset; cursor: pointer; }
  button.row:focus-visible { outline: 2px solid #1a73e8; }
</style>
</head>
<body>
<section class="sheet">
  <h1>Bảng tính giả lập (dữ liệu mẫu xã Phước Chánh)</h1>
  <p>Bấm vào một hàng (hoặc dùng Tab và Enter) để chọn hàng đó như trên Google Trang tính; thanh bên bên phải theo dõi hàng đang chọn.</p>
  <div class="bar">
    <label>Trang tính <select id="sheet"></select></label>
    <label><input type="checkbox" id="drive" checked> Tiện ích có quyền xem Google Drive</label>
  </div>
  <table>
    <thead><tr><th>Hàng</th><th>A</th><th>B</th><th>C</th><th>D</th><th>E</th><th>F (Minh chứng)</th></tr></thead>
    <tbody id="grid"></tbody>
  </table>
</section>
<aside><h2>Đính kèm minh chứng</h2><iframe src="/sidebar" title="Thanh bên Đính kèm minh chứng"></iframe></aside>
<script>
(function () {
  var grid = document.getElementById('grid');
  var select = document.getElementById('sheet');
  var last = '';
  function post(url, body) {
    var init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    return fetch(url, init).then(function (r) { return r.json(); });
  }
  function draw(state) {
    var sig = JSON.stringify(state);
    if (sig === last) return;
    last = sig;
    select.textContent = '';
    state.sheets.forEach(function (name) {
      var o = document.createElement('option');
      o.value = name; o.textContent = name; o.selected = name === state.active;
      select.appendChild(o);
    });
    grid.textContent = '';
    state.rows.forEach(function (r) {
      var tr = document.createElement('tr');
      tr.className = 'selectable' + (r.row === state.activeRow ? ' active' : '');
      var n = document.createElement('td');
      n.className = 'n';
      var b = document.createElement('button');
      b.className = 'row'; b.type = 'button'; b.textContent = String(r.row);
      b.setAttribute('aria-label', 'Chọn hàng ' + r.row);
      n.appendChild(b);
      tr.appendChild(n);
      for (var i = 0; i < 6; i++) {
        var td = document.createElement('td');
        td.textContent = r.cells[i] || '';
        if (i === 5) td.className = 'ev';
        tr.appendChild(td);
      }
      tr.addEventListener('click', function () { post('/api/select', { sheet: state.active, row: r.row }).then(draw); });
      grid.appendChild(tr);
    });
  }
  function load() { fetch('/api/sheet').then(function (r) { return r.json(); }).then(draw); }
  select.addEventListener('change', function () { post('/api/select', { sheet: select.value, row: 1 }).then(draw); });
  document.getElementById('drive').addEventListener('change', function (e) { post('/api/drive', { authorized: e.target.checked }); });
  load();
  setInterval(load, 1500);
})();
</script>
</body>
</html>`;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  // The example generator is loaded from its own bundle (build/make-example.cjs): bundled in
  // here, its "run when main" guard would see this file as main and write a workbook.
  const make = require(join(__dirname, 'make-example.cjs')) as ExampleMaker;
  const port = Number(argValue('--port') ?? process.env.PORT ?? 8765);
  const preview = await startPreview({ env: createExampleEnv(make), port, latencyMs: 150 });
  const out = process.stdout;
  out.write(`Xem trước thanh bên "Đính kèm minh chứng": ${preview.url}\n`);
  out.write(`Chỉ thanh bên (rộng 300 px): ${preview.sidebarUrl}\n\n`);
  out.write('Đường dẫn mẫu để thử:\n');
  out.write(`  tệp chia sẻ "bất kỳ ai có đường liên kết": ${DEMO_LINKS.anyoneWithLink}\n`);
  out.write(`  tệp công khai trên web:                    ${DEMO_LINKS.publicOnWeb}\n`);
  out.write(`  Google Tài liệu chia sẻ hạn chế:          ${DEMO_LINKS.restrictedDoc}\n`);
  out.write(`  tệp không có trên Drive:                  ${DEMO_LINKS.unknownDrive}\n`);
  out.write(`  trang web:                                ${DEMO_LINKS.web}\n`);
  out.write('\nNhấn Ctrl+C để dừng.\n');
  const stop = () => void preview.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) void main();
