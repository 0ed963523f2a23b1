/**
 * A create repeated after a stopped run: the opportunity exists (it is found by referral ID and only its
 * status is written), but the run may have stopped before the rows a create adds after the opportunity —
 * the primary contact role and the solutions (create.ts, steps 3 and 4). Those still missing are added;
 * the opportunity's own fields are left as they are, since a seller may have edited them since.
 */
import type { CrmWriteResult } from '../types.js';
import { addContactRoles, addSolutions, type CreateContext, type CreateWrite } from './create.js';
import { SOLUTION_FIELDS, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from './custom-fields.js';
import { chunkForSoql } from './matching.js';
import { inList, quoteId } from './soql.js';

type Row = Record<string, unknown>;

async function rowsFor(ctx: CreateContext, soql: (ids: string) => string, ids: readonly string[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const chunk of chunkForSoql([...new Set(ids)])) {
    let page = await ctx.client.query<Row>(soql(inList(chunk, quoteId)));
    rows.push(...page.records);
    while (!page.done && page.nextRecordsUrl) {
      page = await ctx.client.queryMore<Row>(page.nextRecordsUrl);
      rows.push(...page.records);
    }
  }
  return rows;
}

export async function completeCreates(ctx: CreateContext, repeats: readonly { write: CreateWrite; crmId: string }[]): Promise<void> {
  if (repeats.length === 0) return;
  const ids = repeats.map((r) => r.crmId);
  const accounts = await rowsFor(ctx, (list) => `SELECT Id, AccountId FROM Opportunity WHERE Id IN ${list}`, ids);
  const roles = await rowsFor(ctx, (list) => `SELECT OpportunityId FROM OpportunityContactRole WHERE OpportunityId IN ${list}`, ids);
  const solutions = await rowsFor(ctx, (list) => `SELECT ${SOLUTION_PARENT_FIELD}, ${SOLUTION_FIELDS.solutionId} FROM ${SOLUTION_OBJECT} WHERE ${SOLUTION_PARENT_FIELD} IN ${list}`, ids);

  const accountOf = new Map<string, string>();
  const results = new Map<string, CrmWriteResult>();
  for (const { write, crmId } of repeats) {
    const account = accounts.find((a) => a.Id === crmId)?.AccountId;
    if (typeof account === 'string') accountOf.set(write.key, account);
    results.set(write.key, { key: write.key, ok: true, crmId });
  }
  const withRole = new Set(roles.map((r) => String(r.OpportunityId)));
  await addContactRoles(ctx, repeats.filter((r) => !withRole.has(r.crmId) && accountOf.has(r.write.key)).map((r) => r.write), accountOf, results);
  const held = (crmId: string) => new Set(solutions.filter((s) => s[SOLUTION_PARENT_FIELD] === crmId).map((s) => String(s[SOLUTION_FIELDS.solutionId]).toUpperCase()));
  const missing = repeats.map(({ write, crmId }) => {
    const have = held(crmId);
    return { ...write, referral: { ...write.referral, solutions: write.referral.solutions.filter((s) => !have.has(s.id.toUpperCase())) } };
  });
  await addSolutions(ctx, missing.filter((w) => w.referral.solutions.length > 0), results);
}
