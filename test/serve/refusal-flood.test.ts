/**
 * A flood of unsigned posts to the webhook URL: each is refused (401) and counted in the metric, but the
 * log gets a few lines a minute per reason, not one per post (which filled the disk at the flood's rate:
 * 20,000 posts wrote 4.7 MB of warnings in a minute in the service walk of 2026-12-05).
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { serveSchema } from '../../config/serve.js';
import { createLogger } from '../../core/logger.js';
import { CertificateStore } from '../../core/serve/certificates.js';
import type { ServeContext } from '../../core/serve/context.js';
import { admitRefusal } from '../../core/serve/refusal-log.js';
import { webhookRoutes, WEBHOOK_PATH } from '../../core/serve/webhook-route.js';

describe('webhook receiver: a flood of refused deliveries', () => {
  it('answers each with 401 and counts each, but logs only a few lines', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const refused: string[] = [];
    const settings = serveSchema.parse({});
    const context = {
      runtime: { logger: createLogger({ destination, level: 'info' }), config: {} },
      service: { metrics: { webhook: (result: string, reason?: string) => result === 'refused' && refused.push(reason ?? '') } },
      certificates: new CertificateStore(settings.webhooks),
      replay: { has: () => false },
      settings,
      now: () => new Date(),
    } as unknown as ServeContext;
    const app = Fastify({ logger: false });
    await app.register(async (scope) => webhookRoutes(scope, context));
    for (let i = 0; i < 200; i += 1) {
      const answer = await app.inject({ method: 'POST', url: WEBHOOK_PATH, headers: { 'content-type': 'application/json' }, payload: `{"n":${i}}` });
      assert.equal(answer.statusCode, 401);
    }
    await app.close();
    assert.equal(refused.length, 200, 'every refusal is counted');
    const warnings = lines.filter((line) => line.includes('webhook delivery refused'));
    assert.ok(warnings.length >= 1 && warnings.length <= 10, `${warnings.length} log lines for 200 refused posts`);
  });

  it('logs again the next minute, saying how many refusals of that reason went unlogged', () => {
    const windows = new Map();
    const at = (ms: number) => admitRefusal(windows, 'signature_missing', ms);
    const first = Array.from({ length: 25 }, () => at(1_000));
    assert.equal(first.filter((a) => a.log).length, 10);
    assert.deepEqual(at(30_000), { log: false, unlogged: 0 });
    assert.deepEqual(at(61_000), { log: true, unlogged: 16 });
    assert.deepEqual(at(61_001), { log: true, unlogged: 0 });
    assert.deepEqual(admitRefusal(windows, 'signature_invalid', 61_002), { log: true, unlogged: 0 }, 'each reason has its own lines');
  });
});
