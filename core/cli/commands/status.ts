/**
 * `cosell status [--json]`: last runs, link counts, parked records and open conflicts; and
 * `cosell conflicts list|show|resolve`, where an admin settles what the manual policy parked.
 */
import type { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { EXIT } from '../exit-codes.js';
import { command, table } from '../output.js';
import { parkedEntries, pendingCreates, renderParked, renderPendingCreates } from '../parked-view.js';
import { currentWorld, describeHolder, judgeLock } from '../runner-lock.js';
import { openRuntime } from './lazy-parts.js';
import { crmWritesOf } from '../../run-counts.js';

export function registerStatusCommands(program: Command): void {
  const configFile = () => program.opts<{ config: string }>().config;

  program
    .command('status')
    .description('last runs, counts, parked records and conflicts')
    .option('--json', 'print JSON')
    .action(
      command(async (opts: { json?: boolean }) => {
        const runtime = await openRuntime({ configFile: configFile(), readOnly: true });
        try {
          const { describeRebuild, readRebuildRecord } = await import('../../engine/rebuild-record.js');
          const { store } = runtime;
          const lock = judgeLock(store.lockHolder(), currentWorld());
          const status = {
            lock: lock.kind === 'free' ? null : { ...lock.holder, alive: lock.kind === 'live' },
            runs: store.listRuns(10),
            links: store.countLinks(),
            parked: parkedEntries(store),
            parkedTotal: store.countParked(),
            conflicts: store.listConflicts().map((c) => ({ id: c.id, crmId: c.crmId, referralId: c.referralId, fields: c.fields, detectedAt: c.detectedAt })),
            orphaned: store.listLinks({ state: 'crm-deleted', limit: 50 }).concat(store.listLinks({ state: 'referral-missing', limit: 50 })).map((l) => ({ crmId: l.crmId, referralId: l.referralId, state: l.state })),
            pendingCreates: pendingCreates(store),
            rebuild: readRebuildRecord(store) ?? null,
          };
          if (opts.json) {
            console.log(JSON.stringify(status, null, 2));
            return;
          }
          console.log(table([['run', 'started', 'outcome', 'read', 'writes'], ...status.runs.map((r) => [r.id, r.startedAt, r.outcome ?? (lock.kind === 'live' ? 'running' : 'interrupted'), (r.counts.pcRead ?? 0) + (r.counts.crmRead ?? 0), (r.counts.pcCreated ?? 0) + (r.counts.pcUpdated ?? 0) + crmWritesOf(r.counts)])]));
          // The newest run's own words when it did not end well: what an admin checking on the timer needs first.
          const newest = status.runs[0];
          if (newest?.message && newest.outcome !== 'ok') console.log(`\nRun ${newest.id} ${newest.outcome ?? 'is running'}: ${newest.message}`);
          if (lock.kind !== 'free') console.log(`\nRunner lock: ${describeHolder(lock.holder)}${lock.kind === 'live' ? ' (running)' : ` (abandoned: ${lock.why}; the next sync takes it over)`}`);
          console.log(`\nLinks: ${Object.entries(status.links).map(([k, v]) => `${v} ${k}`).join(', ')}`);
          for (const line of renderParked(status.parked, status.parkedTotal, new Date())) console.log(line);
          for (const line of renderPendingCreates(status.pendingCreates)) console.log(line);
          console.log(`Open conflicts: ${status.conflicts.length}${status.conflicts.length ? ' (cosell conflicts list)' : ''}`);
          if (status.rebuild) console.log(describeRebuild(status.rebuild));
          for (const o of status.orphaned) console.log(`  orphaned ${o.state}: CRM ${o.crmId} ↔ referral ${o.referralId}`);
        } finally {
          runtime.close();
        }
      }),
    );

  const conflicts = program.command('conflicts').description('conflicts parked by the manual policy');
  conflicts.command('list').option('--json', 'print JSON').action(
    command(async (opts: { json?: boolean }) => {
      const runtime = await openRuntime({ configFile: configFile(), readOnly: true });
      try {
        const open = runtime.store.listConflicts();
        if (opts.json) return void console.log(JSON.stringify(open, null, 2));
        if (open.length === 0) return void console.log('No open conflicts.');
        console.log(table([['id', 'CRM record', 'referral', 'fields', 'detected'], ...open.map((c) => [c.id, c.crmId, c.referralId, c.fields.join(', '), c.detectedAt])]));
      } finally {
        runtime.close();
      }
    }),
  );
  conflicts.command('show').argument('<id>').action(
    command(async (id: string) => {
      const runtime = await openRuntime({ configFile: configFile(), readOnly: true });
      try {
        const { readUnit } = await import('../../engine/merge/units.js');
        const c = runtime.store.getConflict(Number(id));
        if (!c) throw new ConfigError('id', `no conflict ${id}`);
        console.log(table([['field', 'last synced', 'CRM', 'Partner Center'], ...c.fields.map((f) => [f, JSON.stringify(readUnit(c.base, f)) ?? '', JSON.stringify(readUnit(c.crm, f)) ?? '', JSON.stringify(readUnit(c.partnerCenter, f)) ?? ''])]));
      } finally {
        runtime.close();
      }
    }),
  );
  conflicts
    .command('resolve')
    .argument('<id>')
    .requiredOption('--take <side>', 'crm or partner-center: whose values win')
    .description('settle a conflict; the next sync sends the chosen values to the other side')
    .action(
      command(async (id: string, opts: { take: string }) => {
        if (opts.take !== 'crm' && opts.take !== 'partner-center') throw new ConfigError('--take', 'must be crm or partner-center');
        const runtime = await openRuntime({ configFile: configFile(), readOnly: true });
        try {
          const { settleConflict } = await import('../../engine/settle-conflict.js');
          settleConflict(runtime.store, Number(id), opts.take, new Date().toISOString());
          console.log(`Conflict ${id} settled for ${opts.take}; the next sync applies it.`);
          return EXIT.ok;
        } finally {
          runtime.close();
        }
      }),
    );
}
