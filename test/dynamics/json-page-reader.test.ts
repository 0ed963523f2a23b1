/**
 * A Dataverse JSON answer read as it arrives (json-page-reader.ts) is what `JSON.parse` of the whole text
 * gives, however the bytes are cut into chunks (inside a string, an escape, a multi-byte character, between
 * rows), with the same key order; an answer that is not a JSON object comes back as axios gave it.
 */
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { JsonPageReader } from '../../connectors/dynamics/json-page-reader.js';
import { chunksOf, random } from '../helpers/chunked-bytes.js';

const WORDS = ['plain', 'quote " inside', 'back\\slash', 'ünïcødé ✓ 𝄞', 'tab\tnew\nline', '\u0000\u001f', '{[,]}:', 'value', '"value":[', ''];

function valueOf(next: () => number, depth: number): unknown {
  const kind = Math.floor(next() * (depth > 2 ? 5 : 7));
  switch (kind) {
    case 0: return WORDS[Math.floor(next() * WORDS.length)];
    case 1: return Math.floor(next() * 1e6) / 100 - 5000;
    case 2: return next() < 0.5;
    case 3: return null;
    case 4: return 1e21 * next();
    case 5: return Array.from({ length: Math.floor(next() * 4) }, () => valueOf(next, depth + 1));
    default: return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, (_, i) => [`${WORDS[i]}k${i}`, valueOf(next, depth + 1)]));
  }
}

/** An OData page: context, rows (objects, or anything), next link, in varying key order and spacing. */
function pageText(next: () => number): string {
  const rows = Array.from({ length: Math.floor(next() * 30) }, (_, i) => (next() < 0.8 ? { opportunityid: `id-${i}`, name: WORDS[i % WORDS.length], rel: valueOf(next, 1), 'x@OData.Community.Display.V1.FormattedValue': 'ü' } : valueOf(next, 1)));
  const page: Record<string, unknown> = next() < 0.5
    ? { '@odata.context': 'https://x/api/data/v9.2/$metadata#opportunities', value: rows, '@odata.nextLink': 'https://x/api/data/v9.2/opportunities?$skiptoken=%3Ccookie%20page=%222%22' }
    : { other: [1, 'value'], value: rows, '@odata.deltaLink': 'https://x/d?$deltatoken=1' };
  return JSON.stringify(page, null, next() < 0.3 ? 2 : undefined);
}

function read(chunks: readonly Buffer[]): unknown {
  const reader = new JsonPageReader();
  for (const chunk of chunks) reader.push(chunk);
  return reader.end();
}

describe('Dynamics 365 JSON answers read as they arrive', () => {
  it('gives what JSON.parse of the whole text gives, for any cut into chunks (600 pages)', () => {
    for (let seed = 1; seed <= 600; seed += 1) {
      const next = random(seed);
      const text = pageText(next);
      const got = read(chunksOf(text, next, seed % 3 === 0 ? 3 : 400));
      // Same values and the same key order (JSON.stringify writes keys in order).
      assert.equal(JSON.stringify(got), JSON.stringify(JSON.parse(text)), `seed ${seed}`);
    }
  });

  it('reads answers that are not a page as a whole: an error, WhoAmI, an array, a value that is not an array', () => {
    for (const text of ['{"error":{"code":"0x80040217","message":"Not found: \\"x\\""}}', '{"@odata.context":"c","UserId":"u","BusinessUnitId":"b"}', '[{"value":[1]}]', '{"value":5,"v":[1]}', '{"a":{"value":[1,2]}}', '{"x\\"value":[1,2],"value":[{"a":1}]}', '{"s":"\\"value\\":","t":[3],"value":[{"b":2}]}', '\uFEFF{"value":[{"a":1}]}']) {
      assert.deepEqual(read(chunksOf(text, random(7), 5)), JSON.parse(text.replace(/^\uFEFF/, '')), text);
    }
  });

  it('gives the text of an answer that is not JSON, and an empty string for an empty one, as axios did', () => {
    assert.equal(read([Buffer.from('Service Unavailable')]), 'Service Unavailable');
    assert.equal(read([]), '');
    assert.equal(read([Buffer.from('{"a":'), Buffer.from('1')]), '{"a":1', 'an object cut short, with no rows read yet');
  });

  it('refuses an answer that ends inside its value array', () => {
    assert.throws(() => read([Buffer.from('{"value":[{"a":1},{"b":')]), SyntaxError);
  });

  it('keeps none of the chunks of the rows it has read (issue 13: a 5,000-row page is about 34 MB)', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const external = () => {
      gc();
      return process.memoryUsage().arrayBuffers / 1024 / 1024;
    };
    const reader = new JsonPageReader();
    const before = external();
    reader.push(Buffer.from('{"@odata.context":"c","value":['));
    const row = (i: number) => `{"opportunityid":"${i}","description":"${'d'.repeat(1000)}"}`;
    // 20,000 rows of 1 KB, 200 to a chunk, each chunk a new allocation let go by this test.
    for (let i = 0; i < 20_000; i += 200) reader.push(Buffer.from(`${Array.from({ length: 200 }, (_, k) => row(i + k)).join(',')},`));
    const held = external() - before;
    assert.ok(held < 1, `the reader holds ${held.toFixed(1)} MB of the answer's bytes`);
    reader.push(Buffer.from('{"opportunityid":"last"}]}'));
    const body = reader.end() as { value: { opportunityid: string }[] };
    assert.equal(body.value.length, 20_001);
    assert.equal(body.value[20_000]!.opportunityid, 'last');
  });
});
