/**
 * Faults: Dataverse service protection 429s with Retry-After are honoured, 503s and dropped
 * connections are retried, and the adapter's own limiter keeps its rate and concurrency.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../core/logger.js';
import { AuthError } from '../../core/errors.js';
import { RequestLimiter } from '../../connectors/dynamics/limiter.js';
import { collect, seedOpportunities, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

describe('Dynamics 365 adapter: faults and throttling', function () {
  this.timeout(30_000);
  let h: DynamicsHarness;
  let waits: number[];
  beforeEach(async () => {
    waits = [];
    h = await startDynamicsHarness({ pageSize: 10, deps: { sleep: async (ms) => void waits.push(ms) } });
    await h.adapter.setup();
    seedOpportunities(h, 25);
  });
  afterEach(async () => h.close());

  it('Entra ID too busy to issue a token (503 temporarily_unavailable) is an outage to retry, not refused credentials', async () => {
    h.entra.faults.configure({ rate: 1, kinds: { '503': 1 } });
    const fresh = h.makeAdapter();
    await assert.rejects(collect(fresh.readChanges(undefined)), (error: unknown) => {
      assert.ok(!(error instanceof AuthError), `not a credentials problem: ${(error as Error).message}`);
      assert.equal((error as { retryable?: boolean }).retryable, true, 'the run fails retryably and the timer tries again');
      assert.match((error as Error).message, /temporarily_unavailable/);
      return true;
    });
    // msal then holds requests back for a while (its throttling cache), raising the error again by its AADSTS number.
    h.entra.faults.configure(undefined);
    await assert.rejects(collect(fresh.readChanges(undefined)), (error: unknown) => {
      assert.ok(!(error instanceof AuthError) && (error as { retryable?: boolean }).retryable === true, `still an outage: ${(error as Error).message}`);
      return true;
    });
  });

  it('waits as long as a 429 Retry-After asks, then reads everything', async () => {
    h.dataverse.faults.configure({ rate: 1, kinds: { throttle: 1 }, retryAfterSeconds: 7, limit: 2, match: '^GET /api/data/v9.2/opportunities' });
    const pages = await collect(h.adapter.readChanges(undefined));
    assert.equal(pages.flatMap((p) => p.deals).length, 25);
    assert.equal(h.dataverse.faults.injectedCount(), 2);
    assert.ok(waits.filter((ms) => ms >= 7000).length >= 2, `waits: ${waits.join(', ')}`);
  });

  // The runtime names the CRM on its logger (`crm: "Dynamics 365"`, core/cli/runtime.ts); the adapter added
  // its own `crm: "dynamics"` to the same lines until 2026-12-05: JSON with a duplicate key, which strict
  // log pipelines refuse as a whole line and others read as either value.
  it('a retry is logged once, as JSON lines with one value per key', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(...chunk.toString().split('\n').filter(Boolean)); done(); } });
    const logger = createLogger({ level: 'warn', destination: sink }).child({ crm: 'Dynamics 365' });
    const adapter = h.makeAdapter({}, { logger, sleep: async () => undefined });
    h.dataverse.faults.configure({ rate: 1, kinds: { throttle: 1 }, retryAfterSeconds: 1, limit: 1, match: '^GET /api/data/v9.2/opportunities' });
    await collect(adapter.readChanges(undefined));
    assert.ok(lines.length > 0, 'the retry is logged');
    for (const line of lines) assert.deepEqual(line.match(/"crm":/g), ['"crm":'], line);
  });

  it('retries a 503 and a dropped connection during a $batch write', async () => {
    const deals = (await collect(h.adapter.readChanges(undefined))).flatMap((p) => p.deals);
    h.dataverse.counters.reset();
    h.dataverse.faults.configure({ rate: 1, kinds: { unavailable: 1, drop: 1 }, retryAfterSeconds: 1, limit: 2, seed: 3, match: '^POST /api/data/v9.2/\\$batch' });
    const results = await h.adapter.write(deals.map((d) => ({ kind: 'status', key: d.crmId, crmId: d.crmId, status: { state: 'synced', message: '' } })));
    assert.ok(results.every((r) => r.ok), JSON.stringify(results.find((r) => !r.ok)));
    assert.equal(h.dataverse.faults.injectedCount(), 2);
    assert.equal(h.dataverse.counters.get('POST $batch'), 1, 'the faulted attempts never reached the service');
    assert.equal(waits.length >= 2, true);
  });

  it('gives each write a transient result when the service stays unavailable', async () => {
    const [deal] = await h.adapter.getDeals([[...h.dataverse.store.table('opportunity')!.rows.keys()][0]!]);
    const adapter = h.makeAdapter({ retries: 1 }, { sleep: async () => undefined });
    h.dataverse.faults.configure({ rate: 1, kinds: { unavailable: 1 }, retryAfterSeconds: 1, match: '\\$batch' });
    const [result] = await adapter.write([{ kind: 'status', key: deal!.crmId, crmId: deal!.crmId, status: { state: 'synced', message: '' } }]);
    assert.equal(result?.ok, false);
    assert.equal(!result?.ok && result?.code, 'transient');
  });

  it('limits concurrency and the requests per window, and pauses everyone when asked to', async () => {
    let clock = 0;
    const slept: number[] = [];
    const limiter = new RequestLimiter({ concurrency: 2, requestsPerWindow: 3, windowMs: 1000, now: () => clock, sleep: async (ms) => { slept.push(ms); clock += ms; } });
    let inFlight = 0;
    let peak = 0;
    const task = () => limiter.run(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
    });
    await Promise.all([task(), task(), task(), task()]);
    assert.equal(peak, 2);
    assert.deepEqual(slept, [1000], 'the fourth request waits for the window');
    limiter.pauseFor(5000);
    await task();
    assert.equal(slept[1], 5000);
  });
});
