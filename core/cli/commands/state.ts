/**
 * Looking after the state database: `cosell state backup FILE`, `cosell state check`, `cosell state
 * rebuild`, and `cosell unlock` for the rare lock that does not heal by itself.
 */
import type { Command } from 'commander';
import type { StateStore } from '../../store/index.js';
import { EXIT } from '../exit-codes.js';
import { command } from '../output.js';
import { currentWorld, describeHolder, judgeLock } from '../runner-lock.js';
import { checkOutputFile } from './csv-files.js';

/** The store-meta key that tells the next sync (and `status`) that the links are to be rebuilt. */
export const REBUILD_REQUESTED_KEY = 'rebuild-requested';

/** The config reader and the SQLite store's tools, loaded when a state command runs (`--help` needs none). */
async function storeTools() {
  const [{ loadConfig }, { openSqliteStore }, maintenance] = await Promise.all([
    import('../../../config/load.js'),
    import('../../store/index.js'),
    import('../../store/sqlite-maintenance.js'),
  ]);
  return { loadConfig, openSqliteStore, ...maintenance };
}

async function withStore<T>(file: string, work: (store: StateStore) => T): Promise<T> {
  const store = (await storeTools()).openSqliteStore(file, { mustExist: true });
  try {
    return work(store);
  } finally {
    store.close();
  }
}

export function registerStateCommands(program: Command): void {
  const storePath = async () => (await storeTools()).loadConfig(program.opts<{ config: string }>().config).store.path;
  const state = program.command('state').description('back up, check or rebuild the state database');

  state
    .command('backup')
    .argument('<file>', 'where to write the copy (must not exist yet)')
    .description('write a consistent copy of the state database (safe while a sync runs)')
    .action(
      command(async (file: string) => {
        // A folder typed wrong is the admin's mistake (exit 2, naming the path), not SQLite's TypeError (exit 1).
        checkOutputFile(file, 'FILE');
        const { backupSqliteStore } = await storeTools();
        const report = await backupSqliteStore(await storePath(), file);
        console.log(`Backed up the state database to ${report.file} (${report.bytes} bytes, schema version ${report.schemaVersion}, integrity ok).`);
        console.log(`To restore it: stop cosell, then copy it over ${await storePath()} (and delete that file's -wal and -shm companions).`);
      }),
    );

  state
    .command('check')
    .description('read every page of the state database and report whether it is sound')
    .action(
      command(async () => {
        const { checkSqliteStore } = await storeTools();
        const report = checkSqliteStore(await storePath());
        if (report.ok) {
          console.log(`${report.file}: ok (${report.bytes} bytes, schema version ${report.schemaVersion}).`);
          return EXIT.ok;
        }
        console.log(`${report.file}: damaged.\n  ${report.findings.slice(0, 20).join('\n  ')}`);
        console.log('Restore it from a backup, or run "cosell state rebuild".');
        return EXIT.stateStore;
      }),
    );

  state
    .command('rebuild')
    .description('move the state database aside and start a new one; the next sync rebuilds the links from both sides')
    .action(
      command(async () => {
        const { moveSqliteStoreAside, openSqliteStore } = await storeTools();
        const file = await storePath();
        // A readable store may have a live runner: never pull the file from under it.
        try {
          const verdict = await withStore(file, (store) => judgeLock(store.lockHolder(), currentWorld()));
          if (verdict.kind === 'live') {
            console.error(`cosell: a sync is running (${describeHolder(verdict.holder)}); stop it first.`);
            return EXIT.locked;
          }
        } catch {
          // Damaged or missing: there is no runner to protect, and the file is what we are replacing.
        }
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const movedTo = moveSqliteStoreAside(file, `replaced-${stamp}`);
        const store = openSqliteStore(file);
        try {
          store.putMeta(REBUILD_REQUESTED_KEY, { at: new Date().toISOString(), previousFile: movedTo ?? null }, new Date().toISOString());
        } finally {
          store.close();
        }
        console.log(movedTo ? `Moved the old state database to ${movedTo}.` : 'There was no state database; started a new one.');
        console.log(
          'The next "cosell sync --once" rebuilds the links from the referral IDs on both sides. Where the two sides differ, it treats the difference ' +
            'as a conflict under your conflict policy (never a silent overwrite); "cosell status" reports what it found.',
        );
      }),
    );

  program
    .command('unlock')
    .description('release a runner lock left behind (refused while its holder is alive)')
    .action(
      command(async () => {
        return withStore(await storePath(), (store) => {
          const verdict = judgeLock(store.lockHolder(), currentWorld());
          if (verdict.kind === 'free') {
            console.log('Nobody holds the runner lock.');
            return EXIT.ok;
          }
          if (verdict.kind === 'live') {
            console.error(`cosell: the runner lock is held by a live sync (${describeHolder(verdict.holder)}); stop that sync instead.`);
            return EXIT.locked;
          }
          store.breakLock(verdict.holder.owner, verdict.holder.heartbeatMs);
          console.log(`Released the runner lock held by ${describeHolder(verdict.holder)}: ${verdict.why}.`);
          return EXIT.ok;
        });
      }),
    );
}
