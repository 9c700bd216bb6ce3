/**
 * A small real forward proxy on 127.0.0.1, like a company's: CONNECT tunnels for https targets,
 * absolute-form requests (`POST http://host/path`) for http ones. It records what passed
 * through, can demand credentials (407), and resolves names from its own table — so a test can
 * use a host name (`hipchat.test`) that only the proxy knows: a request that reaches the server
 * can only have gone through the proxy.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

/** One request the proxy received. */
export interface ProxiedRequest {
  /** `CONNECT` for a tunnel, else the method of an absolute-form request. */
  method: string;
  /** `host:port` for CONNECT, the absolute URL otherwise. */
  target: string;
  /** The `Proxy-Authorization` header, if any. */
  proxyAuthorization: string | null;
  /** What the proxy answered (200 for an established tunnel). */
  status: number;
}

/** How the proxy behaves. */
export interface ForwardProxyOptions {
  /** Host names the proxy resolves itself, e.g. `{ 'hipchat.test': '127.0.0.1' }`. */
  hosts?: Record<string, string>;
  /** `user:password` the proxy demands (Basic); requests without it get 407. */
  credentials?: string;
}

/** A running proxy. */
export interface ForwardProxy {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly requests: readonly ProxiedRequest[];
  close(): Promise<void>;
}

function splitHostPort(hostPort: string, defaultPort: number): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(hostPort);
  return { host: match?.[1] ?? hostPort, port: Number(match?.[2] ?? defaultPort) };
}

/** Starts a forward proxy on 127.0.0.1 (a free port). */
export async function startForwardProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const resolve = (host: string): string => options.hosts?.[host.toLowerCase()] ?? host;
  const expected = options.credentials
    ? `Basic ${Buffer.from(options.credentials).toString('base64')}`
    : undefined;
  const authorized = (req: IncomingMessage): boolean =>
    expected === undefined || req.headers['proxy-authorization'] === expected;
  const record = (req: IncomingMessage, status: number): void => {
    requests.push({
      method: req.method ?? '',
      target: req.url ?? '',
      proxyAuthorization: req.headers['proxy-authorization'] ?? null,
      status,
    });
  };

  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
      if (target.protocol !== 'http:') throw new Error('not absolute-form http');
    } catch {
      record(req, 400);
      res.writeHead(400, { 'content-type': 'text/plain' }).end('absolute-form http:// only');
      return;
    }
    if (!authorized(req)) {
      record(req, 407);
      res
        .writeHead(407, { 'proxy-authenticate': 'Basic realm="test proxy"' })
        .end('proxy authentication required');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request(
      {
        host: resolve(target.hostname),
        port: Number(target.port || 80),
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers,
      },
      (answer) => {
        record(req, answer.statusCode ?? 0);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      // The origin reset or vanished: a real proxy answers 502 (or drops the client).
      record(req, 502);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    });
    req.pipe(upstream);
  });

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => {});
    if (!authorized(req)) {
      record(req, 407);
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test proxy"\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    const { host, port } = splitHostPort(req.url ?? '', 443);
    const upstream = net.connect({ host: resolve(host), port }, () => {
      record(req, 200);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.once('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.once('close', () => upstream.destroy());
    upstream.on('error', () => {
      if (!requests.some((r) => r.target === req.url && r.status === 200)) {
        record(req, 502);
        client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
