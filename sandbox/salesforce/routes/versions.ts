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
import { sendSf } from '../wire.js';

const VERSIONS = ['58.0', '59.0', '60.0', '61.0', '62.0', '63.0', '64.0'];
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
