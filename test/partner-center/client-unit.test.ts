/**
 * Unit-level behaviour of the Partner Center client: the pure decisions (cursor, de-duplication, paging
 * links, patch detection, error parsing), the encrypted token cache, and the HTTP layer against a tiny
 * loopback server for answers the sandbox does not give (a token echoed in an error, a lost response
 * after a committed create, a second 401).
 */
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { AuthError, BudgetPausedError, ConfigError, ConflictError, ConnectorError, RateLimitError, RemoteValidationError } from '../../core/errors.js';
import type { ApiReferral } from '../../connectors/partner-center/api-types.js';
import { cacheKeyFromEnv, decryptCache, encryptCache, encryptedFileCachePlugin } from '../../connectors/partner-center/auth/encrypted-cache.js';
import { advanceCursor, changeFeedQuery, instantMs, isDelivered, markReadThrough } from '../../connectors/partner-center/change-feed.js';
import { parseErrorBody } from '../../connectors/partner-center/errors.js';
import { createPartnerCenterClient, fixedTokenProvider, LOGIN_COMMAND, type AccessTokenProvider, type ReferralPage } from '../../connectors/partner-center/index.js';
import { nextPageQuery, patchAlreadyApplied } from '../../connectors/partner-center/referrals.js';
import { capturingLogger, FAST_RETRY, json, outboundReferral, referralJson, startTinyServer, tempDir, type TinyServer } from '../helpers/partner-center-client.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZWNyZXQtdXNlciJ9.c2lnbmF0dXJlLXNlY3JldA';

function version(id: string, updatedDateTime: string, eTag = `"${id}-${updatedDateTime}"`): ApiReferral {
  return { id, updatedDateTime, eTag };
}

