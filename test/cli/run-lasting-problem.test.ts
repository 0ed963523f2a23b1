/**
 * `cosell run` left alone while a problem lasts: the Partner Center sign-in is revoked ("Revoke sessions"
 * in Entra ID, AADSTS50173) and stays so for several turns. The admin is told once, with the command to
 * run, not at every turn (until 2026-12-06 each turn printed the whole message again and logged it again at
 * error level); once the admin signs in again, the next turn says the problem is gone and syncs, without
 * a restart. The real binary against the sandboxes.
 */
import assert from 'node:assert/strict';
import { loginPartnerCenter } from '../../connectors/partner-center/index.js';
import { SANDBOX_USERS } from '../../sandbox/entra/seed.js';
import { lineAfter, startCliWorld, waitFor, type CliWorld } from '../helpers/cli.js';

const runLines = (stdout: string) => stdout.split('\n').filter((line) => /^(OK|FAILED|PARTIAL|PAUSED) \d{4}-/.test(line));
const count = (text: string, pattern: RegExp) => text.split('\n').filter((line) => pattern.test(line)).length;

describe('cosell run while a problem lasts: a revoked sign-in, Entra ID down (the real binary, Salesforce sandbox)', function () {
  this.timeout(150_000);
  let world: CliWorld;
  before(async () => {
    world = await startCliWorld('salesforce');
  });
  after(async () => world?.close());

  it('says so once with the command to run, keeps its turns, and resumes by itself after a new sign-in', async () => {
    const run = world.startCli(['run', '--interval', '0.03']);
    try {
      await waitFor(() => runLines(run.output().stdout).some((line) => line.startsWith('OK')), 60_000, 'a first run');
      world.set.entra.state.revoke(SANDBOX_USERS.admin.username);
      // The access token in hand runs out (an hour): Partner Center answers 401 and the refresh is refused.
      world.set.clock.advance(2 * 3_600_000);
      // The log (standard error) is another pipe than the turns' lines: wait for both, not one by the other.
      const failedTurns = () => runLines(run.output().stdout).filter((line) => line.startsWith('FAILED')).length;
      await waitFor(() => failedTurns() >= 4 && /"level":50.*sync run failed/.test(run.output().stderr), 90_000, 'four failed turns, the first logged');
      const during = run.output();
      assert.equal(count(during.stdout, /cosell login partner-center/), 1, `the command to run is named once:\n${during.stdout}`);
      assert.equal(count(during.stdout, /AADSTS50173/), 1, during.stdout);
      assert.ok(count(during.stdout, /^FAILED .*the same problem as reported above/) >= 3, during.stdout);
      assert.equal(count(during.stderr, /"level":50.*sync run failed/), 1, `logged once at error level:\n${during.stderr}`);
      assert.equal(count(during.stderr, /AADSTS50173/), 1, `the log says it once:\n${during.stderr}`);

      await loginPartnerCenter(world.runtime.config.partnerCenter, {
        onPrompt: (prompt) => void world.set.entra.approveDeviceCode(prompt.userCode, SANDBOX_USERS.admin.username),
      });
      // The Resolved line and the turn's own line are two writes, which this process may read apart: wait
      // for the line after Resolved to be read in full, then say what it must be.
      const afterResolved = () => lineAfter(run.output().stdout, /^Resolved: the problem reported at run \d+/);
      await waitFor(() => afterResolved() !== undefined, 60_000, 'the problem said gone, and the line of that turn');
      assert.match(afterResolved()!, /^OK /, run.output().stdout);
    } finally {
      run.child.kill('SIGTERM');
    }
    const result = await run.done;
    assert.equal(result.code, 0, 'the sign-in works again: a stop on request ends with 0');
  });

  // The same while Entra ID's token endpoint is down (503 `temporarily_unavailable`, AADSTS90033) for several
  // turns. msal words each answer with its own timestamp, and the message carried it: every turn read as a
  // new problem, printed in full and logged at error level again (until 2026-12-06).
  it('tells the outage once, keeps its turns, and resumes by itself when the token endpoint answers again', async () => {
    const run = world.startCli(['run', '--interval', '0.03']);
    try {
      await waitFor(() => runLines(run.output().stdout).some((line) => line.startsWith('OK')), 60_000, 'a first run');
      world.set.entra.faults.configure({ rate: 1, kinds: { '503': 1 } });
      // The access token in hand runs out (an hour): the next turn needs Entra ID, and Entra ID's answers
      // to it are a second or more apart, so each carries another timestamp.
      world.set.clock.advance(2 * 3_600_000);
      const failedTurns = () => runLines(run.output().stdout).filter((line) => line.startsWith('FAILED')).length;
      await waitFor(() => failedTurns() >= 4 && /"level":50.*sync run failed/.test(run.output().stderr), 90_000, 'four failed turns, the first logged');
      const during = run.output();
      assert.equal(count(during.stdout, /AADSTS90033/), 1, `the outage is told once:\n${during.stdout}`);
      assert.doesNotMatch(during.stdout, /Timestamp:|Trace ID|Correlation ID/, 'no per-answer detail in what the admin reads');
      assert.ok(count(during.stdout, /^FAILED .*the same problem as reported above/) >= 3, during.stdout);
      assert.equal(count(during.stderr, /"level":50.*sync run failed/), 1, `logged once at error level:\n${during.stderr}`);

      world.set.entra.faults.configure(undefined);
      const afterResolved = () => lineAfter(run.output().stdout, /^Resolved: the problem reported at run \d+/);
      await waitFor(() => afterResolved() !== undefined, 60_000, 'the problem said gone, and the line of that turn');
      assert.match(afterResolved()!, /^OK /, run.output().stdout);
    } finally {
      run.child.kill('SIGTERM');
    }
    assert.equal((await run.done).code, 0);
  });
});
