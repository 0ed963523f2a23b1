/**
 * Starts the four sandboxes together on loopback — Entra ID, Partner Center, Salesforce and Dataverse —
 * sharing one movable clock and one token signer, and describes them: base URLs and the sandbox
 * credentials, plus a config ready to sync against them (what `cosell sandbox --write-config` writes).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CosellConfigInput } from '../config/schema.js';
import { SandboxClock } from './common/clock.js';
import { dynamicsOptionsFor } from './dataverse/adapter-options.js';
import { startDataverseSandbox, type DataverseSandbox } from './dataverse/index.js';
import { SANDBOX_APPS, SANDBOX_USERS, startEntraSandbox, type EntraSandbox } from './entra/index.js';
import { startPartnerCenterSandbox, type PartnerCenterSandbox } from './partner-center/index.js';
import { startSalesforceSandbox, type SalesforceSandbox } from './salesforce/index.js';

export interface SandboxSetOptions {
  /** Keep each sandbox's data in a JSON file in this folder between runs. */
  persistDir?: string;
  /** Load realistic demo data into empty sandboxes (default true). */
  seed?: boolean;
  clock?: SandboxClock;
}

export interface SandboxDescription {
  entra: { url: string; tenantId: string; tokenEndpoint: string; authority: string; deviceSignIn: string; apps: typeof SANDBOX_APPS; users: Record<string, { username: string; password: string }> };
  partnerCenter: { url: string; referrals: string; controls: string };
  salesforce: { url: string; loginUrl: string; clientId: string; clientSecret: string; username: string; audience: string; controls: string };
  dataverse: { url: string; webApi: string; environmentUrl: string; clientId: string; clientSecret: string; controls: string };
}

export interface SandboxSet {
  entra: EntraSandbox;
  partnerCenter: PartnerCenterSandbox;
  salesforce: SalesforceSandbox;
  dataverse: DataverseSandbox;
  clock: SandboxClock;
  describe(): SandboxDescription;
  /** A config that syncs the given CRM sandbox with the Partner Center sandbox; key files go in `dir`. */
  configFor(kind: 'salesforce' | 'dynamics', dir: string): CosellConfigInput;
  close(): Promise<void>;
}

export async function startSandboxSet(options: SandboxSetOptions = {}): Promise<SandboxSet> {
  const clock = options.clock ?? new SandboxClock();
  const seed = options.seed ?? true;
  const persist = (name: string) => (options.persistDir ? { persistFile: join(options.persistDir, `${name}.json`) } : {});
  if (options.persistDir) mkdirSync(options.persistDir, { recursive: true });

  const entra = await startEntraSandbox({ clock });
  const partnerCenter = await startPartnerCenterSandbox({ clock, signer: entra.signer, seed: seed ? 'default' : 'none', ...persist('partner-center') });
  const salesforce = await startSalesforceSandbox({ clock, seed, ...persist('salesforce') });
  const dataverse = await startDataverseSandbox({ clock, signer: entra.signer, seed: seed ? 'default' : 'empty', ...persist('dataverse') });

  const describe = (): SandboxDescription => ({
    entra: {
      url: entra.url,
      tenantId: entra.tenantId,
      tokenEndpoint: entra.tokenEndpoint,
      authority: entra.authority,
      deviceSignIn: `${entra.url}/_sandbox/entra/device`,
      apps: SANDBOX_APPS,
      users: Object.fromEntries(Object.entries(SANDBOX_USERS).map(([k, u]) => [k, { username: u.username, password: u.password }])),
    },
    partnerCenter: { url: partnerCenter.apiBaseUrl, referrals: `${partnerCenter.apiBaseUrl}/v1.0/engagements/referrals`, controls: `${partnerCenter.url}/_sandbox/partner-center` },
    salesforce: {
      url: salesforce.url,
      loginUrl: salesforce.credentials.loginUrl,
      clientId: salesforce.credentials.clientId,
      clientSecret: salesforce.credentials.clientSecret,
      username: salesforce.credentials.username,
      audience: salesforce.credentials.audience,
      controls: `${salesforce.url}/_sandbox`,
    },
    dataverse: {
      url: dataverse.url,
      webApi: `${dataverse.url}/api/data/v9.2/`,
      environmentUrl: dataverse.environmentUrl,
      clientId: SANDBOX_APPS.dataverse.clientId,
      clientSecret: SANDBOX_APPS.dataverse.clientSecret,
      controls: `${dataverse.url}/_sandbox`,
    },
  });

  const configFor = (kind: 'salesforce' | 'dynamics', dir: string): CosellConfigInput => {
    const folder = resolve(dir);
    mkdirSync(folder, { recursive: true });
    const partnerCenterSection = {
      baseUrl: partnerCenter.apiBaseUrl,
      authority: entra.authority,
      authorityMetadata: entra.authorityMetadata,
      clientId: SANDBOX_APPS.cli.clientId,
      tokenCachePath: join(folder, 'partner-center-token.cache'),
    };
    const shared = {
      partnerCenter: partnerCenterSection,
      sync: { defaultLocation: 'loc-us-redmond' },
      store: { path: join(folder, `cosell-${kind}.sqlite`) },
    };
    if (kind === 'salesforce') {
      const keyFile = join(folder, 'salesforce-sandbox-key.pem');
      writeFileSync(keyFile, salesforce.credentials.privateKeyPem, { mode: 0o600 });
      const { loginUrl, clientId, username, audience } = salesforce.credentials;
      return { crm: { kind, salesforce: { loginUrl, clientId, auth: { kind: 'jwt', username, privateKey: `file:${keyFile}`, audience } } }, ...shared };
    }
    const secretFile = join(folder, 'dataverse-sandbox-secret');
    writeFileSync(secretFile, SANDBOX_APPS.dataverse.clientSecret, { mode: 0o600 });
    return { crm: { kind, dynamics: dynamicsOptionsFor(dataverse, entra, `file:${secretFile}`) }, ...shared };
  };

  return {
    entra,
    partnerCenter,
    salesforce,
    dataverse,
    clock,
    describe,
    configFor,
    async close() {
      partnerCenter.persist();
      await Promise.all([dataverse.close(), salesforce.close(), partnerCenter.close()]);
      await entra.close();
    },
  };
}
