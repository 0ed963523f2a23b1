/**
 * Test harness for the Dynamics 365 adapter: the Entra ID and Dataverse sandboxes on loopback, the real
 * msal-node and axios, and the seller's side of the CRM through the sandbox controls.
 */
import { dynamicsOptionsFor } from '../../sandbox/dataverse/adapter-options.js';
import { createDynamicsAdapter, type DynamicsAdapterDeps } from '../../connectors/dynamics/index.js';
import type { CrmAdapter, CrmChangePage } from '../../core/engine/crm-port.js';
import { SandboxClock } from '../../sandbox/common/clock.js';
import { generateBulk, SELLER_USER_ID } from '../../sandbox/dataverse/seed.js';
import { startDataverseSandbox, type ChangeTrackingReading, type DataverseSandbox, type DataverseSandboxOptions } from '../../sandbox/dataverse/index.js';
import { SANDBOX_APPS, startEntraSandbox, type EntraSandbox } from '../../sandbox/entra/index.js';

export interface DynamicsHarness {
  entra: EntraSandbox;
  dataverse: DataverseSandbox;
  /** Adapter options, for tests that build a second adapter. */
  options: Record<string, unknown>;
  adapter: CrmAdapter;
  makeAdapter(overrides?: Record<string, unknown>, deps?: DynamicsAdapterDeps): CrmAdapter;
  control<T = unknown>(path: string, body?: unknown, method?: string): Promise<T>;
  close(): Promise<void>;
}

export const noSleep = async (): Promise<void> => undefined;

export async function startDynamicsHarness(
  opts: { seed?: DataverseSandboxOptions['seed']; pageSize?: number; adapter?: Record<string, unknown>; deps?: DynamicsAdapterDeps; clock?: SandboxClock } = {},
): Promise<DynamicsHarness> {
  // One clock for both, as Entra ID and Dataverse share real time: Dataverse checks a token's expiry by it.
  const clock = opts.clock ?? new SandboxClock();
  const entra = await startEntraSandbox({ clock });
  const dataverse = await startDataverseSandbox({ signer: entra.signer, seed: opts.seed ?? 'empty', clock });
  const options: Record<string, unknown> = {
    ...dynamicsOptionsFor(dataverse, entra, 'env:COSELL_TEST_DATAVERSE_SECRET'),
    pageSize: opts.pageSize ?? 50,
    ...opts.adapter,
  };
  const resolveSecret = async () => SANDBOX_APPS.dataverse.clientSecret;
  const makeAdapter = (overrides: Record<string, unknown> = {}, deps: DynamicsAdapterDeps = {}) =>
    createDynamicsAdapter({ ...options, ...overrides }, { resolveSecret, ...opts.deps, ...deps });
  return {
    entra,
    dataverse,
    options,
    adapter: makeAdapter(),
    makeAdapter,
    async control<T>(path: string, body?: unknown, method = 'POST'): Promise<T> {
      const response = await fetch(`${dataverse.url}/_sandbox/dataverse/${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const json = (await response.json()) as T;
      if (!response.ok) throw new Error(`sandbox control ${path} answered ${response.status}: ${JSON.stringify(json)}`);
      return json;
    },
    async close() {
      await dataverse.close();
      await entra.close();
    },
  };
}

export async function collect(iterable: AsyncIterable<CrmChangePage>): Promise<CrmChangePage[]> {
  const pages: CrmChangePage[] = [];
  for await (const page of iterable) pages.push(page);
  return pages;
}

/** Creates opportunities directly in the sandbox store, as a bulk import would. */
export function seedOpportunities(h: DynamicsHarness, count: number, options: { teamPerDeal?: number; solutionsPerDeal?: number } = {}): string[] {
  return generateBulk(h.dataverse.store, { opportunities: count, ...options });
}

/** The readings of change tracking while a listing is paged that the sandbox offers (its README): a client must survive each. */
export const CHANGE_TRACKING_READINGS: ChangeTrackingReading[] = [
  { pages: 'dynamic', token: 'first-page' },
  { pages: 'dynamic', token: 'last-page' },
  { pages: 'snapshot', token: 'first-page' },
];

/**
 * A seller's save of an opportunity right after the first `$batch` operation on `opportunities` that `when`
 * picks (between two reads of one call): answers whether it has happened.
 */
export function saveAsSellerAfterBatchRead(h: DynamicsHarness, when: (query: URLSearchParams) => boolean, id: string, changes: Record<string, unknown>): () => boolean {
  let saved = false;
  const store = h.dataverse.store;
  store.afterBatchOperation = (_method, path, query) => {
    if (saved || path !== 'opportunities' || !when(query)) return;
    saved = true;
    store.caller = SELLER_USER_ID;
    store.update('opportunity', id, changes);
    store.caller = undefined;
  };
  return () => saved;
}
