/**
 * The sandbox host: a child process that runs the four sandboxes (Entra ID, Partner Center, Salesforce,
 * Dataverse) and answers the benchmark's requests over IPC — the config to sync with, device-code
 * approval, bulk seeding, the 1% edits on each side, and the sandboxes' call counters and CPU/memory.
 */
import { SANDBOX_USERS } from '../sandbox/entra/index.js';
import { startSandboxSet, type SandboxSet } from '../sandbox/launch.js';
import { OUR_PARTNER_ORG } from '../sandbox/partner-center/index.js';
import type { CrmKind } from '../sandbox/world.js';
import type { HostMeasure, HostReplies, HostRequest } from './protocol.js';
import { serveParent } from './child-host.js';
import { billedCalls } from './billing.js';
import { changeReferrals, editCrmDeals, seedDeals } from './deal-changes.js';
import { collectHeap, RssSampler } from './rss-sampler.js';
import { recordSamples } from './record-samples.js';
import { limitHeapGrowth } from '../core/heap-growth.js';

// As `cosell sandbox` does at start (core/cli/main.ts sets it for every command), so that the sandboxes'
// CPU and peak RSS are those of the sandboxes as shipped: without it V8 let their heap grow to several times
// the live data before a full collection.
limitHeapGrowth();
// V8's own tiering, as `cosell sandbox` keeps (core/v8-tiering.ts `defaultTiering`).

const set: SandboxSet = await startSandboxSet({ seed: false });
const sampler = new RssSampler();
let cpuStart = process.cpuUsage();

const crmCounters = (kind: CrmKind) => (kind === 'salesforce' ? set.salesforce.counters : set.dataverse.counters);
let currentKind: CrmKind = 'salesforce';

async function handle(request: HostRequest): Promise<HostReplies[HostRequest['op']]> {
  switch (request.op) {
    case 'config':
      currentKind = request.kind;
      return set.configFor(request.kind, request.dir);
    case 'approve':
      set.entra.approveDeviceCode(request.userCode, SANDBOX_USERS.admin.username);
      return true;
    case 'seed':
      return seedDeals(set, request.kind, request.count, request.from);
    case 'editCrm':
      return editCrmDeals(set, request.kind, request.count, request.offset, request.note);
    case 'changePartnerCenter':
      return changeReferrals(set, request.count, request.offset, request.note);
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
    case 'samples':
      return recordSamples(set, request.kind);
    case 'close':
      sampler.stop();
      await set.close();
      setImmediate(() => process.exit(0));
      return true;
  }
}

serveParent(handle);
