/**
 * The note a seller gets for an invitation deleted on the record while Partner Center holds it
 * (core/engine/invitation-note.ts): once, naming the partner and the rule, kept while the pair is quiet.
 */
import assert from 'node:assert/strict';
import { emptyReferral, type PartnerInvitation } from '../../../core/model/referral.js';
import { invitationNote, withdrawnInvitations, withInvitationNote } from '../../../core/engine/invitation-note.js';

const invitation = (id: string, name?: string): PartnerInvitation => ({ partner: { id, ...(name ? { name } : {}) }, value: 1, currency: 'USD', closeDate: '2027-01-01', team: [], solutions: [] });
const pc = emptyReferral({ invitations: [invitation('P-1', 'Fabrikam'), invitation('P-2')] });
const labels = { invitations: 'Co-sell Partner Invitations' };

describe('a partner invitation deleted in the CRM', () => {
  it('is one the record asked for at the last sync, no longer asks for, and Partner Center holds', () => {
    const base = emptyReferral({ crmInvitationRequests: ['P-1', 'P-3'] });
    assert.deepEqual(withdrawnInvitations(base, emptyReferral({ crmInvitationRequests: [] }), pc).map((i) => i.partner.id), ['P-1'], 'P-3 was never sent: deleting it withdrew a request, nothing to tell');
    assert.deepEqual(withdrawnInvitations(base, emptyReferral({ crmInvitationRequests: ['p-1'] }), pc), [], 'IDs compare without case');
    // P-2 was invited in Partner Center itself: the record never asked for it, so no row of it was deleted.
    assert.deepEqual(withdrawnInvitations(emptyReferral({ crmInvitationRequests: [] }), emptyReferral({ crmInvitationRequests: [] }), pc), []);
    // A base from before the record's requests were kept (or a side not read) tells nothing.
    assert.deepEqual(withdrawnInvitations(emptyReferral(), emptyReferral({ crmInvitationRequests: [] }), pc), []);
  });

  it('is told with the partner, the field as the seller knows it and the rule', () => {
    const note = invitationNote(emptyReferral({ crmInvitationRequests: ['P-1'] }), emptyReferral({ crmInvitationRequests: [] }), pc, labels);
    assert.equal(note, 'Co-sell Partner Invitations: the deleted invitation to partner Fabrikam (P-1) stays in Partner Center: an invitation cannot be withdrawn. [invitation.cannot_withdraw]');
    assert.ok(note.length < 255, 'fits a Salesforce message field with its rule code');
  });

  it('stays on a quiet synced record that shows it, and goes with the next change', () => {
    const told = emptyReferral({ crmInvitationRequests: [] });
    const last = { state: 'synced' as const, message: 'X: y [invitation.cannot_withdraw]', lastSyncedAt: '2026-12-06T00:00:00Z' };
    assert.equal(withInvitationNote('', told, told, pc, true, last), last.message);
    assert.equal(withInvitationNote('', told, told, pc, false, last), '', 'a change clears it');
    assert.equal(withInvitationNote('Other news.', told, told, pc, true, last), 'Other news.');
    assert.match(withInvitationNote('Other news.', emptyReferral({ crmInvitationRequests: ['P-2'] }), told, pc, false, undefined), /^Other news\. .*P-2.*\[invitation\.cannot_withdraw\]$/);
  });
});
