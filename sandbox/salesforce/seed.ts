/**
 * Data for the sandbox org: the baseline every org has (stages, the integration user, a validation
 * rule), realistic seed data (sellers, accounts with D-U-N-S numbers, contacts, a few hundred
 * opportunities across stages) and a fast generator for bulk data (10,000 opportunities with team
 * members, contact roles and whatever child rows the caller adds, e.g. the connector's solutions).
 */
import { DEFAULT_STAGES } from './schema.js';
import { auditStamp, type Rec, type SalesforceStore } from './store.js';
import { fastLayout } from '../common/fast-layout.js';

export const INTEGRATION_USERNAME = 'integration@cosell-sandbox.example';

/** How long before the sandbox's clock the generated opportunities were last saved. */
export const SEEDED_BEFORE_MS = 60 * 60_000;

/** Inserts a row without save checks (seeding only): defaults, derived fields and audit fields filled in. */
/**
 * Inserts a record as Salesforce would store it. `by` is the user who saves it (CreatedById,
 * LastModifiedById): a seller's own inserts must not look like the integration user's, because the
 * connector leaves its own writes out of its change windows (connectors/salesforce/feed-window.ts).
 * Without `by`, the integration user (a data import).
 */
export function insertRaw(store: SalesforceStore, type: string, values: Record<string, unknown>, at?: string, by?: string): Rec {
  const def = store.object(type);
  if (!def) throw new Error(`unknown object ${type}`);
  const now = at ? auditStamp(at) : store.now();
  const record: Record<string, unknown> = {};
  for (const f of def.fields.values()) record[f.name] = f.defaultValue ?? (f.type === 'boolean' ? false : null);
  Object.assign(record, values, { Id: store.ids.next(def.keyPrefix), CreatedDate: now, LastModifiedDate: now, SystemModstamp: now, IsDeleted: false });
  const user = integrationUser(store);
  record.CreatedById = by ?? user?.Id ?? null;
  record.LastModifiedById = by ?? user?.Id ?? null;
  if (def.fields.has('ownerid') && !record.OwnerId) record.OwnerId = user?.Id ?? null;
  if (type === 'Opportunity') {
    const stage = store.all('OpportunityStage').find((s) => s.MasterLabel === record.StageName);
    if (stage) Object.assign(record, { IsClosed: stage.IsClosed, IsWon: stage.IsWon, ForecastCategoryName: stage.ForecastCategoryName, Probability: values.Probability ?? stage.DefaultProbability });
  }
  if (type === 'Contact' || type === 'User') record.Name = [record.FirstName, record.LastName].filter(Boolean).join(' ');
  if (type === 'OpportunityTeamMember') {
    const u = store.get('User', String(record.UserId));
    record.Name = u?.Name ?? null;
    record.Title = u?.Title ?? null;
  }
  const stored = fastLayout(record) as Rec;
  store.put(def.name, stored);
  return stored;
}

export function integrationUser(store: SalesforceStore): Rec | undefined {
  return store.all('User').find((u) => u.Username === INTEGRATION_USERNAME);
}

/**
 * The person saving a seller's change: the record's owner, or — for a record the integration user owns
 * (one the connector created) — a seller, never the integration user, whose own writes the connector
 * leaves out of its change windows (connectors/salesforce/feed-window.ts). Made when the org has none.
 */
export function sellerUser(store: SalesforceStore, ownerId?: unknown): string {
  const integration = integrationUser(store)?.Id;
  if (ownerId && ownerId !== integration) return String(ownerId);
  const seller =
    store.all('User').find((u) => u.Id !== integration && u.IsActive !== false) ??
    insertRaw(store, 'User', { Username: 'sandbox.seller@partner.example', FirstName: 'Sandbox', LastName: 'Seller', Email: 'sandbox.seller@partner.example', IsActive: true, Title: 'Account Executive' });
  return String(seller.Id);
}

