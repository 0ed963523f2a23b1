/**
 * `cosell status [--json] [--tenant X [--database REF]]`: last runs, link counts, parked records and open
 * conflicts, of a single install or of one tenant of a multi-tenant database (status-report.ts); and
 * `cosell conflicts list|show|resolve`, where an admin settles what the manual policy parked.
 */
import type { Command } from 'commander';
import { ConfigError, terminalSafe } from '../../errors.js';
import { CLOCK_OFFSET_META, keptClockOffset } from '../../service-clock.js';
import { EXIT } from '../exit-codes.js';
import { command, table, terminalJson } from '../output.js';
import { currentWorld } from '../runner-lock.js';
import { storeReadsOf } from '../../store/store-reads.js';
import { openRuntime } from './lazy-parts.js';
import { DEFAULT_DATABASE, withDatabase } from './tenants.js';
import type { StateStore } from '../../store/state-store.js';

/**
 * A single install's status: its own store, read through the same reads as a tenant's. Its runs are stamped
 * by the engine's clock, Partner Center's when this machine's is off: their ages are reckoned by it too, with
 * the offset the last command kept (read against this machine's clock, a timer stopped hours ago read as on
 * time while Partner Center's clock was ahead, and a running one as stopped while it was behind).
 */
async function singleInstallStatus(configFile: string) {
  const runtime = await openRuntime({ configFile, storeOnly: true });
  try {
    const { readStatus } = await import('../status-report.js');
    const { dueInterval, RUN_INTERVAL_META } = await import('../sync-freshness.js');
    const interval = dueInterval(runtime.store.getMeta(RUN_INTERVAL_META), runtime.config.sync.intervalMinutes);
    const world = currentWorld();
    const engineNowMs = world.now + keptClockOffset(runtime.store.getMeta(CLOCK_OFFSET_META));
    return { ...(await readStatus(storeReadsOf(runtime.store), world, interval, engineNowMs)), now: new Date(engineNowMs) };
  } finally {
    runtime.close();
  }
}

async function tenantStatus(tenantId: string, database: string) {
  // Loaded here: a single install's status never loads the PostgreSQL client.
  const { readTenantStatus } = await import('../tenant-status.js');
  return withDatabase(database, (db) => readTenantStatus(db, tenantId, currentWorld()));
}

export function registerStatusCommands(program: Command): void {
  const configFile = () => program.opts<{ config: string }>().config;

  program
    .command('status')
    .description('last runs, counts, parked records and conflicts')
    .option('--json', 'print JSON')
    .option('--tenant <id>', 'one tenant of a multi-tenant install (PostgreSQL)')
    .option('--database <reference>', 'with --tenant: the PostgreSQL URL, as a secret reference (env:NAME or file:/path)', DEFAULT_DATABASE)
    .action(
      command(async (opts: { json?: boolean; tenant?: string; database: string }) => {
        if (!opts.tenant && opts.database !== DEFAULT_DATABASE) throw new ConfigError('--database', 'names the multi-tenant database: give --tenant too (a single install reads its config file)');
        const { report, verdict, now } = opts.tenant ? await tenantStatus(opts.tenant, opts.database) : await singleInstallStatus(configFile());
        if (opts.json) return void console.log(terminalJson(report));
        // Loaded when the command runs, not for `cosell --help` (it reaches the engine's rebuild record).
        const { renderStatus } = await import('../status-report.js');
        // Deal names and reasons are CRM and Partner Center text: printed without what would drive the terminal.
        for (const line of renderStatus(report, verdict, now)) console.log(terminalSafe(line));
      }),
    );

  /**
   * The number `conflicts list` prints, or the CRM record or referral of an open conflict (the record's
   * message names its CRM ID, which the seller sees: the number is known only once the sync committed).
   * Anything else is named in the message (not "NaN").
   */
  const conflictNumber = (store: Pick<StateStore, 'listConflicts'>, id: string): number => {
    if (/^\d+$/.test(id)) return Number(id);
    const open = store.listConflicts().find((c) => c.crmId === id || c.referralId === id);
    if (!open) throw new ConfigError('id', `"${id}" is neither a conflict ID nor the CRM record or referral of an open conflict: give what "cosell conflicts list" shows`);
    return open.id;
  };
  const conflicts = program.command('conflicts').description('conflicts parked by the manual policy');
  conflicts.command('list').option('--json', 'print JSON').action(
    command(async (opts: { json?: boolean }) => {
      const runtime = await openRuntime({ configFile: configFile(), storeOnly: true });
      try {
        const open = runtime.store.listConflicts();
        if (opts.json) return void console.log(terminalJson(open));
        if (open.length === 0) return void console.log('No open conflicts.');
        console.log(table([['id', 'CRM record', 'referral', 'fields', 'detected'], ...open.map((c) => [c.id, c.crmId, c.referralId, c.fields.join(', '), c.detectedAt])]));
      } finally {
        runtime.close();
      }
    }),
  );
  conflicts.command('show').argument('<id>', 'the conflict number, or its CRM record or referral ID').action(
    command(async (id: string) => {
      const runtime = await openRuntime({ configFile: configFile(), storeOnly: true });
      try {
        const { readUnit } = await import('../../engine/merge/units.js');
        const c = runtime.store.getConflict(conflictNumber(runtime.store, id));
        if (!c) throw new ConfigError('id', `no conflict ${id}`);
        // A settled conflict still has both sides' values: say it is settled, or it reads as open.
        if (c.resolvedAt) console.log(`Settled for ${c.resolution ?? 'a side'} at ${c.resolvedAt}; the next sync applies it, if it has not yet.`);
        console.log(table([['field', 'last synced', 'CRM', 'Partner Center'], ...c.fields.map((f) => [f, JSON.stringify(readUnit(c.base, f)) ?? '', JSON.stringify(readUnit(c.crm, f)) ?? '', JSON.stringify(readUnit(c.partnerCenter, f)) ?? ''])]));
      } finally {
        runtime.close();
      }
    }),
  );
  conflicts
    .command('resolve')
    .argument('<id>', 'the conflict number, or its CRM record or referral ID')
    .requiredOption('--take <side>', 'crm or partner-center: whose values win')
    .description('settle a conflict; the next sync sends the chosen values to the other side')
    .action(
      command(async (id: string, opts: { take: string }) => {
        if (opts.take !== 'crm' && opts.take !== 'partner-center') throw new ConfigError('--take', 'must be crm or partner-center');
        const runtime = await openRuntime({ configFile: configFile(), storeOnly: true });
        try {
          const { settleConflict } = await import('../../engine/settle-conflict.js');
          const { asyncStateStore } = await import('../../store/async-over-sync.js');
          const number = conflictNumber(runtime.store, id);
          await settleConflict(asyncStateStore(runtime.store), number, opts.take, new Date().toISOString());
          console.log(`Conflict ${number} settled for ${opts.take}; the next sync applies it.`);
          return EXIT.ok;
        } finally {
          runtime.close();
        }
      }),
    );
}
