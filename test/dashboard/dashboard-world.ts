/**
 * A sandbox world with everything the dashboard shows (the demo's sandboxes with their seed, manual
 * conflict policy): a pipeline across stages, a deal parked by a Partner Center rule, an open conflict,
 * and an inbound referral from Microsoft waiting for an answer; and the dashboard plugin on its own
 * fastify server on loopback, with sign-in through the Entra sandbox.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { dashboardSchema } from '../../core/dashboard/config.js';
import type { DashboardContext, ReadinessView } from '../../core/dashboard/context.js';
import { dashboardContextOf } from '../../core/dashboard/runtime-context.js';
import { dashboardPlugin } from '../../core/dashboard/plugin.js';
import { DASHBOARD_ADMINS_GROUP, OUR_PARTNER_ORG, SANDBOX_APPS } from '../../sandbox/entra/seed.js';
import { startWorld, type World } from '../../sandbox/world.js';
import { freePort } from '../helpers/free-port.js';

const MINUTE = 60_000;
const SECRET_ENV = 'COSELL_TEST_DASHBOARD_SECRET';

export interface DashboardWorld {
  world: World;
  url: string;
  app: FastifyInstance;
  context: DashboardContext;
  /** How many times an action asked for a sync at once (`syncSoon`). */
  syncRequests: { count: number };
  ids: { conflictCrmId: string; parkedCrmId: string; inboundReferralId: string };
  close(): Promise<void>;
}

/** The readiness `cosell serve` reports, computed here from the same store (the test has no webhook service). */
function storeReadiness(world: World): ReadinessView {
  const [last] = world.runtime.store.listRuns(1);
  return {
    ready: last?.outcome !== 'failed',
    checks: [
      { name: 'store', ok: true, detail: `state store open (schema version ${world.runtime.store.schemaVersion()})` },
      { name: 'last-run', ok: last?.outcome !== 'failed', detail: last ? `run ${last.id} ${last.outcome ?? 'running'}` : 'no run yet' },
    ],
  };
}

export async function startDashboardWorld(): Promise<DashboardWorld> {
  const world = await startWorld('salesforce', { seed: true, sync: { conflictPolicy: 'manual' } });
  const { seller } = world;
  const conflictCrmId = await seller.createDeal(dealSpec('Contoso migration', { share: true, helpType: 'proof-of-concept', value: 120_000 }));
  const parkedCrmId = await seller.createDeal(dealSpec('No solution (invalid)', { solutions: [] }));
  const developing = await seller.createDeal(dealSpec('Northwind analytics', { value: 75_000 }));
  await world.syncToQuiet();
  await seller.setStage(developing, 'Developed');
  const inbound = world.microsoft.sendReferral({ deal: { dealName: 'Fourth Coffee – Azure landing zone', value: 90_000 } });
  if (!inbound.ok) throw new Error('Microsoft could not send the referral');
  await world.syncToQuiet();
  // Both sides change the help wanted differently: the manual policy parks it as a conflict.
  const referralId = (await seller.read(conflictCrmId)).referralId!;
  world.set.clock.advance(MINUTE);
  await seller.optIn(conflictCrmId, { helpType: 'technical-architecture' });
  const changed = world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, inviteContext: { ...json.inviteContext, assistanceRequestCode: 'QuotesOrLicensing' } } }));
  if (!changed.ok) throw new Error('Partner Center refused the change');
  await world.syncToQuiet();
  world.set.clock.advance(3 * 86_400_000);

  process.env[SECRET_ENV] = SANDBOX_APPS.dashboard.clientSecret;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  world.runtime.config.dashboard = dashboardSchema.parse({
    signIn: {
      authority: world.set.entra.authority,
      authorityMetadata: world.set.entra.authorityMetadata,
      clientId: SANDBOX_APPS.dashboard.clientId,
      clientSecret: `env:${SECRET_ENV}`,
      redirectUri: `${url}auth/callback`,
      adminGroup: DASHBOARD_ADMINS_GROUP,
    },
    crmRecordUrl: `${world.set.salesforce.url}/lightning/r/Opportunity/{crmId}/view`,
  });
  // As `cosell serve` builds it, with readiness from the same store (this test runs no webhook service).
  // `cosell serve` passes its poll request as `syncSoon`; here the requests are counted.
  const syncRequests = { count: 0 };
  const context = dashboardContextOf(world.runtime, async () => storeReadiness(world), () => {
    syncRequests.count += 1;
  });
  const app = Fastify({ logger: false });
  await app.register(dashboardPlugin, { context });
  await app.listen({ host: '127.0.0.1', port });
  return {
    world,
    url,
    app,
    context,
    syncRequests,
    ids: { conflictCrmId, parkedCrmId, inboundReferralId: inbound.value.id },
    async close() {
      await app.close();
      await world.close();
    },
  };
}
