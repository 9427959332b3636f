/**
 * A year of the commune's spreadsheet as Apps Script would run it, with every account it really has: the owner (an
 * office account), a second office account (the standing office's address in the settings), the appraisal council,
 * and ten units whose Google accounts are consumer accounts made with their official addresses. Both office
 * accounts turn reminders on and off and set the permissions; triggers of both run (one account's also after the
 * other installed its own, and one stops when its account leaves); units edit through the sheet (typing, pastes,
 * fill-downs) and through the sidebar; the mail quota runs out on one reminder day. At the end exactly the e-mails,
 * log rows and snapshots the scenario calls for exist, none twice, none lost. Every expected figure is derived here
 * from the scenario (which unit has work left on which day, which days are reminder days), not read from the output.
 */
import { readFileSync } from 'node:fs';
import { CRITERIA_SET } from '../../scripts/example-data';
import { exampleSettings, unitGrid } from '../../scripts/make-example';
import { settingsGrid, type Unit } from '../../src/core/settings/settings';
import { createFakeEnv, type FakeEnv, fireEdit, sheetValues } from '../../dev/gas-emulator/index';
import { type Addon, loadAddon } from './harness';

const OWNER = 'vhxh.phuocchanh@gialai.gov.vn';
/** The standing office's address in the settings: it may change the add-on's protections, like the owner. */
const OFFICE2 = 'vanphong.phuocchanh@gialai.gov.vn';
const COUNCIL = 'hoidong.phuocchanh@gialai.gov.vn';
const UNIT_NAMES = [
  ['Công an xã', 'Công an'],
  ['Ban Chỉ huy Quân sự xã', 'Quân sự'],
  ['Trạm Y tế xã', 'Y tế'],
  ['Trường Mầm non Hoa Sen', 'Mầm non'],
  ['Trường Tiểu học Phước Chánh', 'Tiểu học'],
  ['Trường THCS Phước Chánh', 'THCS'],
  ['Văn phòng HĐND và UBND xã', 'Văn phòng'],
  ['Phòng Kinh tế', 'Kinh tế'],
  ['Phòng Văn hóa - Xã hội', 'Văn hóa'],
  ['Trung tâm Phục vụ hành chính công xã', 'TT PVHCC'],
] as const;
const UNITS: Unit[] = UNIT_NAMES.map(([name, sheet], i) => ({
  name,
  sheet,
  focal: `Cán bộ đầu mối ${i + 1}`,
  email: `donvi${i + 1}.phuocchanh@gialai.gov.vn`,
  phone: '',
  sensitive: false,
}));
const YEAR_MILESTONES = ['2026-06-15', '2026-09-15', '2026-11-10'];
const LEADS = [7, 3, 1];

// Rows of the unit sheets: 4 title rows, the header on row 5, criteria from row 6 in CRITERIA_SET order.
const FIRST_ROW = 6;
const isLeaf = (i: number) => !CRITERIA_SET[i + 1]?.[0].startsWith(`${CRITERIA_SET[i][0]}.`);
const LEAVES = CRITERIA_SET.map(([outline, , max], i) => ({ outline, max, row: FIRST_ROW + i })).filter((_, i) => isLeaf(i));
/** Runs of consecutive leaf rows: one paste each. */
const LEAF_RUNS: (typeof LEAVES)[] = [];
for (const leaf of LEAVES) {
  const run = LEAF_RUNS.at(-1);
  if (run && run.at(-1)!.row === leaf.row - 1) run.push(leaf);
  else LEAF_RUNS.push([leaf]);
}
const link = (unit: number, outline: string) => `https://drive.google.com/file/d/1U${unit}${outline.replace(/\./g, 'x')}MinhChung/view`;

const iso = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (ymd: string, n: number) => iso(new Date(Date.parse(`${ymd}T00:00:00Z`) + n * 86400000));

function yearEnv(): { env: FakeEnv; addon: Addon } {
  const settings = exampleSettings();
  // The office has two accounts, both named in Cấu hình.
  settings.officeEmail = `${OFFICE2}, ${OWNER}`;
  settings.council = [COUNCIL];
  settings.units = UNITS;
  settings.leadDays = LEADS;
  settings.milestones = YEAR_MILESTONES.map((date) => ({ date, content: 'Cập nhật kết quả tự chấm và minh chứng.' }));
  const sheets: Record<string, unknown[][]> = { 'Cấu hình': settingsGrid(settings) };
  for (const u of UNITS) sheets[u.sheet] = unitGrid({ ...u, base: 'empty', rows: {} }, settings);
  const env = createFakeEnv({
    sheets,
    owner: OWNER,
    editors: [OFFICE2, COUNCIL, ...UNITS.map((u) => u.email)],
    accounts: Object.fromEntries(UNITS.map((u) => [u.email, { consumer: true }])),
    htmlFiles: { sidebar: readFileSync('dist/sidebar.html', 'utf8') },
    now: new Date('2026-01-01T00:30:00Z'),
  });
  return { env, addon: loadAddon(env, { account: null }) };
}

