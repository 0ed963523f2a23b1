/**
 * `cosell import FILE --to-crm` takes each row's referral from Partner Center, through the real binary on
 * both CRMs. The import used to build the opportunity from the file alone, which cannot carry everything:
 * - a Referral ID Partner Center does not have still made an opportunity ("Created 1", exit 0), which the
 *   next sync parked as `binding.unconfirmed`;
 * - the file has no solution kind or name and no decline notes, so a declined referral's opportunity held
 *   another solution kind and no notes; the first sync took that for a seller's edit after the close and
 *   marked the record "closed: Co-sell Solutions, Decline or loss notes not sent" although nobody edited it.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startCliWorld, type CliWorld } from '../helpers/cli.js';
import { unwrap } from '../e2e/lifecycle.suite.js';
import { records } from '../csv/helpers/csv.js';

interface Status { parked: unknown[] }
interface Report { counts: { closed?: number } }

const UNKNOWN_REFERRAL = '00000000-1111-4222-8333-444444444444';

/** The exported file with one more row: a copy of the first with a Referral ID Partner Center does not have. */
function withUnknownReferral(file: string): void {
  const [header, first, ...rest] = records(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  const copy = [...first!];
  copy[header!.indexOf('Engagement ID')] = '';
  copy[header!.indexOf('Referral ID')] = UNKNOWN_REFERRAL;
  copy[header!.indexOf('Deal Name')] = 'Typed by hand';
  const quote = (cell: string) => `"${cell.replace(/"/g, '""')}"`;
  writeFileSync(file, [header!, first!, ...rest, copy].map((row) => row.map(quote).join(',')).join('\r\n'));
}

for (const kind of ['salesforce', 'dynamics'] as const) {
  describe(`cosell import --to-crm reads each referral from Partner Center (real binary, ${kind})`, function () {
    this.timeout(180_000);
    let world: CliWorld;
    afterEach(async () => world?.close());

    it('refuses a row whose referral Partner Center does not have, and a declined referral\'s opportunity syncs without a false "closed"', async () => {
      world = await startCliWorld(kind);
      const open = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Adatum data estate' } }));
      const declined = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Litware pilot' } }));
      unwrap(world.set.partnerCenter.actAs(OUR_PARTNER_ORG).respond(declined.id, 'decline', 'not-a-customer'));
      const file = join(world.configFile, '..', 'inbound.csv');
      const exported = await world.cli(['export', '--direction', 'inbound', '--out', file]);
      assert.equal(exported.code, 0, exported.stderr);
      withUnknownReferral(file);

      const imported = await world.cli(['import', file, '--to-crm', '--direction', 'inbound']);
      assert.equal(imported.code, 1, 'a row not processed fails the command');
      assert.match(imported.stdout, /^Created 2, unchanged 0, empty 0, not processed 1\./m);
      assert.match(imported.stderr, new RegExp(`Row 4, column "Referral ID": no referral with Referral ID "${UNKNOWN_REFERRAL}" exists in Partner Center.*\\[csv\\.unknown_referral\\]`));
      const crmIds = await world.runtime.crm.findAllByReferralIds([open.id, declined.id, UNKNOWN_REFERRAL]);
      assert.deepEqual([...crmIds.keys()].sort(), [open.id, declined.id].sort(), 'no opportunity for the unknown referral');

      const first = await world.cli(['sync', '--once', '--json']);
      assert.equal(first.code, 0, first.stderr + first.stdout);
      assert.equal((JSON.parse(first.stdout) as Report).counts.closed ?? 0, 0, `nobody edited the declined deal's opportunity: ${first.stdout}`);
      const status = JSON.parse((await world.cli(['status', '--json'])).stdout) as Status;
      assert.deepEqual(status.parked, []);
    });
  });
}
