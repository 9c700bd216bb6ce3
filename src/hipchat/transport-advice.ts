/**
 * What a failed connection means and what to do about it: the sentences of `TransportError`
 * messages, one short builder each. Pure: every fact (host, proxy, code, the CA file the runner
 * set) is passed in; the classification that picks a sentence lives in transport-error.ts.
 */
import { capitalise } from '../text/case.js';

/** The facts every transport sentence may name. */
export interface TransportFacts {
  /** `host:port` of the request. */
  host: string;
  /** ` (through the proxy http://proxy:3128)`, or ''. */
  via: string;
  code: string;
  /** The underlying error's own message. */
  detail: string;
}

/** How long the request was given, as the sentence says it. */
export function withinText(timeoutMs: number | undefined, byMaxWait: boolean): string {
  return byMaxWait && timeoutMs !== undefined
    ? `the ${(timeoutMs / 1000).toFixed(1)} s that \`max-wait\` had left`
    : `the \`timeout\`${timeoutMs ? ` (${timeoutMs / 1000} s)` : ''}`;
}

const PRIVATE_NETWORK =
  'server on a private network needs a self-hosted runner (or a proxy: HTTPS_PROXY) that can ' +
  'reach it.';

/** No connection (or the request not sent) in time. */
export function noConnectionText(f: TransportFacts, within: string): string {
  return (
    `No connection to ${f.host}${f.via} within ${within}: the request was not sent (${f.code}). ` +
    `Check \`server\`, and that this runner can reach it: a ${PRIVATE_NETWORK}`
  );
}

/** The proxy answered the tunnel request with 502, 503 or 504. */
export function proxyUnreachableText(proxy: string, host: string, status: number): string {
  const text =
    `The proxy ${proxy} could not reach ${host} ` +
    `(it answered ${status} to the tunnel request).`;
  return text.replace('  ', ' '); // no proxy name known
}

/** The proxy refused (407 wants credentials; anything else is policy). */
export function proxyRefusedText(
  proxy: string,
  host: string,
  status: number,
  withCredentials = false,
): string {
  const advice =
    status === 407 && withCredentials
      ? 'It refused the credentials in the proxy variable: check the user name and password ' +
        '(percent-encoded in the URL) with whoever runs the proxy.'
      : status === 407
        ? 'It wants credentials: put them in the proxy variable, e.g. ' +
          'HTTPS_PROXY=http://user:password@proxy.example.com:3128 (percent-encode special ' +
          'characters), and keep that value in a secret.'
        : `Ask the proxy's administrators to allow ${host}, or list the host in NO_PROXY if the ` +
          'runner can reach it directly.';
  return `The proxy ${proxy} refused the request to ${host} (${status}). ${advice}`.replace(
    '  ',
    ' ',
  );
}

export function dnsText(f: TransportFacts): string {
  return (
    `The host name ${f.host} does not resolve (${f.code}). Check \`server\`; a server on a ` +
    'private network needs a self-hosted runner that can reach it.'
  );
}

export function refusedText(f: TransportFacts, proxy: string | undefined): string {
  return proxy
    ? `The proxy ${proxy} refused the connection (${f.code}): check HTTPS_PROXY / HTTP_PROXY.`
    : `${f.host} refused the connection (${f.code}): nothing listens there. Check the host and ` +
        'port in `server`, and that HipChat is running.';
}

export function unreachableText(f: TransportFacts): string {
  return `${f.host}${f.via} cannot be reached from this runner (${f.code}). A ${PRIVATE_NETWORK}`;
}

export function noAnswerText(f: TransportFacts, within: string): string {
  return `${f.host}${f.via} accepted the request but did not answer within ${within} (${f.code}).`;
}

export function resetText(f: TransportFacts, sent: boolean): string {
  const when = sent
    ? 'after receiving the request, before answering'
    : 'before the request was sent';
  return `${f.host}${f.via} closed the connection ${when} (${f.code}).`;
}

/** A connection closed while it was set up: by the proxy at the CONNECT, or by the server. */
export function connectClosedText(f: TransportFacts): string {
  return `${capitalise(f.detail)}, for ${f.host}: the request was not sent (${f.code}).`;
}

export function otherText(f: TransportFacts): string {
  return `The request to ${f.host}${f.via} failed: ${f.detail}`;
}

/**
 * The advice for a certificate this runner does not accept. `extraCaCerts` is the runner's
 * NODE_EXTRA_CA_CERTS (passed in: advice reads no environment); `untrusted` says the code is
 * one of a valid but untrusted certificate, whose detail adds nothing.
 */
export function tlsText(f: TransportFacts, extraCaCerts: string | undefined, untrusted: boolean) {
  const { host, via, code, detail } = f;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return (
      `The TLS certificate of ${host}${via} was not issued for that name (${code}: ${detail}). ` +
      'Set `server` to a name the certificate lists (its subject alternative names), or have ' +
      `the certificate reissued to include ${host.replace(/:\d+$/, '')}.`
    );
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return (
      `The TLS certificate of ${host}${via} is outside its validity period (${code}). Have the ` +
      "server's certificate renewed (or check this runner's clock)."
    );
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO') {
    return (
      `${host}${via} did not speak TLS (${code}: ${detail}). If the server only serves plain ` +
      'HTTP on that port, the URL in `server` should start with http:// — or the port is wrong.'
    );
  }
  return (
    `The TLS certificate of ${host}${via} is not trusted by this runner ` +
    `(${code}${untrusted ? '' : `: ${detail}`}).${caHint(extraCaCerts)} Do not turn ` +
    'verification off (NODE_TLS_REJECT_UNAUTHORIZED=0): the token would go to whoever answers.'
  );
}

function caHint(extraCaCerts: string | undefined): string {
  return extraCaCerts
    ? ` NODE_EXTRA_CA_CERTS is set (${extraCaCerts}), but that file does not hold the CA that ` +
        'issued this certificate — or Node could not read it (it prints a warning at start-up ' +
        "if so). Put the issuing CA's certificate (PEM; the root, and any intermediate the " +
        'server does not send) in that file.'
    : ' If your HipChat server uses a certificate from a private (company) CA, give the runner ' +
        "that CA's certificate: set NODE_EXTRA_CA_CERTS to the path of its PEM file in the " +
        "step's or job's `env:` (e.g. `NODE_EXTRA_CA_CERTS: /etc/ssl/certs/company-ca.pem`); " +
        'Node reads it at start-up, so set it in `env:`, not from inside a script.';
}
