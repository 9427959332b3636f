/** Contract of the emulated Ui and HtmlService (ui.ts). */
import { createFakeEnv } from './index';

describe('Ui and HtmlService', () => {
  test('menus are recorded, the latest version per name', () => {
    const e = createFakeEnv();
    const ui = e.gas.SpreadsheetApp.getUi();
    ui.createMenu('Chấm điểm').addItem('Cũ', 'old').addToUi();
    ui.createMenu('Chấm điểm')
      .addItem('Kiểm tra', 'checkSheet')
      .addSeparator()
      .addSubMenu(ui.createMenu('Khác').addItem('Tóm tắt', 'summary'))
      .addToUi();
    ui.createAddonMenu().addItem('Mở', 'openSidebar').addToUi();
    expect(e.ui.menus).toEqual([
      {
        name: 'Chấm điểm',
        addon: false,
        items: [
          { type: 'item', caption: 'Kiểm tra', functionName: 'checkSheet' },
          { type: 'separator' },
          { type: 'submenu', menu: { name: 'Khác', addon: false, items: [{ type: 'item', caption: 'Tóm tắt', functionName: 'summary' }] } },
        ],
      },
      { name: 'Add-on', addon: true, items: [{ type: 'item', caption: 'Mở', functionName: 'openSidebar' }] },
    ]);
    expect(() => ui.createMenu('x').addItem('no function', undefined as unknown as string)).toThrow(
      "The parameters (String,undefined) don't match the method signature for Menu.addItem.",
    );
  });

  test('alerts are answered with the first button; prompts with what the test queued', () => {
    const e = createFakeEnv();
    const ui = e.gas.SpreadsheetApp.getUi();
    expect(ui.alert('Chấm điểm', 'Xong', ui.ButtonSet.OK)).toBe(ui.Button.OK);
    expect(ui.alert('Chắc chưa?', 'Xoá?', ui.ButtonSet.YES_NO)).toBe(ui.Button.YES);
    expect(e.ui.alerts).toEqual([
      { title: 'Chấm điểm', message: 'Xong', buttons: 'OK', response: 'OK' },
      { title: 'Chắc chưa?', message: 'Xoá?', buttons: 'YES_NO', response: 'YES' },
    ]);
    expect(() => ui.alert('Xong')).toThrow('[gas-emulator] Ui.alert with 1 argument(s) is not emulated');
    expect(() => ui.alert('Tiêu đề', 'Xong', 'OK' as unknown as GoogleAppsScript.Base.ButtonSet)).toThrow(
      "The parameters (String,String,String) don't match the method signature for Ui.alert.",
    );

    e.ui.queuePromptResponse('42').queuePromptResponse('', 'CANCEL').queuePromptResponse('x', 'YES');
    const answered = ui.prompt('Đơn vị', 'Số?', ui.ButtonSet.OK_CANCEL);
    expect([answered.getResponseText(), answered.getSelectedButton()]).toEqual(['42', ui.Button.OK]);
    expect(ui.prompt('Đơn vị', 'Số?', ui.ButtonSet.OK_CANCEL).getSelectedButton()).toBe(ui.Button.CANCEL);
    expect(() => ui.prompt('Đơn vị', 'Số?', ui.ButtonSet.OK_CANCEL)).toThrow(
      '[gas-emulator] queued prompt response YES is not a button of ButtonSet.OK_CANCEL',
    );
    const unqueued = ui.prompt('Đơn vị', 'Số?', ui.ButtonSet.OK_CANCEL);
    expect([unqueued.getResponseText(), unqueued.getSelectedButton()]).toEqual(['', ui.Button.OK]);
  });

  test('sidebars and modal dialogs are recorded; HTML files come from the options', () => {
    const e = createFakeEnv({ htmlFiles: { Sidebar: '<p>hi</p>', 'dialog.html': '<p>d</p>' } });
    const { SpreadsheetApp, HtmlService } = e.gas;
    const ui = SpreadsheetApp.getUi();
    ui.showSidebar(HtmlService.createHtmlOutputFromFile('Sidebar').setTitle('Chấm điểm').setWidth(500));
    ui.showModalDialog(HtmlService.createHtmlOutput('<b>x</b>').setWidth(640).setHeight(520), 'Kết quả');
    expect(e.ui.sidebars).toEqual([{ kind: 'sidebar', title: 'Chấm điểm', content: '<p>hi</p>', width: 300, height: 400 }]);
    expect(e.ui.dialogs).toEqual([{ kind: 'modal', title: 'Kết quả', content: '<b>x</b>', width: 640, height: 520 }]);
    expect(HtmlService.createHtmlOutputFromFile('Sidebar.html')).toBeTruthy();
    ui.showModalDialog(HtmlService.createHtmlOutputFromFile('dialog'), 'D');
    expect(e.ui.dialogs[1].content).toBe('<p>d</p>');
    expect(() => HtmlService.createHtmlOutputFromFile('Missing')).toThrow('No HTML file named Missing was found.');
    expect(() => (HtmlService.createHtmlOutput as () => unknown)()).toThrow(
      '[gas-emulator] HtmlService.createHtmlOutput without an HTML string is not emulated',
    );
    expect(() => ui.showSidebar('<p>raw</p>' as unknown as GoogleAppsScript.HTML.HtmlOutput)).toThrow(
      "The parameters (String) don't match the method signature for Ui.showSidebar.",
    );
  });
});