describe('Partner Center client: pure decisions', () => {
  it('keeps only the query of a nextLink', () => {
    assert.equal(nextPageQuery('https://evil.example/v1.0/referrals?$skiptoken=abc%3D&$top=100'), '$skiptoken=abc%3D&$top=100');
    assert.equal(nextPageQuery('/v1.0/engagements/referrals?$skiptoken=x'), '$skiptoken=x');
  });

  it('starts the change feed overlapMs before the watermark, ordered by updatedDateTime', () => {
    assert.deepEqual(changeFeedQuery(undefined, { overlapMs: 120_000 }), { orderBy: 'updatedDateTime asc' });
    const query = changeFeedQuery({ watermark: '2026-01-01T10:00:00.000Z', recent: [] }, { overlapMs: 120_000 });
    assert.equal(query.filter, 'updatedDateTime gt 2026-01-01T09:57:59.999Z');
    assert.equal(changeFeedQuery(undefined, { overlapMs: 0, since: '2026-01-01T00:00:00Z' }).filter, 'updatedDateTime gt 2025-12-31T23:59:59.999Z');
  });

  it('advances the watermark on server timestamps and remembers only the overlap window', () => {
    const first = advanceCursor(undefined, [version('a', '2026-01-01T10:00:00.000Z'), version('b', '2026-01-01T10:05:00.000Z')], 120_000);
    assert.equal(first?.watermark, '2026-01-01T10:05:00.000Z');
    assert.deepEqual(first?.recent.map((v) => v.id), ['b'], 'a is older than the overlap and cannot be re-read');
    assert.equal(isDelivered(version('b', '2026-01-01T10:05:00.000Z'), first), true);
    assert.equal(isDelivered(version('b', '2026-01-01T10:06:00.000Z'), first), false, 'a newer version is a change');
    const second = advanceCursor(first, [version('c', '2026-01-01T10:04:00.000Z')], 120_000);
    assert.equal(second?.watermark, '2026-01-01T10:05:00.000Z', 'a late-committed older timestamp does not move the watermark back');
    assert.deepEqual(second?.recent.map((v) => v.id).sort(), ['b', 'c']);
    assert.equal(advanceCursor(second, [], 120_000), second, 'an empty page keeps the cursor');
    assert.equal(instantMs('2026-01-01T10:00:00.1234567'), Date.parse('2026-01-01T10:00:00.123Z'), 'a zone-less service timestamp is UTC');
  });

  it('anchors the window to the service time of the last full read, so a bulk change is not re-read on every idle run', () => {
    const bulk = advanceCursor(undefined, [version('a', '2026-01-01T10:00:00.000Z'), version('b', '2026-01-01T10:00:01.000Z')], 120_000);
    // Read to the end right after the bulk: the window still covers the bulk (late commits), de-duplicated.
    const justAfter = markReadThrough(bulk, '2026-01-01T10:00:05.000Z', 120_000);
    assert.equal(changeFeedQuery(justAfter, { overlapMs: 120_000 }).filter, 'updatedDateTime gt 2026-01-01T09:58:04.999Z');
    assert.deepEqual(justAfter?.recent.map((v) => v.id), ['a', 'b']);
    // The next full read, five quiet minutes later: the window starts after the bulk and remembers none of it.
    const later = markReadThrough(justAfter, '2026-01-01T10:05:05.000Z', 120_000);
    assert.equal(changeFeedQuery(later, { overlapMs: 120_000 }).filter, 'updatedDateTime gt 2026-01-01T10:03:04.999Z');
    assert.deepEqual(later?.recent, []);
    assert.equal(later?.watermark, '2026-01-01T10:00:01.000Z', 'the watermark stays the newest referral seen');
    // An older read time never moves the window back; no Date header leaves the cursor as it was.
    assert.equal(markReadThrough(later, '2026-01-01T10:01:00.000Z', 120_000), later);
    assert.equal(markReadThrough(later, undefined, 120_000), later);
    // A first listing that found nothing: the read itself is where the next window starts.
    assert.deepEqual(markReadThrough(undefined, '2026-01-01T10:00:00.000Z', 120_000), { watermark: '2026-01-01T10:00:00.000Z', readAt: '2026-01-01T10:00:00.000Z', recent: [] });
  });

  it('recognises a PATCH that already took effect', () => {
    const doc = { details: { dealValue: 10, notes: 'n' }, team: [{ email: 'a@x' }], status: 'Active' };
    assert.equal(patchAlreadyApplied(doc, [{ op: 'replace', path: '/details/dealValue', value: 10 }, { op: 'add', path: '/team/-', value: { email: 'a@x' } }]), true);
    assert.equal(patchAlreadyApplied(doc, [{ op: 'replace', path: '/details/dealValue', value: 11 }]), false);
    assert.equal(patchAlreadyApplied(doc, [{ op: 'add', path: '/team/-', value: { email: 'b@x' } }]), false);
  });

  it('reads the error code, target and nested innerError codes', () => {
    assert.deepEqual(
      parseErrorBody({ error: { code: 'invalidRequest', message: 'bad', target: 'referral', innerError: { code: 'outer', innerError: { code: 'invalidCountry' } } } }),
      { serviceCode: 'invalidRequest', target: 'referral', innerErrorCode: 'outer', innerErrorCodes: ['outer', 'invalidCountry'], message: 'bad' },
    );
    assert.deepEqual(parseErrorBody({ code: 'throttled', description: 'slow down' }), { serviceCode: 'throttled', message: 'slow down' });
  });
});

