/** How the benchmark forks its sandbox host: compiled, with plain node, as the shipped CLI runs the sandboxes. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sandboxHostLaunch } from '../../bench/compiled-hosts.js';

describe('bench sandbox host launch', () => {
  it('forks the compiled host from dist-bench/ without a TypeScript loader', () => {
    const launch = sandboxHostLaunch({});
    assert.match(launch.modulePath, /\/dist-bench\/bench\/sandbox-host\.js$/);
    assert.deepEqual(launch.execArgv, []);
  });

  it('passes BENCH_SANDBOX_NODE_ARGS on as Node flags', () => {
    const launch = sandboxHostLaunch({ BENCH_SANDBOX_NODE_ARGS: '--cpu-prof  --cpu-prof-dir=/tmp/prof/host' });
    assert.deepEqual(launch.execArgv, ['--cpu-prof', '--cpu-prof-dir=/tmp/prof/host']);
  });

  it('compiles the sandbox host in the same tsc build as the engine host', () => {
    // tsconfig has comments (JSONC): the include list is read with a pattern, not JSON.parse.
    const config = readFileSync(new URL('../../bench/tsconfig.hosts.json', import.meta.url), 'utf8');
    const include = /"include":\s*\[([^\]]*)\]/.exec(config)?.[1] ?? '';
    assert.match(include, /"engine-host\.ts"/);
    assert.match(include, /"sandbox-host\.ts"/);
  });
});
