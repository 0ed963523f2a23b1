/**
 * Pure builders for the OData queries the adapter sends: column lists, `$expand`, the
 * `Microsoft.Dynamics.CRM.In` filter and the `modifiedon` watermark filter. Values are escaped here,
 * never interpolated elsewhere.
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows
 */
import type { DynamicsFieldRow, DynamicsTable } from '../../mappings/fields.dynamics.js';
import type { ConnectorNames } from './schema-names.js';
import { chunks } from '../../core/chunks.js';
import { odataStringLiteral } from '../odata.js';
import { ownStatusRows } from './payloads.js';

/** IDs per IN-filtered GET: 250 GUIDs keep the request line near 12 KB, under the 16 KB that common HTTP front ends (and Node) accept. */
export const IDS_PER_QUERY = 250;

export function inFilter(property: string, values: readonly string[]): string {
  return `Microsoft.Dynamics.CRM.In(PropertyName=${odataStringLiteral(property)},PropertyValues=[${values.map((v) => JSON.stringify(v)).join(',')}])`;
}

/** Dataverse datetime literal, unquoted, whole seconds. */
export const dateTimeLiteral = (iso: string): string => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function watermarkFilter(since: string): string {
  return `modifiedon ge ${dateTimeLiteral(since)}`;
}

export const WATERMARK_ORDER = 'modifiedon asc,opportunityid asc';

export function query(set: string, options: Record<string, string | undefined>): string {
  const parts = Object.entries(options)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2C/g, ',').replace(/%24/g, '$').replace(/%3D/g, '=').replace(/%40/g, '@')}`);
  return parts.length ? `${set}?${parts.join('&')}` : set;
}

const columnsOf = (fields: readonly DynamicsFieldRow[], table: DynamicsTable, readable = true) =>
  [...new Set(fields.filter((f) => f.table === table && (!readable || f.direction !== 'toCrm')).map((f) => f.column))];

/** Opportunity columns the adapter reads besides the field table's. */
export const OPPORTUNITY_SYSTEM_COLUMNS = [
  'opportunityid', 'modifiedon', 'createdon', 'statecode', 'statuscode', 'salesstage', 'stepname', 'stageid', 'closeprobability', 'actualvalue',
  '_parentaccountid_value', '_parentcontactid_value', '_transactioncurrencyid_value', '_ownerid_value', '_owningbusinessunit_value',
];

/** The system columns, the mapped ones and the connector's own status columns (read back: connectors/shown-status.ts). */
export function opportunitySelect(fields: readonly DynamicsFieldRow[]): string {
  return [...new Set([...OPPORTUNITY_SYSTEM_COLUMNS, ...columnsOf(fields, 'opportunity'), ...ownStatusRows(fields).map((f) => f.column)])].join(',');
}

/** `$expand` for the parent account, customer contact, currency, team members, solutions and partner invitations. */
export function opportunityExpand(fields: readonly DynamicsFieldRow[], names: ConnectorNames): string {
  return [
    // `versionnumber`: the version each deal was read with (customer-reads.ts).
    `parentaccountid($select=${['accountid', 'versionnumber', ...columnsOf(fields, 'account')].join(',')})`,
    `parentcontactid($select=${['contactid', 'versionnumber', ...columnsOf(fields, 'contact')].join(',')})`,
    'transactioncurrencyid($select=isocurrencycode)',
    `${names.teamCollection}($select=${[`${names.teamTable}id`, ...columnsOf(fields, 'teammember')].join(',')})`,
    `${names.solutionCollection}($select=${[`${names.solutionTable}id`, names.nameColumn, ...columnsOf(fields, 'solution')].join(',')})`,
    `${names.invitationCollection}($select=${[`${names.invitationTable}id`, ...columnsOf(fields, 'invitation')].join(',')})`,
  ].join(',');
}

/** One IN-filtered, expanded GET per chunk of IDs: calls grow with pages, not records. */
export function hydrateQueries(ids: readonly string[], fields: readonly DynamicsFieldRow[], names: ConnectorNames): string[] {
  return chunks(ids, IDS_PER_QUERY).map((chunk) =>
    query('opportunities', { $select: opportunitySelect(fields), $expand: opportunityExpand(fields, names), $filter: inFilter('opportunityid', chunk) }),
  );
}

export function watermarkQuery(since: string, fields: readonly DynamicsFieldRow[], names: ConnectorNames): string {
  return query('opportunities', { $select: opportunitySelect(fields), $expand: opportunityExpand(fields, names), $filter: watermarkFilter(since), $orderby: WATERMARK_ORDER });
}

/** The change-tracking request: no `$filter`, `$orderby`, `$expand` or `$top` are allowed with it. */
export const TRACKING_QUERY = query('opportunities', { $select: 'opportunityid,modifiedon' });
