/**
 * HipChat Cloud, shut down in February 2019: nothing there will ever answer, so `server` has no
 * default and a Cloud address is an input error, before anything is sent.
 */

/** Where HipChat Cloud's API was. */
export const HIPCHAT_CLOUD = 'https://api.hipchat.com';

/** The advice every `server` problem about Cloud ends with. */
const SET_SERVER =
  'set `server` to the URL of your HipChat Server / Data Center, e.g. `server: https://hipchat.example.com`.';

/** The input error for a run without `server`. */
export const SERVER_MISSING = `\`server\` is empty: ${SET_SERVER} There is no default: HipChat Cloud was shut down in February 2019.`;

/**
 * Whether `server` is HipChat Cloud — api.hipchat.com or a team's <name>.hipchat.com — shut
 * down in February 2019.
 */
export function isHipChatCloud(server: string): boolean {
  try {
    const host = new URL(server).hostname.toLowerCase();
    return host === 'hipchat.com' || host.endsWith('.hipchat.com');
  } catch {
    return false;
  }
}

/** The input error for a Cloud address; `shown` is the value as it may be said ('…' or hidden). */
export function cloudServerProblem(shown: string): string {
  return `\`server\` is ${shown}, HipChat Cloud, which was shut down in February 2019: ${SET_SERVER}`;
}
