/**
 * Webhook delivery as partner-center-api.md §1.14 describes it: an HTTP POST of a thin event to the
 * registered URL, signed (`Authorization: Signature <base64>`, `X-MS-Certificate-Url`,
 * `X-MS-Signature-Algorithm: rsa-sha256`; `x-ms-signature` instead when the registration asked for
 * `SignatureTokenToMsSignatureHeader`), up to 10 attempts with back-off, then an offline queue with no
 * further attempts. Deliveries run in the background; `idle()` lets tests wait for them.
 */
import type { WireWebhookEvent as ApiWebhookEvent } from '../wire/types.js';
import { signBody, type SigningIdentity } from './certificate.js';
import { runStop } from '../../../core/run-stop.js';

export const REFERRAL_EVENTS = ['referral-created', 'referral-updated', 'related-referral-created', 'related-referral-updated'] as const;
export type ReferralEventName = (typeof REFERRAL_EVENTS)[number];

export interface Registration {
  subscriberId: string;
  url: string;
  events: ReferralEventName[];
  signatureInMsHeader: boolean;
}

export interface DeliveryAttempt {
  event: ApiWebhookEvent;
  url: string;
  attempt: number;
  status?: number;
  error?: string;
  at: string;
}

export interface OfflineEvent {
  org: string;
  url: string;
  event: ApiWebhookEvent;
  attempts: number;
  lastError: string;
}

export interface DispatcherSettings {
  maxAttempts: number;
  /** Wait before attempt n+1 is `retryBaseMs * 2^(n-1)`, capped at `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  timeoutMs: number;
  /**
   * The most recent delivery attempts kept for `GET …/webhooks/attempts`: a sandbox left running under
   * `cosell serve` for days delivers an event per change, and kept every attempt (event included) for good.
   */
  keptAttempts: number;
}

export const DEFAULT_DISPATCHER_SETTINGS: DispatcherSettings = { maxAttempts: 10, retryBaseMs: 1_000, retryMaxMs: 60_000, timeoutMs: 10_000, keptAttempts: 1_000 };

export class WebhookDispatcher {
  readonly registrations = new Map<string, Registration>();
  readonly attempts: DeliveryAttempt[] = [];
  readonly offline: OfflineEvent[] = [];
  private pending = 0;
  private waiters: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  /** Aborts deliveries in flight when the sandbox closes, so no socket outlives it. */
  private readonly abort = new AbortController();

  constructor(
    private readonly identity: SigningIdentity,
    private readonly certificateUrl: () => string,
    readonly settings: DispatcherSettings = DEFAULT_DISPATCHER_SETTINGS,
  ) {}

  /** Queues `event` for `org` if it registered a URL for the event. */
  publish(org: string, event: ApiWebhookEvent): boolean {
    const registration = this.registrations.get(org);
    if (!registration || !registration.events.includes(event.EventName as ReferralEventName) || this.closed) return false;
    this.pending += 1;
    void this.attempt(org, registration, event, 1);
    return true;
  }

  /** Resolves once every queued event is delivered or moved to the offline queue. */
  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    this.abort.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.pending = 0;
    this.settle();
  }

  private settle(): void {
    if (this.pending > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private async attempt(org: string, registration: Registration, event: ApiWebhookEvent, attempt: number): Promise<void> {
    if (this.closed) return;
    const body = JSON.stringify(event);
    const signature = signBody(body, this.identity);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-ms-certificate-url': this.certificateUrl(),
      'x-ms-signature-algorithm': 'rsa-sha256',
      // Microsoft's sample receiver reads both as "Signature <base64>" (it splits x-ms-signature on the space).
      ...(registration.signatureInMsHeader ? { 'x-ms-signature': `Signature ${signature}` } : { authorization: `Signature ${signature}` }),
    };
    const record: DeliveryAttempt = { event, url: registration.url, attempt, at: new Date().toISOString() };
    // Not AbortSignal.any with the sandbox's own signal, which lives as long as the sandbox: on Node 20 each call
    // left an entry on it for good (core/run-stop.ts).
    const stop = runStop(this.abort.signal);
    const timeout = setTimeout(() => stop.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), this.settings.timeoutMs);
    try {
      const response = await fetch(registration.url, { method: 'POST', headers, body, signal: stop.signal });
      await response.arrayBuffer().catch(() => undefined);
      record.status = response.status;
      this.keep(record);
      if (response.ok) return this.done();
      this.retry(org, registration, event, attempt, `HTTP ${response.status}`);
    } catch (error) {
      record.error = (error as Error).message;
      this.keep(record);
      this.retry(org, registration, event, attempt, record.error);
    } finally {
      clearTimeout(timeout);
      stop.release();
    }
  }

  /** Keeps an attempt, the oldest going once `keptAttempts` are kept. */
  private keep(record: DeliveryAttempt): void {
    this.attempts.push(record);
    if (this.attempts.length > this.settings.keptAttempts) this.attempts.splice(0, this.attempts.length - this.settings.keptAttempts);
  }

  private retry(org: string, registration: Registration, event: ApiWebhookEvent, attempt: number, lastError: string): void {
    if (this.closed) return;
    if (attempt >= this.settings.maxAttempts) {
      this.offline.push({ org, url: registration.url, event, attempts: attempt, lastError });
      return this.done();
    }
    const wait = Math.min(this.settings.retryMaxMs, this.settings.retryBaseMs * 2 ** (attempt - 1));
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(org, registration, event, attempt + 1);
    }, wait);
    this.timers.add(timer);
  }

  private done(): void {
    this.pending = Math.max(0, this.pending - 1);
    this.settle();
  }
}
