/**
 * What the Entra ID sandbox remembers between requests: its settings, outstanding refresh tokens (by their
 * hash) and device codes, and the directory, signer and clock its endpoints use (server.ts, authorize.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SandboxClock } from '../common/clock.js';
import type { Directory } from './directory.js';
import type { TokenSigner } from './tokens.js';

export interface EntraSettings {
  accessTokenSeconds: number;
  refreshTokenDays: number;
  deviceCodeSeconds: number;
  /** Polling interval msal waits between device-code polls. */
  deviceCodeIntervalSeconds: number;
}

export interface RefreshGrant {
  username: string;
  clientId: string;
  expiresAtMs: number;
}

export interface DeviceGrant {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scope: string;
  expiresAtMs: number;
  approvedBy?: string;
  declined?: boolean;
}

/** Refresh tokens are held by their SHA-256 only, so neither memory dumps nor the persist file hold one. */
export const refreshTokenKey = (token: string): string => createHash('sha256').update(token).digest('base64url');

export class EntraState {
  /** Outstanding refresh tokens by `refreshTokenKey`. */
  readonly refreshTokens = new Map<string, RefreshGrant>();
  readonly deviceCodes = new Map<string, DeviceGrant>();
  /** Called after the refresh tokens change (the sandbox persists them, so sign-ins survive a restart). */
  onRefreshTokensChanged: () => void = () => {};

  constructor(
    readonly directory: Directory,
    readonly signer: TokenSigner,
    readonly clock: SandboxClock,
    readonly settings: EntraSettings,
    readonly issuerBase: string,
  ) {}

  /** Issues a new refresh token for the grant. */
  issueRefreshToken(grant: RefreshGrant): string {
    const token = randomBytes(32).toString('base64url');
    this.refreshTokens.set(refreshTokenKey(token), grant);
    this.onRefreshTokensChanged();
    return token;
  }

  refreshGrant(token: string): RefreshGrant | undefined {
    return this.refreshTokens.get(refreshTokenKey(token));
  }

  /** Ends a refresh token (used once: they rotate; or expired). */
  dropRefreshToken(token: string): void {
    if (this.refreshTokens.delete(refreshTokenKey(token))) this.onRefreshTokensChanged();
  }

  /** Revokes every refresh token of a user, as "Revoke sessions" does in Entra ID. */
  revoke(username: string): number {
    let count = 0;
    for (const [key, grant] of this.refreshTokens) {
      if (grant.username.toLowerCase() === username.toLowerCase()) {
        this.refreshTokens.delete(key);
        count += 1;
      }
    }
    if (count > 0) this.onRefreshTokensChanged();
    return count;
  }
}
