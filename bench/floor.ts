/**
 * The floor: what the minimum calls of a phase cost when nothing but HTTP happens. A bare loopback
 * server in this process answers the same number of calls, each carrying its records as JSON both ways
 * (the request body and the answer); the CPU time of client and server together is the figure the
 * engine plus the sandboxes are compared with (issue 13: "within 3× of a bare loopback server answering
 * the same minimum calls"). Measured in the same run, so the machine's speed at that moment is the same.
 *
 * The records are real ones (record-samples.ts): a referral as Partner Center answers it for the Partner
 * Center calls, an opportunity row as the CRM stores it for the CRM calls, about 2 KB each. Until 2026-12-07
 * every call carried a fixed 330-byte object, a sixth of a real record, which made the floor too cheap and
 * the CPU ÷ floor ratio too high.
 */
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MinimumPart } from './minimums.js';
import type { RecordSamples } from './record-samples.js';

export interface Floor {
  calls: number;
  cpuMs: number;
  wallMs: number;
  /** The JSON length of the record each side's calls carried. */
  recordBytes: { partnerCenter: number; crm: number };
  /** The CPU of each side's calls (together `cpuMs`, to rounding). */
  cpuMsBySide: { partnerCenter: number; crm: number };
}

function readBody(stream: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve(body)).on('error', reject);
  });
}

export async function measureFloor(parts: readonly MinimumPart[], records: RecordSamples): Promise<Floor> {
  // The server answers with as many records as it was sent, of the side the request names.
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const count = (JSON.parse(body) as unknown[]).length;
      const record = req.url === '/crm' ? records.crm : records.partnerCenter;
      const answer = JSON.stringify({ value: Array.from({ length: count }, () => record) });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const call = (side: MinimumPart['side'], count: number) =>
    new Promise<void>((resolve, reject) => {
      const record = side === 'crm' ? records.crm : records.partnerCenter;
      const body = JSON.stringify(Array.from({ length: count }, () => record));
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: side === 'crm' ? '/crm' : '/partner-center', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        readBody(res).then((text) => resolve(void JSON.parse(text)), reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  let calls = 0;
  const bySide = { partnerCenter: 0, crm: 0 };
  for (const part of parts) {
    const partStart = process.cpuUsage();
    for (let i = 0; i < part.calls; i += 1) await call(part.side, part.recordsPerCall);
    const used = process.cpuUsage(partStart);
    bySide[part.side] += (used.user + used.system) / 1000;
    calls += part.calls;
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  agent.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const recordBytes = { partnerCenter: JSON.stringify(records.partnerCenter).length, crm: JSON.stringify(records.crm).length };
  const cpuMsBySide = { partnerCenter: Math.round(bySide.partnerCenter), crm: Math.round(bySide.crm) };
  return { calls, cpuMs: Math.round((cpu.user + cpu.system) / 1000), wallMs: Math.round(wallMs), recordBytes, cpuMsBySide };
}
