/**
 * A deadline on every Salesforce call, the sign-in included (`crm > salesforce > timeoutMs`). jsforce
 * 3.10.16 gives a request 30 minutes when no `timeout` option is set, and its Connection methods take no
 * per-call option: a Salesforce that stopped answering held a run, and its lock, for half an hour. The
 * option is added to each request at the two transports a connection sends through: the REST one and the
 * OAuth2 one (sign-in and new tokens).
 */
import type { JsforceConnection } from './jsforce.js';
import { connectionTransports } from './transports.js';

interface TimedTransport {
  httpRequest(req: unknown, options?: { timeout?: number }): PromiseLike<unknown>;
}

/** What a timed-out call says, instead of jsforce's "aborted … timeout of 10 minutes" (whatever the limit was). */
export function noAnswerWithin(timeoutMs: number): string {
  return `no answer within ${Math.round(timeoutMs / 100) / 10} s (crm > salesforce > timeoutMs)`;
}

export function limitCallTime(conn: JsforceConnection, timeoutMs: number): void {
  for (const transport of connectionTransports<TimedTransport>(conn)) {
    const send = transport.httpRequest.bind(transport);
    transport.httpRequest = (req, options = {}) => {
      const pending = send(req, { ...options, timeout: options.timeout ?? timeoutMs });
      // Registered before jsforce awaits the request, so the message is set before errors.ts reads it. The
      // request itself is handed back untouched (jsforce reads its stream).
      pending.then(undefined, (error: unknown) => {
        if ((error as Error | undefined)?.name === 'AbortError') (error as Error).message = noAnswerWithin(timeoutMs);
      });
      return pending;
    };
  }
}
