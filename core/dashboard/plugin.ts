/**
 * The dashboard as a fastify plugin: `GET /` (the page; `?fragment=1` the panels alone), `GET /api/status`
 * (the same data as JSON), the sign-in routes and the actions. `cosell serve` registers it at `/`; tests
 * register it on their own fastify instance against a sandbox world.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { mountActions } from './actions.js';
import type { DashboardContext } from './context.js';
import { dashboardPage, fragment, livePanels } from './page.js';
import type { Viewer } from './panels.js';
import { dashboardData } from './queries.js';
import { SESSION_COOKIE, Sessions } from './session.js';
import { mountSignIn } from './sign-in.js';

export interface DashboardPluginOptions {
  context: DashboardContext;
  /** Where the plugin is mounted, ending in `/` (cookies are scoped to it). Default `/`. */
  basePath?: string;
  /** Mark cookies Secure (the server is reached over https). Default: when the sign-in redirect URI is https. */
  secureCookies?: boolean;
}

export async function dashboardPlugin(app: FastifyInstance, options: DashboardPluginOptions): Promise<void> {
  const { context } = options;
  const home = options.basePath ?? '/';
  const secure = options.secureCookies ?? context.config.signIn?.redirectUri.startsWith('https:') ?? false;
  const sessions = new Sessions(context.config.sessionHours * 3_600_000);
  await app.register(cookie);
  await app.register(formbody);

  const viewerOf = (sessionId: string | undefined): { viewer: Viewer; flash?: { ok: boolean; text: string } } => {
    const session = sessions.get(sessionId);
    const flash = session?.flash;
    if (session) delete session.flash;
    const template = context.config.crmRecordUrl;
    return {
      viewer: {
        ...(session ? { user: session.name, csrf: session.csrf } : {}),
        signInAvailable: context.config.signIn !== undefined,
        recordUrl: (crmId) => (template ? template.replace('{crmId}', encodeURIComponent(crmId)) : undefined),
      },
      ...(flash ? { flash } : {}),
    };
  };

  app.get('/', async (request, reply) => {
    const data = await dashboardData(context);
    const { viewer, flash } = viewerOf(request.cookies[SESSION_COOKIE]);
    if ((request.query as { fragment?: string }).fragment) return fragment(reply, livePanels(data, viewer, context.crmName));
    return dashboardPage(reply, data, viewer, context.crmName, flash);
  });

  app.get('/api/status', async (_request, reply) => reply.header('cache-control', 'no-store').send(await dashboardData(context)));

  mountSignIn(app, context, sessions, { path: home, secure });
  mountActions(app, context, sessions, home);
}
