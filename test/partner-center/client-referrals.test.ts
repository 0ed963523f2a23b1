/**
 * The client against the Partner Center sandbox over loopback, with the real axios and msal-node:
 * create/get/list/patch in canonical terms, paging past 1,000 referrals, the change feed (overlap,
 * de-duplication, checkpoints, a late-committed update), 412 → ConflictError, the request budget, and
 * no bearer token in errors or logs.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { BudgetPausedError, ConflictError, ConnectorError, RemoteValidationError } from '../../core/errors.js';
import type { Referral } from '../../core/model/index.js';
import type { ChangeCursor, ChangePage, PartnerCenterClient } from '../../connectors/partner-center/index.js';
import { referralToApi } from '../../connectors/partner-center/mapping.js';
import { createPartnerCenterClient, fixedTokenProvider } from '../../connectors/partner-center/index.js';
import { capturingLogger, FAST_RETRY, outboundReferral } from '../helpers/partner-center-client.js';
import { startPartnerCenterEnv, type PartnerCenterEnv } from '../helpers/partner-center-client-env.js';

/** Creates `count` referrals through the raw endpoint, `concurrency` at a time; returns their ids. */
async function createMany(client: PartnerCenterClient, count: number, prefix: string, concurrency = 16): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const created = await client.raw.create(referralToApi(outboundReferral(`${prefix}-${String(n).padStart(5, '0')}`)));
      ids.push(created.id as string);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

