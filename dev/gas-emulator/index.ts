/** In-memory stand-ins for the Apps Script services the add-on uses: see README.md. */
export {
  type AccountSpec,
  type DriveFileSpec,
  type ExecutionKind,
  type FakeEnv,
  type FakeEnvOptions,
  type RunAs,
  type ScriptFunctions,
  type SpreadsheetLocale,
  type TriggerRun,
  type UserEdit,
  canUserEdit,
  cellBackground,
  cellNote,
  cellState,
  cellValue,
  createFakeEnv,
  effectiveBackground,
  fireEdit,
  fireTimeDriven,
  installGlobals,
  makeEditEvent,
  makeOpenEvent,
  makePasteEvent,
  sheetValues,
} from './gas';
export type { CallRecord } from './core';
export type { SheetsService } from './sheets-api';
