/**
 * The twelve workloads of issue 12, run on the emulator through the add-on's real entry functions (menus, the daily
 * trigger, a sidebar call, a typed edit), each for 10 units × 120 rows and 100 units × 300 rows. What each one
 * counted is priced by cost-model.ts; whatever the code behind an entry point does, its figure follows.
 */
import { menuCheckAll, menuCheckSheet } from '../src/gas/check';
import { dailyTick } from '../src/gas/daily';
import { ENTRY_NAMES } from '../src/gas/entry-names';
import { SIDEBAR_SERVER } from '../src/gas/sidebar/server';
import { menuBuildSummary } from '../src/gas/summary';
import {
  menuApplyPermissions,
  menuCreateUnitSheets,
  menuLockSelf,
  menuSnapshot,
  menuUnlockSelf,
  PROP_AUTO_LOCK_DONE,
  PROP_SELF_LOCKED,
} from '../src/gas/workflow';
import { defaultSettings, settingsGrid } from '../src/core/settings/settings';
import { STANDARD_HEADERS } from '../src/core/sheet/template';
import { type CallRecord, createFakeEnv, type FakeEnv, installGlobals, makeEditEvent } from '../dev/gas-emulator/index';
import type { Workload } from './cost-model';
import { generatedGrid } from './grids';

export const WORKLOAD_NAMES = [
  'check-all-first',
  'check-all-unchanged',
  'check-sheet',
  'summary',
  'create-unit-sheets',
  'permissions',
  'lock',
  'unlock',
  'snapshot',
  'daily',
  'sidebar-write',
  'edit',
] as const;

export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

export const SIZES: readonly { units: number; rows: number }[] = [
  { units: 10, rows: 120 },
  { units: 100, rows: 300 },
];

const OFFICE = 'vhxh.phuocchanh@gialai.gov.vn';
/** A working morning before the milestones; the daily run is priced the day after the last one (10/11/2026). */
const MORNING = new Date('2026-11-05T01:00:00Z');
const DAY_AFTER_LAST_MILESTONE = new Date('2026-11-11T00:30:00Z');

function settingsOf(units: number) {
  const settings = defaultSettings(2026);
  settings.commune = 'Phước Chánh';
  settings.officeEmail = OFFICE;
  for (let i = 1; i <= units; i++) {
    const name = `Đơn vị ${i}`;
    settings.units.push({ name, sheet: name, focal: '', email: `dv${i}@gialai.gov.vn`, phone: '', sensitive: false });
  }
  return settings;
}

/** The settings and `units` unit sheets of `rows` rows each (or, with `criteriaOnly`, the criteria set instead). */
export function workbook(units: number, rows: number, criteriaOnly = false): Record<string, unknown[][]> {
  const settings = { 'Cấu hình': settingsGrid(settingsOf(units)) };
  const grid = generatedGrid(rows);
  if (criteriaOnly) return { ...settings, 'Bộ tiêu chí': [STANDARD_HEADERS.slice(0, 3), ...grid.slice(2).map((r) => r.slice(0, 3))] };
  const sheets: Record<string, unknown[][]> = {};
  for (let i = 1; i <= units; i++) sheets[`Đơn vị ${i}`] = grid.map((r) => [...r]);
  return { ...settings, ...sheets };
}

