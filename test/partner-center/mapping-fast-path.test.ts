/**
 * The fast reading of Partner Center answers agrees with the slow one it replaced, on the sandbox's own
 * referrals and on mutations of them (wrong types, missing required members, unknown enum values, extra
 * keys, nulls): the compiled schema checks (api-checks.ts) accept exactly what zod's interpreter accepts,
 * a referral read without zod's copy maps to the same model as its copy did, a refusal carries the same
 * error, the referral and its API form are built in their key order, and close dates
 * read off the text are what the `Date` path read.
 */
import assert from 'node:assert/strict';
import { isApiReferral, isApiReferralPage } from '../../connectors/partner-center/api-checks.js';
import { apiReferralPageSchema, apiReferralSchema, type ApiReferral } from '../../connectors/partner-center/api-types.js';
import { createBody, referralFromApi, referralFromValidApi, referralToApi, ReferralMappingError } from '../../connectors/partner-center/mapping.js';
import { referralLabel } from '../../connectors/partner-center/mapping/errors.js';
import { dateFromApi } from '../../connectors/partner-center/mapping/values.js';
import { startPartnerCenterSandbox } from '../../sandbox/partner-center/index.js';

type Json = Record<string, unknown>;

/** What `parseApiReferral` answered before the compiled check: zod's copy, or its first issue as the error. */
function parsedTheOldWay(json: unknown): ApiReferral {
  const parsed = apiReferralSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const raw = (typeof json === 'object' && json !== null ? json : {}) as { id?: string; name?: string };
  const issue = parsed.error.issues[0];
  throw new ReferralMappingError(referralLabel(typeof raw.id === 'string' || typeof raw.name === 'string' ? raw : undefined), issue?.path.join('.') || '(body)', issue?.message ?? 'invalid');
}

/** A call's outcome as text: the value as JSON (key order included), or the error's class, message and field. */
function outcome(call: () => unknown): string {
  try {
    return `ok ${JSON.stringify(call())}`;
  } catch (error) {
    const e = error as Error & { field?: string; referral?: string };
    return `${e.name} ${e.constructor.name} ${e.message} field=${String(e.field)} referral=${String(e.referral)}`;
  }
}

/** The members of the old `referralFromValidApi` and `referralToApi` literals, in their order. */
const REFERRAL_ORDER = [
  'referralId', 'engagementId', 'eTag', 'crmId', 'dealName', 'location', 'value', 'currency', 'closeDate', 'marketingCampaignId', 'notes', 'customer',
  'customerContact', 'team', 'solutions', 'dealType', 'direction', 'status', 'substatus', 'salesStage', 'helpType', 'shareWithMicrosoftSellers',
  'notesToMicrosoft', 'microsoft', 'closeReason', 'closeNotes', 'invitations', 'initiator', 'consentToShareContacts', 'favorite', 'qualification',
  'registration', 'createdAt', 'updatedAt', 'acceptedAt', 'expiresAt',
];
const API_ORDER = [
  'id', 'engagementId', 'name', 'externalReferenceId', 'locationId', 'createdDateTime', 'updatedDateTime', 'expirationDateTime', 'acceptedDateTime',
  'status', 'substatus', 'statusReason', 'statusReasonCode', 'type', 'dealType', 'direction', 'salesStage', 'campaignId', 'favorite', 'customerProfile',
  'consent', 'details', 'team', 'inviteContext', 'target', 'eTag', 'microsoftEngagement', 'partnerInvitations', 'qualification', 'dealRegistration',
];

const WRONG_VALUES: unknown[] = [42, 'x', true, null, {}, [], [1], { zz: 1 }];
const ENUM_FIELDS = ['status', 'substatus', 'salesStage', 'direction', 'dealType', 'statusReasonCode', 'assistanceRequestCode', 'solutionType', 'qualification'];

/** Every variant of `json` with one member changed: each wrong value, removed, an extra key beside it, a bogus enum. */
function* mutations(json: unknown, set: (value: unknown) => Json = (v) => v as Json): Generator<unknown> {
  if (typeof json !== 'object' || json === null) return;
  if (Array.isArray(json)) {
    for (const [i, item] of json.entries()) yield* mutations(item, (v) => set(json.map((x, j) => (j === i ? v : x))));
    yield set([...json, 7]);
    return;
  }
  const object = json as Json;
  yield set({ ...object, zzExtra: { any: ['thing'] } });
  for (const key of Object.keys(object)) {
    const { [key]: _removed, ...without } = object;
    yield set(without);
    for (const wrong of WRONG_VALUES) yield set({ ...object, [key]: wrong });
    if (ENUM_FIELDS.includes(key)) yield set({ ...object, [key]: 'Bogus' });
    yield* mutations(object[key], (v) => set({ ...object, [key]: v }));
  }
}

