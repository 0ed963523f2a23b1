/**
 * Upgrading from a version that inferred consent (state schema 1–3, before the CRM's "Consent to share
 * contacts" field): the field `cosell setup` adds to existing records is unticked, and the first sync
 * after the upgrade read that as the seller withdrawing consent. It removed the customer contact from
 * every synced referral in Partner Center, Microsoft's inbound ones included (seen upgrading an install
 * made by commit d32b11b). The state file here is rebuilt with the schema-3 DDL and the links the old
 * version kept, whose base says consent was given.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../core/store/index.js';
import { applyMigrations } from '../../core/store/sqlite-migrate.js';
import type { StoredReferral } from '../../sandbox/partner-center/store.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { unwrap } from '../e2e/lifecycle.suite.js';

const contactsOf = (r: StoredReferral) => r.customerProfile?.team ?? [];

/** The state file as a schema-3 version left it: its DDL, its links (base with inferred consent) and cursors. */
function rewriteAsSchema3(file: string): void {
  const current = new Database(file);
  const links = current.prepare('SELECT * FROM links').all() as Record<string, unknown>[];
  const cursors = current.prepare('SELECT * FROM cursors').all() as Record<string, unknown>[];
  current.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const old = new Database(file);
  applyMigrations(old, file, MIGRATIONS.slice(0, 3));
  const insert = (table: string, row: Record<string, unknown>) =>
    old.prepare(`INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map(() => '?').join(', ')})`).run(...Object.values(row));
  for (const link of links) {
    const base = { ...JSON.parse(String(link.base_json)), consentToShareContacts: true };
    insert('links', { ...link, base_json: JSON.stringify(base) });
  }
  for (const cursor of cursors) insert('cursors', cursor);
  old.close();
}

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`upgrading a store written before consent was a CRM field (${kind})`, function () {
  this.timeout(120_000);
  const root = mkdtempSync(join(tmpdir(), 'cosell-upgrade-consent-'));
  const stateDir = join(root, 'state');
  const persistDir = join(root, 'sandboxes');
  let world: World | undefined;
  afterEach(async () => world?.close());
  after(() => rmSync(root, { recursive: true, force: true }));

  it('keeps Microsoft\'s consent and customer contact on an inbound referral, and ticks the new field', async () => {
    world = await startWorld(kind, { stateDir, persistDir });
    const inbound = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Inbound before consent' } }));
    await world.syncToQuiet();
    const [crmId] = await world.seller.recordsForReferral(inbound.id);
    assert.ok(crmId);
    // The old version had no consent field: the one setup adds reads unticked on this record.
    await world.seller.setConsent(crmId, false);
    const referralId = (await world.seller.read(crmId)).referralId!;
    const contactsBefore = contactsOf(world.set.partnerCenter.store.get(referralId)!);
    assert.ok(contactsBefore.length > 0, 'Microsoft sent a customer contact');
    await world.close();
    world = undefined;

    rewriteAsSchema3(join(stateDir, `cosell-${kind}.sqlite`));

    world = await startWorld(kind, { stateDir, persistDir, signIn: false });
    await world.syncToQuiet();
    const after = world.set.partnerCenter.store.get(referralId)!;
    assert.deepEqual(contactsOf(after), contactsBefore, 'the customer contact stays in Partner Center');
    assert.equal(after.consent?.consentToShareInfoWithOthers, true, 'consent is not withdrawn');
    const view = await world.seller.read(crmId);
    assert.equal(view.consent, true, 'the new field takes Partner Center\'s consent');
    assert.equal(view.syncState, 'synced');
    assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
  });
});
