/**
 * The Microsoft identity platform's error body, as "Handling error codes in your application" shows it
 * (https://learn.microsoft.com/entra/identity-platform/reference-error-codes):
 *   {"error":"invalid_scope","error_description":"AADSTS70011: …\r\nTrace ID: 0000aaaa-…\r\nCorrelation ID: aaaa0000-…\r\nTimestamp: 2016-01-09 02:02:12Z",
 *    "error_codes":[70011],"timestamp":"2016-01-09 02:02:12Z","trace_id":"0000aaaa-…","correlation_id":"aaaa0000-…",
 *    "error_uri":"https://login.microsoftonline.com/error?code=70011"}
 * The trace ID, correlation ID and timestamp in the description are those of the body's own members.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { SandboxClock } from '../common/clock.js';
import { sendJson } from '../common/http.js';

/** Entra marks revoked and expired grants with `suberror: bad_token`, which msal turns into InteractionRequiredAuthError. */
const BAD_TOKEN_CODES = new Set([50173, 700082]);

/** `2016-01-09 02:02:12Z`: whole seconds, a space for the `T`. */
const entraTimestamp = (clock: SandboxClock): string => `${clock.now().toISOString().slice(0, 19).replace('T', ' ')}Z`;

export function aadErrorBody(error: string, aadsts: number, description: string, clock: SandboxClock): Record<string, unknown> {
  const timestamp = entraTimestamp(clock);
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return {
    error,
    ...(BAD_TOKEN_CODES.has(aadsts) ? { suberror: 'bad_token' } : {}),
    error_description: `AADSTS${aadsts}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
  };
}

export function aadError(res: ServerResponse, status: number, error: string, aadsts: number, description: string, clock: SandboxClock): void {
  sendJson(res, status, aadErrorBody(error, aadsts, description, clock));
}
