/**
 * The CLI's heap growth (core/heap-growth.ts): V8 lets the old generation grow to 1.5 times the live heap
 * between full collections, not the factor of up to 4 it picks by itself, and sets no limit.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/** V8's allocation limits after each full collection of a process that keeps ~30 MB live and churns garbage. */
function growthFactors(limit: boolean): string[] {
  const script = `
    import { limitHeapGrowth } from './core/heap-growth.ts';
    if (${limit}) limitHeapGrowth();
    const live = Array.from({ length: 4e5 }, (_, i) => ({ i, s: 'x' + i }));
    let junk = [];
    for (let r = 0; r < 100; r++) { for (let i = 0; i < 2e4; i++) junk.push({ i, t: 'y' + i }); if (junk.length > 2e5) junk = []; }
    if (live.length !== 4e5) process.exit(1);`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--trace-gc-verbose', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return [...run.stdout.matchAll(/\[HeapController\] Limit: .*\(([\d.]+)\)/g)].map((m) => m[1]!);
}

describe('the CLI\'s heap growth', function () {
  this.timeout(60_000);

  it('grows the heap to 1.5 times what is live between full collections', () => {
    const factors = growthFactors(true);
    assert.ok(factors.length > 0);
    assert.deepEqual([...new Set(factors)], ['1.5']);
  });

  it('is not what V8 picks by itself', () => {
    assert.ok(growthFactors(false).some((factor) => factor !== '1.5'));
  });

  it('is set by the CLI before any command runs', async () => {
    const { readFile } = await import('node:fs/promises');
    assert.match(await readFile('core/cli/main.ts', 'utf8'), /^limitHeapGrowth\(\);$/m);
  });
});
