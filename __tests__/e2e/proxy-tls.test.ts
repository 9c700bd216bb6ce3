/**
 * Proxies and private CAs, end to end: the committed bundle against the sandbox serving HTTPS
 * with a certificate from a CA the test makes, directly and through a real forward proxy on
 * 127.0.0.1 (CONNECT for https, absolute-form for http). The proxy resolves `hipchat.test`
 * itself, so a request that arrives can only have gone through it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/server.ts';
import { PERSONAL_TOKEN, startSandbox } from '../../sandbox/server.ts';
import { runStep } from '../../scripts/lib/action-runner.ts';
import type { StepOptions, StepResult } from '../../scripts/lib/action-runner.ts';
import { makeTestPki } from '../support/certs.ts';
import type { TestPki } from '../support/certs.ts';
import { startForwardProxy } from '../support/forward-proxy.ts';
import type { ForwardProxy } from '../support/forward-proxy.ts';

let pki: TestPki;
let https: Sandbox; // certificate from the private CA
let stranger: Sandbox; // self-signed certificate nobody trusts
let http: Sandbox;
let proxy: ForwardProxy;
let authProxy: ForwardProxy;
const HOSTS = { 'hipchat.test': '127.0.0.1', 'other.test': '127.0.0.1' };

beforeAll(async () => {
  pki = makeTestPki();
  https = await startSandbox({ tls: { key: pki.serverKey, cert: pki.serverCert } });
  stranger = await startSandbox({ tls: { key: pki.strangerKey, cert: pki.strangerCert } });
  http = await startSandbox();
  proxy = await startForwardProxy({ hosts: HOSTS });
  authProxy = await startForwardProxy({ hosts: HOSTS, credentials: 'ci:s3cret' });
});

afterAll(async () => {
  await Promise.all([https, stranger, http, proxy, authProxy].map((s) => s?.close()));
  pki?.cleanup();
});

async function step(
  server: string,
  env: Record<string, string>,
  more: Partial<StepOptions> = {},
): Promise<StepResult> {
  return runStep({
    with: { token: PERSONAL_TOKEN, room: 'CI', server, ...more.with },
    env,
    killAfterMs: 20_000,
  });
}

/** Notifications for one step, told apart by a unique `from`. */
function delivered(sandbox: Sandbox, from: string): number {
  return sandbox.notifications('CI').filter((n) => n.body.from === from).length;
}

function tried(sandbox: Sandbox, from: string): number {
  return sandbox.requests.filter((r) => (r.body as { from?: string } | undefined)?.from === from)
    .length;
}

const context = (run: StepResult): string => `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`;

describe.concurrent('private CA', () => {
  it('works when the runner sets NODE_EXTRA_CA_CERTS to the CA', async () => {
    const run = await step(
      `https://localhost:${https.port}`,
      { NODE_EXTRA_CA_CERTS: pki.caCertPath },
      { with: { from: 'ca-direct' } },
    );
    expect(run.exitCode, context(run)).toBe(0);
    expect(delivered(https, 'ca-direct')).toBe(1);
    expect(run.stderr).toBe('');
  });

  it('an untrusted certificate fails at once, saying to set NODE_EXTRA_CA_CERTS', async () => {
    const run = await step(`https://127.0.0.1:${https.port}`, {}, { with: { from: 'ca-none' } });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /TLS certificate of 127\.0\.0\.1:\d+ is not trusted .*\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\).*set NODE_EXTRA_CA_CERTS to the path of its PEM file/,
    );
    // At once: one attempt (a retry would back off first); the wall clock of a loaded machine
    // proves less than the count.
    expect(JSON.parse(run.outputs.results!)[0]).toMatchObject({ attempts: 1, status: null });
  });

  it('a certificate the given CA did not issue fails, saying the CA file does not hold its issuer', async () => {
    const run = await step(
      `https://127.0.0.1:${stranger.port}`,
      { NODE_EXTRA_CA_CERTS: pki.caCertPath },
      { with: { from: 'ca-stranger' } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(
      /not trusted .*NODE_EXTRA_CA_CERTS is set \(.*ca\.pem\), but that file does not hold the CA that issued this certificate/,
    );
    expect(stranger.requests).toHaveLength(0);
  });
});

