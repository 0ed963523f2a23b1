/**
 * Microsoft Graph's wire shapes as the sandbox answers them (learn.microsoft.com/graph/errors,
 * /graph/throttling, /graph/api/user-sendmail, /graph/api/chat-post-messages, /graph/api/channel-post-messages):
 * errors are `{ error: { code, message, innerError: { date, request-id, client-request-id } } }` with a
 * `request-id` header; throttling is 429 with a `Retry-After` header in seconds and code `TooManyRequests`.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson, type SandboxRequest } from '../common/http.js';

export function graphError(req: SandboxRequest, res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const requestId = randomUUID();
  const clientRequestId = req.headers['client-request-id'] ?? requestId;
  sendJson(
    res,
    status,
    { error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': clientRequestId } } },
    { 'request-id': requestId, 'client-request-id': clientRequestId, ...headers },
  );
}

export interface Recipient {
  emailAddress: { address: string; name?: string };
}

/** The `message` of a sendMail request (the fields the sandbox checks and keeps). */
export interface MailMessage {
  subject?: string;
  body?: { contentType?: string; content?: string };
  toRecipients?: Recipient[];
  ccRecipients?: Recipient[];
}

export interface ItemBody {
  contentType?: 'text' | 'html';
  content?: string;
}

/** What the sandbox remembers of each message it accepted, for the `sent` control. */
export interface SentItem {
  id: string;
  kind: 'mail' | 'chat' | 'channel';
  /** sendMail: the sending mailbox (`/users/{id}`); chats and channels: the signed-in app or user. */
  from: string;
  /** Mail: the recipients' addresses; chat: the chat id; channel: `teamId/channelId`. */
  to: string[];
  subject?: string;
  contentType: string;
  content: string;
  sentAt: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks a sendMail body as Exchange does; returns the error to answer, or the message. UNVERIFIED: the exact codes for a bad recipient. */
export function readMail(body: unknown): { ok: true; message: MailMessage; saveToSentItems: boolean } | { ok: false; code: string; message: string } {
  const message = (body as { message?: MailMessage } | null)?.message;
  if (!message || typeof message !== 'object') return { ok: false, code: 'ErrorInvalidRequest', message: "The 'message' parameter is missing or null." };
  const recipients = [...(message.toRecipients ?? []), ...(message.ccRecipients ?? [])];
  if (recipients.length === 0) return { ok: false, code: 'ErrorInvalidRecipients', message: 'At least one recipient is not valid., A message can\'t be sent because it contains no recipients.' };
  const bad = recipients.find((r) => !EMAIL.test(r?.emailAddress?.address ?? ''));
  if (bad) return { ok: false, code: 'ErrorInvalidRecipients', message: `At least one recipient is not valid., Recipient '${bad?.emailAddress?.address ?? ''}' is not resolved. All recipients must be resolved before a message can be submitted.` };
  const saveToSentItems = (body as { saveToSentItems?: unknown }).saveToSentItems !== false;
  return { ok: true, message, saveToSentItems };
}

/** A chatMessage resource as Graph returns it after a post (201). */
export function chatMessageResource(item: SentItem, body: ItemBody, from: { id: string; displayName: string }, where: { chatId: string } | { channelIdentity: { teamId: string; channelId: string } }) {
  return {
    id: item.id,
    replyToId: null,
    etag: item.id,
    messageType: 'message',
    createdDateTime: item.sentAt,
    lastModifiedDateTime: item.sentAt,
    lastEditedDateTime: null,
    deletedDateTime: null,
    subject: null,
    summary: null,
    importance: 'normal',
    locale: 'en-us',
    webUrl: null,
    from: { application: null, device: null, user: { id: from.id, displayName: from.displayName, userIdentityType: 'aadUser' } },
    body: { contentType: body.contentType ?? 'text', content: body.content ?? '' },
    attachments: [],
    mentions: [],
    reactions: [],
    ...where,
  };
}
