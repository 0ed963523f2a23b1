/**
 * The msal token cache, persisted to one file encrypted with AES-256-GCM. The cache holds the refresh
 * token that keeps a timer job signed in for months, so it is never on disk in clear, and the key is
 * never written anywhere: it comes from an environment variable, either 32 random bytes (standard base64 or
 * hex) or a passphrase of 16+ characters stretched with scrypt (a random salt, stored beside the ciphertext).
 * The folder is 0700 and the file 0600.
 *
 * msal-node calls `beforeCacheAccess` before it reads the cache and `afterCacheAccess` after it may have
 * changed it (`ICachePlugin`, https://learn.microsoft.com/en-us/entra/msal/javascript/node/caching).
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { AuthError, ConfigError, registerSecret } from '../../../core/errors.js';
import { securePrivateFile, securePrivateFolder } from '../../../core/store/file-permissions.js';
import { LOGIN_COMMAND } from '../config.js';

const FORMAT = 'cosell-token-cache';
const VERSION = 1;
/** Binds the ciphertext to this format: a blob cut from another file or version fails authentication. */
const AAD = Buffer.from(`${FORMAT}/v${VERSION}`, 'utf8');
/**
 * scrypt cost for passphrases: N = 2^17 (128 MiB, a few hundred ms), above the 2^14 interactive
 * minimum, since a stolen cache file can be attacked offline. Files written with an older cost record
 * it (`n`), and files without it were written with 2^14; the next write uses the current cost.
 */
const SCRYPT = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 } as const;
const LEGACY_SCRYPT_N = 2 ** 14;
export const MIN_PASSPHRASE_LENGTH = 16;

/** Where the key comes from: raw bytes, or a passphrase that each file's salt turns into a key. */
export type CacheKey = { kind: 'raw'; key: Buffer } | { kind: 'passphrase'; passphrase: string };

interface EncryptedFile {
  format: typeof FORMAT;
  version: typeof VERSION;
  kdf: 'raw' | 'scrypt';
  salt?: string;
  /** scrypt cost N (absent: the legacy 2^14). */
  n?: number;
  iv: string;
  tag: string;
  data: string;
}

const KEY_HELP = 'set it to 32 random bytes as standard base64 (`openssl rand -base64 32`) or hex (`openssl rand -hex 32`), or to a passphrase of at least 16 characters';

/**
 * Reads the key from `env[name]`. Exactly two encodings are keys: standard base64 of 32 bytes (44
 * characters ending in one `=`) and hex of 32 bytes (64 hex digits). A value that looks like an attempt
 * at a key but is neither (base64url, unpadded, the wrong length) is refused rather than silently used
 * as a passphrase. Anything else of at least 16 characters is a passphrase.
 */
export function cacheKeyFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): CacheKey {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`env > ${name}`, `the environment variable ${name} is not set (it holds the key that encrypts the Partner Center token cache): ${KEY_HELP}`);
  registerSecret(value);
  if (/^[A-Za-z0-9+/]{43}=$/.test(value)) return { kind: 'raw', key: Buffer.from(value, 'base64') };
  if (/^[0-9a-fA-F]{64}$/.test(value)) return { kind: 'raw', key: Buffer.from(value, 'hex') };
  if (looksLikeEncodedKey(value)) {
    throw new ConfigError(`env > ${name}`, `looks like an encoded key but is not standard base64 or hex of exactly 32 bytes; ${KEY_HELP}`);
  }
  if (value.length < MIN_PASSPHRASE_LENGTH) throw new ConfigError(`env > ${name}`, `the passphrase is too short (${MIN_PASSPHRASE_LENGTH} characters at least); ${KEY_HELP}`);
  return { kind: 'passphrase', passphrase: value };
}

/** One unbroken run of base64/base64url/hex characters near a key's encoded length: an encoding mistake, not a passphrase. */
function looksLikeEncodedKey(value: string): boolean {
  return /^[A-Za-z0-9+/_-]+=*$/.test(value) && value.length >= 40 && value.length <= 90;
}

/** Derived keys by salt and cost, so that reading and rewriting one file derive once per process. */
const derived = new Map<string, Buffer>();

function deriveKey(source: CacheKey, salt: Buffer | undefined, n: number = SCRYPT.N): Buffer {
  if (source.kind === 'raw') return source.key;
  if (!salt) throw new Error('a passphrase-encrypted cache needs a salt');
  const memo = `${n}:${salt.toString('base64')}:${source.passphrase}`;
  let key = derived.get(memo);
  if (!key) {
    key = scryptSync(source.passphrase, salt, 32, { ...SCRYPT, N: n });
    derived.set(memo, key);
  }
  return key;
}

/** The salt of the last passphrase file written or read: the IV is fresh per write, so reusing it is safe and spares a derivation. */
let lastSalt: Buffer | undefined;

/** Encrypts the serialized cache. Pure apart from the random IV and salt. */
export function encryptCache(plaintext: string, source: CacheKey): string {
  const salt = source.kind === 'passphrase' ? (lastSalt ??= randomBytes(16)) : undefined;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(source, salt), iv);
  cipher.setAAD(AAD);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const file: EncryptedFile = {
    format: FORMAT,
    version: VERSION,
    kdf: source.kind === 'raw' ? 'raw' : 'scrypt',
    ...(salt ? { salt: salt.toString('base64'), n: SCRYPT.N } : {}),
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
    const salt = file.salt ? Buffer.from(file.salt, 'base64') : undefined;
    const key = deriveKey(source, salt, file.n ?? LEGACY_SCRYPT_N);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(file.iv, 'base64'));
    decipher.setAAD(AAD);
    decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(file.data, 'base64')), decipher.final()]).toString('utf8');
    if (salt && file.n === SCRYPT.N) lastSalt = salt;
    return plaintext;
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
      // Created owner-only; a folder or file found looser (copied, unpacked, chmod-ed) is tightened with a warning.
      if (existsSync(dirname(path))) securePrivateFolder(dirname(path));
      securePrivateFile(path);
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
