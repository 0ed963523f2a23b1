/**
 * The floor: what the minimum calls of a phase cost when nothing but HTTP happens. A bare loopback
 * server in this process answers the same number of calls, each carrying its records as JSON both ways
 * (the request body and the answer); the CPU time of client and server together is the figure the
 * engine plus the sandboxes are compared with (issue 13: "within 3× of a bare loopback server answering
 * the same minimum calls"). Measured in the same run, so the machine's speed at that moment is the same.
 */
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MinimumPart } from './minimums.js';

export interface Floor {
  calls: number;
  cpuMs: number;
  wallMs: number;
}

/** A record about the size of a synced deal on the wire. */
const RECORD = { id: '00000000-0000-4000-8000-000000000000', name: 'Contoso expansion, 500 seats', value: 125000, currency: 'USD', stage: 'Qualify', modified: '2026-12-04T16:00:00Z', notes: 'x'.repeat(160) };

function readBody(stream: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve(body)).on('error', reject);
  });
}

export async function measureFloor(parts: readonly MinimumPart[]): Promise<Floor> {
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const records = (JSON.parse(body) as unknown[]).length;
      const answer = JSON.stringify({ value: Array.from({ length: records }, () => RECORD) });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const call = (records: number) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify(Array.from({ length: records }, () => RECORD));
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        readBody(res).then((text) => resolve(void JSON.parse(text)), reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  let calls = 0;
  for (const part of parts) {
    for (let i = 0; i < part.calls; i += 1) await call(part.recordsPerCall);
    calls += part.calls;
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  agent.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { calls, cpuMs: Math.round((cpu.user + cpu.system) / 1000), wallMs: Math.round(wallMs) };
}