/** `new Date()` and Date.now() read the emulator's clock while `fn` runs (as in the add-on tests' sandbox). */
function onClock<T>(env: FakeEnv, fn: () => T): T {
  const RealDate = Date;
  const clock = env.clock;
  class ClockDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(clock.now().getTime());
      else super(...(args as [string]));
    }
    static override now(): number {
      return clock.now().getTime();
    }
  }
  globalThis.Date = ClockDate as DateConstructor;
  try {
    return fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

/** What went wrong in the runs, as the person or the log saw it: a failed run is priced, but never silently. */
export const FAILURES: string[] = [];

const FAILED = /^(Không thực hiện được|Tiện ích chưa được cấp quyền|Có người khác|Ô này đang được bảo vệ)/;

type Step = (what: string, run: () => void) => CallRecord[];

/** A fresh workbook with the globals installed; `fn` runs steps, each counted (and its failures noted) by `step`. */
function session(label: string, sheets: Record<string, unknown[][]>, fn: (env: FakeEnv, step: Step) => void): void {
  const env = createFakeEnv({ sheets, now: MORNING, owner: OFFICE, mailQuota: 1500 });
  const restore = installGlobals(env);
  try {
    fn(env, (what, run) => {
      const alerts = env.ui.alerts.length;
      const logs = env.logs.length;
      env.calls.reset();
      onClock(env, run);
      const calls = env.calls.records();
      env.calls.reset();
      const failed = [
        ...env.ui.alerts.slice(alerts).filter((a) => FAILED.test(a.message)),
        ...env.logs.slice(logs).filter((l) => l.level === 'error'),
      ].map((m) => m.message);
      for (const message of failed) FAILURES.push(`${what} (${label}): ${message}`);
      return calls;
    });
  } finally {
    restore();
  }
}

/** Every workload at one size; `only` limits the run (the test runs two). */
export function runWorkloads(units: number, rows: number, only?: readonly WorkloadName[]): Workload[] {
  const out: Workload[] = [];
  const label = `${units}×${rows}`;
  const want = (name: WorkloadName) => !only || only.includes(name);
  const add = (name: WorkloadName, calls: readonly CallRecord[]) => out.push({ name, units, rows, calls });
  const measure = (name: WorkloadName, step: Step, run: () => void) => {
    if (want(name)) add(name, step(name, run));
  };
  if (WORKLOAD_NAMES.some((n) => want(n) && n !== 'check-sheet' && n !== 'create-unit-sheets')) {
    session(label, workbook(units, rows), (env, step) => {
      // The first check-all runs in any case: the later workloads need checked sheets.
      const first = step('check-all-first', menuCheckAll);
      if (want('check-all-first')) add('check-all-first', first);
      measure('check-all-unchanged', step, menuCheckAll);
      measure('summary', step, menuBuildSummary);
      measure('edit', step, () => typeScore(env));
      measure('sidebar-write', step, () => {
        const reply = SIDEBAR_SERVER.evidenceSetScore({ sheet: 'Đơn vị 1', row: 5, outline: '1.1.1' }, '0,5') as { ok: boolean };
        if (!reply.ok) FAILURES.push(`sidebar-write (${label}): ${JSON.stringify(reply)}`);
      });
      measure('snapshot', step, menuSnapshot);
      measure('permissions', step, menuApplyPermissions);
      measure('lock', step, menuLockSelf);
      measure('unlock', step, menuUnlockSelf);
      if (want('daily')) {
        // A fresh lock state, on the day after the last milestone: reminders, a snapshot, the automatic lock.
        const props = env.gas.PropertiesService.getDocumentProperties();
        for (const key of [PROP_AUTO_LOCK_DONE, PROP_SELF_LOCKED]) props.deleteProperty(key);
        env.clock.set(DAY_AFTER_LAST_MILESTONE);
        measure('daily', step, dailyTick);
      }
    });
  }
  if (want('check-sheet')) {
    session(label, workbook(units, rows), (env, step) => {
      const ss = env.gas.SpreadsheetApp.getActiveSpreadsheet();
      ss.setActiveSheet(ss.getSheetByName('Đơn vị 1') as GoogleAppsScript.Spreadsheet.Sheet);
      measure('check-sheet', step, menuCheckSheet);
    });
  }
  if (want('create-unit-sheets')) {
    session(label, workbook(units, rows, true), (env, step) => {
      measure('create-unit-sheets', step, menuCreateUnitSheets);
      const told = env.ui.alerts.at(-1)?.message ?? '';
      if (!told.startsWith(`Đã tạo ${units} biểu chấm`)) FAILURES.push(`create-unit-sheets (${label}): ${told.slice(0, 200)}`);
    });
  }
  return WORKLOAD_NAMES.flatMap((n) => out.filter((w) => w.name === n));
}

/**
 * A person types a score. The add-on declares no simple onEdit (checked here, so the figure 0 is not bought by
 * leaving a trigger out of the count); the sheet's own formulas keep the totals.
 */
function typeScore(env: FakeEnv): void {
  if ((ENTRY_NAMES as readonly string[]).includes('onEdit')) throw new Error('the add-on declares a simple onEdit again: price it here');
  makeEditEvent(env, 'Đơn vị 1', 'D5', undefined, '0,5');
}
