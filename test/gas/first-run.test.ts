/**
 * First open after install, on the built dist/Code.js: the menu offers the first run while there is no
 * Cấu hình, and the first-run command reports which sheets are unit sheets (and why the others are not)
 * in one plain-text dialog, then creates Cấu hình with the recognised units.
 */
import { exampleSheets, loadAddon } from './harness';
import { createFakeEnv, makeOpenEvent, sheetValues, type FakeEnv } from '../../dev/gas-emulator/index';
import { parseSettings } from '../../src/core/settings/settings';
import { CRITERIA_SET, UNITS } from '../../scripts/example-data';
import { FIRST_RUN_CAPTION, FIRST_RUN_TITLE } from '../../src/gas/first-run';

const NOTES = 'Ghi chú';
const APPENDIX = '<b>Phụ lục</b> & "x"';
const BLANK = 'Trang tính1';

/** A workbook as a commune has it before install: the unit sheets, a notes sheet, a blank one, an appendix without self scores. */
function freshWorkbook(): FakeEnv {
  const sheets = exampleSheets();
  delete sheets['Cấu hình'];
  return createFakeEnv({
    sheets: {
      ...sheets,
      [NOTES]: [['Họp ngày 02/3: thống nhất lịch chấm'], ['<script>alert(1)</script>']],
      [BLANK]: [],
      [APPENDIX]: [
        ['STT', 'Tiêu chí', 'Điểm tối đa', 'Ghi chú'],
        [1, 'Có kế hoạch', 2, ''],
      ],
    },
    owner: 'vhxh.phuocchanh@gialai.gov.vn',
    now: new Date('2026-11-23T01:00:00Z'),
  });
}

function menuCaptions(env: FakeEnv): string[] {
  const menu = env.ui.menus.find((m) => m.name === 'Chấm điểm')!;
  return menu.items.map((i) => (i.type === 'item' ? (i as { caption: string }).caption : i.type));
}

/** Leaf outlines of the example criteria set, counted here from the set itself. */
const LEAVES = CRITERIA_SET.filter(([o]) => !CRITERIA_SET.some(([other]) => other.startsWith(`${o}.`))).length;

describe('onOpen after install', () => {
  it('puts the first-run offer first and shows a toast, as a simple trigger, when there is no Cấu hình', () => {
    const env = freshWorkbook();
    const addon = loadAddon(env, { account: null });
    env.run({ kind: 'simple' }, () => addon.onOpen(makeOpenEvent(env)));
    const captions = menuCaptions(env);
    expect(captions.slice(0, 3)).toEqual([FIRST_RUN_CAPTION, 'separator', 'Kiểm tra và tính điểm trang này']);
    const item = env.ui.menus[0].items[0] as { functionName: string };
    expect(typeof (addon as Record<string, unknown>)[item.functionName]).toBe('function');
    expect(env.ui.toasts.map((t) => t.message).join()).toContain('Chưa có trang "Cấu hình"');
    expect(env.ui.alerts).toEqual([]);
  });

  it('offers nothing when Cấu hình exists', () => {
    const env = createFakeEnv({ sheets: exampleSheets(), now: new Date('2026-11-23T01:00:00Z') });
    const addon = loadAddon(env, { account: null });
    env.run({ kind: 'simple' }, () => addon.onOpen(makeOpenEvent(env)));
    expect(menuCaptions(env)).not.toContain(FIRST_RUN_CAPTION);
    expect(env.ui.toasts).toEqual([]);
  });

  it('reads nothing in AuthMode.NONE (an add-on not yet used in this file)', () => {
    const env = freshWorkbook();
    const addon = loadAddon(env, { account: null });
    env.setAuthMode('NONE');
    env.calls.reset();
    env.run({ kind: 'simple' }, () => addon.onOpen(makeOpenEvent(env, { authMode: 'NONE' })));
    expect(env.calls.list().filter((c) => c !== 'SpreadsheetApp.getUi' && !c.startsWith('Ui.') && !c.startsWith('Menu.'))).toEqual([]);
    expect(env.ui.menus[0].items.map((i) => (i as { caption?: string }).caption)).not.toContain(FIRST_RUN_CAPTION);
  });
});

