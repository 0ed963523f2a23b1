/**
 * Turns a notice draft into the message people receive: the template's subject and lines with the
 * placeholders filled, as HTML (escaped) and as plain text, with a link to the CRM record.
 */
import { DIGEST_TEMPLATE, NOTIFICATION_TEMPLATES } from '../../mappings/notifications.js';
import type { NoticeDraft } from './causes.js';

export interface RenderedNotice {
  kind: string;
  audience: 'seller' | 'admin';
  /** Email addresses; channels and chats are added when sending. */
  to: string[];
  subject: string;
  lines: string[];
  link?: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
export const fill = (template: string, vars: Record<string, string>) => template.replace(/\{(\w+)\}/g, (whole, key: string) => vars[key] ?? whole);

export function renderNotice(draft: NoticeDraft, recipients: string[], crmRecordUrl?: string): RenderedNotice {
  const template = NOTIFICATION_TEMPLATES[draft.kind];
  const link = crmRecordUrl && draft.crmId ? crmRecordUrl.replace('{crmId}', encodeURIComponent(draft.crmId)) : undefined;
  return {
    kind: draft.kind,
    audience: template.audience,
    to: recipients,
    subject: fill(template.subject, draft.vars),
    lines: template.lines.map((line) => fill(line, draft.vars)),
    ...(link ? { link } : {}),
  };
}

/** One message's HTML body: the notices' lines, each notice with its link. */
export function messageHtml(notices: readonly RenderedNotice[], intro?: string): string {
  const section = (n: RenderedNotice) =>
    `${notices.length > 1 ? `<h3>${escapeHtml(n.subject)}</h3>` : ''}${n.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}` +
    (n.link ? `<p><a href="${escapeHtml(n.link)}">Open the record in the CRM</a></p>` : '');
  return `${intro ? `<p>${escapeHtml(intro)}</p>` : ''}${notices.map(section).join('<hr>')}`;
}

/** A digest's subject for `count` notices, or the notice's own subject for one. */
export function messageSubject(notices: readonly RenderedNotice[]): string {
  return notices.length === 1 ? notices[0]!.subject : fill(DIGEST_TEMPLATE.subject, { count: String(notices.length) });
}

export const DIGEST_INTRO = DIGEST_TEMPLATE.intro;
