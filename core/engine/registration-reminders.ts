/**
 * Which deals need a deal-registration reminder now, read from the state store: for the notification
 * channel (core/notify/), which decides how to deliver them. The facts are the ones written onto the CRM
 * record (SyncStatus registrationEligible / registrationDeadline / registrationStatus, kept on each link
 * as `lastStatus`), so the reminder and the record never disagree. Reads only; writes nothing.
 */
import type { Link, StateStore } from '../store/state-store.js';
import { registrationReminderDue, REGISTRATION_REMINDER_DAYS } from '../rules/registration-follow-up.js';

export interface RegistrationReminder {
  crmId: string;
  referralId: string;
  dealName: string;
  /** Register by this instant (ISO 8601). */
  deadline: string;
  /** The note on the record: why it is eligible, what to do, the contract condition. */
  note: string;
}

/** Pure: the reminders due at `now` among these links (active, eligible, unregistered, deadline within `withinDays`). */
export function remindersDue(links: Iterable<Link>, now: Date, withinDays = REGISTRATION_REMINDER_DAYS): RegistrationReminder[] {
  const due: RegistrationReminder[] = [];
  for (const link of links) {
    const s = link.lastStatus;
    if (link.state !== 'active' || !s?.registrationEligible || !s.registrationDeadline) continue;
    const followUp = { eligible: true, deadline: s.registrationDeadline, ...(s.registrationStatus ? { registration: { status: s.registrationStatus as 'Registered' } } : {}) };
    if (!registrationReminderDue(followUp, now, withinDays)) continue;
    due.push({ crmId: link.crmId, referralId: link.referralId, dealName: link.base.dealName, deadline: s.registrationDeadline, note: s.registrationNote ?? '' });
  }
  return due;
}

/** The reminders due at `now`, reading the store's active links page by page. */
export function registrationRemindersDue(store: Pick<StateStore, 'listLinks'>, now: Date, withinDays = REGISTRATION_REMINDER_DAYS): RegistrationReminder[] {
  const due: RegistrationReminder[] = [];
  const pageSize = 1000;
  for (let offset = 0; ; offset += pageSize) {
    const page = store.listLinks({ state: 'active', limit: pageSize, offset });
    due.push(...remindersDue(page, now, withinDays));
    if (page.length < pageSize) return due;
  }
}
