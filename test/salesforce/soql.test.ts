/** The pure SOQL builders: escaping, millisecond datetime literals, the (SystemModstamp, Id) window. */
import assert from 'node:assert/strict';
import { afterCondition, datetimeLiteral, quote, quoteId, windowCondition } from '../../connectors/salesforce/soql.js';
import { chunkForSoql, customerKey, matchAccount } from '../../connectors/salesforce/matching.js';

describe('Salesforce SOQL builders', () => {
  it('escapes quotes, backslashes and control characters in string literals', () => {
    assert.equal(quote("O'Brien \\ \"x\"\n"), "'O\\'Brien \\\\ \\\"x\\\"\\n'");
    assert.equal(quote("' OR Name != '"), "'\\' OR Name != \\''");
  });

  it('keeps milliseconds in datetime literals (jsforce SfDate drops them)', () => {
    assert.equal(datetimeLiteral('2024-05-01T10:00:00.123+0000'.replace('+0000', 'Z')), '2024-05-01T10:00:00.123Z');
    assert.throws(() => datetimeLiteral('yesterday'));
  });

  it('refuses anything but an ID where an ID goes', () => {
    assert.equal(quoteId('0065g0000000001AAA'), "'0065g0000000001AAA'");
    assert.throws(() => quoteId("006' OR Id != '"));
  });

  it('builds the (SystemModstamp, Id) watermark conditions', () => {
    const from = { modstamp: '2024-05-01T10:00:00.123Z', id: '0065g0000000001AAA' };
    assert.equal(afterCondition(from), "((SystemModstamp > 2024-05-01T10:00:00.123Z) OR (SystemModstamp = 2024-05-01T10:00:00.123Z AND Id > '0065g0000000001AAA'))");
    assert.match(windowCondition(from, { modstamp: '2024-05-02T00:00:00.000Z', id: '0065g0000000009AAA' }), /AND \(\(SystemModstamp < 2024-05-02T00:00:00\.000Z\) OR/);
  });

  it('splits long value lists to keep URLs short', () => {
    const chunks = chunkForSoql(Array.from({ length: 1000 }, (_, i) => `value-${i}`), 2000);
    assert.ok(chunks.length > 1);
    assert.equal(chunks.flat().length, 1000);
  });

  it('matches accounts by D-U-N-S first, then name + postal code + country', () => {
    const accounts = [
      { Id: 'a1', Name: 'Contoso Ltd', DunsNumber: '123456789', BillingPostalCode: '98052', BillingCountry: 'US' },
      { Id: 'a2', Name: 'Fabrikam', DunsNumber: null, BillingPostalCode: 'EC1A 1BB', BillingCountry: 'GB' },
    ];
    assert.equal(matchAccount({ name: 'Other name', duns: '12-345-6789' }, accounts, { duns: 'DunsNumber' })?.Id, 'a1');
    assert.equal(matchAccount({ name: ' fabrikam ', postalCode: 'ec1a1bb', country: 'gb' }, accounts, { duns: 'DunsNumber' })?.Id, 'a2');
    assert.equal(matchAccount({ name: 'Fabrikam', postalCode: '10115', country: 'DE' }, accounts, { duns: 'DunsNumber' }), undefined);
    assert.equal(customerKey({ name: 'A', duns: '123-456-789' }), 'duns:123456789');
  });
});
