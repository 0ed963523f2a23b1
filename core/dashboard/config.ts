/**
 * The `dashboard` section of the config. The dashboard is read without sign-in only from this machine
 * (readers.ts); from elsewhere, and for its actions, it needs a session, opened by signing in with Entra ID
 * (msal-node's auth-code flow with PKCE) as one of `adminUsers` or a member of `adminGroup`.
 */
import { z } from 'zod';

/** Secrets are never values in the config file, only references. */
const secretRef = z.string().regex(/^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+)$/, 'must be a secret reference: env:NAME or file:/path');

export const dashboardSchema = z
  .object({
    signIn: z
      .object({
        /** `https://login.microsoftonline.com/{tenant}`: the same tenant as Partner Center. */
        authority: z.string().url(),
        authorityMetadata: z.string().min(1).optional(),
        clientId: z.string().min(1),
        /** A reference (`env:NAME`, `file:/path`) to the web app's client secret. */
        clientSecret: secretRef,
        /** Where Entra ID sends the browser back: this server's `/auth/callback`. */
        redirectUri: z.string().url(),
        adminUsers: z.array(z.string().min(1)).default([]),
        /** An Entra security group (object ID) whose members are admins (the ID token's `groups` claim). */
        adminGroup: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /** The CRM record's address with `{crmId}` in it, for the links on the page. */
    crmRecordUrl: z.string().min(1).optional(),
    /** How long a session lasts. */
    sessionHours: z.number().min(0.1).max(24 * 7).default(8),
  })
  .strict();

export type DashboardConfig = z.infer<typeof dashboardSchema>;
