/**
 * A long streak of failed runs tells the admins once, however long it lasts: `cosell run` with a revoked
 * sign-in fails every turn, and until 2026-12-05 each turn past the fourth mailed "N sync runs in a row
 * failed" and "the Partner Center sign-in was lost" again (the streak was keyed by the oldest of the last
 * N + 1 runs read, which moved on with every run). A refused sign-in is told as the service that refused it
 * says: a Salesforce or Dataverse refusal was mailed as a lost Partner Center sign-in, to be fixed with
 * `cosell login partner-center`, which does nothing for it.
 */
import assert from 'node:assert/strict';
import { notifyAfterRun, type NotifyRuntime } from '../../core/notify/after-run.js';
import { notificationsSchema } from '../../core/notify/config.js';
import type { GraphSender } from '../../core/notify/graph-sender.js';
import { silentLogger } from '../../core/logger.js';
import { openMemoryStore, type StateStore } from '../../core/store/index.js';
import { RUNS_KEPT } from '../../core/store/state-store.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const config = notificationsSchema.parse({
  graph: { authority: 'https://login.microsoftonline.com/t', clientId: 'c', clientSecret: 'env:X' },
  from: 'notify@contoso.example',
  admins: ['admin@contoso.example'],
});

function harness(store: StateStore) {
  const subjects: string[] = [];
  const bodies: string[] = [];
  const sender: GraphSender = {
    sendMail: async (_from, _to, subject, html) => void (subjects.push(subject), bodies.push(html)),
    postToChannel: async () => undefined,
    postToChat: async () => undefined,
  };
  const runtime: NotifyRuntime = { config: { notifications: config }, store, logger: silentLogger(), engineDeps: () => ({ now: () => NOW }) };
  /** One run that ends as given, then the notifications step, as every turn of `cosell run` does. */
  const turn = async (outcome: 'ok' | 'failed', errorCode?: string, said = 'The Partner Center sign-in is no longer valid. Run `cosell login partner-center`') => {
    const run = store.startRun(NOW.toISOString());
    const message = errorCode ? said : `run ${run.id}`;
    store.finishRun(run.id, { finishedAt: NOW.toISOString(), outcome, counts: {}, message });
    await notifyAfterRun(runtime, { outcome, runId: run.id, message, ...(errorCode ? { errorCode } : {}) }, sender);
  };
  return { subjects, bodies, turn };
}

describe('admin notices of failed runs', () => {
  it('a streak of 12 failed runs (a revoked sign-in) mails one notice: the refused sign-in, not also "3 runs in a row failed"', async () => {
    const { subjects, turn } = harness(openMemoryStore());
    await turn('ok');
    for (let i = 0; i < 12; i += 1) await turn('failed', 'auth_failed');
    assert.deepEqual(subjects.filter((s) => /in a row failed/.test(s)), [], subjects.join('\n'));
    assert.equal(subjects.filter((s) => /sign-in was refused/.test(s)).length, 1, subjects.join('\n'));
  });

  it('a streak that held other failures before the sign-in was refused mails both, each once', async () => {
    const { subjects, turn } = harness(openMemoryStore());
    await turn('ok');
    await turn('failed');
    for (let i = 0; i < 5; i += 1) await turn('failed', 'auth_failed');
    assert.deepEqual(subjects.filter((s) => /in a row failed/.test(s)), ['cosell-connector: 3 sync runs in a row failed']);
    assert.equal(subjects.filter((s) => /sign-in was refused/.test(s)).length, 1, subjects.join('\n'));
  });

  it('a streak from the very first run, and a new streak after a success, are each told once', async () => {
    const { subjects, turn } = harness(openMemoryStore());
    for (let i = 0; i < 6; i += 1) await turn('failed');
    await turn('ok');
    for (let i = 0; i < 6; i += 1) await turn('failed');
    assert.equal(subjects.filter((s) => /in a row failed/.test(s)).length, 2, subjects.join('\n'));
  });

  it('a streak longer than the kept run history mails nothing more once its first run is pruned', async () => {
    const store = openMemoryStore();
    const { subjects, turn } = harness(store);
    await turn('ok');
    for (let i = 0; i < RUNS_KEPT + 5; i += 1) await turn('failed');
    assert.equal(subjects.filter((s) => /in a row failed/.test(s)).length, 1);
  });

  it('a CRM that refuses the credentials is not told as the Partner Center sign-in, nor fixed with cosell login', async () => {
    const { subjects, bodies, turn } = harness(openMemoryStore());
    await turn('ok');
    const refused = "Salesforce refused the connector's credentials during sign-in (invalid_grant: user hasn't approved this consumer). Check the connected app consumer key, the integration user, the certificate or client secret, then run `cosell check`";
    await turn('failed', 'auth_failed', refused);
    assert.deepEqual(subjects, ['cosell-connector: a sign-in was refused']);
    assert.ok(bodies[0]!.includes('Check the connected app consumer key'), bodies[0]);
    assert.ok(!/Partner Center|login partner-center/.test(bodies[0]!), bodies[0]);
  });
});
