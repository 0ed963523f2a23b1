/**
 * Where notices may go. A notice carries customer names, deal values and Partner Center's messages, and the
 * config names who receives it (`admins`, `mailbox`) and whose addresses count as our own sellers
 * (`sellerDomains`). Whoever edits the config is not trusted with the secrets (SECURITY.md), nor with the deal
 * data: one edited `mailbox: someone@elsewhere.example` would have every seller notice mailed out of the
 * organisation. So a recipient's domain must be the `from` mailbox's (Graph sends from a mailbox of the app's own
 * tenant, whose domain is the organisation's) or one the operator names in the environment,
 * COSELL_ALLOW_NOTIFICATION_DOMAINS=domain,… (exact domains, no wildcard), as for endpoints. A Graph on loopback
 * is a sandbox's, which delivers nowhere, and needs nothing. Teams targets (`teamsChannel`, `teamsChat`) are
 * IDs in the app's own tenant, not addresses, and are not judged here (SECURITY.md says what that leaves).
 * Pure apart from reading `env`.
 */
import { isLoopbackHost } from '../../config/endpoint-policy.js';
import { ConfigError } from '../errors.js';
import type { NotificationsConfig } from './config.js';

export const ALLOW_NOTIFICATION_DOMAINS_ENV = 'COSELL_ALLOW_NOTIFICATION_DOMAINS';

const DOMAIN = /^[a-z0-9.-]+\.[a-z]{2,}$/;

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase().replace(/\.$/, '');

/** The operator's domains; a malformed entry is refused (exit 2) naming the variable. */
export function allowedNotificationDomains(env: NodeJS.ProcessEnv): string[] {
  const entries = (env[ALLOW_NOTIFICATION_DOMAINS_ENV] ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean);
  for (const entry of entries) {
    if (!DOMAIN.test(entry)) throw new ConfigError(`env > ${ALLOW_NOTIFICATION_DOMAINS_ENV}`, `"${entry}" is not an email domain (such as contoso.com); list exact domains, separated by commas, no @ or wildcard`);
  }
  return entries;
}

/** Every recipient (or seller domain) outside the allowed domains, with its key. Pure. */
export function recipientDomainProblems(notifications: NotificationsConfig | undefined, allowed: readonly string[]): { path: string; domain: string }[] {
  if (!notifications || !notifications.enabled) return [];
  if (URL.canParse(notifications.graph.baseUrl) && isLoopbackHost(new URL(notifications.graph.baseUrl).hostname)) return [];
  const own = new Set([...(notifications.from.includes('@') ? [domainOf(notifications.from)] : []), ...allowed]);
  const named = [
    ...notifications.admins.map((address, i) => ({ path: `notifications > admins > ${i}`, domain: domainOf(address) })),
    ...(notifications.mailbox ? [{ path: 'notifications > mailbox', domain: domainOf(notifications.mailbox) }] : []),
    ...(notifications.sellerDomains ?? []).map((domain, i) => ({ path: `notifications > sellerDomains > ${i}`, domain: domain.toLowerCase() })),
  ];
  return named.filter((n) => !own.has(n.domain));
}

/** Throws a ConfigError (exit 2) naming the first key outside the allowed domains and the one setting that allows them all. */
export function enforceRecipientDomains(notifications: NotificationsConfig | undefined, env: NodeJS.ProcessEnv = process.env): void {
  const allowed = allowedNotificationDomains(env);
  const [first, ...more] = recipientDomainProblems(notifications, allowed);
  if (!first) return;
  const domains = [...new Set([...allowed, first.domain, ...more.map((p) => p.domain)])];
  const anchor = notifications!.from.includes('@') ? `the from mailbox's domain (${domainOf(notifications!.from)})` : 'the from mailbox\'s domain (from is a user ID here, so none)';
  const also = more.length ? `. Also outside: ${more.map((p) => `${p.path} (${p.domain})`).join(', ')}` : '';
  throw new ConfigError(
    first.path,
    `${first.domain} is not ${anchor} nor a domain the operator allowed: notices carry customer names and deal values, and the config cannot send them out of the organisation by itself; to allow it, set ${ALLOW_NOTIFICATION_DOMAINS_ENV}=${domains.join(',')} in the environment of the process that sends notices${also}`,
  );
}
