/** `cosell import FILE --to-crm`: a Partner Center export → CRM opportunities, in batches, once. */
import assert from 'node:assert/strict';
import { crmCreateIntentsIn, exportReferrals, importToCrm } from '../../core/csv/index.js';
import { CapturingStream, csvText, records } from './helpers/csv.js';
import { manyReferrals, SAMPLE_HEADER, SEED_SAMPLE_ROW } from './helpers/fixtures.js';
import { MemoryCrm } from './helpers/memory-crm.js';
import { MemoryGateway, NOW } from './helpers/memory-gateway.js';

async function exportedFile(count: number): Promise<string> {
  const output = new CapturingStream();
  await exportReferrals({ output, filter: { direction: 'outbound' } }, { gateway: partnerCenter(count) });
  return output.text();
}

/** Partner Center holding `manyReferrals(count)`: where the import reads each row's referral. */
const partnerCenter = (count: number) => new MemoryGateway().seed(manyReferrals(count));

describe('CSV import into the CRM', () => {
  it('creates one opportunity per exported referral, in batches of the adapter\'s size, and none twice', async () => {
    const content = await exportedFile(20);
    const crm = new MemoryCrm(3);
    const first = await importToCrm({ content }, {}, { crm, partnerCenter: partnerCenter(20), now: () => NOW });
    const rows = records(content).length - 1;
    assert.deepEqual(first.summary, { created: rows, unchanged: 0, notProcessed: 0, empty: 0 });
    assert.ok(crm.batches.every((n) => n <= 3) && crm.batches.length === Math.ceil(rows / 3));
    const second = await importToCrm({ content }, {}, { crm, partnerCenter: partnerCenter(20), now: () => NOW });
    assert.deepEqual(second.summary, { created: 0, unchanged: rows, notProcessed: 0, empty: 0 });
    assert.equal(crm.opportunities.size, rows);
  });

  it('reads from Partner Center only the referrals the CRM does not hold yet, each once', async () => {
    const content = await exportedFile(12);
    const crm = new MemoryCrm(50);
    await importToCrm({ content }, {}, { crm, partnerCenter: partnerCenter(12), now: () => NOW });
    const gateway = partnerCenter(12);
    const asked: string[] = [];
    const getReferral = gateway.getReferral.bind(gateway);
    gateway.getReferral = (id: string) => {
      asked.push(id);
      return getReferral(id);
    };
    const again = await importToCrm({ content }, {}, { crm, partnerCenter: gateway, now: () => NOW });
    assert.equal(again.summary.unchanged, records(content).length - 1);
    assert.deepEqual(asked, [], 'a re-run of the same file reads no referral');
  });

  it('stores the sync\'s create intent for each referral before its opportunity is created, and only once', async () => {
    const content = await exportedFile(5);
    const crm = new MemoryCrm(2);
    const intents = new Map<string, { target: string; sourceId: string; createdAt: string; attempts: number }>();
    const store = { getIntent: (target: string, id: string) => intents.get(`${target}:${id}`), putIntent: (i: { target: string; sourceId: string; createdAt: string; attempts: number }) => void intents.set(`${i.target}:${i.sourceId}`, i) };
    const write = crm.write.bind(crm);
    crm.write = async (writes) => {
      for (const w of writes) assert.ok(intents.has(`crm:${w.key}`), `the intent for ${w.key} is stored before the create`);
      return write(writes);
    };
    await importToCrm({ content }, {}, { crm, partnerCenter: partnerCenter(5), intents: crmCreateIntentsIn(store, () => NOW), now: () => NOW });
    const referralIds = [...crm.opportunities.values()].map((o) => o.referral.referralId).sort();
    assert.deepEqual([...intents.values()].map((i) => i.sourceId).sort(), referralIds);
    assert.ok([...intents.values()].every((i) => i.target === 'crm' && i.attempts === 1 && i.createdAt === NOW.toISOString()));
  });

  it('carries the referral as Partner Center holds it, with a synced status', async () => {
    const crm = new MemoryCrm();
    await importToCrm({ content: await exportedFile(3) }, {}, { crm, partnerCenter: partnerCenter(3), now: () => NOW });
    const [opp] = [...crm.opportunities.values()];
    const expected = manyReferrals(3).find((r) => r.referralId === opp!.referral.referralId)!;
    assert.equal(opp!.referral.dealName, expected.dealName);
    assert.equal(opp!.referral.closeDate, expected.closeDate);
    assert.deepEqual(opp!.referral.team, expected.team);
    assert.deepEqual(opp!.status, { state: 'synced', message: '', lastSyncedAt: NOW.toISOString(), referralId: expected.referralId, engagementId: expected.engagementId, dealType: expected.dealType, direction: 'outbound', ...(expected.microsoft ? { microsoftStatus: expected.microsoft.status } : {}) });
  });

  it('refuses rows without a Referral ID and reports what the CRM refused, row by row', async () => {
    const crm = new MemoryCrm();
    const output = new CapturingStream();
    const content = csvText(SAMPLE_HEADER, [
      { ...SEED_SAMPLE_ROW, 'Declined/Lost reason': '', 'Referral ID': '' },
      { ...SEED_SAMPLE_ROW, 'Declined/Lost reason': '', 'Deal Name': 'please refuse me' },
      { ...SEED_SAMPLE_ROW, 'Declined/Lost reason': '', 'Referral ID': 'r-3', 'Estimated Close Date': 'soon' },
    ]);
    const [a, b] = manyReferrals(2).map((r, i) => ({ ...r, direction: 'outbound' as const, referralId: i === 0 ? SEED_SAMPLE_ROW['Referral ID']! : 'r-3', engagementId: SEED_SAMPLE_ROW['Engagement ID']! }));
    const result = await importToCrm({ content }, { results: output }, { crm, partnerCenter: new MemoryGateway().seed([a!, b!]), now: () => NOW });
    assert.deepEqual(result.summary, { created: 0, unchanged: 0, notProcessed: 3, empty: 0 });
    assert.deepEqual(result.rows.map((r) => r.errors.map((e) => e.code)), [['csv.referral_id_required'], ['crm.validation'], ['csv.date']]);
    const [header, ...rows] = records(output.text());
    assert.match(rows[1]![header!.indexOf('Errors')]!, /Memory CRM refused the opportunity: Name is too long/);
  });

  it('takes what the file cannot carry from Partner Center: solution kinds and names, location, Microsoft\'s side', async () => {
    const crm = new MemoryCrm(50);
    await importToCrm({ content: await exportedFile(12) }, {}, { crm, partnerCenter: partnerCenter(12), now: () => NOW });
    const held = new Map(manyReferrals(12).map((r) => [r.referralId, r]));
    for (const { referral } of crm.opportunities.values()) {
      const expected = held.get(referral.referralId)!;
      assert.deepEqual(referral.solutions, expected.solutions, referral.dealName);
      assert.equal(referral.location, expected.location);
      assert.deepEqual(referral.microsoft, expected.microsoft);
    }
  });

  it('refuses a row whose Referral ID Partner Center does not have, or of the other tab than --direction, and creates nothing for it', async () => {
    const content = await exportedFile(3);
    const [header, ...rows] = records(content);
    const unknown = [...rows[0]!];
    unknown[header!.indexOf('Referral ID')] = 'no-such-referral';
    unknown[header!.indexOf('Engagement ID')] = '';
    const crm = new MemoryCrm();
    const file = [header!, unknown, rows[1]!].map((row) => row.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',')).join('\r\n');
    const result = await importToCrm({ content: file }, { direction: 'inbound' }, { crm, partnerCenter: partnerCenter(3), now: () => NOW });
    assert.deepEqual(result.rows.map((r) => [r.outcome, r.errors.map((e) => `${e.column}: ${e.code}`)]), [
      ['not-processed', ['Referral ID: csv.unknown_referral']],
      ['not-processed', ['Referral ID: csv.direction_mismatch']],
    ]);
    assert.equal(crm.opportunities.size, 0);
  });

  it('stopped (signal aborted) during a batch, creates no later batch and names each row left as interrupted', async () => {
    const crm = new MemoryCrm(2);
    const stop = new AbortController();
    const write = crm.write.bind(crm);
    crm.write = async (writes) => {
      stop.abort();
      return write(writes);
    };
    const result = await importToCrm({ content: await exportedFile(12) }, { signal: stop.signal }, { crm, partnerCenter: partnerCenter(12), now: () => NOW });
    assert.ok(result.rows.length > 2, 'rows are left after the first batch');
    assert.equal(crm.opportunities.size, 2);
    assert.deepEqual(result.rows.map((r) => [r.outcome, r.errors.map((e) => e.code)]), [['created', []], ['created', []], ...Array.from({ length: result.rows.length - 2 }, () => ['not-processed', ['csv.interrupted']])]);
  });
});
