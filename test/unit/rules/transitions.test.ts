/**
 * Status/substatus: every pair of the transition table (partner-center-api.md §1.9), as an explicit
 * matrix written here independently of mappings/status-transitions.ts, so the data cannot drift.
 */
import assert from 'node:assert/strict';
import { checkChange, type RuleContext } from '../../../core/rules/index.js';
import type { ReferralStatus, ReferralSubstatus } from '../../../core/model/index.js';
import { assertClean, assertRaised, codes, ruleTitle } from '../../helpers/rules.js';
import { at, DAY_MS, inboundFromMicrosoft } from '../../helpers/referrals.js';

type Pair = [ReferralStatus, ReferralSubstatus];
const STATES: Record<string, Pair> = {
  NP: ['New', 'Pending'],
  NR: ['New', 'Received'],
  AA: ['Active', 'Accepted'],
  CW: ['Closed', 'Won'],
  CL: ['Closed', 'Lost'],
  CD: ['Closed', 'Declined'],
  CE: ['Closed', 'Expired'],
};

// from → to → who may make the move: 'us' (the owning partner), 'system' (Partner Center), or '-' (nobody).
// Staying put ('=') is always allowed: it is no move.
const MATRIX: Record<string, Record<string, 'us' | 'system' | '-' | '='>> = {
  NP: { NP: '=', NR: 'us', AA: 'us', CW: '-', CL: '-', CD: 'us', CE: 'system' },
  NR: { NP: 'us', NR: '=', AA: 'us', CW: '-', CL: '-', CD: 'us', CE: 'system' },
  AA: { NP: '-', NR: '-', AA: '=', CW: 'us', CL: 'us', CD: '-', CE: '-' },
  CW: { NP: '-', NR: '-', AA: '-', CW: '=', CL: '-', CD: '-', CE: '-' },
  CL: { NP: '-', NR: '-', AA: '-', CW: '-', CL: '=', CD: '-', CE: '-' },
  CD: { NP: '-', NR: '-', AA: '-', CW: '-', CL: '-', CD: '=', CE: '-' },
  CE: { NP: '-', NR: '-', AA: '-', CW: '-', CL: '-', CD: '-', CE: '=' },
};

const NOW = at(2 * DAY_MS);
const us: RuleContext = { actor: 'us', now: NOW };
const system: RuleContext = { actor: 'microsoft', now: NOW };

function deal([status, substatus]: Pair) {
  const closing = substatus === 'Declined' || substatus === 'Lost';
  return inboundFromMicrosoft({ status, substatus, ...(closing ? { closeReason: 'chose-another-vendor' as const } : {}) });
}

const REFUSAL_CODES = ['transition.not_allowed', 'inbound.answer_only_while_received', 'terminal.locked', 'transition.system_only', 'actor.not_owner'];

describe(`${ruleTitle('transition.not_allowed')} — every status/substatus pair`, () => {
  for (const [fromKey, row] of Object.entries(MATRIX)) {
    for (const [toKey, who] of Object.entries(row)) {
      const from = STATES[fromKey]!;
      const to = STATES[toKey]!;
      const label = `${from.join('/')} → ${to.join('/')}`;
      if (who === '=' || who === 'us') {
        it(`allows ${label} by the owning partner`, () => assertClean(checkChange(deal(from), deal(to), us)));
      }
      if (who === 'system') {
        it(`allows ${label} by Partner Center only (${ruleTitle('transition.system_only')})`, () => {
          assertClean(checkChange(deal(from), deal(to), system));
          assertRaised(checkChange(deal(from), deal(to), us), 'transition.system_only', 'substatus');
        });
      }
      if (who === '-') {
        it(`refuses ${label}`, () => {
          const found = codes(checkChange(deal(from), deal(to), us));
          assert.ok(found.some((c) => REFUSAL_CODES.includes(c)), `${label} should be refused, got ${JSON.stringify(found)}`);
          const bySystem = codes(checkChange(deal(from), deal(to), system));
          assert.ok(bySystem.some((c) => REFUSAL_CODES.includes(c)), `${label} should be refused for Partner Center too, got ${JSON.stringify(bySystem)}`);
        });
      }
    }
  }
});