test('a year with two office accounts, a council and ten unit accounts: every e-mail, log row and snapshot once', () => {
  const { env, addon } = yearEnv();
  const as = (user: string, fn: () => void) => {
    env.setActiveUser(user, UNITS.some((u) => u.email === user) ? { consumer: true } : {});
    fn();
  };
  const finished = new Map<number, string>(); // unit index → the day its sheet had no work left
  const expectedAudit: string[] = []; // "sheet!cell" of each watched cell edited, once per edit
  let expectedActions = 0; // "(tất cả đơn vị)" rows: permissions set, self-scoring locked
  // The second office account turns the daily run off on 07/06 and on again on 10/06.
  const off = ['2026-06-07', '2026-06-08', '2026-06-09'];

  const edit = (unit: number, a1: string, change: { value: unknown } | { paste: unknown[][] }) =>
    as(UNITS[unit].email, () => {
      const runs = fireEdit(env, addon, UNITS[unit].sheet, a1, change);
      expect(runs.filter((r) => r.error)).toEqual([]);
    });
  const pasteAll = (unit: number, day: string) => {
    for (const run of LEAF_RUNS) {
      edit(unit, `D${run[0].row}:F${run.at(-1)!.row}`, { paste: run.map((l) => [l.max, '', link(unit, l.outline)]) });
      for (const l of run) for (const c of 'DEF') expectedAudit.push(`${UNITS[unit].sheet}!${c}${l.row}`);
    }
    finished.set(unit, day);
  };
  const sidebarAll = (unit: number, day: string) =>
    as(UNITS[unit].email, () => {
      for (const l of LEAVES) {
        const target = { sheet: UNITS[unit].sheet, row: l.row, outline: l.outline };
        expect(addon.evidenceSetScore(target, String(l.max))).toMatchObject({ ok: true });
        expect(addon.evidenceAddLink(target, link(unit, l.outline))).toMatchObject({ ok: true });
        expectedAudit.push(`${UNITS[unit].sheet}!D${l.row}`, `${UNITS[unit].sheet}!F${l.row}`);
      }
      finished.set(unit, day);
    });

  /** What happens on each day, before the daily triggers run (about 7:30 in Vietnam). */
  const plan: Record<string, () => void> = {
    // The second office account sets the permissions first; the owner's "Phân quyền" then adds no second trigger.
    '2026-01-05': () => {
      as(OFFICE2, () => addon.menuApplyPermissions());
      as(OWNER, () => addon.menuEnableReminders());
      expectedActions++;
    },
    '2026-01-06': () => {
      as(OWNER, () => addon.menuApplyPermissions());
      expectedActions++;
    },
    '2026-03-02': () => as(OFFICE2, () => addon.menuEnableReminders()),
    // A unit pastes its whole self-assessment with evidence; another types in a column nobody watches.
    '2026-04-10': () => {
      pasteAll(0, '2026-04-10');
      as(OWNER, () => fireEdit(env, addon, UNITS[1].sheet, 'B2', { value: 'Biểu tự chấm điểm CCHC năm 2026' }));
    },
    // A unit fills its self-assessment through the sidebar; its rows wait for the office's next run.
    '2026-05-20': () => sidebarAll(1, '2026-05-20'),
    // The second office account turns reminders off over a reminder day (the owner's trigger keeps running).
    '2026-06-07': () => as(OFFICE2, () => addon.menuDisableReminders()),
    '2026-06-10': () => as(OFFICE2, () => addon.menuEnableReminders()),
    // Both accounts end up with triggers of their own (as installed by an older version).
    '2026-07-01': () => {
      as(OFFICE2, () => env.gas.ScriptApp.newTrigger('dailyTick').timeBased().everyDays(1).atHour(7).create());
      as(OWNER, () => env.gas.ScriptApp.newTrigger('onEditInstalled').forSpreadsheet(env.gas.SpreadsheetApp.getActive()).onEdit().create());
    },
    // A fill-down of explanations: one edit event over several cells.
    '2026-07-15': () => {
      const run = LEAF_RUNS[0];
      edit(2, `E${run[0].row}:E${run.at(-1)!.row}`, { value: 'Đang cập nhật' });
      for (const l of run) expectedAudit.push(`${UNITS[2].sheet}!E${l.row}`);
    },
    // The second office account leaves: its triggers stop (as if removed); the owner's edit trigger keeps the log.
    '2026-10-01': () =>
      as(OFFICE2, () => {
        for (const t of env.gas.ScriptApp.getProjectTriggers()) env.gas.ScriptApp.deleteTrigger(t);
      }),
    '2026-09-01': () => {
      as(OWNER, () => addon.menuApplyPermissions());
      expectedActions++;
    },
    '2026-09-12': () => env.setMailQuota(12), // four reminders (a unit and the office's two accounts in CC each)
    '2026-09-20': () => pasteAll(3, '2026-09-20'),
  };

  for (let day = '2026-01-01'; day <= '2026-12-31'; day = addDays(day, 1)) {
    env.clock.set(new Date(`${addDays(day, -1)}T23:30:00Z`)); // 6:30 in Vietnam
    env.setMailQuota(100); // a new day's quota
    plan[day]?.();
    env.clock.set(new Date(`${day}T00:30:00Z`));
    for (const t of env.triggers()) {
      if (t.eventType !== 'CLOCK') continue;
      env.run({ kind: 'time-driven', installer: t.owner, triggerUid: t.uniqueId }, () => addon.dailyTick({ triggerUid: t.uniqueId }));
    }
  }
  // The self-scoring lock after the last milestone is logged once, by the daily run.
  expectedActions++;

  expect(env.logs.filter((l) => l.level === 'error')).toEqual([]);
  // ---- expected, from the scenario ----
  const pendingOn = (day: string) => UNITS.filter((_, i) => !(finished.get(i)! <= day));
  const reminderDays = YEAR_MILESTONES.flatMap((m) => LEADS.map((n) => ({ day: addDays(m, -n), milestone: m })));
  const expectedReminders = reminderDays.flatMap(({ day, milestone }) =>
    off.includes(day) ? [] : pendingOn(day).map((u) => `${u.name}|${milestone}`),
  );
  const expectedReports = YEAR_MILESTONES.length;

  const mail = env.mail.map((m) => `${m.to.join(',')}|${m.subject}`);
  expect(new Set(mail).size).toBe(mail.length);
  const reminders = env.mail.filter((m) => m.subject.startsWith('[Nhắc hạn'));
  const dateOf = (m: string) => m.split('-').reverse().join('/');
  expect(reminders.map((m) => `${UNITS.find((u) => u.email === m.to[0])!.name}|${m.subject.slice(-10)}`).sort()).toEqual(
    expectedReminders.map((r) => `${r.split('|')[0]}|${dateOf(r.split('|')[1])}`).sort(),
  );
  for (const m of reminders) expect(m.cc).toEqual([OFFICE2, OWNER]);
  expect(env.mail.filter((m) => m.subject.startsWith('[Báo cáo'))).toHaveLength(expectedReports);

  // The reminder log: every e-mail sent once; the four the quota cut off on 12/09 logged unsent, then sent.
  const remLog = sheetValues(env, 'Nhật ký nhắc hạn').slice(1);
  const sent = remLog.filter((r) => r[6] === 'Đã gửi');
  expect(sent).toHaveLength(expectedReminders.length + expectedReports);
  expect(new Set(sent.map((r) => r[7])).size).toBe(sent.length);
  const unsentOn12 = pendingOn('2026-09-12').length - 4;
  const unsent = remLog.filter((r) => String(r[6]).startsWith('Chưa gửi'));
  // The milestone and the time stay as written (text), so the office reads them as they were logged.
  expect(unsent.map((r) => [r[0], r[3]])).toEqual(Array(unsentOn12).fill(['12/09/2026 07:30', '2026-09-15']));
  expect(remLog.filter((r) => r[5] === 'Nhắc hạn (gửi lại)' && r[6] === 'Đã gửi')).toHaveLength(unsentOn12);

  // The audit log: each watched cell of each edit once; unit accounts are not named to the trigger, so they are
  // logged as unknown, and sidebar writes with the person's address.
  const audit = sheetValues(env, 'Nhật ký chỉnh sửa').slice(1);
  const cells = audit.filter((r) => r[2] !== '(tất cả đơn vị)').map((r) => `${r[2]}!${r[3]}`);
  expect(cells.sort()).toEqual([...expectedAudit].sort());
  expect(audit.filter((r) => r[2] === '(tất cả đơn vị)')).toHaveLength(expectedActions);
  const sidebarRows = audit.filter((r) => r[2] === UNITS[1].sheet);
  expect(new Set(sidebarRows.map((r) => r[1]))).toEqual(new Set([UNITS[1].email]));
  const sheetRows = audit.filter((r) => r[2] === UNITS[0].sheet || r[2] === UNITS[3].sheet || r[2] === UNITS[2].sheet);
  expect(new Set(sheetRows.map((r) => r[1]))).toEqual(new Set(['không xác định']));

  // Snapshots: every unit once per milestone, the day after it.
  const history = sheetValues(env, 'Lưu trữ').slice(1);
  const totals = history.filter((r) => r[4] === 'Tổng điểm').map((r) => `${r[1]}|${r[2]}`);
  expect(totals.sort()).toEqual(YEAR_MILESTONES.flatMap((m) => UNITS.map((u) => `${m}|${u.name}`)).sort());
  // No row twice: a milestone, a unit, a criterion (bonus, penalty and total rows have no STT, but their own text).
  expect(new Set(history.map((r) => `${r[1]}|${r[2]}|${r[3]}|${r[4]}`)).size).toBe(history.length);
}, 900_000);
