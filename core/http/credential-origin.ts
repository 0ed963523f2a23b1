/**
 * A credential goes only to the origin it was configured for. The guard sits on the axios instance that
 * attaches the token, so no call site (an absolute URL, a server-supplied link, a later edit) can carry the
 * token elsewhere: a request to another origin is refused before a byte is sent.
 */
import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios';
import { ConnectorError } from '../errors.js';

/** Thrown before sending; never retried (another attempt would go to the same wrong place). */
export class CredentialOriginError extends ConnectorError {
  constructor(service: string, target: string, allowed: string) {
    super('credential_origin', `Refused to send the ${service} credential to ${target}: only ${allowed} (the configured endpoint) receives it`, false, { target, allowed });
  }
}

/**
 * The full URL of a request for a path below an http(s) base URL, joined as axios joins them (its
 * `combineURLs`: the base without trailing slashes, one slash, the path without leading ones); undefined for
 * anything else (an absolute or protocol-relative URL, no base, query parameters), which `getUri` resolves.
 * Every call the connectors build is such a path, and `getUri` costs a whole merge of the request's config
 * with the instance's defaults, once more on every request.
 */
function pathBelowBase(config: InternalAxiosRequestConfig): string | undefined {
  const { url, baseURL, params } = config;
  if (params !== undefined || typeof url !== 'string' || typeof baseURL !== 'string') return undefined;
  if (!url.startsWith('/') || url.startsWith('//') || url.startsWith('/\\') || !/^https?:\/\//i.test(baseURL)) return undefined;
  return `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
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
    return new URL(pathBelowBase(config) ?? instance.getUri({ url, baseURL, allowAbsoluteUrls, params, paramsSerializer })).origin;
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
