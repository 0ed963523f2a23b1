/**
 * Issue 17, part 3: requests and answers copied from Microsoft's Partner Center documentation
 * (test/fixtures/docs-corpus/partner-center.json, each entry citing its page) replayed in order against
 * the sandbox. The sandbox must answer with the documented status and body shape.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DOCUMENTED_PRIVATE_DEAL } from '../helpers/partner-center-docs.js';
import { startPcTestEnv, type PcTestEnv } from '../helpers/partner-center-sandbox.js';

interface Entry {
  name: string;
  source: string;
  request: { method: string; path: string; headers?: Record<string, string>; body?: unknown };
  response: { status: number[]; context?: string; has?: string[]; equals?: Record<string, unknown> };
}

const corpus = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/docs-corpus/partner-center.json'), 'utf8')) as { entries: Entry[] };

/** Named bodies the JSON file cannot spell out twice. */
function bodyOf(body: unknown): unknown {
  if (body === 'DOCUMENTED_PRIVATE_DEAL') return DOCUMENTED_PRIVATE_DEAL;
  if (body === 'DOCUMENTED_PRIVATE_DEAL without type') {
    const { type: _type, ...rest } = DOCUMENTED_PRIVATE_DEAL;
    return rest;
  }
  return body;
}

const at = (value: unknown, path: string): unknown => path.split('/').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);

describe('documentation corpus: Partner Center referrals', () => {
  let env: PcTestEnv;
  const created: Record<string, string> = {};
  before(async () => {
    env = await startPcTestEnv({ seed: 'none' });
  });
  after(async () => env?.close());

  for (const entry of corpus.entries) {
    it(`${entry.name} (${entry.source})`, async () => {
      const path = entry.request.path.replace('{created.id}', () => created.id ?? '');
      const res = await env.call('admin', entry.request.method, path, { ...(entry.request.body === undefined ? {} : { body: bodyOf(entry.request.body) }), ...(entry.request.headers ? { headers: entry.request.headers } : {}) });
      assert.ok(entry.response.status.includes(res.status), `status ${res.status}: ${JSON.stringify(res.body)}`);
      if (created.id === undefined && typeof res.body?.id === 'string') created.id = res.body.id;
      if (entry.response.context) assert.equal(res.body['@odata.context'], `${env.pc.apiBaseUrl}${entry.response.context}`);
      for (const key of entry.response.has ?? []) assert.notEqual(at(res.body, key), undefined, `${key} is missing`);
      for (const [key, value] of Object.entries(entry.response.equals ?? {})) assert.deepEqual(at(res.body, key), value, key);
    });
  }
});
