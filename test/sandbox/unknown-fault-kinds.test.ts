/**
 * Each sandbox names its faults after its service ("unavailable" in Partner Center and Dataverse, "503" in
 * Salesforce and Entra ID). A name a sandbox does not answer was taken with 200 and then served normally:
 * an admin trying an outage with `{"kinds":{"503":1}}` on Partner Center saw every run succeed and took it
 * for the connector riding out the outage (seen 2026-12-06). Each control now refuses it with 400, naming
 * the kinds it answers, and keeps the faults it had.
 */
import assert from 'node:assert/strict';
import { startSandboxSet, type SandboxSet } from '../../sandbox/launch.js';
import { UnknownFaultKind } from '../../sandbox/common/faults.js';

describe('sandbox fault controls refuse a fault kind the sandbox does not answer', function () {
  this.timeout(60_000);
  let set: SandboxSet;
  before(async () => {
    set = await startSandboxSet({ seed: false });
  });
  after(async () => set?.close());

  const put = (url: string, method: string, body: unknown) =>
    fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('answers 400 with the kinds it answers, on every sandbox, and keeps the faults it had', async () => {
    const d = set.describe();
    const controls = [
      { service: 'Partner Center', url: `${d.partnerCenter.controls}/faults`, method: 'PUT', wrong: '503', known: 'unavailable', injector: set.partnerCenter.faults },
      { service: 'Salesforce', url: `${d.salesforce.url}/_sandbox/faults`, method: 'PUT', wrong: 'unavailable', known: '503', injector: set.salesforce.faults },
      { service: 'Dataverse', url: `${d.dataverse.url}/_sandbox/dataverse/faults`, method: 'POST', wrong: 'throttled', known: 'throttle', injector: set.dataverse.faults },
      { service: 'Entra ID', url: `${d.entra.url}/_sandbox/entra/faults`, method: 'PUT', wrong: 'unavailable', known: '503', injector: set.entra.faults },
    ];
    for (const c of controls) {
      const kept = await put(c.url, c.method, { rate: 0.5, kinds: { [c.known]: 1 }, match: '^NOTHING ' });
      assert.equal(kept.status, 200, `${c.service} takes its own kind "${c.known}"`);
      const refused = await put(c.url, c.method, { rate: 1, kinds: { [c.wrong]: 1 } });
      assert.equal(refused.status, 400, `${c.service} refuses "${c.wrong}"`);
      const body = (await refused.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'unknownFaultKind');
      assert.match(body.error.message, new RegExp(`unknown fault kind "${c.wrong}"; this sandbox answers: .*"${c.known}"`), c.service);
      assert.deepEqual(Object.keys(c.injector.current()?.kinds ?? {}), [c.known], `${c.service} keeps the faults it had`);
    }
  });

  it('throws the same for a test that configures the injector directly, so a misspelt fault never passes quietly', () => {
    assert.throws(() => set.partnerCenter.faults.configure({ rate: 1, kinds: { '503': 1 } }), UnknownFaultKind);
    assert.throws(() => set.salesforce.itemFaults.configure({ rate: 1, kinds: { '503': 1 } }), /this sandbox answers: "UNABLE_TO_LOCK_ROW"/);
  });
});
