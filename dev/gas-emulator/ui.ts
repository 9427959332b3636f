/** Emulated Ui (menus, alerts, prompts, sidebars, modal dialogs), HtmlService and HtmlOutput. */

import { type Ctx, type EnumValue, GasObject, gasError, isEnumOf, makeEnum, notEmulated, signatureError } from './core';

/** https://developers.google.com/apps-script/reference/base/button */
const Button = makeEnum(['CLOSE', 'OK', 'CANCEL', 'YES', 'NO'] as const);
/** https://developers.google.com/apps-script/reference/base/button-set */
const ButtonSet = makeEnum(['OK', 'OK_CANCEL', 'YES_NO', 'YES_NO_CANCEL'] as const);

type ButtonName = keyof typeof Button;
type ButtonSetName = keyof typeof ButtonSet;

const BUTTONS_OF: Record<ButtonSetName, ButtonName[]> = {
  OK: ['OK'],
  OK_CANCEL: ['OK', 'CANCEL'],
  YES_NO: ['YES', 'NO'],
  YES_NO_CANCEL: ['YES', 'NO', 'CANCEL'],
};

/** Name under which createAddonMenu() menus are recorded. */
const ADDON_MENU_NAME = 'Add-on';

// ---------------------------------------------------------------------------
// Recorder (what tests read back)
// ---------------------------------------------------------------------------

type MenuEntry = { type: 'item'; caption: string; functionName: string } | { type: 'separator' } | { type: 'submenu'; menu: MenuRecord };

interface MenuRecord {
  name: string;
  /** true for createAddonMenu() (shown under Extensions › add-on name). */
  addon: boolean;
  items: MenuEntry[];
}

interface AlertRecord {
  title: string;
  message: string;
  buttons: ButtonSetName;
  response: ButtonName;
}

interface ToastRecord {
  message: string;
  title: string;
  timeoutSeconds: number;
}

interface HtmlShownRecord {
  kind: 'sidebar' | 'modal';
  title: string;
  content: string;
  width: number;
  height: number;
}

export class UiRecorder {
  /** Menus added with addToUi(), latest version per name. */
  readonly menus: MenuRecord[] = [];
  /** Alerts shown; the "user" always clicks the first button of the set (OK, YES). */
  readonly alerts: AlertRecord[] = [];
  readonly toasts: ToastRecord[] = [];
  readonly sidebars: HtmlShownRecord[] = [];
  readonly dialogs: HtmlShownRecord[] = [];

  private readonly promptQueue: { text: string; button: ButtonName }[] = [];

  /** Queue what the "user" types and clicks in the next prompt (default: '' and the first button). */
  queuePromptResponse(text: string, button: ButtonName = 'OK'): this {
    this.promptQueue.push({ text, button });
    return this;
  }

  /** @internal */
  _nextPrompt(set: ButtonSetName): { text: string; button: ButtonName } {
    const r = this.promptQueue.shift();
    if (!r) return { text: '', button: BUTTONS_OF[set][0] };
    if (r.button !== 'CLOSE' && !BUTTONS_OF[set].includes(r.button)) {
      throw new Error(`[gas-emulator] queued prompt response ${r.button} is not a button of ButtonSet.${set}`);
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
// Ui — https://developers.google.com/apps-script/reference/base/ui
// ---------------------------------------------------------------------------

/** https://developers.google.com/apps-script/reference/base/menu */
class MenuImpl extends GasObject {
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

/** https://developers.google.com/apps-script/reference/base/prompt-response */
class PromptResponseImpl extends GasObject {
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

/** The (title, prompt, buttons) form of alert() and prompt(); the shorter forms are not emulated. */
function dialogArgs(method: string, args: unknown[]): { title: string; message: string; set: ButtonSetName } {
  if (args.length !== 3) throw notEmulated(`${method} with ${args.length} argument(s)`);
  const [title, message, set] = args;
  if (typeof title !== 'string' || typeof message !== 'string' || !isEnumOf(set, ButtonSet)) throw signatureError(method, args);
  return { title, message, set: String(set) as ButtonSetName };
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
    return new MenuImpl(this._ctx, ADDON_MENU_NAME, true);
  }

  alert(...args: unknown[]): EnumValue {
    const { title, message, set } = dialogArgs('Ui.alert', args);
    const response = BUTTONS_OF[set][0];
    this._ctx.ui.alerts.push({ title, message, buttons: set, response });
    return Button[response];
  }

  prompt(...args: unknown[]): PromptResponseImpl {
    const { set } = dialogArgs('Ui.prompt', args);
    const r = this._ctx.ui._nextPrompt(set);
    return new PromptResponseImpl(this._ctx, r.text, Button[r.button]);
  }

  /** A sidebar is always 300 px wide, whatever setWidth() said. */
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
}

// ---------------------------------------------------------------------------
// HtmlService — https://developers.google.com/apps-script/reference/html/html-service
// ---------------------------------------------------------------------------

/** https://developers.google.com/apps-script/reference/html/html-output */
class HtmlOutputImpl extends GasObject {
  readonly _cls = 'HtmlOutput';
  _title = '';
  _width = 600;
  _height = 400;

  constructor(
    ctx: Ctx,
    readonly _content: string,
  ) {
    super(ctx);
  }

  setTitle(title: string): HtmlOutputImpl {
    this._title = String(title);
    return this;
  }
  setWidth(width: number): HtmlOutputImpl {
    this._width = width;
    return this;
  }
  setHeight(height: number): HtmlOutputImpl {
    this._height = height;
    return this;
  }

  _record(kind: HtmlShownRecord['kind'], title: string, width = this._width): HtmlShownRecord {
    return { kind, title, content: this._content, width, height: this._height };
  }
}

export class HtmlServiceImpl extends GasObject {
  readonly _cls = 'HtmlService';

  constructor(
    ctx: Ctx,
    readonly _files: Record<string, string>,
  ) {
    super(ctx);
  }

  /** Only the createHtmlOutput(html) form with a string. */
  createHtmlOutput(html: string): HtmlOutputImpl {
    if (typeof html !== 'string') throw notEmulated('HtmlService.createHtmlOutput without an HTML string');
    return new HtmlOutputImpl(this._ctx, html);
  }

  createHtmlOutputFromFile(filename: string): HtmlOutputImpl {
    if (typeof filename !== 'string') throw signatureError('HtmlService.createHtmlOutputFromFile', [filename]);
    const base = filename.replace(/\.html$/i, '');
    const content = this._files[base] ?? this._files[`${base}.html`] ?? this._files[filename];
    if (content === undefined) throw gasError(`No HTML file named ${base} was found.`);
    return new HtmlOutputImpl(this._ctx, content);
  }
}
