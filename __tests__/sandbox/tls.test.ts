import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/server.ts';
import { PERSONAL_TOKEN, startSandbox } from '../../sandbox/server.ts';

/** A self-signed certificate for 127.0.0.1, made with openssl; undefined if openssl is missing. */
function makeCertificate(dir: string): { key: string; cert: string } | undefined {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
  } catch {
    return undefined;
  }
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

function post(url: string, ca: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ message: 'over TLS' });
    const request = https.request(
      `${url}/v2/room/CI/notification`,
      {
        method: 'POST',
        ca,
        agent: false,
        headers: {
          Authorization: `Bearer ${PERSONAL_TOKEN}`,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const dir = mkdtempSync(join(tmpdir(), 'sandbox-tls-'));
const certificate = makeCertificate(dir);
let sandbox: Sandbox;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(certificate === undefined)('HTTPS', () => {
  beforeAll(async () => {
    sandbox = await startSandbox({ tls: certificate });
  });
  afterAll(() => sandbox.close());

  it('serves the API over TLS to a client that trusts the certificate', async () => {
    expect(sandbox.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await post(sandbox.url, certificate?.cert)).toEqual({ status: 204, body: '' });
    expect(sandbox.notifications().map((n) => n.message)).toEqual(['over TLS']);
  });

  it('is refused by a client that does not trust it, and keeps serving', async () => {
    await expect(post(sandbox.url, undefined)).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(sandbox.requests).toHaveLength(1);
    expect((await post(sandbox.url, certificate?.cert)).status).toBe(204);
  });

  it('resets TLS connections on a reset fault', async () => {
    sandbox.script({ kind: 'reset-before' });
    await expect(post(sandbox.url, certificate?.cert)).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNRESET|EPIPE/),
    });
  });
});
