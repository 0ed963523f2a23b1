/**
 * The check phase of an import: every row is judged before anything is written. A row is parsed, its
 * target deal is looked up (reads only), the referral it asks for is built, and the same rules Partner
 * Center applies are run on it (`checkCreate` for a new deal, `checkChange` against the current deal
 * for an update, as our company: actor `us`). The outcome is a plan per row; import.ts carries it out.
 */
import { changedPaths, type Referral } from '../model/index.js';
import { blocking, checkBulkConsent, checkChange, checkCreate, type RuleContext } from '../rules/index.js';
import { buildCreate, buildUpdate, type CreateOptions } from './build.js';
import { CRM_ID, ENGAGEMENT_ID, REFERRAL_ID } from './columns.js';
import { isBlocking, type RowError } from './errors.js';
import { columnForField, ruleErrors } from './field-columns.js';
import { createKey, type CreateKey } from './idempotency.js';
import { cellOf, type ParsedRow } from './parse.js';
import type { ImportKeys } from './import-keys.js';
import type { Cell } from './parse.js';
import type { ReferralGateway } from './ports.js';

export type RowPlan =
  | { kind: 'create'; row: ParsedRow; referral: Referral; key: CreateKey; errors: RowError[] }
  | { kind: 'update'; row: ParsedRow; previous: Referral; next: Referral; errors: RowError[] }
  | { kind: 'unchanged'; row: ParsedRow; referral: Referral; errors: RowError[] }
  | { kind: 'refused'; row: ParsedRow; errors: RowError[] }
  | { kind: 'empty'; row: ParsedRow; errors: RowError[] };

export interface PlanContext {
  gateway: ReferralGateway;
  /** The keys earlier imports created deals under (import-keys.ts), when the state store is at hand. */
  keys?: Pick<ImportKeys, 'referralFor'>;
  rules: RuleContext;
  create: CreateOptions;
}

const refused = (row: ParsedRow, errors: RowError[]): RowPlan => ({ kind: 'refused', row, errors });

function idError(row: ParsedRow, column: string, code: string, message: string): RowError {
  return { row: row.row, column, code, message, severity: 'error' };
}

/** The deal a row with IDs updates ("update by Engagement ID or Referral ID"), or why there is none. */
async function findTarget(row: ParsedRow, gateway: ReferralGateway): Promise<{ current?: Referral; errors: RowError[] }> {
  const referralId = cellOf(row, REFERRAL_ID)?.text ?? '';
  const engagementId = cellOf(row, ENGAGEMENT_ID)?.text ?? '';
  const errors: RowError[] = [];
  const byReferral = referralId ? await gateway.getReferral(referralId) : undefined;
  if (referralId && !byReferral) {
    errors.push(idError(row, REFERRAL_ID.name, 'csv.unknown_referral', `no referral with Referral ID "${referralId}" exists in Partner Center (or it is not visible to you); leave both IDs empty to create a new deal`));
  }
  const byEngagement = engagementId && !byReferral ? await gateway.findByEngagementId(engagementId) : undefined;
  if (engagementId && !referralId && !byEngagement) {
    errors.push(idError(row, ENGAGEMENT_ID.name, 'csv.unknown_engagement', `no referral of yours with Engagement ID "${engagementId}" exists in Partner Center; leave both IDs empty to create a new deal`));
  }
  if (byReferral && engagementId && byReferral.engagementId !== engagementId) {
    errors.push(idError(row, ENGAGEMENT_ID.name, 'csv.id_mismatch', `Engagement ID "${engagementId}" does not belong to Referral ID "${referralId}" (its engagement is "${byReferral.engagementId ?? 'none'}")`));
  }
  const current = byReferral ?? byEngagement;
  return errors.length === 0 && current ? { current, errors } : { errors };
}

/**
 * A CRM ID cell holding the key an earlier import created this very deal under, which the sync has since
 * replaced with the CRM record it linked the deal to (import-keys.ts): the results file of that import,
 * uploaded again, still carries the key. The cell is read as the deal's current CRM ID, with a warning.
 * Taken as an edit it wrote the old key over the link in Partner Center until the next sync put the
 * record's ID back (until 2026-12-06).
 */
async function replacedKey(row: ParsedRow, current: Referral, keys: PlanContext['keys']): Promise<{ row: ParsedRow; warning?: RowError }> {
  const cell = cellOf(row, CRM_ID);
  const text = cell?.text ?? '';
  if (!keys || !cell || text === '' || text === (current.crmId ?? '') || !current.referralId) return { row };
  if ((await keys.referralFor(text)) !== current.referralId) return { row };
  const now: Cell<string> = { text: current.crmId ?? '', ...(current.crmId ? { value: current.crmId } : {}) };
  const message = `"${text}" is the key this deal was created under; the sync has since replaced it with its CRM record's ID "${current.crmId ?? ''}", which is kept (the CRM ID of a linked deal is the sync's to set)`;
  return { row: { ...row, cells: new Map(row.cells).set(CRM_ID, now) }, warning: { row: row.row, column: CRM_ID.name, code: 'csv.crm_id_replaced', message, severity: 'warning' } };
}

