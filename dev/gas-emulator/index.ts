/** In-memory stand-ins for the Apps Script services the add-on uses: see README.md. */
export {
  type DriveFileSpec,
  type FakeEnv,
  type FakeEnvOptions,
  canUserEdit,
  cellBackground,
  cellNote,
  cellState,
  cellValue,
  createFakeEnv,
  effectiveBackground,
  installGlobals,
  makeEditEvent,
  makeOpenEvent,
  sheetValues,
} from './gas';
export type { CallRecord } from './core';
export type { SheetsService } from './sheets-api';
