/**
 * The notification rules one by one: which causes a state gives (new inbound, under 48 hours, parked for
 * the seller, failed runs in a row, lost sign-in), quiet hours and the daily digest, the notice log's
 * once-per-cause in both stores, and digest grouping when sending.
 */
import assert from 'node:assert/strict';
import { noticeDrafts, describeTimeLeft, type NoticeFacts } from '../../core/notify/causes.js';
import { notificationsSchema } from '../../core/notify/config.js';
import { claimNotices, ownSellers, sendDue } from '../../core/notify/after-run.js';
import type { GraphSender } from '../../core/notify/graph-sender.js';
import { inQuietHours, sendAfter } from '../../core/notify/schedule.js';
import { silentLogger } from '../../core/logger.js';
import { emptyReferral } from '../../core/model/referral.js';
import { openMemoryStore, openSqliteStore, type Link, type StateStore } from '../../core/store/index.js';

const HOUR = 3_600_000;
const NOW = new Date('2026-03-10T12:00:00Z');

function inboundLink(id: string, createdAgoMs: number, team = ['sam@contoso.example']): Link {
  return {
    crmId: `crm-${id}`,
    referralId: id,
    state: 'active',
    updatedAt: NOW.toISOString(),
    base: emptyReferral({
      dealName: `Deal ${id}`,
      direction: 'inbound',
      status: 'New',
      substatus: 'Received',
      createdAt: new Date(NOW.getTime() - createdAgoMs).toISOString(),
      team: team.map((email) => ({ firstName: 'S', lastName: 'S', phone: '1', email })),
    }),
  };
}

const facts = (over: Partial<NoticeFacts>): NoticeFacts => ({ now: NOW, links: [], parked: [], runs: [], expiringHours: 48, failedRunsInARow: 3, ...over });
const config = (over: Record<string, unknown> = {}) =>
  notificationsSchema.parse({ graph: { authority: 'https://login.microsoftonline.com/t', clientId: 'c', clientSecret: 'env:X' }, from: 'notify@contoso.example', admins: ['admin@contoso.example'], ...over });

function wonLink(id: string, deadline: string, registered = false): Link {
  const link = inboundLink(id, 30 * 24 * HOUR);
  link.base = { ...link.base, direction: 'outbound', status: 'Closed', substatus: 'Won' };
  link.lastStatus = {
    state: 'synced', message: '', lastSyncedAt: NOW.toISOString(),
    registrationEligible: true, registrationDeadline: deadline, registrationNote: 'Eligible: co-sell deal with an incentive-eligible solution.',
    ...(registered ? { registrationStatus: 'Registered' } : {}),
  } as Link['lastStatus'];
  return link;
}

