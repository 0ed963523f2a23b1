/**
 * The dashboard as a fastify plugin: `GET /` (the page; `?fragment=1` the panels alone), `GET /api/status`
 * (the same data as JSON), the sign-in routes and the actions. Reading needs an admin's session unless the
 * request comes from this machine (readers.ts). `cosell serve` registers it at `/`; tests
 * register it on their own fastify instance against a sandbox world.
 *
 * Against a multi-tenant database (`context.tenants`), `GET /` lists the tenants and `?tenant=ID` shows
 * that tenant's panels from its own store, with the picker in the header; `/api/status` without a tenant
 * lists them. The panels are made by the same code either way (queries.ts over the store's reads).
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mountActions } from './actions.js';
import type { StoreReads } from '../store/store-reads.js';
import { storeReadsOf } from '../store/store-reads.js';
import type { DashboardContext, TenantEntry } from './context.js';
import { html, type Html } from './html.js';
import { dashboardPage, fragment, livePanels, messagePage, tenantsPage } from './page.js';
import type { Viewer } from './panels.js';
import { dashboardData } from './queries.js';
import { readsFromThisMachine } from './readers.js';
import { SESSION_COOKIE, Sessions } from './session.js';
import { mountSignIn } from './sign-in.js';
import { requestedTenant, tenantList, tenantPicker } from './tenant-picker.js';

/** What one request shows: one store's panels, the list of tenants, or a tenant that does not exist. */
interface StoreView {
  reads: StoreReads;
  crmName: string;
  tenant?: TenantEntry;
  picker?: Html;
  readiness?: DashboardContext['readiness'];
}
type View = StoreView | { list: TenantEntry[] } | { unknown: string };

const TENANT_ACTIONS = "Actions on a tenant's records (settle a conflict, retry now) are not available in the multi-tenant dashboard yet.";

export interface DashboardPluginOptions {
  context: DashboardContext;
  /** Where the plugin is mounted, ending in `/` (cookies are scoped to it). Default `/`. */
  basePath?: string;
  /** Mark cookies Secure (the server is reached over https). Default: when the sign-in redirect URI is https. */
  secureCookies?: boolean;
}

export async function dashboardPlugin(app: FastifyInstance, options: DashboardPluginOptions): Promise<void> {
  const { context } = options;
  if (!context.store && !context.tenants) throw new Error('The dashboard needs a store or a tenant directory.');
  const home = options.basePath ?? '/';
  const singleInstall = context.store ? storeReadsOf(context.store) : undefined;

  const viewOf = async (query: unknown): Promise<View> => {
    if (!context.tenants) return { reads: singleInstall!, crmName: context.crmName, ...(context.readiness ? { readiness: context.readiness } : {}) };
    const tenants = await context.tenants.list();
    const id = requestedTenant(query);
    if (id === undefined) return { list: tenants };
    const tenant = tenants.find((t) => t.id === id);
    const reads = tenant && (await context.tenants.readsOf(id));
    if (!tenant || !reads) return { unknown: id };
    const { readinessOf } = context.tenants;
    return { reads, crmName: tenant.crmName, tenant, picker: tenantPicker(tenants, id), ...(readinessOf ? { readiness: () => readinessOf(id) } : {}) };
  };
  const dataOf = (view: StoreView) => dashboardData(view.reads, { now: context.now, ...(view.readiness ? { readiness: view.readiness } : {}) });
  const secure = options.secureCookies ?? context.config.signIn?.redirectUri.startsWith('https:') ?? false;
  const sessions = new Sessions(context.config.sessionHours * 3_600_000);
  await app.register(cookie);
  await app.register(formbody);

  const viewerOf = (sessionId: string | undefined, tenant?: TenantEntry): { viewer: Viewer; flash?: { ok: boolean; text: string } } => {
    const session = sessions.get(sessionId);
    const flash = session?.flash;
    if (session) delete session.flash;
    const template = context.config.crmRecordUrl;
    return {
      viewer: {
        ...(session ? { user: session.name, csrf: session.csrf } : {}),
        signInAvailable: context.config.signIn !== undefined,
        // The config's record URL is the single install's CRM org; a tenant's CRM is another.
        recordUrl: (crmId) => (template && !tenant ? template.replace('{crmId}', encodeURIComponent(crmId)) : undefined),
        ...(tenant ? { actionsUnavailable: TENANT_ACTIONS } : {}),
      },
      ...(flash ? { flash } : {}),
    };
  };

  // Reading needs an admin's session unless the request comes from this machine (readers.ts).
  const mayRead = (request: FastifyRequest) => sessions.get(request.cookies[SESSION_COOKIE]) !== undefined || readsFromThisMachine(request.socket.remoteAddress, request.ip, request.headers.host);
  const readRefused = (reply: FastifyReply) =>
    messagePage(
      reply,
      401,
      'Sign in to read',
      context.config.signIn
        ? html`<p>This dashboard shows customers and deals: from another machine, an admin signs in to read it.</p><p><a href="auth/sign-in">Sign in</a></p>`
        : html`<p>This dashboard shows customers and deals: it is read without sign-in only on the machine that runs the service (<code>http://127.0.0.1:PORT/</code>). Configure <code>dashboard.signIn</code> to read it from elsewhere.</p>`,
    );

  app.get('/', async (request, reply) => {
    if (!mayRead(request)) return readRefused(reply);
    const view = await viewOf(request.query);
    if ('list' in view) return tenantsPage(reply, tenantList(view.list));
    if ('unknown' in view) return messagePage(reply, 404, 'No such tenant', html`<p>There is no tenant ${view.unknown}.</p><p><a href="${home}">All tenants</a></p>`);
    const data = await dataOf(view);
    const { viewer, flash } = viewerOf(request.cookies[SESSION_COOKIE], view.tenant);
    if ((request.query as { fragment?: string }).fragment) return fragment(reply, livePanels(data, viewer, view.crmName));
    return dashboardPage(reply, data, viewer, view.crmName, { ...(flash ? { flash } : {}), ...(view.picker ? { picker: view.picker } : {}) });
  });

  app.get('/api/status', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (!mayRead(request)) return reply.code(401).send({ error: 'Sign in as an admin to read the status from another machine (see the dashboard at /).' });
    const view = await viewOf(request.query);
    if ('list' in view) return reply.send({ tenants: view.list });
    if ('unknown' in view) return reply.code(404).send({ error: `There is no tenant ${view.unknown}.` });
    return reply.send(await dataOf(view));
  });

  mountSignIn(app, context, sessions, { path: home, secure });
  mountActions(app, context, sessions, home);
}
