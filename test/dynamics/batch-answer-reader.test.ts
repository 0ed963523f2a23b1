/**
 * A `$batch` answer read as it arrives (batch-answer-reader.ts) gives what `parseBatchResponse` gives for the
 * whole text: the same entries, statuses, headers, Content-IDs and bodies, however the bytes are cut into
 * chunks (inside a boundary, a header, a row, a multi-byte character), with CRLF or LF line breaks.
 */
import assert from 'node:assert/strict';
import { parseBatchResponse, type EntryResponse, type PartResponse } from '../../connectors/dynamics/batch-format.js';
import { BatchAnswerReader } from '../../connectors/dynamics/batch-answer-reader.js';
import { chunksOf, random } from '../helpers/chunked-bytes.js';

const BOUNDARY = 'batchresponse_7f3a';
const WORDS = ['plain', 'quote " inside', 'ünïcødé ✓ 𝄞', 'line\r\nbreak', `--${BOUNDARY}x`.slice(0, 6), '{[,]}:', ''];

/** One operation's answer: a page, an error, WhoAmI, no body (204), or text that is not JSON. */
function operationText(next: () => number, nl: string, contentId: number | undefined): string {
  const kind = Math.floor(next() * 5);
  const rows = Array.from({ length: Math.floor(next() * 6) }, (_, i) => ({ opportunityid: `id-${i}`, name: WORDS[Math.floor(next() * WORDS.length)], n: i * 1.5 }));
  const [status, body] = [
    ['200 OK', JSON.stringify({ '@odata.context': 'https://x/api/data/v9.2/$metadata#opportunities', value: rows, '@odata.nextLink': 'https://x/n?$skiptoken=1' })],
    ['400 Bad Request', JSON.stringify({ error: { code: '0x80040203', message: `bad ${WORDS[2]}` } })],
    ['200 OK', JSON.stringify({ UserId: 'u-1', BusinessUnitId: 'b' }, null, 2)],
    ['204 No Content', ''],
    ['503 Service Unavailable', 'Service Unavailable'],
  ][kind]!;
  const outer = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary', ...(contentId ? [`Content-ID: ${contentId}`] : [])];
  const inner = [`HTTP/1.1 ${status}`, 'Content-Type: application/json; odata.metadata=minimal', 'OData-Version: 4.0', ...(kind === 3 ? ['OData-EntityId: https://x/opportunities(1)'] : [])];
  return `${outer.join(nl)}${nl}${nl}${inner.join(nl)}${nl}${nl}${body}`;
}

/** A whole answer: operations and change sets (each answer of a change set with its Content-ID). */
function answerText(next: () => number, nl: string): string {
  const parts = Array.from({ length: Math.floor(next() * 6) }, (_, i) => {
    if (next() < 0.75) return operationText(next, nl, undefined);
    const cs = `changesetresponse_${i}`;
    const inner = Array.from({ length: 1 + Math.floor(next() * 3) }, (_, k) => `--${cs}${nl}${operationText(next, nl, k + 1)}`);
    return `Content-Type: multipart/mixed; boundary=${cs}${nl}${nl}${inner.join(nl)}${nl}--${cs}--`;
  });
  const preamble = next() < 0.2 ? `preamble${nl}` : '';
  const epilogue = next() < 0.2 ? `epilogue --${BOUNDARY}${nl}ignored` : '';
  return `${preamble}${parts.map((p) => `--${BOUNDARY}${nl}${p}${nl}`).join('')}--${BOUNDARY}--${nl}${epilogue}`;
}

const plainPart = (p: PartResponse) => ({ status: p.status, headers: p.headers, body: p.body, contentId: p.contentId });
const plain = (entries: readonly EntryResponse[]) =>
  entries.map((e) => (e.kind === 'operation' ? { kind: e.kind, response: plainPart(e.response) } : { kind: e.kind, responses: e.responses.map(plainPart) }));

/** `wholeUpTo` 0: every part's body parsed row by row, as a part over WHOLE_PART_BYTES is. */
function read(chunks: readonly Buffer[], wholeUpTo?: number): EntryResponse[] {
  const reader = new BatchAnswerReader(BOUNDARY, wholeUpTo);
  for (const chunk of chunks) reader.push(chunk);
  return reader.end();
}

describe('Dynamics 365 $batch answers read as they arrive', () => {
  it('gives what parseBatchResponse gives for the whole text, for any cut into chunks, parts parsed whole or row by row (800 answers)', () => {
    for (let seed = 1; seed <= 800; seed += 1) {
      const next = random(seed);
      const text = answerText(next, seed % 5 === 0 ? '\n' : '\r\n');
      const whole = plain(parseBatchResponse(text, `multipart/mixed; boundary=${BOUNDARY}`));
      const chunks = chunksOf(text, next, seed % 4 === 0 ? 3 : 300);
      assert.deepEqual(plain(read(chunks)), whole, `seed ${seed}, parts parsed whole`);
      assert.deepEqual(plain(read(chunks, 0)), whole, `seed ${seed}, parts parsed row by row`);
    }
  });

  it('reads an answer cut short (no closing boundary) as parseBatchResponse does', () => {
    const text = answerText(random(11), '\r\n').replace(new RegExp(`--${BOUNDARY}--[\\s\\S]*$`), '');
    assert.deepEqual(plain(read(chunksOf(text, random(3), 7))), plain(parseBatchResponse(text, `multipart/mixed; boundary=${BOUNDARY}`)));
  });

  it('keeps a part body as bytes until it is read, and parses it once', () => {
    const text = `--${BOUNDARY}\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\n\r\n{"value":[{"a":1},{"b":"ü"}],"@odata.deltaLink":"d"}\r\n--${BOUNDARY}--\r\n`;
    const [entry] = read(chunksOf(text, random(5), 4), 0);
    assert.ok(entry?.kind === 'operation');
    const body = entry.response.body;
    assert.deepEqual(body, { value: [{ a: 1 }, { b: 'ü' }], '@odata.deltaLink': 'd' });
    assert.equal(entry.response.body, body, 'the same object when read again');
  });
});
