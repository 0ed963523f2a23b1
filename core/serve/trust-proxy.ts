/**
 * Which peers may name the client in `X-Forwarded-For` (and the scheme and host in `X-Forwarded-Proto` /
 * `-Host`): `serve > trustProxy`, the addresses or CIDR ranges of the reverse proxies in front of
 * `cosell serve`. A request from any other peer is taken at its socket address, whatever it claims, so a
 * client cannot forge the address the service logs (`from` on a refused webhook) and acts on, nor make it
 * another's. Until 2026-12-05 every peer was trusted (fastify's `trustProxy: true`). Pure.
 */

export type TrustProxySetting = boolean | readonly string[];

/** A range that covers every address (`0.0.0.0/0`, `::/0`): trusting it is trusting everyone. */
const EVERY_ADDRESS = /^(?:0\.0\.0\.0|::)\/0$/;

/** What fastify's `trustProxy` option gets: `false` for no proxy, the list (proxy-addr's form) otherwise. */
export function fastifyTrustProxy(setting: TrustProxySetting): boolean | string[] {
  if (typeof setting === 'boolean') return setting;
  return setting.length > 0 ? [...setting] : false;
}

/** Why the setting lets any client forge its address, or undefined when it does not. */
export function trustProxyWarning(setting: TrustProxySetting): string | undefined {
  const everyone = setting === true || (Array.isArray(setting) && setting.some((entry) => EVERY_ADDRESS.test(entry.trim())));
  if (!everyone) return undefined;
  return 'serve > trustProxy trusts X-Forwarded-For from every address: any client can claim any address, and the one the service logs and acts on is the forged one. List your reverse proxies\' addresses instead (e.g. [127.0.0.1] for one on this host).';
}

/** The `cosell check` item: what is trusted, with a warning when it is everyone. */
export function trustProxyCheckItem(setting: TrustProxySetting): { name: string; ok: boolean; detail: string } {
  const name = 'Forwarded client addresses';
  const warning = trustProxyWarning(setting);
  if (warning) return { name, ok: true, detail: `WARNING: ${warning}` };
  const list = fastifyTrustProxy(setting);
  return { name, ok: true, detail: list === false ? 'X-Forwarded-For is ignored (no reverse proxy listed in serve > trustProxy); clients are known by their socket address' : `X-Forwarded-For is taken only from ${(list as string[]).join(', ')}` };
}
