/**
 * A hostile peer on 127.0.0.1, at the socket level: what a broken corporate proxy or a
 * misbehaving server does that a well-behaved HTTP server cannot — close cleanly right after
 * accept, close after a CONNECT without answering, send a status line and cut, drip an answer
 * byte by byte, stream a body without end, send headers no HTTP library would write.
 *
 * Used as a server (`server: http://127.0.0.1:PORT`) or as a proxy (`HTTPS_PROXY=…`): it reads
 * the request head (the CONNECT line for a proxy) and then plays its `Behaviour`. It counts
 * connections and request heads, so a test can tell one attempt from a reconnect storm.
 */
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import tls from 'node:tls';

/** What the peer does once a request head (or nothing, for `close-on-accept`) has arrived. */
export type Behaviour =
  /** Close the socket cleanly (FIN) as soon as it is accepted, before reading anything. */
  | { kind: 'close-on-accept' }
  /** Read the request head (a CONNECT for a proxy), then close cleanly without a byte. */
  | { kind: 'close-after-head' }
  /**
   * Read the whole request, send the status line and `headers`, then destroy the socket: the
   * head left open, or with `completeHead` ended and followed by `body` (short of its length).
   */
  | {
      kind: 'status-then-cut';
      status: number;
      headers?: Record<string, string>;
      completeHead?: boolean;
      body?: string;
    }
  /** Send a full answer; `dripMs` sends it one byte at a time with that pause in between. */
  | {
      kind: 'answer';
      status: number;
      headers?: Record<string, string>;
      body?: string;
      /** Raw header lines written as they are (odd or invalid ones). */
      rawHeaders?: string[];
      dripMs?: number;
      /** After the answer: end the socket (default) or keep it open. */
      keepOpen?: boolean;
    }
  /** 2xx-or-other status, then a body of `bytes` (Infinity: without end) written as fast as drained. */
  | { kind: 'huge-body'; status: number; bytes: number; contentType?: string }
  /** Read the request and never answer (the socket stays open until closed). */
  | { kind: 'silent' };

/** What the peer saw of one request. */
export interface SeenRequest {
  /** The request line: `POST /v2/room/CI/notification HTTP/1.1` or `CONNECT host:443 HTTP/1.1`. */
  line: string;
  headers: Record<string, string>;
  body: string;
}

/** A running hostile peer. */
export interface HostileServer {
  /** `http://127.0.0.1:PORT` (or `https://` with `tls`). */
  readonly url: string;
  readonly port: number;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Bytes written to closed connections so far (what a client let the peer send). */
  readonly bytesSent: number;
  /** Request heads read so far (CONNECTs included). */
  readonly requests: readonly SeenRequest[];
  /** Changes what the next connections meet. */
  setBehaviour(behaviour: Behaviour | ((index: number) => Behaviour)): void;
  /** Forgets counts and requests. */
  reset(): void;
  close(): Promise<void>;
}

/** Options: TLS (key and certificate) to speak https on accept. */
export interface HostileOptions {
  tls?: { key: string; cert: string };
}

function statusLine(status: number): string {
  return `HTTP/1.1 ${status} ${status >= 200 && status < 300 ? 'OK' : 'Hostile'}\r\n`;
}

function head(status: number, headers: Record<string, string>, raw: string[] = []): string {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `${statusLine(status)}${[...lines, ...raw].map((l) => `${l}\r\n`).join('')}\r\n`;
}

