/**
 * Issue 17, part 3 (Dataverse half): requests and answers copied from Microsoft's Dataverse Web API
 * documentation (test/fixtures/docs-corpus/dataverse.json, each entry citing its page) replayed in order
 * against the sandbox with fetch and a token from the Entra signer. The sandbox must answer with the
 * documented status, headers and body shape; the error entries compare code and message exactly.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startDataverseSandbox, type DataverseSandbox } from '../../sandbox/dataverse/index.js';
import { TokenSigner } from '../../sandbox/entra/index.js';
import { applicationToken } from '../helpers/dataverse-token.js';

interface Entry {
  name: string;
  source: string;
  request: { method: string; path: string; headers?: Record<string, string>; body?: unknown; lines?: string[] };
  response: {
    status: number;
    /** Header name → regular expression its value must match. */
    headers?: Record<string, string>;
    context?: string;
    has?: string[];
    equals?: Record<string, unknown>;
    /** Body path → regular expression its string value must match. */
    matches?: Record<string, string>;
    /** The error body, compared exactly, or by its start when `messageStartsWith` is given. */
    error?: { code: string; message?: string; messageStartsWith?: string };
    /** For multipart answers: text → how many times it occurs. */
    occurrences?: Record<string, number>;
  };
  /** Saves a value for later entries: `header:<name>` (the GUID in it, else the whole value) or `body:<path>`. */
  save?: Record<string, string>;
}

const corpus = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/docs-corpus/dataverse.json'), 'utf8')) as { entries: Entry[] };
const signer = new TokenSigner('docs-corpus');
const at = (value: unknown, path: string): unknown => path.split('/').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);

const token = (audience: string): string => applicationToken(signer, audience);

describe('documentation corpus: Dataverse Web API', function () {
  this.timeout(20_000);
  let dv: DataverseSandbox;
  let root: string;
  const saved: Record<string, string> = {};
  /** `[Organization URI]/api/data/v9.2/` is `{root}`; `{saved.x}` is a value an earlier entry saved. */
  const fill = (text: string): string => text.replaceAll('{root}', root).replace(/\{saved\.([A-Za-z]+)\}/g, (_m, key: string) => saved[key] ?? `<unsaved ${key}>`);

  before(async () => {
    dv = await startDataverseSandbox({ signer, seed: 'empty' });
    root = `${dv.url}/api/data/v9.2/`;
  });
  after(async () => dv?.close());

  for (const entry of corpus.entries) {
    it(`${entry.name} (${entry.source})`, async () => {
      const { request, response: expected } = entry;
      const body = request.lines ? fill(request.lines.join('\r\n')) : request.body === undefined ? undefined : fill(JSON.stringify(request.body));
      const url = fill(request.path);
      const headers: Record<string, string> = {
        Authorization: `Bearer ${token(dv.environmentUrl)}`, Accept: 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0',
        ...(body !== undefined ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
        ...Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k, fill(v)])),
      };
      const res = await fetch(url.startsWith('http') ? url : `${root}${url}`, { method: request.method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      const json = res.headers.get('content-type')?.includes('json') && text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      assert.equal(res.status, expected.status, text);
      for (const [name, pattern] of Object.entries(expected.headers ?? {})) {
        assert.match(res.headers.get(name) ?? '<absent>', new RegExp(fill(pattern)), `header ${name}`);
      }
      if (expected.context) assert.equal(json?.['@odata.context'], fill(expected.context));
      for (const key of expected.has ?? []) assert.notEqual(at(json, key), undefined, `${key} is missing from ${text}`);
      for (const [key, value] of Object.entries(expected.equals ?? {})) assert.deepEqual(at(json, key), typeof value === "string" ? fill(value) : value, key);
      for (const [key, pattern] of Object.entries(expected.matches ?? {})) assert.match(String(at(json, key)), new RegExp(fill(pattern)), key);
      if (expected.error) {
        const error = json?.error as { code: string; message: string } | undefined;
        assert.equal(error?.code, expected.error.code, text);
        if (expected.error.message !== undefined) assert.equal(error?.message, fill(expected.error.message));
        if (expected.error.messageStartsWith !== undefined) assert.ok(error?.message.startsWith(fill(expected.error.messageStartsWith)), error?.message);
      }
      for (const [needle, times] of Object.entries(expected.occurrences ?? {})) {
        assert.equal(text.split(fill(needle)).length - 1, times, `"${needle}" in ${text}`);
      }
      for (const [key, from] of Object.entries(entry.save ?? {})) {
        const value = from.startsWith('header:') ? res.headers.get(from.slice('header:'.length)) ?? '' : String(at(json, from.slice('body:'.length)) ?? '');
        saved[key] = from.startsWith('header:') ? /[0-9a-f]{8}-[0-9a-f-]{27}/.exec(value)?.[0] ?? value : value;
      }
    });
  }
});
