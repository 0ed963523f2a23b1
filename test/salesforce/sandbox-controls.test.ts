/** The sandbox's `/_sandbox` controls and its persistence file. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSalesforceSandbox } from '../../sandbox/salesforce/index.js';
import { DEFAULT_STAGES } from '../../sandbox/salesforce/schema.js';

describe('Salesforce sandbox controls', function () {
  this.timeout(30_000);

  it('seeds, edits as a seller, moves the clock, sets limits, expires tokens and resets', async () => {
    const sb = await startSalesforceSandbox();
    try {
      const control = async (method: string, p: string, body?: unknown) => {
        const res = await fetch(`${sb.url}/_sandbox/${p}`, { method, ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const seeded = await control('POST', 'seed', { opportunities: 50 });
      assert.equal(seeded.body.opportunities, 50);
      const opp = sb.store.all('Opportunity')[0]!;
      const before = String(opp.SystemModstamp);
      await control('POST', 'clock', { advanceMs: 3_600_000 });
      const edit = await control('PATCH', `seller/opportunities/${opp.Id}`, { StageName: 'Closed Lost' });
      assert.equal(edit.status, 200);
      assert.equal(opp.IsClosed, true);
      assert.ok(String(opp.SystemModstamp) > before);
      assert.equal(opp.LastModifiedById, opp.OwnerId, 'the owner made the change');
      const refused = await control('PATCH', `seller/opportunities/${opp.Id}`, { Amount: -1 });
      assert.equal(refused.status, 400);
      await control('PUT', 'limits', { dailyLimit: 10, used: 10 });
      const token = await fetch(`${sb.url}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret }) });
      const { access_token } = (await token.json()) as { access_token: string };
      const over = await fetch(`${sb.url}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${access_token}` } });
      assert.equal(over.status, 403);
      await control('PUT', 'limits', { dailyLimit: 1000, used: 0 });
      await control('POST', 'tokens/expire');
      const expired = await fetch(`${sb.url}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${access_token}` } });
      assert.equal(expired.status, 401);
      const counters = await control('GET', 'counters');
      assert.equal(typeof counters.body.counters, 'object');
      await control('POST', 'reset');
      assert.equal(sb.store.all('Opportunity').length, 0);
      assert.equal(sb.store.all('OpportunityStage').length, DEFAULT_STAGES.length);
    } finally {
      await sb.close();
    }
  });

  it('keeps the org in its persistence file between runs', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sf-sandbox-')), 'org.json');
    const first = await startSalesforceSandbox({ seed: true, persistFile: file });
    const ids = first.store.all('Opportunity').map((o) => o.Id);
    await first.close();
    const second = await startSalesforceSandbox({ persistFile: file });
    try {
      assert.deepEqual(second.store.all('Opportunity').map((o) => o.Id), ids);
      const next = second.generate({ opportunities: 1 });
      assert.equal(next.opportunities, 1);
      assert.ok(second.store.all('Opportunity').every((o, i, all) => all.findIndex((x) => x.Id === o.Id) === i), 'new IDs do not collide with loaded ones');
    } finally {
      await second.close();
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});
