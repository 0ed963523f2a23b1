/**
 * Writing the parts of a deal that live outside the Opportunity row, when an update changes them:
 * solutions (the connector's child object) and the opportunity team (OpportunityTeamMember, which needs a
 * Salesforce user per member) here; the primary customer contact and the customer's account fields in
 * customer-writes.ts. Each needs a lookup query per batch, so they run only for writes that change them.
 * A change Salesforce cannot hold (a team member who is not a user, a row it refuses to save or delete)
 * fails that write with a reason, instead of being dropped and read back as a removal.
 */
import { SolutionKind } from '../../core/model/enums.js';
import type { Solution } from '../../core/model/referral.js';
import { saveRecords, type CollectionItem } from './collections.js';
import type { CreateContext } from './create.js';
import { F, SOLUTION_FIELDS, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import { outsideTeamValue } from './assemble.js';
import { quoteId } from './soql.js';
import { solutionRowName } from '../solution-names.js';
import { memberKey, readKeys, removedByMerge, solutionKey } from '../related-sets.js';
import { deleteRows, failWritersOf, lower, ofOpportunity, queryAll, touches, type Failure, type RelatedWrite, type Row } from './related-write-parts.js';
import { accountsOf, dealsSharing, removeContacts, writeAccounts, writeContacts } from './customer-writes.js';

function solutionRecord(crmId: string, s: Solution): Record<string, unknown> {
  return {
    attributes: { type: SOLUTION_OBJECT }, [SOLUTION_PARENT_FIELD]: crmId, Name: solutionRowName(s).slice(0, 80), [SOLUTION_FIELDS.solutionId]: s.id,
    [SOLUTION_FIELDS.kind]: SolutionKind.label(s.kind), [SOLUTION_FIELDS.price]: s.price ?? null, [SOLUTION_FIELDS.quantity]: s.quantity ?? null,
    [SOLUTION_FIELDS.currency]: s.currency ?? null, [SOLUTION_FIELDS.incentiveEligible]: s.incentiveEligible === true,
    [SOLUTION_FIELDS.assessmentLocation]: s.assessmentLocation ?? null,
  };
}

async function writeSolutions(ctx: CreateContext, writes: readonly RelatedWrite[], failures: Map<string, Failure>): Promise<void> {
  if (!writes.length) return;
  const client = ctx.client;
  /** Row item key → the write it is part of. */
  const writerOf = new Map<string, RelatedWrite>();
  const existing = await queryAll(client, (ids) => `SELECT Id, ${SOLUTION_PARENT_FIELD}, ${SOLUTION_FIELDS.solutionId} FROM ${SOLUTION_OBJECT} WHERE ${SOLUTION_PARENT_FIELD} IN (${ids.join(', ')})`, writes.map((w) => w.crmId), quoteId);
  const creates: CollectionItem[] = [];
  const updates: CollectionItem[] = [];
  const removals = new Map<string, RelatedWrite>();
  for (const w of writes) {
    const rows = existing.filter((r) => r[SOLUTION_PARENT_FIELD] === w.crmId);
    const wanted = new Map(w.referral.solutions.map((s) => [solutionKey(s.id), s]));
    const seen = readKeys(w.asRead, 'solutions');
    // Matched rows leave `wanted` (a second row of the same solution is then removed): test against the whole set.
    const merged = new Set(wanted.keys());
    for (const row of rows) {
      const key = solutionKey(String(row[SOLUTION_FIELDS.solutionId] ?? ''));
      const s = wanted.get(key);
      if (!s) {
        if (removedByMerge(key, merged, seen) || merged.has(key)) removals.set(row.Id, w);
      } else {
        const { [SOLUTION_PARENT_FIELD]: _parent, ...values } = solutionRecord(w.crmId, s);
        updates.push({ key: row.Id, record: { ...values, id: row.Id } });
        writerOf.set(row.Id, w);
        wanted.delete(key);
      }
    }
    for (const s of wanted.values()) {
      creates.push({ key: `${w.crmId}:${s.id}`, record: solutionRecord(w.crmId, s) });
      writerOf.set(`${w.crmId}:${s.id}`, w);
    }
  }
  failWritersOf(await saveRecords(client, 'POST', '/composite/sobjects', creates), writerOf, ofOpportunity('solution row'), ctx.canonicalOf, failures);
  failWritersOf(await saveRecords(client, 'PATCH', '/composite/sobjects', updates), writerOf, ofOpportunity('solution row'), ctx.canonicalOf, failures);
  await deleteRows(ctx, removals, ofOpportunity('removed solution row'), failures);
}

/**
 * The opportunity team holds Salesforce users only: members who are users join it, the others (a
 * Microsoft seller, a colleague without a licence) are kept in the outside-team field, so that both
 * read back as the deal's team and neither is lost.
 */
export async function writeTeam(ctx: Pick<CreateContext, 'client' | 'canonicalOf'>, writes: readonly RelatedWrite[], failures: Map<string, Failure>): Promise<void> {
  if (!writes.length) return;
  const client = ctx.client;
  /** Member item key → the write it is part of. */
  const writerOf = new Map<string, RelatedWrite>();
  const members = await queryAll(client, (ids) => `SELECT Id, OpportunityId, UserId, User.Email FROM OpportunityTeamMember WHERE OpportunityId IN (${ids.join(', ')})`, writes.map((w) => w.crmId), quoteId);
  const emails = writes.flatMap((w) => w.referral.team.map((m) => m.email).filter(Boolean));
  const users = emails.length ? await queryAll(client, (list) => `SELECT Id, Email FROM User WHERE IsActive = true AND Email IN (${list.join(', ')})`, emails) : [];
  const creates: CollectionItem[] = [];
  const removals = new Map<string, RelatedWrite>();
  const outside: CollectionItem[] = [];
  for (const w of writes) {
    const current = members.filter((m) => m.OpportunityId === w.crmId);
    const wanted = new Set(w.referral.team.map((m) => memberKey(m.email)).filter(Boolean));
    const seen = readKeys(w.asRead, 'team');
    const notUsers = w.referral.team.filter((m) => m.email && !users.some((u) => lower(u.Email) === lower(m.email)));
    for (const email of wanted) {
      if (current.some((m) => lower((m.User as Row | null)?.Email) === email)) continue;
      const user = users.find((u) => lower(u.Email) === email);
      if (!user) continue;
      creates.push({ key: `${w.crmId}:${email}`, record: { attributes: { type: 'OpportunityTeamMember' }, OpportunityId: w.crmId, UserId: user.Id, TeamMemberRole: 'Sales Rep', OpportunityAccessLevel: 'Edit' } });
      writerOf.set(`${w.crmId}:${email}`, w);
    }
    for (const m of current) if (removedByMerge(lower((m.User as Row | null)?.Email), wanted, seen)) removals.set(m.Id, w);
    outside.push({ key: w.key, record: { attributes: { type: 'Opportunity' }, id: w.crmId, [F.outsideTeam]: outsideTeamValue(notUsers) } });
  }
  failWritersOf(await saveRecords(client, 'POST', '/composite/sobjects', creates), writerOf, ofOpportunity('team member'), ctx.canonicalOf, failures);
  await deleteRows(ctx, removals, ofOpportunity('removed team member'), failures);
  for (const [key, outcome] of await saveRecords(client, 'PATCH', '/composite/sobjects', outside)) {
    // A member refused already failed the write, with its own reason: that reason is kept.
    if (!outcome.ok && failures.get(key)?.ok !== false) failures.set(key, { key, ok: false, code: 'failed', field: 'team', message: `The deal team outside Salesforce could not be saved: ${outcome.errors.map((e) => e.message).join('; ')}` });
  }
}

/**
 * Applies the related-record parts of updates; returns a failure for each write that could not be held, and
 * the other opportunities whose customer account or contact a write edited (by write key).
 */
export async function applyRelatedChanges(ctx: CreateContext, writes: readonly RelatedWrite[]): Promise<{ failures: Map<string, Failure>; sharedWith: Map<string, string[]> }> {
  const failures = new Map<string, Failure>();
  await writeSolutions(ctx, writes.filter((w) => touches(w, 'solutions')), failures);
  await writeTeam(ctx, writes.filter((w) => touches(w, 'team')), failures);
  await removeContacts(ctx, writes.filter((w) => touches(w, 'customerContact') && !w.referral.customerContact), failures);
  const setsContact = (w: RelatedWrite) => touches(w, 'customerContact') && w.referral.customerContact !== undefined;
  const needAccount = writes.filter((w) => setsContact(w) || w.changed.some((c) => c.startsWith('customer.') || c === 'customer'));
  if (!needAccount.length) return { failures, sharedWith: new Map() };
  const accounts = await accountsOf(ctx.client, needAccount);
  const contacts = await writeContacts(ctx, needAccount.filter(setsContact), accounts, failures);
  const edited = await writeAccounts(ctx, needAccount.filter((w) => w.changed.some((c) => c.startsWith('customer.') || c === 'customer')), accounts, failures);
  return { failures, sharedWith: await dealsSharing(ctx.client, edited, contacts) };
}
