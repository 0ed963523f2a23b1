/** The scale benchmark's options and its percentile (bench/scale/): pure pieces, no sandboxes or database. */
import assert from 'node:assert/strict';
import { parseScaleArgs } from '../../bench/scale/args.js';
import { percentile } from '../../bench/scale/phase.js';

describe('bench:scale options', () => {
  it('reads K, N and W, and gives the tenants both CRMs in turn by default', () => {
    const args = parseScaleArgs(['--tenants', '20', '--deals', '2_000', '--workers', '4']);
    assert.deepEqual([args.tenants, args.deals, args.workers, args.concurrency], [20, 2000, 4, 1]);
    assert.deepEqual(args.crms, ['salesforce', 'dynamics']);
    assert.equal(args.seed, 'crm');
    assert.equal(args.quietSeconds, 320, 'past the change feeds\' re-read windows by default');
  });

  it('takes one CRM, the Partner Center seeding and no quiet wait', () => {
    const args = parseScaleArgs(['--crm', 'dynamics', '--seed', 'partner-center', '--quiet-seconds', '0']);
    assert.deepEqual(args.crms, ['dynamics']);
    assert.equal(args.seed, 'partner-center');
    assert.equal(args.quietSeconds, 0);
  });

  it('refuses what it cannot run, naming the option', () => {
    assert.throws(() => parseScaleArgs(['--workers', '0']), /--workers takes a whole number of at least 1/);
    assert.throws(() => parseScaleArgs(['--deals', '50']), /--deals takes a whole number of at least 100/);
    assert.throws(() => parseScaleArgs(['--crm', 'hubspot']), /--crm is salesforce, dynamics or both/);
    assert.throws(() => parseScaleArgs(['--tenants']), /--tenants needs a value/);
    assert.throws(() => parseScaleArgs(['--fast']), /unknown option --fast/);
  });
});

describe('bench:scale percentile (nearest rank)', () => {
  it('picks the value at or above the share asked', () => {
    const lags = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    assert.equal(percentile(lags, 50), 5);
    assert.equal(percentile(lags, 95), 10);
    assert.equal(percentile([7], 95), 7);
    assert.equal(percentile([], 50), 0);
  });
});
