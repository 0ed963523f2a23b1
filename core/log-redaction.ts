/**
 * What reaches a log line, made safe in one place. Path-based redaction only covers the paths someone
 * thought of; errors from axios and jsforce carry the request (headers with the bearer token, the form body
 * with the client secret, `request._header`) and a `cause` chain at any depth. So every logged object is
 * walked: keys that name a credential are censored at any depth, every string goes through
 * `redactSecrets`, and errors are reduced to code, message and safe context (stacks only at debug), with
 * their causes through the same filter. The message string gets the same treatment. Last, the written line
 * has its invisible controls escaped (log-line-escapes.ts).
 */
import type { LoggerOptions } from 'pino';
import { redactSecrets } from './errors.js';
import { escapeInvisibles } from './log-line-escapes.js';

export const CENSOR = '[redacted]';

/** Key names whose values are credentials, wherever they appear (`Authorization`, `set-cookie`, `refresh_token`, `clientSecret`…). */
const SECRET_KEY = /authori[sz]ation|cookie|token|secret|passw(or)?d|passphrase|assertion|session|^sid$|private_?key|api_?key|credential|signature|^_header$/i;

const MAX_DEPTH = 8;
const MAX_CAUSES = 5;

export interface RedactOptions {
  /** Include (redacted) stack traces: only when the logger runs at debug or trace. */
  stacks: boolean;
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A credential-named key keeps numbers and booleans (counters such as `tokenRefreshes`), nothing else. */
function censorable(value: unknown): boolean {
  return value !== null && value !== undefined && typeof value !== 'number' && typeof value !== 'boolean';
}

/** A deep copy with credentials censored and strings redacted; cycles and very deep objects are cut. */
export function redactValue(value: unknown, options: RedactOptions, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  if (value instanceof Error) return serializeError(value, options, depth, seen);
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return '[binary]';
  if (value instanceof Date) return value.toISOString();
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[deep]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, options, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key) && censorable(item) ? CENSOR : redactValue(item, options, depth + 1, seen);
  }
  return out;
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  errorCode?: unknown;
  message?: unknown;
  retryable?: unknown;
  context?: unknown;
  status?: unknown;
  statusCode?: unknown;
  stack?: unknown;
  cause?: unknown;
  isAxiosError?: unknown;
  config?: { method?: unknown; url?: unknown; baseURL?: unknown };
  response?: { status?: unknown };
}

/**
 * An error as a log line may show it: type, code, message, status, retryable, safe context, the
 * request's method and URL for HTTP errors (never its headers or body), the cause chain, and the stack
 * only at debug. Every string is redacted.
 */
export function serializeError(error: unknown, options: RedactOptions, depth = 0, seen = new WeakSet<object>(), causes = 0): unknown {
  if (!error || typeof error !== 'object') return redactValue(error, options, depth, seen);
  if (seen.has(error)) return '[circular]';
  seen.add(error);
  const e = error as ErrorLike;
  const text = (v: unknown) => (typeof v === 'string' ? redactSecrets(v) : undefined);
  const status = typeof e.response?.status === 'number' ? e.response.status : typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const out: Record<string, unknown> = {
    type: typeof e.name === 'string' ? e.name : error.constructor?.name,
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: e.code } : {}),
    ...(typeof e.errorCode === 'string' ? { errorCode: e.errorCode } : {}),
    message: text(e.message) ?? '',
    ...(status !== undefined ? { status } : {}),
    ...(typeof e.retryable === 'boolean' ? { retryable: e.retryable } : {}),
    ...(e.context && typeof e.context === 'object' ? { context: redactValue(e.context, options, depth + 1, seen) } : {}),
  };
  if (e.isAxiosError === true && e.config) {
    out.request = { method: text(e.config.method), url: text(`${typeof e.config.baseURL === 'string' && typeof e.config.url === 'string' && !/^[a-z]+:/i.test(e.config.url) ? e.config.baseURL : ''}${String(e.config.url ?? '')}`) };
  }
  if (options.stacks && typeof e.stack === 'string') out.stack = redactSecrets(e.stack);
  if (e.cause !== undefined) {
    out.cause = causes >= MAX_CAUSES ? '[more causes]' : serializeError(e.cause, options, depth + 1, seen, causes + 1);
  }
  return out;
}

/** pino options that apply all of the above; `level` decides whether stacks are kept. */
export function secretSafeLogging(level: string): Pick<LoggerOptions, 'serializers' | 'formatters' | 'hooks'> {
  const options: RedactOptions = { stacks: level === 'debug' || level === 'trace' };
  const error = (value: unknown) => (value instanceof Error ? serializeError(value, options) : value);
  return {
    serializers: {
      err: error,
      error,
      // pino writes the message after the object; it gets the same filter.
      msg: (value: unknown) => (typeof value === 'string' ? redactSecrets(value) : redactValue(value, options)),
    },
    formatters: {
      log: (object) => redactValue(object, options) as Record<string, unknown>,
      bindings: (bindings) => redactValue(bindings, options) as Record<string, unknown>,
    },
    // The line as written: invisible controls as \u escapes (log-line-escapes.ts).
    hooks: { streamWrite: escapeInvisibles },
  };
}
