/**
 * The `server` input: the base URL of a HipChat server, told apart from what people paste in
 * its place (a room's notification URL with its token, a URL with credentials or a query) and
 * from HipChat Cloud's addresses, which nothing answers any more. It has no default.
 */
import { cloudServerProblem, isHipChatCloud, SERVER_MISSING } from '../hipchat/cloud.js';

/**
 * What may be said of a `server` value in an error: the value itself, unless it may carry a
 * secret — a query string (HipChat's integration page shows `…?auth_token=…` URLs), a fragment,
 * or credentials — then only that it is hidden.
 */
function shownServer(raw: string, url: URL | undefined): string {
  const risky = /[?#@]/.test(raw) || Boolean(url?.username || url?.password);
  return risky ? '(value hidden)' : `'${raw}'`;
}

// A room's notification URL, as HipChat's integration page shows it:
// https://hipchat.example.com/v2/room/42/notification?auth_token=…
const NOTIFICATION_URL = /^(.*?)\/v2\/room\/([^/]+)(?:\/notification)?\/?$/i;

/** `server` as the base URL (no trailing slash, no `/v2`), or undefined with a problem. */
export function parseServer(raw: string, problems: string[]): string | undefined {
  if (!raw) {
    problems.push(SERVER_MISSING);
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  const shown = shownServer(raw, url);
  if (!url) {
    problems.push(
      `\`server\` is ${shown}: expected the http(s) URL of your HipChat server, e.g. https://hipchat.example.com.`,
    );
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(
      `\`server\` is ${shown}: expected an http:// or https:// URL, not ${url.protocol.slice(0, -1)}.`,
    );
    return undefined;
  }
  if (isHipChatCloud(url.href)) {
    problems.push(cloudServerProblem(shown));
    return undefined;
  }
  if (url.username || url.password) {
    // A password in the URL would end up in logs and proxies; tokens go in `token`.
    problems.push('`server` contains credentials (value hidden): remove user:password@ from it.');
    return undefined;
  }
  const notification = NOTIFICATION_URL.exec(url.pathname);
  if (notification) {
    const base = `${url.origin}${notification[1] ?? ''}`;
    const room = safeDecode(notification[2] ?? '');
    const token = url.searchParams.has('auth_token')
      ? ' The auth_token in it belongs in `token`, from a secret (e.g. `${{ secrets.HIPCHAT_TOKEN }}`); if the URL was written into the workflow file, treat that token as exposed and regenerate it.'
      : '';
    problems.push(
      `\`server\` is a room's notification URL (value hidden): set \`server\` to the part before /v2 (${base}) and \`room\` to '${room}'.${token}`,
    );
    return undefined;
  }
  if (url.search || url.hash || raw.includes('?')) {
    problems.push(
      '`server` has a query string or fragment (value hidden): give the base URL alone, e.g. https://hipchat.example.com; a token goes in `token`.',
    );
    return undefined;
  }
  // Accept a pasted API root ('…/v2') as well as the server's base URL.
  const base = url.pathname.replace(/\/+$/, '').replace(/\/v2$/, '');
  return `${url.origin}${base}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
