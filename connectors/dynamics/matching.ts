/**
 * Finds existing accounts (D-U-N-S first, then name + postal code + country) and contacts (by email)
 * before a create, so that an inbound referral never duplicates a customer. A few IN- or OR-filtered
 * queries per write call, never one per record.
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows
 */
import type { Contact, Customer } from '../../core/model/referral.js';
import type { DynamicsFieldRow } from '../../mappings/fields.dynamics.js';
import type { DataverseClient } from './client.js';
import { chunks, IDS_PER_QUERY, inFilter, literal, query } from './queries.js';

/** OR-ed name/postal/country triples per query, to keep the URL short. */
const TRIPLES_PER_QUERY = 25;

interface Page {
  value: Record<string, unknown>[];
}

export const dunsKey = (duns: string) => `duns:${duns.replace(/\D/g, '')}`;
export const nameKey = (c: Pick<Customer, 'name' | 'postalCode' | 'country'>) =>
  `name:${c.name.trim().toLowerCase()}|${(c.postalCode ?? '').trim().toLowerCase()}|${(c.country ?? '').trim().toUpperCase()}`;
export const emailKey = (email: string) => email.trim().toLowerCase();

const columnOf = (fields: readonly DynamicsFieldRow[], path: string) => fields.find((f) => f.path === path)?.column;

function eqOrNull(column: string, value: string | undefined): string {
  return value ? `${column} eq ${literal(value)}` : `${column} eq null`;
}

/** Account ID per match key (`duns:…` and `name:…`) for the customers that already exist. */
export async function matchAccounts(client: DataverseClient, fields: readonly DynamicsFieldRow[], customers: readonly Customer[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const dunsColumn = columnOf(fields, 'customer.duns');
  const duns = [...new Set(customers.flatMap((c) => (c.duns ? [c.duns.replace(/\D/g, '')] : [])))];
  if (dunsColumn) {
    for (const chunk of chunks(duns, IDS_PER_QUERY)) {
      const url = query('accounts', { $select: `accountid,${dunsColumn}`, $filter: inFilter(dunsColumn, chunk) });
      for (const row of (await client.get<Page>('matching accounts by D-U-N-S number', url)).data.value) {
        if (typeof row[dunsColumn] === 'string') found.set(dunsKey(row[dunsColumn] as string), String(row.accountid));
      }
    }
  }
  const name = columnOf(fields, 'customer.name') ?? 'name';
  const postal = columnOf(fields, 'customer.postalCode') ?? 'address1_postalcode';
  const country = columnOf(fields, 'customer.country') ?? 'address1_country';
  const byName = [...new Map(customers.filter((c) => !(c.duns && found.has(dunsKey(c.duns)))).map((c) => [nameKey(c), c])).values()];
  for (const chunk of chunks(byName, TRIPLES_PER_QUERY)) {
    const filter = chunk.map((c) => `(${eqOrNull(name, c.name)} and ${eqOrNull(postal, c.postalCode)} and ${eqOrNull(country, c.country)})`).join(' or ');
    const url = query('accounts', { $select: `accountid,${name},${postal},${country}`, $filter: filter, $orderby: 'createdon asc' });
    for (const row of (await client.get<Page>('matching accounts by name, postal code and country', url)).data.value) {
      const key = nameKey({ name: String(row[name] ?? ''), postalCode: String(row[postal] ?? ''), country: String(row[country] ?? '') });
      if (!found.has(key)) found.set(key, String(row.accountid));
    }
  }
  return found;
}

/** Contact ID per lower-cased email for the contacts that already exist. */
export async function matchContacts(client: DataverseClient, fields: readonly DynamicsFieldRow[], contacts: readonly Contact[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const column = columnOf(fields, 'customerContact.email') ?? 'emailaddress1';
  const emails = [...new Set(contacts.filter((c) => c.email).map((c) => emailKey(c.email)))];
  for (const chunk of chunks(emails, IDS_PER_QUERY)) {
    const url = query('contacts', { $select: `contactid,${column}`, $filter: inFilter(column, chunk), $orderby: 'createdon asc' });
    for (const row of (await client.get<Page>('matching contacts by email', url)).data.value) {
      const key = emailKey(String(row[column] ?? ''));
      if (!found.has(key)) found.set(key, String(row.contactid));
    }
  }
  return found;
}
