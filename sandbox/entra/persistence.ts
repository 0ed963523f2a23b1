/**
 * What the Entra sandbox keeps in its persist file, so that a person signed in before a restart stays
 * signed in after it (`cosell sandbox --persist DIR`): the token-signing key (access tokens issued
 * before the restart still verify at Partner Center and Dataverse) and the outstanding refresh tokens,
 * by their SHA-256 only (what msal's silent refresh presents). Written after every change to the
 * refresh tokens, because each refresh rotates them: a sandbox killed between two saves would
 * otherwise forget the token the client now holds.
 */
import { readJsonFile, writeJsonAtomic } from '../common/json-file.js';
import type { RefreshGrant } from './server.js';

export interface EntraPersisted {
  version: 1;
  /** The shared HS256 key, base64. */
  signingKey: string;
  /** `[refreshTokenKey(token), grant]` */
  refreshTokens: [string, RefreshGrant][];
}

export function loadEntraState(file: string): EntraPersisted | undefined {
  const parsed = readJsonFile(file) as EntraPersisted | undefined;
  if (parsed === undefined) return undefined;
  if (parsed?.version !== 1 || typeof parsed.signingKey !== 'string' || !Array.isArray(parsed.refreshTokens)) {
    throw new Error(`${file} is not an Entra sandbox state file (version 1); delete it to start afresh (everyone signs in again).`);
  }
  return parsed;
}

/** Saves the key and the refresh tokens still alive at `nowMs`; owner-only, as it holds the signing key. */
export function saveEntraState(file: string, signingKey: Buffer, refreshTokens: ReadonlyMap<string, RefreshGrant>, nowMs: number): void {
  const alive = [...refreshTokens].filter(([, grant]) => grant.expiresAtMs > nowMs);
  const state: EntraPersisted = { version: 1, signingKey: signingKey.toString('base64'), refreshTokens: alive };
  writeJsonAtomic(file, state, 0o600);
}
