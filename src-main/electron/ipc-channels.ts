export const IPC_INVOKE_CHANNEL = 'leadlens:invoke';
export const IPC_EVENT_CHANNEL = 'leadlens:event';
/** Renderer -> main: print or save the open record's report ({ recordId, paper, action }). */
export const IPC_REPORT_CHANNEL = 'leadlens:report';
/** Main -> renderer: a report menu item was chosen ('print' | 'pdf'); the page knows which record is open. */
export const IPC_MENU_REPORT_CHANNEL = 'leadlens:menu-report';
