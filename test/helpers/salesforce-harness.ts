/**
 * Test wiring for the Salesforce adapter: a fresh sandbox org, an adapter signed in with the JWT bearer
 * flow (or client credentials), setup already run, and helpers that act on the org directly as a seller
 * or an admin would.
 */
import crypto from 'node:crypto';
import { createSalesforceAdapter, type SalesforceAdapter, type SalesforceOptionsInput } from '../../connectors/salesforce/index.js';
import { F, SOLUTION_FIELDS, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import { idChecksum, startSalesforceSandbox, type SalesforceSandbox, type SalesforceSandboxOptions } from '../../sandbox/salesforce/index.js';
import type { CrmContractHarness } from '../contract/crm-adapter.contract.js';

export interface HarnessOptions {
  sandbox?: SalesforceSandboxOptions;
  adapter?: Partial<SalesforceOptionsInput>;
  auth?: 'jwt' | 'client_credentials';
  /** Run the adapter's setup before handing it over (default true). */
  setup?: boolean;
}

export interface SalesforceHarness {
  sandbox: SalesforceSandbox;
  adapter: SalesforceAdapter;
  makeAdapter(overrides?: Partial<SalesforceOptionsInput>): SalesforceAdapter;
  close(): Promise<void>;
}

const noWait = () => Promise.resolve();

/** One RSA key pair for the whole test run: generating one per sandbox costs hundreds of milliseconds. */
let sharedKeys: { privateKeyPem: string; publicKeyPem: string } | undefined;
function testKeys() {
  if (!sharedKeys) {
    const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    sharedKeys = { privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  }
  return sharedKeys;
}

export async function startSalesforceHarness(options: HarnessOptions = {}): Promise<SalesforceHarness> {
  const sandbox = await startSalesforceSandbox({ ...testKeys(), ...options.sandbox });
  const { credentials } = sandbox;
  const secrets: Record<string, string> = { 'env:SF_TEST_KEY': credentials.privateKeyPem, 'env:SF_TEST_SECRET': credentials.clientSecret };
  const makeAdapter = (overrides: Partial<SalesforceOptionsInput> = {}) =>
    createSalesforceAdapter(
      {
        loginUrl: credentials.loginUrl,
        clientId: credentials.clientId,
        auth: options.auth === 'client_credentials' ? { kind: 'client_credentials', clientSecret: 'env:SF_TEST_SECRET' } : { kind: 'jwt', username: credentials.username, privateKey: 'env:SF_TEST_KEY' },
        ...options.adapter,
        ...overrides,
      },
      { resolveSecret: async (ref) => secrets[ref] ?? '', sleep: noWait },
    );
  const adapter = makeAdapter();
  if (options.setup !== false) await adapter.setup();
  sandbox.counters.reset();
  return { sandbox, adapter, makeAdapter, close: () => sandbox.close() };
}

/** Opportunities created as sellers would, opted in, each with one solution; returns their IDs in creation order. */
export function seedOptedIn(sandbox: SalesforceSandbox, count: number, extra: { teamPerOpportunity?: number; sameStampGroup?: number } = {}): string[] {
  const before = new Set(sandbox.store.all('Opportunity').map((o) => o.Id));
  sandbox.generate({
    opportunities: count,
    accounts: Math.max(5, Math.ceil(count / 10)),
    ...extra,
    opportunityFields: () => ({ [F.optIn]: true, [F.consent]: true, [F.helpType]: 'Proof of concept / Demo', [F.shareWithMicrosoft]: true }),
    children: (oppId, i) => [{ type: SOLUTION_OBJECT, values: { [SOLUTION_PARENT_FIELD]: oppId, Name: `Solution ${i}`, [SOLUTION_FIELDS.solutionId]: `SOL-${1000 + (i % 50)}-ABCD`, [SOLUTION_FIELDS.kind]: "My company's solution", [SOLUTION_FIELDS.price]: 1000, [SOLUTION_FIELDS.quantity]: 2, [SOLUTION_FIELDS.currency]: 'USD' } }],
  });
  return sandbox.store.all('Opportunity').map((o) => o.Id).filter((id) => !before.has(id)).sort();
}

/**
 * A harness with `count` opted-in opportunities seeded ten minutes ago (`seedOptedIn`): only what a test does
 * from then on is inside the next change window's margin.
 */
export async function harnessSeededEarlier(count: number): Promise<{ h: SalesforceHarness; ids: string[] }> {
  const h = await startSalesforceHarness();
  h.sandbox.clock.advance(-10 * 60_000);
  const ids = seedOptedIn(h.sandbox, count);
  h.sandbox.clock.advance(10 * 60_000);
  return { h, ids };
}

/** A well-formed Opportunity ID that no record has. */
export function missingOpportunityId(): string {
  const id15 = '0065gzzzzzzzzzz';
  return id15 + idChecksum(id15);
}

export async function contractHarness(pageSize = 10): Promise<CrmContractHarness> {
  const h = await startSalesforceHarness({ adapter: { pageSize } });
  const { sandbox } = h;
  return {
    adapter: h.adapter,
    pageSize,
    seedDeals: async (count) => seedOptedIn(sandbox, count),
    sellerEdit: async (crmId, edit) => {
      const result = sandbox.seller.editOpportunity(crmId, {
        ...(edit.dealName !== undefined ? { Name: edit.dealName } : {}),
        ...(edit.value !== undefined ? { Amount: edit.value } : {}),
        ...(edit.notes !== undefined ? { Description: edit.notes } : {}),
      });
      if (!result.ok) throw new Error(`seller edit failed: ${JSON.stringify(result.errors)}`);
    },
    readStatus: async (crmId) => {
      const rec = sandbox.store.get('Opportunity', crmId);
      const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
      return { state: text(rec?.[F.syncState]), message: text(rec?.[F.syncMessage]) ?? '', referralId: text(rec?.[F.referralId]) };
    },
    countCustomers: async (name) => sandbox.store.all('Account').filter((a) => a.Name === name).length,
    missingCrmId: missingOpportunityId(),
    teardown: () => h.close(),
  };
}

/** An access token from the sandbox's client-credentials grant, for raw REST calls against it. */
export async function clientCredentialsToken(sandbox: SalesforceSandbox): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: sandbox.credentials.clientId, client_secret: sandbox.credentials.clientSecret });
  const res = await fetch(`${sandbox.url}/services/oauth2/token`, { method: 'POST', body: form });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A harness over the seeded sandbox, without setup, and a token for raw REST calls against it. */
export async function seededSandboxWithToken(): Promise<{ harness: SalesforceHarness; sandbox: SalesforceSandbox; token: string }> {
  const harness = await startSalesforceHarness({ setup: false });
  harness.sandbox.seed();
  return { harness, sandbox: harness.sandbox, token: await clientCredentialsToken(harness.sandbox) };
}
