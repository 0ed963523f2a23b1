/**
 * Sends through Microsoft Graph with the official client (`@microsoft/microsoft-graph-client`) and an
 * app-only token from msal-node (client credentials, scope `https://graph.microsoft.com/.default`):
 * mail with `POST /users/{from}/sendMail`, Teams with `POST /teams/{id}/channels/{id}/messages` and
 * `POST /chats/{id}/messages`. The client's retry middleware honours 429/503 with Retry-After.
 * UNVERIFIED for production Teams: Graph documents channel and chat posts for delegated permissions
 * (ChannelMessage.Send / ChatMessage.Send); an app-only token may be refused there (mail is fine).
 */
import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client, HTTPMessageHandler, RetryHandler, RetryHandlerOptions, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import type { NotificationsConfig } from './config.js';
import { MSAL_SYSTEM } from '../http/msal-network.js';
import { installAddressGuard } from '../http/address-guard.js';

export interface GraphSender {
  sendMail(from: string, to: readonly string[], subject: string, html: string): Promise<void>;
  postToChannel(teamId: string, channelId: string, html: string): Promise<void>;
  postToChat(chatId: string, html: string): Promise<void>;
}

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export function graphSender(graph: NotificationsConfig['graph'], clientSecret: string): GraphSender {
  installAddressGuard();
  const msal = new ConfidentialClientApplication({
    system: MSAL_SYSTEM,
    auth: { clientId: graph.clientId, clientSecret, authority: graph.authority, ...(graph.authorityMetadata ? { authorityMetadata: graph.authorityMetadata } : {}) },
  });
  const baseUrl = graph.baseUrl.replace(/\/$/, '');
  const token = async () => {
    const result = await msal.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
    if (!result?.accessToken) throw new Error('Entra ID returned no access token for Microsoft Graph');
    return result.accessToken;
  };
  // The library's own chain (auth, retry, fetch) with one change: its AuthenticationHandler sends the token
  // to https hosts only, so a loopback sandbox would get none; this one sends it to the configured base only.
  const bearer = new BearerForBase(baseUrl, token);
  const noRedirects = new NoRedirects();
  const retry = new RetryHandler(new RetryHandlerOptions(3, 3));
  bearer.setNext(noRedirects);
  noRedirects.setNext(retry);
  retry.setNext(new HTTPMessageHandler());
  const client = Client.initWithMiddleware({ baseUrl, defaultVersion: 'v1.0', middleware: bearer });
  const post = async (path: string, body: unknown) => {
    await client.api(path).post(body);
  };
  return {
    sendMail: (from, to, subject, html) =>
      post(`/users/${encodeURIComponent(from)}/sendMail`, {
        message: { subject, body: { contentType: 'HTML', content: html }, toRecipients: to.map((address) => ({ emailAddress: { address } })) },
        saveToSentItems: true,
      }),
    postToChannel: (teamId, channelId, html) => post(`/teams/${encodeURIComponent(teamId)}/channels/${encodeURIComponent(channelId)}/messages`, { body: { contentType: 'html', content: html } }),
    postToChat: (chatId, html) => post(`/chats/${encodeURIComponent(chatId)}/messages`, { body: { contentType: 'html', content: html } }),
  };
}

/** A Graph error as one line without secrets: the status, Graph's code and message. */
export function describeGraphError(error: unknown): string {
  const e = error as { statusCode?: number; code?: string; message?: string };
  return `${e.statusCode ?? ''} ${e.code ?? ''} ${e.message ?? String(error)}`.replace(/\s+/g, ' ').trim();
}

/** Sets `Authorization: Bearer …` on requests to the configured Graph base URL, and on no other URL. */
class BearerForBase implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly token: () => Promise<string>,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    if (url.startsWith(`${this.baseUrl}/`)) {
      const headers = new Headers(context.options?.headers);
      headers.set('Authorization', `Bearer ${await this.token()}`);
      context.options = { ...context.options, headers: Object.fromEntries(headers.entries()) };
    }
    await this.next?.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/**
 * Follows no redirect: a 3xx comes back as the answer, which the client reports as a failed send. Node's fetch
 * follows a 307 or 308 by itself and sends the body again to the host the Location names (only the
 * Authorization header is dropped), so a redirect from the base carried the notification, with its customer
 * names and deal values, elsewhere. Graph answers these sends with 202 or 201, never a redirect.
 */
class NoRedirects implements Middleware {
  private next: Middleware | undefined;

  async execute(context: Context): Promise<void> {
    context.options = { ...context.options, redirect: 'manual' };
    await this.next?.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
