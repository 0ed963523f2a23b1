/**
 * Status and substatus: valid pairs, allowed moves (mappings/status-transitions.ts), who may make them,
 * the reason a decline or loss needs, and the 14-day answer window of inbound referrals.
 */
import { TRANSITIONS, VALID_PAIRS, type StatusPair, type Transition } from '../../mappings/status-transitions.js';
import { TERMINAL_SUBSTATUSES } from '../model/enums.js';
import type { Referral } from '../model/referral.js';
import { inboundExpiresAt, inboundExpiryDue } from './deadlines.js';
import { error, type RuleContext, type Violation } from './violation.js';

const show = (p: StatusPair) => `${p.status}/${p.substatus}`;
const samePair = (a: StatusPair, b: StatusPair) => a.status === b.status && a.substatus === b.substatus;

export function isValidPair(p: StatusPair): boolean {
  return VALID_PAIRS.some((v) => samePair(v, p));
}

export function isTerminal(r: Pick<Referral, 'substatus'>): boolean {
  return TERMINAL_SUBSTATUSES.includes(r.substatus);
}

export function findTransition(from: StatusPair, to: StatusPair): Transition | undefined {
  return TRANSITIONS.find((t) => samePair(t.from, from) && samePair(t.to, to));
}

export function checkStatusPair(r: Referral): Violation[] {
  return isValidPair(r)
    ? []
    : [error('status.pair_invalid', 'substatus', `Substatus ${r.substatus} does not belong to status ${r.status}. Valid pairs: ${VALID_PAIRS.map(show).join(', ')}.`)];
}

/**
 * A seller closes a record the CRM's way, often without answering the referral first; Partner Center has
 * no move from New to Lost or Won, so the message names the one the seller can make: decline (taken even
 * on the record already closed, seller-intent.ts), or accept on the reopened record and win after.
 */
const FROM_NEW_INSTEAD: Partial<Record<StatusPair['substatus'], string>> = {
  Lost: 'A referral that was never accepted cannot be lost: answer it with Decline and choose a reason instead.',
  Won: 'A referral must be accepted before it is won: reopen the record, answer Accept, and close it as won once Partner Center shows it accepted.',
};

function notAllowedMessage(prev: StatusPair, next: StatusPair): string {
  const refused = `Partner Center does not allow moving a deal from ${show(prev)} to ${show(next)}.`;
  const instead = prev.status === 'New' ? FROM_NEW_INSTEAD[next.substatus] : undefined;
  return instead ? `${refused} ${instead}` : refused;
}

/** A move from `prev` to `next` status: allowed, made by the right party, with a reason where needed. */
export function checkStatusMove(prev: Referral, next: Referral, ctx: RuleContext): Violation[] {
  if (samePair(prev, next) || !isValidPair(next) || isTerminal(prev)) return [];
  const out: Violation[] = [];
  const move = findTransition(prev, next);
  if (!move) {
    const answering = prev.status !== 'New' && (next.substatus === 'Accepted' || next.substatus === 'Declined');
    out.push(
      answering
        ? error('inbound.answer_only_while_received', 'status', `A referral can be accepted or declined only while it is received (New); this one is ${show(prev)}.${next.substatus === 'Declined' && prev.status === 'Active' ? ' To drop it, close it as lost with a reason instead.' : ''}`)
        : error('transition.not_allowed', 'status', notAllowedMessage(prev, next)),
    );
    return out;
  }
  if (move.by === 'system' && ctx.actor !== 'microsoft') {
    out.push(error('transition.system_only', 'substatus', 'Only Partner Center expires a referral, after 14 days without an answer; it cannot be set to Expired.'));
  }
  if (move.by === 'partner' && ctx.actor !== 'us') {
    out.push(error('actor.not_owner', 'status', `Only the company that owns this referral can ${move.meaning}.`));
  }
  if ((next.substatus === 'Declined' || next.substatus === 'Lost') && !next.closeReason) {
    out.push(error('close_reason.required', 'closeReason', `Choose a reason to mark the deal ${next.substatus.toLowerCase()} (one of the eight Partner Center reasons).`));
  }
  if (prev.status === 'New' && move.by === 'partner' && next.status !== 'New' && inboundExpiryDue(prev, ctx.now)) {
    out.push(error('inbound.response_window_closed', 'status', `This referral expired on ${inboundExpiresAt(prev)?.toISOString()} after 14 days without an answer; it can no longer be ${next.substatus === 'Accepted' ? 'accepted' : 'declined'}.`));
  }
  return out;
}
