/**
 * A tenant's msal token cache kept in PostgreSQL (`tenant_token_caches`), encrypted with the tenant's own
 * key (tenant-keys.ts) in the same AES-256-GCM format as a single install's cache file
 * (connectors/partner-center/auth/encrypted-cache.ts). Any worker can then refresh any tenant's tokens,
 * and the database holds only ciphertext.
 */
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type pg from 'pg';
import { decryptCache, encryptCache, type CacheKey } from '../../connectors/partner-center/auth/encrypted-cache.js';

/** What a decryption error names instead of a file path. */
function cacheName(tenantId: string): string {
  return `of tenant ${tenantId} (in the database)`;
}

export async function readTenantTokenCache(pool: pg.Pool, tenantId: string, key: CacheKey): Promise<string | undefined> {
  const { rows } = await pool.query<{ ciphertext: string }>('SELECT ciphertext FROM tenant_token_caches WHERE tenant_id = $1', [tenantId]);
  const row = rows[0];
  return row && decryptCache(row.ciphertext, key, cacheName(tenantId));
}

export async function writeTenantTokenCache(pool: pg.Pool, tenantId: string, key: CacheKey, plaintext: string, now: Date = new Date()): Promise<void> {
  await pool.query(
    `INSERT INTO tenant_token_caches (tenant_id, ciphertext, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id) DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
    [tenantId, encryptCache(plaintext, key), now.toISOString()],
  );
}

/** An msal `ICachePlugin` over the tenant's row; read on every access, since another worker may have refreshed. */
export function tenantTokenCachePlugin(pool: pg.Pool, tenantId: string, key: CacheKey): ICachePlugin {
  return {
    async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
      const plaintext = await readTenantTokenCache(pool, tenantId, key);
      if (plaintext !== undefined) context.tokenCache.deserialize(plaintext);
    },
    async afterCacheAccess(context: TokenCacheContext): Promise<void> {
      if (!context.cacheHasChanged) return;
      await writeTenantTokenCache(pool, tenantId, key, context.tokenCache.serialize());
    },
  };
}
