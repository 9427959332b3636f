/**
 * Apps Script entry points. Every function assigned to `global` here becomes a top-level
 * function in dist/Code.js (menus, triggers and google.script.run can only call those).
 */
import { handleEdit, menuCheckAll, menuCheckSheet } from './check';
import { menuHelp, onInstall, onOpen } from './menu';
import { dailyTick } from './daily';
import { menuDisableReminders, menuEnableReminders, menuPreviewReminder, menuSendRemindersNow } from './reminders';
import { menuSettings } from './settings';
import {
  evidenceAddLink,
  evidenceCheckLink,
  evidenceNextMissing,
  evidencePoll,
  evidenceRemoveLink,
  evidenceSetExplanation,
  evidenceSetScore,
  showEvidenceSidebar,
} from './sidebar';
import { menuBuildSummary } from './summary';
import {
  menuApplyPermissions,
  menuCreateUnitSheets,
  menuLockSelf,
  menuRemedyPlan,
  menuSnapshot,
  menuUnlockSelf,
  onEditInstalled,
} from './workflow';

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
global.menuCreateUnitSheets = menuCreateUnitSheets;
global.menuApplyPermissions = menuApplyPermissions;
global.menuLockSelf = menuLockSelf;
global.menuUnlockSelf = menuUnlockSelf;
global.menuSnapshot = menuSnapshot;
global.menuRemedyPlan = menuRemedyPlan;
global.onEditInstalled = onEditInstalled;
global.showEvidenceSidebar = showEvidenceSidebar;
global.evidencePoll = evidencePoll;
global.evidenceCheckLink = evidenceCheckLink;
global.evidenceAddLink = evidenceAddLink;
global.evidenceRemoveLink = evidenceRemoveLink;
global.evidenceSetScore = evidenceSetScore;
global.evidenceSetExplanation = evidenceSetExplanation;
global.evidenceNextMissing = evidenceNextMissing;
