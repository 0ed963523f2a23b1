/**
 * The Entra ID and Partner Center sandboxes side by side on one movable clock, with real tokens for
 * each sandbox user (the v1 password grant that Partner Center's authentication page documents) and a
 * small fetch wrapper for raw HTTP calls against the sandbox.
 */
import { SandboxClock } from '../../sandbox/common/clock.js';
import { SANDBOX_APPS, SANDBOX_USERS, startEntraSandbox, type EntraSandbox } from '../../sandbox/entra/index.js';
import { startPartnerCenterSandbox, type PartnerCenterSandbox, type PartnerCenterSandboxOptions } from '../../sandbox/partner-center/index.js';

export type SandboxUserName = keyof typeof SANDBOX_USERS;

export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface PcTestEnv {
  entra: EntraSandbox;
  pc: PartnerCenterSandbox;
  clock: SandboxClock;
  token(user: SandboxUserName): Promise<string>;
  /** An application-only token for the Partner API audience (which the sandbox must refuse). */
  appToken(): Promise<string>;
  call<T = Record<string, unknown>>(user: SandboxUserName | null, method: string, path: string, options?: { body?: unknown; headers?: Record<string, string> }): Promise<HttpResult<T>>;
  close(): Promise<void>;
}

export async function startPcTestEnv(options: Omit<PartnerCenterSandboxOptions, 'clock' | 'signer'> = {}): Promise<PcTestEnv> {
  const clock = new SandboxClock();
  const entra = await startEntraSandbox({ clock });
  let pc: PartnerCenterSandbox;
  try {
    pc = await startPartnerCenterSandbox({ clock, signer: entra.signer, webhooks: { retryBaseMs: 2, retryMaxMs: 10, timeoutMs: 2_000 }, ...options });
  } catch (error) {
    await entra.close();
    throw error;
  }
  const cache = new Map<string, { token: string; exp: number }>();

  const token = async (user: SandboxUserName): Promise<string> => {
    const cached = cache.get(user);
    if (cached && cached.exp > clock.nowMs() / 1000 + 60) return cached.token;
    const u = SANDBOX_USERS[user];
    const form = new URLSearchParams({
      resource: 'https://api.partner.microsoft.com',
      grant_type: 'password',
      scope: 'openid',
      client_id: SANDBOX_APPS.scripted.clientId,
      client_secret: SANDBOX_APPS.scripted.clientSecret,
      username: u.username,
      password: u.password,
    });
    const response = await fetch(`${entra.url}/common/oauth2/token`, { method: 'POST', body: form });
    const body = (await response.json()) as { access_token: string; expires_on: string };
    cache.set(user, { token: body.access_token, exp: Number(body.expires_on) });
    return body.access_token;
  };

  const appToken = async (): Promise<string> => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: SANDBOX_APPS.scripted.clientId,
      client_secret: SANDBOX_APPS.scripted.clientSecret,
      scope: 'https://api.partner.microsoft.com/.default',
    });
    const response = await fetch(entra.tokenEndpoint, { method: 'POST', body: form });
    return ((await response.json()) as { access_token: string }).access_token;
  };

  const call: PcTestEnv['call'] = async (user, method, path, { body, headers = {} } = {}) => {
    const auth: Record<string, string> = user ? { authorization: `Bearer ${await token(user)}` } : {};
    const response = await fetch(path.startsWith('http') ? path : `${pc.url}${path}`, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...auth, ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as never };
  };

  return {
    entra,
    pc,
    clock,
    token,
    appToken,
    call,
    close: async () => {
      await pc.close();
      await entra.close();
    },
  };
}

/** The documented error body (partner-center-api.md §1.12). */
export interface ErrorBody {
  error: { code: string; message: string; target?: string; innerError?: { code?: string; message?: string; target?: string; innerError?: unknown } };
}

/** Collects every inner error code of a documented error body. */
export function innerCodes(body: ErrorBody): string[] {
  const codes: string[] = [];
  let inner = body.error.innerError as { code?: string; innerError?: unknown } | undefined;
  while (inner) {
    if (inner.code) codes.push(inner.code);
    inner = inner.innerError as typeof inner;
  }
  return codes;
}
