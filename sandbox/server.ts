/**
 * A HipChat-API-v2-compatible server over 127.0.0.1 for the demo, end-to-end tests, fault tests
 * and benchmarks: real sockets, real rate-limit windows, scripted faults, and a record of every
 * request and every delivered notification.
 */

import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { OAuthClient, Room, TokenSpec } from './defaults.ts';
import {
  DEFAULT_OAUTH_CLIENTS,
  DEFAULT_ROOM_LIMIT,
  DEFAULT_ROOMS,
  DEFAULT_TOKEN_LIMIT,
  DEFAULT_TOKENS,
  DEFAULT_USERS,
} from './defaults.ts';
import { readBasic, readCredential, TokenStore } from './auth.ts';
import { handleControl } from './control.ts';
import { statusFaultAnswer } from './fault-answer.ts';
import type { Fault } from './faults.ts';
import { FaultQueue, parseFaults } from './faults.ts';
import { errorBody } from './http-errors.ts';
import type { Clock, WindowSpec } from './limits.ts';
import { FixedWindowLimiter, systemClock } from './limits.ts';
import type { DeliveredNotification, DeliveredPrivateMessage, RecordedRequest } from './record.ts';
import { Recorder } from './record.ts';
import type { User } from './users.ts';
import { findUser } from './users.ts';
import type { ApiDeps, ApiOutcome, ApiRequest } from './routes.ts';
import { handleApi, peekRateHeaders, resolveRoute } from './routes.ts';
import type { Answer } from './wire.ts';
import type { HistoryItem, HistorySeed } from './history.ts';
import { newMessageId, seedTime } from './history.ts';
import { parseForRecord, resetSocket, splitTarget } from './wire.ts';

export * from './defaults.ts';
export { validateCard } from './card-schema.ts';
export type { Fault, FaultMatch } from './faults.ts';
export type { Clock, WindowSpec, WindowState } from './limits.ts';
export { windowEnd } from './limits.ts';
export type { DeliveredNotification, DeliveredPrivateMessage, RecordedRequest } from './record.ts';
export { findUser, parseUsers } from './users.ts';
export type { HistoryItem, HistorySeed } from './history.ts';
export { VIEW_MESSAGES } from './history.ts';

/** How to start a sandbox; every field is optional. */
export interface SandboxOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Time source for rate-limit windows, token expiry and record times (default: wall clock). */
  clock?: Clock;
  /** Valid tokens; replaces {@link DEFAULT_TOKENS}. */
  tokens?: readonly TokenSpec[];
  /** Rooms; replaces {@link DEFAULT_ROOMS}. */
  rooms?: readonly Room[];
  /** The user directory; replaces {@link DEFAULT_USERS}. */
  users?: readonly User[];
  /** Add-on OAuth clients; replaces {@link DEFAULT_OAUTH_CLIENTS}. */
  oauthClients?: readonly OAuthClient[];
  /** Per-token and per-room windows (HipChat's by default); `enforce: false` never refuses. */
  limits?: { token?: WindowSpec; room?: WindowSpec; enforce?: boolean };
  /** Faults queued from the start. */
  faults?: readonly Fault[];
  /** Called once per API request when the sandbox is done with it (answered, reset, silent). */
  onRequest?: (request: RecordedRequest) => void;
  /** Largest request body accepted, in bytes (default 1 MiB); larger answers 413. */
  maxBodyBytes?: number;
}

