/** Fake Ui (menus, alerts, prompts, sidebars, dialogs), HtmlService and HtmlOutput. */

import { type Ctx, type EnumValue, GasObject, enumKey, gasError, isEnumOf, makeEnum, signatureError } from './core';

export const Button = makeEnum('Button', ['CLOSE', 'OK', 'CANCEL', 'YES', 'NO'] as const);
export const ButtonSet = makeEnum('ButtonSet', ['OK', 'OK_CANCEL', 'YES_NO', 'YES_NO_CANCEL'] as const);
export const SandboxMode = makeEnum('SandboxMode', ['EMULATED', 'IFRAME', 'NATIVE'] as const);
export const XFrameOptionsMode = makeEnum('XFrameOptionsMode', ['ALLOWALL', 'DEFAULT'] as const);

export type ButtonName = keyof typeof Button;
export type ButtonSetName = keyof typeof ButtonSet;

const BUTTONS_OF: Record<ButtonSetName, ButtonName[]> = {
  OK: ['OK'],
  OK_CANCEL: ['OK', 'CANCEL'],
  YES_NO: ['YES', 'NO'],
  YES_NO_CANCEL: ['YES', 'NO', 'CANCEL'],
};

// ---------------------------------------------------------------------------
// Recorder (what tests read back)
// ---------------------------------------------------------------------------

export type MenuEntry =
  | { type: 'item'; caption: string; functionName: string }
  | { type: 'separator' }
  | { type: 'submenu'; menu: MenuRecord };

export interface MenuRecord {
  name: string;
  /** true for createAddonMenu() (shown under Extensions › add-on name). */
  addon: boolean;
  items: MenuEntry[];
}

export interface AlertRecord {
  title: string | null;
  message: string;
  buttons: ButtonSetName;
  response: ButtonName;
}

export interface PromptRecord extends AlertRecord {
  responseText: string;
}

export interface ToastRecord {
  message: string;
  title: string;
  timeoutSeconds: number;
}

export interface HtmlShownRecord {
  kind: 'sidebar' | 'modal' | 'modeless';
  title: string;
  content: string;
  width: number;
  height: number;
}

export class UiRecorder {
  /** Menus added with addToUi(), latest version per name. */
  readonly menus: MenuRecord[] = [];
  readonly alerts: AlertRecord[] = [];
  readonly prompts: PromptRecord[] = [];
  readonly toasts: ToastRecord[] = [];
  readonly sidebars: HtmlShownRecord[] = [];
  readonly dialogs: HtmlShownRecord[] = [];
  /** Name shown for createAddonMenu(). */
  addonName = 'Add-on';

  private readonly alertQueue: ButtonName[] = [];
  private readonly promptQueue: { text: string; button: ButtonName }[] = [];

  /** Queue the button the "user" clicks in the next alert (default: first button of the set, e.g. OK / YES). */
  queueAlertResponse(...buttons: ButtonName[]): this {
    this.alertQueue.push(...buttons);
    return this;
  }

  /** Queue what the "user" types and clicks in the next prompt (default: '' and the first button). */
  queuePromptResponse(text: string, button: ButtonName = 'OK'): this {
    this.promptQueue.push({ text, button });
    return this;
  }

  /** Function name bound to a menu item caption (searches submenus), or null. */
  menuItem(caption: string, menuName?: string): string | null {
    const search = (items: MenuEntry[]): string | null => {
      for (const it of items) {
        if (it.type === 'item' && it.caption === caption) return it.functionName;
        if (it.type === 'submenu') {
          const f = search(it.menu.items);
          if (f) return f;
        }
      }
      return null;
    };
    for (const m of this.menus) {
      if (menuName !== undefined && m.name !== menuName) continue;
      const f = search(m.items);
      if (f) return f;
    }
    return null;
  }

  /** The last thing shown: sidebar or dialog. */
  lastShown(): HtmlShownRecord | null {
    const all = [...this.sidebars, ...this.dialogs];
    return all.length ? all[all.length - 1] : null;
  }

  /** @internal */
  _nextAlert(set: ButtonSetName): ButtonName {
    const allowed = BUTTONS_OF[set];
    const b = this.alertQueue.shift();
    if (b === undefined) return allowed[0];
    if (b !== 'CLOSE' && !allowed.includes(b)) {
      throw new Error(`[fake Ui] queued alert response ${b} is not a button of ButtonSet.${set}`);
    }
    return b;
  }

  /** @internal */
  _nextPrompt(set: ButtonSetName): { text: string; button: ButtonName } {
    const allowed = BUTTONS_OF[set];
    const r = this.promptQueue.shift();
    if (!r) return { text: '', button: allowed[0] };
    if (r.button !== 'CLOSE' && !allowed.includes(r.button)) {
      throw new Error(`[fake Ui] queued prompt response ${r.button} is not a button of ButtonSet.${set}`);
    }
    return r;
  }

