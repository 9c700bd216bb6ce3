/**
 * `npm run sandbox`: starts the sandbox, prints its base URL and the default credentials, then
 * one line per request until Ctrl-C. Usage: see USAGE in cli-args.ts or `--help`.
 */

import { parseCliArgs, USAGE } from './cli-args.ts';
import { CONTROL_ROUTES } from './control.ts';
import type { RecordedRequest } from './server.ts';
import {
  DEFAULT_ROOMS,
  DEFAULT_USERS,
  EXPIRED_TOKEN,
  NOTIFY_ONLY_TOKEN,
  OAUTH_CLIENT_ID,
  OAUTH_CLIENT_SECRET,
  PERSONAL_TOKEN,
  ROOM_TOKEN,
  ROOM_TOKEN_ROOM_ID,
  startSandbox,
  VIEW_GROUP_TOKEN,
} from './server.ts';

/** One log line: time, method, path, status (or what happened instead), message text. */
export function describeRequest(request: RecordedRequest): string {
  const time = new Date(request.time).toISOString().slice(11, 23);
  let outcome = request.status === null ? 'no answer' : String(request.status);
  if (request.fault !== null) outcome += ` [fault ${request.fault.kind}]`;
  const notes: string[] = [];
  if (request.authTest) notes.push('auth_test');
  if (request.authTokenInQuery) notes.push('auth_token in URL!');
  if (request.acted) notes.push('acted');
  if (request.clientAborted) notes.push('client aborted');
  const body = request.body as { message?: unknown } | undefined;
  const message =
    typeof body?.message === 'string' ? ` ${JSON.stringify(body.message.slice(0, 120))}` : '';
  const error = request.error === null ? '' : ` (${request.error})`;
  const extra = notes.length > 0 ? ` {${notes.join(', ')}}` : '';
  return `${time} ${request.method} ${request.path} ${outcome}${extra}${message}${error}`;
}

async function main(): Promise<void> {
  let options;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`sandbox: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { quiet } = options;
  const sandbox = await startSandbox({
    ...options.sandbox,
    onRequest: quiet ? undefined : (request) => console.log(describeRequest(request)),
  });
  if (quiet) {
    console.log(sandbox.url);
  } else {
    const rooms = DEFAULT_ROOMS.map((r) => `${r.id} '${r.name}'`).join(', ');
    console.log(`HipChat sandbox listening on ${sandbox.url}`);
    console.log(`  rooms:              ${rooms}`);
    const users = (options.sandbox.users ?? DEFAULT_USERS)
      .map((u) => `${u.id} @${u.mention_name} <${u.email}>`)
      .join(', ');
    console.log(`  users:              ${users}`);
    console.log(
      `  personal token:     ${PERSONAL_TOKEN}  (send_notification, view_group, send_message, view_messages)`,
    );
    console.log(`  notify-only token:  ${NOTIFY_ONLY_TOKEN}  (send_notification only)`);
    console.log(
      `  room token:         ${ROOM_TOKEN}  (room ${ROOM_TOKEN_ROOM_ID} only, send_notification only)`,
    );
    console.log(`  view_group token:   ${VIEW_GROUP_TOKEN}  (403 on notifications)`);
    console.log(`  expired token:      ${EXPIRED_TOKEN}`);
    console.log(`  OAuth id / secret:  ${OAUTH_CLIENT_ID} / ${OAUTH_CLIENT_SECRET}`);
    console.log(`  control:\n${CONTROL_ROUTES.map((r) => `    ${r}`).join('\n')}`);
    console.log('Ctrl-C to stop.');
  }
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
