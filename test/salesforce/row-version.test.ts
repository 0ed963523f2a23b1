/**
 * Row versions are stored (the related-row index, the engine's CRM etag) and compared with versions computed
 * by later runs, so the text they hash must never change: these are the versions the first implementation
 * (entries, filter, sort, join) gave for a row with every kind of value, pinned. Pure.
 */
import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { relatedRowVersion, rowVersion, rowVersionMemo, sameContent } from '../../connectors/salesforce/row-version.js';

const ROW = {
  attributes: { type: 'Opportunity', url: '/services/data/v60.0/sobjects/Opportunity/006000000000001AAA' },
  Id: '006000000000001AAA', Name: 'Contoso "North" rollout — phase 2', StageName: 'Prospecting', Amount: 125000.5, Probability: 10,
  CloseDate: '2026-12-31', SystemModstamp: '2026-03-10T11:58:00.000+0000', Description: 'Line one\nline two\ttabbed, é ü ✓ \u0001',
  Cosell_Opt_In__c: true, Cosell_Referral_ID__c: null, Skipped__c: undefined, zeta: 1, Zeta: 2, _under: 'x',
  Account: { attributes: { type: 'Account' }, Name: 'Contoso', BillingCountry: 'US', Id: '0010000000000001' },
  Tags: [3, 'a', null, { b: 2, a: [true, false] }, []], Owner: { Email: 'seller@partner.example', Name: 'Sam' }, Empty: {},
};

/** A related row with stamps at every depth: left out in the row and the objects it holds, kept inside arrays. */
const RELATED = {
  attributes: { type: 'OpportunityContactRole' }, Id: '00K1', OpportunityId: '0061', IsPrimary: true, SystemModstamp: '2026-03-10T11:58:00.000+0000',
  Opportunity: { SystemModstamp: '2026-03-10T11:59:00.000+0000', Name: 'x' },
  Contact: { attributes: { type: 'Contact' }, FirstName: 'Alex', SystemModstamp: '2026-03-10T11:57:00.000+0000', Account: { Name: 'A', SystemModstamp: 's' }, Email: 'alex@customer.example', Skip: undefined },
  Rows: [{ SystemModstamp: 'kept in arrays', b: 1 }, 2], Nothing: null,
};

describe('Salesforce row versions (pure)', () => {
  it('hash the same text as they always did: keys sorted, attributes and undefined fields left out', () => {
    assert.equal(rowVersion(ROW), 'vHZ9-WUhodn-jfLPaAsj3m');
    assert.equal(relatedRowVersion({ ...ROW, Opportunity: { Id: 'x' } }), '3tDY6IxGgcpTy8xMLJFkgt');
    assert.equal(relatedRowVersion(RELATED), 'n8lSW1gSJBMzJ6lClSBCyT');
  });

  it('do not depend on the order of the fields, nor on attributes', () => {
    const reversed = Object.fromEntries(Object.entries(ROW).reverse());
    assert.equal(rowVersion(reversed), rowVersion(ROW));
    assert.equal(rowVersion({ ...ROW, attributes: { type: 'Opportunity', url: '/other' } }), rowVersion(ROW));
    assert.notEqual(rowVersion({ ...ROW, Amount: 125000.25 }), rowVersion(ROW));
  });

  it('sameContent answers as equal row versions do: key order, attributes and undefined fields aside', () => {
    const reversed = Object.fromEntries(Object.entries(ROW).reverse());
    assert.equal(sameContent(ROW.Account, { Id: '0010000000000001', BillingCountry: 'US', Name: 'Contoso' }), true);
    assert.equal(sameContent(reversed, ROW), rowVersion({ v: reversed }) === rowVersion({ v: ROW }));
    assert.equal(sameContent(ROW.Account, { ...ROW.Account, Name: 'Fabrikam' }), false);
    assert.equal(sameContent(ROW.Tags, [...ROW.Tags].reverse()), false);
    assert.equal(sameContent(null, {}), false);
  });

  it('rows of one shape, and rows with as many fields under other names or in another order, each hash their own content', () => {
    // Key orders are remembered per shape (row-version.ts): a remembered order must serve only the same names in the same order.
    const rows = [{ a: 1, b: 2, c: 3 }, { c: 3, b: 2, a: 1 }, { a: 1, b: 2, d: 3 }, { d: 3, b: 2, a: 1 }, { b: 2, a: 1, c: 3 }, { a: 1, b: 2, c: 4 }];
    const versions = rows.map((row) => rowVersion(row));
    assert.deepEqual(versions, rows.map((row) => rowVersion(row)));
    assert.equal(versions[0], versions[1]);
    assert.equal(versions[0], versions[4]);
    assert.equal(versions[2], versions[3]);
    assert.notEqual(versions[0], versions[2]);
    assert.notEqual(versions[0], versions[5]);
    assert.equal(sameContent({ x: 1, y: 2 }, { y: 2, x: 1 }), true);
    assert.equal(sameContent({ x: 1, y: 2 }, { x: 1, z: 2 }), false);
    // Many shapes of one length: those past the remembered ones are sorted each time, and hash the same.
    for (let i = 0; i < 20; i += 1) {
      const row = { [`k${i}`]: i, a: 0 };
      assert.equal(rowVersion(row), rowVersion({ a: 0, [`k${i}`]: i }));
    }
  });

  it('rowVersionMemo gives rowVersion of each row, and a copy its own', () => {
    const versionOf = rowVersionMemo();
    assert.equal(versionOf(ROW), rowVersion(ROW));
    assert.equal(versionOf(ROW), rowVersion(ROW));
    const copy = { ...ROW, Amount: 1 };
    assert.equal(versionOf(copy), rowVersion(copy));
    assert.notEqual(versionOf(copy), versionOf(ROW));
  });

  it('hash each scalar field as its JSON.stringify text: escapes, surrogates, numbers, booleans and null', () => {
    // Field values are written without JSON.stringify where their text is known (row-version.ts `scalarJson`):
    // the version of a one-field row must stay the hash of the field's JSON text for every kind of value.
    const values: unknown[] = [
      '', 'plain', 'quote " inside', 'back\\slash', 'new\nline', '\u0000\u001f\u007f', 'é ü ✓ 漢字', '😀 pair', '\ud83d lone high', 'lone low \ude00',
      '\u2028\u2029', '</script>', 0, -0, 1, -1.5, 0.1 + 0.2, 1e21, 1e-7, 123456789012345680000, Number.MAX_VALUE, Number.MIN_VALUE,
      Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, true, false, null,
    ];
    for (const v of values) {
      const expected = hash('sha256', `{"v":${JSON.stringify(v) ?? 'null'}}`, 'base64url').slice(0, 22);
      assert.equal(rowVersion({ v }), expected, `value ${String(v)}`);
    }
  });
});
