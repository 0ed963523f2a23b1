/**
 * A credential goes only to the origin it was configured for. The guard sits on the axios instance that
 * attaches the token, so no call site (an absolute URL, a server-supplied link, a later edit) can carry the
 * token elsewhere: a request to another origin is refused before a byte is sent.
 */
import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios';
import { ConnectorError } from '../errors.js';

/**
 * Thrown before sending; never retried (another attempt would go to the same wrong place). What fixes it is
 * the config (the endpoint it names), so a command ends with the config's exit code (2); `configKey` names
 * the key when one decides where the credential may go.
 */
export class CredentialOriginError extends ConnectorError {
  constructor(service: string, target: string, allowed: string, configKey?: string) {
    const where = configKey ? `the endpoint ${configKey} allows` : 'the configured endpoint';
    super('credential_origin', `Refused to send the ${service} credential to ${target}: only ${allowed} (${where}) receives it`, false, { target, allowed, ...(configKey ? { field: configKey } : {}) });
  }
}

/**
 * Whether a request is for a path below an http(s) base URL, which axios joins to it (its `combineURLs`:
 * the base without trailing slashes, one slash, the path without leading ones); not for anything else (an
 * absolute or protocol-relative URL, no base, query parameters), which `getUri` resolves. Every call the
 * connectors build is such a path, and `getUri` costs a whole merge of the request's config with the
 * instance's defaults, once more on every request.
 */
function isPathBelowBase(config: InternalAxiosRequestConfig): boolean {
  const { url, baseURL, params } = config;
  if (params !== undefined || typeof url !== 'string' || typeof baseURL !== 'string') return false;
  return url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\') && /^https?:\/\//i.test(baseURL);
}

/** The origins of the base URLs met, a handful per process (one per configured service). */
const baseOrigins = new Map<string, string>();
const BASE_ORIGINS_KEPT = 64;

/**
 * The origin of a path below an http(s) base URL: the base's own. A base that parses ends its authority
 * where its text ends (or earlier), and the slash that joins the path ends it there too, so nothing in the
 * path reaches the host part (a base that does not parse is refused, as before). Parsing the joined URL
 * again on every request cost more than the rest of the check.
 */
function baseOrigin(baseURL: string): string {
  let origin = baseOrigins.get(baseURL);
  if (origin === undefined) {
    origin = new URL(baseURL).origin;
    if (baseOrigins.size < BASE_ORIGINS_KEPT) baseOrigins.set(baseURL, origin);
  }
  return origin;
}

/**
 * The origin a request would reach (baseURL joined with url, as axios does), or the raw text if unparsable.
 * axios builds it from the URL options alone; `getUri` merges whatever config it is given with the
 * instance's defaults, so it gets only those options: given the whole config it deep-copied the request
 * body on every request (a referral create's JSON, again).
 */
export function requestOrigin(instance: AxiosInstance, config: InternalAxiosRequestConfig): string {
  const { url, baseURL, allowAbsoluteUrls, params, paramsSerializer } = config;
  try {
    if (isPathBelowBase(config)) return baseOrigin(baseURL!);
    return new URL(instance.getUri({ url, baseURL, allowAbsoluteUrls, params, paramsSerializer })).origin;
  } catch {
    return String(config.url ?? '');
  }
}

/** Installs the guard: every request of `instance` must go to `allowedUrl`'s origin. */
export function guardCredentialOrigin(instance: AxiosInstance, allowedUrl: string, service: string): void {
  const allowed = new URL(allowedUrl).origin;
  // Synchronous: axios then runs the check in line instead of through a chain of promises per request.
  instance.interceptors.request.use(
    (config) => {
      const target = requestOrigin(instance, config);
      if (target !== allowed) throw new CredentialOriginError(service, target, allowed);
      return config;
    },
    undefined,
    { synchronous: true },
  );
}
