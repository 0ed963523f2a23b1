/**
 * The Dataverse messages the connector uses:
 * - WinOpportunity / LoseOpportunity: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/winopportunity
 * - WhoAmI: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/whoami
 * - RetrieveUserPrivileges: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/retrieveuserprivileges
 */
import { randomUUID } from 'node:crypto';
import { CODES, DataverseError, ODATA_HEADERS, type ApiRequest, type ApiResponse } from './api-types.js';
import { OPPORTUNITY_STATUS_REASONS, parseBody, parseEntityReference } from './writes.js';
import { dataverseDateTime, privilegeId, type DataverseStore } from './store.js';

const WON_STATUSES = OPPORTUNITY_STATUS_REASONS[1]![1];
const LOST_STATUSES = OPPORTUNITY_STATUS_REASONS[2]![1];

export function closeOpportunity(store: DataverseStore, req: ApiRequest, outcome: 'won' | 'lost'): ApiResponse {
  const body = parseBody(req);
  const status = body.Status;
  const allowed = outcome === 'won' ? WON_STATUSES : LOST_STATUSES;
  if (typeof status !== 'number' || !allowed.includes(status)) {
    throw new DataverseError(400, CODES.invalidArgument, `${status === undefined ? 'Status is required' : `${String(status)} is not a valid status code`} for ${outcome === 'won' ? 'WinOpportunity' : 'LoseOpportunity'}; allowed: ${allowed.join(', ')}.`);
  }
  const close = body.OpportunityClose as Record<string, unknown> | undefined;
  const ref = parseEntityReference(close?.['opportunityid@odata.bind']);
  if (!close || !ref || ref.set !== 'opportunities') {
    throw new DataverseError(400, CODES.invalidArgument, 'OpportunityClose must bind opportunityid to an opportunity (opportunityid@odata.bind).');
  }
  const opportunities = store.table('opportunity')!;
  const opp = opportunities.rows.get(ref.id);
  if (!opp) throw new DataverseError(404, CODES.notFound, `opportunity With Id = ${ref.id} Does Not Exist`);
  if (opp.statecode !== 0) throw new DataverseError(400, CODES.invalidArgument, `The opportunity ${ref.id} is already closed; reopen it before closing it again.`);
  const actualEnd = typeof close.actualend === 'string' ? close.actualend.slice(0, 10) : dataverseDateTime(store.clock.now()).slice(0, 10);
  store.update('opportunity', ref.id, {
    statecode: outcome === 'won' ? 1 : 2,
    statuscode: status,
    actualclosedate: actualEnd,
    actualvalue: typeof close.actualrevenue === 'number' ? close.actualrevenue : outcome === 'won' ? opp.estimatedvalue ?? null : 0,
  });
  store.insert('opportunityclose', {
    subject: typeof close.subject === 'string' ? close.subject : outcome === 'won' ? 'Won' : 'Lost',
    description: typeof close.description === 'string' ? close.description : null,
    actualrevenue: typeof close.actualrevenue === 'number' ? close.actualrevenue : null,
    actualend: actualEnd,
    _opportunityid_value: ref.id,
  }, randomUUID());
  return { status: 204, headers: { ...ODATA_HEADERS } };
}

export function whoAmI(store: DataverseStore, req: ApiRequest): ApiResponse {
  return {
    status: 200,
    headers: { ...ODATA_HEADERS },
    body: {
      '@odata.context': `${req.serviceRoot}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      BusinessUnitId: store.businessUnitId,
      UserId: req.callerId,
      OrganizationId: store.organizationId,
    },
  };
}

export function retrieveUserPrivileges(store: DataverseStore, req: ApiRequest, userId: string): ApiResponse {
  if (!store.table('systemuser')!.rows.has(userId)) throw new DataverseError(404, CODES.notFound, `systemuser With Id = ${userId} Does Not Exist`);
  const privileges = userId === req.callerId ? [...store.privileges] : [];
  return {
    status: 200,
    headers: { ...ODATA_HEADERS },
    body: {
      '@odata.context': `${req.serviceRoot}$metadata#Microsoft.Dynamics.CRM.RetrieveUserPrivilegesResponse`,
      RolePrivileges: privileges.sort().map((name) => ({
        Depth: 'Global',
        PrivilegeId: privilegeId(name),
        BusinessUnitId: store.businessUnitId,
        PrivilegeName: name,
        RecordFilterId: '00000000-0000-0000-0000-000000000000',
        RecordFilterUniqueName: null,
      })),
    },
  };
}
