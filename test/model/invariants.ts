/**
 * The invariants checked after every round of the model-based test, once both sides are quiet.
 */
import assert from 'node:assert/strict';
import { referralFromApi } from '../../connectors/partner-center/mapping.js';
import { sidesDiffer } from '../../core/engine/merge/three-way.js';
import { linkedCrmViews } from '../../core/engine/outgoing-referral.js';
import { readUnit } from '../../core/engine/merge/units.js';
import { SYNC_FIELDS } from '../../mappings/field-ownership.js';
import type { RunReport } from '../../core/engine/sync-engine.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import type { World } from '../../sandbox/world.js';
import { checkRefusals } from './refusals.js';

/** Remembers every terminal referral seen: a terminal referral never changes state again. */
export class TerminalWatch {
  private readonly seen = new Map<string, string>();

  check(world: World, where: string): void {
    for (const r of world.set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG)) {
      const state = `${r.status}/${r.substatus}`;
      const before = this.seen.get(r.id);
      if (before) assert.equal(state, before, `${where}: referral ${r.id} left its terminal state ${before}`);
      else if (r.status === 'Closed') this.seen.set(r.id, state);
    }
  }
}

/** A record may disagree with Partner Center only when it says why. */
const EXPLAINED = new Set(['error', 'conflict', 'held', 'orphaned', 'closed']);

