/**
 * One run of the Dynamics change feed. Its first call is one `$batch` of GETs asking everything a run
 * needs to know what changed: the opportunity's delta link (change-feed.ts), the delta links of the three
 * child tables (child-changes.ts) and the accounts and contacts changed since the last run
 * (customer-changes.ts). An idle run is that one call (issue 13). Then:
 * 1. the opportunity pages, each changed opportunity read in full;
 * 2. with the last of them: the opportunities whose child rows, account or contact alone changed, read in
 *    full and dated by that change, and the new child delta links and `customersThrough`.
 * Until that last page is committed, every cursor the engine stores keeps the previous child links and
 * customer mark, so a run killed on the way asks again from the same point.
 */
import type { CrmChangePage, CrmCursor, CrmDeal, KnownVersions, RelatedRowIndex } from '../../core/engine/crm-port.js';
import { getEach, parsedNow, type BatchGet, type GetAnswer } from './batch-reads.js';
import { hydrate } from './hydrate.js';
import { firstTrackingUrl } from './token-life.js';
import { firstListingFeed, firstReadPrefer, firstReadQuery } from './first-read.js';
import { readChanges, trackingPrefer, watermarkAfterRead, type Alongside, type FeedDeps, type FeedPage, type FirstTrackingAnswer } from './change-feed.js';
import { ChildFeed, childLinksOf, childTables, drainChildFeeds, forgetChildRowsGone } from './child-changes.js';
import { customerChangesSince, customerRequests, customerVersionsOf, type CustomerVersions } from './customer-changes.js';
import type { ConnectorNames } from './schema-names.js';
import { datedByChange, mergeLatestChanges } from '../latest-change.js';
import type { OpenedListing } from './opened-listing.js';
import { takenOrRead } from '../change-listing.js';
import { CustomerReads, READ_RUN_FIELD } from './customer-reads.js';
import type { DynamicsFieldRow } from '../../mappings/fields.dynamics.js';
import type { Rider } from './process-stages.js';
import { APP_USER_FIELD, appUserFields, appUserOf, forClient, speculationPlan, Speculated, type SpeculationPlan } from './speculative-read.js';

export interface RunDeps extends FeedDeps {
  /** Related row → opportunity, kept in the state store: a deleted child row names only itself. */
  index: RelatedRowIndex;
  names: ConnectorNames;
  fields: readonly DynamicsFieldRow[];
  /** The app registration signing in: the application user the cursor keeps is used only under it. */
  clientId: string;
  /** Records the engine needs read anyway (`openChanges`' `alsoRead`): asked in the first `$batch` when the guess is made. */
  asked?: readonly string[];
  /** The process stages' listing when the kept list is old: asked in the first `$batch` (process-stages.ts). */
  stageListing?: Rider;
}

function firstAnswer(answer: GetAnswer<unknown> | undefined, date: string | undefined): FirstTrackingAnswer | undefined {
  if (!answer) return undefined;
  return answer.ok ? { ok: true, body: answer.body, ...(date ? { date } : {}) } : { ok: false, error: answer.error };
}

/** What the run keeps of its first call; `appUser`: the application user's ID when `WhoAmI` rode along. */
type FirstCall = { opportunity?: FirstTrackingAnswer | undefined; plainRead?: GetAnswer<unknown> | undefined; customers: GetAnswer<unknown>[]; speculated?: Speculated; appUser?: string };

/**
 * What the first `$batch` asks besides the change feeds: `WhoAmI` until the cursor keeps the user's ID, the guess,
 * and on a first run the plain read's first page (first-read.ts: used when the tracking page is not the whole listing).
 */
type Extras = { whoAmI: boolean; plan?: SpeculationPlan | undefined; plainRead?: BatchGet };

const WHO_AM_I: BatchGet = { url: 'WhoAmI', prefer: [] };

function userIdOf(answer: GetAnswer<unknown> | undefined): string | undefined {
  const id = answer?.ok ? (answer.body as { UserId?: unknown } | undefined)?.UserId : undefined;
  return appUserOf(typeof id === 'string' ? { [APP_USER_FIELD]: id } : undefined);
}

/**
 * The run's first call. The child tables' answers go to their feeds here (a first listing is 5,000 rows a
 * table): only what the run still needs comes back, since a generator keeps every local of its frame
 * for as long as it runs (the whole first answer stayed in memory through the run).
 */
