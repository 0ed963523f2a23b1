/**
 * The model's actors (issue 12): sellers in the CRM, a colleague, Microsoft and another partner in Partner
 * Center, and the clock. Each action is drawn by weight from those that apply; a seeded generator makes the
 * same draws, so a seed replays the same scenario.
 */
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { OTHER_PARTNER_ORG, OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import type { RecordView } from '../../sandbox/consoles/types.js';
import type { World } from '../../sandbox/world.js';
import { recentlyChanged, webhookSync } from './webhook.js';
import { settleOpenConflict } from './admin.js';
import { customerActions } from './customer-actions.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PEOPLE = [
  { firstName: 'Robin', lastName: 'Presales', phone: '+1 425 555 0102', email: 'robin.presales@partner.example' },
  { firstName: 'Kim', lastName: 'Architect', phone: '+1 425 555 0103', email: 'kim.architect@partner.example' },
];
const CONTACTS = [
  { firstName: 'Dana', lastName: 'Buyer', phone: '+1 206 555 0111', email: 'dana.buyer@customer.example' },
  { firstName: 'Lee', lastName: 'Sponsor', phone: '+1 206 555 0112', email: 'lee.sponsor@customer.example' },
];
const STAGES = ['Qualified', 'Developed', 'Proposed', 'Negotiated'] as const;
/** Countries a seller may type that are not ISO 3166 codes (rule format.country): fixed by a later action. */
const BAD_COUNTRIES = ['Narnia', 'USA', 'X1'];

export type Pick = <T>(items: readonly T[]) => T;

/** What the actors share across a scenario. */
export interface Actors {
  world: World;
  random: () => number;
  pick: Pick;
  /** Every note fragment appended on either side, by CRM ID: none may be lost. */
  notes: Map<string, string[]>;
  /** Deals whose account the seller broke (an invalid country), to be fixed by a later action. */
  brokenAccounts: Set<string>;
}

interface Action {
  weight: number;
  run: () => Promise<string>;
}

/** One action by someone: returns what it did, for the replay log. */
export async function act(actors: Actors, n: number): Promise<string> {
  const { world, random, pick } = actors;
  const pc = world.set.partnerCenter;
  const global: Action[] = [
    { weight: 12, run: () => createDeal(actors, n) },
    { weight: 4, run: async () => `Microsoft sends a referral (${world.microsoft.sendReferral({ deal: { dealName: `Inbound ${n}` } }).ok ? 'ok' : 'refused'})` },
    { weight: 3, run: async () => `the other partner sends a P2P referral (${world.otherPartner.sendReferral({ deal: { dealName: `P2P inbound ${n}` } }).ok ? 'ok' : 'refused'})` },
    { weight: world.runtime.store.listConflicts().length > 0 ? 6 : 0, run: () => settleOpenConflict(world, pick) },
    // `cosell serve` gets a webhook for the referrals changed last and syncs them at once, between polls.
    { weight: 3, run: () => webhookSync(world, recentlyChanged(world, 1 + Math.floor(random() * 3))) },
    { weight: 3, run: async () => {
      const by = pick([15 * DAY, 73 * HOUR, HOUR]);
      world.set.clock.advance(by);
      return `the clock moves on ${by / HOUR} hours`;
    } },
  ];
  const open: string[] = [];
  for (const id of await world.seller.allRecords()) if (!(await world.seller.read(id)).isClosed) open.push(id);
  if (open.length === 0 || random() < 0.2) return pickAction(random, global);
  const crmId = pick(open);
  return pickAction(random, [...global, ...recordActions(actors, n, crmId, await world.seller.read(crmId), pc)]);
}

function pickAction(random: () => number, actions: Action[]): Promise<string> {
  const total = actions.reduce((sum, a) => sum + a.weight, 0);
  let r = random() * total;
  for (const a of actions) {
    r -= a.weight;
    if (r < 0) return a.run();
  }
  return actions[actions.length - 1]!.run();
}

async function createDeal(actors: Actors, n: number): Promise<string> {
  const kind = actors.pick(['private', 'partner-led', 'co-sell', 'no-solution', 'not-opted-in', 'p2p', 'bad-country'] as const);
  const spec = dealSpec(`Model ${n}`, {
    ...(kind === 'partner-led' ? { share: true } : {}),
    ...(kind === 'co-sell' ? { share: true, helpType: 'proof-of-concept' as const } : {}),
    ...(kind === 'no-solution' ? { solutions: [] } : {}),
    ...(kind === 'not-opted-in' ? { optIn: false } : {}),
  });
  if (kind === 'bad-country') spec.customer.country = actors.pick(BAD_COUNTRIES);
  const crmId = await actors.world.seller.createDeal(spec);
  if (kind === 'bad-country') actors.brokenAccounts.add(crmId);
  if (kind === 'p2p') await actors.world.seller.requestInvitation(crmId, { partnerId: OTHER_PARTNER_ORG, closeDate: '2027-04-30', value: 9_000, currency: 'USD', notes: `Invitation ${n}`, teamEmails: [], solutionIds: [], helpNeeded: 'Delivery' });
  return `seller creates a ${kind} deal ${crmId}`;
}

