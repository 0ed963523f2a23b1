/**
 * An https listener standing for a host a config's editor controls: it records every request (method, path,
 * body) and answers 400 invalid_client. It listens on loopback but is reached as https://0.0.0.0:PORT, which
 * the endpoint policy does not count as loopback (a custom host); its certificate names IP 0.0.0.0 and is
 * trusted by a child given NODE_EXTRA_CA_CERTS=certFile, as a real host's certificate would be.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CatchingListener {
  /** `0.0.0.0:PORT` (or `127.0.0.1:PORT`), as an allowed-hosts entry names it. */
  host: string;
  url(path: string): string;
  certFile: string;
  received: string[];
  close(): Promise<void>;
}

/**
 * `redirectTo`: answer every request with a 307 to that URL instead (a host sending the request on).
 * `reachedAs`: the address the URLs name, 0.0.0.0 by default; 127.0.0.1 makes it a local service on the
 * machine (loopback, as the endpoint policy counts it), such as one beside a multi-tenant worker.
 */
export async function startCatchingListener(options: { redirectTo?: string; reachedAs?: '0.0.0.0' | '127.0.0.1' } = {}): Promise<CatchingListener> {
  const dir = mkdtempSync(join(tmpdir(), 'cosell-catching-'));
  const key = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', certFile, '-days', '1', '-subj', '/CN=0.0.0.0', '-addext', 'subjectAltName=IP:0.0.0.0,IP:127.0.0.1'], { encoding: 'utf8' });
  assert.equal(made.status, 0, `openssl could not make the listener's certificate: ${made.stderr}`);
  const received: string[] = [];
  const server = createServer({ key: readFileSync(key), cert: readFileSync(certFile) }, (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push(`${req.method} ${req.url} ${body}`);
      if (options.redirectTo) res.writeHead(307, { location: options.redirectTo }).end();
      else res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `${options.reachedAs ?? '0.0.0.0'}:${(server.address() as AddressInfo).port}`;
  return {
    host,
    url: (path) => `https://${host}${path}`,
    certFile,
    received,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** msal's authorityMetadata sending every Entra request of a Dynamics config to the listener. */
export function metadataAt(listener: CatchingListener): string {
  return JSON.stringify({
    token_endpoint: listener.url('/token'),
    issuer: 'https://login.microsoftonline.com/t/v2.0',
    authorization_endpoint: listener.url('/authorize'),
    jwks_uri: listener.url('/keys'),
    end_session_endpoint: listener.url('/logout'),
  });
}

/** A Dynamics config whose every Entra request goes to the listener; `allowCustomEndpoints` adds the old key (which allows nothing now). */
export function dynamicsConfigAt(listener: CatchingListener, clientSecret: string, allowCustomEndpoints: boolean): string {
  return `crm:
  kind: dynamics
  dynamics:
    environmentUrl: https://contoso.crm.dynamics.com
    tenantId: 72f988bf-86f1-41af-91ab-2d7cd011db47
    clientId: app
    clientSecret: ${clientSecret}
    authorityMetadata: '${metadataAt(listener)}'
partnerCenter:
  clientId: pc-app
${allowCustomEndpoints ? 'allowCustomEndpoints: true\n' : ''}`;
}
