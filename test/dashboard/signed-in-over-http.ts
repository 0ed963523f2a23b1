/**
 * The dashboard plugin on a loopback port with sign-in through the Entra sandbox, and an admin signed in
 * the way a browser does it (the sign-in page, the redirect back, the cookies), for tests that attack a
 * signed-in session: no world, a memory store.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { dashboardSchema } from '../../core/dashboard/config.js';
import { dashboardPlugin } from '../../core/dashboard/plugin.js';
import { silentLogger } from '../../core/logger.js';
import { openMemoryStore, type StateStore } from '../../core/store/index.js';
import { startEntraSandbox, SANDBOX_APPS, SANDBOX_USERS, type EntraSandbox } from '../../sandbox/entra/index.js';
import { freePort } from '../helpers/free-port.js';

export interface SignedInDashboard {
  url: string;
  store: StateStore;
  app: FastifyInstance;
  /** The admin's cookies (`name=value; …`) and the session's CSRF token, as the page carries it. */
  admin: { cookie: string; csrf: string };
  close(): Promise<void>;
}

export const cookiesOf = (response: Response) => response.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');

/** Signs the sandbox admin in at Entra's (sandbox) page for `authorize` and returns where it sends the browser back. */
export async function codeFrom(authorize: string): Promise<string> {
  const page = await (await fetch(authorize)).text();
  const requestId = /name="request_id" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const { username, password } = SANDBOX_USERS.admin;
  const back = await fetch(authorize, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ request_id: requestId, username, password }) });
  return back.headers.get('location')!;
}

/** Signs in as the sandbox admin: /auth/sign-in, Entra's page, /auth/callback. */
async function signInAsAdmin(url: string): Promise<{ cookie: string; csrf: string }> {
  const start = await fetch(`${url}auth/sign-in`, { redirect: 'manual' });
  const callback = await fetch(await codeFrom(start.headers.get('location')!), { redirect: 'manual', headers: { cookie: cookiesOf(start) } });
  const cookie = cookiesOf(callback);
  const home = await (await fetch(url, { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(home)?.[1];
  if (!cookie.includes('cosell_session=') || !csrf) throw new Error(`the admin did not get a session (callback ${callback.status})`);
  return { cookie, csrf };
}

export async function startSignedInDashboard(): Promise<SignedInDashboard> {
  const entra: EntraSandbox = await startEntraSandbox();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const store = openMemoryStore();
  const config = dashboardSchema.parse({
    signIn: {
      authority: entra.authority,
      authorityMetadata: entra.authorityMetadata,
      clientId: SANDBOX_APPS.dashboard.clientId,
      clientSecret: 'env:UNUSED',
      redirectUri: `${url}auth/callback`,
      adminUsers: [SANDBOX_USERS.admin.username],
    },
  });
  const resolveSecret = async () => SANDBOX_APPS.dashboard.clientSecret;
  const app = Fastify({ logger: false });
  await app.register(dashboardPlugin, { context: { store, now: () => new Date(), config, resolveSecret, logger: silentLogger(), crmName: 'Salesforce' } });
  await app.listen({ host: '127.0.0.1', port });
  const admin = await signInAsAdmin(url);
  return {
    url,
    store,
    app,
    admin,
    async close() {
      await app.close();
      await entra.close();
    },
  };
}
