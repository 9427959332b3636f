/**
 * The names of the Apps Script entry points: the functions menus, triggers and
 * google.script.run call by name. main.ts binds each to its function (typed by these names), the
 * menu and the trigger installs name them by this type, and a test checks that dist/Code.js
 * declares exactly these at top level.
 */
export const ENTRY_NAMES = [
  // simple triggers
  'onOpen',
  'onInstall',
  // installable triggers
  'onEditInstalled',
  'dailyTick',
  // menu items
  'menuCheckSheet',
  'menuCheckAll',
  'menuBuildSummary',
  'menuSettings',
  'menuHelp',
  'menuFirstRun',
  'menuEnableReminders',
  'menuDisableReminders',
  'menuPreviewReminder',
  'menuSendRemindersNow',
  'menuCreateUnitSheets',
  'menuApplyPermissions',
  'menuLockSelf',
  'menuUnlockSelf',
  'menuSnapshot',
  'menuRemedyPlan',
  'menuReportResult',
  'menuReportProgress',
  'menuReportNotice',
  'menuStageNextSheet',
  'menuStageNextAll',
  'menuStageBackSheet',
  'menuStageBackAll',
  'menuStageApplyRights',
  'menuAddStageColumns',
  'showEvidenceSidebar',
  // google.script.run from the evidence sidebar (see SidebarServer)
  'evidencePoll',
  'evidenceCheckLink',
  'evidenceAddLink',
  'evidenceRemoveLink',
  'evidenceSetScore',
  'evidenceSetExplanation',
  'evidenceNextMissing',
] as const;

export type EntryName = (typeof ENTRY_NAMES)[number];
