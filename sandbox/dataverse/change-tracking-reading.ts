/**
 * Which reading of the documents a Dataverse sandbox follows for rows that change while a change-tracking
 * listing is paged (change-tracking.ts explains both choices and quotes the pages). A plain value on the
 * store, set through the sandbox's options or its `/change-tracking` control.
 */
/** How a change-tracking listing treats rows that change while it is paged. */
export interface ChangeTrackingReading {
  pages: 'dynamic' | 'snapshot';
  token: 'first-page' | 'last-page';
}

export const DEFAULT_CHANGE_TRACKING: ChangeTrackingReading = { pages: 'dynamic', token: 'first-page' };

/** Checks a reading asked for through the sandbox's options or controls. */
export function changeTrackingReading(asked: Partial<ChangeTrackingReading> = {}): ChangeTrackingReading {
  const reading = { ...DEFAULT_CHANGE_TRACKING, ...asked };
  if (!['dynamic', 'snapshot'].includes(reading.pages) || !['first-page', 'last-page'].includes(reading.token)) {
    throw new Error(`Unknown change-tracking reading ${JSON.stringify(asked)}: pages is 'dynamic' or 'snapshot', token 'first-page' or 'last-page'.`);
  }
  if (reading.pages === 'snapshot' && reading.token === 'last-page') {
    throw new Error('pages: snapshot with token: last-page would lose every row changed while a listing is paged; OData forbids it.');
  }
  return reading;
}
