/**
 * The engine's clock, kept to Partner Center's. The deadlines the connector reasons about are Partner
 * Center's: an inbound referral expires 14 days after Partner Center received it, a won deal is
 * registrable for a time counted from Partner Center's dates, a webhook event carries Partner Center's
 * time. A machine whose clock is off by hours would tell sellers the wrong time left, hold or release a
 * Won at the wrong moment and refuse webhook events as "dated in the future". And an admin trying the
 * product against the sandboxes moves the sandboxes' shared clock (`POST /_sandbox/partner-center/clock`)
 * to see a referral near its deadline: the CLI must then reason in that time, as the demo does.
 *
 * So every Partner Center answer's `Date` header is compared with the local clock. Within the tolerance
 * (Date has whole seconds, and an answer takes time) the local clock is used as it is: no jitter, and a
 * correct machine behaves exactly as before. Beyond it, the engine's time is the local clock plus the
 * offset seen, until an answer says otherwise; the shift is logged once (a real install should fix its
 * clock: NTP), and the offset is kept in the state store so the next process starts from it.
 */
import type { Logger } from './logger.js';

/**
 * Where the offset is kept in the state store: for the next process, and for `cosell status`, which reads
 * the runs the engine stamped by it without asking Partner Center.
 */
export const CLOCK_OFFSET_META = 'clock.partner-center-offset-ms';

/** The offset kept in the state store, 0 when none is. Pure. */
export function keptClockOffset(kept: unknown): number {
  return typeof kept === 'number' && Number.isFinite(kept) ? kept : 0;
}

/** How far Partner Center's `Date` may be from the local clock before the engine follows it. */
/** Tells a shift of the engine's clock (a single install's runtime and a tenant's runtime say it alike). */
export function logClockShift(logger: Pick<Logger, 'info' | 'warn'>, offsetMs: number, previousMs: number): void {
  const seconds = Math.round(offsetMs / 1000);
  if (offsetMs === 0) logger.info({ previousOffsetSeconds: Math.round(previousMs / 1000) }, "this machine's clock agrees with Partner Center's again; the connector uses it");
  else logger.warn({ offsetSeconds: seconds }, `this machine's clock differs from Partner Center's by ${seconds} s; deadlines, holds and webhook dates follow Partner Center's clock (fix the machine's clock, e.g. with NTP)`);
}

export const CLOCK_TOLERANCE_MS = 2 * 60_000;

/**
 * The offset (Partner Center's time − local time, ms) to use after an answer stamped `serverMs` to a
 * request sent at local `sentMs` and answered at local `receivedMs`, keeping `currentMs` while the answer
 * agrees with it. Pure.
 */
export function nextClockOffset(currentMs: number, serverMs: number, sentMs: number, receivedMs: number, toleranceMs = CLOCK_TOLERANCE_MS): number {
  // Date is truncated to the second and stamped somewhere between our send and our receipt.
  const agrees = (offsetMs: number) => serverMs >= sentMs + offsetMs - toleranceMs - 1_000 && serverMs <= receivedMs + offsetMs + toleranceMs;
  if (agrees(currentMs)) return currentMs;
  if (agrees(0)) return 0;
  return serverMs - receivedMs;
}

export interface ServiceClockOptions {
  /** The offset kept from an earlier process (state store), ms. */
  initialOffsetMs?: number;
  /** Told when the offset changes (to log it, and to keep it). */
  onShift?: (offsetMs: number, previousMs: number) => void;
  localNow?: () => number;
  toleranceMs?: number;
}

export class ServiceClock {
  private offsetMs: number;

  constructor(private readonly options: ServiceClockOptions = {}) {
    this.offsetMs = options.initialOffsetMs ?? 0;
  }

  /** The engine's time now: the local clock, or Partner Center's when they differ beyond the tolerance. */
  now(): Date {
    return new Date((this.options.localNow ?? Date.now)() + this.offsetMs);
  }

  /** Partner Center's offset from the local clock as the engine keeps it, ms (0: the local clock). */
  offset(): number {
    return this.offsetMs;
  }

  /**
   * A Partner Center answer stamped `serverMs` (its `Date`), to a request sent and answered at these local
   * times. A bound property: it is handed to the client as its `onServiceTime` as it is.
   */
  readonly observe = (serverMs: number, sentMs: number, receivedMs: number): void => {
    const next = nextClockOffset(this.offsetMs, serverMs, sentMs, receivedMs, this.options.toleranceMs);
    if (next === this.offsetMs) return;
    const previous = this.offsetMs;
    this.offsetMs = next;
    this.options.onShift?.(next, previous);
  };
}
