/**
 * The sandbox host: a child process that runs the four sandboxes (Entra ID, Partner Center, Salesforce,
 * Dataverse) and answers the benchmark's requests over IPC — the config to sync with, device-code
 * approval, bulk seeding, the 1% edits on each side, and the sandboxes' call counters and CPU/memory.
 */
import { dataverseConsole } from '../sandbox/dataverse/console.js';
import { salesforceConsole } from '../sandbox/consoles/salesforce.js';
import { SANDBOX_USERS } from '../sandbox/entra/index.js';
import { startSandboxSet, type SandboxSet } from '../sandbox/launch.js';
import { ok } from '../sandbox/partner-center/failures.js';
import { OUR_PARTNER_ORG } from '../sandbox/partner-center/index.js';
import type { CrmKind } from '../sandbox/world.js';
import type { HostMeasure, HostReplies, HostRequest } from './protocol.js';
import { serveParent } from './child-host.js';
import { billedCalls } from './billing.js';
import { seedCrmDeals } from './seed.js';
import { collectHeap, RssSampler } from './rss-sampler.js';

const set: SandboxSet = await startSandboxSet({ seed: false });
const sampler = new RssSampler();
let cpuStart = process.cpuUsage();

const crmCounters = (kind: CrmKind) => (kind === 'salesforce' ? set.salesforce.counters : set.dataverse.counters);
let currentKind: CrmKind = 'salesforce';

/** The CRM's opportunity IDs in a stable order, whichever side they were seeded on. */
function crmDealIds(kind: CrmKind): string[] {
  const ids = kind === 'salesforce' ? set.salesforce.store.all('Opportunity').map((o) => String(o.Id)) : [...(set.dataverse.store.table('opportunity')?.rows.keys() ?? [])].map(String);
  return ids.sort();
}

/** How long before the initial sync the CRM seeding is stamped. */
const SEEDED_BEFORE_MS = 10 * 60_000;

/** `count` of `items`, evenly spread and shifted by `offset` (0–1): a spread-out 1%, not the newest or oldest. */
function spread<T>(items: T[], count: number, offset: number): T[] {
  const step = items.length / Math.max(1, count);
  return Array.from({ length: Math.min(count, items.length) }, (_, i) => items[Math.floor((i + offset) * step)] as T);
}

async function handle(request: HostRequest): Promise<HostReplies[HostRequest['op']]> {
  switch (request.op) {
    case 'config':
      currentKind = request.kind;
      return set.configFor(request.kind, request.dir);
    case 'approve':
      set.entra.approveDeviceCode(request.userCode, SANDBOX_USERS.admin.username);
      return true;
    case 'seed':
      if (request.from === 'crm') {
        // The sellers' deals exist from before the connector: stamped ten minutes back, outside the CRM
        // feeds' margin for late commits (Salesforce 300 s), as test/e2e/quiet-after-initial.test.ts does.
        // Stamped now, the run after the initial sync re-read the whole seeding as other users' recent edits.
        set.clock.advance(-SEEDED_BEFORE_MS);
        try {
          return seedCrmDeals(request.kind, set, request.count).length;
        } finally {
          set.clock.advance(SEEDED_BEFORE_MS);
        }
      }
      // The Partner Center bulk generator: valid referrals of our partner, Active, Won and Lost.
      set.partnerCenter.reset('none', request.count);
      return set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG).length;
    case 'editCrm': {
      // Through the seller console: the CRM's validation and timestamps apply as in its UI.
      const seller = request.kind === 'salesforce' ? salesforceConsole(set.salesforce) : dataverseConsole(set.dataverse);
      const targets = spread(crmDealIds(request.kind), request.count, request.offset);
      const outcome: HostReplies['editCrm'] = { edited: 0, refused: 0 };
      for (const id of targets) {
        try {
          await seller.edit(id, { notes: `${request.note} (${id})` });
          outcome.edited += 1;
        } catch (error) {
          outcome.refused += 1;
          outcome.firstRefusal ??= error instanceof Error ? error.message : String(error);
        }
      }
      return outcome;
    }
    case 'changePartnerCenter': {
      // A user of our partner organisation edits the notes in Partner Center's own UI (the rules apply);
      // only open referrals, since Partner Center locks Won, Lost and Declined ones.
      const open = set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG).filter((r) => r.status !== 'Closed');
      const targets = spread(open.sort((a, b) => a.id.localeCompare(b.id)), request.count, request.offset);
      for (const referral of targets) {
        const changed = set.partnerCenter.service.change(OUR_PARTNER_ORG, referral.id, (json) => ok({ ...json, details: { ...json.details, notes: `${request.note} (${json.id})` } }));
        if (!changed.ok) throw new Error(`Partner Center refused the change of ${referral.id}: ${JSON.stringify(changed.failure)}`);
      }
      return targets.length;
    }
    case 'advanceClock':
      set.clock.advance(request.ms);
      return true;
    case 'resetCounters':
      set.partnerCenter.counters.reset();
      crmCounters(currentKind).reset();
      // A phase starts from a collected heap, so that the last phase's garbage is not in its peak RSS.
      collectHeap();
      cpuStart = process.cpuUsage();
      sampler.restart();
      return true;
    case 'measure': {
      const cpu = process.cpuUsage(cpuStart);
      const pc = set.partnerCenter.counters;
      const crm = crmCounters(currentKind);
      const measure: HostMeasure = {
        partnerCenter: billedCalls(pc.snapshot()),
        crm: billedCalls(crm.snapshot()),
        sandboxCpuMs: (cpu.user + cpu.system) / 1000,
        sandboxPeakRssMb: sampler.peakMb(),
        referrals: set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG).length,
        openReferrals: set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG).filter((r) => r.status !== 'Closed').length,
      };
      return measure;
    }
    case 'close':
      sampler.stop();
      await set.close();
      setImmediate(() => process.exit(0));
      return true;
  }
}

serveParent(handle);
