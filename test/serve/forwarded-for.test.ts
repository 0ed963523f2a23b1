/**
 * `X-Forwarded-For` is believed only from the reverse proxies `serve > trustProxy` lists. Until 2026-12-05
 * the service trusted it from every peer: any client could name any address, and the address the service
 * logged for a refused webhook (`from`) was the forged one (pinning a flood on someone else, or hiding
 * the sender's own).
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { serveSchema } from '../../config/serve.js';
import { createLogger } from '../../core/logger.js';
import { buildServer } from '../../core/serve/server.js';
import { WEBHOOK_PATH } from '../../core/serve/webhook-route.js';
import { bareServeContext } from '../helpers/bare-serve-context.js';

const CLIENT = '198.51.100.7';
const FORGED = '203.0.113.9';

/** The `from` the service logs for an unsigned delivery sent by `CLIENT` claiming to forward for `FORGED`. */
async function loggedSender(settingsInput: Record<string, unknown>): Promise<string | undefined> {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const settings = serveSchema.parse(settingsInput);
  const context = bareServeContext(settings, createLogger({ destination, level: 'info' }));
  const app = await buildServer(context);
  try {
    const answer = await app.inject({ method: 'POST', url: WEBHOOK_PATH, remoteAddress: CLIENT, headers: { 'content-type': 'application/json', 'x-forwarded-for': FORGED }, payload: '{}' });
    assert.equal(answer.statusCode, 401);
  } finally {
    await app.close();
  }
  const refusal = lines.map((line) => JSON.parse(line) as { msg?: string; from?: string }).find((line) => line.msg === 'webhook delivery refused');
  return refusal?.from;
}

describe('cosell serve: X-Forwarded-For from whom', () => {
  it('ignores the header from a client when no proxy is listed (the default)', async () => {
    assert.equal(await loggedSender({}), CLIENT);
  });

  it('ignores it from a peer that is not a listed proxy, and believes it from one that is', async () => {
    assert.equal(await loggedSender({ trustProxy: ['10.0.0.1', '192.168.0.0/16'] }), CLIENT);
    assert.equal(await loggedSender({ trustProxy: ['198.51.100.0/24'] }), FORGED);
  });

  it('refuses a trustProxy entry that is not an address, a range or a named range', () => {
    assert.ok(serveSchema.safeParse({ trustProxy: ['10.0.0.0/8', 'fd00::/8', '::1', 'loopback'] }).success);
    for (const bad of ['nginx.local', '10.0.0.0/33', '10.0.0.1/8/2', '']) assert.equal(serveSchema.safeParse({ trustProxy: [bad] }).success, false, bad);
  });
});
