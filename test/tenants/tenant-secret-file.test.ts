/**
 * A tenant's secret file is judged by the file actually opened, not by a path looked at first: a hard link
 * in the tenant's folder to another tenant's file has a real path inside the folder and is refused by its
 * link count; the Salesforce proxy URL, a secret too, is read through the tenant's resolver.
 */
import assert from 'node:assert/strict';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { proxyUrl } from '../../connectors/salesforce/proxy-url.js';
import { ConfigError } from '../../core/errors.js';
import { resolveTenantSecret, tenantFileProblem } from '../../core/tenants/tenant-secret-scope.js';

describe("tenant secret files: judged by the file opened", () => {
  let root = '';
  let env: NodeJS.ProcessEnv = {};
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cosell-tenant-file-'));
    env = { COSELL_TENANT_SECRETS_DIR: root };
    mkdirSync(join(root, 'a'), { mode: 0o700 });
    mkdirSync(join(root, 'b'), { mode: 0o700 });
    writeFileSync(join(root, 'a', 'key'), 'sandbox-own', { mode: 0o600 });
    writeFileSync(join(root, 'b', 'key'), 'sandbox-other-tenant', { mode: 0o600 });
    writeFileSync(join(root, 'b', 'proxy'), 'http://u:sandbox-proxy-pass@proxy.example:3128', { mode: 0o600 });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("refuses a hard link to another tenant's file, without its content", async () => {
    linkSync(join(root, 'b', 'key'), join(root, 'a', 'hard'));
    await assert.rejects(
      () => resolveTenantSecret('a', `file:${join(root, 'a', 'hard')}`, 'k', env),
      (e: unknown) => e instanceof ConfigError && /other names \(hard links: 2\)/.test(e.message) && !e.message.includes('sandbox-other'),
    );
    assert.equal(await resolveTenantSecret('a', `file:${join(root, 'a', 'key')}`, 'k', env), 'sandbox-own');
  });

  it('refuses a file reached through a linked folder', async () => {
    symlinkSync(join(root, 'b'), join(root, 'a', 'sub'));
    await assert.rejects(() => resolveTenantSecret('a', `file:${join(root, 'a', 'sub', 'key')}`, 'k', env), (e: unknown) => e instanceof ConfigError && /leads out of tenant a's folder/.test(e.message));
  });

  it("reads a tenant's Salesforce proxy URL through the tenant's resolver (a link out is refused)", async () => {
    symlinkSync(join(root, 'b', 'proxy'), join(root, 'a', 'proxy'));
    const tenantResolver = (ref: string) => resolveTenantSecret('a', ref, 'tenant a > crm > salesforce > httpProxy', env);
    await assert.rejects(() => proxyUrl(`file:${join(root, 'a', 'proxy')}`, tenantResolver), (e: unknown) => e instanceof ConfigError && !e.message.includes('sandbox-proxy-pass'));
    writeFileSync(join(root, 'a', 'own-proxy'), 'http://proxy.example:3128', { mode: 0o600 });
    assert.equal(await proxyUrl(`file:${join(root, 'a', 'own-proxy')}`, tenantResolver), 'http://proxy.example:3128');
  });

  it('says a relative COSELL_TENANT_SECRETS_DIR must be absolute, rather than that it is not set', () => {
    assert.match(tenantFileProblem('a', '/x/a/key', { COSELL_TENANT_SECRETS_DIR: 'secrets' })!, /COSELL_TENANT_SECRETS_DIR is secrets, a relative path: it must be absolute/);
    assert.match(tenantFileProblem('a', '/x/a/key', {})!, /it is not set here/);
  });
});
