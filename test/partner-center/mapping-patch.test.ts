/** JSON Patch generation (replace/add only) and application, in Partner Center's terms (§1.6). */
import assert from 'node:assert/strict';
import { applyPatch, JsonPatchError, patchOperations, referralFromApi, referralToApi } from '../../connectors/partner-center/mapping.js';
import { contact, fullOutboundReferral } from '../helpers/partner-center-sandbox-fixtures.js';

describe('Partner Center mapping: JSON Patch', () => {
  const before = fullOutboundReferral();

  /** The patch, applied to the API form of `before`, must give the API form of `after`. */
  const roundTrip = (after: ReturnType<typeof fullOutboundReferral>) => {
    const ops = patchOperations(before, after);
    const patched = applyPatch(referralToApi(before), ops);
    assert.deepEqual(referralFromApi(patched), { ...after, eTag: before.eTag, updatedAt: before.updatedAt });
    return ops;
  };

  it('is empty for equal referrals and ignores service-owned fields', () => {
    assert.deepEqual(patchOperations(before, { ...before }), []);
    assert.deepEqual(patchOperations(before, { ...before, eTag: '"other"', updatedAt: '2030-01-01T00:00:00.000Z', microsoft: { status: 'Won' } }), []);
  });

  it('replaces changed scalars on documented paths', () => {
    const ops = roundTrip({ ...before, value: 10000, notes: 'changed', status: 'Closed', substatus: 'Won', salesStage: 'Won' });
    assert.deepEqual(ops, [
      { op: 'replace', path: '/status', value: 'Closed' },
      { op: 'replace', path: '/substatus', value: 'Won' },
      { op: 'replace', path: '/details/notes', value: 'changed' },
      { op: 'replace', path: '/details/dealValue', value: 10000 },
      { op: 'replace', path: '/salesStage', value: null },
    ]);
  });

  it('adds fields that were absent, and clears removed ones with replace null (there is no remove)', () => {
    const bare = fullOutboundReferral({ crmId: undefined, closeReason: undefined });
    const ops = patchOperations(bare, { ...bare, crmId: 'CRM-9' });
    assert.deepEqual(ops, [{ op: 'add', path: '/externalReferenceId', value: 'CRM-9' }]);
    assert.deepEqual(patchOperations(before, { ...before, marketingCampaignId: undefined }), [{ op: 'replace', path: '/campaignId', value: null }]);
    assert.ok(ops.every((op) => op.op === 'add' || op.op === 'replace'));
  });

  it('appends team members and solutions with add …/-, edits in place with replace …/{i}', () => {
    const newMember = contact('Kim', 'Akers');
    const ops = roundTrip({
      ...before,
      team: [{ ...before.team[0]!, phone: '+1 206 555 0000' }, before.team[1]!, newMember],
      solutions: [...before.solutions, { id: 'SOL-Azure', kind: 'microsoft' }],
    });
    assert.deepEqual(
      ops.map((o) => `${o.op} ${o.path}`),
      ['add /details/requirements/solutions/-', 'replace /team/0', 'add /team/-'],
    );
    assert.deepEqual(ops[2]!.value, { firstName: 'Kim', lastName: 'Akers', phoneNumber: '+1 425 555 0100', email: 'kim.akers@contoso-partner.example' });
  });

  it('replaces the whole team when the CRM removed a member (documented choice: no remove op exists)', () => {
    const ops = roundTrip({ ...before, team: [before.team[1]!] });
    assert.deepEqual(ops, [{ op: 'replace', path: '/team', value: [referralToApi(before).team![1]] }]);
  });

  it('applies add/replace per RFC 6902 and refuses other ops and missing targets', () => {
    const doc = { a: { b: 1 }, list: [1, 2] };
    assert.deepEqual(applyPatch(doc, [{ op: 'add', path: '/list/1', value: 9 }, { op: 'add', path: '/list/-', value: 3 }, { op: 'add', path: '/a/c', value: 2 }, { op: 'replace', path: '/a/b', value: 5 }]), { a: { b: 5, c: 2 }, list: [1, 9, 2, 3] });
    assert.deepEqual(doc, { a: { b: 1 }, list: [1, 2] }, 'the input is not modified');
    assert.deepEqual(applyPatch({ 'x/y': { '~k': 1 } }, [{ op: 'replace', path: '/x~1y/~0k', value: 2 }]), { 'x/y': { '~k': 2 } });
    for (const bad of [{ op: 'remove', path: '/a' }, { op: 'replace', path: '/missing', value: 1 }, { op: 'add', path: '/nope/deep', value: 1 }, { op: 'replace', path: '/list/5', value: 1 }, { op: 'add', path: 'a', value: 1 }]) {
      assert.throws(() => applyPatch(doc, [bad]), JsonPatchError, JSON.stringify(bad));
    }
  });
});
