/**
 * Partner Center not answering for a while (503s for hours, the network down): what the CRM records say
 * meanwhile. A run that cannot reach Partner Center fails, and until 2026-12-06 it failed before it read the
 * CRM's feed: a seller's edit made during the outage left the record saying "synced" for as long as the
 * outage lasted, and a seller who works only in the CRM could not tell that the change had not gone.
 *
 * These are the decisions, pure: which failures are an outage, since when it lasts (kept in the state
 * database across runs and processes), and which records are told that their changes wait. The record says
 * so once per outage (its message names the outage's start, so a later run finds it said already and writes
 * nothing: a 10,000-deal org is not rewritten at every turn of a six-hour outage). The CRM's watermark does
 * not move while Partner Center is down, so nothing is lost: the first run after the outage reads the same
 * changes again, sends them and writes "synced". waiting-changes.ts does the reading and writing.
 */
import type { CrmDeal, SyncStatus } from './crm-port.js';
import { ConnectorError, NO_ANSWER_CODES } from '../errors.js';

/** The code of a refused sign-in (AuthError), and the reason an outage it starts carries. */
const REFUSED_CODE = 'auth_failed';
export const SIGN_IN_REFUSED = 'sign-in refused';
import type { Link } from '../store/state-store.js';
import type { MergeInput } from './merge/three-way.js';
import { mergeReferral } from './merge/three-way.js';
import { linkedCrmViews, linkedMergeInput } from './outgoing-referral.js';

/** The state database's meta key for the outage in progress ({@link Outage}); absent while Partner Center answers. */
export const OUTAGE_META = 'partnerCenter.outage';

/** A Partner Center outage in progress: since the start of the first run it failed, and what it answered then. */
export interface Outage {
  since: string;
  /** Short, for the record: `HTTP 503`, `no connection`. */
  reason: string;
}

/**
 * A Partner Center that does not answer, after every retry (NO_ANSWER_CODES), or that refuses the
 * connector's sign-in (a revoked session, a role taken away: `auth_failed`, until an administrator fixes it,
 * which can take days: until 2026-12-06 a record edited meanwhile kept saying "synced"). Its own message to
 * the administrator stays; the records say their changes wait. A refused change or a spent budget are not
 * outages: they have their own messages and fixes.
 */
const OUTAGE_CODES: ReadonlySet<string> = new Set([...NO_ANSWER_CODES, REFUSED_CODE]);

/**
 * The outage a run's failure shows, or undefined when it is none. `fromPartnerCenter`: the error came from a
 * Partner Center call (a CRM's own 503 is not Partner Center's outage). `known`: the outage already
 * recorded, whose start and reason stand for as long as it lasts.
 */
export function outageOf(error: unknown, fromPartnerCenter: boolean, nowIso: string, known: Outage | undefined): Outage | undefined {
  if (!fromPartnerCenter || !(error instanceof ConnectorError) || !OUTAGE_CODES.has(error.code)) return undefined;
  if (known) return known;
  const status = typeof error.context.status === 'number' ? error.context.status : undefined;
  if (error.code === REFUSED_CODE) return { since: nowIso, reason: SIGN_IN_REFUSED };
  return { since: nowIso, reason: status === undefined ? (error.code === 'network' ? 'no connection' : error.code) : `HTTP ${status}` };
}

/** The outage as the state database keeps it, or undefined for anything else (none recorded, a damaged value). */
export function storedOutage(value: unknown): Outage | undefined {
  const v = value as Partial<Outage> | undefined;
  return v && typeof v.since === 'string' && typeof v.reason === 'string' ? { since: v.since, reason: v.reason } : undefined;
}

/** Words every waiting message starts with: how a status the engine wrote is told from a seller's switch-off. */
const WAITING_LEAD = 'Not sent to Partner Center yet:';

/** `2026-12-06T19:20:31.000Z` → `2026-12-06 19:20 UTC`. */
const minute = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** Why Partner Center cannot be reached, for the record and `cosell status`: no answer, or a refused sign-in. */
export function outageCause(outage: Outage, since = minute(outage.since)): string {
  return outage.reason === SIGN_IN_REFUSED
    ? `Partner Center has refused the connector's sign-in since ${since}; an administrator must sign in again or restore the Referrals role`
    : `Partner Center has not answered since ${since} (${outage.reason})`;
}

/** What the record says while its changes wait (under Salesforce's 255 characters). */
export function waitingMessage(outage: Outage): string {
  return `${WAITING_LEAD} ${outageCause(outage)}. This deal's changes are kept and sent when it answers; nothing to do.`;
}

/** Whether a status is one this module wrote: the record's changes wait for Partner Center. */
export function isWaitingStatus(status: SyncStatus | undefined): boolean {
  return status?.state === 'pending' && status.message.startsWith(WAITING_LEAD);
}

/**
 * Whether a link's record was told in this outage (its last status is this outage's waiting message). Nothing
 * more is written onto it until the outage ends, whatever it holds ({@link waitingStatus}), so the outage's
 * later turns need not read it: its own status write moved its row version, and without this every turn read
 * it again in full to write nothing. A seller's edit after it is not lost: the link's CRM version is still the
 * one of the last full run, which the first run after the outage compares.
 */
export function toldInOutage(link: Pick<Link, 'lastStatus'>, outage: Outage): boolean {
  return isWaitingStatus(link.lastStatus) && link.lastStatus!.message === waitingMessage(outage);
}

/**
 * Whether a linked record holds a change the next sync would send to Partner Center: merged against its
 * base, with the base standing for Partner Center's side (no call to make). An echo of the connector's own
 * write, or a save that changed nothing synced, holds none.
 */
export function holdsUnsentChange(deal: CrmDeal, link: Link, policy: MergeInput['policy']): boolean {
  const views = linkedCrmViews(deal, link.base);
  return mergeReferral(linkedMergeInput(deal, link.base, views, link.base, policy)).toPartnerCenter.length > 0;
}

/** What the decision needs of one record read from the CRM's feed during an outage. */
export interface WaitingInput {
  deal: CrmDeal;
  /** Its link, when it has one. */
  link?: Link;
  /** The record is parked (its refusal is what it shows, and a fix waits for the seller, not for Partner Center). */
  parked: boolean;
  /** For a linked record: it holds a change to send ({@link holdsUnsentChange}). */
  changed: boolean;
  outage: Outage;
}

/**
 * The status to write onto a record whose changes wait for Partner Center, or undefined when none is due:
 * - a linked record with a change to send that says "synced" (or that waits since an earlier outage) gets
 *   `pending` with the waiting message, keeping its "last synced" time (the last time it did sync);
 * - an unlinked record ticked for sync (a deal to create) gets the same; the caller leaves out one that shows it;
 * - a record already told in this outage, unticked, parked, in conflict, held, closed or not active: none
 *   (its own status already says it is not synced, or the seller's switch-off says why nothing goes).
 */
export function waitingStatus(input: WaitingInput): SyncStatus | undefined {
  const { deal, link, outage } = input;
  if (!deal.intent.optedIn || input.parked) return undefined;
  const message = waitingMessage(outage);
  if (!link) return { state: 'pending', message };
  if (link.state !== 'active' || !input.changed) return undefined;
  const shown = link.lastStatus;
  if (shown && shown.state !== 'synced' && !isWaitingStatus(shown)) return undefined;
  if (toldInOutage(link, outage)) return undefined;
  // The CRM's saved form and a hold belong to the status before; the rest (the Partner Center facts) stays.
  const { savedAs: _saved, heldUntil: _held, ...kept } = shown ?? { state: 'pending' as const, message: '' };
  return { ...kept, state: 'pending', message };
}