describe('Partner Center client: encrypted token cache', () => {
  it('round-trips with a raw key and with a passphrase, and never holds the plaintext', () => {
    const secret = JSON.stringify({ RefreshToken: { x: { secret: 'refresh-token-value-123' } } });
    for (const env of [{ K: Buffer.alloc(32, 7).toString('base64') }, { K: 'a long enough passphrase' }]) {
      const key = cacheKeyFromEnv('K', env);
      const sealed = encryptCache(secret, key);
      assert.doesNotMatch(sealed, /refresh-token-value-123/);
      assert.equal(decryptCache(sealed, key, 'cache.json'), secret);
    }
  });

  it('refuses a wrong key with an AuthError that says to sign in again, and a missing key with a ConfigError', () => {
    const sealed = encryptCache('{}', cacheKeyFromEnv('K', { K: 'the right passphrase' }));
    assert.throws(() => decryptCache(sealed, cacheKeyFromEnv('K', { K: 'the wrong passphrase' }), 'cache.json'), (error: Error) => {
      assert.ok(error instanceof AuthError);
      assert.ok(error.message.includes(LOGIN_COMMAND));
      return true;
    });
    assert.throws(() => cacheKeyFromEnv('COSELL_TOKEN_KEY', {}), (error: Error) => error instanceof ConfigError && /^env > COSELL_TOKEN_KEY: the environment variable COSELL_TOKEN_KEY is not set .*openssl rand -base64 32/.test(error.message));
  });
});

