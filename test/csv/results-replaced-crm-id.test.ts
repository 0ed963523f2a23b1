/**
 * The results file of an import uploaded again after the sync linked its deals. Its CRM ID column still
 * holds the key each deal was created under (the row's CRM ID, or a content key), which the sync has
 * since replaced in Partner Center with the linked CRM record's ID. Until 2026-12-06 the re-upload took
 * that cell for an edit and wrote the old key over the link: Partner Center named no CRM record until the
 * next sync put the record's ID back. The key is now read as the deal's current CRM ID, with a warning;
 * a CRM ID the admin typed that is no key of this deal is still applied.
 */
import assert from 'node:assert/strict';
import { importKeysIn, importReferrals } from '../../core/csv/index.js';
import { openMemoryStore } from '../../core/store/index.js';
import { CapturingStream, csvText, records } from './helpers/csv.js';
import { SAMPLE_HEADER, SEED_SAMPLE_ROW } from './helpers/fixtures.js';
import { MemoryGateway, NOW } from './helpers/memory-gateway.js';

const create = (overrides: Record<string, string>) => ({ ...SEED_SAMPLE_ROW, 'Engagement ID': '', 'Referral ID': '', Errors: '', 'Declined/Lost reason': '', 'Sales Stage': '', 'Partner Referral Status': 'New', ...overrides });
const options = { location: 'loc-us-redmond' };

describe('CSV import of a results file whose CRM IDs the sync replaced', () => {
  it('keeps the linked record\'s CRM ID, says why, and still applies the row\'s other changes and a CRM ID the admin typed', async () => {
    const gateway = new MemoryGateway();
    const keys = importKeysIn(openMemoryStore(), () => NOW);
    const deps = { gateway, keys, now: () => NOW };
    const output = new CapturingStream();
    const file = csvText(SAMPLE_HEADER, [create({ 'Deal Name': 'Keyed by CRM ID', 'CRM ID': 'KEY-1' }), create({ 'Deal Name': 'Keyed by content', 'CRM ID': '' }), create({ 'Deal Name': 'Retyped', 'CRM ID': 'KEY-3' })]);
    const first = await importReferrals({ content: file }, { ...options, results: output }, deps);
    assert.equal(first.summary.created, 3);
    // What the sync does once each deal is linked to a CRM opportunity: its CRM ID becomes the opportunity's.
    const linked = new Map(first.rows.map((r, i) => [r.referralId!, `006LINKED${i + 1}`]));
    for (const referral of gateway.store.values()) referral.crmId = linked.get(referral.referralId!)!;

    // The admin corrects the first deal's name in the results file and types another CRM ID on the third.
    const [header, ...rows] = records(output.text());
    const col = (name: string) => header!.indexOf(name);
    rows[0]![col('Deal Name')] = 'Keyed by CRM ID, renamed';
    rows[2]![col('CRM ID')] = 'OPP-TYPED';
    const again = await importReferrals({ content: csvText(header!, rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])))) }, options, deps);

    assert.deepEqual(again.rows.map((r) => r.outcome), ['updated', 'unchanged', 'updated']);
    const byId = (i: number) => gateway.store.get(first.rows[i]!.referralId!)!;
    assert.deepEqual([byId(0).crmId, byId(1).crmId, byId(2).crmId], ['006LINKED1', '006LINKED2', 'OPP-TYPED'], 'the keys are not written over the links');
    assert.equal(byId(0).dealName, 'Keyed by CRM ID, renamed');
    const replaced = again.rows.slice(0, 2).map((r) => r.errors.find((e) => e.code === 'csv.crm_id_replaced'));
    assert.deepEqual(replaced.map((e) => [e?.column, e?.severity]), [['CRM ID', 'warning'], ['CRM ID', 'warning']]);
    assert.match(replaced[0]!.message, /^"KEY-1" is the key this deal was created under; the sync has since replaced it with its CRM record's ID "006LINKED1", which is kept/);
    assert.equal(again.rows[2]!.errors.some((e) => e.code === 'csv.crm_id_replaced'), false);
  });
});
