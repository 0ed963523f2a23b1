/**
 * Nothing readable that should not be: the state folder 0700 and its database files 0600 (set on create,
 * tightened on open with a warning), the token cache likewise, `file:` secrets readable by others refused,
 * and the token-cache key accepted only in its documented encodings.
 */
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenCacheContext } from '@azure/msal-node';
import { cacheKeyFromEnv, decryptCache, encryptCache, encryptedFileCachePlugin } from '../../connectors/partner-center/auth/encrypted-cache.js';
import { resolveSecret } from '../../config/secrets.js';
import { ConfigError } from '../../core/errors.js';
import { notOursToTighten, reportPermissionWarningsTo, secureStateFiles } from '../../core/store/file-permissions.js';
import { openSqliteStore } from '../../core/store/index.js';
import { startWorld } from '../../sandbox/world.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;
const scratch = () => mkdtempSync(join(tmpdir(), 'cosell-at-rest-'));

function writeSomething(file: string): void {
  const store = openSqliteStore(file);
  try {
    store.putMeta('probe', { customer: 'Contoso' }, new Date().toISOString());
  } finally {
    store.close();
  }
}

describe('at rest', () => {
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('creates the state folder 0700 and the database, -wal and -shm files 0600', () => {
    const folder = join(scratch(), 'state');
    const file = join(folder, 'cosell.sqlite');
    const store = openSqliteStore(file);
    try {
      store.putMeta('probe', { customer: 'Contoso' }, new Date().toISOString());
      assert.equal(modeOf(folder), 0o700);
      const files = readdirSync(folder);
      assert.ok(files.includes('cosell.sqlite-wal'), `the WAL exists while open: ${files.join(', ')}`);
      for (const name of files) assert.equal(modeOf(join(folder, name)), 0o600, name);
    } finally {
      store.close();
    }
  });

  it('tightens a looser folder, database, WAL and backup on open, with a warning for each', () => {
    const folder = join(scratch(), 'state');
    const file = join(folder, 'cosell.sqlite');
    writeSomething(file);
    chmodSync(folder, 0o755);
    writeFileSync(`${file}.bak`, 'backup', { mode: 0o644 });
    chmodSync(file, 0o644);
    writeFileSync(`${file}-wal`, '', { mode: 0o666 });
    chmodSync(`${file}-wal`, 0o666);
    const warnings: string[] = [];
    secureStateFiles(file, (message) => warnings.push(message));
    assert.equal(modeOf(folder), 0o700);
    for (const name of ['cosell.sqlite', 'cosell.sqlite.bak', 'cosell.sqlite-wal']) assert.equal(modeOf(join(folder, name)), 0o600, name);
    assert.equal(warnings.length, 4, warnings.join('\n'));
    assert.ok(warnings.some((w) => w.includes(folder) && /0755.*0700/.test(w)));
    // openSqliteStore does the same on every open.
    chmodSync(file, 0o644);
    writeSomething(file);
    assert.equal(modeOf(file), 0o600);
  });

  it('never changes a folder that is not the connector\'s own (a /tmp-like shared folder): warns, and keeps the database owner-only', () => {
    const shared = scratch();
    chmodSync(shared, 0o1777);
    const file = join(shared, 'cosell.sqlite');
    const warnings: string[] = [];
    secureStateFiles(file, (message) => warnings.push(message));
    assert.equal(statSync(shared).mode & 0o7777, 0o1777, 'the shared folder keeps its mode and sticky bit');
    assert.equal(modeOf(file), 0o600);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /left as it is because it is shared by design \(sticky bit/);
  });

  it('a folder is ours to tighten unless shared by design, another user\'s, the home folder or top-level', () => {
    const me = { uid: 1000, home: '/home/avery' };
    assert.equal(notOursToTighten('/home/avery/cosell/.state', { mode: 0o40755, uid: 1000 }, me), undefined);
    assert.match(notOursToTighten('/tmp', { mode: 0o41777, uid: 0 }, me)!, /sticky/);
    assert.match(notOursToTighten('/srv/shared/data', { mode: 0o40755, uid: 0 }, me)!, /another user/);
    assert.match(notOursToTighten('/home/avery', { mode: 0o40755, uid: 1000 }, me)!, /home folder/);
    assert.match(notOursToTighten('/data', { mode: 0o40755, uid: 1000 }, me)!, /top-level/);
  });

  it('the token cache folder and file are tightened when found looser', async () => {
    const folder = join(scratch(), 'tokens');
    mkdirSync(folder, { mode: 0o777 });
    chmodSync(folder, 0o777);
    const path = join(folder, 'cache.json');
    const key = cacheKeyFromEnv('K', { K: randomBytes(32).toString('base64') });
    writeFileSync(path, encryptCache('{}', key), { mode: 0o644 });
    chmodSync(path, 0o644);
    const warnings: string[] = [];
    const previous = reportPermissionWarningsTo((message) => warnings.push(message));
    try {
      await encryptedFileCachePlugin(path, key).beforeCacheAccess({ tokenCache: { deserialize: () => undefined } } as unknown as TokenCacheContext);
    } finally {
      reportPermissionWarningsTo(previous);
    }
    assert.equal(modeOf(folder), 0o700);
    assert.equal(modeOf(path), 0o600);
    assert.equal(warnings.length, 2);
  });

  it('refuses a file: secret that other users can read, naming the file and the fix', async () => {
    const file = join(scratch(), 'secret');
    writeFileSync(file, 'the-client-secret\n', { mode: 0o644 });
    chmodSync(file, 0o644);
    await assert.rejects(resolveSecret(`file:${file}`, 'crm > dynamics > clientSecret'), (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.path, 'crm > dynamics > clientSecret');
      assert.ok(error.message.includes(file) && error.message.includes(`chmod 600 ${file}`), error.message);
      assert.ok(!error.message.includes('the-client-secret'));
      return true;
    });
    chmodSync(file, 0o600);
    assert.equal(await resolveSecret(`file:${file}`), 'the-client-secret');
  });

  describe('token-cache key', () => {
    const bytes = randomBytes(32);
    const keyOf = (value: string) => cacheKeyFromEnv('K', { K: value });

    it('accepts exactly standard base64 and hex of 32 bytes as keys', () => {
      for (const value of [bytes.toString('base64'), bytes.toString('hex'), bytes.toString('hex').toUpperCase()]) {
        const key = keyOf(value);
        assert.equal(key.kind, 'raw');
        assert.ok(key.kind === 'raw' && key.key.equals(bytes));
      }
    });

    it('refuses base64url, unpadded, wrong-length encodings and short passphrases instead of guessing', () => {
      const base64url = Buffer.alloc(32, 0xfb).toString('base64url');
      for (const value of [base64url, bytes.toString('base64').replace(/=$/, ''), randomBytes(31).toString('base64'), randomBytes(33).toString('hex'), 'twelve-chars', 'fifteen-chars!!']) {
        assert.throws(() => keyOf(value), ConfigError, value);
      }
      assert.equal(keyOf('sixteen chars ok').kind, 'passphrase');
    });

    it('stretches passphrases with scrypt N=2^17, and still reads a cache written with the old 2^14', () => {
      const key = keyOf('a passphrase of enough length');
      const sealed = JSON.parse(encryptCache('{"x":1}', key)) as { n: number };
      assert.equal(sealed.n, 2 ** 17);
      const salt = randomBytes(16);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', scryptSync('a passphrase of enough length', salt, 32, { N: 2 ** 14, r: 8, p: 1 }), iv);
      cipher.setAAD(Buffer.from('cosell-token-cache/v1'));
      const data = Buffer.concat([cipher.update('{"legacy":true}', 'utf8'), cipher.final()]);
      const legacy = JSON.stringify({ format: 'cosell-token-cache', version: 1, kdf: 'scrypt', salt: salt.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') });
      assert.equal(decryptCache(legacy, key, 'legacy.json'), '{"legacy":true}');
    });
  });

  it('after setup and a sync, the state folder is 0700 and every file in it 0600', async function () {
    this.timeout(60_000);
    const world = await startWorld('dynamics');
    try {
      await world.sync();
      const folder = join(world.runtime.config.store.path, '..');
      assert.equal(modeOf(folder), 0o700);
      const files = readdirSync(folder);
      assert.ok(files.some((f) => f.endsWith('.sqlite')) && files.some((f) => f.includes('token')), files.join(', '));
      for (const name of files) assert.equal(modeOf(join(folder, name)), 0o600, name);
    } finally {
      await world.close();
    }
  });
});
