/**
 * Starts the four sandboxes together on loopback — Entra ID, Partner Center, Salesforce and Dataverse —
 * sharing one movable clock and one token signer, and describes them: base URLs and the sandbox
 * credentials, plus a config ready to sync against them (what `cosell sandbox --write-config` writes).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CosellConfigInput } from '../config/schema.js';
import { DEFAULT_SERVE_PORT } from '../config/serve.js';
import { SandboxClock } from './common/clock.js';
import { dynamicsOptionsFor } from './dataverse/adapter-options.js';
import { startDataverseSandbox, type DataverseSandbox } from './dataverse/index.js';
import { SANDBOX_APPS, SANDBOX_USERS, startEntraSandbox, type EntraSandbox } from './entra/index.js';
import { startPartnerCenterSandbox, type PartnerCenterSandbox } from './partner-center/index.js';
import { SANDBOX_DEALS_MAILBOX, SANDBOX_NOTIFY_MAILBOX, SANDBOX_SELLER_DOMAINS, startGraphSandbox, type GraphSandbox } from './graph/index.js';
import { startSalesforceSandbox, type SalesforceSandbox } from './salesforce/index.js';
import { loadSetState, saveSetState, startOnRememberedPort, type PortMove, type SandboxName, type SandboxSetState } from './set-state.js';

export interface SandboxSetOptions {
  /**
   * Keep each sandbox's data in a JSON file in this folder between runs, with the ports, the Entra
   * sign-ins and the Salesforce app credentials, so that a restarted set answers a config written before.
   */
  persistDir?: string;
  /** Load realistic demo data into empty sandboxes (default true). */
  seed?: boolean;
  clock?: SandboxClock;
  /**
   * Location scopes of Partner Center's Referrals Users, by user name: read at every request, so a test
   * that changes this object changes what the user sees at once (an admin narrowing a user's scope).
   */
  userLocations?: Record<string, string[]>;
}

export interface SandboxDescription {
  entra: { url: string; tenantId: string; tokenEndpoint: string; authority: string; deviceSignIn: string; apps: typeof SANDBOX_APPS; users: Record<string, { username: string; password: string }> };
  partnerCenter: { url: string; referrals: string; controls: string };
  salesforce: { url: string; loginUrl: string; clientId: string; clientSecret: string; username: string; audience: string; controls: string };
  dataverse: { url: string; webApi: string; environmentUrl: string; clientId: string; clientSecret: string; controls: string };
  graph: { url: string; controls: string };
}

export interface SandboxSet {
  entra: EntraSandbox;
  partnerCenter: PartnerCenterSandbox;
  salesforce: SalesforceSandbox;
  dataverse: DataverseSandbox;
  graph: GraphSandbox;
  clock: SandboxClock;
  describe(): SandboxDescription;
  /** A config that syncs the given CRM sandbox with the Partner Center sandbox; key files go in `dir`. */
  /** The config to sync with this set; `dashboardAndNotifications` adds those two sections (the file --write-config writes). */
  configFor(kind: 'salesforce' | 'dynamics', dir: string, options?: { dashboardAndNotifications?: boolean }): CosellConfigInput;
  /** The settings of a config for `kind` that hold a sandbox URL (what `--write-config` updates in place). */
  urlSettings(kind: 'salesforce' | 'dynamics'): UrlSetting[];
  /** Sandboxes that could not have their remembered port back (persisted sets only). */
  portMoves: PortMove[];
  close(): Promise<void>;
}

/** One config setting and the value that points it at this sandbox set. */
export interface UrlSetting {
  path: string[];
  value: string;
}

