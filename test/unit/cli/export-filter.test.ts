/**
 * `cosell export --since`: only ISO dates are read. Date.parse took `05/12/2026` as May 12 (an admin writing
 * day first meant 5 December), `May 12` as 2001 and `1` as January 2001, and the export silently held
 * other referrals than asked for (walkthrough).
 */
import assert from 'node:assert/strict';
import { filterFrom } from '../../../core/cli/commands/csv.js';
import { ConfigError } from '../../../core/errors.js';

describe('cosell export --since', () => {
  it('reads an ISO date as UTC midnight and an ISO time with its zone', () => {
    assert.equal(filterFrom({ since: '2026-01-31' }).since, '2026-01-31T00:00:00.000Z');
    assert.equal(filterFrom({ since: '2026-01-31T09:30:00+01:00' }).since, '2026-01-31T08:30:00.000Z');
    assert.equal(filterFrom({ since: '2026-01-31T09:30Z' }).since, '2026-01-31T09:30:00.000Z');
  });

  it('refuses what Date.parse would guess at, naming the option and the forms it takes', () => {
    for (const text of ['05/12/2026', 'May 12', '1', '2026-01-31T09:30:00', '2026-02-30', 'yesterday']) {
      assert.throws(
        () => filterFrom({ since: text }),
        (e: unknown) => e instanceof ConfigError && e.message.includes('--since') && e.message.includes(`"${text}" is not a date: write 2026-01-31 (UTC) or an ISO time with its zone`),
        text,
      );
    }
  });
});
