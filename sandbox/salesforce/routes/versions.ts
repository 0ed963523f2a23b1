/**
 * Discovery resources: Versions (`/services/data/`) and Resources by Version (`/services/data/vXX.X/`).
 * https://developer.salesforce.com/docs/platform/api-rest/guide/dome-versions.md
 * https://developer.salesforce.com/docs/platform/api-rest/guide/dome-discoveryresource.md
 *
 * Resources by Version lists "the name and URI of each additional resource"; jsforce's `identity()` reads
 * its `identity` entry (the user's identity URL, absolute) when the connection knows no user yet. The
 * sandbox lists only the resources it answers.
 */
import { userOf, type SfContext } from '../context.js';
import { notFound, SfFault } from '../errors.js';
import { sendSf } from '../wire.js';

/** The org's release is 64.0; 31.0 is the oldest version not retired (7.0–30.0 were, by Summer '25). */
const OLDEST = 31;
const NEWEST = 64;
const VERSIONS = Array.from({ length: NEWEST - OLDEST + 1 }, (_, i) => `${OLDEST + i}.0`);

/**
 * The refusal of a `/services/data/{segment}/…` path whose version the org does not serve, or undefined.
 * "If you request any resource or use an operation from a retired API version, REST API returns the
 * 410:GONE error code" (API End-of-Life); a version the org does not have, or a segment that is not
 * `vNN.N`, is an unknown resource (404). The 410 body's wording is ours: the guide gives only the status.
 */
export function versionRefusal(path: string): SfFault | undefined {
  const segment = /^\/services\/data\/([^/]+)/.exec(path)?.[1];
  if (segment === undefined) return undefined;
  const version = /^v(\d+)\.0$/.exec(segment);
  const major = version ? Number(version[1]) : NaN;
  if (major >= OLDEST && major <= NEWEST) return undefined;
  if (major >= 7 && major < OLDEST) return new SfFault(410, 'GONE', `API version ${major}.0 is retired and unavailable; use version ${OLDEST}.0 or later.`);
  return notFound();
}
const RESOURCES = ['sobjects', 'query', 'queryAll', 'composite', 'limits', 'tooling', 'ui-api'];

export function registerVersionRoutes(ctx: SfContext): void {
  ctx.router.on('GET', '/services/data', (_req, res) => {
    sendSf(res, 200, VERSIONS.map((v) => ({ label: 'Sandbox', url: `/services/data/v${v}`, version: v })));
  });
  ctx.router.on('GET', '/services/data/:version', (req, res) => {
    const version = req.params.version!;
    const resources = Object.fromEntries(RESOURCES.map((name) => [name, `/services/data/${version}/${name}`]));
    sendSf(res, 200, { ...resources, identity: `${ctx.url}/id/${ctx.store.orgId}/${userOf(req, ctx)}` });
  });
}