/** Where a config holds the sandboxes' URLs (and so the ports). */
const SHARED_URL_PATHS = [
  ['partnerCenter', 'baseUrl'], ['partnerCenter', 'authorityMetadata'], ['serve', 'webhooks', 'registrationUrl'], ['serve', 'webhooks', 'certificateHosts', '0'],
  ['dashboard', 'signIn', 'authorityMetadata'], ['notifications', 'graph', 'authorityMetadata'], ['notifications', 'graph', 'baseUrl'],
];
const SANDBOX_URL_PATHS: Record<'salesforce' | 'dynamics', string[][]> = {
  salesforce: [...SHARED_URL_PATHS, ['crm', 'salesforce', 'loginUrl'], ['crm', 'salesforce', 'auth', 'audience']],
  dynamics: [...SHARED_URL_PATHS, ['crm', 'dynamics', 'apiUrl'], ['crm', 'dynamics', 'authorityMetadata']],
};

export async function startSandboxSet(options: SandboxSetOptions = {}): Promise<SandboxSet> {
  const clock = options.clock ?? new SandboxClock();
  const seed = options.seed ?? true;
  const dir = options.persistDir;
  const persist = (name: string) => (dir ? { persistFile: join(dir, `${name}.json`) } : {});
  // The sandboxes' saved state holds their sign-in secrets and keys: the owner's alone, as the state folder is.
  if (dir) mkdirSync(dir, { recursive: true, mode: 0o700 });
  // With a persist folder, each sandbox comes back on the port it had (a config written before keeps
  // working) and with the credentials it had (the Entra sign-ins, the Salesforce connected app).
  const remembered: SandboxSetState = dir ? loadSetState(dir) : { version: 1, ports: {} };
  // The clock goes on from where it was moved to, as the real services' clocks never go back.
  if (dir && !options.clock && remembered.clockOffsetMs) clock.advance(remembered.clockOffsetMs);
  const moves: PortMove[] = [];
  const onPort = <T>(name: SandboxName, start: (port: number) => Promise<T>, portOf: (started: T) => number) =>
    startOnRememberedPort(name, remembered.ports[name], start, moves, portOf);
  const portOfUrl = (started: { url: string }) => Number(new URL(started.url).port);

  const entra = await onPort('entra', (port) => startEntraSandbox({ clock, port, ...persist('entra') }), portOfUrl);
  const { signer } = entra;
  const partnerCenter = await onPort('partnerCenter', (port) => startPartnerCenterSandbox({ clock, port, signer, seed: seed ? 'default' : 'none', ...(options.userLocations ? { userLocations: options.userLocations } : {}), ...persist('partner-center') }), portOfUrl);
  const salesforce = await onPort('salesforce', (port) => startSalesforceSandbox({ clock, port, seed, ...remembered.salesforce, ...persist('salesforce') }), portOfUrl);
  const dataverse = await onPort('dataverse', (port) => startDataverseSandbox({ clock, port, signer, seed: seed ? 'default' : 'empty', ...persist('dataverse') }), portOfUrl);
  const graph = await onPort('graph', (port) => startGraphSandbox({ clock, port, signer }), portOfUrl);
  if (dir) {
    const { clientId, clientSecret, privateKeyPem, publicKeyPem } = salesforce.credentials;
    const ports = { entra: portOfUrl(entra), partnerCenter: portOfUrl(partnerCenter), salesforce: portOfUrl(salesforce), dataverse: portOfUrl(dataverse), graph: portOfUrl(graph) };
    const save = () => saveSetState(dir, { version: 1, ports, salesforce: { clientId, clientSecret, privateKeyPem, publicKeyPem }, clockOffsetMs: clock.offset });
    save();
    clock.onMove = save;
  }

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
    graph: { url: graph.url, controls: graph.controls },
  });

  // The dashboard's sign-in and notifications, so that an admin can try both against the Entra and Graph
  // sandboxes: the sandbox's dashboard app (also allowed Mail.Send), its secret in a file. Only in the
  // file `--write-config` writes: test worlds and the benchmark sync without telling anyone.
  const peopleSections = (folder: string) => {
    const entraApp = { authority: entra.authority, authorityMetadata: entra.authorityMetadata, clientId: SANDBOX_APPS.dashboard.clientId, clientSecret: `file:${join(folder, 'dashboard-sandbox-secret')}` };
    return {
      // Loopback redirect URIs match on any port, so `serve --port N` signs in as well as the default.
      dashboard: { signIn: { ...entraApp, redirectUri: `http://127.0.0.1:${DEFAULT_SERVE_PORT}/auth/callback`, adminUsers: [SANDBOX_USERS.admin.username] } },
      // A new inbound referral's team is Microsoft's people only: its notice goes to the shared mailbox.
      notifications: { graph: { ...entraApp, baseUrl: graph.url }, from: SANDBOX_NOTIFY_MAILBOX, sellerDomains: SANDBOX_SELLER_DOMAINS, mailbox: SANDBOX_DEALS_MAILBOX, admins: [SANDBOX_USERS.admin.username] },
    };
  };

  const build = (kind: 'salesforce' | 'dynamics', folder: string, secretRef: string, people: boolean): CosellConfigInput => {
    const shared = {
      partnerCenter: {
        baseUrl: partnerCenter.apiBaseUrl,
        authority: entra.authority,
        authorityMetadata: entra.authorityMetadata,
        clientId: SANDBOX_APPS.cli.clientId,
        tokenCachePath: join(folder, 'partner-center-token.cache'),
      },
      sync: { defaultLocation: 'loc-us-redmond' },
      store: { path: join(folder, `cosell-${kind}.sqlite`) },
      // `cosell serve`: the sandbox's registration API, and its self-signed certificate on its own host
      // (an origin, so that --write-config moves it with the port like the other sandbox URLs).
      serve: { webhooks: { registrationUrl: `${partnerCenter.url}/webhooks/v1/registration`, certificateHosts: [partnerCenter.url], trustSelfSigned: true } },
      ...(people ? peopleSections(folder) : {}),
    };
    if (kind === 'salesforce') {
      const { loginUrl, clientId, username, audience } = salesforce.credentials;
      return { crm: { kind, salesforce: { loginUrl, clientId, auth: { kind: 'jwt', username, privateKey: secretRef, audience } } }, ...shared };
    }
    return { crm: { kind, dynamics: dynamicsOptionsFor(dataverse, entra, secretRef) }, ...shared };
  };

  const configFor = (kind: 'salesforce' | 'dynamics', dir: string, options: { dashboardAndNotifications?: boolean } = {}): CosellConfigInput => {
    const folder = resolve(dir);
    // The connector's state folder (it holds the secret files below): made 0700 here, as the connector
    // makes it. Made 0755, the admin's first command after `cosell sandbox --write-config` warned that it
    // "was readable by other users" and tightened it.
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const secretFile = join(folder, kind === 'salesforce' ? 'salesforce-sandbox-key.pem' : 'dataverse-sandbox-secret');
    writeFileSync(secretFile, kind === 'salesforce' ? salesforce.credentials.privateKeyPem : SANDBOX_APPS.dataverse.clientSecret, { mode: 0o600 });
    const people = options.dashboardAndNotifications === true;
    if (people) writeFileSync(join(folder, 'dashboard-sandbox-secret'), SANDBOX_APPS.dashboard.clientSecret, { mode: 0o600 });
    return build(kind, folder, `file:${secretFile}`, people);
  };

  const urlSettings = (kind: 'salesforce' | 'dynamics'): UrlSetting[] => {
    const config = build(kind, '.', '', true) as unknown as Record<string, unknown>;
    return SANDBOX_URL_PATHS[kind].map((path) => ({ path, value: String(path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], config)) }));
  };

  return {
    entra,
    partnerCenter,
    salesforce,
    dataverse,
    graph,
    clock,
    portMoves: moves,
    describe,
    configFor,
    urlSettings,
    async close() {
      partnerCenter.persist();
      await Promise.all([dataverse.close(), salesforce.close(), partnerCenter.close(), graph.close()]);
      await entra.close();
    },
  };
}
