/**
 * No silent loss, end to end for each CRM: an inbound referral whose name is longer than the CRM keeps
 * reaches the CRM shortened (and says so) without the short form ever reaching Partner Center; a referral
 * the CRM refuses outright (a Salesforce validation rule, a Dataverse plug-in) is parked with its side,
 * record, field, rule and message, shown by `cosell status` (human and --json), retried on a change and
 * after the back-off, and created once the cause is gone.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { retryDelayMs } from '../../core/engine/backoff.js';
import { shorten } from '../../core/engine/shorten.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';
import { refuseDescriptionsWith } from '../helpers/crm-refusal-rules.js';

const BIN = fileURLToPath(new URL('../../bin/cosell.js', import.meta.url));
const run = promisify(execFile);

/** What an org admin sets up that refuses every new opportunity: a validation rule or a plug-in step. */
function refuseNewOpportunities(world: World, message: string): () => void {
  if (world.kind === 'salesforce') {
    const rules = world.set.salesforce.store.validationRules;
    const rule = { object: 'Opportunity', field: 'NextStep', message, violated: (r: Readonly<Record<string, unknown>>) => !r.NextStep };
    rules.push(rule);
    return () => void rules.splice(rules.indexOf(rule), 1);
  }
  const plugins = world.set.dataverse.store.plugins;
  const step = { table: 'opportunity', messages: ['Create'] as const, refuses: () => message };
  plugins.push(step);
  return () => void plugins.splice(plugins.indexOf(step), 1);
}

async function cosellStatus(world: World, json: boolean): Promise<string> {
  const configFile = join(world.runtime.config.store.path, '..', 'status.config.json');
  writeFileSync(configFile, JSON.stringify({ ...world.runtime.config, logging: { level: 'silent' } }));
  const { stdout } = await run(process.execPath, [BIN, 'status', ...(json ? ['--json'] : []), '-c', configFile], { env: process.env });
  return stdout;
}

const nameOfLength = (n: number, stem: string) => `${stem} ${'with many sites and workloads '.repeat(Math.ceil(n / 30))}`.slice(0, n);

