/**
 * The Entra ID and Partner Center sandboxes side by side, with a scripted App+User identity (the
 * Referrals Admin of our partner organisation) and a factory for clients with fast retries.
 */
import type { Logger } from '../../core/logger.js';
import { createPartnerCenterClient, PasswordGrantTokenProvider, PARTNER_CENTER_SCOPE, type PartnerCenterClient } from '../../connectors/partner-center/index.js';
import type { PartnerCenterClientOptionsInput } from '../../connectors/partner-center/config.js';
import { SANDBOX_APPS, SANDBOX_USERS, startEntraSandbox, type EntraSandbox } from '../../sandbox/entra/index.js';
import { startPartnerCenterSandbox, type PartnerCenterSandbox } from '../../sandbox/partner-center/index.js';
import { FAST_RETRY } from './partner-center-client.js';
import type { FailureStreakHolder } from '../../connectors/partner-center/http.js';

export interface PartnerCenterEnv {
  entra: EntraSandbox;
  pc: PartnerCenterSandbox;
  tokens: PasswordGrantTokenProvider;
  /** A client of the admin, with retries that wait a few milliseconds at most. */
  client(options?: Partial<PartnerCenterClientOptionsInput>, deps?: { logger?: Logger; failureStreak?: FailureStreakHolder }): PartnerCenterClient;
  close(): Promise<void>;
}

/** `seed`: `none` (default) for exact counts, or a number of bulk referrals of our partner. */
export async function startPartnerCenterEnv(options: { seed?: 'none' | 'default' | number } = {}): Promise<PartnerCenterEnv> {
  const entra = await startEntraSandbox();
  const pc = await startPartnerCenterSandbox({ signer: entra.signer, seed: options.seed ?? 'none' });
  const tokens = new PasswordGrantTokenProvider({
    clientId: SANDBOX_APPS.scripted.clientId,
    clientSecret: SANDBOX_APPS.scripted.clientSecret,
    authority: entra.authority,
    authorityMetadata: entra.authorityMetadata,
    scopes: [PARTNER_CENTER_SCOPE],
    username: SANDBOX_USERS.admin.username,
    password: SANDBOX_USERS.admin.password,
  });
  return {
    entra,
    pc,
    tokens,
    client: (options = {}, deps = {}) =>
      createPartnerCenterClient(
        { baseUrl: pc.apiBaseUrl, clientId: SANDBOX_APPS.cli.clientId, tokenCachePath: '/nonexistent/unused.json', retry: FAST_RETRY, timeoutMs: 10_000, ...options },
        { tokens, ...deps },
      ),
    close: async () => {
      await pc.close();
      await entra.close();
    },
  };
}
