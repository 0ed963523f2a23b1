/**
 * `sfDatetimeToIso` reads Salesforce's UTC form without `Date` when every part is in range
 * (mappings/fields.salesforce.ts): for every input it must give what parsing and printing through `Date`
 * gave, out-of-range parts (which `Date` moves on: 30 February is 2 March, 24:00 the next day) and other
 * offsets included. Pure.
 */
import assert from 'node:assert/strict';
import { sfDatetimeToIso } from '../../mappings/fields.salesforce.js';

/** The conversion as it was written before the fast path: every value through Date. */
function throughDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

describe('sfDatetimeToIso (pure)', () => {
  it('gives what Date gives for every day of every month, leap years, out-of-range parts and other offsets', () => {
    let compared = 0;
    for (const year of ['0000', '0099', '1900', '2000', '2023', '2024', '2100', '9999']) {
      for (let month = 0; month <= 13; month += 1) {
        for (let day = 0; day <= 32; day += 1) {
          for (const time of ['00:00:00.000', '23:59:59.999', '24:00:00.000', '12:60:00.000', '12:00:60.000']) {
            for (const zone of ['+0000', '+0100', '-0530', 'Z']) {
              const value = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${time}${zone}`;
              assert.equal(sfDatetimeToIso(value), throughDate(value), value);
              compared += 1;
            }
          }
        }
      }
    }
    assert.equal(compared, 8 * 14 * 33 * 5 * 4);
  });

  it('reads Salesforce answers as ISO instants and anything else as Date does', () => {
    assert.equal(sfDatetimeToIso('2026-12-07T12:20:15.000+0000'), '2026-12-07T12:20:15.000Z');
    assert.equal(sfDatetimeToIso('2024-02-29T23:59:59.999+0000'), '2024-02-29T23:59:59.999Z');
    assert.equal(sfDatetimeToIso('2026-02-29T10:00:00.000+0000'), '2026-03-01T10:00:00.000Z');
    assert.equal(sfDatetimeToIso('2026-05-01T10:00:00.000+0200'), '2026-05-01T08:00:00.000Z');
    for (const value of ['', 'x', '2026-05-01', '2026-05-01T10:00:00Z', '2026-05-01T10:00:00.000+00:00', '2026-5-01T10:00:00.000+0000', '２026-05-01T10:00:00.000+0000', ' 2026-05-01T10:00:00.000+0000', 12, null, undefined]) {
      assert.equal(sfDatetimeToIso(value), throughDate(value), String(value));
    }
  });
});
