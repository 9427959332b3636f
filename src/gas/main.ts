/**
 * Apps Script entry points. Every function assigned to `global` here becomes a top-level
 * function in dist/Code.js (menus, triggers and google.script.run can only call those).
 */
import { onInstall, onOpen } from './menu';

declare const global: Record<string, unknown>;

global.onOpen = onOpen;
global.onInstall = onInstall;
