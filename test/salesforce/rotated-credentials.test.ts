/**
 * Salesforce credentials rotated at their source while `cosell run` runs: a `file:` private key replaced when
 * the connected app's certificate is rotated, or a `file:` client secret a vault agent rewrites. The config
 * file does not change, so the runtime keeps its adapter and jsforce's connection. A client secret was read
 * once, when the connection was made, and jsforce sent that one at every refresh: once Salesforce refused it,
 * every turn failed until a restart. The secrets here are real `file:` references, read by the default
 * resolver, as the runtime reads them.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createSalesforceAdapter } from '../../connectors/salesforce/index.js';
import { AuthError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

const TOKEN_TTL_MS = 60_000;

function rsaPair(): { privateKeyPem: string; publicKeyPem: string } {
  const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

describe('Salesforce: credentials rotated while the connector runs', function () {
  this.timeout(60_000);
  let h: SalesforceHarness;
  let dir: string;
  let lines: string[];
  const secretFile = () => join(dir, 'secret');
  const writeSecret = (value: string) => writeFileSync(secretFile(), value, { mode: 0o600 });
  const adapterWith = (auth: { kind: 'jwt'; username: string; privateKey: string } | { kind: 'client_credentials'; clientSecret: string }) => {
    lines = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } });
    return createSalesforceAdapter({ loginUrl: h.sandbox.credentials.loginUrl, clientId: h.sandbox.credentials.clientId, auth }, { logger: createLogger({ level: 'info', destination: sink }), sleep: () => Promise.resolve() });
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cosell-rotate-'));
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await h?.close();
  });

  it('JWT bearer: a private key replaced with the certificate signs the next sign-in', async () => {
    h = await startSalesforceHarness({ sandbox: { tokenTtlMs: TOKEN_TTL_MS } });
    const ids = seedOptedIn(h.sandbox, 2);
    writeSecret(h.sandbox.credentials.privateKeyPem);
    const adapter = adapterWith({ kind: 'jwt', username: h.sandbox.credentials.username, privateKey: `file:${secretFile()}` });
    assert.equal((await adapter.getDeals(ids)).length, 2);
    // The admin uploads the new certificate to the connected app (the old one no longer signs in) and replaces the key file.
    const next = rsaPair();
    h.sandbox.credentials.publicKeyPem = next.publicKeyPem;
    writeSecret(next.privateKeyPem);
    h.sandbox.clock.advance(TOKEN_TTL_MS + 1_000);
    assert.equal((await adapter.getDeals(ids)).length, 2);
  });

  it('client credentials: a rewritten client secret is taken at the next sign-in, without a restart', async () => {
    h = await startSalesforceHarness({ auth: 'client_credentials', sandbox: { tokenTtlMs: TOKEN_TTL_MS } });
    const ids = seedOptedIn(h.sandbox, 2);
    writeSecret(h.sandbox.credentials.clientSecret);
    const adapter = adapterWith({ kind: 'client_credentials', clientSecret: `file:${secretFile()}` });
    assert.equal((await adapter.getDeals(ids)).length, 2);
    // The connected app's consumer secret is regenerated (Salesforce refuses the old one) and the file rewritten.
    h.sandbox.credentials.clientSecret = 'sandbox-rotated-consumer-secret-2027';
    writeSecret('sandbox-rotated-consumer-secret-2027');
    h.sandbox.clock.advance(TOKEN_TTL_MS + 1_000);
    assert.equal((await adapter.getDeals(ids)).length, 2);
    const log = lines.join('');
    assert.match(log, /salesforce\.secret_changed/, 'the change of secret is said once');
    assert.ok(!log.includes('sandbox-rotated-consumer-secret-2027'), 'never the secret itself');
  });

  it('a refused secret that did not change at its source is refused credentials (AuthError), turn after turn', async () => {
    h = await startSalesforceHarness({ auth: 'client_credentials', sandbox: { tokenTtlMs: TOKEN_TTL_MS } });
    const ids = seedOptedIn(h.sandbox, 1);
    writeSecret(h.sandbox.credentials.clientSecret);
    const adapter = adapterWith({ kind: 'client_credentials', clientSecret: `file:${secretFile()}` });
    await adapter.getDeals(ids);
    h.sandbox.credentials.clientSecret = 'sandbox-revoked-and-not-replaced';
    h.sandbox.clock.advance(TOKEN_TTL_MS + 1_000);
    for (let turn = 0; turn < 2; turn += 1) {
      await assert.rejects(adapter.getDeals(ids), (error: unknown) => {
        assert.ok(error instanceof AuthError, `refused credentials, not an unknown failure: ${(error as Error).message}`);
        assert.match(error.message, /invalid_client/);
        return true;
      });
    }
    // Once the source holds the secret Salesforce accepts, the next turn signs in.
    writeSecret('sandbox-revoked-and-not-replaced');
    assert.equal((await adapter.getDeals(ids)).length, 1);
  });

  it('an outage of the token endpoint at a refresh is retried, not taken for an unknown failure', async () => {
    h = await startSalesforceHarness({ sandbox: { tokenTtlMs: TOKEN_TTL_MS } });
    const ids = seedOptedIn(h.sandbox, 1);
    writeSecret(h.sandbox.credentials.privateKeyPem);
    const adapter = adapterWith({ kind: 'jwt', username: h.sandbox.credentials.username, privateKey: `file:${secretFile()}` });
    await adapter.getDeals(ids);
    h.sandbox.clock.advance(TOKEN_TTL_MS + 1_000);
    h.sandbox.faults.configure({ rate: 1, kinds: { '503': 1 }, match: '^POST /services/oauth2/token$', limit: 1 });
    assert.equal((await adapter.getDeals(ids)).length, 1);
  });
});
