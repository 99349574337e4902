// The application menu. A packaged build has no View menu: no DevTools toggle and no reload (which would drop
// unsaved viewer state); a development run keeps them.
import type { MenuItemConstructorOptions } from 'electron';

export function appMenuTemplate(packaged: boolean, platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const menu: MenuItemConstructorOptions[] = [];
  if (platform === 'darwin') menu.push({ role: 'appMenu' });
  else menu.push({ role: 'fileMenu' });
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
