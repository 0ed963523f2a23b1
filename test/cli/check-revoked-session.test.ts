/**
 * `cosell check` proves the stored Partner Center session still works, not only that a cached access
 * token does. An admin who revoked the sessions of the user the connector signed in as (Entra ID's "Revoke
 * sessions", or a refresh token past its lifetime) was told "ok" for up to an hour, while the access token
 * cached before it lasted; the unattended runs failed after. The real binary against the sandboxes.
 */
import assert from 'node:assert/strict';
import { EXIT } from '../../core/cli/exit-codes.js';
import { SANDBOX_USERS } from '../../sandbox/entra/seed.js';
import { startCliWorld, type CliWorld } from '../helpers/cli.js';

const signInLine = (stdout: string) => stdout.split('\n').find((line) => line.includes('Partner Center sign-in')) ?? '';

describe('cosell check: a revoked Partner Center session (the real binary)', function () {
  this.timeout(120_000);
  let world: CliWorld;
  before(async () => {
    world = await startCliWorld('salesforce');
  });
  after(async () => world?.close());

  it('fails the sign-in line at once, with what to run, though a cached access token still answers', async () => {
    const before = await world.cli(['check']);
    assert.equal(before.code, EXIT.ok, before.stdout + before.stderr);
    assert.match(signInLine(before.stdout), /^ok\s/);

    const revoked = await fetch(`${world.set.entra.url}/_sandbox/entra/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: SANDBOX_USERS.admin.username }) });
    assert.equal(revoked.status, 200);
    const after = await world.cli(['check']);
    assert.equal(after.code, EXIT.notReady, after.stdout + after.stderr);
    assert.match(signInLine(after.stdout), /^FAIL\s+Partner Center sign-in\s+.*cosell login partner-center/);
  });
});
