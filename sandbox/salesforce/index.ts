/**
 * A local Salesforce org for tests, the demo and the benchmark: the REST API surface that jsforce 3.10.16
 * and the connector use, answering as Salesforce does (paths, JSON shapes, headers, status codes and
 * error bodies), plus controls under `/_sandbox/…`. See README.md in this folder.
 */
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SANDBOX_SECRET_PREFIX } from '../../config/secret-transport.js';
import { SandboxClock } from '../common/clock.js';
import { CallCounter } from '../common/counters.js';
import { FaultInjector, sleep, UnknownFaultKind } from '../common/faults.js';
import { listen, Router, type SandboxRequest } from '../common/http.js';
import { requestUser, type SandboxCredentials, type SfContext } from './context.js';
import { Dml } from './dml.js';
import { SfFault } from './errors.js';
import { identityEndpoint, tokenEndpoint } from './routes/auth.js';
import { registerCompositeRoutes } from './routes/composite.js';
import { registerCompositeRequestRoute } from './routes/composite-request.js';
import { registerControlRoutes, sellerDelete, sellerEdit, sellerEditRecord } from './routes/controls.js';
import { queryHandler, queryMoreHandler } from './routes/query.js';
import { registerSobjectRoutes } from './routes/sobjects.js';
import { registerToolingRoutes } from './routes/tooling.js';
import { registerUiApiRoutes } from './routes/ui-api.js';
import { registerVersionRoutes, versionRefusal } from './routes/versions.js';
import { generate, installBaseline, INTEGRATION_USERNAME, seedDefault, type BulkOptions, type SeedSummary } from './seed.js';
import { SalesforceStore } from './store.js';
import { sendFault, sendSf } from './wire.js';

export interface SalesforceSandboxOptions {
  port?: number;
  /** Daily API request limit (Sforce-Limit-Info, /limits); over it every call gets 403 REQUEST_LIMIT_EXCEEDED. */
  dailyLimit?: number;
  /** How long an access token lives, in sandbox-clock milliseconds (default 2 hours). */
  tokenTtlMs?: number;
  /** Load the default demo data (sellers, accounts, 300 opportunities) on a fresh org. */
  seed?: boolean;
  /** Keep the org in this JSON file between runs. */
  persistFile?: string;
  clock?: SandboxClock;
  clientId?: string;
  clientSecret?: string;
  /** An RSA key pair for the JWT bearer flow; generated when absent. */
  privateKeyPem?: string;
  publicKeyPem?: string;
}

export interface SalesforceSandbox {
  url: string;
  credentials: SandboxCredentials;
  counters: CallCounter;
  faults: FaultInjector;
  itemFaults: FaultInjector;
  clock: SandboxClock;
  store: SalesforceStore;
  /** Acts as a seller in the Salesforce UI. */
  seller: {
    editOpportunity(id: string, values: Record<string, unknown>): { ok: boolean; errors?: unknown };
    editRecord(type: string, id: string, values: Record<string, unknown>): { ok: boolean; errors?: unknown };
    deleteRecord(id: string): { ok: boolean; errors?: unknown };
  };
  seed(): SeedSummary;
  generate(options: BulkOptions): SeedSummary;
  close(): Promise<void>;
}