describe(`${ruleTitle('transition.not_allowed')}: closing a referral no one answered says what the seller can do instead`, () => {
  const message = (to: Pair) => checkChange(deal(STATES.NR!), deal(to), us).find((v) => v.code === 'transition.not_allowed')?.message ?? '';
  it('lost: decline it with a reason', () => assert.match(message(STATES.CL!), /answer it with Decline and choose a reason/));
  it('won: accept it first, then close it as won', () => assert.match(message(STATES.CW!), /reopen the record, answer Accept/));
});

describe(ruleTitle('status.pair_invalid'), () => {
  it('refuses a substatus that belongs to another status (Active/Won)', () => {
    assertRaised(checkChange(deal(STATES.AA!), inboundFromMicrosoft({ status: 'Active', substatus: 'Won' }), us), 'status.pair_invalid', 'substatus');
  });
  it('allows every documented pair', () => {
    for (const pair of Object.values(STATES)) assert.ok(!codes(checkChange(deal(pair), deal(pair), us)).includes('status.pair_invalid'));
  });
});

describe(ruleTitle('inbound.answer_only_while_received'), () => {
  it('allows accepting a received referral', () => assertClean(checkChange(deal(STATES.NR!), deal(STATES.AA!), us)));
  it('refuses declining a referral that was already accepted', () => {
    assertRaised(checkChange(deal(STATES.AA!), deal(STATES.CD!), us), 'inbound.answer_only_while_received', 'status');
  });
});

describe(ruleTitle('close_reason.required'), () => {
  it('refuses a decline without a reason', () => {
    const next = inboundFromMicrosoft({ status: 'Closed', substatus: 'Declined' });
    assertRaised(checkChange(deal(STATES.NP!), next, us), 'close_reason.required', 'closeReason');
  });
  it('refuses a loss without a reason', () => {
    const next = inboundFromMicrosoft({ status: 'Closed', substatus: 'Lost' });
    assertRaised(checkChange(deal(STATES.AA!), next, us), 'close_reason.required', 'closeReason');
  });
  it('allows a decline with a reason', () => assertClean(checkChange(deal(STATES.NP!), deal(STATES.CD!), us)));
});

describe(ruleTitle('inbound.response_window_closed'), () => {
  const late: RuleContext = { actor: 'us', now: at(14 * DAY_MS + 1) };
  it('refuses accepting an inbound referral 14 days after it arrived', () => {
    assertRaised(checkChange(deal(STATES.NP!), deal(STATES.AA!), late), 'inbound.response_window_closed', 'status');
  });
  it('refuses declining it too', () => {
    assertRaised(checkChange(deal(STATES.NP!), deal(STATES.CD!), late), 'inbound.response_window_closed', 'status');
  });
  it('allows accepting on day 13', () => {
    assertClean(checkChange(deal(STATES.NP!), deal(STATES.AA!), { actor: 'us', now: at(13 * DAY_MS) }));
  });
});

describe(ruleTitle('terminal.locked'), () => {
  for (const key of ['CW', 'CL', 'CD', 'CE']) {
    const terminal = STATES[key]!;
    it(`refuses editing the value of a ${terminal[1]} deal`, () => {
      const prev = deal(terminal);
      assertRaised(checkChange(prev, { ...prev, value: 99 }, us), 'terminal.locked', 'value');
    });
    it(`refuses editing the notes of a ${terminal[1]} deal, even by Microsoft`, () => {
      const prev = deal(terminal);
      assertRaised(checkChange(prev, { ...prev, notes: 'late note' }, system), 'terminal.locked', 'notes');
    });
  }
  it("still lets Microsoft's own status move after our deal is won (it is Microsoft's referral)", () => {
    const prev = deal(STATES.CW!);
    assertClean(checkChange(prev, { ...prev, microsoft: { status: 'Won' } }, system));
  });
});
