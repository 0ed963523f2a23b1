/**
 * Sessions and CSRF for the dashboard's actions. A session is a random 256-bit ID in an HttpOnly,
 * SameSite=Lax cookie, held in memory only (a restart signs everyone out, which is the safe default);
 * each carries its own CSRF token that every form posts back and that is compared in constant time.
 * A sign-in in progress is not kept here but in the browser that started it (pending-sign-in.ts).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'cosell_session';
export const SIGN_IN_COOKIE = 'cosell_sign_in';

export interface Session {
  id: string;
  username: string;
  name: string;
  csrf: string;
  expiresAtMs: number;
  /** A one-shot message for the next page (the outcome of an action). */
  flash?: { ok: boolean; text: string };
}

/** A fresh random 256-bit secret (session IDs, CSRF tokens, a sign-in's `state` and nonce). */
export const randomToken = () => randomBytes(32).toString('base64url');

export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Sessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly lifetimeMs: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  open(username: string, name: string): Session {
    this.sweep();
    const session = { id: randomToken(), username, name, csrf: randomToken(), expiresAtMs: this.nowMs() + this.lifetimeMs };
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

  /**
   * Forgets what has expired. Sessions have one lifetime and a Map keeps insertion order, so expiry order
   * too: the sweep stops at the first live session instead of reading them all on every sign-in.
   */
  private sweep(): void {
    const now = this.nowMs();
    for (const [key, entry] of this.sessions) {
      if (entry.expiresAtMs > now) break;
      this.sessions.delete(key);
    }
  }
}
