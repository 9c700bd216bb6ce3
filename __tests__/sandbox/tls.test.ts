import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/server.ts';
import { PERSONAL_TOKEN, startSandbox } from '../../sandbox/server.ts';
import { makeTestPki } from '../support/certs.ts';

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

/** A self-signed certificate for 127.0.0.1, made at test time (no openssl needed). */
const pki = makeTestPki(['127.0.0.1']);
const certificate = { key: pki.strangerKey, cert: pki.strangerCert };
let sandbox: Sandbox;

describe('HTTPS', () => {
  beforeAll(async () => {
    sandbox = await startSandbox({ tls: certificate });
  });
  afterAll(async () => {
    await sandbox.close();
    pki.cleanup();
  });

  it('serves the API over TLS to a client that trusts the certificate', async () => {
    expect(sandbox.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await post(sandbox.url, certificate.cert)).toEqual({ status: 204, body: '' });
    expect(sandbox.notifications().map((n) => n.message)).toEqual(['over TLS']);
  });

  it('is refused by a client that does not trust it, and keeps serving', async () => {
    await expect(post(sandbox.url, undefined)).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(sandbox.requests).toHaveLength(1);
    expect((await post(sandbox.url, certificate.cert)).status).toBe(204);
  });

  it('resets TLS connections on a reset fault', async () => {
    sandbox.script({ kind: 'reset-before' });
    await expect(post(sandbox.url, certificate.cert)).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNRESET|EPIPE/),
    });
  });
});