async function planUpdate(parsed: ParsedRow, ctx: PlanContext): Promise<RowPlan> {
  const target = await findTarget(parsed, ctx.gateway);
  if (!target.current) return refused(parsed, [...parsed.errors, ...target.errors]);
  const { row, warning } = await replacedKey(parsed, target.current, ctx.keys);
  const built = buildUpdate(row, target.current);
  const own = [...row.errors, ...(warning ? [warning] : []), ...built.errors];
  const changed = changedPaths(target.current, built.referral).length > 0;
  // An unchanged row makes no call, so there is nothing for the rules to refuse.
  // A bulk upload refuses a row whose consent is No (checkBulkConsent), unlike the API.
  const violations = changed ? [...checkChange(target.current, built.referral, ctx.rules), ...checkBulkConsent(built.referral)] : [];
  const errors = [...own, ...ruleErrors(violations, row, own)];
  if (isBlocking(errors) || blocking(violations).length > 0) return refused(row, errors);
  if (!changed) return { kind: 'unchanged', row, referral: target.current, errors };
  return { kind: 'update', row, previous: target.current, next: built.referral, errors };
}

/** What a deal found by a create row's key may hold otherwise without the row asking for a change: set by the create (New → Active, the first stage) or by the sync's link (CRM ID). */
const SET_BY_CREATE_OR_LINK = new Set(['status', 'substatus', 'salesStage', 'crmId']);

/**
 * A create row whose CRM ID a deal already has is that deal, reported unchanged; when the row reads
 * otherwise than the deal, the admin is told that those values were not applied and how to apply them,
 * rather than "unchanged" alone (a content key differs with any content, so only a CRM ID can match so).
 */
function notAppliedWarning(row: ParsedRow, key: CreateKey, existing: Referral): RowError[] {
  if (key.kind !== 'crm-id') return [];
  const differ = changedPaths(existing, buildUpdate(row, existing).referral).filter((path) => !SET_BY_CREATE_OR_LINK.has(path.split('.')[0] ?? path));
  if (differ.length === 0) return [];
  // Named by the file's columns, as the admin reads them (not the model's field paths).
  const columns = [...new Set(differ.map((path) => columnForField(path, row) ?? path))];
  const message = `a deal with this CRM ID already exists (Referral ID ${existing.referralId ?? 'unknown'}), so nothing was created and this row's ${columns.join(', ')} were not applied: to change that deal, fill in its Referral ID and upload the row again`;
  return [{ row: row.row, column: CRM_ID.name, code: 'csv.crm_id_exists', message, severity: 'warning' }];
}

async function planCreate(row: ParsedRow, ctx: PlanContext): Promise<RowPlan> {
  const built = buildCreate(row, ctx.create);
  const own = [...row.errors, ...built.errors];
  const violations = [...checkCreate(built.referral, ctx.rules), ...checkBulkConsent(built.referral)];
  const errors = [...own, ...ruleErrors(violations, row, own)];
  if (isBlocking(errors) || blocking(violations).length > 0) return refused(row, errors);
  const key = createKey(built.referral);
  const existing = await ctx.gateway.findByExternalReferenceId(key.value);
  if (existing) return { kind: 'unchanged', row, referral: existing, errors: [...errors, ...notAppliedWarning(row, key, existing)] };
  return { kind: 'create', row, referral: { ...built.referral, crmId: key.value }, key, errors };
}

/** Plans one row. Pure apart from the gateway reads. */
export function planRow(row: ParsedRow, ctx: PlanContext): Promise<RowPlan> {
  if (row.shape === 'empty') {
    return Promise.resolve({ kind: 'empty', row, errors: [{ row: row.row, code: 'csv.empty_row', message: 'the row is empty; nothing was created or changed', severity: 'warning' }] });
  }
  // A misaligned row's cells cannot be matched to columns; its one error says why.
  if (row.shape === 'misaligned') return Promise.resolve(refused(row, row.errors));
  const hasIds = (cellOf(row, REFERRAL_ID)?.text ?? '') !== '' || (cellOf(row, ENGAGEMENT_ID)?.text ?? '') !== '';
  return hasIds ? planUpdate(row, ctx) : planCreate(row, ctx);
}

/** The identity of the deal a plan writes or matched, for spotting two rows about one deal. */
function dealIdentity(plan: RowPlan): string | undefined {
  if (plan.kind === 'create') return `key:${plan.key.value}`;
  if (plan.kind === 'update') return `referral:${plan.previous.referralId}`;
  if (plan.kind === 'unchanged') return plan.referral.referralId ? `referral:${plan.referral.referralId}` : undefined;
  return undefined;
}

/**
 * Two rows of one file that create or change the same deal: the first one counts, later ones are refused,
 * because applying both would make the result depend on row order (and, for creates, create it twice).
 */
export function refuseDuplicates(plans: readonly RowPlan[]): RowPlan[] {
  const firstRow = new Map<string, number>();
  return plans.map((plan) => {
    const identity = dealIdentity(plan);
    if (!identity) return plan;
    const first = firstRow.get(identity);
    if (first === undefined) {
      firstRow.set(identity, plan.row.row);
      return plan;
    }
    const message = `this row is about the same deal as row ${first} of this file; only row ${first} is processed. Merge the two rows`;
    return refused(plan.row, [...plan.errors, { row: plan.row.row, code: 'csv.duplicate_row', message, severity: 'error' }]);
  });
}