describe('Partner Center mapping: the fast path agrees with the old one', function () {
  this.timeout(120_000);
  let referrals: Json[] = [];

  before(async () => {
    const pc = await startPartnerCenterSandbox({ seed: 'default' });
    try {
      pc.reset('default', 3);
      // As a GET answers them: `@odata.context` first, `links` last (sandbox routes/referrals.ts).
      referrals = (JSON.parse(JSON.stringify(pc.store.all())) as Json[]).map((r) => ({ '@odata.context': 'https://api.partner.microsoft.com/v1.0/$metadata#Referral/$entity', ...r, links: { self: { uri: `https://x/${String(r.id)}`, method: 'GET' } } }));
    } finally {
      await pc.close();
    }
  });

  it('accepts, maps and refuses every mutation of the sandbox referrals as the interpreter did', () => {
    let accepted = 0;
    let refused = 0;
    for (const referral of referrals) {
      for (const json of [referral, ...mutations(referral)]) {
        const valid = apiReferralSchema.safeParse(json).success;
        assert.equal(isApiReferral(json), valid, JSON.stringify(json));
        assert.equal(outcome(() => referralFromApi(json)), outcome(() => referralFromValidApi(parsedTheOldWay(json))), JSON.stringify(json));
        if (valid) accepted += 1;
        else refused += 1;
      }
    }
    // Both kinds in numbers: the comparison saw refusals of every sort, not only accepted variants.
    assert.ok(accepted > 1_000 && refused > 1_000, `${accepted} accepted, ${refused} refused`);
  });

  it('accepts and refuses list pages as the interpreter did', () => {
    const page = { '@odata.context': 'https://x/$metadata#Referrals', '@odata.count': referrals.length, value: referrals.slice(0, 5) };
    let checked = 0;
    for (const json of [page, ...mutations(page)]) {
      assert.equal(isApiReferralPage(json), apiReferralPageSchema.safeParse(json).success, JSON.stringify(json));
      checked += 1;
    }
    assert.ok(checked > 1_000);
  });

  it('builds the referral and its API form with the keys in the order the literals had, none holding undefined', () => {
    // What `compact` of the old literals gave: their keys in order, those holding undefined left out.
    const inOrder = (object: Json, order: readonly string[]) => {
      assert.ok(Object.values(object).every((v) => v !== undefined));
      assert.deepEqual(Object.keys(object), order.filter((key) => key in object));
    };
    for (const json of referrals) {
      const referral = referralFromApi(json);
      inOrder(referral as unknown as Json, REFERRAL_ORDER);
      const api = referralToApi(referral) as Json;
      inOrder(api, API_ORDER);
      // The create body is the API form without what the service assigns, in the same order.
      inOrder(createBody(referral) as Json, API_ORDER.filter((k) => !['id', 'eTag', 'createdDateTime', 'updatedDateTime'].includes(k)));
      assert.deepEqual(createBody(referral), Object.fromEntries(Object.entries(api).filter(([k]) => !['id', 'eTag', 'createdDateTime', 'updatedDateTime', 'links'].includes(k))));
    }
  });

  it('reads a close date off a UTC instant exactly as new Date(…).toISOString() did, and refuses what it refused', () => {
    const theDatePath = (instant: string) => {
      const parsed = new Date(instant);
      if (Number.isNaN(parsed.getTime())) throw new Error(`${JSON.stringify(instant)} is not a date-time`);
      return parsed.toISOString().slice(0, 10);
    };
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    const times = ['T00:00:00Z', 'T23:59:59Z', 'T23:59:59.999Z', 'T12:30Z', 'T24:00:00Z', 'T00:00:00.5Z', 'T00:00:00.1234567Z', 'T00:00:00+01:00', 'T23:59:60Z', 't00:00:00z', 'T00:00:00', ''];
    let cases = 0;
    for (const year of [0, 1, 1900, 1970, 2000, 2024, 2027, 2100, 2400, 9999]) {
      for (let month = 0; month <= 13; month += 1) {
        for (let day = 0; day <= 32; day += 1) {
          for (const time of times) {
            const instant = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}${time}`;
            assert.equal(outcome(() => dateFromApi(instant)), outcome(() => theDatePath(instant)), instant);
            cases += 1;
          }
        }
      }
    }
    assert.ok(cases > 50_000);
  });
});
