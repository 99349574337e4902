export const IPC_INVOKE_CHANNEL = 'leadlens:invoke';
export const IPC_EVENT_CHANNEL = 'leadlens:event';
