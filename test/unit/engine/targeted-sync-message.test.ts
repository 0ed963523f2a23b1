/**
 * A targeted sync (cosell serve's webhook path) words its failures as a poll's run does: its messages go to
 * the webhook queue's reasons (/readyz), the service's run history (the dashboard) and notification emails.
 * The poll's message was filtered (secrets, terminal controls) while the targeted sync's, composed by a copy
 * of the same line, was stored as the library error said it.
 */
import assert from 'node:assert/strict';
import { runTargetedSync } from '../../../core/engine/targeted-sync.js';
import { Writable } from 'node:stream';
import { createLogger, silentLogger } from '../../../core/logger.js';
import { openMemoryStore } from '../../../core/store/index.js';
import { FakeCrm } from '../../helpers/fake-crm.js';
import { FakePartnerCenter } from '../../helpers/fake-partner-center.js';
import { inboundFromMicrosoft } from '../../helpers/referrals.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const LEAK = `request failed: Authorization: Bearer ${JWT}; body "\u001b]0;pwned\u0007\u001b[2J\u202eevil"`;

function world() {
  const now = () => new Date('2026-03-02T08:00:00.000Z');
  const crm = new FakeCrm(now);
  const pc = new FakePartnerCenter(now);
  const deps = { crm, partnerCenter: pc, store: openMemoryStore(), logger: silentLogger(), now };
  return { crm, pc, deps };
}

function assertFiltered(text: string | undefined): void {
  assert.ok(text, 'a message');
  assert.match(text, /request failed/);
  assert.ok(!text.includes(JWT), text);
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, JSON.stringify(text));
}

describe('targeted sync failure messages', () => {
  it('a referral that cannot be read is reported without credentials or terminal controls', async () => {
    const w = world();
    w.pc.get = async () => {
      throw new Error(LEAK);
    };
    const report = await runTargetedSync(w.deps, ['r-1']);
    assert.equal(report.outcome, 'failed');
    assertFiltered(report.failed[0]?.message);
    assertFiltered(report.message);
  });

  it('a targeted sync that fails as a whole is reported without credentials or terminal controls', async () => {
    const w = world();
    const referral = w.pc.receive(inboundFromMicrosoft());
    w.crm.write = async () => {
      throw new Error(LEAK);
    };
    const report = await runTargetedSync(w.deps, [referral.referralId!]);
    assert.equal(report.outcome, 'failed');
    assertFiltered(report.message);
  });
  it('a failure as a whole logged at error level once: the same again (a lasting problem, retried) at info', async () => {
    const w = world();
    const lines: { level: number; msg: string }[] = [];
    const destination = new Writable({ write: (chunk, _encoding, done) => done(void lines.push(JSON.parse(String(chunk)))) });
    const deps = { ...w.deps, logger: createLogger({ level: 'info', destination }) };
    const referral = w.pc.receive(inboundFromMicrosoft());
    w.crm.write = async () => {
      throw new Error('the CRM is down');
    };
    const first = await runTargetedSync(deps, [referral.referralId!]);
    const again = await runTargetedSync(deps, [referral.referralId!], {}, { alreadyReported: first.message });
    const other = await runTargetedSync(deps, [referral.referralId!], {}, { alreadyReported: 'Error: something else' });
    assert.equal(again.message, first.message);
    assert.equal(other.outcome, 'failed');
    const failures = lines.filter((l) => /targeted sync failed/.test(l.msg)).map((l) => l.level);
    assert.deepEqual(failures, [50, 30, 50], JSON.stringify(lines));
  });
});
