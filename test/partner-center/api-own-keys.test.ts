/**
 * Partner Center answers are kept as they came when the compiled check accepts them (api-checks.ts), where
 * zod's copy used to stand between the wire and the mapping. JSON.parse gives an answer own keys that a copy
 * treats specially: `__proto__` (zod's copy leaves it out; an assignment would set the copy's prototype, whose
 * members a read then finds) and `constructor`. The referral read must be the one the parsed copy gave, so a
 * crafted key cannot supply a CRM id, a value or a status the answer does not hold. Pure.
 */
import assert from 'node:assert/strict';
import { isApiReferral } from '../../connectors/partner-center/api-checks.js';
import { apiReferralSchema } from '../../connectors/partner-center/api-types.js';
import { referralFromApi, referralFromValidApi, referralToApi } from '../../connectors/partner-center/mapping.js';
import { outboundDeal } from '../helpers/referrals.js';

/** The answer's JSON text with `extra` spliced in as the first members of the object at `path` (top level: ''). */
function withMembers(api: object, path: string, extra: string): unknown {
  const text = JSON.stringify(api);
  const marker = path === '' ? '{' : `"${path}":{`;
  const found = text.indexOf(marker);
  assert.ok(found >= 0, `no object at ${path}`);
  const open = found + marker.length;
  return JSON.parse(`${text.slice(0, open)}${extra},${text.slice(open)}`);
}

describe('Partner Center answers with own __proto__ and constructor keys', () => {
  const api = referralToApi(outboundDeal({ referralId: 'r-1', crmId: undefined, value: 100, notes: 'kept' }));
  const cases: [string, string, string][] = [
    ['a __proto__ member offering a CRM id and a status', '', '"__proto__":{"externalReferenceId":"006EVIL","substatus":"Won","status":"Closed"}'],
    ['a __proto__ member that is null', '', '"__proto__":null'],
    ['a constructor member', '', '"constructor":{"name":"x"}'],
    ['a __proto__ member in details offering a deal value', 'details', '"__proto__":{"dealValue":999999,"notes":"injected"}'],
    ['a __proto__ member in the customer profile', 'customerProfile', '"__proto__":{"name":"Evil Corp"}'],
  ];
  for (const [name, path, extra] of cases) {
    it(`reads what the parsed copy read: ${name}`, () => {
      const answer = withMembers(api, path, extra);
      const parsed = apiReferralSchema.safeParse(answer);
      assert.equal(isApiReferral(answer), parsed.success);
      assert.ok(parsed.success);
      const read = referralFromApi(answer);
      assert.deepEqual(read, referralFromValidApi(parsed.data));
      assert.equal(read.crmId, undefined);
      assert.equal(read.value, 100);
      assert.equal(read.notes, 'kept');
      assert.notEqual(read.customer.name, 'Evil Corp');
      assert.equal(Object.getPrototypeOf(read), Object.prototype);
    });
  }
});
