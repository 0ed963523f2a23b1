/**
 * The Partner Center sandbox answers the documented requests of partner-center-api.md unchanged, over
 * real HTTP on loopback, with the documented shapes, headers and status codes; and every refusal
 * comes back in the documented error shape `{"error":{code,message,target,innerError}}`.
 */
import assert from 'node:assert/strict';
import { DOCUMENTED_PRIVATE_DEAL } from '../helpers/partner-center-docs.js';
import { innerCodes, startPcTestEnv, type ErrorBody, type PcTestEnv } from '../helpers/partner-center-sandbox.js';

const REFERRALS = '/v1.0/engagements/referrals';


describe('Partner Center sandbox: documented requests', () => {
  let env: PcTestEnv;
  before(async () => {
    env = await startPcTestEnv({ seed: 'none' });
  });
  after(async () => env?.close());

  it('creates the documented private deal: 201, populated referral, Active/Accepted, eTag header, echoed client-request-id', async () => {
    const res = await env.call('admin', 'POST', REFERRALS, { body: DOCUMENTED_PRIVATE_DEAL, headers: { 'client-request-id': 'c0ffee' } });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('client-request-id'), 'c0ffee');
    assert.ok(res.headers.get('request-id'));
    const body = res.body;
    assert.match(String(body.id), /^[0-9a-f-]{36}$/);
    assert.ok(body.engagementId);
    assert.equal(body.status, 'Active', 'All the deals you have created are in Accepted stage by default');
    assert.equal(body.substatus, 'Accepted');
    assert.equal(body.direction, 'Outgoing');
    assert.equal(body.dealType, 'Private');
    assert.equal(res.headers.get('etag'), body.eTag);
    assert.equal(body.acceptedDateTime, body.createdDateTime);
    assert.deepEqual((body.details as { requirements: { additionalRequirements: unknown } }).requirements.additionalRequirements, DOCUMENTED_PRIVATE_DEAL.details.requirements.additionalRequirements);
    assert.equal((body.consent as Record<string, unknown>).consentToToShareInfoWithOthers, true, 'property names are read without regard to case');
    // Exactly as "Create a referral" / "Get a referral by ID" print it, their "engagments" spelling included.
    assert.equal(body['@odata.context'], `${env.pc.apiBaseUrl}/v1.0/engagments/referrals/$metadata#Referrals/$entity`);
  });

  it('gets a referral by id with @odata.context, eTag and links', async () => {
    const created = await env.call('admin', 'POST', REFERRALS, { body: DOCUMENTED_PRIVATE_DEAL });
    const res = await env.call('admin', 'GET', `${REFERRALS}/${String(created.body.id)}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.id, created.body.id);
    assert.equal(res.body.eTag, created.body.eTag);
    const links = res.body.links as { self: { uri: string }; relatedReferrals: { uri: string } };
    assert.ok(links.self.uri.endsWith(`${REFERRALS}/${String(created.body.id)}`));
    const related = await env.call('admin', 'GET', links.relatedReferrals.uri);
    assert.deepEqual((related.body.value as { id: string }[]).map((r) => r.id), [created.body.id]);
  });

  it('applies the documented PATCH (string dealValue, then Closed/Won): 204 by default, 200 with Prefer: return=representation', async () => {
    const created = await env.call('admin', 'POST', REFERRALS, { body: DOCUMENTED_PRIVATE_DEAL });
    const url = `${REFERRALS}/${String(created.body.id)}`;
    const patched = await env.call('admin', 'PATCH', url, { body: [{ op: 'replace', path: '/details/dealValue', value: '10000' }] });
    assert.equal(patched.status, 204);
    assert.equal(patched.body, undefined);
    const read = await env.call('admin', 'GET', url);
    assert.equal((read.body.details as { dealValue: unknown }).dealValue, 10000, 'dealValue is a decimal: the documented string "10000" is read as a number');
    assert.notEqual(read.body.eTag, created.body.eTag, 'a write changes the eTag');
    assert.notEqual(read.body.updatedDateTime, created.body.updatedDateTime);

    const won = await env.call('admin', 'PATCH', url, {
      body: [{ op: 'replace', path: '/status', value: 'Closed' }, { op: 'replace', path: '/substatus', value: 'Won' }],
      headers: { prefer: 'return=representation', 'if-match': String(read.body.eTag) },
    });
    assert.equal(won.status, 200);
    assert.equal(won.body.substatus, 'Won');
  });

  it('changes eTag and updatedDateTime only when something changed', async () => {
    const created = await env.call('admin', 'POST', REFERRALS, { body: DOCUMENTED_PRIVATE_DEAL });
    const url = `${REFERRALS}/${String(created.body.id)}`;
    const same = await env.call('admin', 'PATCH', url, { body: [{ op: 'replace', path: '/name', value: DOCUMENTED_PRIVATE_DEAL.name }], headers: { prefer: 'return=representation' } });
    assert.equal(same.body.eTag, created.body.eTag);
    assert.equal(same.body.updatedDateTime, created.body.updatedDateTime);
  });

  it('adds a team member with the documented /team/- path', async () => {
    const created = await env.call('admin', 'POST', REFERRALS, { body: DOCUMENTED_PRIVATE_DEAL });
    const member = { firstName: 'Kim', lastName: 'Akers', phoneNumber: '4255550111', email: 'kim@contoso-partner.example' };
    const res = await env.call('admin', 'PATCH', `${REFERRALS}/${String(created.body.id)}`, { body: [{ op: 'add', path: '/team/-', value: member }], headers: { prefer: 'return=representation' } });
    assert.equal(res.status, 200);
    assert.deepEqual((res.body.team as unknown[]).at(-1), member);
  });

  it('requires If-Match on the obsolete PUT, refuses a stale one with 412, and accepts the current one', async () => {
    const created = await env.call('admin', 'POST', REFERRALS, { body: DOCUMENTED_PRIVATE_DEAL });
    const url = `${REFERRALS}/${String(created.body.id)}`;
    const { links: _links, '@odata.context': _ctx, ...full } = created.body;
    const noIfMatch = await env.call<ErrorBody>('admin', 'PUT', url, { body: { ...full, name: 'Renamed' } });
    assert.equal(noIfMatch.status, 400);
    assert.equal(noIfMatch.body.error.target, 'If-Match');
    const withLinks = await env.call<ErrorBody>('admin', 'PUT', url, { body: created.body, headers: { 'if-match': String(created.body.eTag) } });
    assert.equal(withLinks.body.error.target, 'links');
    const ok = await env.call('admin', 'PUT', url, { body: { ...full, name: 'Renamed' }, headers: { 'if-match': String(created.body.eTag), prefer: 'return=representation' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.name, 'Renamed');
    const stale = await env.call<ErrorBody>('admin', 'PUT', url, { body: { ...full, name: 'Again' }, headers: { 'if-match': String(created.body.eTag) } });
    assert.equal(stale.status, 412);
    assert.equal(stale.body.error.code, 'resourceModified');
  });

  it('refuses a PATCH with a stale If-Match with 412 resourceModified (the documented eTag-mismatch code) and changes nothing', async () => {
    const created = await env.call('admin', 'POST', REFERRALS, { body: DOCUMENTED_PRIVATE_DEAL });
    const url = `${REFERRALS}/${String(created.body.id)}`;
    await env.call('admin', 'PATCH', url, { body: [{ op: 'replace', path: '/details/notes', value: 'first' }] });
    const stale = await env.call<ErrorBody>('admin', 'PATCH', url, { body: [{ op: 'replace', path: '/details/notes', value: 'second' }], headers: { 'if-match': String(created.body.eTag) } });
    assert.equal(stale.status, 412);
    assert.equal(stale.body.error.code, 'resourceModified');
    const read = await env.call('admin', 'GET', url);
    assert.equal((read.body.details as { notes: string }).notes, 'first');
  });
});

describe('Partner Center sandbox: refusals in the documented error shape', () => {
  let env: PcTestEnv;
  let referralUrl: string;
  before(async () => {
    env = await startPcTestEnv({ seed: 'none' });
    const created = await env.call('admin', 'POST', REFERRALS, { body: DOCUMENTED_PRIVATE_DEAL });
    referralUrl = `${REFERRALS}/${String(created.body.id)}`;
  });
  after(async () => env?.close());

  const assertShape = (body: ErrorBody, code: string) => {
    assert.equal(body.error.code, code);
    assert.equal(typeof body.error.message, 'string');
  };

  it('401 unauthenticated without a token, with a forged token, and with a token for another audience', async () => {
    const none = await env.call<ErrorBody>(null, 'GET', REFERRALS);
    assert.equal(none.status, 401);
    assertShape(none.body, 'unauthenticated');
    assert.ok(none.headers.get('www-authenticate'));
    const forged = await env.call<ErrorBody>(null, 'GET', REFERRALS, { headers: { authorization: 'Bearer a.b.c' } });
    assert.equal(forged.status, 401);
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: '5c219700-0000-4000-8000-000000005c21', client_secret: 'sandbox-scripted-secret', scope: 'https://graph.microsoft.com/.default' });
    const graph = (await (await fetch(env.entra.tokenEndpoint, { method: 'POST', body: form })).json()) as { access_token: string };
    const wrongAudience = await env.call<ErrorBody>(null, 'GET', REFERRALS, { headers: { authorization: `Bearer ${graph.access_token}` } });
    assert.equal(wrongAudience.status, 401);
    assert.match(wrongAudience.body.error.message, /audience/);
  });

  it('403 accessDenied for an app-only token, saying App+User is required', async () => {
    const res = await env.call<ErrorBody>(null, 'GET', REFERRALS, { headers: { authorization: `Bearer ${await env.appToken()}` } });
    assert.equal(res.status, 403);
    assertShape(res.body, 'accessDenied');
    assert.match(res.body.error.message, /App-only.*App\+User/);
  });

  it('404 itemNotFound for an unknown id and for another organisation’s referral', async () => {
    const unknown = await env.call<ErrorBody>('admin', 'GET', `${REFERRALS}/00000000-0000-4000-8000-000000000000`);
    assert.equal(unknown.status, 404);
    assertShape(unknown.body, 'itemNotFound');
    const other = await env.call<ErrorBody>('otherPartner', 'GET', referralUrl);
    assert.equal(other.status, 404);
  });

  it('400 invalidRequest with the rule code in innerError and the canonical field as target', async () => {
    const { team: _team, ...noTeam } = DOCUMENTED_PRIVATE_DEAL;
    const res = await env.call<ErrorBody>('admin', 'POST', REFERRALS, { body: { ...noTeam, customerProfile: { ...DOCUMENTED_PRIVATE_DEAL.customerProfile, address: { city: 'Redmond', country: 'USA' } } } });
    assert.equal(res.status, 400);
    assertShape(res.body, 'invalidRequest');
    const codes = innerCodes(res.body);
    assert.ok(codes.includes('create.team.required'), codes.join());
    assert.ok(codes.includes('format.country'), codes.join());
    assert.equal(res.body.error.target, res.body.error.innerError?.target);
  });

  it('400 for an illegal transition (Active/Accepted → New/Pending), naming the rule', async () => {
    const res = await env.call<ErrorBody>('admin', 'PATCH', referralUrl, { body: [{ op: 'replace', path: '/status', value: 'New' }, { op: 'replace', path: '/substatus', value: 'Pending' }] });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.target, 'status');
    assert.deepEqual(innerCodes(res.body), ['transition.not_allowed']);
  });

  it('400 for an unknown enum value, naming the canonical field', async () => {
    const res = await env.call<ErrorBody>('admin', 'PATCH', referralUrl, { body: [{ op: 'replace', path: '/substatus', value: 'Archived' }] });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.target, 'substatus');
    assert.match(res.body.error.message, /Archived/);
  });

  it('400 for unsupported JSON Patch operations, read-only and unknown properties', async () => {
    const remove = await env.call<ErrorBody>('admin', 'PATCH', referralUrl, { body: [{ op: 'remove', path: '/team/0' }] });
    assert.equal(remove.status, 400);
    assert.deepEqual(innerCodes(remove.body), ['unsupportedOperation']);
    const readOnly = await env.call<ErrorBody>('admin', 'PATCH', referralUrl, { body: [{ op: 'replace', path: '/eTag', value: '"x"' }] });
    assert.deepEqual(innerCodes(readOnly.body), ['readOnlyProperty']);
    const unknown = await env.call<ErrorBody>('admin', 'PATCH', referralUrl, { body: [{ op: 'replace', path: '/colour', value: 'red' }] });
    assert.deepEqual(innerCodes(unknown.body), ['unknownProperty']);
    const notAnArray = await env.call<ErrorBody>('admin', 'PATCH', referralUrl, { body: { op: 'replace' } });
    assert.equal(notAnArray.status, 400);
  });

  it('400 for a filter it does not understand, 409 for a change to a terminal deal', async () => {
    const filter = await env.call<ErrorBody>('admin', 'GET', `${REFERRALS}?$filter=${encodeURIComponent("status eq 'New' plus 1")}`);
    assert.equal(filter.status, 400);
    assert.equal(filter.body.error.target, '$filter');
    await env.call('admin', 'PATCH', referralUrl, { body: [{ op: 'replace', path: '/status', value: 'Closed' }, { op: 'replace', path: '/substatus', value: 'Won' }] });
    const locked = await env.call<ErrorBody>('admin', 'PATCH', referralUrl, { body: [{ op: 'replace', path: '/details/notes', value: 'too late' }] });
    assert.equal(locked.status, 409);
    assert.deepEqual(innerCodes(locked.body), ['terminal.locked']);
  });

  it('405 for a method the resource does not have, in the same shape', async () => {
    const res = await env.call<ErrorBody>('admin', 'DELETE', referralUrl);
    assert.equal(res.status, 405);
    assertShape(res.body, 'invalidRequest');
  });
});
