/**
 * An output written beside its place (`openReplacingFile`: `export --out`, the import's results file) that
 * cannot be finished (a disk full, a write error) leaves nothing beside it and the earlier file as it was:
 * the half-written file held customer names and deal values, hidden beside the one named.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
});
