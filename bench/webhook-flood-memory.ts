/**
 * Memory of `cosell serve`'s webhook intake under a flood (a measurement script, not a test):
 * `node --expose-gc --import tsx bench/webhook-flood-memory.ts [N]`. Posts N deliveries of each kind to a
 * service running in this process against the Salesforce sandbox, and prints RSS and heap after a GC.
 */
import { X509Certificate } from 'node:crypto';
import { CertificateStore } from '../core/serve/certificates.js';
import { deliver, referralEvent, startServeWorld } from '../test/serve/serve-world.js';

const n = Number(process.argv[2] ?? 5000);
/** Accepted events cost a targeted sync each (slow): fewer of them. */
const accepted = Number(process.argv[3] ?? 1000);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
function usage(label: string): number {
  gc();
  gc();
  const { rss, heapUsed, external } = process.memoryUsage();
  console.log(`${label.padEnd(48)} rss ${mb(rss).padStart(9)}  heap ${mb(heapUsed).padStart(9)}  external ${mb(external).padStart(8)}`);
  return heapUsed;
}

async function inBatches(count: number, post: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < count; i += 50) await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, j) => post(i + j)));
}

const sw = await startServeWorld('salesforce');
const service = sw.service.context.service;
usage('started');
const signed = referralEvent(sw, 'x');
// Twice each: the first round also warms fastify and V8 up; what the second adds is what a post keeps.
for (const round of [1, 2]) {
  const before = usage(`round ${round}`);
  await inBatches(n, () => fetch(sw.webhookUrl, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }));
  await inBatches(n, (i) => deliver(sw, { ...signed, body: signed.body.replace('"x"', `"forged-${i}"`) }));
  const after = usage(`${n} unsigned and ${n} bad signatures (401), round ${round}`);
  console.log(`  per refused post, kept: ${((after - before) / (2 * n)).toFixed(0)} bytes`);
}
let h0 = usage('before signed events');
await inBatches(accepted, (i) => deliver(sw, referralEvent(sw, `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)));
usage(`${accepted} signed events, distinct referrals (queued ${service.queue.size})`);
await service.idle();
let h1 = usage(`... after the targeted syncs (queued ${service.queue.size})`);
console.log(`  per accepted event, kept (until twice the age bound): ${((h1 - h0) / accepted).toFixed(0)} bytes`);
await inBatches(n, () => deliver(sw, signed));
usage(`${n} retries of one event (duplicates)`);
await sw.close();

// Certificate URLs: at most 5 new ones a minute are fetched; are the fetched ones ever let go?
const pem = sw.world.set.partnerCenter.signing.certificatePem;
let nowMs = Date.now();
const certificates = new CertificateStore({ certificateHosts: ['127.0.0.1'], trustSelfSigned: true } as never, async () => Buffer.from(pem), () => new Date(nowMs));
h0 = usage('certificate store, empty');
for (let i = 0; i < n; i += 1) {
  if (i % 5 === 0) nowMs += 60_000;
  await certificates.signingCertificate(`http://127.0.0.1/cert.cer?v=${i}`).catch(() => undefined);
}
h1 = usage(`certificate store after ${n} URLs (${n / 5} simulated minutes)`);
console.log(`  per URL kept: ${((h1 - h0) / n).toFixed(0)} bytes; ${(certificates as unknown as { cache: Map<string, X509Certificate> }).cache.size} cached`);
process.exit(0);
