/**
 * The links a collection read hands back — `@odata.nextLink` with a `$skiptoken` paging cookie and
 * `@odata.deltaLink` with a `$deltatoken` — and the `@odata.context` of its answer, written in the shapes
 * Microsoft's pages show:
 *   `$skiptoken=%3Ccookie%20pagenumber=%222%22%20pagingcookie=%22…%22%20istracking=%22False%22%20/%3E`
 *   https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results
 *   `$deltatoken=919042%2108%2f22%2f2017%2008%3a10%3a44`
 *   https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 * The cookie's `pagingcookie` is the sandbox's own (base64url JSON): clients must treat it as opaque.
 */
import { CODES, DataverseError, type ApiRequest } from './api-types.js';
import type { TableState } from './store.js';

export interface PageCookie {
  /** Sort values of the last row served, then its key. */
  last?: unknown[];
  /** Change tracking: the version the delta is relative to (null on the initial sync). */
  base?: number | null;
  /** Change tracking: the organisation's version when the listing's first page was asked. */
  snap?: number;
  /** Change tracking, last-page tokens: the version up to which every changed row has been listed. */
  listedTo?: number;
  phase?: 'rows' | 'deleted';
  after?: number;
  page: number;
}

export function encodeCookie(cookie: PageCookie, tracking: boolean): string {
  const inner = Buffer.from(JSON.stringify(cookie)).toString('base64url');
  return `<cookie pagenumber="${cookie.page}" pagingcookie="${inner}" istracking="${tracking ? 'True' : 'False'}" />`;
}

export function decodeCookie(token: string): PageCookie {
  const m = /pagingcookie="([^"]*)"/.exec(token);
  try {
    return JSON.parse(Buffer.from(m?.[1] ?? '', 'base64url').toString('utf8')) as PageCookie;
  } catch {
    throw new DataverseError(400, CODES.invalidArgument, 'The $skiptoken value is not valid.');
  }
}

/** Whether a `$skiptoken` continues a change-tracking listing (the cookie's `istracking`). */
export const isTrackingCookie = (token: string | null): boolean => /istracking="True"/.test(token ?? '');

const pad = (n: number) => String(n).padStart(2, '0');
/** Dataverse delta tokens look like `919042!08/22/2017 08:10:44` (version, then UTC time). */
export function deltaToken(version: number, at: Date): string {
  return `${version}!${pad(at.getUTCMonth() + 1)}/${pad(at.getUTCDate())}/${at.getUTCFullYear()} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
}

export function parseDeltaToken(token: string): { version: number; issuedMs: number } {
  const m = /^(\d+)!(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(token);
  if (!m) throw new DataverseError(400, CODES.invalidArgument, 'The $deltatoken value is not valid.');
  const [, v, mo, d, y, h, mi, s] = m.map(Number) as number[];
  return { version: v!, issuedMs: Date.UTC(y!, mo! - 1, d!, h, mi, s) };
}

/** One query option's value as the documented links write it (see the file comment). */
function encodeValue(key: string, value: string): string {
  const encoded = encodeURIComponent(value).replace(/!/g, '%21');
  if (key === '$deltatoken') return encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
  if (key === '$skiptoken') return encoded.replace(/%3D/g, '=').replace(/%2F/g, '/');
  return encoded.replace(/%2C/g, ',');
}

/** The request's own URL with its paging or delta token replaced. */
export function linkWith(req: ApiRequest, state: TableState, replace: Record<string, string>): string {
  const params = new URLSearchParams(req.query);
  for (const key of ['$skiptoken', '$deltatoken']) params.delete(key);
  for (const [k, v] of Object.entries(replace)) params.set(k, v);
  const query = [...params.entries()].map(([k, v]) => `${k}=${encodeValue(k, v)}`).join('&');
  return `${req.serviceRoot}${state.def.entitySet}?${query}`;
}

export function contextOf(req: ApiRequest, state: TableState, select: string[] | undefined, suffix = ''): string {
  return `${req.serviceRoot}$metadata#${state.def.entitySet}${select ? `(${select.join(',')})` : ''}${suffix}`;
}