export function runNoSilentLossSuite(kind: CrmKind): void {
  describe(`no silent loss, end to end (${kind})`, function () {
    this.timeout(120_000);
    let world: World;
    beforeEach(async () => {
      world = await startWorld(kind);
    });
    afterEach(async () => world.close());

    it('an inbound referral whose name is longer than the CRM keeps arrives shortened, says so, and Partner Center keeps the full name', async () => {
      const limit = world.runtime.crm.textLimits.dealName!;
      assert.ok(limit > 0, 'the adapter states its deal name length');
      // 300 characters is the reported case (Salesforce keeps 120); 400 also exceeds Dataverse's 300.
      const sent = [300, 400].map((n) => unwrap(world.microsoft.sendReferral({ deal: { dealName: nameOfLength(n, `Inbound ${n}`) } })));
      const first = await world.sync();
      assert.equal(first.counts.parked ?? 0, 0, JSON.stringify(world.runtime.store.listParked()));
      for (const referral of sent) {
        const full = referral.name!;
        const [crmId] = await world.seller.recordsForReferral(referral.id);
        assert.ok(crmId, `referral ${referral.id} (${full.length} characters) reached ${kind}`);
        const view = await world.seller.read(crmId);
        assert.equal(view.name, shorten(full, limit));
        assert.equal(view.syncState, 'synced', view.syncMessage);
        if (full.length > limit) assert.match(view.syncMessage ?? '', new RegExp(`deal name \\(${full.length} characters, .* keeps ${limit}\\).*full text is in Partner Center`));
        else assert.equal(view.syncMessage ?? '', '');
      }
      for (const n of [2, 3]) {
        const report = await world.sync();
        assert.equal(report.writes, 0, `sync ${n} writes nothing: ${JSON.stringify(report.counts)}`);
      }
      for (const referral of sent) assert.equal(referralOf(world, referral.id).name, referral.name, 'Partner Center keeps the full name');
    });

    it('a Partner Center change the CRM refuses is parked, shown on the record without a write loop, and applied once allowed', async () => {
      const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Update refused' } }));
      await world.syncToQuiet();
      const [crmId] = await world.seller.recordsForReferral(sent.id);
      const allow = refuseDescriptionsWith(world, 'forbidden', 'Descriptions may not contain forbidden words.');
      unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, sent.id, (json) => ({ ok: true, value: { ...json, details: { ...json.details, notes: 'A forbidden note' } } })));

      const refused = await world.sync();
      assert.equal(refused.counts.parked, 1, JSON.stringify(refused.counts));
      assert.equal(world.runtime.store.getParked('partner-center', sent.id)?.reasons[0]?.field, 'notes');
      const shown = await world.seller.read(crmId!);
      assert.equal(shown.syncState, 'error');
      assert.match(shown.syncMessage ?? '', /forbidden words/);
      for (const n of [2, 3]) {
        const report = await world.sync();
        assert.equal(report.writes, 0, `sync ${n} writes nothing while the refusal waits for its retry: ${JSON.stringify(report.counts)}`);
      }

      allow();
      world.set.clock.advance(retryDelayMs(1));
      await world.syncToQuiet();
      const applied = await world.seller.read(crmId!);
      assert.equal(applied.notes, 'A forbidden note');
      assert.equal(applied.syncState, 'synced', applied.syncMessage);
      assert.equal(world.runtime.store.countParked(), 0);
      assert.equal((await world.sync()).writes, 0);
    });

    it('a referral the CRM refuses outright is parked, shown by cosell status, retried on a change and after the back-off, and created once allowed', async () => {
      const allow = refuseNewOpportunities(world, 'Enter a Next Step before saving this opportunity.');
      const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Refused by the CRM' } }));

      const first = await world.sync();
      assert.equal(first.outcome, 'ok');
      assert.equal(first.counts.parked, 1, 'the refused referral is counted as parked');
      assert.deepEqual(await world.seller.recordsForReferral(sent.id), []);
      const parked = world.runtime.store.getParked('partner-center', sent.id)!;
      assert.ok(parked, 'parked under the referral');
      assert.equal(parked.name, 'Refused by the CRM');
      assert.match(parked.reasons[0]!.code, kind === 'salesforce' ? /^crm\.FIELD_CUSTOM_VALIDATION_EXCEPTION$/ : /^crm\.0x80040265$/);
      assert.match(parked.reasons[0]!.message, /Enter a Next Step before saving this opportunity\./);
      assert.equal(parked.attempts, 1);

      const json = JSON.parse(await cosellStatus(world, true)) as { parked: Record<string, unknown>[]; parkedTotal: number; pendingCreates: Record<string, unknown>[] };
      assert.equal(json.parkedTotal, 1);
      const entry = json.parked[0]!;
      assert.deepEqual(
        [entry.side, entry.recordId, entry.name, entry.blocked, entry.field, entry.rule, entry.attempts, entry.retryAt],
        ['partner-center', sent.id, 'Refused by the CRM', 'not-written-to-crm', parked.reasons[0]!.field, parked.reasons[0]!.code, 1, parked.retryAt],
      );
      assert.match(String(entry.message), /Enter a Next Step/);
      assert.deepEqual(json.pendingCreates.map((p) => [p.creating, p.sourceId]), [['crm-opportunity', sent.id]]);
      const human = await cosellStatus(world, false);
      assert.match(human, new RegExp(`Partner Center referral ${sent.id} "Refused by the CRM" could not be written to the CRM`));
      assert.ok(human.includes(`${parked.reasons[0]!.field} [${parked.reasons[0]!.code}]: `), human);
      assert.match(human, /Enter a Next Step before saving this opportunity\./);
      assert.ok(human.includes(`attempts 1, parked since ${parked.parkedAt}, next retry ${parked.retryAt}`), human);
      assert.match(human, new RegExp(`Pending creates: 1[^\\n]*\\n  CRM opportunity for referral ${sent.id} "Refused by the CRM"`));

      const quiet = await world.sync();
      assert.equal(quiet.writes, 0);
      assert.equal(world.runtime.store.getParked('partner-center', sent.id)!.attempts, 1, 'nothing changed: not tried again before the back-off');

      unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, sent.id, (json) => ({ ok: true, value: { ...json, details: { ...json.details, notes: 'Microsoft added a note' } } })));
      const onChange = await world.sync();
      assert.equal(onChange.counts.parked, 1, 'a change in Partner Center retries it at once');
      assert.equal(world.runtime.store.getParked('partner-center', sent.id)!.attempts, 2);

      world.set.clock.advance(retryDelayMs(2));
      const afterBackOff = await world.sync();
      assert.equal(afterBackOff.counts.retried, 1);
      assert.equal(world.runtime.store.getParked('partner-center', sent.id)!.attempts, 3, 'retried after the back-off with nothing changed, and refused again');

      allow(); // the admin relaxes the rule
      world.set.clock.advance(retryDelayMs(3));
      await world.syncToQuiet();
      const records = await world.seller.recordsForReferral(sent.id);
      assert.equal(records.length, 1, 'created once the cause is gone, exactly once');
      assert.equal((await world.seller.read(records[0]!)).syncState, 'synced');
      assert.equal(world.runtime.store.countParked(), 0);
      assert.equal(world.runtime.store.listIntents().length, 0);
      assert.equal((await world.sync()).writes, 0);
    });
  });
}
