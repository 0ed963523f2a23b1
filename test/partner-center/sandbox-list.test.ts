/**
 * Listing: the documented `$filter` examples, `$orderby`, `$top`, `$select`, `$count`, and paging over
 * more than 1,000 referrals through `@odata.nextLink` (partner-center-api.md §1.5).
 */
import assert from 'node:assert/strict';
import { generateBulk, OUR_PARTNER_ORG, sampleDeal } from '../../sandbox/partner-center/index.js';
import { startPcTestEnv, type ErrorBody, type PcTestEnv } from '../helpers/partner-center-sandbox.js';

const REFERRALS = '/v1.0/engagements/referrals';
type Page = { '@odata.context': string; '@odata.count': number; '@odata.nextLink'?: string; value: Record<string, unknown>[] };

describe('Partner Center sandbox: filters on the seed data', () => {
  let env: PcTestEnv;
  before(async () => {
    env = await startPcTestEnv({ seed: 'default' });
  });
  after(async () => env?.close());

  const list = async (query: string) => {
    const res = await env.call<Page>('admin', 'GET', `${REFERRALS}?${query}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const f = (filter: string) => `$filter=${encodeURIComponent(filter)}`;
  const ours = () => env.pc.store.ownedBy(OUR_PARTNER_ORG);

  it("status eq 'New' and qualification eq 'SalesQualified'", async () => {
    const page = await list(f("status eq 'New' and qualification eq 'SalesQualified'"));
    const expected = ours().filter((r) => r.status === 'New' && r.qualification === 'SalesQualified');
    assert.ok(expected.length > 0);
    assert.deepEqual(page.value.map((r) => r.id).sort(), expected.map((r) => r.id).sort());
  });

  it("customerProfile/address/country eq 'US' and direction eq 'Incoming'", async () => {
    const page = await list(f("customerProfile/address/country eq 'US' and direction eq 'Incoming'"));
    const expected = ours().filter((r) => r.customerProfile?.address?.country === 'US' && r.direction === 'Incoming');
    assert.ok(expected.length > 0);
    assert.equal(page['@odata.count'], expected.length);
    for (const r of page.value) assert.equal((r.customerProfile as { address: { country: string } }).address.country, 'US');
  });

  it("engagementId eq '…' returns our referral of that engagement", async () => {
    const any = ours().find((r) => r.microsoftEngagement)!;
    const page = await list(f(`engagementId eq '${any.engagementId}'`));
    assert.deepEqual(page.value.map((r) => r.id), [any.id]);
  });

  it("(direction eq 'Incoming' and substatus eq 'Pending'), and the parenthesised Shared example", async () => {
    const pending = await list(f("(direction eq 'Incoming' and substatus eq 'Pending')"));
    assert.ok(pending.value.length >= 2);
    for (const r of pending.value) assert.deepEqual([r.direction, r.substatus], ['Incoming', 'Pending']);
    const shared = await list(f("(type eq 'Shared' and direction eq 'Incoming')"));
    assert.equal(shared.value.length, ours().filter((r) => r.type === 'Shared' && r.direction === 'Incoming').length);
  });

  it("team/any(t:t/email eq '…'), or, not, updatedDateTime ranges and externalReferenceId", async () => {
    const sam = await list(f("team/any(t:t/email eq 'sam@contoso-partner.example')"));
    assert.ok(sam.value.length > 0);
    for (const r of sam.value) assert.ok((r.team as { email: string }[]).some((m) => m.email === 'sam@contoso-partner.example'));
    const either = await list(f("substatus eq 'Won' or substatus eq 'Lost'"));
    assert.deepEqual(new Set(either.value.map((r) => r.substatus)), new Set(['Won', 'Lost']));
    const notActive = await list(f("not (status eq 'Active')"));
    assert.ok(notActive.value.every((r) => r.status !== 'Active'));
    const cut = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const recent = await list(f(`updatedDateTime gt ${cut}`));
    assert.equal(recent.value.length, ours().filter((r) => String(r.updatedDateTime) > cut).length);
    const quoted = await list(f(`updatedDateTime ge '${cut}'`));
    assert.equal(quoted.value.length, recent.value.length);
    assert.equal((await list(f("externalReferenceId eq 'nothing'"))).value.length, 0);
  });

  it('orders by createdDateTime or updatedDateTime, asc or desc, and projects $select', async () => {
    const asc = await list('$orderby=createdDateTime asc&$select=id,createdDateTime');
    const times = asc.value.map((r) => String(r.createdDateTime));
    assert.deepEqual(times, [...times].sort());
    assert.deepEqual(Object.keys(asc.value[0]!).sort(), ['createdDateTime', 'id']);
    const desc = await list('$orderby=updatedDateTime desc');
    const updated = desc.value.map((r) => String(r.updatedDateTime));
    assert.deepEqual(updated, [...updated].sort().reverse());
    const documented = await list('$select=id,status,customerProfile&$top=10');
    assert.equal(documented.value.length, 10);
    assert.deepEqual(Object.keys(documented.value[0]!).sort(), ['customerProfile', 'id', 'status']);
    const top = await list('$top=3&$count=true');
    assert.equal(top.value.length, 3);
    assert.equal(top['@odata.nextLink'], undefined, '$top=3 is satisfied by one page');
    assert.equal(top['@odata.count'], ours().length);
  });

  it('refuses unknown properties, orderby keys and query options with 400 invalidRequest', async () => {
    for (const query of [f("colour eq 'red'"), '$orderby=name', '$select=secret', '$top=0', '$skiptoken=garbage', '$search=x', f("status eq 'New' and"), f("startswith(name, 'x') eq true")]) {
      const res = await env.call<ErrorBody>('admin', 'GET', `${REFERRALS}?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error.code, 'invalidRequest', query);
    }
  });
});

