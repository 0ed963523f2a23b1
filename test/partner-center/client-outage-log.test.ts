/**
 * The log of a Partner Center that answers 503 for hours. Each retry logged a warning until 2026-12-06: with
 * the default 6 retries, seven warnings for every request that gave up, at every turn of `cosell run`. Now a
 * request that gives up is told once per streak, in one warning that says what was retried, how often and
 * that Retry-After was honoured; the same failure again is logged at debug, and the answer that ends the
 * streak at info. Against the Partner Center sandbox.
 */
import assert from 'node:assert/strict';
import { capturingLogger } from '../helpers/partner-center-client.js';
import { startPartnerCenterEnv, type PartnerCenterEnv } from '../helpers/partner-center-client-env.js';

const lines = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string; component?: string });
const WARN = 40;

describe('Partner Center down for a while: what the client logs', function () {
  this.timeout(60_000);
  let env: PartnerCenterEnv | undefined;
  afterEach(async () => env?.close());

  it('one warning for the first request that gives up, with its retries; none for the same failure again; the recovery at info', async () => {
    env = await startPartnerCenterEnv();
    const { logger, text } = capturingLogger();
    const pc = env.client({ retry: { retries: 6, baseMs: 1, maxMs: 4, maxRetryAfterMs: 4 } }, { logger });
    env.pc.faults.configure({ rate: 1, kinds: { unavailable: 1 }, retryAfterSeconds: 1 });
    for (let turn = 0; turn < 3; turn += 1) {
      await assert.rejects(pc.get('00000000-0000-0000-0000-000000000001'), (e: { code?: string }) => e.code === 'service_unavailable');
    }
    const warnings = lines(text()).filter((l) => l.level >= WARN);
    assert.equal(warnings.length, 1, `one warning for three requests of 7 attempts each:\n${warnings.map((w) => w.msg).join('\n')}`);
    assert.match(warnings[0]!.msg, /HTTP 503/);
    assert.match(warnings[0]!.msg, /retried 6 times over \d+ s \(6 × HTTP 503 \(Retry-After 1\); Retry-After honoured\)/);

    env.pc.faults.configure(undefined);
    await assert.rejects(pc.get('00000000-0000-0000-0000-000000000001'), (e: { code?: string }) => e.code === 'not_found');
    assert.ok(lines(text()).some((l) => l.level === 30 && /Partner Center answers again \(3 requests had failed with service_unavailable/.test(l.msg)), text());

    // A new outage is a new streak: told again.
    env.pc.faults.configure({ rate: 1, kinds: { unavailable: 1 }, retryAfterSeconds: 1 });
    await assert.rejects(pc.get('00000000-0000-0000-0000-000000000001'));
    assert.equal(lines(text()).filter((l) => l.level >= WARN).length, 2);
  });

  it('a streak kept outside the client outlives it: a new client per cycle (a multi-tenant worker) tells a lasting outage once', async () => {
    env = await startPartnerCenterEnv();
    const { logger, text } = capturingLogger();
    const failureStreak = {};
    env.pc.faults.configure({ rate: 1, kinds: { unavailable: 1 }, retryAfterSeconds: 0 });
    for (let cycle = 0; cycle < 3; cycle += 1) {
      const pc = env.client({ retry: { retries: 1, baseMs: 1, maxMs: 2, maxRetryAfterMs: 2 } }, { logger, failureStreak });
      await assert.rejects(pc.get('00000000-0000-0000-0000-000000000001'), (e: { code?: string }) => e.code === 'service_unavailable');
    }
    assert.equal(lines(text()).filter((l) => l.level >= WARN).length, 1, 'told once over three cycles, each with its own client');
  });
});
