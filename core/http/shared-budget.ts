/**
 * A call budget shared with other processes: Partner Center's, Salesforce's and Dataverse's limits are
 * per organisation, not per process, so the workers of a multi-tenant install draw each request from one
 * budget per organisation (core/worker/shared-budget.ts keeps it in PostgreSQL). A single install has one
 * process and passes none: its clients' own limiters and Retry-After handling are enough.
 */
export interface SharedCallBudget {
  /** Waits until `calls` requests may be sent, and counts them. */
  take(calls: number): Promise<void>;
  /** After a 429 or 503 with Retry-After: every process holds back until `untilMs`. */
  pause(untilMs: number): Promise<void>;
}

/** Tells the others about a throttled answer without holding up the retry that follows it. */
export function pauseShared(budget: SharedCallBudget | undefined, untilMs: number, onError: (error: Error) => void): void {
  budget?.pause(untilMs).catch(onError);
}
