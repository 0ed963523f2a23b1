/**
 * Each tenant's Partner Center token cache is encrypted with its own key, derived from one master key:
 * HKDF-SHA-256 (RFC 5869) of the master key, with a fixed salt naming this purpose and the tenant ID as
 * info. Knowing one tenant's key (a cache decrypted in a support session, a key leaked by a bug) gives
 * nothing about another's, and a ciphertext copied from one tenant's row to another's fails to decrypt.
 * The master key itself is never stored: it comes from an environment variable, as COSELL_TOKEN_KEY does
 * for a single install.
 */
import { hkdfSync } from 'node:crypto';
import { cacheKeyFromEnv, type CacheKey } from '../../connectors/partner-center/auth/encrypted-cache.js';
import { ConfigError } from '../errors.js';

export const MASTER_KEY_ENV = 'COSELL_MASTER_KEY';
/** Separates these keys from any other use of the same master key (RFC 5869 §3.1). */
const SALT = Buffer.from('cosell-connector/tenant-token-cache/v1', 'utf8');

/**
 * The master key: 32 random bytes as standard base64 or hex, exactly as a raw COSELL_TOKEN_KEY. A
 * passphrase is refused: HKDF does not stretch a guessable secret, and every tenant's cache hangs on it.
 */
export function masterKeyFromEnv(name: string = MASTER_KEY_ENV, env: NodeJS.ProcessEnv = process.env): Buffer {
  const key = cacheKeyFromEnv(name, env);
  if (key.kind !== 'raw') {
    throw new ConfigError(`env > ${name}`, 'the master key must be 32 random bytes as standard base64 (`openssl rand -base64 32`) or hex (`openssl rand -hex 32`), not a passphrase: it protects every tenant\'s sign-in');
  }
  return key.key;
}

/** The key of `tenantId`'s token cache, in the form the encrypted cache takes. */
export function tenantTokenKey(master: Buffer, tenantId: string): CacheKey {
  return { kind: 'raw', key: Buffer.from(hkdfSync('sha256', master, SALT, Buffer.from(tenantId, 'utf8'), 32)) };
}