  /** @internal */
  _upsertMenu(m: MenuRecord): void {
    const i = this.menus.findIndex((x) => x.name === m.name && x.addon === m.addon);
    if (i >= 0) this.menus[i] = m;
    else this.menus.push(m);
  }
}

// ---------------------------------------------------------------------------
// Ui
// ---------------------------------------------------------------------------

export class MenuImpl extends GasObject {
  readonly _cls = 'Menu';
  readonly _items: (
    | { type: 'item'; caption: string; functionName: string }
    | { type: 'separator' }
    | { type: 'submenu'; menu: MenuImpl }
  )[] = [];

  constructor(
    ctx: Ctx,
    readonly _name: string,
    readonly _addon: boolean,
  ) {
    super(ctx);
  }

  addItem(caption: string, functionName: string): MenuImpl {
    if (typeof caption !== 'string' || typeof functionName !== 'string') {
      throw signatureError('Menu.addItem', [caption, functionName]);
    }
    this._items.push({ type: 'item', caption, functionName });
    return this;
  }

  addSeparator(): MenuImpl {
    this._items.push({ type: 'separator' });
    return this;
  }

  addSubMenu(menu: MenuImpl): MenuImpl {
    if (!(menu instanceof MenuImpl)) throw signatureError('Menu.addSubMenu', [menu]);
    this._items.push({ type: 'submenu', menu });
    return this;
  }

  addToUi(): void {
    this._ctx.ui._upsertMenu(this._snapshot());
  }

  _snapshot(): MenuRecord {
    return {
      name: this._name,
      addon: this._addon,
      items: this._items.map((it): MenuEntry => (it.type === 'submenu' ? { type: 'submenu', menu: it.menu._snapshot() } : { ...it })),
    };
  }
}

export class PromptResponseImpl extends GasObject {
  readonly _cls = 'PromptResponse';
  constructor(
    ctx: Ctx,
    readonly _text: string,
    readonly _button: EnumValue,
  ) {
    super(ctx);
  }
  getResponseText(): string {
    return this._text;
  }
  getSelectedButton(): EnumValue {
    return this._button;
  }
}

function buttonSetName(v: unknown): ButtonSetName | null {
  return isEnumOf(v, ButtonSet) ? (enumKey(v) as ButtonSetName) : null;
}

/** Split (msg) / (msg, buttons) / (title, msg, buttons) argument forms. */
function dialogArgs(method: string, args: unknown[]): { title: string | null; message: string; set: ButtonSetName } {
  const [a, b, c] = args;
  if (args.length <= 1) {
    if (typeof a !== 'string') throw signatureError(method, args);
    return { title: null, message: a, set: 'OK' };
  }
  if (args.length === 2) {
    const set = buttonSetName(b);
    if (typeof a !== 'string' || !set) throw signatureError(method, args);
    return { title: null, message: a, set };
  }
  const set = buttonSetName(c);
  if (typeof a !== 'string' || typeof b !== 'string' || !set) throw signatureError(method, args);
  return { title: a, message: b, set };
}

export class UiImpl extends GasObject {
  readonly _cls = 'Ui';
  readonly Button = Button;
  readonly ButtonSet = ButtonSet;

  createMenu(caption: string): MenuImpl {
    if (typeof caption !== 'string') throw signatureError('Ui.createMenu', [caption]);
    return new MenuImpl(this._ctx, caption, false);
  }

  createAddonMenu(): MenuImpl {
    return new MenuImpl(this._ctx, this._ctx.ui.addonName, true);
  }

  alert(...args: unknown[]): EnumValue {
    const { title, message, set } = dialogArgs('Ui.alert', args);
    const response = this._ctx.ui._nextAlert(set);
    this._ctx.ui.alerts.push({ title, message, buttons: set, response });
    return Button[response];
  }

  prompt(...args: unknown[]): PromptResponseImpl {
    const { title, message, set } = dialogArgs('Ui.prompt', args);
    const r = this._ctx.ui._nextPrompt(set);
    this._ctx.ui.prompts.push({ title, message, buttons: set, response: r.button, responseText: r.text });
    return new PromptResponseImpl(this._ctx, r.text, Button[r.button]);
  }

  showSidebar(userInterface: HtmlOutputImpl): void {
    if (!(userInterface instanceof HtmlOutputImpl)) throw signatureError('Ui.showSidebar', [userInterface]);
    this._ctx.ui.sidebars.push(userInterface._record('sidebar', userInterface._title, 300));
  }