describe('notification rules', () => {
  it('reminds the sellers of a won deal to register it once its deadline is near, once per deadline, and not when registered or far off', () => {
    const soon = new Date(NOW.getTime() + 5 * 24 * HOUR).toISOString();
    const far = new Date(NOW.getTime() + 50 * 24 * HOUR).toISOString();
    const drafts = noticeDrafts(facts({ links: [wonLink('due', soon), wonLink('far', far), wonLink('done', soon, true)] })).filter((d) => d.kind === 'registration-deadline');
    assert.deepEqual(drafts.map((d) => d.cause), [`registration-deadline:due:${soon}`]);
    assert.deepEqual(drafts[0]!.sellers, ['sam@contoso.example']);
    assert.equal(drafts[0]!.vars.deadline, soon.slice(0, 10));
    assert.match(drafts[0]!.vars.note!, /incentive-eligible/);
  });


  it('a waiting inbound referral is a new-referral cause; under 48 hours left it is also a reminder; an expired one is neither', () => {
    const drafts = noticeDrafts(facts({ links: [inboundLink('fresh', HOUR), inboundLink('late', 13 * 24 * HOUR), inboundLink('gone', 15 * 24 * HOUR)] }));
    assert.deepEqual(drafts.map((d) => d.cause), ['inbound-new:late', 'inbound-expiring:late', 'inbound-new:fresh']);
    assert.deepEqual(drafts[0]!.sellers, ['sam@contoso.example']);
    assert.equal(drafts[1]!.vars.timeLeft, '1 day');
  });

  it('a CRM record parked for a rule tells its seller, once per version of the record; a Partner Center one does not', () => {
    const reasons = [{ field: 'solutions', code: 'create.solution.required', message: 'Add at least one solution.', severity: 'error' }] as never;
    const parked = [
      { side: 'crm' as const, recordId: '006A', name: 'Bad deal', reasons, fingerprint: 'f1', parkedAt: NOW.toISOString(), attempts: 1 },
      { side: 'partner-center' as const, recordId: 'R1', reasons, fingerprint: 'f2', parkedAt: NOW.toISOString(), attempts: 1 },
    ];
    const drafts = noticeDrafts(facts({ parked }));
    assert.deepEqual(drafts.map((d) => [d.cause, d.vars.field, d.vars.rule]), [['parked:crm:006A:f1', 'solutions', 'create.solution.required']]);
    const labelled = noticeDrafts({ ...facts({ parked }), fieldLabels: { solutions: 'Co-sell Solutions' } });
    assert.equal(labelled[0]!.vars.field, 'Co-sell Solutions', 'the seller reads the field by its CRM label');
  });

  it('a new deal parked before it reached Partner Center (no link) tells the team it had when parked', () => {
    const reasons = [{ field: 'customer.address.country', code: 'format.country', message: 'Use a two-letter country code.', severity: 'error' }] as never;
    const parked = [{ side: 'crm' as const, recordId: '006N', name: 'New deal', team: ['Sam@Contoso.example '], reasons, fingerprint: 'f1', parkedAt: NOW.toISOString(), attempts: 1 }];
    const drafts = noticeDrafts(facts({ parked }));
    assert.deepEqual(drafts.map((d) => [d.cause, d.sellers]), [['parked:crm:006N:f1', ['sam@contoso.example']]]);
  });

  it('admins hear of N failed runs in a row once per streak, and of a lost sign-in', () => {
    const run = (id: number, outcome: 'ok' | 'failed') => ({ id, startedAt: NOW.toISOString(), outcome, counts: {}, message: `run ${id}` });
    const two = noticeDrafts(facts({ runs: [run(5, 'failed'), run(4, 'failed'), run(3, 'ok')] }));
    assert.equal(two.length, 0, 'two failures are not yet three');
    const three = noticeDrafts(facts({ runs: [run(6, 'failed'), run(5, 'failed'), run(4, 'failed'), run(3, 'ok')], lastRun: { runId: 6, outcome: 'failed', errorCode: 'auth_failed', message: 'run 6' } }));
    assert.deepEqual(three.map((d) => d.cause), ['runs-failed:4', 'sign-in-lost:4'], 'keyed by the first run of the streak; the streak held other failures');
  });

  it('a streak that is only the lost sign-in is one notice, not also "3 runs failed" about the same problem', () => {
    const lost = 'Partner Center refused the sign-in (AADSTS700082): run cosell login partner-center';
    const run = (id: number, outcome: 'ok' | 'failed') => ({ id, startedAt: NOW.toISOString(), outcome, counts: {}, message: outcome === 'failed' ? lost : undefined });
    const first = noticeDrafts(facts({ runs: [run(4, 'failed'), run(3, 'ok')], lastRun: { runId: 4, outcome: 'failed', errorCode: 'auth_failed', message: lost } }));
    assert.deepEqual(first.map((d) => d.cause), ['sign-in-lost:4'], 'told when it began');
    const third = noticeDrafts(facts({ runs: [run(6, 'failed'), run(5, 'failed'), run(4, 'failed'), run(3, 'ok')], lastRun: { runId: 6, outcome: 'failed', errorCode: 'auth_failed', message: lost } }));
    assert.deepEqual(third.map((d) => d.cause), ['sign-in-lost:4'], 'the same cause again (the notice log tells it once), no runs-failed email');
  });

  it('tells only our own people on a deal: the from mailbox\'s domain by default, or the domains configured', () => {
    const team = ['morgan@microsoft.example', 'sam@contoso.example', 'ana@fabrikam-partner.example', 'lee@emea.contoso.example'];
    assert.deepEqual(ownSellers(team, config()), ['sam@contoso.example'], 'never Microsoft\'s seller or the other partner');
    assert.deepEqual(ownSellers(team, config({ sellerDomains: ['contoso.example', 'EMEA.contoso.example'] })), ['sam@contoso.example', 'lee@emea.contoso.example']);
    assert.throws(() => config({ sellerDomains: ['@contoso'] }), /an email domain/);
  });

  it('describes time left as a person reads it', () => {
    assert.equal(describeTimeLeft(13 * 24 * HOUR + 5 * HOUR), '13 days 5 hours');
    assert.equal(describeTimeLeft(20 * HOUR), '20 hours');
    assert.equal(describeTimeLeft(10 * 60_000), '10 minutes');
  });

  it('quiet hours across midnight hold a notice until they end; the daily digest waits for its time; admin alerts skip the digest', () => {
    const settings = { digest: 'off' as const, digestAt: '08:00', quietHours: { from: '22:00', to: '07:00' }, timeZone: 'Europe/Berlin' };
    const night = new Date('2026-03-10T22:30:00Z'); // 23:30 in Berlin
    assert.equal(inQuietHours(night, settings), true);
    assert.equal(inQuietHours(new Date('2026-03-10T10:00:00Z'), settings), false);
    assert.equal(sendAfter(night, 'seller', settings).toISOString(), '2026-03-11T06:00:00.000Z', '07:00 in Berlin');
    const digest = { ...settings, digest: 'daily' as const, quietHours: undefined };
    assert.equal(sendAfter(new Date('2026-03-10T10:00:00Z'), 'seller', digest).toISOString(), '2026-03-11T07:00:00.000Z', 'next 08:00 in Berlin');
    assert.equal(sendAfter(new Date('2026-03-10T10:00:00Z'), 'admin', digest).toISOString(), '2026-03-10T10:00:00.000Z');
  });

  for (const [name, open] of [['memory', () => openMemoryStore()], ['SQLite', () => openSqliteStore(':memory:')]] as [string, () => StateStore][]) {
    it(`the ${name} store keeps each cause once, sends what is due, and retries a failed send later`, () => {
      const store = open();
      const claim = { cause: 'inbound-new:R1', kind: 'inbound-new', notice: { to: ['a@b.example'] }, createdAt: NOW.toISOString(), sendAfter: NOW.toISOString() };
      assert.equal(store.notices.claim(claim), true);
      assert.equal(store.notices.claim({ ...claim, createdAt: new Date(NOW.getTime() + HOUR).toISOString() }), false, 'the same cause again is not stored');
      assert.deepEqual(store.notices.due(NOW.toISOString()).map((n) => n.cause), ['inbound-new:R1']);
      store.notices.markFailed('inbound-new:R1', '503 ServiceUnavailable', new Date(NOW.getTime() + HOUR).toISOString());
      assert.equal(store.notices.due(NOW.toISOString()).length, 0, 'a failed send waits');
      const later = new Date(NOW.getTime() + HOUR).toISOString();
      assert.equal(store.notices.due(later)[0]?.attempts, 1);
      store.notices.markSent(['inbound-new:R1'], later);
      assert.equal(store.notices.due(later).length, 0);
      assert.equal(store.notices.recent(5)[0]?.sentAt, later);
      store.close();
    });
  }

  it('a daily digest sends one message per recipient list with every waiting notice in it', async () => {
    const store = openMemoryStore();
    const cfg = config({ digest: 'daily', digestAt: '12:00' });
    const links = [inboundLink('A', HOUR), inboundLink('B', 2 * HOUR), inboundLink('C', HOUR, ['kim@contoso.example'])];
    assert.equal(claimNotices(store, cfg, noticeDrafts(facts({ links })), new Date(NOW.getTime() - HOUR), silentLogger()), 3);
    const sent: { to: readonly string[]; subject: string; html: string }[] = [];
    const recorder: GraphSender = {
      sendMail: async (_from, to, subject, html) => void sent.push({ to, subject, html }),
      postToChannel: async () => {},
      postToChat: async () => {},
    };
    assert.equal(await sendDue(store, cfg, recorder, new Date(NOW.getTime() - HOUR), silentLogger()), 0, 'nothing before the digest time');
    assert.equal(await sendDue(store, cfg, recorder, NOW, silentLogger()), 2);
    const toSam = sent.find((m) => m.to.includes('sam@contoso.example'))!;
    assert.equal(toSam.subject, 'Co-sell digest: 2 item(s) need you');
    assert.match(toSam.html, /Deal A/);
    assert.match(toSam.html, /Deal B/);
    assert.equal(await sendDue(store, cfg, recorder, NOW, silentLogger()), 0, 'nothing twice');
  });
});
