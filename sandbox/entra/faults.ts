/**
 * Faults on the Entra sandbox's token endpoints, so that clients can be tried against an identity
 * platform that is briefly down: `503` answers as the Microsoft identity platform documents a busy token
 * endpoint (`temporarily_unavailable`: "The server is temporarily too busy to handle the request. Retry
 * the request after a small delay", error-codes table of the OAuth 2.0 flows), `slow` delays the answer
 * (`slowMs`), `drop` destroys the socket. Controls: `PUT /_sandbox/entra/faults` {rate, kinds, match?,
 * limit?, slowMs?} and `DELETE /_sandbox/entra/faults`.
 */
import { parseJsonBody, sendJson, type Router, type SandboxRequest } from '../common/http.js';
import { FaultInjector, sleep, type FaultConfig } from '../common/faults.js';
import type { SandboxClock } from '../common/clock.js';
import { aadErrorBody } from './errors.js';

const TOKEN_PATH = /\/oauth2(\/v2\.0)?\/token$/;

/** What the token endpoints answer as faults (above). */
export const TOKEN_FAULT_KINDS = ['503', 'slow', 'drop'] as const;

export function mountTokenFaults(router: Router, faults: FaultInjector, clock: SandboxClock): void {
  router.use(async (req: SandboxRequest, res) => {
    if (req.method !== 'POST' || !TOKEN_PATH.test(req.path)) return false;
    const kind = faults.draw(req.method, req.path);
    if (!kind) return false;
    if (kind === 'slow') {
      await sleep(faults.current()?.slowMs ?? 1_000);
      return false;
    }
    if (kind === 'drop') {
      req.raw.socket.destroy();
      return true;
    }
    if (kind !== '503') return false;
    sendJson(res, 503, aadErrorBody('temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.', clock));
    return true;
  });
  router.on('PUT', '/_sandbox/entra/faults', (req, res) => {
    const parsed = parseJsonBody(req);
    faults.configure(parsed.ok ? (parsed.value as FaultConfig) : undefined);
    sendJson(res, 200, { faults: faults.current() ?? null });
  });
  router.on('DELETE', '/_sandbox/entra/faults', (_req, res) => {
    faults.configure(undefined);
    sendJson(res, 200, { faults: null });
  });
}
