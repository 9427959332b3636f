/** The "Chấm điểm" menu and the help dialog. */
import type { EntryName } from './entry-names';
import { FIRST_RUN_CAPTION, offerFirstRun } from './first-run';

export const MENU_TITLE = 'Chấm điểm';

type Menu = GoogleAppsScript.Base.Menu;

/** A menu entry: [caption, top-level function], a sub-menu, or null for a separator. */
export type MenuEntry = [string, EntryName] | { submenu: string; items: [string, EntryName][] } | null;

export const MENU: MenuEntry[] = [
  ['Kiểm tra và tính điểm trang này', 'menuCheckSheet'],
  ['Kiểm tra và tính điểm tất cả đơn vị', 'menuCheckAll'],
  null,
  ['Đính kèm minh chứng…', 'showEvidenceSidebar'],
  ['Lập/cập nhật bảng tổng hợp', 'menuBuildSummary'],
  null,
  {
    submenu: 'Nhắc hạn',
    items: [
      ['Bật nhắc hạn tự động (hằng ngày, khoảng 7 giờ)', 'menuEnableReminders'],
      ['Tắt nhắc hạn tự động', 'menuDisableReminders'],
      ['Xem trước email nhắc hạn của một đơn vị…', 'menuPreviewReminder'],
      ['Gửi nhắc hạn hôm nay ngay', 'menuSendRemindersNow'],
    ],
  },
  {
    submenu: 'Quy trình chấm điểm',
    items: [
      ['Tạo biểu chấm cho các đơn vị (từ Bộ tiêu chí)', 'menuCreateUnitSheets'],
      ['Phân quyền sửa cho đơn vị và tổ thẩm định', 'menuApplyPermissions'],
      ['Khóa tự chấm (để thẩm định)', 'menuLockSelf'],
      ['Mở khóa tự chấm', 'menuUnlockSelf'],
      ['Lưu điểm hiện tại vào Lưu trữ', 'menuSnapshot'],
      ['Lập kế hoạch duy trì, khắc phục', 'menuRemedyPlan'],
    ],
  },
  {
    submenu: 'Giai đoạn chấm điểm',
    items: [
      ['Chuyển trang này sang giai đoạn tiếp theo…', 'menuStageNextSheet'],
      ['Chuyển tất cả đơn vị sang giai đoạn tiếp theo…', 'menuStageNextAll'],
      ['Quay lại giai đoạn trước (trang này)…', 'menuStageBackSheet'],
      ['Quay lại giai đoạn trước (tất cả đơn vị)…', 'menuStageBackAll'],
      ['Cập nhật quyền sửa theo giai đoạn', 'menuStageApplyRights'],
      ['Thêm cột giai đoạn sau cho các biểu chấm', 'menuAddStageColumns'],
    ],
  },
  {
    submenu: 'Lập báo cáo',
    items: [
      ['Báo cáo kết quả chấm điểm (Google Docs)', 'menuReportResult'],
      ['Báo cáo tiến độ theo mốc gần nhất', 'menuReportProgress'],
      ['Thông báo kết quả cho từng đơn vị', 'menuReportNotice'],
    ],
  },
  null,
  ['Cấu hình', 'menuSettings'],
  ['Hướng dẫn', 'menuHelp'],
];

/** Set at build time: true when built as an editor add-on (menu under Extensions). */
declare const __ADDON__: boolean;
const IS_ADDON = typeof __ADDON__ !== 'undefined' && __ADDON__;

/** `firstRun`: the workbook has no Cấu hình yet, so the first item offers to start (first-run.ts). */
export function buildMenu(ui: GoogleAppsScript.Base.Ui, addon: boolean, firstRun = false): void {
  const menu: Menu = addon ? ui.createAddonMenu() : ui.createMenu(MENU_TITLE);
  if (firstRun) menu.addItem(FIRST_RUN_CAPTION, 'menuFirstRun').addSeparator();
  for (const entry of MENU) {
    if (entry === null) menu.addSeparator();
    else if (Array.isArray(entry)) menu.addItem(entry[0], entry[1]);
    else {
      const sub = ui.createMenu(entry.submenu);
      for (const [caption, fn] of entry.items) sub.addItem(caption, fn);
      menu.addSubMenu(sub);
    }
  }
  menu.addToUi();
}

/**
 * Simple trigger. Under AuthMode.NONE (an add-on not yet authorised in this file) it only
 * builds the menu and touches no other service; otherwise a workbook without Cấu hình gets the
 * first-run item first in the menu, and a toast pointing at it.
 */
export function onOpen(e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  const none = !!e && e.authMode === ScriptApp.AuthMode.NONE;
  const firstRun = !none && offerFirstRun();
  buildMenu(SpreadsheetApp.getUi(), IS_ADDON || none, firstRun);
}

export function onInstall(e?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen(e as unknown as GoogleAppsScript.Events.SheetsOnOpen);
}

export const HELP_TEXT = [
  'Cách dùng tiện ích Chấm điểm:',
  '1. Chấm điểm → Cấu hình: điền tên xã, email cơ quan thường trực, tên miền email công vụ, bảng đơn vị và các mốc cập nhật.',
  '2. Mỗi đơn vị nhập Điểm tự chấm, Giải trình (khi chưa đạt tối đa) và đường dẫn Minh chứng trên trang của mình.',
  '3. Chọn Kiểm tra và tính điểm một lần: ô tổng các nhóm, hàng tổng và bảng kết quả được điền công thức, nên điểm, tỷ lệ và xếp ' +
    'loại tự cập nhật ngay khi sửa điểm; ô có sai sót tự tô màu. Ghi chú giải thích được cập nhật mỗi lần Kiểm tra (và hằng ngày ' +
    'nếu đã bật nhắc hạn).',
  '4. Tổ thẩm định ghi Điểm thẩm định và Lý do điều chỉnh trên cùng biểu.',
  '5. Chấm điểm → Lập/cập nhật bảng tổng hợp để báo cáo lãnh đạo; Chấm điểm → Lập báo cáo để có báo cáo, thông báo kết quả ' +
    'theo thể thức văn bản hành chính (Google Tài liệu, cùng thư mục với bảng tính).',
  '6. Chấm điểm → Giai đoạn chấm điểm: chuyển biểu qua Tự chấm, Kiểm tra minh chứng, Thẩm định, Giải trình, Thẩm định lại, Công bố; ' +
    'ở mỗi giai đoạn tiện ích đặt quyền ai sửa ô nào. Xã không làm vòng giải trình thì ghi "Giải trình" vào "Giai đoạn bỏ qua" ' +
    'trong trang Cấu hình; "Hạn giải trình" là ngày cuối đơn vị được giải trình.',
  'Ghi "Chưa tính điểm" vào ô điểm với tiêu chí chưa đủ điều kiện đánh giá: tiêu chí đó không tính vào mẫu số.',
  'Chỉ dùng email công vụ, không dùng Gmail cá nhân. Minh chứng về con người, an ninh, y tế, trường học chỉ chia sẻ hạn chế.',
].join('\n');

export function menuHelp(): void {
  const ui = SpreadsheetApp.getUi();
  ui.alert('Hướng dẫn', HELP_TEXT, ui.ButtonSet.OK);
}
