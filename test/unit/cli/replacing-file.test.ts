/**
 * An output written beside its place (`openReplacingFile`: `export --out`, the import's results file) that
 * cannot be finished (a disk full, a write error) leaves nothing beside it and the earlier file as it was:
 * the half-written file held customer names and deal values, hidden beside the one named. And a path that is
 * not a regular file is written through, not replaced: a rename over `--out /dev/stdout` (run as root), a
 * named pipe a script reads, or a symlink put a plain file in its place, and the reader never got the export.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { text } from 'node:stream/consumers';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openReplacingFile } from '../../../core/cli/commands/csv-files.js';

describe('an output file written beside its place', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cosell-replacing-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a write that fails leaves no half-written file beside it, and the earlier file as it was', async () => {
    const file = join(dir, 'deals.results.csv');
    writeFileSync(file, 'the earlier results\n');
    const out = await openReplacingFile(file, '--results');
    out.stream.write('Customer name,Deal value\n');
    out.stream.destroy(new Error('ENOSPC: no space left on device'));
    await assert.rejects(out.commit(), /ENOSPC/);
    assert.deepEqual(readdirSync(dir), ['deals.results.csv'], 'nothing half-written left behind');
    assert.equal(readFileSync(file, 'utf8'), 'the earlier results\n');
  });

  it('a symlink keeps pointing where it did, and the file it points to takes the new content', async () => {
    const real = join(dir, 'shared-deals.csv');
    const link = join(dir, 'latest.csv');
    writeFileSync(real, 'the earlier export\n');
    symlinkSync(real, link);
    const out = await openReplacingFile(link, '--out');
    out.stream.end('Customer name,Deal value\n');
    await out.commit();
    assert.ok(lstatSync(link).isSymbolicLink(), 'still a symlink');
    assert.equal(readFileSync(real, 'utf8'), 'Customer name,Deal value\n');
    assert.deepEqual(readdirSync(dir).sort(), ['latest.csv', 'shared-deals.csv']);
  });

  it('a named pipe is written through to its reader, and stays a pipe', async () => {
    const fifo = join(dir, 'deals.fifo');
    execFileSync('mkfifo', [fifo]);
    const read = text(createReadStream(fifo));
    const out = await openReplacingFile(fifo, '--out');
    out.stream.end('Customer name,Deal value\n');
    await out.commit();
    assert.ok(lstatSync(fifo).isFIFO(), 'still a named pipe');
    assert.equal(await read, 'Customer name,Deal value\n');
    assert.deepEqual(readdirSync(dir), ['deals.fifo']);
  });
});
