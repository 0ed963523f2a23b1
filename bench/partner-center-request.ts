/**
 * What one Partner Center request costs the engine's own process, beside what the same request costs bare:
 * `npx tsx bench/partner-center-request.ts [requests]`. A loopback server in a child process (so that its
 * CPU is not counted) answers a referral-sized JSON body; this process sends the same PATCH (a JSON Patch of
 * a note, a bearer token of a real token's length) through `PartnerCenterHttp.send` — axios, the retry
 * loop, the credential-origin guard, the counters — and through Node's `http.request` with a keep-alive
 * agent, and through a plain axios instance (no interceptor, retry loop or counters) with the same headers,
 * and prints the CPU microseconds of each per request (after a warm-up, best of three rounds).
 * CPU, not wall time, and both in one process at one moment: a comparison that holds on a shared machine
 * where the full benchmark's figures move by 20% from run to run.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import axios from 'axios';
import { PartnerCenterHttp } from '../connectors/partner-center/http.js';
import { fixedTokenProvider } from '../connectors/partner-center/index.js';

const SERVER = `
const http = require('node:http');
const body = JSON.stringify({ id: 'r1', eTag: 'e2', name: 'Contoso pilot', status: 'Active', substatus: 'Accepted', details: { notes: 'n'.repeat(800), dealValue: 10000, currency: 'USD' }, team: [{ firstName: 'A', lastName: 'B', email: 'a@b.example' }] });
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', etag: 'e2', date: new Date().toUTCString() }); res.end(body); });
}).listen(0, '127.0.0.1', function () { process.send(this.address().port); });`;

const TOKEN = 'x'.repeat(1_600);
const PATCH = [{ op: 'replace', path: '/details/notes', value: 'n'.repeat(820) }];

async function cpuPerRequest(send: () => Promise<void>, count: number): Promise<number> {
  for (let i = 0; i < Math.min(500, count); i += 1) await send();
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round += 1) {
    const start = process.cpuUsage();
    for (let i = 0; i < count; i += 1) await send();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / count);
  }
  return best;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 2_000);
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => server.once('message', (m) => resolve(m as number)));
  const base = `http://127.0.0.1:${port}`;
  try {
    const client = new PartnerCenterHttp(
      { baseUrl: base, timeoutMs: 10_000, retries: 0, backoff: { baseMs: 1, maxMs: 1, maxRetryAfterMs: 1 } },
      { tokens: fixedTokenProvider(TOKEN) },
    );
    const viaClient = async () => {
      await client.send({ method: 'PATCH', path: '/r1', body: PATCH, headers: { 'If-Match': 'e1', Prefer: 'return=representation' }, idempotent: false, operation: 'update' });
    };
    const agent = new http.Agent({ keepAlive: true });
    const bare = () =>
      new Promise<void>((resolve, reject) => {
        const request = http.request(`${base}/v1.0/engagements/referrals/r1`, { method: 'PATCH', agent, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'if-match': 'e1' } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            JSON.parse(text);
            resolve();
          });
        });
        request.on('error', reject);
        request.end(JSON.stringify(PATCH));
      });
    // axios alone, as lean as it is configured (no interceptor, no retry loop, no counters), with the headers
    // the client sends: what of a request's cost is axios' own and what is the client's around it.
    const plain = axios.create({ baseURL: base, maxRedirects: 0 });
    const viaPlainAxios = async () => {
      const headers = { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json', 'client-request-id': randomUUID(), 'MS-CorrelationId': client.correlationId, 'Content-Type': 'application/json', 'If-Match': 'e1', Prefer: 'return=representation' };
      await plain.request({ method: 'PATCH', url: '/v1.0/engagements/referrals/r1', data: PATCH, headers });
    };
    const bareUs = await cpuPerRequest(bare, count);
    const plainUs = await cpuPerRequest(viaPlainAxios, count);
    const clientUs = await cpuPerRequest(viaClient, count);
    console.log(`| bare node:http | ${bareUs.toFixed(0)} µs |\n| plain axios instance | ${plainUs.toFixed(0)} µs |\n| PartnerCenterHttp.send | ${clientUs.toFixed(0)} µs |\n| difference (client − bare) | ${(clientUs - bareUs).toFixed(0)} µs |`);
    agent.destroy();
  } finally {
    server.kill();
  }
}

await main();
