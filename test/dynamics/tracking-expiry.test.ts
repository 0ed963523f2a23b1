/**
 * Change-tracking tokens live 7 days. An older token (by the adapter's clock) or one the server
 * refuses (ExpiredVersionStamp) makes the adapter fall back to a modifiedon watermark query, say so
 * in a warning, and start change tracking afresh.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { CrmCursor } from '../../core/engine/crm-port.js';
import type { Logger } from '../../core/logger.js';
import { DAY_MS } from '../../sandbox/common/clock.js';
import { collect, seedOpportunities, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

function capture(): { logger: Logger; lines: () => { level: number; msg: string }[] } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } });
  return { logger: pino({ level: 'warn' }, stream) as unknown as Logger, lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string }) };
}

describe('Dynamics 365 adapter: expired change-tracking tokens', function () {
  this.timeout(30_000);
  let h: DynamicsHarness;
  let ids: string[];
  let cursor: CrmCursor;
  beforeEach(async () => {
    h = await startDynamicsHarness({ pageSize: 10 });
    await h.adapter.setup();
    ids = seedOpportunities(h, 15);
    const pages = await collect(h.adapter.readChanges(undefined));
    cursor = pages[pages.length - 1]!.cursor;
  });
  afterEach(async () => h.close());

  it('falls back to a modifiedon watermark when the token is older than 7 days by its own clock', async () => {
    await h.control('seller/edit', { id: ids[2], changes: { name: 'Edited while we were away' } });
    const log = capture();
    const later = h.makeAdapter({}, { logger: log.logger, now: () => new Date(Date.now() + 8 * DAY_MS) });
    const pages = await collect(later.readChanges(cursor));
    const deals = pages.flatMap((p) => p.deals);
    assert.ok(deals.some((d) => d.crmId === ids[2] && d.referral.dealName === 'Edited while we were away'));
    const warning = log.lines().find((l) => /watermark/.test(l.msg));
    assert.ok(warning, 'a warning says the adapter fell back');
    assert.match(warning.msg, /8 days old/);
    assert.ok(h.dataverse.counters.snapshot()['GET opportunities']! > 0);
    const last = pages[pages.length - 1]!.cursor;
    assert.equal(last.mode, 'delta', 'change tracking starts again after the fallback');

    await h.control('seller/edit', { id: ids[4], changes: { name: 'Next change' } });
    const next = (await collect(h.adapter.readChanges(last))).flatMap((p) => p.deals);
    assert.deepEqual(next.map((d) => d.crmId), [ids[4]]);
  });

  it('falls back when the server refuses the token as expired', async () => {
    await h.control('clock', { advanceDays: 8 });
    await h.control('seller/edit', { id: ids[5], changes: { name: 'Edited eight days later' } });
    const log = capture();
    const adapter = h.makeAdapter({}, { logger: log.logger });
    // Cursors hold links relative to the Web API root.
    const response = await fetch(new URL(String(cursor.link), `${h.dataverse.url}/api/data/v9.2/`), { headers: { Authorization: 'Bearer x' } });
    assert.equal(response.status, 401, 'the sandbox checks tokens before anything else');
    const deals = (await collect(adapter.readChanges(cursor))).flatMap((p) => p.deals);
    assert.ok(deals.some((d) => d.crmId === ids[5] && d.referral.dealName === 'Edited eight days later'));
    assert.ok(log.lines().some((l) => /refused the delta token as expired/.test(l.msg) && /watermark/.test(l.msg)));
  });

  it('resumes a fallback from a watermark page cursor and ends on a fresh delta link', async () => {
    const later = h.makeAdapter({}, { now: () => new Date(Date.now() + 8 * DAY_MS) });
    const first = later.readChanges(cursor)[Symbol.asyncIterator]();
    const page = await first.next();
    assert.equal(page.done, false);
    const mid = page.value!.cursor;
    assert.equal(mid.mode, 'watermark');
    await first.return?.(undefined);
    const rest = await collect(h.adapter.readChanges(mid));
    const seen = new Set([...page.value!.deals, ...rest.flatMap((p) => p.deals)].map((d) => d.crmId));
    for (const id of ids) assert.ok(seen.has(id), `deal ${id} was lost across the watermark resume`);
    assert.equal(rest[rest.length - 1]!.cursor.mode, 'delta');
  });
});
