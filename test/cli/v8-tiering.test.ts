/**
 * The CLI's tiering (core/v8-tiering.ts): V8 no longer optimizes a small function on its first profiler tick,
 * and asks four times its default budget before optimizing any function, when the flags are set at run time
 * as the CLI sets them (after V8 has started); `cosell sandbox` puts V8's defaults back; a V8 other than the
 * one they were measured on keeps its own.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/** V8's `--trace-opt` lines about `small` in a process that calls it `calls` times. */
function optimizationsOfSmall(tiering: 'default' | 'tuned' | 'restored' | 'tuned on another V8', calls: number): string[] {
  const script = `
    import { defaultTiering, tuneTiering } from './core/v8-tiering.ts';
    // As a later Node's V8 would name itself (Node 22's): the flags were measured on Node 20's 11.3 only.
    if ('${tiering}' === 'tuned on another V8') Object.defineProperty(process.versions, 'v8', { value: '12.4.254.21-node.33' });
    if ('${tiering}' !== 'default') tuneTiering();
    if ('${tiering}' === 'restored') defaultTiering();
    function small(x) { return x + 1; }
    let total = 0;
    for (let i = 0; i < ${calls}; i++) total = small(total);
    if (total !== ${calls}) process.exit(1);`;
  // --no-use-osr: the loop itself stays in the interpreter, so that \`small\` is only ever called, not inlined.
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--trace-opt', '--no-use-osr', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.split('\n').filter((line) => /^\[marking .*<JSFunction small /.test(line));
}

describe('the CLI\'s tiering', function () {
  this.timeout(60_000);

  // About 6 bytes of bytecode a call: V8's first tick comes after some 11,000 calls by default, and its
  // third (the default number before a function that is not small is optimized) after some 34,000.
  const CALLS = 60_000;

  it('by default, V8 optimizes a small function on its first tick', () => {
    const marks = optimizationsOfSmall('default', CALLS);
    assert.ok(marks.some((line) => line.includes('reason: small function')), marks.join('\n'));
  });

  it('tuned, it does not: 60,000 calls are under three ticks of four times the budget', () => {
    assert.deepEqual(optimizationsOfSmall('tuned', CALLS), []);
  });

  it('on a V8 other than the one measured (Node 20\'s 11.3), leaves V8\'s own tiering', () => {
    const marks = optimizationsOfSmall('tuned on another V8', CALLS);
    assert.ok(marks.some((line) => line.includes('reason: small function')), marks.join('\n'));
  });

  it('restored (cosell sandbox), V8 optimizes it on its first tick again', () => {
    const marks = optimizationsOfSmall('restored', CALLS);
    assert.ok(marks.some((line) => line.includes('reason: small function')), marks.join('\n'));
  });

  it('is set by the CLI before any command runs, and put back by the sandbox command', async () => {
    const { readFile } = await import('node:fs/promises');
    assert.match(await readFile('core/cli/main.ts', 'utf8'), /^tuneTiering\(\);$/m);
    assert.match(await readFile('core/cli/commands/sandbox.ts', 'utf8'), /^\s+defaultTiering\(\);$/m);
  });
});
