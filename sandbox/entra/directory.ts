/**
 * The sandbox tenant's directory: app registrations and users. Partner Center roles and the partner
 * organisation a user belongs to are held here because, in the real service, they come from the
 * signed-in user's Partner Center account (partner-center-api.md §1.2: Referrals Admin / Referrals User).
 */
import { createHash } from 'node:crypto';

export interface SandboxApp {
  clientId: string;
  /** Absent for a public client (device-code sign-in from the CLI). */
  clientSecret?: string;
  /** The secret passed its end date ("Certificates & secrets"): Entra answers AADSTS7000222 until a new one is set. */
  secretExpired?: boolean;
  displayName: string;
  /** Where the authorization code flow may send the browser back (loopback ones match on any port). */
  redirectUris?: string[];
}

/**
 * Partner Center roles that reach the referrals API. The seed names "MPN partner admin | Referrals admin"
 * as the roles for co-selling and describes Referrals users scoped by location; how Partner Center
 * carries them on a token is UNVERIFIED (the sandbox puts them in the `roles` claim).
 */
export type PartnerCenterRole = 'MpnPartnerAdmin' | 'ReferralsAdmin' | 'ReferralsUser';

export interface SandboxUser {
  oid: string;
  username: string;
  password: string;
  displayName: string;
  /** Partner Center organisation (the partner's tenant id, or `msft`). */
  organizationId: string;
  roles: PartnerCenterRole[];
  /** MPN location ids a Referrals User is scoped to; admins see every location. */
  locations: string[];
  /** Security groups (object IDs) the user belongs to, sent in the ID token's `groups` claim. */
  groups?: string[];
}

export interface DirectorySeed {
  tenantId?: string;
  apps?: SandboxApp[];
  users?: Omit<SandboxUser, 'oid'>[];
}

/**
 * A user's object id, the same on every start (a name-based UUID of tenant and username): msal keys the
 * signed-in account by it (`client_info`), so a sandbox restarted with `--persist` still recognises the
 * account in a token cache from before the restart.
 */
export function stableOid(tenantId: string, username: string): string {
  const hex = createHash('sha1').update(`${tenantId}/${username.toLowerCase()}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const DEFAULT_TENANT_ID = '72f988bf-0000-4000-8000-00000000c05e';

export class Directory {
  readonly tenantId: string;
  private readonly apps = new Map<string, SandboxApp>();
  private readonly users = new Map<string, SandboxUser>();

  constructor(seed: DirectorySeed = {}) {
    this.tenantId = seed.tenantId ?? DEFAULT_TENANT_ID;
    for (const app of seed.apps ?? []) this.addApp(app);
    for (const user of seed.users ?? []) this.addUser(user);
  }

  addApp(app: SandboxApp): SandboxApp {
    this.apps.set(app.clientId, app);
    return app;
  }

  addUser(user: Omit<SandboxUser, 'oid'> & { oid?: string }): SandboxUser {
    const full: SandboxUser = { ...user, oid: user.oid ?? stableOid(this.tenantId, user.username) };
    this.users.set(full.username.toLowerCase(), full);
    return full;
  }

  app(clientId: string): SandboxApp | undefined {
    return this.apps.get(clientId);
  }

  user(username: string): SandboxUser | undefined {
    return this.users.get(username.toLowerCase());
  }

  userByOid(oid: string): SandboxUser | undefined {
    for (const user of this.users.values()) if (user.oid === oid) return user;
    return undefined;
  }

  listUsers(): SandboxUser[] {
    return [...this.users.values()];
  }
}
