/**
 * The msal token cache, persisted to one file encrypted with AES-256-GCM. The cache holds the refresh
 * token that keeps a timer job signed in for months, so it is never on disk in clear, and the key is
 * never written anywhere: it comes from an environment variable, either 32 random bytes in base64 or a
 * passphrase stretched with scrypt (a fresh salt per write, stored beside the ciphertext).
 *
 * msal-node calls `beforeCacheAccess` before it reads the cache and `afterCacheAccess` after it may have
 * changed it (`ICachePlugin`, https://learn.microsoft.com/en-us/entra/msal/javascript/node/caching).
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { AuthError, ConfigError } from '../../../core/errors.js';
import { LOGIN_COMMAND } from '../config.js';

const FORMAT = 'cosell-token-cache';
const VERSION = 1;
/** Binds the ciphertext to this format: a blob cut from another file or version fails authentication. */
const AAD = Buffer.from(`${FORMAT}/v${VERSION}`, 'utf8');
const SCRYPT = { N: 16_384, r: 8, p: 1 } as const;

/** Where the key comes from: raw bytes, or a passphrase that each file's salt turns into a key. */
export type CacheKey = { kind: 'raw'; key: Buffer } | { kind: 'passphrase'; passphrase: string };

interface EncryptedFile {
  format: typeof FORMAT;
  version: typeof VERSION;
  kdf: 'raw' | 'scrypt';
  salt?: string;
  iv: string;
  tag: string;
  data: string;
}

/**
 * Reads the key from `env[name]`. A value that is base64 for exactly 32 bytes is used as the key;
 * anything else (at least 12 characters) is a passphrase.
 */
export function cacheKeyFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): CacheKey {
  const value = env[name]?.trim();
  if (!value) {
    throw new ConfigError(`env > ${name}`, `set ${name} to 32 random bytes in base64 (e.g. \`openssl rand -base64 32\`) or a passphrase; it encrypts the Partner Center token cache`);
  }
  if (/^[A-Za-z0-9+/]{43}=$/.test(value)) {
    const key = Buffer.from(value, 'base64');
    if (key.length === 32) return { kind: 'raw', key };
  }
  if (value.length < 12) throw new ConfigError(`env > ${name}`, 'the passphrase is too short (12 characters at least)');
  return { kind: 'passphrase', passphrase: value };
}

function deriveKey(source: CacheKey, salt: Buffer | undefined): Buffer {
  if (source.kind === 'raw') return source.key;
  if (!salt) throw new Error('a passphrase-encrypted cache needs a salt');
  return scryptSync(source.passphrase, salt, 32, SCRYPT);
}

/** Encrypts the serialized cache. Pure apart from the random IV and salt. */
export function encryptCache(plaintext: string, source: CacheKey): string {
  const salt = source.kind === 'passphrase' ? randomBytes(16) : undefined;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(source, salt), iv);
  cipher.setAAD(AAD);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const file: EncryptedFile = {
    format: FORMAT,
    version: VERSION,
    kdf: source.kind === 'raw' ? 'raw' : 'scrypt',
    ...(salt ? { salt: salt.toString('base64') } : {}),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
  return `${JSON.stringify(file)}\n`;
}

/** Decrypts a cache file; a wrong key or a tampered file is an AuthError that says how to recover. */
export function decryptCache(text: string, source: CacheKey, path: string): string {
  let file: EncryptedFile;
  try {
    file = JSON.parse(text) as EncryptedFile;
  } catch {
    throw unreadable(path, 'it is not an encrypted cosell token cache');
  }
  if (file.format !== FORMAT || file.version !== VERSION) throw unreadable(path, 'it is not an encrypted cosell token cache');
  if ((file.kdf === 'scrypt') !== (source.kind === 'passphrase')) {
    throw unreadable(path, `it was encrypted with a ${file.kdf === 'scrypt' ? 'passphrase' : 'raw key'}, but the key variable holds a ${source.kind === 'raw' ? 'raw key' : 'passphrase'}`);
  }
  try {
    const key = deriveKey(source, file.salt ? Buffer.from(file.salt, 'base64') : undefined);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(file.iv, 'base64'));
    decipher.setAAD(AAD);
    decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(file.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw unreadable(path, 'the key does not match (or the file was altered)');
  }
}

function unreadable(path: string, why: string): AuthError {
  return new AuthError(`The Partner Center token cache ${path} cannot be read: ${why}`, `Run \`${LOGIN_COMMAND}\` with the key you mean to keep`);
}

/** Writes through a temporary file and a rename, so a crash never leaves half a cache; owner-only. */
async function writeAtomically(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode: 0o600 });
  await rename(temporary, path);
}

/** An msal `ICachePlugin` that keeps the cache in `path`, encrypted with `key`. */
export function encryptedFileCachePlugin(path: string, key: CacheKey): ICachePlugin {
  // Read on every access: another process (a second run, `cosell login`) may have rotated the tokens.
  // The token provider memoizes access tokens, so this is not on the path of every API request.
  return {
    async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      context.tokenCache.deserialize(decryptCache(text, key, path));
    },
    async afterCacheAccess(context: TokenCacheContext): Promise<void> {
      if (!context.cacheHasChanged) return;
      await writeAtomically(path, encryptCache(context.tokenCache.serialize(), key));
    },
  };
}
