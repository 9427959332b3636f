/** Fake Apps Script services for tests. See gas.ts for the entry point (createFakeEnv). */
export * from './gas';
export { CallLog, gasError, type EnumValue, type FakeClock, type LogEntry, type AuthModeName } from './core';
export {
  UiRecorder,
  type MenuRecord,
  type MenuEntry,
  type AlertRecord,
  type PromptRecord,
  type ToastRecord,
  type HtmlShownRecord,
  type ButtonName,
  type ButtonSetName,
} from './ui';
export {
  LockHooks,
  PropertyStores,
  type LockKind,
  type SentMail,
  type TriggerRecord,
  type DriveFileSpec,
  PROPERTY_VALUE_LIMIT_BYTES,
  PROPERTY_STORE_LIMIT_BYTES,
  MAX_TRIGGERS_PER_USER,
} from './services';
export {
  PROTECTED_MESSAGE,
  DEFAULT_CELL,
  DEFAULT_NUMBER_FORMAT,
  type CellState,
  type CellValue,
  type ProtectionRecord,
  type ChartRecord,
} from './spreadsheet';
export { formatJavaPattern, zoneParts } from './dates';
export { colToLetters, lettersToCol, parseA1, rectToA1, type Rect } from './a1';
