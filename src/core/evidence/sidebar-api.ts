/** What the evidence sidebar and its server functions say to each other: the view and reply shapes. */
/** Identifies the criterion a write is for; the outline guards against rows that moved. */
export interface Target {
  sheet: string;
  row: number;
  outline: string;
}

export interface LinkView {
  /** The link as stored in the cell (may be unsafe: then it is shown as text only). */
  url: string;
  /** The text of the cell carrying the link. */
  text: string;
  safe: boolean;
  kindLabel: string;
  /** File name read through DriveApp, when checked and readable. */
  fileName: string | null;
  /** Sharing problem for a sensitive unit. */
  warning: string | null;
  /** Could not check, or not a Drive file. */
  note: string | null;
  /** The shown text names another address than the link opens (e.g. text "drive.google.com/…" opening another site). */
  misleading: boolean;
}

export interface CriterionView {
  kind: 'criterion';
  /** Selection key (sheet and selected row) the view answers. */
  key: string;
  target: Target;
  unit: string;
  sensitive: boolean;
  outline: string;
  text: string;
  group: string;
  block: 'main' | 'bonus' | 'penalty';
  leaf: boolean;
  /** Max and self score as the sheet shows them ('' when empty). */
  max: string;
  maxValue: number | null;
  self: string;
  explanation: string;
  hasEvidenceColumn: boolean;
  hasExplanationColumn: boolean;
  links: LinkView[];
  otherText: string;
  fileName: string;
  officeFocal: string;
}

export interface NoneView {
  kind: 'none';
  key: string;
  sheet: string;
  row: number;
  /** True when the sheet is a unit's score sheet (next-missing works from here). */
  unitSheet: boolean;
  message: string;
}

export type SidebarView = CriterionView | NoneView;

export interface LinkCheck {
  url: string;
  kindLabel: string;
  fileName: string | null;
  drive: 'ok' | 'no-permission' | 'not-found' | 'not-drive';
  warning: string | null;
  note: string | null;
}

export type Reply<T> = { ok: true; data: T } | { ok: false; error: string };

export type PollResult = { changed: false; key: string } | { changed: true; key: string; view: SidebarView };

export interface WriteResult {
  view: SidebarView;
  message: string;
  check?: LinkCheck;
}

export interface NextResult {
  found: boolean;
  message: string;
  view?: SidebarView;
}

/** A place in a sheet the page asks about (the next missing evidence after it). */
export interface Place {
  sheet: string;
  row: number;
}

/**
 * The server functions the sidebar calls through google.script.run, with the arguments the page
 * sends and the replies it gets. The page's `call` is typed by these keys and the Apps Script side
 * is checked against them (see Untrusted), so renaming a function on one side fails to compile.
 */
export interface SidebarServer {
  evidencePoll(known: string): Reply<PollResult>;
  evidenceCheckLink(target: Target, url: string): Reply<LinkCheck>;
  evidenceAddLink(target: Target, url: string): Reply<WriteResult>;
  evidenceRemoveLink(target: Target, url: string): Reply<WriteResult>;
  evidenceSetScore(target: Target, input: string): Reply<WriteResult>;
  evidenceSetExplanation(target: Target, text: string): Reply<WriteResult>;
  evidenceNextMissing(from: Place): Reply<NextResult>;
}

/** What reaches the server: the same functions, but every argument comes from the browser unchecked. */
export type Untrusted<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: { [I in keyof A]: unknown }) => R : never;
};

/** The data of a successful reply of server function K. */
export type ReplyData<K extends keyof SidebarServer> = ReturnType<SidebarServer[K]> extends Reply<infer T> ? T : never;
