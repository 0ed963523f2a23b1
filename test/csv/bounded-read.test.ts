/**
 * bounded-read.ts: an import file is read only up to its first record over the limit, and the rest is
 * counted on the raw bytes, the way read.ts would count its records.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBounded, RecordCounter } from '../../core/csv/bounded-read.js';
import { readCsv } from '../../core/csv/read.js';
import { MAX_IMPORT_BYTES } from '../../core/csv/record-limit.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

/** Feeds `text` in chunks of `size` bytes; returns the kept prefix and the count. */
function count(text: string, stopAfter: number, size: number): { kept: string; records: number } {
  const all = bytes(text);
  const counter = new RecordCounter();
  const kept: Buffer[] = [];
  let cut = false;
  for (let at = 0; at < all.length; at += size) {
    const chunk = all.subarray(at, at + size);
    const end = counter.feed(chunk, cut ? 0 : stopAfter);
    if (!cut) kept.push(end >= 0 ? chunk.subarray(0, end) : chunk);
    cut ||= end >= 0;
  }
  return { kept: Buffer.concat(kept).toString('utf8'), records: counter.finish() };
}

const FILES: Record<string, string> = {
  lf: 'A,B\n1,2\n3,4\n5,6\n',
  crlf: 'A,B\r\n1,2\r\n3,4\r\n5,6\r\n',
  'lone CR (old Mac Excel)': 'A,B\r1,2\r3,4\r5,6',
  'quoted line breaks and quotes': 'A,B\r\n"x\r\ny",2\r\n"say ""hi""\n, ok",4\r\n5,"6\n"\r\n',
  'empty rows inside and at the end': 'A;B\n1;2\n;\n\n3;4\n"";" "\n\n\n',
  'no line end after the last record': '\uFEFFA,B\n1,2\nü,€',
  'semicolons and tabs': 'A\tB\n1\t2\n\t\n3\t4\n',
};

describe('reading an import file only as far as it can be processed (bounded-read.ts)', () => {
  for (const [name, text] of Object.entries(FILES)) {
    it(`counts the records read.ts finds: ${name}, in any chunking`, () => {
      const expected = readCsv(text).records.length;
      for (const size of [1, 2, 3, 7, 1000]) assert.equal(count(text, 0, size).records, expected, `chunks of ${size}`);
    });

    it(`cuts right after the first record past the limit: ${name}`, () => {
      const records = readCsv(text).records;
      for (let limit = 0; limit < records.length; limit += 1) {
        for (const size of [1, 3, 1000]) {
          const { kept, records: total } = count(text, limit + 1, size);
          const read = readCsv(kept).records;
          assert.equal(total, records.length, `the whole file is still counted (limit ${limit}, chunks of ${size})`);
          assert.deepEqual(read.map((r) => r.cells), records.slice(0, read.length).map((r) => r.cells), 'the kept records are the file\'s own');
          assert.ok(read.length > limit, `more than ${limit} records kept, so the file is refused (chunks of ${size})`);
          assert.ok(read.slice(limit).filter((r) => !r.empty).length <= 1, `one record with data past the limit is kept, no more (limit ${limit})`);
        }
      }
    });
  }

  it('reads a file within the limit whole, and keeps only 1,001 records of a longer one while counting all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bounded-'));
    const row = (i: number) => `Deal ${i},"Note ${i}\r\nsecond line, with comma",12563\r\n`;
    const small = join(dir, 'small.csv');
    const smallText = 'Deal Name,Notes,Estimated Deal Value\r\n' + Array.from({ length: 1000 }, (_, i) => row(i)).join('') + ',,\r\n';
    writeFileSync(small, smallText);
    const within = await readBounded(small, 1000, MAX_IMPORT_BYTES);
    assert.equal(within.bytes.toString('utf8'), smallText);
    assert.equal(within.totalRecords, undefined);

    const large = join(dir, 'large.csv');
    writeFileSync(large, 'Deal Name,Notes,Estimated Deal Value\r\n' + Array.from({ length: 20_000 }, (_, i) => row(i)).join(''));
    const over = await readBounded(large, 1000, MAX_IMPORT_BYTES);
    assert.equal(over.totalRecords, 20_000);
    const kept = readCsv(over.bytes.toString('utf8')).records;
    assert.equal(kept.length, 1001);
    assert.deepEqual(kept.at(-1)!.cells, ['Deal 1000', 'Note 1000\r\nsecond line, with comma', '12563']);
  });

  it('stops reading once the bytes to keep pass the bound, keeping none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bounded-'));
    const file = join(dir, 'runaway.csv');
    const text = `Deal Name,Notes\r\nDeal,"${'x'.repeat(200_000)}"\r\n`;
    writeFileSync(file, text);
    assert.deepEqual(await readBounded(file, 1000, 100_000), { bytes: Buffer.alloc(0), tooLarge: true });
    assert.equal((await readBounded(file, 1000, 300_000)).bytes.toString('utf8'), text);
  });
});
