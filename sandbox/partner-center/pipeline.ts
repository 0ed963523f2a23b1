/**
 * What every API request goes through, in order: the call counter, fault injection (before the work:
 * 429/500/503/slow/dropped connection; after it: a committed write answered with a 500 or a dropped
 * connection, so a client must look before it retries a create), authentication, the handler, and the
 * documented response headers (`request-id`, `client-request-id` echoed; partner-center-api.md §1.3).
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { CallCounter } from '../common/counters.js';
import type { FaultInjector } from '../common/faults.js';
import { sendEmpty, sendJson, type Handler, type SandboxRequest } from '../common/http.js';
import { sleep } from '../common/faults.js';
import { authenticate, type AuthSettings } from './auth.js';
import { errorBody, type ApiFailure } from './failures.js';
import type { Caller } from './organizations.js';
import type { RefusalLog } from './refusal-log.js';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type ApiHandler = (req: SandboxRequest, caller: Caller) => Reply | Promise<Reply>;

/** The fault kinds this sandbox answers, for `FaultConfig.kinds`. */
export const FAULT_KINDS = ['throttled', 'server-error', 'unavailable', 'slow', 'drop', 'commit-then-error', 'commit-then-drop'] as const;
export type PartnerCenterFault = (typeof FAULT_KINDS)[number];

export interface PipelineDeps {
  counters: CallCounter;
  faults: FaultInjector;
  auth: AuthSettings;
  /** Where the 4xx answers of the handlers (not the injected faults) are kept. */
  refusals?: RefusalLog;
  /** The sandbox clock's time, for the refusal log. */
  nowIso?: () => string;
}

export function failureReply(failure: ApiFailure): Reply {
  return { status: failure.status, body: errorBody(failure), ...(failure.headers ? { headers: failure.headers } : {}) };
}

function send(req: SandboxRequest, res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = {
    'request-id': req.headers['request-id'] ?? randomUUID(),
    ...(req.headers['client-request-id'] ? { 'client-request-id': req.headers['client-request-id'] } : {}),
    ...(req.headers['ms-correlationid'] ? { 'ms-correlationid': req.headers['ms-correlationid'] } : {}),
    ...reply.headers,
  };
  if (reply.body === undefined) sendEmpty(res, reply.status, headers);
  else sendJson(res, reply.status, reply.body, headers);
}

function faultReply(kind: string, retryAfterSeconds: number): Reply | undefined {
  const retryAfter = { 'retry-after': String(retryAfterSeconds) };
  switch (kind) {
    case 'throttled':
      return { status: 429, headers: retryAfter, body: errorBody({ status: 429, code: 'serviceNotAvailable', message: 'Too many requests. Retry after the time in Retry-After.' }) };
    case 'unavailable':
      return { status: 503, headers: retryAfter, body: errorBody({ status: 503, code: 'serviceNotAvailable', message: 'The service is temporarily unavailable.' }) };
    case 'server-error':
    case 'commit-then-error':
      return { status: 500, body: errorBody({ status: 500, code: 'generalException', message: 'An internal error occurred. Callers may retry this.' }) };
    default:
      return undefined;
  }
}

/** A bug in a handler still answers in the documented shape (without a stack trace). */
async function safely(run: () => Reply | Promise<Reply>): Promise<Reply> {
  try {
    return await run();
  } catch (error) {
    return failureReply({ status: 500, code: 'generalException', message: `The sandbox failed to handle the request: ${(error as Error).message}` });
  }
}

/** Wraps an API handler for the router; `label` names the endpoint in the call counter. */
export function apiRoute(label: string, handler: ApiHandler, deps: PipelineDeps, audiences?: readonly string[]): Handler {
  return async (req, res) => {
    deps.counters.hit(label);
    const fault = deps.faults.draw(req.method, req.path);
    const config = deps.faults.current();
    if (fault === 'drop') return void res.destroy();
    if (fault === 'slow') await sleep(config?.slowMs ?? 2_000);
    const early = fault === 'throttled' || fault === 'server-error' || fault === 'unavailable' ? faultReply(fault, config?.retryAfterSeconds ?? 1) : undefined;
    if (early) return send(req, res, early);

    const caller = authenticate(req.headers.authorization, deps.auth, audiences);
    const reply = caller.ok ? await safely(() => handler(req, caller.value)) : failureReply(caller.failure);
    deps.refusals?.record(deps.nowIso?.() ?? new Date().toISOString(), req.method, req.path, reply.status, reply.body);
    // The work is done (a create is committed); the client only sees a failure.
    if (fault === 'commit-then-drop') return void res.destroy();
    if (fault === 'commit-then-error') return send(req, res, faultReply(fault, 0) as Reply);
    send(req, res, reply);
  };
}
