/**
 * The axios instance the Partner Center client sends through, with as little as axios does per request on
 * its behalf: every default an instance carries is merged into each request's config again
 * (`mergeConfig`: each object copied, each array sliced, each key validated), and every body and answer
 * transform runs between two or three passes over the headers (`AxiosHeaders.normalize`: each name looked
 * up again, each value, the bearer token included, sanitised by a regular expression). The requests on the
 * wire, the answers read and the errors raised are axios' own; test/partner-center/json-answers.test.ts
 * and lean-axios.test.ts pin them.
 */
import axios, { type AxiosInstance } from 'axios';

/**
 * Defaults `axios.create` copies from axios' global ones, left out because a request without them is the
 * same request:
 * - the header buckets (`common` and one per method): every request here names its own `Accept`, and the
 *   only other default, `common['Content-Type']: undefined`, sets nothing;
 * - `transitional`: each reader falls back to axios' own transitional defaults when it is absent, and
 *   present it was validated again on every request;
 * - `env` (the FormData and Blob classes): read only by axios' default body transform and by `data:` URLs;
 * - `adapter`: dispatch falls back to axios' global list, which picks the Node http adapter as before;
 * - `xsrfCookieName`, `xsrfHeaderName`: read only by the browser adapters (xhr, fetch);
 * - `maxContentLength`, `maxBodyLength` (-1): the http adapter applies a limit only when one is above -1;
 * - `transformRequest`, `transformResponse`, `responseType`: the body goes out already serialised
 *   ({@link jsonBody}) and the answer is read by {@link readJsonAnswer}; without a transform axios
 *   normalises the headers once, not twice, and the http adapter reads an answer as UTF-8 text for
 *   `responseType` `json` as for none.
 */
const LEFT_OUT = ['transitional', 'env', 'adapter', 'xsrfCookieName', 'xsrfHeaderName', 'maxContentLength', 'maxBodyLength', 'transformRequest', 'transformResponse', 'responseType'];

export function createLeanAxios(baseUrl: string, timeoutMs: number): AxiosInstance {
  const instance = axios.create({
    baseURL: baseUrl.replace(/\/+$/, ''),
    timeout: timeoutMs,
    // A redirect would carry the bearer token to wherever it points; the API has no reason to redirect.
    maxRedirects: 0,
    validateStatus: (status) => status >= 200 && status < 300,
  });
  const defaults = instance.defaults as unknown as Record<string, unknown>;
  defaults.headers = {};
  for (const key of LEFT_OUT) delete defaults[key];
  return instance;
}

/**
 * A request body as axios' default transform sent a JSON value: `JSON.stringify` of it. Serialised here,
 * the config carries a string, which `mergeConfig` passes on as it is, where it deep-copied an object body
 * (a referral create) on every attempt. Pure.
 */
export function jsonBody(body: unknown): string | undefined {
  return body === undefined ? undefined : JSON.stringify(body);
}

/**
 * An answer body as axios' default response transform read it for `responseType: 'json'` with its
 * transitional defaults (`silentJSONParsing`: true): a non-empty text is parsed when it is JSON and handed
 * on as the text when it is not; an empty one stays empty. For 2xx answers and refusals alike. Pure.
 */
export function readJsonAnswer(data: unknown): unknown {
  if (typeof data !== 'string' || data === '') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}