describe('Partner Center client: HTTP layer', () => {
  let server: TinyServer;
  let respond: (req: { method: string; url: string; body: string; headers: Record<string, unknown> }, res: Parameters<Parameters<typeof startTinyServer>[0]>[1]) => void;
  beforeEach(async () => {
    server = await startTinyServer((req, res) => respond(req, res));
  });
  afterEach(async () => server.close());

  const client = (extra: { tokens?: AccessTokenProvider; logger?: ReturnType<typeof capturingLogger>['logger']; requestBudget?: number; sleeps?: number[] } = {}) =>
    createPartnerCenterClient(
      { baseUrl: server.url, clientId: 'unused', tokenCachePath: '/unused', retry: FAST_RETRY, timeoutMs: 2_000, ...(extra.requestBudget ? { requestBudget: extra.requestBudget } : {}) },
      {
        tokens: extra.tokens ?? fixedTokenProvider(TOKEN),
        ...(extra.logger ? { logger: extra.logger } : {}),
        sleep: async (ms) => {
          extra.sleeps?.push(ms);
        },
      },
    );

  it('sends the documented headers, a fresh client-request-id per call and one MS-CorrelationId per run', async () => {
    respond = (_req, res) => json(res, 200, referralJson('r1'));
    const pc = client();
    await pc.get('r1');
    await pc.get('r1');
    const [a, b] = server.requests;
    assert.equal(a?.url, '/v1.0/engagements/referrals/r1');
    assert.equal(a?.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(a?.headers.accept, 'application/json');
    assert.match(String(a?.headers['client-request-id']), /^[0-9a-f-]{36}$/);
    assert.notEqual(a?.headers['client-request-id'], b?.headers['client-request-id']);
    assert.equal(a?.headers['ms-correlationid'], pc.correlationId);
    assert.equal(b?.headers['ms-correlationid'], pc.correlationId);
  });

  it('follows @odata.nextLink on its own host only, one request per page asked for', async () => {
    respond = (req, res) =>
      req.url.includes('$skiptoken=p2')
        ? json(res, 200, { value: [referralJson('r2')] })
        : json(res, 200, { value: [referralJson('r1')], '@odata.nextLink': 'https://elsewhere.example/v1.0/referrals?$skiptoken=p2' });
    const pc = client();
    const pages = pc.list({ filter: "status eq 'Active'", orderBy: 'updatedDateTime asc' });
    const first = await pages.next();
    assert.equal(server.requests.length, 1, 'nothing is fetched ahead of the caller');
    assert.equal(first.value?.hasMore, true);
    const second = (await pages.next()).value as ReferralPage;
    assert.deepEqual(second.referrals.map((r) => r.referralId), ['r2']);
    assert.equal((await pages.next()).done, true);
    assert.equal(decodeURIComponent(server.requests[0]?.url ?? ''), "/v1.0/engagements/referrals?$filter=status eq 'Active'&$orderby=updatedDateTime asc");
    assert.doesNotMatch(server.requests[0]?.url ?? '', /\+/, 'spaces are %20, not +');
    assert.equal(server.requests[1]?.url, '/v1.0/engagements/referrals?$skiptoken=p2', 'the token went to our host, not to elsewhere.example');
  });

  /** Answers with each of `answers` in turn, then with referral r1. */
  const answersInTurn = (answers: (() => unknown[])[]): typeof respond => (_req, res) => {
    const next = answers.shift();
    if (next) {
      const [status, body, headers] = next() as [number, unknown, Record<string, string>];
      return json(res, status, body, headers);
    }
    return json(res, 200, referralJson('r1'));
  };

  it('holds every request of the client while a throttled answer asked it to wait, not only the throttled one', async () => {
    const answers = [() => [429, { error: { code: 'throttled', message: 'slow' } }, { 'retry-after': '30' }]];
    respond = answersInTurn(answers);
    const sleeps: number[] = [];
    // A stopped clock and sleeps that return at once: the pause the 429 asked for has not passed for the next request.
    const pc = createPartnerCenterClient(
      { baseUrl: server.url, clientId: 'unused', tokenCachePath: '/unused', retry: FAST_RETRY, timeoutMs: 2_000 },
      { tokens: fixedTokenProvider(TOKEN), now: () => 1_000_000, sleep: async (ms) => void sleeps.push(ms) },
    );
    await pc.get('r1');
    assert.deepEqual(sleeps, [FAST_RETRY.maxRetryAfterMs], 'the throttled request waited its Retry-After (capped)');
    await pc.get('r2');
    assert.deepEqual(sleeps, [FAST_RETRY.maxRetryAfterMs, FAST_RETRY.maxRetryAfterMs], 'a request started during the pause waits before it is sent');
    assert.equal(server.requests.length, 3);
  });

  it('draws every request from a shared budget, and shares a 429\'s Retry-After pause with the other workers', async () => {
    respond = answersInTurn([() => [429, { error: { code: 'throttled', message: 'slow' } }, { 'retry-after': '30' }]]);
    const taken: number[] = [];
    const paused: number[] = [];
    const pc = createPartnerCenterClient(
      { baseUrl: server.url, clientId: 'unused', tokenCachePath: '/unused', retry: FAST_RETRY, timeoutMs: 2_000 },
      { tokens: fixedTokenProvider(TOKEN), now: () => 1_000_000, sleep: async () => undefined, sharedBudget: { take: async (n) => void taken.push(n), pause: async (until) => void paused.push(until) } },
    );
    await pc.get('r1');
    assert.equal(server.requests.length, 2);
    assert.deepEqual(taken, [1, 1], 'one call taken per request sent, the retry included');
    assert.deepEqual(paused, [1_000_000 + FAST_RETRY.maxRetryAfterMs], 'the pause Partner Center asked for, for every worker of the organisation');
  });

  it('honours Retry-After on 429 (capped by the options) and retries 500s, but never a 400', async () => {
    const answers = [() => [429, { error: { code: 'throttled', message: 'slow' } }, { 'retry-after': '30' }], () => [500, { error: { code: 'generalException', message: 'x' } }, {}]];
    respond = answersInTurn(answers);
    const sleeps: number[] = [];
    const pc = client({ sleeps });
    await pc.get('r1');
    assert.equal(server.requests.length, 3);
    assert.equal(sleeps[0], FAST_RETRY.maxRetryAfterMs, 'Retry-After 30 s is capped at the configured maximum');
    assert.equal(pc.callStats().retries, 2);

    respond = (_req, res) => json(res, 400, { error: { code: 'invalidRequest', message: 'country is not ISO', target: 'customerProfile', innerError: { code: 'invalidCountry' } } }, { 'request-id': 'req-400' });
    await assert.rejects(pc.get('r2'), (error: Error) => {
      assert.ok(error instanceof RemoteValidationError);
      assert.deepEqual(
        { status: error.context.status, serviceCode: error.context.serviceCode, target: error.context.target, inner: error.context.innerErrorCode, requestId: error.context.requestId },
        { status: 400, serviceCode: 'invalidRequest', target: 'customerProfile', inner: 'invalidCountry', requestId: 'req-400' },
      );
      return true;
    });
    assert.equal(server.requests.length, 4, 'a 400 is sent once');
  });

  it('turns a 412 into ConflictError without retrying, and an exhausted 429 into RateLimitError', async () => {
    respond = (req, res) =>
      req.method === 'PATCH' ? json(res, 412, { error: { code: 'preconditionFailed', message: 'eTag mismatch' } }) : json(res, 429, { error: { code: 'throttled', message: 'x' } }, { 'retry-after': '1' });
    const pc = client();
    await assert.rejects(pc.raw.patch('r1', [{ op: 'replace', path: '/details/notes', value: 'x' }], '"old"'), ConflictError);
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0]?.headers['if-match'], '"old"');
    assert.equal(server.requests[0]?.headers.prefer, 'return=representation');
    await assert.rejects(pc.get('r1'), RateLimitError);
    assert.equal(server.requests.length, 1 + 1 + FAST_RETRY.retries);
  });

  it('refreshes the token once on a 401 and replays; a second 401 is an AuthError naming the login command', async () => {
    let refreshes = 0;
    const tokens = fixedTokenProvider(async (force) => {
      if (force) refreshes += 1;
      return force ? `fresh-${refreshes}` : 'stale';
    });
    respond = (req, res) => (req.headers.authorization === 'Bearer fresh-1' ? json(res, 200, referralJson('r1')) : json(res, 401, { error: { code: 'unauthenticated', message: 'expired' } }));
    const pc = client({ tokens });
    await pc.get('r1');
    assert.equal(refreshes, 1);
    assert.equal(server.requests.length, 2);
    await assert.rejects(pc.get('r1'), (error: Error) => {
      assert.ok(error instanceof AuthError);
      assert.ok(error.message.includes(LOGIN_COMMAND));
      return true;
    });
    assert.equal(refreshes, 2, 'one refresh per call, not a loop');
  });

  it('never puts the bearer token in a thrown error or in the logs, even when the service echoes it', async () => {
    respond = (req, res) => json(res, 400, { error: { code: 'invalidRequest', message: `bad header ${String(req.headers.authorization)}`, target: String(req.headers.authorization) } });
    const { logger, text } = capturingLogger();
    const pc = client({ logger });
    const error = await pc.get('r1').then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e as ConnectorError,
    );
    assert.ok(error instanceof ConnectorError);
    const serialized = [JSON.stringify(error), JSON.stringify(error.context), inspect(error, { depth: 10 }), String(error.stack), error.message];
    for (const text of serialized) assert.ok(!text.includes(TOKEN) && !text.includes('c2lnbmF0dXJlLXNlY3JldA'), `token leaked: ${text}`);
    assert.ok(text().length > 0, 'the request was logged');
    assert.ok(!text().includes('c2lnbmF0dXJlLXNlY3JldA'), 'token leaked into the logs');
  });

  it('stops at the request budget and counts every request', async () => {
    respond = (_req, res) => json(res, 200, referralJson('r1'));
    const pc = client({ requestBudget: 2 });
    await pc.get('r1');
    await pc.get('r1');
    await assert.rejects(pc.get('r1'), BudgetPausedError);
    assert.equal(server.requests.length, 2);
    assert.deepEqual(pc.callStats().byOperation, { get: 2 });
    const firstRun = pc.correlationId;
    pc.beginRun();
    await pc.get('r1');
    assert.equal(pc.callStats().requests, 1, 'a new run has a fresh budget');
    assert.notEqual(pc.correlationId, firstRun);
    assert.equal(server.requests.at(-1)?.headers['ms-correlationid'], pc.correlationId);
  });

  it('retries a create only after a lookup: a lost response after commit returns the committed referral', async () => {
    const created: ApiReferral[] = [];
    respond = (req, res) => {
      if (req.method === 'GET') {
        return json(res, 200, { value: created });
      }
      const body = JSON.parse(req.body) as ApiReferral;
      created.push(referralJson(`id-${created.length + 1}`, { externalReferenceId: body.externalReferenceId }));
      // The service committed, then the connection dropped before the answer.
      if (created.length === 1) return res.socket?.destroy();
      return json(res, 201, created.at(-1));
    };
    const pc = client();
    const result = await pc.createIdempotent(outboundReferral('CRM-1'));
    assert.equal(result.created, true);
    assert.equal(result.referral.referralId, 'id-1');
    assert.equal(created.length, 1, 'created exactly once');
    assert.deepEqual(pc.callStats().byOperation, { lookup: 2, create: 1 });
    const lookup = server.requests.find((r) => r.method === 'GET');
    assert.equal(decodeURIComponent(lookup?.url.split('$filter=')[1]?.split('&')[0] ?? ''), "externalReferenceId eq 'CRM-1'");

    const again = await pc.createIdempotent(outboundReferral('CRM-1'));
    assert.equal(again.created, false);
    assert.equal(created.length, 1);
  });

  it('shares one create between concurrent calls for the same CRM id', async () => {
    const created: ApiReferral[] = [];
    respond = (req, res) => {
      if (req.method === 'GET') return json(res, 200, { value: created });
      created.push(referralJson(`id-${created.length + 1}`, { externalReferenceId: 'CRM-2' }));
      return json(res, 201, created.at(-1));
    };
    const pc = client();
    const results = await Promise.all([pc.createIdempotent(outboundReferral('CRM-2')), pc.createIdempotent(outboundReferral('CRM-2'))]);
    assert.equal(created.length, 1);
    assert.deepEqual(results.map((r) => [r.referral.referralId, r.created]), [['id-1', true], ['id-1', false]]);
  });

  it('does not retry a create whose outcome is unknown when there is no CRM id to look it up by', async () => {
    respond = (_req, res) => json(res, 503, { error: { code: 'serviceNotAvailable', message: 'down' } });
    const pc = client();
    await assert.rejects(pc.create(outboundReferral('x', { crmId: undefined })), (error: Error) => error instanceof ConnectorError && error.code === 'service_unavailable');
    assert.equal(server.requests.length, 1);
  });
});

