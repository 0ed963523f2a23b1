/**
 * The `notifications` section of the config: who is told what through Microsoft Graph, and when.
 * The Graph app's secret is a reference (`env:NAME`, `file:/path`), resolved when a notice is sent.
 */
import { z } from 'zod';

/** Secrets are never values in the config file, only references. */
const secretRef = z.string().regex(/^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+)$/, 'must be a secret reference: env:NAME or file:/path');

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM (24-hour)');

export const notificationsSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** The app registration that sends (client credentials; Mail.Send application permission). */
    graph: z
      .object({
        authority: z.string().url(),
        /** For a sandbox or sovereign cloud: msal's `authorityMetadata` JSON (the token endpoint). */
        authorityMetadata: z.string().min(1).optional(),
        clientId: z.string().min(1),
        clientSecret: secretRef,
        /** Graph's base URL; `https://graph.microsoft.com` unless a sandbox. */
        baseUrl: z.string().url().default('https://graph.microsoft.com'),
      })
      .strict(),
    /** The mailbox mail is sent from (`/users/{from}/sendMail`): a user ID or user principal name. */
    from: z.string().min(1),
    /** Tell the sellers on the deal (its team's email addresses); false sends seller notices to `mailbox` only. */
    sellers: z.boolean().default(true),
    /**
     * The email domains of our own people. A deal's team in Partner Center can hold Microsoft's sellers and
     * another partner's people; seller notices go only to team members at these domains. Default: the
     * domain of `from`.
     */
    sellerDomains: z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'an email domain, such as contoso.com')).min(1).optional(),
    /** A shared mailbox that receives every seller notice, and those of deals without a team. */
    mailbox: z.string().email().optional(),
    /** A Teams channel that receives every notice as well. */
    teamsChannel: z.object({ teamId: z.string().min(1), channelId: z.string().min(1) }).strict().optional(),
    /** A Teams chat that receives every notice as well. */
    teamsChat: z.string().min(1).optional(),
    /** Who hears of failed runs and a lost sign-in. */
    admins: z.array(z.string().email()).default([]),
    /** Tell the admins when this many runs in a row failed. */
    failedRunsInARow: z.number().int().min(1).default(3),
    /** Remind the sellers when an inbound referral has less than this many hours of its 14 days left. */
    expiringHours: z.number().min(1).max(14 * 24).default(48),
    /** `daily`: notices wait and go out together once a day at `digestAt` (admin alerts are never held). */
    digest: z.enum(['off', 'daily']).default('off'),
    digestAt: clockTime.default('08:00'),
    /** Nothing is sent between `from` and `to` (it waits until `to`); admin alerts included. */
    quietHours: z.object({ from: clockTime, to: clockTime }).strict().optional(),
    /** The IANA time zone quiet hours and the digest are in. */
    timeZone: z.string().min(1).default('UTC'),
    /** The CRM record's address with `{crmId}` in it, for the link in each notice. */
    crmRecordUrl: z.string().min(1).optional(),
  })
  .strict();

export type NotificationsConfig = z.infer<typeof notificationsSchema>;
export type NotificationsConfigInput = z.input<typeof notificationsSchema>;