/** What a new org has before anyone touches it. */
export function installBaseline(store: SalesforceStore): void {
  if (!integrationUser(store)) {
    insertRaw(store, 'User', { Username: INTEGRATION_USERNAME, FirstName: 'Cosell', LastName: 'Integration', Email: INTEGRATION_USERNAME, IsActive: true, Title: 'Integration User' });
  }
  if (store.all('OpportunityStage').length === 0) {
    DEFAULT_STAGES.forEach((s, i) =>
      insertRaw(store, 'OpportunityStage', {
        MasterLabel: s.name, ApiName: s.name, IsActive: true, IsClosed: s.isClosed, IsWon: s.isWon,
        DefaultProbability: s.probability, ForecastCategoryName: s.forecast, SortOrder: i + 1,
      }),
    );
  }
  store.validationRules = [
    { object: 'Opportunity', field: 'Amount', message: 'Amount cannot be negative.', violated: (r) => typeof r.Amount === 'number' && r.Amount < 0 },
  ];
}

const FIRST = ['Ava', 'Liam', 'Noah', 'Mia', 'Sofia', 'Lucas', 'Priya', 'Kenji', 'Amara', 'Mateo', 'Elena', 'Omar', 'Hannah', 'Yuki', 'Chen', 'Fatima'];
const LAST = ['Garcia', 'Smith', 'Novak', 'Okafor', 'Tanaka', 'Müller', 'Rossi', 'Silva', 'Kowalski', 'Patel', 'Nguyen', 'Johansson', 'Dubois', 'Kim'];
const COMPANY = ['Contoso', 'Fabrikam', 'Northwind', 'Tailspin', 'Litware', 'Adventure Works', 'Wide World Importers', 'Proseware', 'Woodgrove', 'Alpine Ski House', 'Coho Winery', 'Fourth Coffee'];
const SUFFIX = ['Ltd', 'Inc', 'GmbH', 'Group', 'Holdings', 'Labs', 'Systems', 'Partners'];
const PLACES = [
  { city: 'Redmond', state: 'WA', postal: '98052', country: 'US' },
  { city: 'Munich', state: 'BY', postal: '80331', country: 'DE' },
  { city: 'London', state: '', postal: 'EC1A 1BB', country: 'GB' },
  { city: 'Tokyo', state: '', postal: '100-0001', country: 'JP' },
  { city: 'Sydney', state: 'NSW', postal: '2000', country: 'AU' },
  { city: 'Toronto', state: 'ON', postal: 'M5H 2N2', country: 'CA' },
  { city: 'Bengaluru', state: 'KA', postal: '560001', country: 'IN' },
];

/** A deterministic pseudo-random sequence, so that seeded data is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

export interface BulkOptions {
  opportunities: number;
  accounts?: number;
  teamPerOpportunity?: number;
  seed?: number;
  /** Distinct SystemModstamps are shared by this many records, to exercise the Id tie-break. */
  sameStampGroup?: number;
  /** Extra Opportunity fields (e.g. the connector's opt-in checkbox). */
  opportunityFields?: (index: number) => Record<string, unknown>;
  /** Child rows to add for each opportunity (e.g. the connector's solutions). */
  children?: (opportunityId: string, index: number) => { type: string; values: Record<string, unknown> }[];
}

export interface SeedSummary {
  users: number;
  accounts: number;
  contacts: number;
  opportunities: number;
}

