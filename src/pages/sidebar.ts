/**
 * The evidence sidebar page. Talks to the server functions of src/gas/sidebar.ts through
 * google.script.run. Everything that comes from the sheet is rendered with textContent, and a
 * link becomes an href only when it passes the same http(s) check as the server.
 */
import { thousands } from '../core/engine/text';
import { checkExplanation, MAX_EXPLANATION_LENGTH, parseScoreInput, scoreHint } from '../core/evidence/input';
import { checkUrl, isSafeHref, LINK_KIND_LABEL } from '../core/evidence/links';
import type { CriterionView, LinkCheck, LinkView, Reply, SidebarView, Target } from '../core/evidence/sidebar-api';
import type { ReplyData, SidebarServer } from '../core/evidence/sidebar-api';

interface Runner {
  withSuccessHandler(fn: (value: unknown) => void): Runner;
  withFailureHandler(fn: (error: unknown) => void): Runner;
  [serverFunction: string]: unknown;
}
declare const google: { script: { run: Runner } };

const POLL_MS = 2500;
const MAX_POLL_MS = 30000;
const CHECK_DELAY_MS = 400;
const CONFIRM_MS = 6000;
const NO_CONNECTION = 'Không kết nối được với bảng tính. Hãy kiểm tra kết nối mạng rồi bấm “Làm mới”.';

/** A message the server meant for the person. */
class ServerMessage extends Error {}

/** Calls server function `fn` (typed by SidebarServer: its arguments and the data of its reply). */
function call<K extends keyof SidebarServer>(fn: K, ...args: Parameters<SidebarServer[K]>): Promise<ReplyData<K>> {
  type T = ReplyData<K>;
  return new Promise<T>((resolve, reject) => {
    try {
      const runner = google.script.run
        .withSuccessHandler((r) => {
          const reply = r as Reply<T> | null;
          if (reply && typeof reply === 'object' && reply.ok === true) resolve(reply.data);
          else if (reply && typeof reply === 'object' && reply.ok === false && typeof reply.error === 'string')
            reject(new ServerMessage(reply.error));
          else reject(new Error(NO_CONNECTION));
        })
        .withFailureHandler(() => reject(new Error(NO_CONNECTION)));
      const method = runner[fn] as (...a: unknown[]) => void;
      method.apply(runner, args);
    } catch (_) {
      reject(new Error(NO_CONNECTION));
    }
  });
}

function messageOf(err: unknown): string {
  return err instanceof ServerMessage ? err.message : NO_CONNECTION;
}

// ---------------------------------------------------------------------------
// Elements
// ---------------------------------------------------------------------------

