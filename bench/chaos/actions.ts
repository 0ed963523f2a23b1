/**
 * The chaos run's random acts on the sandboxes: sellers at work in the CRM, Microsoft and partners in
 * Partner Center, faults switched on and off on every service, and Partner Center's clock moved. Each act
 * returns one line for the run's story, so a failing seed can be read as well as replayed.
 */
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import type { World } from '../../sandbox/world.js';

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];

/** Fault kinds each sandbox answers (sandbox/*: FaultInjector kinds), with the paths worth faulting. */
export const FAULTS = {
  partnerCenter: ['throttled', 'server-error', 'unavailable', 'slow', 'drop', 'commit-then-error', 'commit-then-drop'],
  salesforce: ['slow', 'drop', '503', 'REQUEST_LIMIT_EXCEEDED', 'UNABLE_TO_LOCK_ROW'],
  dataverse: ['throttle', 'unavailable', 'server', 'drop', 'slow'],
  entra: ['503', 'slow', 'drop'],
} as const;

function injectors(world: World) {
  const set = world.set;
  return {
    partnerCenter: set.partnerCenter.faults,
    entra: set.entra.faults,
    ...(world.kind === 'salesforce' ? { salesforce: set.salesforce.faults } : { dataverse: set.dataverse.faults }),
  } as const;
}

export function clearFaults(world: World): void {
  for (const injector of Object.values(injectors(world))) injector.configure(undefined);
  if (world.kind === 'salesforce') world.set.salesforce.itemFaults.configure(undefined);
}

async function sellerAct(world: World, random: Random, n: number): Promise<string> {
  const records = await world.seller.allRecords();
  const roll = random();
  if (roll < 0.25 || records.length === 0) {
    const id = await world.seller.createDeal(dealSpec(`Chaos ${n}`));
    if (random() < 0.8) await world.seller.optIn(id);
    return `seller creates ${id}`;
  }
  const id = pick(random, records)!;
  const view = await world.seller.read(id);
  if (!view.exists || view.isClosed) return `seller looks at closed ${id}`;
  if (roll < 0.6) {
    await world.seller.edit(id, random() < 0.5 ? { notes: `chaos note ${n}` } : { value: 1_000 + Math.floor(random() * 90_000) });
    return `seller edits ${id}`;
  }
  if (roll < 0.7 && !view.referralId) return (await world.seller.optIn(id), `seller opts in ${id}`);
  if (roll < 0.8) return (await world.seller.win(id), `seller wins ${id}`);
  if (roll < 0.85) return (await world.seller.lose(id, 'other'), `seller loses ${id}`);
  return (await world.seller.accept(id).catch(() => undefined), `seller accepts ${id}`);
}

function partnerCenterAct(world: World, random: Random, n: number): string {
  const roll = random();
  if (roll < 0.35) {
    const sent = world.microsoft.sendReferral({ deal: { dealName: `Chaos inbound ${n}` } });
    return `microsoft sends ${sent.ok ? sent.value.id : 'refused'}`;
  }
  const open = world.set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG).filter((r) => r.status !== 'Closed');
  const referral = pick(random, open);
  if (!referral) return 'partner center: nothing open';
  if (roll < 0.65) {
    world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referral.id, (json) => ({ ok: true, value: { ...json, details: { ...json.details, notes: `pc note ${n}` } } }));
    return `partner edits notes of ${referral.id}`;
  }
  const decision = pick(random, ['accept', 'decline', 'won', 'lost'] as const)!;
  const done = world.set.partnerCenter.actAs(OUR_PARTNER_ORG).respond(referral.id, decision);
  return `partner center ${decision} ${referral.id}: ${done.ok ? 'ok' : 'refused'}`;
}

function faultAct(world: World, random: Random, seed: number): string {
  const all = injectors(world);
  const name = pick(random, Object.keys(all))! as keyof typeof all;
  const injector = all[name]!;
  if (injector.current() && random() < 0.6) return (injector.configure(undefined), `faults off on ${name}`);
  const kind = pick(random, FAULTS[name])!;
  const rate = Math.round((0.1 + random() * 0.5) * 100) / 100;
  injector.configure({ rate, kinds: { [kind]: 1 }, slowMs: 4_000, retryAfterSeconds: 1, seed: seed + Math.floor(random() * 1e6) });
  if (world.kind === 'salesforce' && random() < 0.3) world.set.salesforce.itemFaults.configure({ rate: 0.2, kinds: { UNABLE_TO_LOCK_ROW: 1 }, seed });
  return `faults on ${name}: ${kind} at ${rate}`;
}

/** One random act on the sandboxes. */
export async function randomAct(world: World, random: Random, n: number, seed: number): Promise<string> {
  const roll = random();
  if (roll < 0.45) return sellerAct(world, random, n);
  if (roll < 0.8) return partnerCenterAct(world, random, n);
  if (roll < 0.95) return faultAct(world, random, seed);
  const hours = 1 + Math.floor(random() * 72);
  world.set.partnerCenter.clock.advance(hours * 3_600_000);
  return `partner center clock +${hours} h`;
}