async function drain<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('Partner Center client against the sandbox', function () {
  this.timeout(60_000);
  let env: PartnerCenterEnv;
  beforeEach(async () => {
    env = await startPartnerCenterEnv();
  });
  afterEach(async () => env.close());

  it('creates, gets, lists by filter and patches in canonical terms, with If-Match and a representation back', async () => {
    const pc = env.client();
    const created = await pc.create(outboundReferral('CRM-100'));
    assert.ok(created.referralId && created.eTag);
    assert.equal(created.crmId, 'CRM-100');
    assert.equal(created.status, 'Active');

    const read = await pc.get(created.referralId);
    assert.equal(read.dealName, 'Deal CRM-100');
    assert.equal(read.customer.country, 'US');

    const next: Referral = { ...read, value: 40_000, notes: 'Customer asked for a pilot' };
    const updated = await pc.update(read, next);
    assert.equal(updated.value, 40_000);
    assert.equal(updated.notes, 'Customer asked for a pilot');
    assert.notEqual(updated.eTag, read.eTag);
    assert.equal(await pc.update(updated, updated), updated, 'no change, no call');

    const pages = await drain(pc.list({ filter: "externalReferenceId eq 'CRM-100'" }));
    assert.deepEqual(pages.flatMap((p) => p.referrals.map((r) => r.referralId)), [created.referralId]);
    assert.equal((await pc.findByExternalReferenceId('CRM-100'))?.referralId, created.referralId);
    assert.equal(await pc.findByExternalReferenceId("CRM-'missing'"), undefined, 'quotes in a CRM id are escaped');

    // The eTag of the first read is stale now: the engine gets a ConflictError to merge on.
    await assert.rejects(pc.update(read, { ...read, value: 1 }), (error: Error) => {
      assert.ok(error instanceof ConflictError);
      assert.equal(error.context.status, 412);
      assert.equal(error.context.serviceCode, 'resourceModified');
      assert.ok(error.context.requestId, 'the service request id is kept for support');
      return true;
    });
    const sent = pc.callStats();
    assert.equal(sent.byOperation.update, 2);
    assert.equal(sent.retries, 0);
  });

  it('streams 1,050 referrals page by page to the end of @odata.nextLink', async () => {
    const pc = env.client();
    const ids = await createMany(pc, 1_050, 'PAGE');
    pc.resetStats();
    const seen = new Set<string>();
    let pages = 0;
    for await (const page of pc.list({ orderBy: 'createdDateTime asc' })) {
      pages += 1;
      assert.ok(page.referrals.length <= 100);
      assert.equal(pc.callStats().requests, pages, 'one request per page, made when the page is asked for');
      for (const r of page.referrals) seen.add(r.referralId as string);
      assert.deepEqual(page.unmappable, []);
    }
    assert.equal(pages, 11);
    assert.equal(seen.size, 1_050);
    assert.deepEqual([...seen].sort(), [...ids].sort());
  });

  it('feeds changes in order with checkpoints, re-reads the overlap without duplicates, and catches a late-committed update', async () => {
    const pc = env.client({ overlapMs: 120_000 });
    const ids = await createMany(pc, 250, 'FEED');

    // First run: everything, oldest first, a cursor after each page.
    const first = await drain(pc.changes(undefined));
    assert.deepEqual(first.map((p) => p.referrals.length), [100, 100, 50]);
    const delivered = first.flatMap((p) => p.referrals);
    assert.deepEqual(delivered.map((r) => r.referralId).sort(), [...ids].sort());
    const times = delivered.map((r) => Date.parse(r.updatedAt as string));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'ascending by updatedDateTime');
    const cursor = first.at(-1)?.cursor as ChangeCursor;
    assert.equal(cursor.watermark, delivered.at(-1)?.updatedAt, 'the watermark is the service timestamp');

    // Nothing changed: the overlap is re-read and dropped.
    const idle = await drain(pc.changes(cursor));
    assert.equal(idle.flatMap((p) => p.referrals).length, 0);
    assert.ok(idle.reduce((n, p) => n + p.duplicatesSkipped, 0) > 0, 'the boundary was re-read');

    // Two updates, one of them committed "late" with a timestamp 60 s behind the watermark.
    const a = await pc.get(ids[3] as string);
    const b = await pc.get(ids[4] as string);
    await pc.update(a, { ...a, notes: 'changed on time' });
    env.pc.clock.advance(-60_000);
    await pc.update(b, { ...b, notes: 'committed late' });
    env.pc.clock.reset();
    const second = await drain(pc.changes(idle.at(-1)?.cursor ?? cursor));
    const changed = second.flatMap((p) => p.referrals);
    assert.deepEqual(changed.map((r) => r.notes).sort(), ['changed on time', 'committed late']);
    const late = changed.find((r) => r.notes === 'committed late');
    assert.ok(Date.parse(late?.updatedAt as string) < Date.parse(cursor.watermark), 'stamped behind the watermark, caught by the overlap');

    // Interrupted after one page, resumed from that page's checkpoint: nothing lost, nothing twice.
    const firstPage = (await pc.changes(undefined).next()).value as ChangePage;
    const rest = await drain(pc.changes(firstPage.cursor));
    const firstPageIds = firstPage.referrals.map((r) => r.referralId);
    const afterResume = rest.flatMap((p) => p.referrals.map((r) => r.referralId as string));
    assert.equal(new Set(afterResume).size, afterResume.length);
    assert.equal(afterResume.filter((id) => firstPageIds.includes(id)).length, 0, 'no referral of the checkpointed page comes back');
    assert.equal(afterResume.length + firstPageIds.length, 250);
  });

  it('makes no call beyond one change-feed page when asked for one, and stops at the budget', async () => {
    const seeding = env.client();
    await createMany(seeding, 150, 'BUDGET');
    const pc = env.client({ requestBudget: 1 });
    const feed = pc.changes(undefined);
    const page = await feed.next();
    assert.equal(page.value?.referrals.length, 100);
    assert.deepEqual(pc.callStats().byOperation, { changes: 1 });
    await assert.rejects(feed.next(), BudgetPausedError);
    assert.equal(pc.callStats().requests, 1);
  });

  it('refreshes a token the service refuses (401) once, silently, and replays the request', async () => {
    let refreshes = 0;
    const tokens = fixedTokenProvider(async (force) => {
      if (!force) return 'an.expired.token';
      refreshes += 1;
      return env.tokens.getAccessToken({ forceRefresh: true });
    });
    const pc = createPartnerCenterClient({ baseUrl: env.pc.apiBaseUrl, clientId: 'unused', retry: FAST_RETRY }, { tokens });
    const created = await pc.create(outboundReferral('CRM-401'));
    assert.equal(created.crmId, 'CRM-401');
    assert.equal(refreshes, 1);
    assert.deepEqual({ requests: pc.callStats().requests, tokenRefreshes: pc.callStats().tokenRefreshes, retries: pc.callStats().retries }, { requests: 2, tokenRefreshes: 1, retries: 0 });
    assert.equal(env.pc.store.all().length, 1, 'the refused POST created nothing');
  });

  it('puts no bearer token in errors or logs when a request fails', async () => {
    const token = await env.tokens.getAccessToken();
    const signature = token.split('.')[2] as string;
    const { logger, text } = capturingLogger();
    const pc = env.client({}, { logger });
    const failures: ConnectorError[] = [];
    for (const attempt of [pc.create(outboundReferral('CRM-BAD', { customer: { name: 'No address' } })), pc.get('00000000-0000-0000-0000-000000000000')]) {
      await attempt.then(
        () => assert.fail('expected a failure'),
        (error: unknown) => failures.push(error as ConnectorError),
      );
    }
    assert.ok(failures[0] instanceof RemoteValidationError);
    assert.ok(failures[0].context.innerErrorCode, 'the rule code travels in innerError');
    assert.equal(failures[1]?.code, 'not_found');
    for (const error of failures) {
      for (const rendered of [JSON.stringify(error), inspect(error, { depth: 10 }), String(error.stack)]) {
        assert.ok(!rendered.includes(signature), `token in error: ${rendered}`);
      }
    }
    assert.match(text(), /Partner Center request failed/);
    assert.ok(!text().includes(signature), 'token in logs');
  });
});