function recordActions(actors: Actors, n: number, crmId: string, view: RecordView, pc: World['set']['partnerCenter']): Action[] {
  const { world, random, pick, notes, brokenAccounts } = actors;
  const { seller } = world;
  const remember = (token: string) => notes.set(crmId, [...(notes.get(crmId) ?? []), token]);
  const inboundWaiting = view.referralStatus?.startsWith('New') === true;
  const referralId = view.referralId;
  /** A colleague edits our referral in Partner Center's own UI. */
  const inPartnerCenter = (change: (json: Record<string, unknown> & { details?: Record<string, unknown> }) => void) =>
    referralId ? pc.service.change(OUR_PARTNER_ORG, referralId, (json) => {
      change(json as never);
      return { ok: true, value: json };
    }).ok : false;
  const actions: Action[] = [
    { weight: 9, run: async () => {
      // Now and then a value Partner Center refuses (format.value_positive); a later value edit fixes it.
      const value = random() < 0.1 ? 0 : 10_000 + Math.floor(random() * 90_000);
      await seller.edit(crmId, { value });
      return `seller sets value ${value} on ${crmId}`;
    } },
    { weight: 8, run: async () => {
      await seller.edit(crmId, { notes: `${view.notes ?? ''} n${n}`.trim() });
      remember(`n${n}`);
      return `seller appends n${n} to notes on ${crmId}`;
    } },
    { weight: 2, run: async () => {
      // Emptied notes reach Partner Center as a clear (docs/sync.md): what was appended before is gone on
      // purpose, so only what either side appends from now on must survive.
      await seller.edit(crmId, { notes: '' });
      notes.set(crmId, []);
      return `seller clears the notes on ${crmId}`;
    } },
    { weight: 4, run: async () => (await seller.edit(crmId, { name: `Renamed ${n}` }), `seller renames ${crmId}`) },
    { weight: 4, run: async () => {
      const closeDate = `2027-0${1 + Math.floor(random() * 9)}-15`;
      await seller.edit(crmId, { closeDate });
      return `seller sets close date ${closeDate} on ${crmId}`;
    } },
    { weight: 6, run: async () => {
      const stage = pick(STAGES);
      await seller.setStage(crmId, stage);
      return `seller moves ${crmId} to ${stage}`;
    } },
    { weight: 5, run: async () => {
      const person = pick(PEOPLE);
      if (view.teamEmails.some((e) => e.toLowerCase() === person.email)) {
        const alone = random() < 0.5;
        await seller.removeTeamMember(crmId, person.email, { alone });
        return `seller removes ${person.email} from ${crmId}${alone ? ' (the member row alone)' : ''}`;
      }
      const alone = random() < 0.5;
      await seller.addTeamMember(crmId, person, { alone });
      return `seller adds ${person.email} to ${crmId}${alone ? ' (the member row alone)' : ''}`;
    } },
    // `alone`: the child row only, as an API call or a related-list edit makes it, the opportunity untouched.
    { weight: 3, run: async () => {
      const id = view.solutionIds.length === 0 ? 'SOL-1234-PQRS' : `SOL-MODEL-${n}`;
      const alone = random() < 0.5;
      await seller.addSolution(crmId, { id, kind: 'own' }, { alone });
      return `seller adds solution ${id} to ${crmId}${alone ? ' (the solution row alone)' : ''}`;
    } },
    { weight: 3, run: async () => {
      if (view.solutionIds.length === 0) return `seller finds no solution to remove on ${crmId}`;
      const id = pick(view.solutionIds);
      const alone = random() < 0.5;
      await seller.removeSolution(crmId, id, { alone });
      return `seller removes solution ${id} from ${crmId}${alone ? ' (the solution row alone)' : ''}`;
    } },
    { weight: 3, run: async () => {
      if (random() < 0.4) return (await seller.removeContacts(crmId), `seller removes the contact roles of ${crmId}`);
      const person = pick(CONTACTS);
      await seller.setPrimaryContact(crmId, person);
      return `seller makes ${person.email} the primary contact of ${crmId}`;
    } },
    { weight: 2, run: async () => (await seller.editAccount(crmId, { name: `Account ${n} Ltd` }), `seller renames the account of ${crmId}`) },
    { weight: 2, run: async () => {
      const country = pick(BAD_COUNTRIES);
      await seller.editAccount(crmId, { country });
      brokenAccounts.add(crmId);
      return `seller sets the account country of ${crmId} to an invalid "${country}"`;
    } },
    { weight: 2, run: async () => (await seller.deleteDeal(crmId), `seller deletes ${crmId}`) },
  ];
  if (brokenAccounts.has(crmId)) actions.push({ weight: 6, run: async () => {
    await seller.editAccount(crmId, { country: pick(['US', 'DE', 'GB']) });
    brokenAccounts.delete(crmId);
    return `seller fixes the account country of ${crmId}`;
  } });
  if (inboundWaiting) actions.push({ weight: 20, run: async () => {
    if (random() < 0.6) return (await seller.accept(crmId), `seller accepts ${crmId}`);
    await seller.decline(crmId, 'timeline-too-short');
    return `seller declines ${crmId}`;
  } });
  if (referralId) actions.push(...partnerCenterActions(actors, n, crmId, view, inPartnerCenter, remember));
  if (referralId && !inboundWaiting) actions.push(
    { weight: 5, run: async () => (await seller.win(crmId), `seller wins ${crmId}`) },
    { weight: 5, run: async () => (await seller.lose(crmId, 'customer-no-response'), `seller loses ${crmId}`) },
    { weight: 2, run: async () => {
      const alone = random() < 0.5;
      await seller.requestInvitation(crmId, { partnerId: OTHER_PARTNER_ORG, value: 7_000, currency: 'USD', notes: `Join ${n}`, teamEmails: [], solutionIds: [], helpNeeded: 'Delivery' }, { alone });
      return `seller invites the other partner to ${crmId}${alone ? ' (the invitation row alone)' : ''}`;
    } },
  );
  if (!referralId && view.syncState !== 'error') actions.push({ weight: 6, run: async () => (await seller.optIn(crmId), `seller opts ${crmId} in`) });
  return actions;
}

