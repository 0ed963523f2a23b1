/**
 * A sign-in in progress — its OAuth `state`, PKCE verifier and OpenID Connect `nonce` — kept in the
 * browser that started it, not in the server: an HttpOnly, SameSite=Lax cookie of 10 minutes, sealed with
 * AES-256-GCM under a key made when the dashboard starts (a restart gives up sign-ins in progress, as it
 * signs everyone out). Anyone can start a sign-in (`GET /auth/sign-in`), so the server holds nothing per
 * start: a flood of starts costs no memory and cannot push out an admin's sign-in. The browser cannot
 * read the verifier or the nonce, nor change or forge a sealed sign-in, and the callback's `state` must be
 * the one sealed in this browser's cookie.
 *
 * Used once: the callback clears the cookie, and Entra ID redeems a code once (AADSTS54005).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { randomToken, sameSecret } from './session.js';

export const SIGN_IN_TTL_MS = 10 * 60_000;
/** Ties a sealed value to this use, so that no other sealed value of ours would open as a sign-in. */
const PURPOSE = Buffer.from('cosell dashboard sign-in v1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** What a sign-in in progress is bound to: the PKCE verifier and the nonce its ID token must carry. */
export interface SignInSecrets {
  verifier: string;
  nonce: string;
}

interface Sealed extends SignInSecrets {
  state: string;
  expiresAtMs: number;
}

export class PendingSignIns {
  private readonly key = randomBytes(32);

  constructor(private readonly nowMs: () => number = Date.now) {}

  /** A new sign-in for `verifier`: its `state`, its nonce, and the cookie value that carries them. */
  begin(verifier: string): { state: string; nonce: string; cookie: string } {
    const sealed: Sealed = { state: randomToken(), nonce: randomToken(), verifier, expiresAtMs: this.nowMs() + SIGN_IN_TTL_MS };
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(PURPOSE);
    const body = Buffer.concat([cipher.update(JSON.stringify(sealed), 'utf8'), cipher.final()]);
    return { state: sealed.state, nonce: sealed.nonce, cookie: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url') };
  }

  /**
   * The verifier and nonce sealed in `cookie`, when it is ours, unchanged, under 10 minutes old and for
   * the callback's `state`; otherwise undefined.
   */
  finish(cookie: string | undefined, state: string | undefined): SignInSecrets | undefined {
    const sealed = cookie && state ? this.unseal(cookie) : undefined;
    if (!sealed || !sameSecret(sealed.state, state) || sealed.expiresAtMs <= this.nowMs()) return undefined;
    return { verifier: sealed.verifier, nonce: sealed.nonce };
  }

  private unseal(cookie: string): Sealed | undefined {
    const raw = Buffer.from(cookie, 'base64url');
    if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES)).setAAD(PURPOSE);
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const text = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      const sealed = JSON.parse(text) as Partial<Sealed>;
      const strings = [sealed.state, sealed.verifier, sealed.nonce].every((v) => typeof v === 'string');
      return strings && typeof sealed.expiresAtMs === 'number' ? (sealed as Sealed) : undefined;
    } catch {
      // Not sealed with this process's key (another run's, or changed): no sign-in.
      return undefined;
    }
  }
}
