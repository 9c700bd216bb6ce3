/** Command-line options of `npm run sandbox` (`node sandbox/cli.ts`). */

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Fault } from './faults.ts';
import { parseFaults } from './faults.ts';
import { parseRate } from './limits.ts';
import type { SandboxOptions } from './server.ts';
import { parseUsers } from './users.ts';

/** Usage text. */
export const USAGE = `Usage: node sandbox/cli.ts [options]

A HipChat API v2 sandbox on 127.0.0.1. Prints its base URL and tokens, then one line per request.

  --port N              port to listen on (default 0: any free port)
  --host ADDR           address to listen on (default 127.0.0.1)
  --token-limit N/DUR   per-token window, e.g. 5/10s (default HipChat's 100/5m)
  --room-limit N/DUR    per-room flood control, e.g. 3/2s (default HipChat's 30/1m)
  --no-limits           never refuse over-limit requests (headers are still sent)
  --faults JSON         queue faults, e.g. '[{"kind":"status","status":502,"html":true}]'
  --faults-file PATH    queue faults from a JSON file
  --users JSON          replace the user directory, e.g.
                        '[{"id":7,"name":"Eve","mention_name":"Eve","email":"eve@example.com"}]'
  --users-file PATH     replace the user directory from a JSON file
  --tls-key PATH        serve HTTPS with this PEM key ...
  --tls-cert PATH       ... and this PEM certificate
  --quiet               print only the base URL
  --help                show this text
`;

/** What the CLI was asked to do. */
export interface CliOptions {
  help: boolean;
  quiet: boolean;
  sandbox: SandboxOptions;
}

/** Parses CLI arguments (without `node` and the script). Throws a message on bad input. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'token-limit': { type: 'string' },
      'room-limit': { type: 'string' },
      'no-limits': { type: 'boolean', default: false },
      faults: { type: 'string' },
      'faults-file': { type: 'string' },
      users: { type: 'string' },
      'users-file': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-cert': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const sandbox: SandboxOptions = {};
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new Error(`--port: expected a port number from 0 to 65535, got '${values.port}'`);
    }
    sandbox.port = port;
  }
  if (values.host !== undefined) sandbox.host = values.host;
  const limits: NonNullable<SandboxOptions['limits']> = {};
  if (values['token-limit'] !== undefined)
    limits.token = rate('--token-limit', values['token-limit']);
  if (values['room-limit'] !== undefined) limits.room = rate('--room-limit', values['room-limit']);
  if (values['no-limits'] === true) limits.enforce = false;
  if (Object.keys(limits).length > 0) sandbox.limits = limits;

  const faults: Fault[] = [];
  if (values.faults !== undefined) faults.push(...faultsFrom('--faults', values.faults));
  if (values['faults-file'] !== undefined) {
    const file = values['faults-file'];
    faults.push(...faultsFrom(`--faults-file ${file}`, readFileSync(file, 'utf8')));
  }
  if (faults.length > 0) sandbox.faults = faults;

  if (values.users !== undefined && values['users-file'] !== undefined) {
    throw new Error('--users and --users-file: give one of them');
  }
  if (values.users !== undefined) sandbox.users = usersFrom('--users', values.users);
  if (values['users-file'] !== undefined) {
    const file = values['users-file'];
    sandbox.users = usersFrom(`--users-file ${file}`, readFileSync(file, 'utf8'));
  }

  const key = values['tls-key'];
  const cert = values['tls-cert'];
  if ((key === undefined) !== (cert === undefined)) {
    throw new Error('--tls-key and --tls-cert go together');
  }
  if (key !== undefined && cert !== undefined) {
    sandbox.tls = { key: readFileSync(key), cert: readFileSync(cert) };
  }
  return { help: values.help === true, quiet: values.quiet === true, sandbox };
}

function rate(flag: string, text: string): { limit: number; windowMs: number } {
  try {
    return parseRate(text);
  } catch (error) {
    throw new Error(`${flag}: ${(error as Error).message}`, { cause: error });
  }
}

function faultsFrom(source: string, json: string): Fault[] {
  try {
    return parseFaults(JSON.parse(json));
  } catch (error) {
    throw new Error(`${source}: ${(error as Error).message}`, { cause: error });
  }
}

function usersFrom(source: string, json: string): NonNullable<SandboxOptions['users']> {
  try {
    return parseUsers(JSON.parse(json));
  } catch (error) {
    throw new Error(`${source}: ${(error as Error).message}`, { cause: error });
  }
}