/** Generates sellers, accounts, contacts and opportunities with team members and primary contact roles. */
export function generate(store: SalesforceStore, options: BulkOptions): SeedSummary {
  const r = rng(options.seed ?? 42);
  // An org's deals were saved before anyone connects to it: stamped an hour back, outside the connector's
  // margin for late commits (300 s). Stamped at the sandbox's start, every run of a new sandbox re-read all
  // of them as other users' edits for its first five minutes ("read 300 opportunities" on idle runs).
  const startMs = store.clock.nowMs() - SEEDED_BEFORE_MS - options.opportunities * 10;
  // Users, accounts and contacts exist before the opportunities that use them (a later stamp would read as
  // an edit: the feed lists team members whose User changed, related-changes.ts).
  const customersAt = new Date(startMs - 1_000).toISOString();
  const sellers = store.all('User').filter((u) => u.Username !== INTEGRATION_USERNAME);
  for (let i = sellers.length; i < 12; i += 1) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[i % LAST.length]!;
    const email = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + `${i}@partner.example`;
    sellers.push(insertRaw(store, 'User', { Username: email, FirstName: first, LastName: last, Email: email, Phone: `+1 425 555 01${String(i).padStart(2, '0')}`, Title: 'Account Executive', IsActive: true }, customersAt));
  }
  const accountCount = options.accounts ?? Math.max(20, Math.ceil(options.opportunities / 5));
  const accounts: Rec[] = [];
  const contacts: Rec[] = [];
  for (let i = 0; i < accountCount; i += 1) {
    const place = pick(r, PLACES);
    const account = insertRaw(store, 'Account', {
      Name: `${pick(r, COMPANY)} ${pick(r, SUFFIX)} ${store.count('Account') + 1}`,
      BillingStreet: `${1 + Math.floor(r() * 999)} Market Street`, BillingCity: place.city, BillingState: place.state || null,
      BillingPostalCode: place.postal, BillingCountry: place.country, DunsNumber: String(100_000_000 + Math.floor(r() * 899_999_999)),
      Industry: pick(r, ['Technology', 'Manufacturing', 'Retail', 'Healthcare', 'Finance']), OwnerId: pick(r, sellers).Id,
    }, customersAt);
    accounts.push(account);
    const first = pick(r, FIRST);
    const last = pick(r, LAST);
    contacts.push(insertRaw(store, 'Contact', {
      AccountId: account.Id, FirstName: first, LastName: last, Email: `${first}.${last}.${i}`.toLowerCase().replace(/[^a-z0-9.]/g, '') + '@customer.example',
      Phone: `+1 206 555 ${String(1000 + i).slice(-4)}`, Title: 'IT Director', MailingCountry: place.country,
    }, customersAt));
  }
  const stages = store.all('OpportunityStage').filter((s) => s.IsActive);
  const group = Math.max(1, options.sameStampGroup ?? 1);
  for (let i = 0; i < options.opportunities; i += 1) {
    const at = new Date(startMs + Math.floor(i / group) * 10).toISOString();
    const a = Math.floor(r() * accounts.length);
    const owner = pick(r, sellers);
    const opp = insertRaw(store, 'Opportunity', {
      Name: `${String(accounts[a]!.Name)} - ${pick(r, ['Azure migration', 'Copilot rollout', 'Data platform', 'Security uplift', 'Teams Phone'])}`,
      AccountId: accounts[a]!.Id, Amount: Math.round(5_000 + r() * 495_000), CloseDate: new Date(store.clock.nowMs() + Math.floor(r() * 180) * 86_400_000).toISOString().slice(0, 10),
      StageName: pick(r, stages).MasterLabel, OwnerId: owner.Id, CurrencyIsoCode: 'USD', LeadSource: 'Partner Referral',
      ...(options.opportunityFields?.(i) ?? {}),
    }, at, owner.Id);
    insertRaw(store, 'OpportunityContactRole', { OpportunityId: opp.Id, ContactId: contacts[a]!.Id, Role: 'Decision Maker', IsPrimary: true }, at, owner.Id);
    const team = options.teamPerOpportunity ?? 2;
    for (let t = 0; t < team; t += 1) {
      insertRaw(store, 'OpportunityTeamMember', { OpportunityId: opp.Id, UserId: (t === 0 ? owner : sellers[(i + t) % sellers.length]!).Id, TeamMemberRole: t === 0 ? 'Account Manager' : 'Pre-Sales Consultant', OpportunityAccessLevel: 'Edit' }, at, owner.Id);
    }
    for (const child of options.children?.(opp.Id, i) ?? []) insertRaw(store, child.type, { ...child.values }, at, owner.Id);
  }
  return { users: sellers.length, accounts: accounts.length, contacts: contacts.length, opportunities: options.opportunities };
}

/** The default demo data: a dozen sellers, 60 accounts, 300 opportunities across every stage. */
export function seedDefault(store: SalesforceStore): SeedSummary {
  return generate(store, { opportunities: 300, accounts: 60, teamPerOpportunity: 2, seed: 7 });
}
