/**
 * A private certificate authority and a server certificate it issued, made at test time (no
 * private key is committed): what a company's HipChat server on a private network looks like.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';

/** PEM texts and the files they were written to. */
export interface TestPki {
  /** The CA's certificate (PEM): what NODE_EXTRA_CA_CERTS points at. */
  caCert: string;
  caCertPath: string;
  /** The server's key and certificate (PEM), issued by the CA. */
  serverKey: string;
  serverCert: string;
  /** A certificate for the same names, self-signed by another key: trusted by nobody. */
  strangerKey: string;
  strangerCert: string;
  dir: string;
  /** Deletes the files. */
  cleanup(): void;
}

function keyPair(): forge.pki.rsa.KeyPair {
  // Node makes the key (fast, native); forge only builds and signs the certificates.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem);
  return {
    privateKey: forgeKey,
    publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e),
  };
}

function certificate(options: {
  subject: string;
  keys: forge.pki.rsa.KeyPair;
  issuer?: { name: string; key: forge.pki.rsa.PrivateKey };
  ca: boolean;
  hosts?: readonly string[];
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = options.keys.publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: options.subject }]);
  cert.setIssuer([{ name: 'commonName', value: options.issuer?.name ?? options.subject }]);
  const extensions: object[] = options.ca
    ? [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        { name: 'subjectKeyIdentifier' },
      ]
    : [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: (options.hosts ?? []).map((host) =>
            /^[\d.]+$/.test(host) ? { type: 7, ip: host } : { type: 2, value: host },
          ),
        },
      ];
  cert.setExtensions(extensions);
  cert.sign(options.issuer?.key ?? options.keys.privateKey, forge.md.sha256.create());
  return cert;
}

/** Makes a CA and a server certificate for `hosts` (default hipchat.test, localhost, 127.0.0.1). */
export function makeTestPki(
  hosts: readonly string[] = ['hipchat.test', 'localhost', '127.0.0.1'],
): TestPki {
  const caKeys = keyPair();
  const caName = 'hipchat-notify test CA (private, made by the tests)';
  const ca = certificate({ subject: caName, keys: caKeys, ca: true });
  const serverKeys = keyPair();
  const server = certificate({
    subject: hosts[0]!,
    keys: serverKeys,
    issuer: { name: caName, key: caKeys.privateKey },
    ca: false,
    hosts,
  });
  const strangerKeys = keyPair();
  const stranger = certificate({ subject: hosts[0]!, keys: strangerKeys, ca: false, hosts });

  const dir = mkdtempSync(path.join(tmpdir(), 'hipchat-notify-pki-'));
  const caCert = forge.pki.certificateToPem(ca);
  const caCertPath = path.join(dir, 'ca.pem');
  writeFileSync(caCertPath, caCert);
  return {
    caCert,
    caCertPath,
    serverKey: forge.pki.privateKeyToPem(serverKeys.privateKey),
    serverCert: forge.pki.certificateToPem(server),
    strangerKey: forge.pki.privateKeyToPem(strangerKeys.privateKey),
    strangerCert: forge.pki.certificateToPem(stranger),
    dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
