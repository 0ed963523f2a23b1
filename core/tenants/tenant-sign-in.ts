/**
 * A tenant's Partner Center sign-in in a multi-tenant install: the device-code flow, as a single install's
 * `cosell login partner-center`, but with the tokens kept in the tenant's row of `tenant_token_caches`,
 * encrypted under the tenant's own key (tenant-keys.ts). `cosell login partner-center --tenant X` signs in
 * once; every worker then refreshes silently from the row.
 */
import type pg from 'pg';
import { LOGIN_COMMAND, parsePartnerCenterOptions, type PartnerCenterClientOptionsInput } from '../../connectors/partner-center/config.js';
import { tokenProviderFor } from '../../connectors/partner-center/auth/login.js';
import { DeviceCodeTokenProvider, type AccessTokenProvider, type DeviceCodePrompt } from '../../connectors/partner-center/auth/token-provider.js';
import { tenantTokenKey } from './tenant-keys.js';
import { tenantTokenCachePlugin } from './tenant-token-cache.js';

function deviceCodeProvider(pool: pg.Pool, tenantId: string, masterKey: Buffer, input: PartnerCenterClientOptionsInput): DeviceCodeTokenProvider {
  const options = parsePartnerCenterOptions(input);
  return new DeviceCodeTokenProvider({
    clientId: options.clientId,
    authority: options.authority,
    authorityMetadata: options.authorityMetadata,
    scopes: options.scopes,
    cachePlugin: tenantTokenCachePlugin(pool, tenantId, tenantTokenKey(masterKey, tenantId)),
    // A tenant is signed in with --tenant, whichever machine its worker runs on.
    signIn: { loginCommand: `${LOGIN_COMMAND} --tenant ${tenantId}`, where: `for tenant ${tenantId}` },
  });
}

/** The tokens a worker uses for the tenant: its stored delegated sign-in, or the scripted grant its config names. */
export function tenantTokenProvider(pool: pg.Pool, tenantId: string, masterKey: Buffer, input: PartnerCenterClientOptionsInput, env?: NodeJS.ProcessEnv): AccessTokenProvider {
  const options = parsePartnerCenterOptions(input);
  return options.authMode === 'device-code' ? deviceCodeProvider(pool, tenantId, masterKey, input) : tokenProviderFor(options, env);
}

/** Signs the tenant in with the device-code flow; `onPrompt` shows the person where to go and the code. */
export async function loginTenant(pool: pg.Pool, tenantId: string, masterKey: Buffer, input: PartnerCenterClientOptionsInput, onPrompt: (prompt: DeviceCodePrompt) => void): Promise<{ username: string }> {
  return deviceCodeProvider(pool, tenantId, masterKey, input).login(onPrompt);
}
