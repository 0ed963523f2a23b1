/**
 * Whether to put a wake-up job for a tenant on the queue, from the states of the tenant's open jobs. Pure.
 *
 * The queue (pg-boss 10, policy `stately`, singletonKey = tenant) already refuses a second waiting job and
 * a second running one per tenant. What it does not do: a waiting job whose tenant is still running is the
 * oldest candidate of the next fetch, and activating it breaks the one-running-per-tenant index, which
 * fails the whole fetch, so every other tenant's job waits behind it (pg-boss issues 535 and 492: "once the
 * next job would produce a unique constraint violation, all job processing will be blocked"). So a tenant
 * that is running gets no waiting job; what it should do next is recorded in `tenant_work`, and the
 * scheduler's next tick wakes it once its running job has ended.
 */
export type OpenJobState = 'created' | 'retry' | 'active';

export type WakeDecision =
  /** Nothing open: send a job. */
  | { send: true }
  /** A job waits (created, or retry after a failure or a lost worker): it will do the work. */
  | { send: false; reason: 'waiting' }
  /** A job runs: wake it again after it ends (the next tick), never queue behind it. */
  | { send: false; reason: 'running' };

export function wakeDecision(open: readonly OpenJobState[]): WakeDecision {
  if (open.includes('active')) return { send: false, reason: 'running' };
  if (open.length > 0) return { send: false, reason: 'waiting' };
  return { send: true };
}
