/**
 * The Dataverse client reads a GET's answer as it arrives (issue 13, peak memory: a 5,000-row page of the
 * first run's plain read is about 34 MB of JSON, and axios held its socket chunks, their concatenation and
 * its text at once). A loopback Web API sends a large page in parts and waits halfway: by then the client
 * holds the rows it has read, not the bytes they came in. A refused GET still reads as Dataverse's error.
 */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { DataverseClient } from '../../connectors/dynamics/client.js';
import { NotFoundError } from '../../core/errors.js';
import { startLoopbackWebApi, type LoopbackWebApi } from '../helpers/loopback-web-api.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const externalMb = () => {
  gc();
  return process.memoryUsage().arrayBuffers / 1024 / 1024;
};

const ROWS_PER_PART = 200;
const PARTS = 80;
const row = (i: number) => `{"opportunityid":"${i}","description":"${'d'.repeat(1000)}"}`;
const written = (res: ServerResponse, text: string) => new Promise<void>((resolve, reject) => res.write(text, (error) => (error ? reject(error) : resolve())));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Dynamics 365 client: a GET answer is read as it arrives', function () {
  this.timeout(60_000);
  let api: LoopbackWebApi;
  let client: DataverseClient;
  /** Called by the Web API when it has sent half the page; it goes on when the returned promise settles. */
  let halfway: () => Promise<void> = async () => undefined;
  let cuts = 0;

  before(async () => {
    api = await startLoopbackWebApi((req, res) => {
      void (async () => {
        if (req.url?.includes('cut') && (cuts += 1) === 1) {
          // Headers and the first rows, then the connection is reset.
          res.writeHead(200, { 'content-type': 'application/json' });
          await written(res, `{"value":[${row(0)},${row(1)}`);
          return void res.destroy();
        }
        if (req.url?.includes('missing')) {
          res.writeHead(404, { 'content-type': 'application/json' });
          return void res.end(JSON.stringify({ error: { code: '0x80040217', message: 'opportunity With Id = 1 Does Not Exist' } }));
        }
        res.writeHead(200, { 'content-type': 'application/json; odata.metadata=minimal' });
        await written(res, '{"@odata.context":"https://x/api/data/v9.2/$metadata#opportunities","value":[');
        for (let part = 0; part < PARTS; part += 1) {
          if (part === PARTS / 2) await halfway();
          const first = part * ROWS_PER_PART;
          await written(res, `${part ? ',' : ''}${Array.from({ length: ROWS_PER_PART }, (_, k) => row(first + k)).join(',')}`);
        }
        res.end('],"@odata.nextLink":"https://x/api/data/v9.2/opportunities?$skiptoken=2"}');
      })();
    });
    client = api.client;
  });
  after(async () => api.close());

  it('holds the rows read so far, not the bytes of the answer (half of a 16 MB page)', async () => {
    // The token first, so that only the page is in flight below.
    await client.get('warming up', 'missing').catch(() => undefined);
    const before = externalMb();
    let held = Number.NaN;
    halfway = async () => {
      // The client has had time to take what was sent (8 MB on loopback).
      await pause(800);
      held = externalMb() - before;
    };
    const page = await client.get<{ value: { opportunityid: string }[]; '@odata.nextLink': string }>('reading a large page', 'opportunities?$select=name');
    halfway = async () => undefined;
    assert.equal(page.data.value.length, ROWS_PER_PART * PARTS);
    assert.equal(page.data.value[ROWS_PER_PART * PARTS - 1]!.opportunityid, String(ROWS_PER_PART * PARTS - 1));
    assert.equal(page.data['@odata.nextLink'], 'https://x/api/data/v9.2/opportunities?$skiptoken=2');
    assert.ok(held < 3, `halfway through the page the client held ${held.toFixed(1)} MB of its bytes`);
  });

  it('asks again when the connection is lost while the rows arrive, as when it is lost before the answer', async () => {
    const page = await client.get<{ value: { opportunityid: string }[] }>('reading a page', 'opportunities?cut=1');
    assert.equal(cuts, 2, 'the cut answer was asked again');
    assert.equal(page.data.value.length, ROWS_PER_PART * PARTS, 'the whole page of the second answer, nothing of the first');
  });

  it("reads a refused GET's answer as Dataverse's error", async () => {
    await assert.rejects(client.get('reading opportunity 1', 'opportunities(1)?missing=1'), (error: Error) => {
      assert.ok(error instanceof NotFoundError, String(error));
      assert.match(error.message, /Does Not Exist/);
      return true;
    });
  });
});
