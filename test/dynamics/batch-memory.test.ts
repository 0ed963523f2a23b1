/**
 * A `$batch` answer's parts are kept apart from the answer (issue 13, peak memory): the change feed keeps the
 * next tracking page's answer (parsed, `parsedNow`) while the engine works on a page, and that answer must
 * hold its own rows, not the whole `$batch` answer (15 MB for a 5,000-row page) nor the other parts' rows.
 */
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseBatchResponse } from '../../connectors/dynamics/batch-format.js';
import { getEach, parsedNow, type GetAnswer } from '../../connectors/dynamics/batch-reads.js';
import type { DataverseClient } from '../../connectors/dynamics/client.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMb = () => {
  // The last regular-expression match is kept by V8 (RegExp.input) until the next: not what is measured here.
  /x/.exec('x');
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

const BOUNDARY = 'batchresponse_m';
const part = (json: string) =>
  `--${BOUNDARY}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json; odata.metadata=minimal\r\nOData-Version: 4.0\r\n\r\n${json}\r\n`;

/** A `$batch` answer of a large first part (`rows` rows of about 1 KB) and a small second one. */
function answerText(rows: number): string {
  const row = (i: number) => `{"opportunityid":"${i}","description":"${'d'.repeat(1000)}"}`;
  return `${part(`{"value":[${Array.from({ length: rows }, (_, i) => row(i)).join(',')}]}`)}${part('{"value":[{"opportunityid":"next"}]}')}--${BOUNDARY}--\r\n`;
}

const rowsOf = (answer: GetAnswer<{ value: unknown[] }>) => (answer.ok ? answer.body.value.length : -1);

describe('Dynamics 365 $batch answers: a kept part holds only itself', () => {
  it('keeps neither the answer text nor the other parts once the large part was read', async () => {
    const before = heapMb();
    // As the change feed does: the first answer (the page's rows) is read and let go, the second (the next
    // tracking page) is kept for later.
    const client = { batchAnswer: async () => ({ entries: parseBatchResponse(answerText(20_000), `multipart/mixed; boundary=${BOUNDARY}`) }) } as unknown as DataverseClient;
    const { answers } = await getEach<{ value: { opportunityid: string }[] }>(client, 'test', [{ url: 'a', prefer: [] }, { url: 'b', prefer: [] }]);
    assert.equal(rowsOf(answers.shift()!), 20_000);
    const [kept] = parsedNow(answers.splice(0));
    assert.ok(kept);
    // The answer text is about 20 MB and the parsed rows as much again: what is left must be far less.
    const held = heapMb() - before;
    assert.ok(held < 5, `the kept part holds ${held.toFixed(1)} MB`);
    assert.equal(kept.ok && kept.body.value[0]!.opportunityid, 'next');
  });
});
