/**
 * Nothing secret reaches a log line: real axios and jsforce errors carrying tokens (with their request
 * headers, form bodies and cause chains), free-text messages, and a faulted trace-level sync against the
 * sandboxes. Every line is grepped for every secret and token in play.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import axios from 'axios';
import nock from 'nock';
import { cacheKeyFromEnv } from '../../connectors/partner-center/auth/encrypted-cache.js';
import { decryptCache } from '../../connectors/partner-center/auth/encrypted-cache.js';
import { Connection } from '../../connectors/salesforce/jsforce.js';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { resolveSecret } from '../../config/secrets.js';
import { ConnectorError, redactSecrets } from '../../core/errors.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { SANDBOX_APPS, SANDBOX_USERS } from '../../sandbox/entra/seed.js';
import { startWorld, type CrmKind } from '../../sandbox/world.js';
import { startRecorder } from '../helpers/recorder.js';

const BEARER = 'bearer-token-0123456789abcdef';
const CLIENT_SECRET = 'cl1ent+secret/with=chars';
const REFRESH = 'refresh-token-abcdef0123456789';
const PASSWORD = 'Very-Secret-Password-42';
const SESSION = '00DXX0000001gPL!AQ0AQHq5Ku8Fnm7o3SoZ2mUXu4bu0tBXcpkzv0y';
const BASIC = Buffer.from(`app:${CLIENT_SECRET}`).toString('base64');

/** JWTs and Salesforce session IDs, whoever issued them. */
const TOKEN_SHAPES = [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, /00D[A-Za-z0-9]{12,15}(!|%21)/];

function capture(level: string): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}

function assertClean(lines: string[], secrets: readonly string[]): void {
  assert.ok(lines.length > 0, 'something was logged');
  for (const line of lines) {
    for (const secret of secrets) {
      for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) {
        assert.ok(!line.includes(form), `a secret (${secret.slice(0, 6)}…) reached the log: ${line.slice(0, 400)}`);
      }
    }
    for (const shape of TOKEN_SHAPES) assert.doesNotMatch(line, shape, `a token reached the log: ${line.slice(0, 400)}`);
  }
}

// Importing nock turns its interceptor on for the whole process: a suite that runs after this file is loaded
// (mocha loads every file of a process before running any; a parallel worker runs several files) had its
// requests through a local proxy (a CONNECT tunnel) hang (test/security/credential-origin.test.ts timed out).
// The interceptor is on only while this suite runs.
nock.restore();