/** A running sandbox. */
export interface Sandbox {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Every API request received so far, in order (live records: `status` fills in later). */
  readonly requests: readonly RecordedRequest[];
  /** Notifications delivered, in order; only those of a room (id or name) if given. */
  notifications(room?: number | string): DeliveredNotification[];
  /** Private messages delivered, in order; only those of a user (id, email, `@mention`) if given. */
  privateMessages(user?: number | string): DeliveredPrivateMessage[];
  /** Adds a member to the user directory. */
  addUser(user: User): void;
  /**
   * Puts a message into a room's history as if someone had posted it (a person's message, another
   * integration's notification): what a history lookup must tell apart from the action's own.
   */
  addHistory(room: number | string, seed: HistorySeed): HistoryItem;
  /** A room's history (id or name), or every room's, oldest first. */
  history(room?: number | string): HistoryItem[];
  /** Queues faults for the next matching requests. */
  script(faults: Fault | readonly Fault[]): void;
  /** Faults still queued. */
  pendingFaults(): Fault[];
  /** Accepts one more token (e.g. a room token for another room). */
  addToken(spec: TokenSpec): void;
  /** Turns refusing over-limit requests on or off (headers are sent either way). */
  enforceLimits(on: boolean): void;
  /** Clears the record, queued faults, rate-limit windows, and aborts delayed/silent requests. */
  reset(): void;
  /** Resolves with the finished requests once `count` have finished (default timeout 10 s). */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Stops listening and destroys every connection, silent ones included. */
  close(): Promise<void>;
}

/** A request the sandbox holds on to (delayed or silent), so reset/close can let go of it. */
interface Held {
  socket: Socket;
  cancel(): void;
}

const DEFAULT_MAX_BODY = 1024 * 1024;

