/**
 * Sessions and CSRF for the dashboard's actions. A session is a random 256-bit ID in an HttpOnly,
 * SameSite=Lax cookie, held in memory only (a restart signs everyone out, which is the safe default);
 * each carries its own CSRF token that every form posts back and that is compared in constant time.
 * A sign-in in progress keeps its PKCE verifier and its OpenID Connect `nonce` here too, keyed by the
 * OAuth `state`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'cosell_session';
export const SIGN_IN_COOKIE = 'cosell_sign_in';
const SIGN_IN_TTL_MS = 10 * 60_000;
/**
 * Sign-ins in progress held at most: anyone can start one (`GET /auth/sign-in`), and each is kept for
 * 10 minutes, so without a bound a flood of starts grows the process's memory until it dies. Past the
 * bound the oldest is given up (its callback says the sign-in expired). About 200 bytes each.
 */
export const MAX_PENDING_SIGN_INS = 10_000;

export interface Session {
  id: string;
  username: string;
  name: string;
  csrf: string;
  expiresAtMs: number;
  /** A one-shot message for the next page (the outcome of an action). */
  flash?: { ok: boolean; text: string };
}

/** What a sign-in in progress is bound to: the PKCE verifier and the nonce its ID token must carry. */
export interface SignInSecrets {
  verifier: string;
  nonce: string;
}

interface PendingSignIn extends SignInSecrets {
  expiresAtMs: number;
}

const token = () => randomBytes(32).toString('base64url');

export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Sessions {
  private readonly sessions = new Map<string, Session>();
  private readonly signIns = new Map<string, PendingSignIn>();

  constructor(
    private readonly lifetimeMs: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  open(username: string, name: string): Session {
    this.sweep();
    const session = { id: token(), username, name, csrf: token(), expiresAtMs: this.nowMs() + this.lifetimeMs };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string | undefined): Session | undefined {
    const session = id ? this.sessions.get(id) : undefined;
    if (!session) return undefined;
    if (session.expiresAtMs <= this.nowMs()) {
      this.sessions.delete(session.id);
      return undefined;
    }
    return session;
  }

  close(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  /** Remembers a sign-in's PKCE verifier under a new `state`, with a new nonce; returns both. */
  beginSignIn(verifier: string): { state: string; nonce: string } {
    this.sweep();
    const state = token();
    const nonce = token();
    // A Map iterates in insertion order: the first key is the oldest sign-in.
    while (this.signIns.size >= MAX_PENDING_SIGN_INS) this.signIns.delete(this.signIns.keys().next().value!);
    this.signIns.set(state, { verifier, nonce, expiresAtMs: this.nowMs() + SIGN_IN_TTL_MS });
    return { state, nonce };
  }

  /** How many sign-ins are in progress (tests, the bound above). */
  pendingSignIns(): number {
    return this.signIns.size;
  }

  /** The verifier and nonce of a sign-in in progress, once (a replayed callback finds nothing). */
  finishSignIn(state: string): SignInSecrets | undefined {
    const pending = this.signIns.get(state);
    this.signIns.delete(state);
    return pending && pending.expiresAtMs > this.nowMs() ? { verifier: pending.verifier, nonce: pending.nonce } : undefined;
  }

  /**
   * Forgets what has expired. Each map holds entries of one lifetime in insertion order, so expiry order
   * too: the sweep stops at the first live entry instead of reading them all on every sign-in.
   */
  private sweep(): void {
    const now = this.nowMs();
    for (const map of [this.sessions, this.signIns]) {
      for (const [key, entry] of map) {
        if (entry.expiresAtMs > now) break;
        map.delete(key);
      }
    }
  }
}