/** Partner Center's side of a linked deal: a colleague of ours, Microsoft, the invited partner. */
function partnerCenterActions(actors: Actors, n: number, crmId: string, view: RecordView, inPartnerCenter: (change: (json: Record<string, unknown> & { details?: Record<string, unknown> }) => void) => boolean, remember: (token: string) => void): Action[] {
  const { world, random, pick } = actors;
  const referralId = view.referralId!;
  const pc = world.set.partnerCenter;
  const actions: Action[] = [
    { weight: 5, run: async () => {
      const text = `pc${n}`;
      if (inPartnerCenter((json) => void (json.details = { ...json.details, notes: `${String(json.details?.notes ?? '')} ${text}`.trim() }))) remember(text);
      return `a colleague appends ${text} to notes in Partner Center on ${referralId}`;
    } },
    { weight: 3, run: async () => {
      // CRM-owned fields: the CRM's value is written back, and the record says which value was replaced.
      const field = pick(['dealValue', 'closingDateTime', 'name'] as const);
      const changed = inPartnerCenter((json) => {
        if (field === 'name') json.name = `PC name ${n}`;
        else json.details = { ...json.details, [field]: field === 'dealValue' ? 1_000 + n : '2027-11-30T00:00:00Z' };
      });
      return `a colleague edits ${field} in Partner Center on ${referralId} (${changed ? 'ok' : 'refused'})`;
    } },
    { weight: 4, run: async () => {
      // Removals a colleague makes in Partner Center's UI; a team and solutions keep one each (a deal needs them).
      const what = pick(['customer contact', 'team member', 'solution'] as const);
      const changed = inPartnerCenter((json) => {
        const lastOff = <T>(list: T[] | undefined) => (list && list.length > 1 ? list.slice(0, -1) : list);
        if (what === 'customer contact') json.customerProfile = { ...(json.customerProfile as object), team: [] };
        else if (what === 'team member') json.team = lastOff(json.team as unknown[]);
        else json.details = { ...json.details, requirements: { ...(json.details?.requirements as object), solutions: lastOff((json.details?.requirements as { solutions?: unknown[] } | undefined)?.solutions) } };
      });
      return `a colleague removes a ${what} in Partner Center on ${referralId} (${changed ? 'ok' : 'refused'})`;
    } },
  ];
  actions.push(...customerActions(actors, n, crmId, view, inPartnerCenter));
  if (view.microsoftStatus === 'Pending') actions.push({ weight: 5, run: async () => {
    const decision = random() < 0.5 ? 'accept' : 'decline';
    world.microsoft.respond(referralId, decision);
    return `Microsoft ${decision}s the co-sell request on ${referralId}`;
  } });
  const invited = pc.store.get(referralId)?.partnerInvitations?.some((i) => i.organizationId === OTHER_PARTNER_ORG) === true;
  if (invited) actions.push(
    { weight: 5, run: async () => {
      const decision = pick(['accept', 'decline'] as const);
      return `the other partner ${decision}s the invitation on ${referralId} (${world.otherPartner.respond(referralId, decision).ok ? 'ok' : 'refused'})`;
    } },
    { weight: 2, run: async () => {
      // "The invited partner can change this value after creating the deal" (seed, P2P).
      const theirs = pc.store.inEngagement(pc.store.get(referralId)!.engagementId).find((r) => r.organizationId === OTHER_PARTNER_ORG);
      const changed = theirs ? pc.service.change(OTHER_PARTNER_ORG, theirs.id, (json) => ({ ok: true, value: { ...json, details: { ...json.details, dealValue: 2_000 + n } } })).ok : false;
      return `the other partner edits its value on ${referralId} (${changed ? 'ok' : 'refused'})`;
    } },
  );
  return actions;
}