/** Starts a sandbox; resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = options.clock ?? systemClock;
  const rooms = [...(options.rooms ?? DEFAULT_ROOMS)];
  const users = [...(options.users ?? DEFAULT_USERS)];
  const tokens = new TokenStore(
    options.tokens ?? DEFAULT_TOKENS,
    options.oauthClients ?? DEFAULT_OAUTH_CLIENTS,
    clock,
  );
  const tokenLimiter = new FixedWindowLimiter(options.limits?.token ?? DEFAULT_TOKEN_LIMIT, clock);
  const roomLimiter = new FixedWindowLimiter(options.limits?.room ?? DEFAULT_ROOM_LIMIT, clock);
  let enforce = options.limits?.enforce ?? true;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const recorder = new Recorder(options.onRequest);
  const faults = new FaultQueue();
  faults.add(parseFaults(options.faults ?? []));
  const sockets = new Set<Socket>();
  const held = new Set<Held>();
  let closing: Promise<void> | undefined;

  /** Keeps a request open for `ms` (or forever); resolves false if reset/close let go of it. */
  const hold = (socket: Socket, ms?: number): Promise<boolean> =>
    new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const entry: Held = {
        socket,
        cancel: () => {
          clearTimeout(timer);
          held.delete(entry);
          socket.destroy();
          resolve(false);
        },
      };
      held.add(entry);
      if (ms === undefined) {
        socket.once('close', () => held.delete(entry));
      } else {
        // Unref'd so a pending delay never keeps a test process alive on its own.
        timer = setTimeout(() => {
          held.delete(entry);
          resolve(true);
        }, ms).unref();
      }
    });

  const letGo = (): void => {
    for (const entry of [...held]) entry.cancel();
  };

  const send = (res: ServerResponse, record: RecordedRequest, answer: Answer): void => {
    const headers: Record<string, string> = {
      ...answer.headers,
      'X-Sandbox-Request': String(record.seq),
    };
    if (answer.body !== '') headers['Content-Length'] = String(Buffer.byteLength(answer.body));
    if (!res.destroyed) {
      res.writeHead(answer.status, headers);
      res.end(answer.body);
    }
    record.responseHeaders = headers;
    recorder.finish(record, answer.status);
  };

  const fromOutcome = (outcome: ApiOutcome): Answer => ({
    status: outcome.status,
    headers: { ...outcome.rateHeaders, ...outcome.headers },
    body: outcome.body,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const { path, query } = splitTarget(req.url ?? '/');
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size <= maxBody) chunks.push(chunk);
      }
    } catch {
      // The client went away before its request was complete: there is nothing to answer.
      return;
    }
    const rawBody = Buffer.concat(chunks).toString('utf8');

    if (path === '/_sandbox' || path.startsWith('/_sandbox/')) {
      const answer = await handleControl(method, path, query, rawBody, control);
      if (answer.html !== undefined) {
        res.writeHead(answer.status, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(answer.html);
        return;
      }
      const body = answer.body === undefined ? '' : JSON.stringify(answer.body, null, 2);
      res.writeHead(
        answer.status,
        body === '' ? {} : { 'Content-Type': 'application/json; charset=utf-8' },
      );
      res.end(body);
      return;
    }

    const route = resolveRoute(method, path, rooms, users);
    const credential = readCredential(req.headers, query);
    const basic = route.kind === 'oauth-token' ? readBasic(req.headers) : null;
    const authTest = query.get('auth_test') === 'true';
    const contentType = req.headers['content-type'];
    const roomRef = 'roomRef' in route ? route.roomRef : undefined;
    const room = 'room' in route ? route.room : undefined;
    const userRef = 'userRef' in route ? route.userRef : null;
    const record = recorder.begin({
      time: clock.now(),
      method,
      path,
      query: Object.fromEntries(query),
      headers: req.headers,
      rawBody,
      body: parseForRecord(contentType, rawBody),
      token: basic?.id ?? credential.token,
      tokenSource: basic === null ? credential.source : 'basic',
      authTokenInQuery: credential.authTokenInQuery,
      room: roomRef ?? null,
      roomId: room?.id ?? null,
      user: userRef,
      userId: 'user' in route ? (route.user?.id ?? null) : null,
      authTest,
    });
    res.on('close', () => {
      if (!res.writableFinished && !record.done) record.clientAborted = true;
    });

    if (size > maxBody) {
      const message = `Request body larger than ${maxBody} bytes`;
      record.error = message;
      send(res, record, {
        status: 413,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: JSON.stringify(errorBody(413, message)),
      });
      return;
    }

    const request: ApiRequest = {
      method,
      path,
      route,
      credential,
      basic,
      authTest,
      contentType,
      rawBody,
      query,
    };
    const deps: ApiDeps = {
      tokens,
      tokenLimiter,
      roomLimiter,
      // A getter: a delayed request sees enforcement as it is when it is finally handled.
      get enforce() {
        return enforce;
      },
      deliver: (target, notification, body, token) => {
        recorder.deliver({
          ...notification,
          id: newMessageId(),
          requestSeq: record.seq,
          time: clock.now(),
          roomId: target.id,
          roomName: target.name,
          body,
          token,
        });
      },
      deliverMessage: (user, message, body, token) => {
        recorder.deliverPrivate({
          ...message,
          requestSeq: record.seq,
          time: clock.now(),
          userId: user.id,
          email: user.email,
          mentionName: user.mention_name,
          body,
          token,
        });
      },
      baseUrl: url,
      history: () => recorder.history,
    };
    const act = (): ApiOutcome => {
      const outcome = handleApi(request, deps);
      record.acted = outcome.acted;
      record.error = outcome.error;
      return outcome;
    };

    const fault = faults.take({
      method,
      path,
      authTest,
      roomRef,
      roomId: room?.id,
      roomName: room?.name,
    });
    record.fault = fault ?? null;
    const socket = req.socket;
    switch (fault?.kind) {
      case undefined:
        send(res, record, fromOutcome(act()));
        return;
      case 'status': {
        const outcome = fault.acted === true ? act() : undefined;
        const rates = outcome?.rateHeaders ?? peekRateHeaders(request, deps);
        const { answer, error } = statusFaultAnswer(fault, rates, clock.now());
        if (error !== null) record.error = error;
        send(res, record, answer);
        return;
      }
      case 'reset-before':
        recorder.finish(record, null);
        resetSocket(socket);
        return;
      case 'reset-after':
        act();
        recorder.finish(record, null);
        resetSocket(socket);
        return;
      case 'delay': {
        if (fault.actFirst === true) {
          const outcome = act();
          if (await hold(socket, fault.ms)) send(res, record, fromOutcome(outcome));
          else recorder.finish(record, null);
        } else if (await hold(socket, fault.ms)) {
          // The request was fully received: like a real server, act even if the client left.
          send(res, record, fromOutcome(act()));
        } else {
          recorder.finish(record, null);
        }
        return;
      }
      case 'silent':
        if (fault.acted === true) act();
        recorder.finish(record, null);
        void hold(socket);
        return;
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      console.error('sandbox: internal error:', error);
      if (!res.headersSent && !res.destroyed) {
        const body = JSON.stringify(errorBody(500, `Sandbox error: ${String(error)}`));
        res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(body);
      }
    });
  };

  const server =
    options.tls === undefined
      ? http.createServer(onRequest)
      : https.createServer({ key: options.tls.key, cert: options.tls.cert }, onRequest);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A client that fails the TLS handshake (e.g. does not trust the CA) must not crash the sandbox.
  server.on('tlsClientError', () => {});

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.address.includes(':') ? `[${address.address}]` : address.address;
  const url = `${options.tls === undefined ? 'http' : 'https'}://${host}:${address.port}`;

  const notifications = (room?: number | string): DeliveredNotification[] =>
    recorder.notifications.filter(
      (n) => room === undefined || String(n.roomId) === String(room) || n.roomName === room,
    );

  const findRoomRef = (room: number | string): Room | undefined =>
    rooms.find((r) => String(r.id) === String(room) || r.name === room);

  const history = (room?: number | string): HistoryItem[] => {
    const wanted = room === undefined ? undefined : findRoomRef(room);
    return recorder.history.filter((item) => room === undefined || item.roomId === wanted?.id);
  };

  const addHistory = (room: number | string, seed: HistorySeed): HistoryItem => {
    const target = findRoomRef(room);
    if (target === undefined) throw new Error(`no room ${JSON.stringify(room)}`);
    const time = seedTime(seed.date, clock.now());
    if (time === undefined) throw new Error(`date: not a time: ${JSON.stringify(seed.date)}`);
    const type = seed.type ?? 'message';
    let from: string | User = seed.from ?? '';
    if (type === 'message') {
      const user = findUser(users, seed.from ?? '');
      if (user === undefined) throw new Error(`from: no user ${JSON.stringify(seed.from)}`);
      from = user;
    }
    const parent = recorder.history.find((i) => i.id === seed.attachTo && i.roomId === target.id);
    const item: HistoryItem = {
      id: newMessageId(),
      roomId: target.id,
      time,
      type,
      from,
      message: seed.message,
      messageFormat: seed.messageFormat ?? (type === 'message' ? 'text' : 'html'),
      ...(seed.color === undefined ? {} : { color: seed.color }),
      ...(seed.card === undefined ? {} : { card: seed.card }),
      ...(parent ? { attachedTo: parent.id } : {}),
    };
    // Kept in time order, as HipChat's history is: a seed may be dated in the past.
    const at = recorder.history.findIndex((i) => i.time > time);
    if (at < 0) recorder.history.push(item);
    else recorder.history.splice(at, 0, item);
    return item;
  };

  const privateMessages = (user?: number | string): DeliveredPrivateMessage[] => {
    const wanted = user === undefined ? undefined : findUser(users, String(user));
    return recorder.privateMessages.filter((m) => user === undefined || m.userId === wanted?.id);
  };

  const reset = (): void => {
    letGo();
    recorder.clear();
    faults.clear();
    tokenLimiter.clear();
    roomLimiter.clear();
  };

  const waitForRequests = (count: number, timeoutMs = 10_000): Promise<RecordedRequest[]> =>
    recorder.waitFor(count, timeoutMs);

  const control = {
    info: () => ({
      url,
      rooms,
      users,
      tokens: tokens.list(),
      oauthClients: tokens.clients(),
      limits: { token: tokenLimiter.spec, room: roomLimiter.spec, enforce },
    }),
    script: (list: Fault[]) => faults.add(list),
    pendingFaults: () => faults.pending(),
    clearFaults: () => faults.clear(),
    get requests() {
      return recorder.requests;
    },
    notifications,
    privateMessages,
    history,
    addHistory,
    rooms,
    reset,
    waitForRequests,
  };

  return {
    url,
    port: address.port,
    get requests() {
      return recorder.requests;
    },
    notifications,
    privateMessages,
    addUser: (user) => {
      users.push(user);
    },
    addHistory,
    history,
    // Validated like HTTP input, so a mistyped fault fails where it is written.
    script: (list) => faults.add(parseFaults(list)),
    pendingFaults: () => faults.pending(),
    addToken: (spec) => tokens.add(spec),
    enforceLimits: (on) => {
      enforce = on;
    },
    reset,
    waitForRequests,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        recorder.close();
        letGo();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
