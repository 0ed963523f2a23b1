/**
 * The Dynamics 365 labels sellers see for each canonical path (`CrmAdapter.fieldLabels`), so that the sync
 * message on an opportunity names "Est. Revenue" or "Country/Region (Account)", not `value` or
 * `customer.country` (core/rules/field-labels.ts). The field table carries each column's label already;
 * this adds the table a column of a related record lives on, and the paths the table does not carry (the
 * stage and state, which the stage table maps, and the related records themselves).
 * Standard labels: https://learn.microsoft.com/dynamics365/sales/developer/entities/opportunity (English).
 */
import type { DynamicsFieldRow, DynamicsTable } from './fields.dynamics.js';
import type { FieldLabels } from '../core/rules/field-labels.js';

/** The record a related row's column is on, as the form names it. */
const ON: Partial<Record<DynamicsTable, string>> = { account: 'Account', contact: 'Contact' };

/** The connector's child tables (display names as setup creates them, connectors/dynamics/metadata-bodies.ts). */
const ITEM: Partial<Record<DynamicsTable, { path: string; one: string; all: string }>> = {
  teammember: { path: 'team', one: 'Co-sell Team Member', all: 'Co-sell Team Members' },
  solution: { path: 'solutions', one: 'Co-sell Solution', all: 'Co-sell Solutions' },
  invitation: { path: 'invitations', one: 'Co-sell Partner Invitation', all: 'Co-sell Partner Invitations' },
};

const RELATED: FieldLabels = {
  salesStage: 'Sales Stage',
  status: 'Status',
  substatus: 'Status Reason',
  currency: 'Currency',
  referral: 'Opportunity',
  customer: 'Account',
  customerContact: 'Contact',
  // A standard address column's label names no ISO code; the sync's rule (format.country) says so itself.
  'customer.country': 'Country/Region (Account)',
  'invitations[].solutions': 'Solutions (IDs, separated by ;)',
};

/** Canonical path → the label of the Dataverse column behind it. */
export function labelsOf(rows: readonly DynamicsFieldRow[]): FieldLabels {
  const labels: Record<string, string> = {};
  for (const item of Object.values(ITEM)) Object.assign(labels, { [item.path]: item.all, [`${item.path}[]`]: item.one });
  for (const row of rows) labels[row.path] = ON[row.table] ? `${row.label} (${ON[row.table]})` : row.label;
  const microsoft = rows.find((r) => r.path === 'microsoft.status');
  if (microsoft) labels.microsoft = microsoft.label;
  return { ...labels, ...RELATED };
}
