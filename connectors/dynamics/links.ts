/**
 * Links Dataverse hands back (`@odata.nextLink`, `@odata.deltaLink`) are absolute URLs on the host that
 * answered. They are kept, stored and followed relative to the Web API root instead (`opportunities?
 * $select=…&$deltatoken=…`), and always sent to the configured `apiUrl`/`environmentUrl`:
 * - a stored delta link survives a moved endpoint (a sandbox restarted on another port, a new proxy):
 *   an older cursor that holds an absolute link is rebased by the same rule when it is read;
 * - the bearer token never goes to an origin the config does not name, whatever a link says.
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results
 */
import { ConnectorError } from '../../core/errors.js';

/** The Web API root's path; the client's service root is `<apiUrl>/api/data/v9.2/`. */
export const WEB_API_PATH = '/api/data/v9.2/';

const ORIGIN = /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#]*/i;

/**
 * The link relative to the Web API root: scheme and host dropped, the path from after `/api/data/v9.2/`,
 * the query verbatim (no re-encoding, so delta and skip tokens stay byte for byte). A link that is
 * already relative to the root is returned as it is. Pure.
 */
export function apiRelativeLink(link: string): string {
  const withoutOrigin = link.replace(ORIGIN, '');
  const rooted = withoutOrigin !== link || withoutOrigin.startsWith('/');
  if (!rooted) return link;
  const queryAt = withoutOrigin.search(/[?#]/);
  const path = queryAt < 0 ? withoutOrigin : withoutOrigin.slice(0, queryAt);
  const at = path.indexOf(WEB_API_PATH);
  if (at < 0) {
    throw new ConnectorError('unexpected_response', `Dataverse returned a link outside its Web API (${path}); it is not followed`, false, { path });
  }
  return withoutOrigin.slice(at + WEB_API_PATH.length);
}
