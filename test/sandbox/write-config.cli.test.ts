/**
 * `cosell sandbox --persist DIR --write-config FILE` run as an admin runs it: `node bin/cosell.js` as a
 * child, stopped with SIGTERM. A restart keeps the ports and leaves the admin's config as it is; when
 * a port is taken the sandbox moves, says so, and only the sandbox URLs in the config move with it
 * (every other key and comment kept); `--force` replaces the file; a config for the real services is
 * never touched.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { waitFor } from '../helpers/cli.js';
import { startTinyServer, type TinyServer } from '../helpers/partner-center-client.js';

const BIN = resolve('bin/cosell.js');

interface Running {
  description: { partnerCenter: { url: string }; entra: { url: string }; salesforce: { url: string }; dataverse: { url: string }; graph: { url: string; controls: string }; configAction?: string; configUpdated?: string[] };
  stderr(): string;
  stop(): Promise<number | null>;
}

/** Starts `cosell sandbox` and resolves with its first line of output, parsed. */
function sandbox(cwd: string, args: string[]): Promise<Running> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BIN, 'sandbox', '--no-seed', ...args], { cwd, env: { ...process.env, COSELL_DEBUG: '1' } });
  let stdout = '';
  let stderr = '';
  // 'close', not 'exit': the process can end before this one has read the last of its output.
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((ready, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      child.stdout.removeAllListeners('data');
      // The notices are written on stderr, another pipe, after the JSON line: they may not have been read
      // yet (a 200-ms wait for them was a guess). The tests read them once the sandbox stopped.
      ready({
        description: JSON.parse(stdout.slice(0, newline)) as Running['description'],
        stderr: () => stderr,
        stop: async () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then((code) => fail(new Error(`cosell sandbox exited (${code}) before it was ready: ${stderr}`)));
  });
}

describe('cosell sandbox --write-config and --persist (command line)', function () {
  this.timeout(120_000);
  let dir: string;
  let file: string;
  let blocker: TinyServer | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cosell-sandbox-cli-'));
    file = join(dir, 'cosell.config.yaml');
    blocker = undefined;
  });
  afterEach(async () => {
    await blocker?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops on SIGTERM while a slow fault holds an answer back (the answer does not keep it running)', async () => {
    const running = await sandbox(dir, []);
    const salesforce = running.description.salesforce.url;
    const set = await fetch(`${salesforce}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rate: 1, kinds: { slow: 1 }, slowMs: 60_000, match: 'oauth2' }) });
    assert.equal(set.ok, true);
    const held = fetch(`${salesforce}/services/oauth2/token`, { method: 'POST', body: 'grant_type=client_credentials' }).catch(() => 'cut');
    // The stop must find the answer held: wait until the sandbox counts the slow fault it is holding
    // (a 500-ms wait for it was a guess, and on a loaded machine the stop could come first).
    const holding = async () => ((await (await fetch(`${salesforce}/_sandbox/counters`)).json()) as { counters: Record<string, number> }).counters['fault:slow'] === 1;
    await waitFor(holding, 30_000, 'the token request held by the slow fault');
    const started = Date.now();
    const code = await running.stop();
    assert.equal(code, 0, running.stderr());
    assert.ok(Date.now() - started < 10_000, `exited ${Date.now() - started} ms after SIGTERM`);
    assert.equal(await held, 'cut', 'the held request was cut when the sandbox stopped');
  });

  it('keeps its ports and the admin config across restarts, and moves only the sandbox URLs when a port is taken', async () => {
    const first = await sandbox(dir, ['--persist', 'data', '--write-config', file]);
    assert.equal(first.description.configAction, 'written');
    assert.equal(await first.stop(), 0, 'SIGTERM stops it cleanly');
    assert.match(first.stderr(), /Wrote .*cosell\.config\.yaml/);
    const written = parse(readFileSync(file, 'utf8')) as { partnerCenter: { baseUrl: string } };
    assert.equal(written.partnerCenter.baseUrl, first.description.partnerCenter.url);

    // The admin makes the config theirs.
    const adminText = readFileSync(file, 'utf8').replace('sync:\n', '# Ours: never overwrite.\nsync:\n  conflictPolicy: manual # the sales ops team decides\n');
    writeFileSync(file, adminText);

    const second = await sandbox(dir, ['--persist', 'data', '--write-config', file]);
    const urls = (d: Running['description']) => [d.entra.url, d.partnerCenter.url, d.salesforce.url, d.dataverse.url, d.graph.url];
    assert.equal(first.description.graph.controls, `${first.description.graph.url}/_sandbox/graph`, 'the Graph sandbox is listed with its controls');
    assert.deepEqual(urls(second.description), urls(first.description), 'every sandbox is back on its port');
    assert.equal(second.description.configAction, 'unchanged');
    assert.equal(await second.stop(), 0);
    assert.match(second.stderr(), /Kept .*cosell\.config\.yaml unchanged/);
    assert.equal(readFileSync(file, 'utf8'), adminText, 'the admin config is byte for byte as they left it');

    // Another program takes the Partner Center port before the next start.
    const oldPartnerCenter = first.description.partnerCenter.url;
    blocker = await startTinyServer((_req, res) => res.end(), Number(new URL(oldPartnerCenter).port));
    const third = await sandbox(dir, ['--persist', 'data', '--write-config', file]);
    assert.notEqual(third.description.partnerCenter.url, oldPartnerCenter);
    assert.equal(third.description.entra.url, first.description.entra.url, 'the free ports are kept');
    assert.equal(third.description.configAction, 'updated');
    // Every setting that points at the Partner Center sandbox moves: its API, and `cosell serve`'s registration API and certificate host.
    assert.deepEqual(third.description.configUpdated, ['partnerCenter.baseUrl', 'serve.webhooks.registrationUrl', 'serve.webhooks.certificateHosts.0']);
    assert.equal(await third.stop(), 0);
    assert.match(third.stderr(), new RegExp(`Partner Center sandbox: port ${new URL(oldPartnerCenter).port} is taken`));
    assert.match(third.stderr(), /moved its sandbox URLs .*partnerCenter\.baseUrl/);
    const updated = readFileSync(file, 'utf8');
    assert.equal(updated, adminText.replaceAll(oldPartnerCenter, third.description.partnerCenter.url), 'only the moved URL changed; comments and keys are kept');
    assert.equal((parse(updated) as { sync: { conflictPolicy: string } }).sync.conflictPolicy, 'manual');
  });

  it('makes the state folder and the persist folder for their owner alone (0700), as the connector makes its state folder', async () => {
    // Until 2026-12-06 both were 0755, and the admin's next command warned that the state folder "was
    // readable by other users" and tightened it.
    const running = await sandbox(dir, ['--persist', 'data', '--write-config', file]);
    await running.stop();
    const config = parse(readFileSync(file, 'utf8')) as { store: { path: string } };
    const stateFolder = resolve(dir, config.store.path, '..');
    assert.equal(statSync(stateFolder).mode & 0o777, 0o700, stateFolder);
    assert.equal(statSync(join(dir, 'data')).mode & 0o777, 0o700);
  });

  it('replaces an existing config only with --force, and never touches a config for the real services', async () => {
    const real = '# Production\ncrm:\n  kind: dynamics\n  dynamics:\n    environmentUrl: https://contoso.crm.dynamics.com # ours\npartnerCenter:\n  clientId: abc\nsync:\n  conflictPolicy: crm-wins\n';
    writeFileSync(file, real);
    const kept = await sandbox(dir, ['--write-config', file, '--crm', 'dynamics']);
    assert.equal(kept.description.configAction, 'unchanged');
    assert.equal(await kept.stop(), 0);
    assert.match(kept.stderr(), /Pass --force to replace it/);
    assert.equal(readFileSync(file, 'utf8'), real);

    const forced = await sandbox(dir, ['--write-config', file, '--crm', 'dynamics', '--force']);
    assert.equal(forced.description.configAction, 'overwritten');
    assert.equal(await forced.stop(), 0);
    assert.match(forced.stderr(), /Replaced .*cosell\.config\.yaml/);
    const replaced = parse(readFileSync(file, 'utf8')) as { crm: { dynamics: { apiUrl: string } }; sync: Record<string, unknown> };
    assert.equal(replaced.crm.dynamics.apiUrl, forced.description.dataverse.url);
    assert.equal(replaced.sync.conflictPolicy, undefined, 'a forced write is a new sandbox config');
  });

  it('says so when --crm names another CRM than the config it keeps is for', async () => {
    const first = await sandbox(dir, ['--write-config', file]);
    assert.equal(await first.stop(), 0);
    const salesforceConfig = readFileSync(file, 'utf8');
    const other = await sandbox(dir, ['--write-config', file, '--crm', 'dynamics']);
    assert.equal(await other.stop(), 0);
    assert.match(other.stderr(), /cosell\.config\.yaml is a salesforce config: --crm dynamics was not applied to it .*Pass --force to replace it with a dynamics sandbox config/);
    assert.equal((parse(readFileSync(file, 'utf8')) as { crm: { kind: string } }).crm.kind, 'salesforce', 'kept');
    // Without --crm the file's own CRM is the one meant: nothing to say.
    const plain = await sandbox(dir, ['--write-config', file]);
    assert.equal(await plain.stop(), 0);
    assert.doesNotMatch(plain.stderr(), /was not applied/);
    assert.ok(salesforceConfig.includes('kind: salesforce'));
  });

  it('refuses a config it cannot read as YAML with exit code 2, naming the file, and leaves it alone', async () => {
    writeFileSync(file, 'crm: [unclosed\n');
    await assert.rejects(sandbox(dir, ['--write-config', file]), (error: Error) => {
      assert.match(error.message, /exited \(2\)/);
      assert.match(error.message, /cosell\.config\.yaml.*is not valid YAML.*--force/);
      return true;
    });
    assert.equal(readFileSync(file, 'utf8'), 'crm: [unclosed\n');
  });
});