async function firstCall(deps: RunDeps, feeds: readonly ChildFeed[], opportunityUrl: string | undefined, prior: string | undefined, clock: { readAt: string }, extras: Extras): Promise<FirstCall> {
  const customers = prior ? customerRequests(prior) : [];
  // The guess comes last: the `$batch` runs in order, so it reads after every listing of this call (speculative-read.ts).
  const requests: BatchGet[] = [
    ...(opportunityUrl ? [{ url: opportunityUrl, prefer: trackingPrefer(deps.pageSize) }] : []),
    ...feeds.map((feed) => feed.request()!),
    ...customers,
    ...(deps.stageListing ? [deps.stageListing.request] : []),
    ...(extras.whoAmI ? [WHO_AM_I] : []),
    ...(extras.plan?.requests ?? []),
    ...(extras.plainRead ? [extras.plainRead] : []),
  ];
  const { answers, date } = await getEach<unknown>(deps.client, 'reading what changed (change tracking, changed accounts and contacts)', requests);
  if (date) clock.readAt = new Date(date).toISOString();
  const offset = opportunityUrl ? 1 : 0;
  for (const [i, feed] of feeds.entries()) await feed.accept(answers[offset + i]!);
  const afterCustomers = offset + feeds.length + customers.length;
  await deps.stageListing?.accept(answers[afterCustomers]);
  const rest = afterCustomers + (deps.stageListing ? 1 : 0);
  const appUser = extras.whoAmI ? userIdOf(answers[rest]) : undefined;
  // Parsed only if used: a listing of one page keeps change tracking and never reads it.
  const plainRead = extras.plainRead ? answers.pop() : undefined;
  const speculated = extras.plan ? Speculated.of(extras.plan, answers.slice(rest + (extras.whoAmI ? 1 : 0))) : undefined;
  return {
    opportunity: firstAnswer(opportunityUrl ? answers[0] : undefined, date),
    ...(plainRead ? { plainRead } : {}),
    customers: parsedNow(answers.slice(offset + feeds.length, afterCustomers)),
    ...(speculated ? { speculated } : {}),
    ...(appUser ? { appUser } : {}),
  };
}

/** The first tracking page, handed to the feed, which lets it go once read. */
function takeOpportunity(first: FirstCall): FirstTrackingAnswer | undefined {
  const answer = first.opportunity;
  first.opportunity = undefined;
  return answer;
}

/**
 * The run's opportunity feed: the first run's plain read and listing, or a fresh listing (first-read.ts), else
 * change tracking (change-feed.ts). A function of its own, so that the first answers are held by the feed
 * only, which lets them go once read (a local of the run's generator stayed for the whole run).
 */
function feedOf(deps: RunDeps, cursor: CrmCursor | undefined, first: FirstCall): AsyncGenerator<FeedPage> {
  const tracking = takeOpportunity(first);
  const plain = first.plainRead;
  first.plainRead = undefined;
  const listing = firstListingFeed(deps, cursor, tracking, plain);
  if (listing) return listing;
  // A first listing of one page keeps change tracking, and takes the plain read's rows at the listed version
  // (the read after it in the same `$batch`): no read of its own after the listing.
  const guess = cursor ? undefined : Speculated.ofRead(plain);
  return readChanges(guess ? { ...deps, speculated: guess } : deps, cursor, tracking);
}

/**
 * An opened listing's announcement, with the opportunities whose child rows alone changed when the child
 * tables' first answers told them: the engine reads those with the rest (each is read once either way).
 */
function withChildChanges(listing: OpenedListing, feeds: readonly ChildFeed[]): OpenedListing {
  return {
    announce: async (toRead, readAlong) => {
      if (!toRead) return listing.announce(undefined, readAlong);
      const parents = await Promise.all(feeds.map((feed) => feed.changedParents()));
      return listing.announce([...new Set([...toRead, ...parents.flatMap((ids) => ids ?? [])])], readAlong);
    },
  };
}

