/**
 * Helpers for the Partner Center client tests: a tiny loopback server for unit-level cases the sandbox
 * cannot produce, a logger whose output the test can read, temporary cache paths, fast retry options,
 * and canonical referrals to create.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { ApiReferral } from '../../connectors/partner-center/api-types.js';
import { REDACT_PATHS, type Logger } from '../../core/logger.js';
import { emptyReferral, type Referral } from '../../core/model/index.js';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface TinyServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A loopback HTTP server whose handler sees the request with its body read; any free port unless `port` is given. */
export async function startTinyServer(handler: (req: RecordedRequest, res: ServerResponse, raw: IncomingMessage) => void, port = 0): Promise<TinyServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((raw, res) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.on('end', () => {
      const req = { method: raw.method ?? 'GET', url: raw.url ?? '/', headers: raw.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(req);
      handler(req, res, raw);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** A pino logger at the most verbose level, with the production redaction, whose lines the test reads. */
export function capturingLogger(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = pino({ level: 'trace', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
  return { logger, text: () => lines.join('') };
}

/** A fresh directory for token caches; removed by `cleanup`. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'cosell-pc-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Retries that wait at most a few milliseconds, whatever Retry-After says. */
export const FAST_RETRY = { retries: 8, baseMs: 1, maxMs: 4, maxRetryAfterMs: 4 } as const;

/** An outbound private deal that the mapping and the sandbox accept. */
export function outboundReferral(crmId: string, overrides: Partial<Referral> = {}): Referral {
  return emptyReferral({
    crmId,
    dealName: `Deal ${crmId}`,
    location: 'loc-us-redmond',
    value: 25_000,
    currency: 'USD',
    closeDate: '2027-03-31',
    customer: { name: `Customer of ${crmId}`, addressLine1: '1 Microsoft Way', city: 'Redmond', state: 'WA', postalCode: '98052', country: 'US' },
    customerContact: { firstName: 'Casey', lastName: 'Customer', phone: '+1 425 555 0100', email: 'casey@customer.example' },
    team: [{ firstName: 'Avery', lastName: 'Admin', phone: '+1 425 555 0101', email: 'avery@contoso-partner.example' }],
    solutions: [{ id: 'SOL-1234-PQRS', kind: 'own', name: 'Contoso Cloud' }],
    consentToShareContacts: true,
    ...overrides,
  });
}

/** A referral as the API's JSON has it, for tiny-server answers. */
export const referralJson = (id: string, extra: Partial<ApiReferral> = {}) => ({
  id,
  name: 'Deal',
  status: 'Active',
  substatus: 'Accepted',
  direction: 'Outgoing',
  type: 'Independent',
  updatedDateTime: '2026-01-01T00:00:00Z',
  eTag: '"e1"',
  customerProfile: { name: 'Customer', address: { country: 'US' } },
  ...extra,
});
