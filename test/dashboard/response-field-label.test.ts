/**
 * The dashboard and the new-referral notice tell a seller which field to set, by the label their CRM's
 * form shows: Dynamics 365 has no "Referral response" (Salesforce's label); its column is "Accept or
 * Decline Referral" (mappings/fields.dynamics.ts), as each connector's registry entry states it.
 */
import assert from 'node:assert/strict';
import { inboundPanel } from '../../core/dashboard/panels.js';
import type { DashboardData } from '../../core/dashboard/queries.js';
import { responseFieldLabelOf } from '../../connectors/registry.js';

const anonymous = { signInAvailable: false, recordUrl: () => undefined };
const noInbound = { inbound: [] } as unknown as DashboardData;

describe('the response field, named as each CRM labels it', () => {
  it('is "Accept or Decline Referral" in Dynamics 365 and "Referral response" in Salesforce', () => {
    assert.equal(responseFieldLabelOf('Dynamics 365'), 'Accept or Decline Referral');
    assert.equal(responseFieldLabelOf('Salesforce'), 'Referral response');
  });

  it('the inbound panel names the CRM and its field', () => {
    assert.match(inboundPanel(noInbound, anonymous, 'Dynamics 365').text, /Accept or decline in Dynamics 365 \("Accept or Decline Referral"\)/);
    assert.match(inboundPanel(noInbound, anonymous, 'Salesforce').text, /Accept or decline in Salesforce \("Referral response"\)/);
  });
});
