/**
 * The production layout the container image ships (Dockerfile, runtime stage): package.json, the production
 * node_modules, bin/ and the compiled dist/, with no TypeScript sources and no compiler. The CLI must run
 * from that alone, and the Dockerfile must be able to build it: its dependency layer is installed before
 * the sources are copied, when the project's own `prepare` (bin/build.js) cannot run yet.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, staleReason } from '../../bin/build-info.js';

/** The Dockerfile's instructions, continuation lines joined, as [stage index, instruction] pairs. */
function dockerInstructions(text: string): Array<{ stage: number; line: string }> {
  const joined = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  let stage = -1;
  return joined.map((line) => {
    if (/^FROM\s/i.test(line)) stage += 1;
    return { stage, line };
  });
}

describe('production layout (the container image)', function () {
  this.timeout(120_000);
  let root = '';

  before(function () {
    assert.equal(staleReason(), undefined, 'run `npm run build` first (npm test does)');
    root = mkdtempSync(join(tmpdir(), 'cosell-prod-'));
    for (const part of ['package.json', 'bin', 'dist']) cpSync(join(ROOT, part), join(root, part), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  });
  // Nothing to remove when the build check above failed: the hook's own error would hide that one.
  after(() => root && rmSync(root, { recursive: true, force: true }));

  it('runs the compiled CLI without the TypeScript sources, and without falling back to tsx', function () {
    const run = spawnSync(process.execPath, [join(root, 'bin', 'cosell.js'), '--help'], { encoding: 'utf8', cwd: root });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Usage: cosell/);
    assert.equal(run.stderr, '', 'no "compiled CLI is out of date" notice');
  });

  it('carries exactly the files the compiled code reads at run time (the PostgreSQL migrations), none stale', function () {
    const migrations = join(root, 'dist', 'core', 'store', 'pg', 'migrations');
    assert.ok(existsSync(join(migrations, '0001_tenants.sql')), 'dist/ holds the migrations beside pg-migrate.js');
    const sql = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.sql')).sort();
    assert.deepEqual(sql(join(root, 'dist', 'core')), sql(join(ROOT, 'core')), 'a renamed or deleted migration leaves no copy behind in dist/');
  });

  it('Dockerfile: no install runs the project prepare script before the sources are in the image', function () {
    const steps = dockerInstructions(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    const stages = new Set(steps.map((s) => s.stage));
    for (const stage of stages) {
      const inStage = steps.filter((s) => s.stage === stage);
      const sourcesAt = inStage.findIndex((s) => /^COPY\s+(--from=\S+\s+)?\.\s/i.test(s.line) || /^COPY\s+--from=\S+\s+\S*\/bin\s/i.test(s.line));
      inStage.forEach((s, i) => {
        const installs = /^RUN\s.*\bnpm (ci|install)\b/i.test(s.line);
        if (installs && (sourcesAt === -1 || i < sourcesAt)) {
          assert.match(s.line, /--ignore-scripts/, `stage ${stage}: "${s.line}" would run bin/build.js before bin/ is copied`);
        }
      });
    }
  });

  it('Dockerfile: the runtime stage ships dist/ and runs bin/cosell.js', function () {
    const steps = dockerInstructions(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    const last = Math.max(...steps.map((s) => s.stage));
    const runtime = steps.filter((s) => s.stage === last).map((s) => s.line);
    assert.ok(runtime.some((l) => /^COPY --from=build \/app\/dist \.\/dist$/.test(l)), 'copies the compiled CLI');
    assert.ok(runtime.some((l) => l.startsWith('ENTRYPOINT') && l.includes('/app/bin/cosell.js')));
    assert.ok(!runtime.some((l) => /typescript|npm run build/.test(l)), 'no compiler in the runtime stage');
  });
});
