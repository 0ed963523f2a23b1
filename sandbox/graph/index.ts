/**
 * The Microsoft Graph sandbox: the calls notifications make, as Graph documents them.
 * - `POST /v1.0/users/{id | userPrincipalName}/sendMail` → 202, no body (user-sendmail);
 * - `POST /v1.0/chats/{chat-id}/messages` → 201 chatMessage (chat-post-messages);
 * - `POST /v1.0/teams/{team-id}/channels/{channel-id}/messages` → 201 chatMessage (channel-post-messages).
 * Tokens come from the Entra sandbox with audience `https://graph.microsoft.com` (app-only for mail, as
 * Mail.Send application permission allows). UNVERIFIED in the sandbox: real Graph accepts Teams posts only
 * with delegated tokens (ChannelMessage.Send, ChatMessage.Send) except for migration; the sandbox takes both.
 *
 * Controls (not Graph) under `/_sandbox/graph/`:
 * - `GET  /_sandbox/graph/sent`                  everything accepted, oldest first;
 * - `POST /_sandbox/graph/throttle` {requests, retryAfterSeconds}  the next N calls get 429 + Retry-After;
 * - `POST /_sandbox/graph/reset`                  forgets what was sent.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { SandboxClock } from '../common/clock.js';
import { listen, parseJsonBody, Router, sendEmpty, sendJson, type RunningServer, type SandboxRequest } from '../common/http.js';
import type { TokenSigner } from '../entra/tokens.js';
import { chatMessageResource, graphError, readMail, type ItemBody, type SentItem } from './wire.js';

export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
/** The mailbox a sandbox config sends notifications from (any address works here; Graph needs a real one). */
export const SANDBOX_NOTIFY_MAILBOX = 'cosell-notify@contoso-partner.example';
/**
 * Our partner's own email domains in the sandboxes: its Partner Center users' and its CRM sandboxes' sellers'
 * (a company with two domains). Seller notices go to deal team members at these domains only.
 */
export const SANDBOX_SELLER_DOMAINS = ['contoso-partner.example', 'partner.example'];
/** The shared mailbox a sandbox config sends every seller notice to as well. */
export const SANDBOX_DEALS_MAILBOX = 'co-sell@contoso-partner.example';

export interface GraphSandboxOptions {
  signer: TokenSigner;
  clock?: SandboxClock;
  port?: number;
}

export interface GraphSandbox extends RunningServer {
  /** Messages accepted so far (a copy). */
  sent(): SentItem[];
  /** The next `requests` calls answer 429 with `Retry-After: retryAfterSeconds`. */
  throttle(requests: number, retryAfterSeconds: number): void;
  /** The base URL a Graph client is given (`…/v1.0` is appended by the client). */
  controls: string;
}

interface Caller {
  id: string;
  displayName: string;
}

