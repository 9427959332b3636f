/**
 * Apps Script entry points. Every function assigned to `global` here becomes a top-level
 * function in dist/Code.js (menus, triggers and google.script.run can only call those);
 * `global` is typed by ENTRY_NAMES, so a name that is not an entry point fails to compile.
 */
import { menuCheckAll, menuCheckSheet } from './check';
import { dailyTick } from './daily';
import type { EntryName } from './entry-names';
import { menuFirstRun } from './first-run';
import { menuHelp, onInstall, onOpen } from './menu';
import { menuDisableReminders, menuEnableReminders, menuPreviewReminder, menuSendRemindersNow } from './reminders';
import { menuReportNotice, menuReportProgress, menuReportResult } from './report';
import { menuSettings } from './settings';
import { showEvidenceSidebar } from './sidebar/page';
import { SIDEBAR_SERVER } from './sidebar/server';
import {
  menuAddStageColumns,
  menuStageApplyRights,
  menuStageBackAll,
  menuStageBackSheet,
  menuStageNextAll,
  menuStageNextSheet,
} from './stages';
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

declare const global: Record<EntryName, unknown>;

global.onOpen = onOpen;
global.onInstall = onInstall;
global.onEditInstalled = onEditInstalled;
global.dailyTick = dailyTick;
global.menuCheckSheet = menuCheckSheet;
global.menuCheckAll = menuCheckAll;
global.menuBuildSummary = menuBuildSummary;
global.menuSettings = menuSettings;
global.menuHelp = menuHelp;
global.menuFirstRun = menuFirstRun;
global.menuEnableReminders = menuEnableReminders;
global.menuDisableReminders = menuDisableReminders;
global.menuPreviewReminder = menuPreviewReminder;
global.menuSendRemindersNow = menuSendRemindersNow;
global.menuCreateUnitSheets = menuCreateUnitSheets;
global.menuApplyPermissions = menuApplyPermissions;
global.menuLockSelf = menuLockSelf;
global.menuUnlockSelf = menuUnlockSelf;
global.menuSnapshot = menuSnapshot;
global.menuRemedyPlan = menuRemedyPlan;
global.menuReportResult = menuReportResult;
global.menuReportProgress = menuReportProgress;
global.menuReportNotice = menuReportNotice;
global.menuStageNextSheet = menuStageNextSheet;
global.menuStageNextAll = menuStageNextAll;
global.menuStageBackSheet = menuStageBackSheet;
global.menuStageBackAll = menuStageBackAll;
global.menuStageApplyRights = menuStageApplyRights;
global.menuAddStageColumns = menuAddStageColumns;
global.showEvidenceSidebar = showEvidenceSidebar;
global.evidencePoll = SIDEBAR_SERVER.evidencePoll;
global.evidenceCheckLink = SIDEBAR_SERVER.evidenceCheckLink;
global.evidenceAddLink = SIDEBAR_SERVER.evidenceAddLink;
global.evidenceRemoveLink = SIDEBAR_SERVER.evidenceRemoveLink;
global.evidenceSetScore = SIDEBAR_SERVER.evidenceSetScore;
global.evidenceSetExplanation = SIDEBAR_SERVER.evidenceSetExplanation;
global.evidenceNextMissing = SIDEBAR_SERVER.evidenceNextMissing;
