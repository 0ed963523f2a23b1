/**
 * Sessions and CSRF for the dashboard's actions. A session is a random 256-bit ID in an HttpOnly,
 * SameSite=Lax cookie, held in memory only (a restart signs everyone out, which is the safe default);
 * each carries its own CSRF token that every form posts back and that is compared in constant time.
 * A sign-in in progress keeps its PKCE verifier here too, keyed by the OAuth `state`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'cosell_session';
export const SIGN_IN_COOKIE = 'cosell_sign_in';
const SIGN_IN_TTL_MS = 10 * 60_000;

export interface Session {
  id: string;
  username: string;
  name: string;
  csrf: string;
  expiresAtMs: number;
  /** A one-shot message for the next page (the outcome of an action). */
  flash?: { ok: boolean; text: string };
}

interface PendingSignIn {
  verifier: string;
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

  /** Remembers a sign-in's PKCE verifier under a new `state`; returns the state. */
  beginSignIn(verifier: string): string {
    this.sweep();
    const state = token();
    this.signIns.set(state, { verifier, expiresAtMs: this.nowMs() + SIGN_IN_TTL_MS });
    return state;
  }

  /** The verifier of a sign-in in progress, once (a replayed callback finds nothing). */
  finishSignIn(state: string): string | undefined {
    const pending = this.signIns.get(state);
    this.signIns.delete(state);
    return pending && pending.expiresAtMs > this.nowMs() ? pending.verifier : undefined;
  }

  private sweep(): void {
    const now = this.nowMs();
    for (const [id, s] of this.sessions) if (s.expiresAtMs <= now) this.sessions.delete(id);
    for (const [state, p] of this.signIns) if (p.expiresAtMs <= now) this.signIns.delete(state);
  }
}