export async function checkInvariants(world: World, reports: RunReport[], terminal: TerminalWatch, notes: ReadonlyMap<string, readonly string[]>, where: string): Promise<void> {
  const last = reports[reports.length - 1]!;
  assert.equal(last.outcome, 'ok', `${where}: the last sync did not finish: ${last.message ?? ''}`);
  assert.equal(last.writes, 0, `${where}: not quiet after ${reports.length} syncs: ${JSON.stringify(last.counts)}`);
  terminal.check(world, where);
  checkRefusals(world.set.partnerCenter.refusals, where);

  // Nobody in the model types a referral ID or edits a CRM reference: every pair binds by itself, a rebuilt
  // store included (core/engine/binding.ts), and never waits for an admin's `cosell link`.
  for (const parked of world.runtime.store.listParked()) {
    const binding = parked.reasons.find((r) => r.code === 'binding.unconfirmed');
    assert.ok(!binding, `${where}: ${parked.side} ${parked.recordId} is parked for cosell link: ${binding?.message ?? ''}`);
  }
  await checkParkedShown(world, where);
  const ours = world.set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG);
  // Exactly one pairing per deal, both ways.
  for (const referral of ours) {
    const records = await world.seller.recordsForReferral(referral.id);
    // A deleted CRM record never deletes its referral and is never made again: the link stays orphaned.
    if (world.runtime.store.getLinkByReferralId(referral.id)?.state === 'crm-deleted') {
      assert.equal(records.length, 0, `${where}: referral ${referral.id}, whose CRM record was deleted, has a CRM record again`);
      continue;
    }
    // A referral the CRM refused (a fault that outlasted the retries) has no record yet; that is allowed only
    // while it is parked with its reason, which `cosell status` shows and a later run retries (issue 11).
    const parked = records.length === 0 ? world.runtime.store.getParked('partner-center', referral.id) : undefined;
    if (parked) {
      assert.ok(parked.reasons.length > 0 && parked.retryAt, `${where}: referral ${referral.id} is parked without a reason or a retry time`);
      continue;
    }
    assert.equal(records.length, 1, `${where}: referral ${referral.id} has ${records.length} CRM records`);
  }
  for (const crmId of await world.seller.allRecords()) {
    const view = await world.seller.read(crmId);
    const byExternal = ours.filter((r) => r.externalReferenceId === crmId);
    assert.ok(byExternal.length <= 1, `${where}: CRM ${crmId} has ${byExternal.length} referrals`);
    // A record that never reached Partner Center is not synced, whatever else it says.
    if (!view.referralId) {
      assert.notEqual(view.syncState, 'synced', `${where}: CRM ${crmId} says synced without a referral (${view.syncMessage ?? ''})`);
      continue;
    }
    const referral = ours.find((r) => r.id === view.referralId);
    assert.ok(referral, `${where}: CRM ${crmId} shows referral ${view.referralId}, which is not ours`);
    // The conflicts list and the records agree (admin.ts): "conflict" on a record has an open conflict an admin can
    // settle, and an open conflict still holds fields on which the two sides differ.
    const conflict = world.runtime.store.openConflictFor(crmId);
    if (view.syncState === 'conflict') assert.ok(conflict, `${where}: CRM ${crmId} says conflict (${view.syncMessage ?? ''}) with no open conflict to settle`);
    if (conflict) {
      const [deal] = await world.runtime.crm.getDeals([crmId]);
      // The CRM's side as the merge sees it (core/engine/outgoing-referral.ts): a seller's answer to an inbound
      // referral is its status move (seller-intent.ts), which the record's referral status does not show.
      const link = world.runtime.store.getLinkByCrmId(crmId);
      const crmSide = link ? linkedCrmViews(deal!, link.base).crmView : deal!.referral;
      const differ = conflict.fields.filter((unit) => sidesDiffer(SYNC_FIELDS.find((f) => f.unit === unit)!, readUnit(crmSide, unit), readUnit(referralFromApi(referral), unit)));
      assert.ok(differ.length > 0, `${where}: conflict ${conflict.id} on ${conflict.fields.join(', ')} of CRM ${crmId} is still open (record ${view.syncState}), though both sides agree`);
    }
    if (EXPLAINED.has(view.syncState ?? '')) {
      assert.ok(view.syncMessage, `${where}: CRM ${crmId} is ${view.syncState} without a reason`);
      continue;
    }
    const context = `${where}: CRM ${crmId} ↔ ${referral.id} (${view.syncState})`;
    // A final state in Partner Center takes nothing more: later CRM edits stay on the record, which then says
    // so (sync state closed, above); a record that says synced agrees with Partner Center on what a seller edits.
    if (referral.status === 'Closed') {
      assert.equal(Number(referral.details?.dealValue), view.value, `${context}: value of a closed deal`);
      assert.equal(referral.details?.notes ?? '', view.notes ?? '', `${context}: notes of a closed deal`);
      continue;
    }
    assert.equal(referral.name, view.name, `${context}: name`);
    assert.equal(Number(referral.details?.dealValue), view.value, `${context}: value`);
    assert.equal(referral.details?.notes ?? '', view.notes ?? '', `${context}: notes`);
    // No edit lost: notes merge, so every fragment either side appended is still there.
    for (const token of notes.get(crmId) ?? []) assert.ok(new RegExp(`\\b${token}\\b`).test(view.notes ?? ''), `${context}: the note "${token}" was lost: ${view.notes}`);
    assert.equal(referral.details?.closingDateTime?.slice(0, 10), view.closeDate, `${context}: close date`);
    // The deal as the connector reads it: a CRM may keep part of the team outside its own team list
    // (Salesforce keeps non-users such as Microsoft's seller in a connector field).
    const [deal] = await world.runtime.crm.getDeals([crmId]);
    assert.deepEqual((referral.team ?? []).map((m) => String(m.email).toLowerCase()).sort(), (deal?.referral.team ?? []).map((m) => m.email.toLowerCase()).sort(), `${context}: team`);
    assert.deepEqual((referral.details?.requirements?.solutions ?? []).map((s) => s.id).sort(), [...view.solutionIds].sort(), `${context}: solutions`);
    // The account is shared both ways (mappings/field-ownership.ts): its name, city and country agree.
    const pc = referralFromApi(referral);
    // The customer contact agrees, removals included; without consent Partner Center holds none.
    const contact = deal?.referral.consentToShareContacts ? deal.referral.customerContact?.email.toLowerCase() || undefined : undefined;
    assert.equal(pc.customerContact?.email.toLowerCase() || undefined, contact, `${context}: customer contact`);
    assert.equal(pc.customer.name, deal?.referral.customer.name, `${context}: customer name`);
    assert.equal(pc.customer.country, deal?.referral.customer.country, `${context}: customer country`);
    assert.equal(pc.customer.city, deal?.referral.customer.city, `${context}: customer city`);
    // Every partner the seller invited in the CRM is invited in Partner Center (the details are Partner Center's).
    const invited = new Set(pc.invitations.map((i) => i.partner.id.toLowerCase()));
    for (const i of deal?.referral.invitations ?? []) assert.ok(invited.has(i.partner.id.toLowerCase()), `${context}: the invitation of ${i.partner.id} did not reach Partner Center`);
  }
}

/**
 * A record that cannot sync is parked with its reason shown on the CRM record: a parked record (or the CRM
 * record of a parked referral) that exists says why, never "synced".
 */
async function checkParkedShown(world: World, where: string): Promise<void> {
  for (const parked of world.runtime.store.listParked()) {
    const crmId = parked.side === 'crm' ? parked.recordId : world.runtime.store.getLinkByReferralId(parked.recordId)?.crmId;
    if (!crmId) continue;
    const view = await world.seller.read(crmId);
    if (!view.exists) continue;
    const reasons = parked.reasons.map((r) => r.code).join(', ');
    assert.ok(EXPLAINED.has(view.syncState ?? '') && view.syncMessage, `${where}: CRM ${crmId} is parked (${parked.side}: ${reasons}) but says ${view.syncState ?? 'nothing'} (${view.syncMessage ?? ''})`);
  }
}