describe('Partner Center sandbox: paging', () => {
  let env: PcTestEnv;
  before(async () => {
    env = await startPcTestEnv({ seed: 'none' });
    generateBulk(env.pc.store, env.pc.service.orgs, 1_234);
  });
  after(async () => env?.close());

  it('serves 1,234 referrals in pages of 100 through @odata.nextLink with $skiptoken, each exactly once, in order', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${REFERRALS}?$orderby=createdDateTime desc`;
    let pages = 0;
    while (url) {
      const res: { status: number; body: Page } = await env.call<Page>('admin', 'GET', url);
      assert.equal(res.status, 200);
      pages += 1;
      assert.ok(res.body.value.length <= 100);
      assert.equal(res.body['@odata.count'], 1_234);
      seen.push(...res.body.value.map((r) => String(r.createdDateTime) + '|' + String(r.id)));
      url = res.body['@odata.nextLink'];
      if (url) assert.match(url, /\$skiptoken=/);
    }
    assert.equal(pages, 13);
    assert.equal(new Set(seen).size, 1_234);
    assert.deepEqual(seen, [...seen].sort().reverse());
  });

  it('keeps $top across pages, and a referral created while paging does not shift unread pages', async () => {
    const first = await env.call<Page>('admin', 'GET', `${REFERRALS}?$top=150&$orderby=createdDateTime asc`);
    assert.equal(first.body.value.length, 100);
    assert.ok(env.pc.actAs(OUR_PARTNER_ORG).create(sampleDeal(env.pc.service.orgs, OUR_PARTNER_ORG, { dealName: 'Created mid-paging' })).ok);
    const second = await env.call<Page>('admin', 'GET', first.body['@odata.nextLink']!);
    assert.equal(second.body.value.length, 50);
    assert.equal(second.body['@odata.nextLink'], undefined);
    const ids = new Set([...first.body.value, ...second.body.value].map((r) => r.id));
    assert.equal(ids.size, 150);
  });
});
