/**
 * HipChat Cloud, shut down in February 2019: still the default `server`, so a run that forgot
 * to set it must learn why nothing answers.
 */
import { INPUT_DEFAULTS } from '../action-inputs.js';

/** The default `server` (action.yml's): HipChat Cloud. */
export const HIPCHAT_CLOUD = INPUT_DEFAULTS.server;

/**
 * Whether `server` is HipChat Cloud — the default api.hipchat.com or a team's
 * <name>.hipchat.com — shut down in February 2019, so nothing there will ever answer.
 */
export function isHipChatCloud(server: string): boolean {
  try {
    const host = new URL(server).hostname.toLowerCase();
    return host === 'hipchat.com' || host.endsWith('.hipchat.com');
  } catch {
    return false;
  }
}

/** Advice appended to failures against HipChat Cloud (the default `server`); '' otherwise. */
export function cloudRetiredHint(server: string): string {
  if (!isHipChatCloud(server)) return '';
  const which =
    server === HIPCHAT_CLOUD
      ? `HipChat Cloud (${HIPCHAT_CLOUD}, the default \`server\`)`
      : `\`server\` (${server}) is HipChat Cloud, which`;
  return (
    ` ${which} was shut down in February 2019: set \`server\` to the URL of your HipChat ` +
    'Server / Data Center, e.g. `server: https://hipchat.example.com`.'
  );
}
