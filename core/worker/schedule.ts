/**
 * When a tenant's cycle is due, from its five-field cron schedule (cron-parser, in UTC): a tenant is due
 * when a schedule occurrence has passed since the one it was last woken for. Pure: the scheduler's tick
 * reads the tenants and their last wanted cycle, and asks this which to wake.
 */
import cronParser from 'cron-parser';
import { ConfigError } from '../errors.js';

export interface ScheduledTenant {
  tenantId: string;
  schedule: string;
  /** The occurrence the tenant's latest cycle was wanted for (undefined: never). */
  cycleWantedAt?: Date;
}

export interface DueTenant {
  tenantId: string;
  /** The schedule occurrence that makes it due (the latest one at or before now). */
  occurrence: Date;
}

/** The latest occurrence of `schedule` at or before `now`; a bad expression names the tenant. */
export function latestOccurrence(schedule: string, now: Date, tenantId = 'the tenant'): Date {
  try {
    // cron-parser's prev() is strictly before currentDate: start a millisecond later so `now` itself counts.
    return cronParser.parseExpression(schedule, { currentDate: new Date(now.getTime() + 1), utc: true }).prev().toDate();
  } catch (error) {
    throw new ConfigError(`tenant ${tenantId}`, `schedule "${schedule}" is not a five-field cron expression (${(error as Error).message})`);
  }
}

/** The tenants whose schedule has an occurrence after the one their latest cycle was wanted for. */
export function dueTenants(tenants: readonly ScheduledTenant[], now: Date): DueTenant[] {
  return tenants.flatMap((tenant) => {
    const occurrence = latestOccurrence(tenant.schedule, now, tenant.tenantId);
    const due = tenant.cycleWantedAt === undefined || occurrence.getTime() > tenant.cycleWantedAt.getTime();
    return due ? [{ tenantId: tenant.tenantId, occurrence }] : [];
  });
}
