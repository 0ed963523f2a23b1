/**
 * The dashboard's actions, each the same code as its command line: "take CRM / take Partner Center" is
 * `cosell conflicts resolve ID --take …` (settleConflict), "retry now" makes the park due for the next
 * sync (retryParkedNow); under `cosell serve` that sync starts at once (`syncSoon`). Every action needs a session and the session's CSRF token, and a request whose
 * Origin names another site is refused; the outcome comes back as a one-shot message on the page.
 */
import { shownText } from '../errors.js';
import { asyncStateStore } from '../store/async-over-sync.js';
import type { AsyncStateStore } from '../store/async-state-store.js';
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { retryParkedNow } from '../engine/retry-now.js';
import { settleConflict } from '../engine/settle-conflict.js';
import type { Side } from '../store/state-store.js';
import type { DashboardContext } from './context.js';
import { html } from './html.js';
import { messagePage } from './page.js';
import { isForeignOrigin, publicOriginOf } from './same-origin.js';
import { sameSecret, SESSION_COOKIE, type Session, type Sessions } from './session.js';

type Form = Record<string, string | undefined>;

/** The session behind an action, or the refusal already sent. */
function authorize(request: FastifyRequest, reply: FastifyReply, sessions: Sessions, publicOrigin: string | undefined, home: string): Session | undefined {
  const session = sessions.get(request.cookies[SESSION_COOKIE]);
  if (!session) {
    void messagePage(reply, 401, 'Sign in first', html`<p>Actions need an admin to be signed in.</p><p><a href="${home}auth/sign-in">Sign in</a></p>`);
    return undefined;
  }
  const { origin } = request.headers;
  if (isForeignOrigin(origin, request.headers.host, publicOrigin)) {
    void messagePage(reply, 403, 'Refused', html`<p>The request came from another site (${origin}).</p>`);
    return undefined;
  }
  if (!sameSecret((request.body as Form | undefined)?.csrf, session.csrf)) {
    void messagePage(reply, 403, 'Refused', html`<p>The form's security token is missing or old. Reload the dashboard and try again.</p>`);
    return undefined;
  }
  return session;
}

/** The store the actions change: a single install's (a tenant's panels are read-only, see context.ts). */
function actedOn(context: DashboardContext): AsyncStateStore {
  if (!context.store) throw new Error("Actions on a tenant's records are not available in the multi-tenant dashboard yet.");
  return asyncStateStore(context.store);
}

/**
 * A failed action's flash line: the action's own words (its refusals are plain errors written for the admin),
 * with what a library's error may carry (a token, terminal controls) removed, as every shown failure is.
 */
export function actionFailureText(error: unknown): string {
  return shownText(error instanceof Error ? error.message : String(error));
}

export function mountActions(app: FastifyInstance, context: DashboardContext, sessions: Sessions, home: string): void {
  const publicOrigin = publicOriginOf(context.config.signIn?.redirectUri);
  const act = (work: (request: FastifyRequest, session: Session) => Promise<string>) => async (request: FastifyRequest, reply: FastifyReply) => {
    const session = authorize(request, reply, sessions, publicOrigin, home);
    if (!session) return reply;
    try {
      session.flash = { ok: true, text: await work(request, session) };
    } catch (error) {
      session.flash = { ok: false, text: actionFailureText(error) };
    }
    return reply.redirect(home, 303);
  };

  app.post(
    '/conflicts/:id/resolve',
    act(async (request, session) => {
      const id = Number((request.params as { id: string }).id);
      const take = (request.body as Form).take;
      if (take !== 'crm' && take !== 'partner-center') throw new Error('Choose the CRM or Partner Center.');
      await settleConflict(actedOn(context), id, take, context.now().toISOString());
      context.logger.info({ conflict: id, take, by: session.username }, 'conflict settled from the dashboard');
      context.syncSoon?.();
      return `Conflict ${id} settled for ${take === 'crm' ? 'the CRM' : 'Partner Center'}; ${context.syncSoon ? 'a sync is sending' : 'the next sync sends'} those values to the other side.`;
    }),
  );

  app.post(
    '/parked/:side/:recordId/retry',
    act(async (request, session) => {
      const { side, recordId } = request.params as { side: string; recordId: string };
      if (side !== 'crm' && side !== 'partner-center') throw new Error(`Unknown side "${side}".`);
      await retryParkedNow(actedOn(context), side as Side, recordId, context.now().toISOString());
      context.logger.info({ side, recordId, by: session.username }, 'parked record set to retry from the dashboard');
      context.syncSoon?.();
      return context.syncSoon ? `${recordId} is being tried again now.` : `${recordId} is tried again on the next sync.`;
    }),
  );

  app.post('/auth/sign-out', async (request, reply) => {
    const session = authorize(request, reply, sessions, publicOrigin, home);
    if (!session) return reply;
    sessions.close(session.id);
    return reply.clearCookie(SESSION_COOKIE, { path: home }).redirect(home, 303);
  });
}
