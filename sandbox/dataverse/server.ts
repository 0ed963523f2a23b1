/**
 * The HTTP front of the Dataverse sandbox: `/api/data/v9.2/…` with bearer tokens checked against the
 * Entra sandbox's signer, fault injection, service protection 429s, call counting, and `$batch`.
 */
import type { ServerResponse } from 'node:http';
import { sleep } from '../common/faults.js';
import type { SandboxRequest } from '../common/http.js';
import type { TokenSigner } from '../entra/tokens.js';
import { dispatch, endpointLabel } from './api.js';
import { CODES, DataverseError, errorResponse, type ApiRequest, type ApiResponse } from './api-types.js';
import { batchOperations, executeBatch } from './batch.js';
import type { DataverseRuntime } from './runtime.js';

const API_PREFIX = /^\/api\/data\/v9\.[0-2]\//;

function write(res: ServerResponse, answer: ApiResponse, extra: Record<string, string> = {}): void {
  const headers: Record<string, string> = { ...answer.headers, ...extra };
  if (typeof answer.body === 'string') {
    res.writeHead(answer.status, headers);
    res.end(answer.body);
    return;
  }
  if (answer.body !== undefined) headers['Content-Type'] = 'application/json; odata.metadata=minimal';
  res.writeHead(answer.status, headers);
  res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
}

const errorBody = (status: number, code: string, message: string, headers: Record<string, string> = {}): ApiResponse => ({
  status, headers: { 'OData-Version': '4.0', ...headers }, body: { error: { code, message } },
});

/** The faults injectFault answers. */
export const DATAVERSE_FAULT_KINDS = ['throttle', 'unavailable', 'server', 'drop', 'slow'] as const;

/** Answers a drawn fault in Dataverse's own wire format; returns true when the request is done. */
async function injectFault(kind: string, res: ServerResponse, retryAfter: number, slowMs: number): Promise<boolean> {
  switch (kind) {
    case 'throttle':
      write(res, errorBody(429, CODES.requestLimit, 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.', { 'Retry-After': String(retryAfter) }));
      return true;
    case 'unavailable':
      write(res, errorBody(503, '', 'The service is temporarily unavailable.', { 'Retry-After': String(retryAfter) }));
      return true;
    case 'server':
      write(res, errorBody(500, '0x80040216', 'An unexpected error occurred.'));
      return true;
    case 'drop':
      res.socket?.destroy();
      return true;
    case 'slow':
      await sleep(slowMs);
      return false;
    default:
      return false;
  }
}

/**
 * A `slow` fault aimed by its `match` at an operation's "METHOD path" inside a `$batch` delays the batch
 * carrying it, as a slow save inside it would: a test can hold a write-back (`PATCH …/opportunities(`)
 * without holding the change feed's reads, which travel in `$batch` calls too. Other fault kinds, and
 * faults without a `match`, apply to whole requests only (as in the Salesforce sandbox's Composite calls).
 */
async function slowOperation(rt: DataverseRuntime, req: ApiRequest): Promise<void> {
  const config = rt.faults.current();
  if (!config?.match || Object.keys(config.kinds).some((kind) => kind !== 'slow')) return;
  for (const op of batchOperations(req)) {
    if (rt.faults.draw(op.method, `/api/data/v9.2/${op.path}`) !== 'slow') continue;
    rt.counters.hit('fault:slow');
    await sleep(config.slowMs ?? 1_000);
    return;
  }
}

export function dataverseMiddleware(rt: DataverseRuntime, signer: TokenSigner) {
  return async (req: SandboxRequest, res: ServerResponse): Promise<boolean> => {
    // `/api/data/v9.x/`: the request's own version (v9.0–v9.2) goes in every URL the answer gives.
    const prefix = API_PREFIX.exec(req.path)?.[0];
    if (prefix === undefined) return false;
    const path = req.path.slice(prefix.length);
    const fault = rt.faults.draw(req.method, req.path);
    const config = rt.faults.current();
    if (fault && (await injectFault(fault, res, config?.retryAfterSeconds ?? 1, config?.slowMs ?? 200))) return true;

    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const verified = token ? signer.verify(token, rt.environmentUrl, Math.floor(rt.clock.nowMs() / 1000)) : { ok: false as const, reason: 'Bearer token is missing.' };
    const challenge = { 'WWW-Authenticate': `Bearer authorization_uri=https://login.microsoftonline.com/common/oauth2/authorize, resource_id=${rt.environmentUrl}` };
    if (!verified.ok) {
      write(res, errorBody(401, '0x80072560', verified.reason, challenge));
      return true;
    }
    const appId = verified.claims.appid;
    const user = [...rt.store.table('systemuser')!.rows.values()].find((u) => u.applicationid === appId && u.isdisabled !== true);
    if (!user) {
      write(res, errorBody(403, '0x80072560', `The user is not a member of the organization (application ${appId} has no application user).`));
      return true;
    }
    const callerId = String(user.systemuserid);
    const admitted = rt.admit(callerId);
    if (!admitted.ok) {
      const message = admitted.code === 'requests'
        ? `Number of requests exceeded the limit of ${rt.limits.requests} over time window of ${rt.limits.windowMs / 1000} seconds.`
        : `Number of concurrent requests exceeded the limit of ${rt.limits.concurrent}.`;
      write(res, errorBody(429, admitted.code === 'requests' ? CODES.requestLimit : CODES.concurrencyLimit, message, { 'Retry-After': String(admitted.retryAfter) }));
      return true;
    }
    try {
      const apiReq: ApiRequest = {
        method: req.method, path, query: req.query, headers: req.headers, body: req.rawBody.toString('utf8'),
        serviceRoot: `http://${req.headers.host ?? '127.0.0.1'}${prefix}`, callerId,
      };
      let answer: ApiResponse;
      if (path === '$batch' && req.method === 'POST') {
        rt.counters.hit('POST $batch');
        await slowOperation(rt, apiReq);
        try {
          answer = executeBatch(rt.store, apiReq, {
            base: { serviceRoot: apiReq.serviceRoot, callerId },
            onOperation: (method, opPath) => {
              rt.counters.hit('$batch operations');
              rt.counters.hit(`$batch ${endpointLabel(method, opPath)}`);
            },
          });
        } catch (error) {
          if (!(error instanceof DataverseError)) throw error;
          answer = errorResponse(error);
        }
      } else {
        rt.counters.hit(endpointLabel(req.method, path));
        answer = dispatch(rt.store, apiReq);
      }
      if (req.method !== 'GET') rt.changed();
      write(res, answer, { 'x-ms-ratelimit-burst-remaining-xrm-requests': String(admitted.remaining) });
    } finally {
      rt.release(callerId);
    }
    return true;
  };
}