const FAULT_ANSWERS: Record<string, SfFault> = {
  '503': new SfFault(503, 'SERVER_UNAVAILABLE', 'Server is temporarily unavailable. Please try again later.'),
  REQUEST_LIMIT_EXCEEDED: new SfFault(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
  UNABLE_TO_LOCK_ROW: new SfFault(400, 'UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record or 1 records'),
};

const TOKEN_PATH = '/services/oauth2/token';

/**
 * A fault on the OAuth token endpoint. It belongs to Salesforce's login service, not the REST API: its
 * errors are OAuth's `{error, error_description}`, never the REST API's error array (which jsforce's
 * OAuth client cannot read: it reported an outage as a sign-in refused with "UNKNOWN"), and an outage
 * answers with the server's own page. REST-only faults (row locks, the API limit) do not apply to it.
 */
function sendTokenEndpointFault(res: ServerResponse, kind: string): boolean {
  if (kind !== '503') return false;
  res.writeHead(503, { 'Content-Type': 'text/html; charset=UTF-8' });
  res.end('<html><head><title>Service Unavailable</title></head><body>Service Unavailable</body></html>');
  return true;
}

function keyPair(options: SalesforceSandboxOptions): { privateKeyPem: string; publicKeyPem: string } {
  if (options.privateKeyPem && options.publicKeyPem) return { privateKeyPem: options.privateKeyPem, publicKeyPem: options.publicKeyPem };
  const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export async function startSalesforceSandbox(options: SalesforceSandboxOptions = {}): Promise<SalesforceSandbox> {
  const clock = options.clock ?? new SandboxClock();
  const store = new SalesforceStore(clock, options.dailyLimit ?? 100_000);
  const loaded = options.persistFile ? store.load(options.persistFile) : false;
  installBaseline(store);
  if (options.seed && !loaded) seedDefault(store);
  const router = new Router();
  let saveScheduled = false;
  const ctx: SfContext = {
    url: '',
    store,
    dml: new Dml(store),
    clock,
    counters: new CallCounter(),
    faults: new FaultInjector(['slow', 'drop', ...Object.keys(FAULT_ANSWERS)]),
    // A per-record fault inside a collection or composite write is a row lock, whatever it is called.
    itemFaults: new FaultInjector(['UNABLE_TO_LOCK_ROW']),
    credentials: {
      clientId: options.clientId ?? `3MVG9${crypto.randomBytes(12).toString('base64url')}`,
      // Prefixed as every sandbox credential is: the connector sends a secret over plain http only if it is a sandbox's.
      clientSecret: options.clientSecret ?? `${SANDBOX_SECRET_PREFIX}${crypto.randomBytes(24).toString('hex')}`,
      username: INTEGRATION_USERNAME,
      loginUrl: '',
      audience: '',
      ...keyPair(options),
    },
    tokenTtlMs: options.tokenTtlMs ?? 2 * 3_600_000,
    router,
    cursors: new Map(),
    persist: () => {
      if (!options.persistFile || saveScheduled) return;
      saveScheduled = true;
      setImmediate(() => {
        saveScheduled = false;
        store.save(options.persistFile!);
      });
    },
  };

  router.use(async (req: SandboxRequest, res: ServerResponse) => {
    if (req.path.startsWith('/_sandbox/')) return false;
    const versionRefused = versionRefusal(req.path);
    if (versionRefused) {
      sendFault(res, versionRefused);
      return true;
    }
    if (req.path.startsWith('/services/data/v')) {
      res.setHeader('Sforce-Limit-Info', `api-usage=${store.apiUsage + 1}/${store.dailyLimit}`);
      const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const session = token ? store.tokens.get(token) : undefined;
      if (!session || session.expiresAtMs <= clock.nowMs()) {
        res.removeHeader('Sforce-Limit-Info');
        sendSf(res, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
        return true;
      }
      requestUser.set(req, session.userId);
      store.apiUsage += 1;
      if (store.apiUsage > store.dailyLimit) {
        sendFault(res, FAULT_ANSWERS.REQUEST_LIMIT_EXCEEDED!);
        return true;
      }
    }
    const kind = ctx.faults.draw(req.method, req.path);
    if (!kind) return false;
    ctx.counters.hit(`fault:${kind}`);
    if (kind === 'slow') {
      await sleep(ctx.faults.current()?.slowMs ?? 1_000);
      return false;
    }
    if (kind === 'drop') {
      req.raw.socket.destroy();
      return true;
    }
    if (req.path === TOKEN_PATH) return sendTokenEndpointFault(res, kind);
    const answer = FAULT_ANSWERS[kind];
    if (!answer) return false;
    sendFault(res, answer);
    return true;
  });
  router.on('POST', TOKEN_PATH, (req, res) => {
    ctx.counters.hit('token');
    tokenEndpoint(ctx)(req, res);
  });
  router.on('GET', '/id/:org/:user', identityEndpoint(ctx));
  router.on('GET', '/services/data/:version/query', queryHandler(ctx));
  router.on('GET', '/services/data/:version/queryAll', queryHandler(ctx, true));
  router.on('GET', '/services/data/:version/query/:locator', queryMoreHandler(ctx));
  router.on('GET', '/services/data/:version/tooling/query/:locator', queryMoreHandler(ctx));
  registerToolingRoutes(ctx);
  registerUiApiRoutes(ctx);
  registerCompositeRoutes(ctx);
  registerCompositeRequestRoute(ctx);
  registerSobjectRoutes(ctx);
  registerVersionRoutes(ctx);
  registerControlRoutes(ctx);

  const server = await listen(async (raw: IncomingMessage, res: ServerResponse) => {
    try {
      await router.handle(raw, res, (req, r, methodMismatch) => {
        if (methodMismatch) sendSf(r, 405, [{ errorCode: 'METHOD_NOT_ALLOWED', message: `HTTP Method '${req.method}' not allowed.` }]);
        else sendSf(r, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
      });
    } catch (error) {
      if (res.headersSent) return void res.destroy();
      if (error instanceof SfFault) return sendFault(res, error);
      // A control's own mistake (a fault kind this sandbox does not answer) is answered by listen().
      if (error instanceof UnknownFaultKind) throw error;
      sendSf(res, 500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: `An unexpected error occurred: ${(error as Error).message}` }]);
    }
  }, options.port ?? 0, { clock });
  ctx.url = server.url;
  ctx.credentials.loginUrl = server.url;
  ctx.credentials.audience = server.url;

  return {
    url: server.url,
    credentials: ctx.credentials,
    counters: ctx.counters,
    faults: ctx.faults,
    itemFaults: ctx.itemFaults,
    clock,
    store,
    seller: { editOpportunity: (id, values) => sellerEdit(ctx, id, values), editRecord: (type, id, values) => sellerEditRecord(ctx, type, id, values), deleteRecord: (id) => sellerDelete(ctx, id) },
    seed: () => seedDefault(store),
    generate: (bulk) => generate(store, bulk),
    close: async () => {
      if (options.persistFile) store.save(options.persistFile);
      await server.close();
    },
  };
}

export type { SandboxCredentials } from './context.js';
export { SalesforceStore } from './store.js';
export { INTEGRATION_USERNAME } from './seed.js';
export { toId18, idChecksum } from './ids.js';
