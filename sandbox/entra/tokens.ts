/**
 * Access tokens issued by the Entra ID sandbox: compact JWTs signed with HS256 and a key shared with the
 * other sandboxes that accept them (Partner Center, Dataverse). Real Entra ID signs with RS256 and
 * publishes keys; clients never validate access tokens themselves, so a shared-key signature keeps the
 * sandboxes honest (a forged or tampered token is refused) without a PKI.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface AccessTokenClaims {
  aud: string;
  iss: string;
  tid: string;
  /** `user` for App+User (delegated) tokens, `app` for application-only tokens. */
  idtyp: 'user' | 'app';
  appid: string;
  oid: string;
  sub: string;
  upn?: string;
  name?: string;
  /** Delegated scopes, space-separated (user tokens). */
  scp?: string;
  /** Application or directory roles (Partner Center roles travel here in the sandbox). */
  roles?: string[];
  iat: number;
  nbf: number;
  exp: number;
  [claim: string]: unknown;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export class TokenSigner {
  readonly key: Buffer;
  private readonly verified = new Map<string, AccessTokenClaims>();

  constructor(key?: string | Buffer) {
    this.key = key === undefined ? randomBytes(32) : Buffer.isBuffer(key) ? key : Buffer.from(key, 'utf8');
  }

  sign(claims: AccessTokenClaims | Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
    const head = b64url(JSON.stringify(header));
    const body = b64url(JSON.stringify(claims));
    const mac = createHmac('sha256', this.key).update(`${head}.${body}`).digest();
    return `${head}.${body}.${b64url(mac)}`;
  }

  /** Verifies signature, expiry and audience. Returns the claims, or the reason the token is refused. */
  verify(token: string, audience: string, nowSeconds: number): { ok: true; claims: AccessTokenClaims } | { ok: false; reason: string } {
    const read = this.readSigned(token);
    if (!read.ok) return read;
    const claims = read.claims;
    if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return { ok: false, reason: 'The access token has expired.' };
    const audiences = [audience, audience.replace(/\/$/, '')];
    if (!audiences.includes(String(claims.aud).replace(/\/$/, ''))) {
      return { ok: false, reason: `The access token audience ${String(claims.aud)} is not ${audience}.` };
    }
    return { ok: true, claims };
  }

  /**
   * The claims of a token whose signature is this key's. A client sends the same token on every call until
   * it expires, and the signature and payload of a given string never change, so a token already read is
   * answered from memory (frozen, so no caller can change what the next one sees); expiry and audience are
   * still judged on every call by `verify`.
   */
  private readSigned(token: string): { ok: true; claims: AccessTokenClaims } | { ok: false; reason: string } {
    const known = this.verified.get(token);
    if (known) return { ok: true, claims: known };
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'The access token is malformed.' };
    const [head, body, sig] = parts as [string, string, string];
    const expected = createHmac('sha256', this.key).update(`${head}.${body}`).digest();
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'The access token signature is invalid.' };
    }
    let claims: AccessTokenClaims;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as AccessTokenClaims;
    } catch {
      return { ok: false, reason: 'The access token payload is not JSON.' };
    }
    if (typeof claims !== 'object' || claims === null) return { ok: true, claims };
    deepFreeze(claims);
    // Bounded: the oldest token read is forgotten first (it is read again, at full cost, if it comes back).
    if (this.verified.size >= MAX_REMEMBERED_TOKENS) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, claims);
    return { ok: true, claims };
  }
}

/** Tokens whose signature has been checked, kept by the signer; a sandbox sees a handful at a time. */
const MAX_REMEMBERED_TOKENS = 1_000;

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
}

/** An unsigned-but-well-formed id token (msal parses id tokens without validating their signature). */
export function idToken(claims: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}.`;
}

/** `client_info` as Entra ID returns it: base64url JSON `{uid, utid}`, which msal uses for account ids. */
export function clientInfo(uid: string, utid: string): string {
  return b64url(JSON.stringify({ uid, utid }));
}
