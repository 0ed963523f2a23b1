/**
 * What deserves a notification after a run, as pure functions of the state: each cause has a stable key,
 * so that the notice log (store) tells each one once however many runs see it again.
 * - a new inbound referral still waiting for our answer → its sellers;
 * - an inbound referral with less than `expiringHours` of its 14 days left → its sellers, once;
 * - a CRM record parked for a reason the seller must fix → its sellers, once per version of the record
 *   (the park's fingerprint: a record edited and refused again is a new cause);
 * - a won deal eligible for deal registration whose deadline is near (registration-reminders.ts) → its
 *   sellers, once per deadline;
 * - `failedRunsInARow` failed runs in a row, or a run that lost the sign-in → the admins, once per streak
 *   (a streak that is only the lost sign-in is told by its own notice, not twice).
 */
import { DEFAULT_RESPONSE_FIELD, type NoticeKind } from '../../mappings/notifications.js';
import { RUNS_KEPT, type Link, type ParkedRecord, type RunRecord } from '../store/state-store.js';
import { inboundExpiresAt } from '../rules/deadlines.js';
import { fieldLabel, type FieldLabels } from '../rules/field-labels.js';
import { remindersDue } from '../engine/registration-reminders.js';
import { teamEmails } from '../engine/merge/sets.js';

export interface NoticeFacts {
  now: Date;
  /** Active links (their base is the last state both sides agreed on). */
  links: readonly Link[];
  parked: readonly ParkedRecord[];
  /** Runs, newest first: back to the one before the current streak of failures, while the history keeps it. */
  runs: readonly RunRecord[];
  /** The run just finished, with the error code a failed run carries (`auth_failed` when the sign-in was refused). */
  lastRun?: { runId?: number; outcome: string; errorCode?: string; message?: string };
  expiringHours: number;
  failedRunsInARow: number;
  /** The label of the CRM field where sellers accept or decline (mappings/notifications.ts). */
  responseField?: string;
  /** The CRM's labels for canonical paths (`CrmAdapter.fieldLabels`): a parked notice names the field the seller sees. */
  fieldLabels?: FieldLabels;
}

export interface NoticeDraft {
  cause: string;
  kind: NoticeKind;
  /** The sellers on the deal (its team's email addresses); empty for admin notices or an unknown team. */
  sellers: string[];
  crmId?: string;
  /** Values for the template's placeholders. */
  vars: Record<string, string>;
}

const HOUR_MS = 3_600_000;