/** Reads until the end of the head and, for a non-CONNECT request, its Content-Length body. */
function readRequest(socket: Socket, done: (request: SeenRequest) => void): void {
  let buffered: Buffer = Buffer.alloc(0);
  let parsed: { line: string; headers: Record<string, string>; rest: Buffer } | undefined;
  const onData = (chunk: Buffer): void => {
    buffered = Buffer.concat([buffered, chunk]);
    if (!parsed) {
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [line = '', ...lines] = buffered.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const colon = l.indexOf(':');
        if (colon > 0) headers[l.slice(0, colon).trim().toLowerCase()] = l.slice(colon + 1).trim();
      }
      parsed = { line, headers, rest: buffered.subarray(end + 4) };
      buffered = parsed.rest;
    }
    const length = parsed.line.toUpperCase().startsWith('CONNECT')
      ? 0
      : Number(parsed.headers['content-length'] ?? 0);
    if (buffered.length < length) return;
    socket.off('data', onData);
    done({
      line: parsed.line,
      headers: parsed.headers,
      body: buffered.subarray(0, length).toString('utf8'),
    });
  };
  socket.on('data', onData);
}

function play(socket: Socket, behaviour: Behaviour): void {
  switch (behaviour.kind) {
    case 'close-on-accept':
    case 'close-after-head':
      socket.end();
      return;
    case 'silent':
      return;
    case 'status-then-cut': {
      const text = head(behaviour.status, behaviour.headers ?? {});
      const sent = behaviour.completeHead ? text + (behaviour.body ?? '') : text.slice(0, -2);
      socket.write(sent, () => setTimeout(() => socket.destroy(), 20));
      return;
    }
    case 'answer': {
      const body = behaviour.body ?? '';
      const headers = { 'content-length': String(Buffer.byteLength(body)), ...behaviour.headers };
      const text = Buffer.from(head(behaviour.status, headers, behaviour.rawHeaders) + body);
      const finish = (): void => {
        if (!behaviour.keepOpen) socket.end();
      };
      if (!behaviour.dripMs) {
        socket.write(text, finish);
        return;
      }
      let i = 0;
      const drip = (): void => {
        if (socket.destroyed) return;
        if (i >= text.length) return finish();
        socket.write(text.subarray(i, ++i));
        setTimeout(drip, behaviour.dripMs);
      };
      drip();
      return;
    }
    case 'huge-body': {
      const headers: Record<string, string> = {
        'content-type': behaviour.contentType ?? 'application/json',
      };
      if (Number.isFinite(behaviour.bytes)) headers['content-length'] = String(behaviour.bytes);
      else headers['transfer-encoding'] = 'chunked';
      socket.write(head(behaviour.status, headers));
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let left = behaviour.bytes;
      const pump = (): void => {
        while (!socket.destroyed && left > 0) {
          const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
          left -= piece.length;
          const framed = Number.isFinite(behaviour.bytes)
            ? piece
            : Buffer.concat([
                Buffer.from(`${piece.length.toString(16)}\r\n`),
                piece,
                Buffer.from('\r\n'),
              ]);
          if (!socket.write(framed)) {
            socket.once('drain', pump);
            return;
          }
        }
        if (!socket.destroyed) socket.end();
      };
      pump();
      return;
    }
  }
}

/** Starts a hostile peer on 127.0.0.1 (a free port). */
export async function startHostileServer(
  initial: Behaviour,
  options: HostileOptions = {},
): Promise<HostileServer> {
  let behaviour: Behaviour | ((index: number) => Behaviour) = initial;
  let connections = 0;
  let bytesSent = 0;
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const onSocket = (socket: Socket): void => {
    const index = connections++;
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      bytesSent += socket.bytesWritten;
    });
    socket.on('error', () => {});
    const chosen = typeof behaviour === 'function' ? behaviour(index) : behaviour;
    if (chosen.kind === 'close-on-accept') return play(socket, chosen);
    readRequest(socket, (request) => {
      requests.push(request);
      play(socket, chosen);
    });
  };
  const server = options.tls
    ? tls.createServer({ key: options.tls.key, cert: options.tls.cert }, onSocket)
    : net.createServer(onSocket);
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    get connections() {
      return connections;
    },
    get bytesSent() {
      return bytesSent;
    },
    requests,
    setBehaviour(next) {
      behaviour = next;
    },
    reset() {
      connections = 0;
      bytesSent = 0;
      requests.length = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
