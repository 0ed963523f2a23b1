/**
 * A tenant's Partner Center sign-in errors give the tenant's own advice: a worker that finds no sign-in
 * for tenant X tells the operator to run `cosell login partner-center --tenant X`, not a single install's
 * `cosell login partner-center` "on this machine" (which signs nothing in for X).
 */
import assert from 'node:assert/strict';
import type pg from 'pg';
import { AuthError } from '../../core/errors.js';
import { tenantTokenProvider } from '../../core/tenants/tenant-sign-in.js';

/** A database with no stored sign-in: `tenant_token_caches` has no row for the tenant. */
const emptyCaches = { query: async () => ({ rows: [] }) } as unknown as pg.Pool;
const partnerCenter = { clientId: '0f6c2d4e-1111-4a2b-9c3d-5e6f7a8b9c0d', authority: 'https://login.microsoftonline.com/organizations' };

describe('tenant Partner Center sign-in advice', () => {
  it('a tenant nobody signed in for is named, with the --tenant login command', async () => {
    const tokens = tenantTokenProvider(emptyCaches, 'badsf', Buffer.alloc(32, 7), partnerCenter);
    await assert.rejects(tokens.getAccessToken(), (error: Error) => {
      assert.ok(error instanceof AuthError, String(error));
      assert.match(error.message, /Nobody has signed in to Partner Center for tenant badsf yet/);
      assert.match(error.message, /Run `cosell login partner-center --tenant badsf`/);
      assert.doesNotMatch(error.message, /on this machine/);
      return true;
    });
  });

  it('each tenant gets its own command', async () => {
    const tokens = tenantTokenProvider(emptyCaches, 'contoso', Buffer.alloc(32, 7), partnerCenter);
    await assert.rejects(tokens.getAccessToken(), /Run `cosell login partner-center --tenant contoso`/);
  });
});