function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} missing`);
  return e as T;
}

const app = $('app');
const statusEl = $('status');
const alertEl = $('alert');
const emptyEl = $('empty');
const viewEl = $('view');
const refreshBtn = $<HTMLButtonElement>('refresh');
const nextBtn = $<HTMLButtonElement>('next');
const whereEl = $('crit-where');
const titleEl = $('crit-title');
const outlineEl = $('crit-outline');
const textEl = $('crit-text');
const maxEl = $('crit-max');
const selfEl = $('crit-self');
const groupNote = $('crit-group');
const sensitiveNote = $('crit-sensitive');
const evidenceSection = $('evidence');
const namingSection = $('naming');
const linksEl = $<HTMLUListElement>('links');
const linksEmpty = $('links-empty');
const otherEl = $('other');
const otherText = $('other-text');
const noEvidenceCol = $('no-evidence-col');
const addForm = $<HTMLFormElement>('add-form');
const urlInput = $<HTMLInputElement>('url');
const urlCheck = $('url-check');
const scoreForm = $<HTMLFormElement>('score-form');
const scoreInput = $<HTMLInputElement>('score');
const scoreHintEl = $('score-hint');
const scoreError = $('score-error');
const explForm = $<HTMLFormElement>('expl-form');
const explInput = $<HTMLTextAreaElement>('expl');
const explCount = $('expl-count');
const explError = $('expl-error');
const noExplCol = $('no-expl-col');
const fileNameInput = $<HTMLTextAreaElement>('file-name');
const copyBtn = $<HTMLButtonElement>('copy');
const zipNote = $('zip-note');

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

let current: SidebarView | null = null;
/** Selection key of what the page shows; the poll sends it so an unchanged selection costs little. */
let knownKey = '';
let busy = false;
/** Bumped by every action: a poll answer that started before it is stale. */
let generation = 0;
let pollTimer: ReturnType<typeof setTimeout> | undefined;
let pollDelay = POLL_MS;
let pollFailed = false;
let checkTimer: ReturnType<typeof setTimeout> | undefined;
let checkSeq = 0;
/** Field values as last rendered from the sheet: a field that differs is being edited. */
const rendered = { score: '', expl: '' };

function criterion(): CriterionView | null {
  return current && current.kind === 'criterion' ? current : null;
}

function isDirty(): boolean {
  return urlInput.value.trim() !== '' || scoreInput.value !== rendered.score || explInput.value !== rendered.expl;
}

function sameTarget(a: Target, b: Target): boolean {
  return a.sheet === b.sheet && a.row === b.row && a.outline === b.outline;
}

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

let sayTimer: ReturnType<typeof setTimeout> | undefined;

/** Polite announcement (cleared first so the same text is announced again). */
function say(text: string): void {
  clearTimeout(sayTimer);
  statusEl.textContent = '';
  sayTimer = setTimeout(() => {
    statusEl.textContent = text;
  }, 30);
}

function showAlert(text: string): void {
  alertEl.textContent = text;
  alertEl.hidden = false;
}

function clearAlert(): void {
  alertEl.hidden = true;
  alertEl.textContent = '';
}

function fieldError(input: HTMLInputElement | HTMLTextAreaElement, box: HTMLElement, text: string | null): void {
  if (text) {
    box.textContent = text;
    box.hidden = false;
    input.setAttribute('aria-invalid', 'true');
  } else {
    box.textContent = '';
    box.hidden = true;
    input.removeAttribute('aria-invalid');
  }
}

function para(className: string, text: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
}

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

function linkItem(link: LinkView, index: number): HTMLLIElement {
  const li = document.createElement('li');
  const main = document.createElement('div');
  main.className = 'link-main';
  const label = link.fileName || link.text || link.url;
  const checked = checkUrl(link.url);
  if (link.safe && checked.ok && isSafeHref(checked.url)) {
    const a = document.createElement('a');
    a.href = checked.url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.textContent = label;
    a.title = checked.url;
    main.appendChild(a);
  } else {
    const span = document.createElement('span');
    span.className = 'bad';
    span.textContent = label;
    main.appendChild(span);
  }
  const kind = document.createElement('span');
  kind.className = 'kind';
  kind.textContent = link.fileName ? `${link.kindLabel} · ${link.text}` : link.kindLabel;
  if (kind.textContent) main.appendChild(kind);
  if (link.misleading) {
    main.appendChild(
      para(
        'warn',
        `Chữ hiển thị của liên kết không khớp với địa chỉ thật (${checked.ok ? checked.host : link.url}). Hãy kiểm tra trước khi mở.`,
      ),
    );
  }
  if (link.warning) main.appendChild(para('warn', link.warning));
  if (link.note) main.appendChild(para('note', link.note));
  li.appendChild(main);

  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'danger';
  remove.textContent = 'Gỡ';
  remove.dataset.index = String(index);
  remove.setAttribute('aria-label', `Gỡ minh chứng: ${label}`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reset = () => {
    clearTimeout(timer);
    remove.classList.remove('confirm');
    remove.textContent = 'Gỡ';
    remove.setAttribute('aria-label', `Gỡ minh chứng: ${label}`);
    delete remove.dataset.confirm;
  };
  remove.addEventListener('blur', reset);
  remove.addEventListener('click', () => {
    if (busy) return;
    if (remove.dataset.confirm !== '1') {
      remove.dataset.confirm = '1';
      remove.classList.add('confirm');
      remove.textContent = 'Xác nhận gỡ';
      remove.setAttribute('aria-label', `Xác nhận gỡ minh chứng: ${label}`);
      say('Bấm “Xác nhận gỡ” để gỡ minh chứng này khỏi ô.');
      timer = setTimeout(reset, CONFIRM_MS);
      return;
    }
    reset();
    void removeLink(link, index);
  });
  li.appendChild(remove);
  return li;
}

function renderLinks(v: CriterionView): void {
  linksEl.textContent = '';
  v.links.forEach((l, i) => linksEl.appendChild(linkItem(l, i)));
  linksEmpty.hidden = v.links.length > 0 || !v.hasEvidenceColumn;
  linksEmpty.textContent = v.leaf ? 'Chưa có minh chứng.' : 'Mục nhóm không cần đính kèm minh chứng.';
  otherText.textContent = v.otherText;
  otherEl.hidden = v.otherText === '';
}

function renderCriterion(v: CriterionView, previous: CriterionView | null, saved: 'score' | 'expl' | null): void {
  const same = previous !== null && sameTarget(previous.target, v.target);
  emptyEl.hidden = true;
  viewEl.hidden = false;
  whereEl.textContent =
    v.unit && v.unit !== v.target.sheet
      ? `${v.unit} · trang “${v.target.sheet}”, hàng ${v.target.row}`
      : `Trang “${v.target.sheet}”, hàng ${v.target.row}`;
  outlineEl.textContent = v.outline;
  outlineEl.hidden = v.outline === '';
  textEl.textContent = v.text;
  maxEl.textContent = v.max || '—';
  selfEl.textContent = v.self || 'Chưa chấm';
  groupNote.hidden = v.leaf;
  sensitiveNote.hidden = !v.sensitive;

  // A group gets no evidence (unless someone put links on its row).
  evidenceSection.hidden = !v.leaf && v.links.length === 0;
  namingSection.hidden = !v.leaf;
  renderLinks(v);
  noEvidenceCol.hidden = v.hasEvidenceColumn;
  addForm.hidden = !v.leaf || !v.hasEvidenceColumn;

  scoreForm.hidden = !v.leaf;
  scoreHintEl.textContent = scoreHint(v.maxValue);
  if (!same || saved === 'score' || scoreInput.value === rendered.score) {
    scoreInput.value = v.self;
    fieldError(scoreInput, scoreError, null);
  }
  rendered.score = v.self;

  explForm.hidden = !v.hasExplanationColumn;
  noExplCol.hidden = v.hasExplanationColumn;
  if (!same || saved === 'expl' || explInput.value === rendered.expl) {
    explInput.value = v.explanation;
    fieldError(explInput, explError, null);
  }
  rendered.expl = v.explanation;
  updateCount();

  if (!same) {
    urlInput.value = '';
    urlCheck.textContent = '';
    urlInput.removeAttribute('aria-invalid');
  }
  fileNameInput.value = v.fileName;
  fitHeight(fileNameInput);
  zipNote.textContent = v.officeFocal
    ? `Minh chứng dung lượng lớn: nén thành tệp .zip hoặc .rar, đặt tên theo mẫu trên và gửi cho đầu mối cơ quan thường ` +
      `trực: ${v.officeFocal}.`
    : 'Minh chứng dung lượng lớn: nén thành tệp .zip hoặc .rar, đặt tên theo mẫu trên và gửi cho đầu mối cơ quan thường trực (chưa ' +
      'khai báo trong trang “Cấu hình”).';
}

function render(v: SidebarView, saved: 'score' | 'expl' | null = null): void {
  const previous = criterion();
  current = v;
  knownKey = v.key;
  // Next-missing works from any row of a unit sheet, not from other sheets.
  nextBtn.disabled = v.kind === 'none' && !v.unitSheet;
  if (v.kind === 'none') {
    viewEl.hidden = true;
    emptyEl.hidden = false;
    emptyEl.textContent = v.message;
    rendered.score = scoreInput.value = '';
    rendered.expl = explInput.value = '';
    urlInput.value = '';
    return;
  }
  renderCriterion(v, previous, saved);
}

/** A read-only text area as tall as its text. */
function fitHeight(area: HTMLTextAreaElement): void {
  area.style.height = 'auto';
  area.style.height = `${area.scrollHeight + 2}px`;
}

function updateCount(): void {
  explCount.textContent = `${thousands(explInput.value.length)}/${thousands(MAX_EXPLANATION_LENGTH)} ký tự.`;
}

function renderCheck(check: LinkCheck, prefix: string | null): void {
  urlCheck.textContent = '';
  const head = prefix ?? `Đường dẫn hợp lệ: ${check.kindLabel}.`;
  urlCheck.appendChild(para('ok', head));
  if (check.fileName) urlCheck.appendChild(para('', `Tên tệp trên Google Drive: ${check.fileName}`));
  if (check.warning) urlCheck.appendChild(para('warn', check.warning));
  if (check.note) urlCheck.appendChild(para('note', check.note));
}

function renderUrlError(text: string): void {
  urlCheck.textContent = '';
  urlCheck.appendChild(para('error', text));
  urlInput.setAttribute('aria-invalid', 'true');
}

// ---------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------

const actionButtons = [refreshBtn, nextBtn, $('add'), $('save-score'), $('save-expl')];

/** Runs one action at a time; buttons stay focusable (aria-disabled) so focus is not lost. */
async function run(action: () => Promise<void>, onError?: (message: string) => void): Promise<void> {
  if (busy) return;
  busy = true;
  generation++;
  app.setAttribute('aria-busy', 'true');
  for (const b of actionButtons) b.setAttribute('aria-disabled', 'true');
  try {
    await action();
  } catch (err) {
    const text = messageOf(err);
    if (onError) onError(text);
    else showAlert(text);
  } finally {
    busy = false;
    app.setAttribute('aria-busy', 'false');
    for (const b of actionButtons) b.removeAttribute('aria-disabled');
    schedulePoll();
  }
}

async function refresh(announce: boolean): Promise<void> {
  await run(
    async () => {
      const r = await call('evidencePoll', '');
      clearAlert();
      if (r.changed) render(r.view);
      const v = criterion();
      if (announce) say(v ? `Đã làm mới: tiêu chí ${v.outline || `ở hàng ${v.target.row}`}.` : 'Đã làm mới.');
    },
    (text) => {
      showAlert(text);
      if (!current) emptyEl.textContent = 'Chưa tải được tiêu chí.';
    },
  );
}

async function addLink(): Promise<void> {
  const v = criterion();
  if (!v || busy) return;
  const checked = checkUrl(urlInput.value);
  if (!checked.ok) {
    renderUrlError(checked.error);
    urlInput.focus();
    return;
  }
  clearTimeout(checkTimer);
  checkSeq++;
  await run(
    async () => {
      const r = await call('evidenceAddLink', v.target, checked.url);
      clearAlert();
      urlInput.value = '';
      urlInput.removeAttribute('aria-invalid');
      render(r.view);
      if (r.check) renderCheck(r.check, `Đã đính kèm: ${r.check.kindLabel}.`);
      else urlCheck.textContent = '';
      let message = r.message;
      if (r.check?.fileName) message += ` Tệp: ${r.check.fileName}.`;
      if (r.check?.warning) message += ' Xem cảnh báo về quyền chia sẻ bên dưới.';
      say(message);
    },
    (text) => renderUrlError(text),
  );
  urlInput.focus();
}

async function removeLink(link: LinkView, index: number): Promise<void> {
  const v = criterion();
  if (!v) return;
  await run(async () => {
    const r = await call('evidenceRemoveLink', v.target, link.url);
    clearAlert();
    render(r.view);
    say(r.message);
  });
  // Keep the keyboard where it was: the next item's button, else the link field.
  const buttons = linksEl.querySelectorAll<HTMLButtonElement>('button');
  const target = buttons[Math.min(index, buttons.length - 1)];
  if (target) target.focus();
  else if (!addForm.hidden) urlInput.focus();
  else titleEl.focus();
}

async function saveScore(): Promise<void> {
  const v = criterion();
  if (!v || busy) return;
  const parsed = parseScoreInput(scoreInput.value, v.maxValue);
  if (!parsed.ok) {
    fieldError(scoreInput, scoreError, parsed.error);
    scoreInput.focus();
    return;
  }
  const input = scoreInput.value;
  await run(
    async () => {
      const r = await call('evidenceSetScore', v.target, input);
      clearAlert();
      render(r.view, 'score');
      say(r.message);
    },
    (text) => fieldError(scoreInput, scoreError, text),
  );
}

async function saveExplanation(): Promise<void> {
  const v = criterion();
  if (!v || busy) return;
  const checked = checkExplanation(explInput.value);
  if (!checked.ok) {
    fieldError(explInput, explError, checked.error);
    explInput.focus();
    return;
  }
  await run(
    async () => {
      const r = await call('evidenceSetExplanation', v.target, explInput.value);
      clearAlert();
      render(r.view, 'expl');
      say(r.message);
    },
    (text) => fieldError(explInput, explError, text),
  );
}

async function nextMissing(): Promise<void> {
  const from = current
    ? current.kind === 'criterion'
      ? { sheet: current.target.sheet, row: current.target.row }
      : { sheet: current.sheet, row: current.row }
    : null;
  if (!from) return;
  await run(async () => {
    const r = await call('evidenceNextMissing', from);
    clearAlert();
    if (r.view) render(r.view);
    say(r.message);
  });
}

async function checkTyped(): Promise<void> {
  const v = criterion();
  const raw = urlInput.value;
  if (!v || raw.trim() === '') {
    urlCheck.textContent = '';
    return;
  }
  const c = checkUrl(raw);
  if (!c.ok) {
    renderUrlError(c.error);
    return;
  }
  urlInput.removeAttribute('aria-invalid');
  const seq = ++checkSeq;
  const kind = LINK_KIND_LABEL[c.kind];
  urlCheck.textContent = '';
  urlCheck.appendChild(para('ok', `Đường dẫn hợp lệ: ${kind}.`));
  // The server only adds something for Drive files (name, sharing) or sensitive units.
  if (!c.driveId && !v.sensitive) return;
  if (c.driveId) urlCheck.appendChild(para('muted', 'Đang kiểm tra tệp trên Google Drive…'));
  try {
    const check = await call('evidenceCheckLink', v.target, c.url);
    if (seq !== checkSeq || urlInput.value !== raw) return;
    renderCheck(check, null);
  } catch (err) {
    if (seq !== checkSeq || urlInput.value !== raw) return;
    urlCheck.textContent = '';
    urlCheck.appendChild(para('ok', `Đường dẫn hợp lệ: ${kind}.`));
    urlCheck.appendChild(para('note', `Chưa kiểm tra được tệp: ${messageOf(err)}`));
  }
}

async function copyFileName(): Promise<void> {
  const text = fileNameInput.value;
  if (!text) return;
  let ok = false;
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      ok = true;
    }
  } catch (_) {
    ok = false;
  }
  if (!ok) {
    fileNameInput.focus();
    fileNameInput.select();
    try {
      ok = document.execCommand('copy');
    } catch (_) {
      ok = false;
    }
    if (ok) copyBtn.focus();
  }
  say(ok ? 'Đã sao chép tên tệp.' : 'Không sao chép được tự động: tên tệp đã được chọn sẵn, hãy nhấn Ctrl+C.');
}

// ---------------------------------------------------------------------------
// Following the selection
// ---------------------------------------------------------------------------

function schedulePoll(delay: number = pollDelay): void {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(() => void poll(), delay);
}

async function poll(): Promise<void> {
  // Never replace what a person is typing, and do not poll a hidden sidebar.
  if (document.visibilityState !== 'visible' || busy || isDirty()) {
    schedulePoll();
    return;
  }
  const started = generation;
  try {
    const r = await call('evidencePoll', knownKey);
    pollDelay = POLL_MS;
    if (pollFailed) {
      pollFailed = false;
      clearAlert();
    }
    if (started === generation && !busy && !isDirty() && r.changed) {
      const before = criterion();
      render(r.view);
      const v = criterion();
      if (!v) say('');
      else if (!before || !sameTarget(before.target, v.target)) say(`Đang xem tiêu chí ${v.outline || `ở hàng ${v.target.row}`}.`);
    }
  } catch (err) {
    pollDelay = Math.min(pollDelay * 2, MAX_POLL_MS);
    if (!pollFailed) showAlert(messageOf(err));
    pollFailed = true;
  }
  schedulePoll();
}

// ---------------------------------------------------------------------------
// Wiring
// ---------------------------------------------------------------------------

function submitOnEnter(form: HTMLFormElement) {
  return (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return;
    e.preventDefault();
    if (form.requestSubmit) form.requestSubmit();
    else form.dispatchEvent(new Event('submit', { cancelable: true }));
  };
}

refreshBtn.addEventListener('click', () => void refresh(true));
nextBtn.addEventListener('click', () => void nextMissing());
addForm.addEventListener('submit', (e) => {
  e.preventDefault();
  void addLink();
});
urlInput.addEventListener('input', () => {
  clearTimeout(checkTimer);
  checkSeq++;
  urlInput.removeAttribute('aria-invalid');
  checkTimer = setTimeout(() => void checkTyped(), CHECK_DELAY_MS);
});
scoreForm.addEventListener('submit', (e) => {
  e.preventDefault();
  void saveScore();
});
scoreInput.addEventListener('input', () => fieldError(scoreInput, scoreError, null));
explForm.addEventListener('submit', (e) => {
  e.preventDefault();
  void saveExplanation();
});
explInput.addEventListener('keydown', submitOnEnter(explForm));
explInput.addEventListener('input', () => {
  updateCount();
  fieldError(explInput, explError, null);
});
copyBtn.addEventListener('click', () => void copyFileName());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') schedulePoll(0);
});

void refresh(false);