describe('log redaction', () => {
  before(() => nock.activate());
  after(() => nock.restore());
  afterEach(() => nock.cleanAll());

  it('redactSecrets recognises bearer and basic credentials, session IDs, URL-encoded and JSON secrets', () => {
    const text = [
      `Authorization: Bearer ${BEARER}`,
      `Authorization: Basic ${BASIC}`,
      `grant_type=client_credentials&client_secret=${encodeURIComponent(CLIENT_SECRET)}&client_id=app`,
      `q=${encodeURIComponent(`client_secret=${CLIENT_SECRET}`)}`,
      `sid ${SESSION}; ${encodeURIComponent(SESSION)}`,
      JSON.stringify({ refresh_token: REFRESH, password: PASSWORD, clientSecret: CLIENT_SECRET }),
    ].join('\n');
    const out = redactSecrets(text);
    for (const secret of [BEARER, BASIC, CLIENT_SECRET, encodeURIComponent(CLIENT_SECRET), SESSION, encodeURIComponent(SESSION), REFRESH, PASSWORD]) {
      assert.ok(!out.includes(secret), `${secret} survived: ${out}`);
    }
    assert.match(out, /errorCode|client_id=app/);
  });

  it('a real axios error (token in headers, secret in body, cause chain) logs code, message and context only', async () => {
    nock('https://login.microsoftonline.com')
      .post('/tenant/oauth2/v2.0/token')
      .reply(401, { error: 'invalid_client', error_description: `AADSTS7000215: Invalid client secret ${CLIENT_SECRET} for refresh_token=${REFRESH}` });
    let axiosError: unknown;
    try {
      await axios.post('https://login.microsoftonline.com/tenant/oauth2/v2.0/token', `grant_type=refresh_token&refresh_token=${REFRESH}&client_secret=${encodeURIComponent(CLIENT_SECRET)}&password=${PASSWORD}`, {
        headers: { Authorization: `Bearer ${BEARER}`, Cookie: `session=${SESSION}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      });
    } catch (error) {
      axiosError = error;
    }
    assert.ok(axios.isAxiosError(axiosError));
    // The client secret is resolved from its reference, as a connector does; the log then knows it verbatim.
    process.env.COSELL_TEST_LOG_SECRET = CLIENT_SECRET;
    assert.equal(await resolveSecret('env:COSELL_TEST_LOG_SECRET'), CLIENT_SECRET);
    delete process.env.COSELL_TEST_LOG_SECRET;
    for (const level of ['info', 'trace']) {
      const { logger, lines } = capture(level);
      const wrapped = new ConnectorError('token_unavailable', 'Could not get a token', true, { status: 401, nested: { deeper: { refresh_token: REFRESH, authorization: `Bearer ${BEARER}` } } }, { cause: new Error('outer', { cause: axiosError }) });
      logger.error({ err: wrapped }, 'token refresh failed');
      logger.error(axiosError as Error);
      logger.warn({ error: axiosError, config: (axiosError as { config: unknown }).config, request: (axiosError as { request: unknown }).request }, `refresh failed with Bearer ${BEARER}`);
      logger.info({ response: { data: (axiosError as { response: { data: unknown } }).response.data } }, 'answer');
      logger.debug({ deep: { a: { b: { c: { d: { e: { password: PASSWORD, list: [{ assertion: 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJjbGllbnQifQ.c2lnbmF0dXJlLXZhbHVl' }] } } } } } } }, `session ${SESSION}`);
      assertClean(lines, [BEARER, CLIENT_SECRET, REFRESH, PASSWORD, SESSION, BASIC]);
      const first = JSON.parse(lines[0]!) as { err: { code: string; message: string; context: { status: number }; cause: { message: string; cause: { status: number; request: { url: string } } }; stack?: string } };
      assert.equal(first.err.code, 'token_unavailable');
      assert.equal(first.err.context.status, 401);
      assert.equal(first.err.cause.message, 'outer');
      assert.equal(first.err.cause.cause.status, 401, 'the cause chain is kept, through the same filter');
      assert.equal(first.err.cause.cause.request.url, 'https://login.microsoftonline.com/tenant/oauth2/v2.0/token');
      assert.equal(first.err.stack !== undefined, level === 'trace', 'stacks only at debug and below');
    }
  });

  it('a real jsforce error carrying a session ID logs nothing secret', async () => {
    const instance = await startRecorder((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ message: `Session expired or invalid: ${SESSION}`, errorCode: 'INVALID_SESSION_ID' }]));
    });
    try {
      const conn = new Connection({ instanceUrl: instance.url, accessToken: SESSION, version: '62.0' });
      const error = await conn.query('SELECT Id FROM Opportunity').then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof Error);
      assert.ok(instance.heard().includes(SESSION), 'the session really was in play');
      const { logger, lines } = capture('trace');
      logger.error({ err: error, conn }, 'query failed');
      logger.trace(error, 'again');
      assertClean(lines, [SESSION]);
    } finally {
      await instance.close();
    }
  });

  for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
    it(`a faulted trace-level sync (${kind}) logs no secret or token`, async function () {
      this.timeout(120_000);
      const { logger, lines } = capture('trace');
      const world = await startWorld(kind, { logger, fastRetries: true });
      try {
        await world.seller.createDeal(dealSpec('Faulted deal', { share: true }));
        world.set.partnerCenter.faults.configure({ rate: 0.5, kinds: { throttled: 1, 'server-error': 1, unavailable: 1, drop: 1, 'commit-then-error': 1 }, retryAfterSeconds: 0, seed: 11 });
        // Each CRM sandbox's own fault names (Partner Center's were silently ignored until 2026-12-06).
        const crmKinds = kind === 'salesforce' ? { '503': 1, UNABLE_TO_LOCK_ROW: 1 } : { server: 1, throttle: 1 };
        (kind === 'salesforce' ? world.set.salesforce.faults : world.set.dataverse.faults).configure({ rate: 0.3, kinds: crmKinds, retryAfterSeconds: 0, seed: 5 });
        await world.sync();
        world.set.partnerCenter.faults.configure({ rate: 1, kinds: { 'server-error': 1 }, seed: 3 });
        await world.sync();
        world.set.partnerCenter.faults.configure(undefined);
        (kind === 'salesforce' ? world.set.salesforce.faults : world.set.dataverse.faults).configure(undefined);
        await world.sync();

        const cachePath = world.runtime.config.partnerCenter.tokenCachePath;
        const cache = JSON.parse(decryptCache(readFileSync(cachePath, 'utf8'), cacheKeyFromEnv('COSELL_TOKEN_KEY'), cachePath)) as Record<string, Record<string, { secret?: string }>>;
        const cacheSecrets = Object.values(cache).flatMap((section) => Object.values(section ?? {}).map((entry) => entry.secret).filter((s): s is string => typeof s === 'string'));
        assert.ok(cacheSecrets.length >= 2, 'the Partner Center access and refresh tokens are in play');
        const secrets = [
          ...cacheSecrets,
          ...world.set.entra.state.refreshTokens.keys(),
          process.env.COSELL_TOKEN_KEY!,
          ...Object.values(SANDBOX_USERS).map((u) => u.password),
          ...Object.values(SANDBOX_APPS).flatMap((a) => ('clientSecret' in a ? [a.clientSecret] : [])),
          ...(kind === 'salesforce' ? [...world.set.salesforce.store.tokens.keys(), world.set.salesforce.credentials.clientSecret, world.set.salesforce.credentials.privateKeyPem.split('\n')[1]!] : []),
        ];
        assert.ok(lines.some((l) => /"level":(10|20)/.test(l)), 'debug and trace lines were written');
        assert.ok(lines.some((l) => /retry|fail/i.test(l)), 'the faults were logged');
        assertClean(lines, secrets);
      } finally {
        await world.close();
      }
    });
  }
});
