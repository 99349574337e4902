// The application menu. A packaged build has no View menu: no DevTools toggle and no reload (which would drop
// unsaved viewer state); a development run keeps them. File holds the open record's report: print and save as PDF.
import type { MenuItemConstructorOptions } from 'electron';
import type { ReportAction } from './report-options.ts';

function fileMenu(platform: NodeJS.Platform, onReport: ((action: ReportAction) => void) | undefined): MenuItemConstructorOptions {
  if (!onReport) return { role: 'fileMenu' };
  return {
    label: 'File',
    submenu: [
      { label: 'Print report…', accelerator: 'CmdOrCtrl+P', click: () => onReport('print') },
      { label: 'Save as PDF…', accelerator: 'CmdOrCtrl+Shift+S', click: () => onReport('pdf') },
      { type: 'separator' },
      platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
    ],
  };
}

export function appMenuTemplate(
  packaged: boolean,
  platform: NodeJS.Platform = process.platform,
  onReport?: (action: ReportAction) => void,
): MenuItemConstructorOptions[] {
  const menu: MenuItemConstructorOptions[] = [];
  if (platform === 'darwin') menu.push({ role: 'appMenu' }, ...(onReport ? [fileMenu(platform, onReport)] : []));
  else menu.push(fileMenu(platform, onReport));
  menu.push({ role: 'editMenu' });
  if (!packaged)
    menu.push({
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    });
  else menu.push({ label: 'View', submenu: [{ role: 'togglefullscreen' }] });
  menu.push({ role: 'windowMenu' });
  return menu;
}
