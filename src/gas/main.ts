/**
 * Apps Script entry points. Every function assigned to `global` here becomes a top-level
 * function in dist/Code.js (menus, triggers and google.script.run can only call those).
 */
import { handleEdit, menuCheckAll, menuCheckSheet } from './check';
import { menuHelp, onInstall, onOpen } from './menu';
import { dailyTick, menuDisableReminders, menuEnableReminders, menuPreviewReminder, menuSendRemindersNow } from './reminders';
import { menuSettings } from './settings';
import { menuBuildSummary } from './summary';

declare const global: Record<string, unknown>;

global.onOpen = onOpen;
global.onInstall = onInstall;
global.onEdit = handleEdit;
global.menuCheckSheet = menuCheckSheet;
global.menuCheckAll = menuCheckAll;
global.menuBuildSummary = menuBuildSummary;
global.menuSettings = menuSettings;
global.menuHelp = menuHelp;
global.menuEnableReminders = menuEnableReminders;
global.menuDisableReminders = menuDisableReminders;
global.menuPreviewReminder = menuPreviewReminder;
global.menuSendRemindersNow = menuSendRemindersNow;
global.dailyTick = dailyTick;