export async function startGraphSandbox(options: GraphSandboxOptions): Promise<GraphSandbox> {
  const clock = options.clock ?? new SandboxClock();
  const sent: SentItem[] = [];
  const throttled = { remaining: 0, retryAfterSeconds: 1 };
  const router = new Router();

  const authenticate = (req: SandboxRequest, res: ServerResponse): Caller | undefined => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) return void graphError(req, res, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const verified = options.signer.verify(match[1] as string, GRAPH_AUDIENCE, Math.floor(clock.nowMs() / 1000));
    if (!verified.ok) return void graphError(req, res, 401, 'InvalidAuthenticationToken', `Access token validation failure. ${verified.reason}`);
    const { claims } = verified;
    return { id: claims.oid, displayName: claims.name ?? (claims.idtyp === 'app' ? `app ${claims.appid}` : claims.upn ?? claims.oid) };
  };

  // Throttling comes first, as Graph throttles before it looks at the request.
  router.use((req, res) => {
    if (req.path.startsWith('/_sandbox/') || throttled.remaining === 0) return false;
    throttled.remaining -= 1;
    graphError(req, res, 429, 'TooManyRequests', 'Too many requests. Please retry after the time in the Retry-After header.', { 'retry-after': String(throttled.retryAfterSeconds) });
    return true;
  });

  const remember = (item: Omit<SentItem, 'id' | 'sentAt'>): SentItem => {
    const full = { ...item, id: `${clock.nowMs()}${String(sent.length).padStart(4, '0')}`, sentAt: clock.iso() };
    sent.push(full);
    return full;
  };

  router.on('POST', '/v1.0/users/:user/sendMail', (req, res) => {
    const caller = authenticate(req, res);
    if (!caller) return;
    const parsed = parseJsonBody(req);
    if (!parsed.ok) return graphError(req, res, 400, 'BadRequest', parsed.message);
    const mail = readMail(parsed.value);
    if (!mail.ok) return graphError(req, res, 400, mail.code, mail.message);
    const { message } = mail;
    remember({
      kind: 'mail',
      from: req.params.user ?? '',
      to: [...(message.toRecipients ?? []), ...(message.ccRecipients ?? [])].map((r) => r.emailAddress.address),
      ...(message.subject !== undefined ? { subject: message.subject } : {}),
      contentType: message.body?.contentType ?? 'Text',
      content: message.body?.content ?? '',
    });
    sendEmpty(res, 202, { 'request-id': randomUUID() });
  });

  const postMessage = (kind: 'chat' | 'channel') => (req: SandboxRequest, res: ServerResponse) => {
    const caller = authenticate(req, res);
    if (!caller) return;
    const parsed = parseJsonBody(req);
    if (!parsed.ok) return graphError(req, res, 400, 'BadRequest', parsed.message);
    const body = (parsed.value as { body?: ItemBody } | null)?.body;
    if (!body || typeof body.content !== 'string' || body.content.trim() === '') {
      return graphError(req, res, 400, 'BadRequest', 'Missing body content.');
    }
    const where = kind === 'chat' ? { chatId: req.params.chat ?? '' } : { channelIdentity: { teamId: req.params.team ?? '', channelId: req.params.channel ?? '' } };
    const item = remember({
      kind,
      from: caller.displayName,
      to: [kind === 'chat' ? (req.params.chat ?? '') : `${req.params.team ?? ''}/${req.params.channel ?? ''}`],
      contentType: body.contentType ?? 'text',
      content: body.content,
    });
    sendJson(res, 201, { '@odata.context': `${GRAPH_AUDIENCE}/v1.0/$metadata#chatMessage`, ...chatMessageResource(item, body, caller, where) });
  };
  router.on('POST', '/v1.0/chats/:chat/messages', postMessage('chat'));
  router.on('POST', '/v1.0/teams/:team/channels/:channel/messages', postMessage('channel'));

  router.on('GET', '/_sandbox/graph/sent', (_req, res) => sendJson(res, 200, { value: sent }));
  router.on('POST', '/_sandbox/graph/reset', (_req, res) => {
    sent.length = 0;
    sendJson(res, 200, { reset: true });
  });
  router.on('POST', '/_sandbox/graph/throttle', (req, res) => {
    const parsed = parseJsonBody(req);
    const value = (parsed.ok ? parsed.value : {}) as { requests?: unknown; retryAfterSeconds?: unknown };
    throttled.remaining = Math.max(0, Math.floor(Number(value.requests ?? 1)));
    throttled.retryAfterSeconds = Math.max(0, Math.floor(Number(value.retryAfterSeconds ?? 1)));
    sendJson(res, 200, { throttled: throttled.remaining, retryAfterSeconds: throttled.retryAfterSeconds });
  });

  const server = await listen(
    (req, res) =>
      router.handle(req, res, (r, response, methodMismatch) =>
        methodMismatch
          ? graphError(r, response, 405, 'Request_BadRequest', `The HTTP method '${r.method}' is not allowed for this resource.`)
          : graphError(r, response, 400, 'BadRequest', `Resource not found for the segment '${r.path.split('/').filter(Boolean).at(-1) ?? ''}'.`),
      ),
    options.port ?? 0,
    { clock },
  );
  return {
    ...server,
    controls: `${server.url}/_sandbox/graph`,
    sent: () => sent.map((item) => ({ ...item, to: [...item.to] })),
    throttle: (requests, retryAfterSeconds) => {
      throttled.remaining = requests;
      throttled.retryAfterSeconds = retryAfterSeconds;
    },
  };
}
