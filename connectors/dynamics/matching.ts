/**
 * Finds existing accounts (D-U-N-S first, then name + postal code + country) and contacts (by email)
 * before a create, so that an inbound referral never duplicates a customer. A few IN- or OR-filtered
 * queries per write call, never one per record, sent together in one `$batch`.
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows
 */
import type { Contact, Customer } from '../../core/model/referral.js';
import type { DynamicsFieldRow } from '../../mappings/fields.dynamics.js';
import type { DataverseClient } from './client.js';
import { allRowsInBatch } from './pages.js';
import { chunks } from '../../core/chunks.js';
import { odataStringLiteral } from '../odata.js';
import { IDS_PER_QUERY, inFilter, query } from './queries.js';

/** OR-ed name/postal/country triples per query, to keep the URL short. */
const TRIPLES_PER_QUERY = 25;

export const dunsKey = (duns: string) => `duns:${duns.replace(/\D/g, '')}`;
export const nameKey = (c: Pick<Customer, 'name' | 'postalCode' | 'country'>) =>
  `name:${c.name.trim().toLowerCase()}|${(c.postalCode ?? '').trim().toLowerCase()}|${(c.country ?? '').trim().toUpperCase()}`;
export const emailKey = (email: string) => email.trim().toLowerCase();

const columnOf = (fields: readonly DynamicsFieldRow[], path: string) => fields.find((f) => f.path === path)?.column;

function eqOrNull(column: string, value: string | undefined): string {
  return value ? `${column} eq ${odataStringLiteral(value)}` : `${column} eq null`;
}

interface MatchQuery {
  url: string;
  /** The match keys (and IDs) of the rows it answers. */
  read(row: Record<string, unknown>): { key: string; id: string } | undefined;
}

/** The queries that find existing accounts: by D-U-N-S number, and by name + postal code + country. */
function accountQueries(fields: readonly DynamicsFieldRow[], customers: readonly Customer[]): { duns: MatchQuery[]; names: MatchQuery[] } {
  const dunsColumn = columnOf(fields, 'customer.duns');
  const duns = [...new Set(customers.flatMap((c) => (c.duns ? [c.duns.replace(/\D/g, '')] : [])))];
  const dunsQueries = !dunsColumn ? [] : chunks(duns, IDS_PER_QUERY).map((chunk): MatchQuery => ({
    url: query('accounts', { $select: `accountid,${dunsColumn}`, $filter: inFilter(dunsColumn, chunk) }),
    read: (row) => (typeof row[dunsColumn] === 'string' ? { key: dunsKey(row[dunsColumn] as string), id: String(row.accountid) } : undefined),
  }));
  const name = columnOf(fields, 'customer.name') ?? 'name';
  const postal = columnOf(fields, 'customer.postalCode') ?? 'address1_postalcode';
  const country = columnOf(fields, 'customer.country') ?? 'address1_country';
  const byName = [...new Map(customers.map((c) => [nameKey(c), c])).values()];
  const nameQueries = chunks(byName, TRIPLES_PER_QUERY).map((chunk): MatchQuery => ({
    url: query('accounts', {
      $select: `accountid,${name},${postal},${country}`,
      $filter: chunk.map((c) => `(${eqOrNull(name, c.name)} and ${eqOrNull(postal, c.postalCode)} and ${eqOrNull(country, c.country)})`).join(' or '),
      $orderby: 'createdon asc',
    }),
    read: (row) => ({ key: nameKey({ name: String(row[name] ?? ''), postalCode: String(row[postal] ?? ''), country: String(row[country] ?? '') }), id: String(row.accountid) }),
  }));
  return { duns: dunsQueries, names: nameQueries };
}

function contactQueries(fields: readonly DynamicsFieldRow[], contacts: readonly Contact[]): MatchQuery[] {
  const column = columnOf(fields, 'customerContact.email') ?? 'emailaddress1';
  const emails = [...new Set(contacts.filter((c) => c.email).map((c) => emailKey(c.email)))];
  return chunks(emails, IDS_PER_QUERY).map((chunk) => ({
    url: query('contacts', { $select: `contactid,${column}`, $filter: inFilter(column, chunk), $orderby: 'createdon asc' }),
    read: (row) => ({ key: emailKey(String(row[column] ?? '')), id: String(row.contactid) }),
  }));
}

/**
 * The existing accounts (ID per match key, `duns:…` and `name:…`; the write plan tries D-U-N-S first) and
 * contacts (ID per lower-cased email) of the customers about to be created, all asked in one `$batch` of
 * GETs (one call however many chunks: 1,000 creates needed 40 account queries, one call each). The
 * earliest created row wins a key.
 */
export async function matchCustomers(client: DataverseClient, fields: readonly DynamicsFieldRow[], customers: readonly Customer[], contacts: readonly Contact[]): Promise<{ accounts: Map<string, string>; contacts: Map<string, string> }> {
  const accounts = accountQueries(fields, customers);
  const people = contactQueries(fields, contacts);
  const all = [...accounts.duns, ...accounts.names, ...people];
  // Every page of each query: the earliest row of a key may come after a page filled by another key's rows.
  const answers = await allRowsInBatch<Record<string, unknown>>(client, 'matching existing accounts (D-U-N-S number; name, postal code and country) and contacts (email)', all.map((q) => q.url));
  const found = { accounts: new Map<string, string>(), contacts: new Map<string, string>() };
  all.forEach((q, i) => {
    const into = i < accounts.duns.length + accounts.names.length ? found.accounts : found.contacts;
    for (const row of answers[i]!) {
      const match = q.read(row);
      if (match && !into.has(match.key)) into.set(match.key, match.id);
    }
  });
  return found;
}