describe('the first-run dialog', () => {
  it('lists the unit sheets, says why the others are not, and creates Cấu hình with the units on Yes', () => {
    const env = freshWorkbook();
    const addon = loadAddon(env, { account: null });
    env.calls.reset();
    addon.menuFirstRun();
    // Every sheet read together: one listing, one values.batchGet, one get for the dates; no getValues per sheet.
    expect(env.calls.count('Range.getValues')).toBe(0);
    expect(env.calls.count('Sheets.Spreadsheets.Values.batchGet')).toBe(1);
    expect(env.ui.alerts).toHaveLength(1);
    const { title, message, buttons } = env.ui.alerts[0];
    expect([title, buttons]).toEqual([FIRST_RUN_TITLE, 'YES_NO']);
    for (const unit of UNITS) expect(message).toContain(`• "${unit.sheet}": tiêu đề ở hàng 5, ${LEAVES} tiêu chí cần chấm.`);
    expect(message).toContain(`Nhận ra ${UNITS.length} biểu chấm điểm của đơn vị:`);
    expect(message).toContain('Không phải biểu chấm (3 trang), vì:');
    // The sheet names are shown as typed: the dialog is plain text, nothing is escaped or interpreted.
    expect(message).toMatch(new RegExp(`• "${NOTES}": Không tìm thấy hàng tiêu đề`));
    expect(message).toMatch(new RegExp(`• "${BLANK}": Không tìm thấy hàng tiêu đề`));
    expect(message).toContain(`• "${APPENDIX}": Hàng 1 giống hàng tiêu đề nhưng thiếu cột "Điểm tự chấm"`);
    expect(message).toContain(`Tạo trang "Cấu hình" ngay bây giờ, điền sẵn ${UNITS.length} đơn vị ở trên?`);

    // The emulated alert answers its first button: Yes.
    const names = env.gas.SpreadsheetApp.getActive()
      .getSheets()
      .map((s) => s.getName());
    expect(names[0]).toBe('Cấu hình');
    expect(env.gas.SpreadsheetApp.getActive().getActiveSheet().getName()).toBe('Cấu hình');
    const settings = parseSettings(sheetValues(env, 'Cấu hình'), 2026);
    expect(settings.found).toBe(true);
    expect(settings.settings.units.map((u) => u.sheet)).toEqual(UNITS.map((u) => u.sheet));

    // Opened again: no offer any more; the check run again lists Cấu hình as the tool's own sheet and offers nothing.
    env.ui.menus.length = 0;
    env.run({ kind: 'simple' }, () => addon.onOpen(makeOpenEvent(env)));
    expect(menuCaptions(env)).not.toContain(FIRST_RUN_CAPTION);
    addon.menuFirstRun();
    const again = env.ui.alerts[1];
    expect(again.buttons).toBe('OK');
    expect(again.message).toContain('Trang của công cụ (1):\n• "Cấu hình": Trang');
    expect(again.message).toContain('Trang "Cấu hình" đã có');
    expect(env.gas.SpreadsheetApp.getActive().getSheets()).toHaveLength(names.length);
  });

  it('lists at most 25 sheets per group, and counts the rest', () => {
    const sheets: Record<string, unknown[][]> = {};
    for (let i = 1; i <= 30; i++) sheets[`Ghi chú ${i}`] = [['x']];
    const env = createFakeEnv({ sheets, now: new Date('2026-11-23T01:00:00Z') });
    const addon = loadAddon(env, { account: null });
    addon.menuFirstRun();
    const { message } = env.ui.alerts[0];
    expect(message).toContain('Chưa nhận ra trang nào là biểu chấm điểm của đơn vị.');
    expect(message).toContain('Không phải biểu chấm (30 trang), vì:');
    expect(message.match(/^• "Ghi chú \d+"/gm)).toHaveLength(25);
    expect(message).toContain('• … và 5 trang khác.');
    expect(message).toContain('Bảng đơn vị để trống');
  });
});