describe('Partner Center client: token cache file', () => {
  it('is written encrypted and owner-only by the cache plugin', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const key = cacheKeyFromEnv('K', { K: 'another long passphrase' });
      const path = join(dir, 'nested', 'pc-cache.json');
      const plugin = encryptedFileCachePlugin(path, key);
      let stored = '';
      const cache = { serialize: () => '{"RefreshToken":{"k":{"secret":"rt-secret-value"}}}', deserialize: (text: string) => void (stored = text) };
      await plugin.afterCacheAccess({ cacheHasChanged: true, tokenCache: cache, hasChanged: true, cache } as never);
      const onDisk = await readFile(path, 'utf8');
      assert.doesNotMatch(onDisk, /rt-secret-value/);
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      await plugin.beforeCacheAccess({ cacheHasChanged: false, tokenCache: cache, hasChanged: false, cache } as never);
      assert.match(stored, /rt-secret-value/);
      // Flip one character of the ciphertext: authentication fails.
      await writeFile(path, onDisk.replace(/"data":"(.)/, (_m, c: string) => `"data":"${c === 'A' ? 'B' : 'A'}`));
      await assert.rejects(plugin.beforeCacheAccess({ cacheHasChanged: false, tokenCache: cache, hasChanged: false, cache } as never), AuthError);
    } finally {
      await cleanup();
    }
  });
});
