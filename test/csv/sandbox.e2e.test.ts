/**
 * The CSV import and export end to end: the real Partner Center client (axios, msal-node token from the
 * Entra sandbox) behind the CSV port, against the Partner Center sandbox, which applies the same rules.
 */
import assert from 'node:assert/strict';
import { exportReferrals, importReferrals, partnerCenterGateway, type ReferralGateway } from '../../core/csv/index.js';
import { startPartnerCenterEnv, type PartnerCenterEnv } from '../helpers/partner-center-client-env.js';
import { buildCorpus, corpus, rowNumber } from './helpers/corpus.js';
import { CapturingStream, csvText, splitCsv } from './helpers/csv.js';
import { manyReferrals, SAMPLE_HEADER, SEED_SAMPLE_ROW } from './helpers/fixtures.js';

const writes = (env: PartnerCenterEnv) => Object.entries(env.pc.counters.snapshot()).filter(([label]) => /POST|PATCH|PUT/.test(label)).reduce((sum, [, n]) => sum + n, 0);

describe('CSV import and export against the Partner Center sandbox', function () {
  this.timeout(120_000);
  let env: PartnerCenterEnv;
  let gateway: ReferralGateway;
  afterEach(async () => env?.close());

  async function start(seed: 'none' | number): Promise<void> {
    env = await startPartnerCenterEnv({ seed });
    gateway = partnerCenterGateway(env.client());
  }

  it('exports 5,000 referrals and re-imports them unchanged: zero changes, zero errors, no write call', async () => {
    // Varied deals created through the client (unicode, formula-like names, multi-line notes, several
    // solutions with amounts and team members, co-sell requests), the rest from the sandbox's bulk seed.
    const varied = manyReferrals(100).filter((d) => d.direction === 'outbound' && d.status === 'Active');
    await start(5000 - varied.length);
    const client = env.client();
    for (const r of varied) {
      const { referralId: _r, engagementId: _e, eTag: _t, createdAt: _c, updatedAt: _u, acceptedAt: _a, microsoft: _m, initiator: _i, ...deal } = r;
      await client.create({ ...deal, crmId: deal.crmId ?? `CRM-${r.referralId}`, location: 'loc-us-redmond' });
    }
    const output = new CapturingStream();
    const exported = await exportReferrals({ output }, { gateway });
    assert.equal(exported.written, 5000);
    env.pc.counters.reset();
    for (const content of splitCsv(output.text(), 1000)) {
      const result = await importReferrals({ content }, {}, { gateway, now: () => env.pc.clock.now() });
      assert.deepEqual(result.fileErrors, []);
      assert.deepEqual(result.rows.filter((r) => r.errors.length > 0).slice(0, 3), []);
      assert.deepEqual(result.summary, { created: 0, updated: 0, unchanged: 1000, notProcessed: 0, empty: 0 });
    }
    assert.equal(writes(env), 0, `write calls: ${JSON.stringify(env.pc.counters.snapshot())}`);
  });

  it('creates the seed sample row once, however often the file is imported, and updates it by its IDs', async () => {
    await start('none');
    const rows = [
      { ...SEED_SAMPLE_ROW, 'Engagement ID': '', 'Referral ID': '', 'Estimated Close Date': '1/30/2027' },
      { ...SEED_SAMPLE_ROW, 'Engagement ID': '', 'Referral ID': '', 'CRM ID': '', 'Deal Name': 'No CRM ID', 'Estimated Close Date': '1/30/2027' },
      { ...SEED_SAMPLE_ROW, 'Estimated Close Date': '1/30/2027' },
    ];
    const file = csvText(SAMPLE_HEADER, rows);
    const options = { location: 'loc-us-redmond' };
    const deps = { gateway, now: () => env.pc.clock.now() };
    const first = await importReferrals({ content: file }, options, deps);
    assert.deepEqual(first.summary, { created: 2, updated: 0, unchanged: 0, notProcessed: 1, empty: 0 });
    assert.equal(first.rows[2]!.errors[0]!.code, 'csv.unknown_referral', 'the sample IDs match no referral');
    const second = await importReferrals({ content: file }, options, deps);
    assert.deepEqual(second.summary, { created: 0, updated: 0, unchanged: 2, notProcessed: 1, empty: 0 });
    const listed: string[] = [];
    for await (const page of gateway.listReferrals({})) listed.push(...page.map((r) => r.dealName));
    assert.equal(listed.filter((n) => n === 'UK spring deal').length, 1);
    assert.equal(listed.filter((n) => n === 'No CRM ID').length, 1);

    const created = (await gateway.getReferral(first.rows[0]!.referralId!))!;
    assert.deepEqual([created.status, created.substatus, created.salesStage, created.helpType], ['Active', 'Accepted', 'Developed', 'workload-value-proposition']);
    const update = { ...rows[0]!, 'Referral ID': created.referralId!, 'Engagement ID': created.engagementId!, 'Estimated Deal Value': '25000', 'Sales Stage': '60', Notes: 'Pilot agreed\r\nPO expected in March', 'Partner Referral Status': 'Active' };
    const third = await importReferrals({ content: csvText(SAMPLE_HEADER, [update]) }, options, deps);
    assert.deepEqual(third.rows[0]!.errors.filter((e) => e.severity === 'error'), []);
    assert.deepEqual(third.summary, { created: 0, updated: 1, unchanged: 0, notProcessed: 0, empty: 0 });
    const updated = (await gateway.getReferral(created.referralId!))!;
    assert.deepEqual([updated.value, updated.salesStage, updated.notes], [25000, 'Proposed', 'Pilot agreed\r\nPO expected in March']);
    const fourth = await importReferrals({ content: csvText(SAMPLE_HEADER, [update]) }, options, deps);
    assert.deepEqual(fourth.summary, { created: 0, updated: 0, unchanged: 1, notProcessed: 0, empty: 0 }, 'the same update again changes nothing');
  });

  it('runs the create rows of the bad-row corpus: each bad row refused before any call, the good rows created', async () => {
    await start('none');
    const entries = corpus.filter((e) => e.base === 'create');
    const { text } = buildCorpus(entries);
    const result = await importReferrals({ content: text }, { location: 'loc-us-redmond' }, { gateway, now: () => env.pc.clock.now() });
    entries.forEach((entry, i) => {
      const outcome = result.rows.find((r) => r.row === rowNumber(i))!;
      if (entry.expect) {
        assert.equal(outcome.outcome, 'not-processed', entry.fault);
        assert.ok(outcome.errors.some((e) => e.code === entry.expect!.code && (entry.expect!.column === undefined || e.column === entry.expect!.column)), `${entry.fault}: ${JSON.stringify(outcome.errors)}`);
      } else {
        assert.deepEqual(outcome.errors.filter((e) => e.severity === 'error'), [], entry.fault);
        assert.equal(outcome.outcome, entry.outcome, entry.fault);
      }
    });
    const good = entries.filter((e) => e.outcome === 'created').length;
    assert.ok(entries.length - good >= 55, `${entries.length - good} bad create rows`);
    assert.equal(writes(env), good, `one POST per good row: ${JSON.stringify(env.pc.counters.snapshot())}`);
  });

  it('refuses a terminal deal\'s update before any call, with the rule the sandbox would apply', async () => {
    await start(8);
    let won;
    for await (const page of gateway.listReferrals({ status: 'Closed' })) won ??= page.find((r) => r.substatus === 'Won');
    assert.ok(won, 'the bulk seed has won deals');
    const output = new CapturingStream();
    await exportReferrals({ output, filter: { status: 'Closed' } }, { gateway });
    const content = output.text().replace(/Bulk deal (\d+)/, 'Renamed deal $1');
    env.pc.counters.reset();
    const result = await importReferrals({ content }, {}, { gateway, now: () => env.pc.clock.now() });
    assert.deepEqual(result.summary.notProcessed, 1);
    const refused = result.rows.find((r) => r.outcome === 'not-processed')!;
    assert.deepEqual(refused.errors.map((e) => `${e.column}: ${e.code}`), ['Deal Name: terminal.locked']);
    assert.equal(writes(env), 0);
  });
});
