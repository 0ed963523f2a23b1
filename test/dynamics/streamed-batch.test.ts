/**
 * The Dynamics client reads a `$batch` answer part by part as it arrives (issue 13, peak memory: a first run's
 * first `$batch` brings the plain read's first page of 5,000 expanded rows, and axios made the answer's socket
 * chunks one buffer and then one text before a part was read: three copies at once). Here no copy of the
 * answer is made; the parts are what `parseBatchResponse` gives for the same text; and a part the caller keeps
 * unread holds its own bytes, not the answer's (a guard for the bytes kept per part: the text's slices did
 * not hold the answer either).
 */
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseBatchResponse, type EntryResponse } from '../../connectors/dynamics/batch-format.js';
import { startLoopbackWebApi, type LoopbackWebApi } from '../helpers/loopback-web-api.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/**
 * What the process holds, in the heap and outside it: the answer's bytes are outside, and so is its text
 * when Node decodes a large ASCII answer as an external string (counted in `external`, not in the heap).
 */
const heldMb = () => {
  // The last regular-expression match is kept by V8 (RegExp.input) until the next: not what is measured here.
  /x/.exec('x');
  // Array buffers a collection frees are counted off by a later one (V8 sweeps them apart from the heap).
  for (let i = 0; i < 3; i += 1) gc();
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.external) / 1024 / 1024;
};

const BOUNDARY = 'batchresponse_5c1e';
const part = (json: string) =>
  `--${BOUNDARY}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json; odata.metadata=minimal\r\nOData-Version: 4.0\r\n\r\n${json}\r\n`;
const ROWS = 16_000;
const row = (i: number) => `{"opportunityid":"${i}","description":"${'d'.repeat(1000)}"}`;
/** A first call's answer: a small tracking page, then a large page of rows (16 MB), then WhoAmI. */
const ANSWER = [
  part('{"value":[{"opportunityid":"tracked"}],"@odata.nextLink":"https://x/api/data/v9.2/opportunities?$skiptoken=1"}'),
  part(`{"@odata.context":"c","value":[${Array.from({ length: ROWS }, (_, i) => row(i)).join(',')}],"@odata.nextLink":"https://x/n"}`),
  part('{"UserId":"u-1"}'),
  `--${BOUNDARY}--\r\n`,
].join('');

/** Takes the part at `index` out of `entries` and counts its page's rows, in a frame of its own: nothing of it stays on the caller's. */
function takeRows(entries: EntryResponse[], index: number): number {
  const [entry] = entries.splice(index, 1);
  return entry?.kind === 'operation' ? (entry.response.body as { value: unknown[] }).value.length : -1;
}
const plain = (entries: readonly EntryResponse[]) => entries.map((e) => (e.kind === 'operation' ? [e.response.status, e.response.headers, e.response.body] : e.kind));

describe('Dynamics 365 client: a $batch answer is read part by part', function () {
  this.timeout(60_000);
  let api: LoopbackWebApi;

  before(async () => {
    api = await startLoopbackWebApi((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': `multipart/mixed; boundary=${BOUNDARY}` });
        // In pieces, as a large answer comes off a socket.
        for (let at = 0; at < ANSWER.length; at += 65_536) res.write(ANSWER.slice(at, at + 65_536));
        res.end();
      });
    });
  });
  after(async () => api.close());

  const ask = () => api.client.batchAnswer('reading what changed', [0, 1, 2].map((i) => ({ kind: 'operation' as const, operation: { method: 'GET' as const, url: `q${i}` } })));

  it('gives the parts parseBatchResponse gives for the whole answer', async () => {
    const { entries } = await ask();
    assert.deepEqual(plain(entries), plain(parseBatchResponse(ANSWER, `multipart/mixed; boundary=${BOUNDARY}`)));
  });

  it('never copies the answer (16 MB) into one buffer or one text: the largest copy is under 1 MB', async () => {
    // Every whole-answer copy axios made (the chunks concatenated, then decoded) goes through these two.
    const { concat } = Buffer;
    const { toString } = Buffer.prototype;
    let largest = 0;
    const note = <T extends { length: number }>(copy: T): T => {
      largest = Math.max(largest, copy.length);
      return copy;
    };
    Buffer.concat = (...args: Parameters<typeof concat>) => note(concat.apply(Buffer, args));
    Buffer.prototype.toString = function (this: Buffer, ...args: Parameters<typeof toString>) {
      return note(toString.apply(this, args));
    } as typeof toString;
    let entries: EntryResponse[];
    try {
      ({ entries } = await ask());
      assert.equal(takeRows(entries, 1), ROWS, 'the large part, read');
    } finally {
      Buffer.concat = concat;
      Buffer.prototype.toString = toString;
    }
    assert.ok(largest < 1024 * 1024, `a copy of ${(largest / 1024 / 1024).toFixed(1)} MB was made`);
  });

  it('a part kept unread holds its own bytes, not the answer (16 MB), once the large part is read and let go', async () => {
    const { entries } = await ask();
    assert.equal(takeRows(entries, 1), ROWS);
    const kept = heldMb();
    const tracking = entries[0]!;
    assert.equal(tracking.kind === 'operation' && (tracking.response.body as { value: { opportunityid: string }[] }).value[0]!.opportunityid, 'tracked');
    entries.length = 0;
    // What the two unread parts (the tracking page and WhoAmI's answer) held: what went when they went.
    const held = kept - heldMb();
    assert.ok(held < 3, `the unread parts held ${held.toFixed(1)} MB`);
  });
});
