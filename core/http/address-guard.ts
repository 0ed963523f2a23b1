/**
 * Credentials go to the address a connection actually reaches, judged when it connects. The endpoint policy
 * (config/endpoint-policy.ts) judges a URL by its host *name*; DNS then says where the name goes, and may say
 * 127.0.0.1, 10.x, or 169.254.169.254 (the cloud's metadata service), or say one thing when checked and
 * another when connected (DNS rebinding). So every connection the process opens by name asks DNS through
 * {@link guardedLookup}, which refuses an internal address (address-classes.ts) unless the name is allowed
 * to be there:
 * - `localhost`, to a loopback address only (the sandboxes; the name policy already judged it);
 * - a name the operator consented to (COSELL_ALLOW_ENDPOINTS, `cosell tenants allow-endpoint`,
 *   COSELL_ALLOW_CERTIFICATE_HOSTS; {@link vouchForHosts}), to loopback or a private network, never to a
 *   link-local or unspecified address.
 * An address written in the URL is not looked up (Node connects to it directly) and was judged by name.
 * The check is the lookup the connect itself uses (net.connect's `lookup` option), so nothing can change
 * between the check and the connect. Installed on Node's global http/https agents (axios, node-fetch under
 * jsforce) and on fetch's global dispatcher (msal's requests, Graph, webhook certificates)
 * ({@link installAddressGuard}).
 */
import dns, { type LookupAddress, type LookupAllOptions, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { ConnectorError } from '../errors.js';
import { internalAddressClass } from './address-classes.js';

/** The error code of a refused connection: not a network failure, so never retried (core/http/retry.ts). */
export const ADDRESS_REFUSED = 'ERR_COSELL_ADDRESS_REFUSED';

/** A name as DNS and the consent lists compare it: lower case, no trailing dot, no IPv6 brackets. */
function plainName(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
}

/**
 * Why `hostname` may not be reached at `address`, or undefined when it may. `vouched`: whether the operator
 * consented to the name (it may then be on this machine or a private network). Pure.
 */
export function addressRefusal(hostname: string, address: string, vouched: (name: string) => boolean): string | undefined {
  const internal = internalAddressClass(address);
  if (!internal) return undefined;
  const name = plainName(hostname);
  if (name === plainName(address)) return undefined;
  if (name === 'localhost' && internal.kind === 'loopback') return undefined;
  if ((internal.kind === 'loopback' || internal.kind === 'private') && vouched(name)) return undefined;
  const rule =
    internal.kind === 'link-local' || internal.kind === 'unspecified' || internal.kind === 'reserved'
      ? 'no name may lead there'
      : `only localhost (to loopback) and names the operator allowed (COSELL_ALLOW_ENDPOINTS, cosell tenants allow-endpoint, COSELL_ALLOW_CERTIFICATE_HOSTS) may lead there`;
  return `Refused to connect to ${name}: DNS answered ${address}, ${internal.words}, and ${rule}; a name's DNS answer must not send credentials or requests inside this machine or its network`;
}

/**
 * A service call refused by the guard, as a connector reports it: never retried (the same name gets the same
 * answer), and what fixes it is DNS or the operator's consent, so a command ends with the config's exit code (2).
 */
export class AddressRefusedError extends ConnectorError {
  constructor(service: string, what: string, refusal: string, context: Record<string, unknown> = {}) {
    super(ADDRESS_REFUSED_CODE, `${service} ${what} failed: ${refusal}`, false, context);
  }
}

/** The error code of {@link AddressRefusedError}. */
export const ADDRESS_REFUSED_CODE = 'address_refused';

/** The guard's refusal somewhere in an error's cause chain (axios keeps it as the error, fetch as its cause), or undefined. */
export function addressRefusalIn(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === ADDRESS_REFUSED) return (e as Error).message;
  }
  return undefined;
}

/** Names the operator consented to, in any consent of this process (each tenant's name is still judged by its own). */
const vouchedNames = new Set<string>();

/** Records the operator's consented `host` / `host:port` entries: those names may resolve to internal addresses. */
export function vouchForHosts(entries: readonly string[]): void {
  for (const entry of entries) {
    const url = URL.canParse(`https://${entry}`) ? new URL(`https://${entry}`) : undefined;
    if (url) vouchedNames.add(plainName(url.hostname));
  }
}

function isVouched(name: string): boolean {
  return vouchedNames.has(name);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
type Resolve = (hostname: string, options: LookupAllOptions, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

/**
 * A `lookup` for net.connect and tls.connect: dns.lookup (or `resolve`, for tests), then every address judged;
 * one refused address refuses the name (a rebinding answer mixes a public address with an internal one).
 */
export function guardedLookup(resolve: Resolve = (name, options, callback) => dns.lookup(name, options, callback), vouched: (name: string) => boolean = isVouched) {
  return (hostname: string, options: LookupOptions | number | undefined, callback: LookupCallback): void => {
    const asked: LookupOptions = typeof options === 'number' ? { family: options } : { ...options };
    resolve(hostname, { ...asked, all: true }, (error, addresses) => {
      if (error) return callback(error, asked.all ? [] : '');
      const refusal = addresses.map((a) => addressRefusal(hostname, a.address, vouched)).find((r) => r !== undefined);
      if (refusal) return callback(Object.assign(new Error(refusal), { code: ADDRESS_REFUSED, hostname }), asked.all ? [] : '');
      if (asked.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND', hostname }), '');
      callback(null, first.address, first.family);
    });
  };
}

/** The symbol undici (Node's fetch) keeps its global dispatcher under (undici lib/global.js, shared across copies). */
const UNDICI_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

let installed = false;

/**
 * Puts the guard on every outbound connection of the process: Node's global http and https agents (every
 * request made without an agent of its own) and fetch's global dispatcher. Idempotent; each client calls it
 * before its first request, so no entry point can forget it.
 */
export function installAddressGuard(): void {
  if (installed) return;
  const lookup = guardedLookup();
  // An agent merges its `options` into every connection it opens (Node's _http_agent.js addRequest); the
  // typings leave the field out.
  for (const agent of [http.globalAgent, https.globalAgent]) (agent as unknown as { options: Record<string, unknown> }).options.lookup = lookup;
  // Node loads its undici when a fetch global is first read, and undici then sets its default dispatcher.
  void globalThis.Headers;
  const current = (globalThis as Record<symbol, unknown>)[UNDICI_DISPATCHER] as { constructor: new (options: object) => unknown } | undefined;
  if (!current) throw new Error('fetch has no global dispatcher to guard (Node changed how it keeps it)');
  (globalThis as Record<symbol, unknown>)[UNDICI_DISPATCHER] = new current.constructor({ connect: { lookup } });
  installed = true;
}