describe.concurrent('through a forward proxy', () => {
  it('https: CONNECT tunnel from HTTPS_PROXY, TLS end to end with the private CA', async () => {
    const run = await step(
      `https://hipchat.test:${https.port}`,
      { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: pki.caCertPath },
      { with: { from: 'proxy-https' } },
    );
    expect(run.exitCode, context(run)).toBe(0);
    expect(delivered(https, 'proxy-https')).toBe(1);
    expect(proxy.requests).toContainEqual(
      expect.objectContaining({
        method: 'CONNECT',
        target: `hipchat.test:${https.port}`,
        status: 200,
      }),
    );
    // No "experimental" process warning or any other noise in the step's log.
    expect(run.stderr).toBe('');
  });

  it('http: absolute-form requests from lower-case http_proxy, with the plain-http token warning', async () => {
    const run = await step(
      `http://hipchat.test:${http.port}`,
      { http_proxy: proxy.url },
      { with: { from: 'proxy-http' } },
    );
    expect(run.exitCode, context(run)).toBe(0);
    expect(delivered(http, 'proxy-http')).toBe(1);
    expect(proxy.requests).toContainEqual(
      expect.objectContaining({
        method: 'POST',
        target: `http://hipchat.test:${http.port}/v2/room/CI/notification`,
        status: 204,
      }),
    );
    expect(run.warnings.join('\n')).toMatch(/the token will cross the network unencrypted/);
    expect(run.stderr).toBe('');
  });

  it('rate-limit headers pass through the proxy: a 429 is waited out until its reset', async () => {
    const limited = await startSandbox({ faults: [{ kind: 'status', status: 429 }] });
    try {
      const run = await step(
        `http://hipchat.test:${limited.port}`,
        { HTTP_PROXY: proxy.url },
        { with: { from: 'proxy-429' } },
      );
      expect(run.exitCode, context(run)).toBe(0);
      expect(delivered(limited, 'proxy-429')).toBe(1);
      const [refused, retried] = limited.requests;
      expect([refused?.status, retried?.status]).toEqual([429, 204]);
      const reset = Number(refused!.responseHeaders!['X-Ratelimit-Reset']) * 1000;
      expect(retried!.time).toBeGreaterThanOrEqual(reset);
      // Soon after the reset (the exact 50–150 ms is proven on a virtual clock in the unit
      // tests; across two processes on a loaded machine timers fire late).
      expect(retried!.time - reset).toBeLessThanOrEqual(1_000);
    } finally {
      await limited.close();
    }
  });

  it('a proxy that wants credentials: through with user:password in HTTPS_PROXY', async () => {
    const withAuth = authProxy.url.replace('http://', 'http://ci:s3cret@');
    const run = await step(
      `https://hipchat.test:${https.port}`,
      { HTTPS_PROXY: withAuth, NODE_EXTRA_CA_CERTS: pki.caCertPath },
      { with: { from: 'proxy-auth' } },
    );
    expect(run.exitCode, context(run)).toBe(0);
    expect(delivered(https, 'proxy-auth')).toBe(1);
    expect(run.stdout).not.toContain('s3cret');
  });

  it('without them: fails at once (407 is not retried), saying how to give them', async () => {
    const run = await step(
      `https://hipchat.test:${https.port}`,
      { HTTPS_PROXY: authProxy.url, NODE_EXTRA_CA_CERTS: pki.caCertPath },
      { with: { from: 'proxy-noauth' } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(
      /proxy http:\/\/127\.0\.0\.1:\d+ refused .*\(407\).*user:password@/,
    );
    expect(tried(https, 'proxy-noauth')).toBe(0);
    expect(JSON.parse(run.outputs.results!)[0]).toMatchObject({ attempts: 1 });
  });

  it('a certificate for another name fails, saying which names to use', async () => {
    const run = await step(
      `https://other.test:${https.port}`,
      { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: pki.caCertPath },
      { with: { from: 'proxy-name' } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(
      /certificate of other\.test:\d+ \(through the proxy .*\) was not issued for that name \(ERR_TLS_CERT_ALTNAME_INVALID/,
    );
  });
});
