/**
 * The fast reading of Partner Center answers agrees with the slow one it replaced, on the sandbox's own
 * referrals and on mutations of them (wrong types, missing required members, unknown enum values, extra
 * keys, nulls): the compiled schema checks (api-checks.ts) accept exactly what zod's interpreter accepts,
 * a referral read without zod's copy maps to the same model as its copy did, and a refusal carries the
 * same error.
 */
import assert from 'node:assert/strict';
import { isApiReferral, isApiReferralPage } from '../../connectors/partner-center/api-checks.js';
import { apiReferralPageSchema, apiReferralSchema, type ApiReferral } from '../../connectors/partner-center/api-types.js';
import { referralFromApi, referralFromValidApi, ReferralMappingError } from '../../connectors/partner-center/mapping.js';
import { referralLabel } from '../../connectors/partner-center/mapping/errors.js';
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
});