  showModalDialog(userInterface: HtmlOutputImpl, title: string): void {
    if (!(userInterface instanceof HtmlOutputImpl) || typeof title !== 'string') {
      throw signatureError('Ui.showModalDialog', [userInterface, title]);
    }
    this._ctx.ui.dialogs.push(userInterface._record('modal', title));
  }

  showModelessDialog(userInterface: HtmlOutputImpl, title: string): void {
    if (!(userInterface instanceof HtmlOutputImpl) || typeof title !== 'string') {
      throw signatureError('Ui.showModelessDialog', [userInterface, title]);
    }
    this._ctx.ui.dialogs.push(userInterface._record('modeless', title));
  }

  /** Deprecated in the real API: modal dialog titled with the output's title. */
  showDialog(userInterface: HtmlOutputImpl): void {
    if (!(userInterface instanceof HtmlOutputImpl)) throw signatureError('Ui.showDialog', [userInterface]);
    this._ctx.ui.dialogs.push(userInterface._record('modal', userInterface._title));
  }
}

// ---------------------------------------------------------------------------
// HtmlService
// ---------------------------------------------------------------------------

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export class HtmlOutputImpl extends GasObject {
  readonly _cls = 'HtmlOutput';
  _content: string;
  _title = '';
  _width = 600;
  _height = 400;
  _sandbox: EnumValue = SandboxMode.IFRAME;
  _xframe: EnumValue = XFrameOptionsMode.DEFAULT;
  _favicon: string | null = null;
  readonly _meta: { name: string; content: string }[] = [];

  constructor(ctx: Ctx, content: string) {
    super(ctx);
    this._content = content;
  }

  append(addedContent: string): HtmlOutputImpl {
    this._content += String(addedContent);
    return this;
  }
  appendUntrusted(addedContent: string): HtmlOutputImpl {
    this._content += escapeHtml(String(addedContent));
    return this;
  }
  clear(): HtmlOutputImpl {
    this._content = '';
    return this;
  }
  getContent(): string {
    return this._content;
  }
  setContent(content: string): HtmlOutputImpl {
    this._content = String(content);
    return this;
  }
  getTitle(): string {
    return this._title;
  }
  setTitle(title: string): HtmlOutputImpl {
    this._title = String(title);
    return this;
  }
  getWidth(): number {
    return this._width;
  }
  setWidth(width: number): HtmlOutputImpl {
    this._width = width;
    return this;
  }
  getHeight(): number {
    return this._height;
  }
  setHeight(height: number): HtmlOutputImpl {
    this._height = height;
    return this;
  }
  setSandboxMode(mode: EnumValue): HtmlOutputImpl {
    if (!isEnumOf(mode, SandboxMode)) throw signatureError('HtmlOutput.setSandboxMode', [mode]);
    this._sandbox = mode;
    return this;
  }
  setXFrameOptionsMode(mode: EnumValue): HtmlOutputImpl {
    if (!isEnumOf(mode, XFrameOptionsMode)) throw signatureError('HtmlOutput.setXFrameOptionsMode', [mode]);
    this._xframe = mode;
    return this;
  }
  addMetaTag(name: string, content: string): HtmlOutputImpl {
    this._meta.push({ name, content });
    return this;
  }
  setFaviconUrl(url: string): HtmlOutputImpl {
    this._favicon = url;
    return this;
  }
  getFaviconUrl(): string | null {
    return this._favicon;
  }

  _record(kind: HtmlShownRecord['kind'], title: string, width = this._width): HtmlShownRecord {
    return { kind, title, content: this._content, width, height: this._height };
  }
}

export class HtmlServiceImpl extends GasObject {
  readonly _cls = 'HtmlService';
  readonly SandboxMode = SandboxMode;
  readonly XFrameOptionsMode = XFrameOptionsMode;

  constructor(
    ctx: Ctx,
    readonly _files: Record<string, string>,
  ) {
    super(ctx);
  }

  createHtmlOutput(html?: unknown): HtmlOutputImpl {
    if (html === undefined) return new HtmlOutputImpl(this._ctx, '');
    if (typeof html === 'string') return new HtmlOutputImpl(this._ctx, html);
    const blob = html as { getDataAsString?: () => string };
    if (blob && typeof blob.getDataAsString === 'function') return new HtmlOutputImpl(this._ctx, blob.getDataAsString());
    throw signatureError('HtmlService.createHtmlOutput', [html]);
  }

  createHtmlOutputFromFile(filename: string): HtmlOutputImpl {
    if (typeof filename !== 'string') throw signatureError('HtmlService.createHtmlOutputFromFile', [filename]);
    const base = filename.replace(/\.html$/i, '');
    const content = this._files[base] ?? this._files[`${base}.html`] ?? this._files[filename];
    if (content === undefined) throw gasError(`No HTML file named ${base} was found.`);
    return new HtmlOutputImpl(this._ctx, content);
  }
}
