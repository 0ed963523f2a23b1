/**
 * The shared call budgets of a multi-tenant install's workers (rate-budget.ts keeps them in PostgreSQL),
 * as the connectors' HTTP clients take them (core/http/shared-budget.ts): one budget for each Partner
 * Center organisation, shared by every tenant of that organisation, and one for each tenant's CRM org.
 *
 * The limits are the services' documented ones where they are documented (each CRM connector states its
 * own), and a stated assumption where not.
 */
import type pg from 'pg';
import type { SharedCallBudget } from '../http/shared-budget.js';
import { acquireFromBudget, pauseBudget, type BudgetLimit } from './rate-budget.js';

/**
 * Partner Center publishes no number for the referrals API (UNVERIFIED: an assumption, adjustable here),
 * kept well under what a burst would need so that one organisation's workers do not trip its throttling
 * together. Each CRM connector states its own documented limit (connectors/registry.ts `apiBudget`).
 */
export const PARTNER_CENTER_BUDGET: BudgetLimit = { calls: 300, windowMs: 60_000 };

export function pgSharedBudget(pool: pg.Pool, scope: string, limit: BudgetLimit): SharedCallBudget {
  const clock = { now: () => new Date(), sleep: (ms: number) => new Promise<void>((done) => setTimeout(done, ms)) };
  return {
    take: (calls) => acquireFromBudget(pool, scope, calls, limit, clock),
    pause: (untilMs) => pauseBudget(pool, scope, new Date(untilMs)),
  };
}

/** The budget scopes of one tenant: its Partner Center organisation's, and its own CRM org's. */
export function tenantBudgetScopes(tenant: { tenantId: string; pcOrganisation: string; crmKind: string }): { partnerCenter: string; crm: string } {
  return { partnerCenter: `pc:${tenant.pcOrganisation}`, crm: `${tenant.crmKind}:${tenant.tenantId}` };
}
