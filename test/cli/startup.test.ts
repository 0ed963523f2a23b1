/**
 * Start-up: `cosell --help` loads the command definitions only (no connector, state store, engine or
 * sandbox code), and bin/cosell.js never runs a compiled CLI older than its sources.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildStamp, compiledMain, staleReason } from '../../bin/build-info.js';
import { CRM_KINDS } from '../../connectors/kinds.js';
import { CRM_CONNECTORS } from '../../connectors/registry.js';

/** A resolve hook that prints every module the CLI imports, one `LOADED url` line each on standard error. */
const RECORD_IMPORTS = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent('export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write("LOADED " + r.url + "\\\\n"); return r; }'));
`)}`;

function modulesLoadedBy(args: string[]): string[] {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', RECORD_IMPORTS, 'core/cli/main.ts', ...args], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return run.stderr.split('\n').filter((line) => line.startsWith('LOADED ')).map((line) => line.slice('LOADED '.length));
}

describe('cosell start-up', function () {
  this.timeout(120_000);

  it('--help loads no connector, HTTP client, state store, engine, schema or sandbox code', function () {
    const loaded = modulesLoadedBy(['--help']);
    assert.ok(loaded.some((url) => url.includes('/core/cli/commands/sync.')), 'the recorder saw the command modules');
    const heavy = loaded.filter((url) => /node_modules\/(@azure|@microsoft|axios|jsforce|better-sqlite3|zod|pino|yaml|csv-|cli-progress|fastify|@fastify|prom-client|pg|pg-boss|playwright-core)\/|\/(sandbox|connectors\/(salesforce|dynamics|partner-center)|core\/(engine|serve|dashboard|notify|tenants)|core\/store\/(index|pg)|bench)\//.test(url));
    assert.deepEqual(heavy, []);
  });

  it('offers the same default tenant schedule in --help as the tenant registry uses', async function () {
    const [{ DEFAULT_TENANT_SCHEDULE }, { DEFAULT_SCHEDULE }] = await Promise.all([import('../../core/cli/commands/tenants.js'), import('../../core/tenants/tenant-registry.js')]);
    assert.equal(DEFAULT_TENANT_SCHEDULE, DEFAULT_SCHEDULE);
  });

  it('names the CRM kinds in --help from the same list as the connector registry', function () {
    assert.deepEqual([...CRM_KINDS], CRM_CONNECTORS.map((c) => c.kind));
  });
});

describe('bin/build-info: is the compiled CLI up to date', function () {
  let root: string;
  const builtAt = new Date('2026-01-01T00:00:00Z');
  const later = new Date('2026-01-02T00:00:00Z');

  beforeEach(function () {
    root = mkdtempSync(join(tmpdir(), 'cosell-build-'));
    for (const file of ['tsconfig.json', 'tsconfig.build.json', 'core/cli/main.ts', 'sandbox/world.ts']) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), '');
      utimesSync(join(root, file), builtAt, builtAt);
    }
  });
  afterEach(function () {
    rmSync(root, { recursive: true, force: true });
  });

  function build() {
    mkdirSync(join(compiledMain(root), '..'), { recursive: true });
    writeFileSync(compiledMain(root), '');
    writeFileSync(buildStamp(root), '');
    utimesSync(buildStamp(root), builtAt, builtAt);
  }

  it('says dist/ has not been built when it is missing', function () {
    assert.equal(staleReason(root), 'dist/ has not been built');
  });

  it('accepts a build no source is newer than', function () {
    build();
    assert.equal(staleReason(root), undefined);
  });

  it('names the source edited after the build', function () {
    build();
    utimesSync(join(root, 'sandbox/world.ts'), later, later);
    assert.equal(staleReason(root), `${join('sandbox', 'world.ts')} changed since the last build`);
  });

  it('names a build setting changed after the build', function () {
    build();
    utimesSync(join(root, 'tsconfig.build.json'), later, later);
    assert.equal(staleReason(root), 'tsconfig.build.json changed since the last build');
  });
});
