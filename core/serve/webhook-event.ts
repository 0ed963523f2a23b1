/**
 * A Partner Center webhook event (partner-center-api.md §1.14): thin — `EventName`, `ResourceUri`
 * (`{baseURL}/engagements/v1/referrals/{id}`), `ResourceName`, `AuditUri`, `ResourceChangeUtcDate`.
 * Parsing and the freshness decision (new, a retry, or too old) are pure; the memory of events already taken lives in replay-guard.ts.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const REFERRAL_EVENT_NAMES = ['referral-created', 'referral-updated', 'related-referral-created', 'related-referral-updated'] as const;

const eventSchema = z.looseObject({
  EventName: z.string().min(1),
  ResourceUri: z.string().min(1),
  ResourceName: z.string().optional(),
  AuditUri: z.string().nullable().optional(),
  ResourceChangeUtcDate: z.string().min(1),
});

export type WebhookEvent = z.infer<typeof eventSchema>;

/** What an event asks the service to do. */
export type EventAction =
  | { kind: 'sync-referral'; referralId: string }
  /** The other party's referral changed: ours is found through the change feed, so poll now. */
  | { kind: 'poll' }
  /** `test-created` and events we did not ask for: acknowledged, nothing to do. */
  | { kind: 'ignore' };

export function parseWebhookEvent(rawBody: Buffer): { event: WebhookEvent } | { refused: string } {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { refused: 'the body is not JSON' };
  }
  const parsed = eventSchema.safeParse(json);
  if (!parsed.success) return { refused: `the body is not a Partner Center event: ${parsed.error.issues[0]?.path.join('.') || 'body'} ${parsed.error.issues[0]?.message ?? ''}`.trim() };
  if (Number.isNaN(Date.parse(parsed.data.ResourceChangeUtcDate))) return { refused: 'ResourceChangeUtcDate is not a date' };
  return { event: parsed.data };
}

/** The referral ID at the end of `ResourceUri`. Pure. */
export function referralIdOf(event: WebhookEvent): string | undefined {
  const match = /\/referrals\/([^/?#]+)\/?(?:[?#].*)?$/.exec(event.ResourceUri);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

export function actionFor(event: WebhookEvent): EventAction {
  if (event.EventName === 'referral-created' || event.EventName === 'referral-updated') {
    const referralId = referralIdOf(event);
    return referralId ? { kind: 'sync-referral', referralId } : { kind: 'poll' };
  }
  if (event.EventName === 'related-referral-created' || event.EventName === 'related-referral-updated') return { kind: 'poll' };
  return { kind: 'ignore' };
}

/** Events carry no ID: the same body delivered twice is the same event. */
export function eventKey(rawBody: Buffer): string {
  return createHash('sha256').update(rawBody).digest('base64url');
}

/** How far ahead of our clock an event's date may be (clock skew) before it is refused. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Whether to take an event, acknowledge it as a delivery already taken, or refuse it. Pure.
 *
 * Partner Center retries a delivery it counts as failed (no 2xx in time: a lost answer, a timeout) with the
 * same event, so the same signed body (partner-center-api.md §1.14: 10 attempts, then an offline queue). A
 * retry of an event already taken is acknowledged (`retry`): the first delivery was stored before it was
 * answered, and a refusal would only make Partner Center try again and then park the event offline. A
 * captured body sent again later is refused by the age bound, like any event that old; within the bound
 * it is indistinguishable from a retry, and taking it again costs nothing, as it queues nothing.
 */
export type Freshness = { kind: 'new' } | { kind: 'retry' } | { kind: 'refused'; reason: string };

export function judgeFreshness(event: WebhookEvent, seenBefore: boolean, nowMs: number, maxAgeMs: number): Freshness {
  const at = Date.parse(event.ResourceChangeUtcDate);
  if (nowMs - at > maxAgeMs) return { kind: 'refused', reason: `the event is older than ${Math.round(maxAgeMs / 60_000)} minutes (ResourceChangeUtcDate ${event.ResourceChangeUtcDate})` };
  if (at - nowMs > MAX_CLOCK_SKEW_MS) return { kind: 'refused', reason: `the event is dated in the future (ResourceChangeUtcDate ${event.ResourceChangeUtcDate})` };
  return seenBefore ? { kind: 'retry' } : { kind: 'new' };
}
