// The application menu. A packaged build has no View menu: no DevTools toggle and no reload (which would drop
// unsaved viewer state); a development run keeps them. File ingests files or folders picked in the native dialog
// and holds the open record's report: print and save as PDF.
import type { MenuItemConstructorOptions } from 'electron';
import type { IngestPick } from './ingest-dialog.ts';
import type { ReportAction } from './report-options.ts';

export interface MenuActions {
  onIngest?: (pick: IngestPick) => void;
  onReport?: (action: ReportAction) => void;
}

function fileMenu(platform: NodeJS.Platform, { onIngest, onReport }: MenuActions): MenuItemConstructorOptions {
  if (!onIngest && !onReport) return { role: 'fileMenu' };
  const items: MenuItemConstructorOptions[] = [];
  if (onIngest)
    items.push(
      { label: 'Ingest files…', accelerator: 'CmdOrCtrl+O', click: () => onIngest('files') },
      { label: 'Ingest folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => onIngest('folders') },
      { type: 'separator' },
    );
  if (onReport)
    items.push(
      { label: 'Print report…', accelerator: 'CmdOrCtrl+P', click: () => onReport('print') },
      { label: 'Save as PDF…', accelerator: 'CmdOrCtrl+Shift+S', click: () => onReport('pdf') },
      { type: 'separator' },
    );
  items.push(platform === 'darwin' ? { role: 'close' } : { role: 'quit' });
  return { label: 'File', submenu: items };
}

export function appMenuTemplate(
  packaged: boolean,
  platform: NodeJS.Platform = process.platform,
  actions: MenuActions = {},
): MenuItemConstructorOptions[] {
  const menu: MenuItemConstructorOptions[] = [];
  const withFile = actions.onIngest !== undefined || actions.onReport !== undefined;
  if (platform === 'darwin') menu.push({ role: 'appMenu' }, ...(withFile ? [fileMenu(platform, actions)] : []));
  else menu.push(fileMenu(platform, actions));
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
