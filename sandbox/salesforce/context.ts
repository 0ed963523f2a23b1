/** What every route of the Salesforce sandbox shares. */
import type { ServerResponse } from 'node:http';
import type { SandboxClock } from '../common/clock.js';
import type { CallCounter } from '../common/counters.js';
import type { FaultInjector } from '../common/faults.js';
import type { Router, SandboxRequest } from '../common/http.js';
import type { Dml } from './dml.js';
import type { CompiledQuery } from './soql.js';
import type { SalesforceStore } from './store.js';

export interface SandboxCredentials {
  clientId: string;
  clientSecret: string;
  /** The integration user's username (JWT `sub`). */
  username: string;
  /** RSA private key for the JWT bearer flow; the sandbox holds the matching public key. */
  privateKeyPem: string;
  publicKeyPem: string;
  /** Where to POST `/services/oauth2/token` (the sandbox itself). */
  loginUrl: string;
  /** The `aud` the sandbox accepts in a JWT assertion. */
  audience: string;
}

export interface SfContext {
  url: string;
  store: SalesforceStore;
  dml: Dml;
  clock: SandboxClock;
  counters: CallCounter;
  faults: FaultInjector;
  /** Per-record faults inside sObject Collections (draws on `ITEM <Type>`). */
  itemFaults: FaultInjector;
  credentials: SandboxCredentials;
  tokenTtlMs: number;
  router: Router;
  /** Open query locators (query-pages.ts); `expiresAtMs` is sandbox-clock time. */
  cursors: Map<string, { query: CompiledQuery; pageSize: number; expiresAtMs: number }>;
  persist(): void;
}

/** The authenticated user of an API request (set by the auth middleware). */
export const requestUser = new WeakMap<SandboxRequest, string>();

/**
 * A Composite subrequest's body as the Composite request's JSON held it (its references resolved): routes read
 * it as it is (bodyObject) instead of parsing it back from text written for them. A route does not change the
 * body it reads.
 */
export const subrequestBodies = new WeakMap<SandboxRequest, unknown>();

/** Subrequests of a composite call (counted under `composite.*`, not as calls of their own). */
export const internalRequests = new WeakSet<SandboxRequest>();

/**
 * A counter label for work done by `req`: inside a Composite call it is prefixed `composite.`, because
 * Salesforce bills the Composite request, not its subrequests (bench/billing.ts).
 */
export const labelFor = (req: SandboxRequest, label: string): string => (internalRequests.has(req) ? `composite.${label}` : label);

export function userOf(req: SandboxRequest, ctx: SfContext): string {
  return requestUser.get(req) ?? ctx.store.all('User')[0]!.Id;
}

export type { ServerResponse };
