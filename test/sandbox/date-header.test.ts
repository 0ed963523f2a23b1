/**
 * Every sandbox sends its own clock in the `Date` header, as a real service sends its own: the connector
 * anchors its change-feed windows to that header, so a sandbox whose clock a test moved must not answer
 * with the machine's time (Salesforce and Dataverse did, while their records carried the moved clock).
 */
import assert from 'node:assert/strict';
import { startSandboxSet, type SandboxSet } from '../../sandbox/launch.js';

const DAY = 86_400_000;

describe("the sandboxes' Date header", function () {
  this.timeout(60_000);
  let set: SandboxSet;
  before(async () => {
    set = await startSandboxSet({ seed: false });
  });
  after(async () => set?.close());

  it('follows the sandbox clock on every service, an unauthenticated answer included', async () => {
    set.clock.advance(8 * DAY);
    const described = set.describe();
    const urls = {
      'Partner Center': described.partnerCenter.referrals,
      Salesforce: `${described.salesforce.url}/services/data/v60.0/query?q=SELECT+Id+FROM+Opportunity`,
      Dataverse: `${described.dataverse.webApi}/opportunities`,
    };
    for (const [service, url] of Object.entries(urls)) {
      // The header has whole seconds and is stamped while the request is answered, which on a loaded
      // machine can take more than the second a fixed tolerance allowed: it must fall between the
      // sandbox clock before the request (its second) and after the answer.
      const before = Math.floor(set.clock.now().getTime() / 1000) * 1000;
      const response = await fetch(url);
      const after = set.clock.now().getTime();
      const date = response.headers.get('date');
      assert.ok(date, `${service} sends a Date header`);
      const at = Date.parse(date);
      assert.ok(at >= before && at <= after, `${service}'s Date ${date} is the sandbox clock's, between ${new Date(before).toUTCString()} and ${new Date(after).toUTCString()}`);
    }
  });
});