export async function* readRun(runDeps: RunDeps, cursor: CrmCursor | undefined): AsyncGenerator<CrmChangePage> {
  // The account and contact versions each deal is read with; the previous run's are known once it was committed.
  const customerReads = runDeps.customerReads ?? new CustomerReads(runDeps.index);
  const readRunId = await customerReads.begin(cursor);
  let deps: RunDeps = { ...runDeps, customerReads };
  // The first run reads every opportunity; later runs ask for customers changed since the previous run's mark.
  const prior = typeof cursor?.customersThrough === 'string' ? cursor.customersThrough : typeof cursor?.watermark === 'string' ? cursor.watermark : undefined;
  const links = childLinksOf(cursor);
  const tables = childTables(deps.names);
  const opportunityUrl = firstTrackingUrl(cursor, deps.now().getTime());
  // Deletions carry no time: they are dated by the server's time of the run's first call (set by firstCall).
  const clock = { readAt: deps.now().toISOString() };
  const feeds = tables.map((table) => new ChildFeed(deps, table, links[table.cursorField], () => clock.readAt));
  if (deps.listing) deps = { ...deps, listing: withChildChanges(deps.listing, feeds) };
  const ownCursor = forClient(cursor, deps.clientId);
  const knownUser = appUserOf(ownCursor);
  const plan = opportunityUrl ? speculationPlan(ownCursor, deps.now().getTime(), deps.asked ?? [], deps.fields, deps.names) : undefined;
  const plainRead: BatchGet | undefined = cursor ? undefined : { url: firstReadQuery(deps.fields, deps.names), prefer: firstReadPrefer(deps.pageSize) };
  const first = await firstCall(deps, feeds, opportunityUrl, prior, clock, { whoAmI: !knownUser, plan, ...(plainRead ? { plainRead } : {}) });
  const customerFirst = first.customers;
  if (first.speculated) deps = { ...deps, speculated: first.speculated };
  const appUser = knownUser ?? first.appUser;
  // The child tables' further pages (a first listing, or a large change) ride with the opportunity's next pages.
  // The answers go back to exactly the feeds that asked: a feed that finished or is still taking in its last
  // answer when they come must not shift them onto the next table (its rows then went into the wrong feed's
  // index and delta link, and that table's changes were lost for good).
  let asked: ChildFeed[] = [];
  const alongside: Alongside = {
    requests: () => {
      asked = feeds.filter((feed) => feed.request());
      return asked.map((feed) => feed.request()!);
    },
    accept: (got) => {
      const those = asked;
      asked = [];
      those.forEach((feed, i) => void feed.accept(got[i]!));
    },
  };

  const handled = customerVersionsOf(cursor);
  const committedRun = cursor?.[READ_RUN_FIELD];
  const previousRun: CrmCursor = typeof committedRun === 'string' ? { [READ_RUN_FIELD]: committedRun } : {};
  const carried: CrmCursor = { ...(prior ? { customersThrough: prior } : {}), ...handled, ...links, ...previousRun, ...appUserFields(appUser, deps.clientId) };
  const seen = new Set<string>();
  // Each page is handed on as it comes; the last one also carries the related changes, so that they cost
  // no page of their own. No page is held back waiting for the next (a held page of 5,000 hydrated deals
  // doubled the engine's memory while it worked on the one before).
  for await (const { last, ...page } of feedOf({ ...deps, alongside }, cursor, first)) {
    for (const d of page.deals) seen.add(d.crmId.toLowerCase());
    const out: CrmChangePage = { ...page, cursor: { ...page.cursor, ...carried } };
    if (!last) {
      yield out;
      continue;
    }
    await drainChildFeeds(deps.client, feeds);
    const related = await relatedChanges(deps, { feeds, readAt: clock.readAt, customerFirst, handled, ...(prior ? { prior } : {}) }, seen);
    yield { ...out, deals: [...out.deals, ...related.deals], cursor: { ...out.cursor, ...related.cursor, [READ_RUN_FIELD]: readRunId } };
  }
  customerReads.end();
}

interface FirstAnswers {
  feeds: readonly ChildFeed[];
  /** The service's time of the run's first call. */
  readAt: string;
  customerFirst: GetAnswer<unknown>[];
  prior?: string;
  handled: CustomerVersions;
}

/** Of these opportunities whose related rows changed, those the engine does not ignore the rows of now (`KnownVersions.ignoresRelatedRows`). */
async function notIgnored(known: KnownVersions | undefined, ids: string[]): Promise<string[]> {
  if (!known?.ignoresRelatedRows || ids.length === 0) return ids;
  await known.prepare(ids);
  return ids.filter((id) => !known.ignoresRelatedRows!(id));
}

/**
 * The opportunities whose child rows, account or contact alone changed (those not in `seen`, nor those whose
 * related rows the engine ignores now), read in full; and the cursor fields that move past them.
 */
async function relatedChanges(deps: RunDeps, first: FirstAnswers, seen: ReadonlySet<string>): Promise<{ deals: CrmDeal[]; cursor: CrmCursor }> {
  const changed = new Map<string, string>();
  const cursor: Record<string, string | number> = {};
  for (const feed of first.feeds) {
    const result = await feed.result();
    mergeLatestChanges(changed, result.changed);
    cursor[feed.table.cursorField] = result.link;
  }
  await forgetChildRowsGone(deps.index, first.readAt);
  if (first.prior) {
    const customers = await customerChangesSince(deps, first.prior, first.customerFirst, first.handled, deps.customerReads);
    mergeLatestChanges(changed, customers.changed);
    Object.assign(cursor, { customersThrough: customers.through, ...customers.versions });
  } else {
    // A first run read its deals, and their accounts and contacts, from its first call on (a first run of
    // several pages reads, writes and lists for minutes: first-read.ts). Without this the next run asked for
    // customers changed since the delta cursor's watermark, the listing's last answer less the margin, and an
    // account renamed after its deals were read and before that was never read again.
    cursor.customersThrough = watermarkAfterRead(first.readAt, null, first.readAt);
  }
  const ids = await notIgnored(deps.known, [...changed.keys()].filter((id) => !seen.has(id)));
  // Read by the engine after the listing's first call: the change is in what it read.
  const deals = await takenOrRead(ids, deps.listing?.engineReads, async (unread) => hydrate(deps, unread, await deps.context()));
  for (const d of deals) datedByChange(d, changed.get(d.crmId.toLowerCase()));
  return { deals, cursor };
}
