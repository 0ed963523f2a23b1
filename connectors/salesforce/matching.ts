/**
 * Pure matching of an inbound referral's customer and contact to existing Salesforce records, so that
 * a referral never creates a duplicate account or contact. Accounts: D-U-N-S number first, then name +
 * postal code + country (all compared normalised). Contacts: email, preferring one on the matched account.
 */
import type { Contact, Customer } from '../../core/model/referral.js';

export interface AccountCandidate {
  Id: string;
  Name?: string | null;
  DunsNumber?: string | null;
  BillingPostalCode?: string | null;
  BillingCountry?: string | null;
  [field: string]: unknown;
}

export interface ContactCandidate {
  Id: string;
  Email?: string | null;
  AccountId?: string | null;
}

const norm = (v: unknown): string => (typeof v === 'string' ? v.trim().toLowerCase().replace(/\s+/g, ' ') : '');
const postal = (v: unknown): string => norm(v).replace(/[\s-]/g, '');
const digits = (v: unknown): string => (typeof v === 'string' ? v.replace(/\D/g, '') : '');

/** The key under which two customers are the same company, used to avoid duplicates within one batch. */
export function customerKey(c: Customer): string {
  const duns = digits(c.duns);
  return duns ? `duns:${duns}` : `name:${norm(c.name)}|${postal(c.postalCode)}|${norm(c.country)}`;
}

export function matchAccount(customer: Customer, candidates: readonly AccountCandidate[], fields: { duns: string }): AccountCandidate | undefined {
  const duns = digits(customer.duns);
  if (duns) {
    const byDuns = candidates.find((a) => digits(a[fields.duns]) === duns);
    if (byDuns) return byDuns;
  }
  const name = norm(customer.name);
  if (!name) return undefined;
  return candidates.find(
    (a) => norm(a.Name) === name && postal(a.BillingPostalCode) === postal(customer.postalCode) && norm(a.BillingCountry) === norm(customer.country),
  );
}

export function matchContact(contact: Contact, candidates: readonly ContactCandidate[], accountId: string | undefined): ContactCandidate | undefined {
  const email = norm(contact.email);
  if (!email) return undefined;
  const same = candidates.filter((c) => norm(c.Email) === email);
  return same.find((c) => c.AccountId === accountId) ?? same[0];
}

/** Splits values into groups whose quoted SOQL list stays under `maxChars` (URL length limit). */
export function chunkForSoql(values: readonly string[], maxChars = 6000): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const v of values) {
    const cost = v.length + 4;
    if (current.length && size + cost > maxChars) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(v);
    size += cost;
  }
  if (current.length) chunks.push(current);
  return chunks;
}