/** "13 days 4 hours", "20 hours", "45 minutes": the time a person has left, rounded down. */
export function describeTimeLeft(ms: number): string {
  if (ms <= 0) return 'no time';
  const days = Math.floor(ms / (24 * HOUR_MS));
  const hours = Math.floor((ms % (24 * HOUR_MS)) / HOUR_MS);
  if (days > 0) return `${days} day${days === 1 ? '' : 's'}${hours ? ` ${hours} hour${hours === 1 ? '' : 's'}` : ''}`;
  if (hours > 0) return `${hours} hour${hours === 1 ? '' : 's'}`;
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

const money = (value?: number, currency?: string) => (value === undefined ? 'no value given' : `${currency ?? ''} ${value.toLocaleString('en-US')}`.trim());
const sellersOf = (link: Link | undefined, parkedTeam: readonly string[] = []) => teamEmails([...(link?.base.team ?? []), ...parkedTeam.map((email) => ({ email }))]);

/** Inbound referrals still waiting for our answer, with their deadline (also what the dashboard lists). */
export function waitingInbound(links: readonly Link[], now: Date): { link: Link; expiresAt: Date; msLeft: number }[] {
  return links
    .filter((l) => l.state === 'active' && l.base.direction === 'inbound' && l.base.status === 'New')
    .flatMap((link) => {
      const expiresAt = inboundExpiresAt(link.base);
      return expiresAt && expiresAt.getTime() > now.getTime() ? [{ link, expiresAt, msLeft: expiresAt.getTime() - now.getTime() }] : [];
    })
    .sort((a, b) => a.msLeft - b.msLeft);
}

function inboundDrafts(facts: NoticeFacts): NoticeDraft[] {
  return waitingInbound(facts.links, facts.now).flatMap(({ link, expiresAt, msLeft }) => {
    const referralId = link.referralId;
    const vars = {
      dealName: link.base.dealName,
      customer: link.base.customer.name || 'the customer',
      value: money(link.base.value, link.base.currency),
      from: link.base.initiator?.name ?? (link.base.dealType === 'partner-to-partner' ? 'A partner' : 'Microsoft'),
      answerBy: expiresAt.toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
      timeLeft: describeTimeLeft(msLeft),
      recordId: link.crmId,
      responseField: facts.responseField ?? DEFAULT_RESPONSE_FIELD,
    };
    const base = { sellers: sellersOf(link), crmId: link.crmId, vars };
    const drafts: NoticeDraft[] = [{ cause: `inbound-new:${referralId}`, kind: 'inbound-new', ...base }];
    if (msLeft < facts.expiringHours * HOUR_MS) drafts.push({ cause: `inbound-expiring:${referralId}`, kind: 'inbound-expiring', ...base });
    return drafts;
  });
}

/** CRM records the seller must fix: refused before they reached Partner Center. */
function parkedDrafts(facts: NoticeFacts): NoticeDraft[] {
  const linkByCrmId = new Map(facts.links.map((l) => [l.crmId, l]));
  return facts.parked
    .filter((p) => p.side === 'crm' && p.reasons.length > 0)
    .map((p) => {
      const link = linkByCrmId.get(p.recordId);
      const first = p.reasons[0]!;
      return {
        cause: `parked:${p.side}:${p.recordId}:${p.fingerprint}`,
        kind: 'parked' as const,
        // The team the record had when parked (a new deal has no link), and the link's when it has one.
        sellers: sellersOf(link, p.team),
        crmId: p.recordId,
        vars: {
          dealName: p.name ?? link?.base.dealName ?? p.recordId,
          recordId: p.recordId,
          blocked: 'sent to Partner Center',
          field: facts.fieldLabels ? fieldLabel(first.field, facts.fieldLabels) : first.field,
          rule: first.code,
          message: p.reasons.map((r) => r.message).join(' '),
        },
      };
    });
}

/** Won deals to register in Partner Center before their deadline: the facts written onto the CRM record. */
function registrationDrafts(facts: NoticeFacts): NoticeDraft[] {
  const linkByCrmId = new Map(facts.links.map((l) => [l.crmId, l]));
  return remindersDue(facts.links, facts.now).map((r) => ({
    cause: `registration-deadline:${r.referralId}:${r.deadline}`,
    kind: 'registration-deadline' as const,
    sellers: sellersOf(linkByCrmId.get(r.crmId)),
    crmId: r.crmId,
    vars: { dealName: r.dealName, recordId: r.crmId, deadline: r.deadline.slice(0, 10), note: r.note },
  }));
}

/** The failed runs that end the list (newest first): the current streak. */
function failedStreak(runs: readonly RunRecord[]): RunRecord[] {
  const streak: RunRecord[] = [];
  for (const run of runs) {
    if (run.outcome !== 'failed') break;
    streak.push(run);
  }
  return streak;
}

function adminDrafts(facts: NoticeFacts): NoticeDraft[] {
  const streak = failedStreak(facts.runs);
  // Every run read failed and the history is full: the streak began before the oldest run kept, so its
  // first run (the key) is gone. The admins were told when it was seen; a key from what is left would
  // move on with every run and tell them again each time.
  if (streak.length > 0 && streak.length === facts.runs.length && facts.runs.length >= RUNS_KEPT) return [];
  const first = streak.at(-1);
  const drafts: NoticeDraft[] = [];
  const last = facts.lastRun;
  const signInLost = last?.outcome === 'failed' && last.errorCode === 'auth_failed';
  // A streak that is one lost sign-in, failing with the same words each run, is the sign-in notice's
  // problem: the admins were told of it when it began, and a second email about the same thing read as a
  // second problem.
  const onlySignInLost = signInLost && streak.every((run) => run.message === last.message);
  if (first && streak.length >= facts.failedRunsInARow && !onlySignInLost) {
    drafts.push({ cause: `runs-failed:${first.id}`, kind: 'runs-failed', sellers: [], vars: { count: String(streak.length), message: streak[0]?.message ?? 'no message' } });
  }
  if (signInLost) {
    const key = first?.id ?? last.runId ?? 'unknown';
    drafts.push({ cause: `sign-in-lost:${key}`, kind: 'sign-in-lost', sellers: [], vars: { message: last.message ?? 'the sign-in was refused' } });
  }
  return drafts;
}

export function noticeDrafts(facts: NoticeFacts): NoticeDraft[] {
  return [...inboundDrafts(facts), ...parkedDrafts(facts), ...registrationDrafts(facts), ...adminDrafts(facts)];
}
