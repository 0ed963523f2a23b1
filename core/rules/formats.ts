/**
 * Limits and formats that hold for every referral at all times, whoever changes it.
 */
import { isCountryCode, isCurrencyCode } from '../model/iso-codes.js';
import type { Contact, Referral } from '../model/referral.js';
import { error, type Violation } from './violation.js';

export const MAX_SOLUTIONS = 50;
export const MAX_TEAM_MEMBERS = 50;

// Deliberately simple: one @, no spaces, a dot in the domain. Stricter checks refuse real addresses.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Digits with the usual separators and an optional leading +; 6 to 15 digits (E.164 allows 15, and the
// seed's own sample team member has the 6-digit number 999999).
const PHONE_CHARS = /^\+?[0-9 ()./-]+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isEmail(value: string): boolean {
  return EMAIL.test(value.trim());
}

export function isPhone(value: string): boolean {
  const digits = value.replace(/\D/g, '').length;
  return PHONE_CHARS.test(value.trim()) && digits >= 6 && digits <= 15;
}

/** A `YYYY-MM-DD` string that names a real calendar day. */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [, y, mo, d] = m.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function contactFormats(contact: Contact | undefined, path: string): Violation[] {
  if (!contact) return [];
  const out: Violation[] = [];
  if (contact.email && !isEmail(contact.email)) out.push(error('format.email', `${path}.email`, `"${contact.email}" is not a valid email address.`));
  if (contact.phone && !isPhone(contact.phone)) out.push(error('format.phone', `${path}.phone`, `"${contact.phone}" is not a valid phone number (6 to 15 digits, optionally with +, spaces, dashes or brackets).`));
  return out;
}

function currencyFormat(value: string | undefined, path: string): Violation[] {
  return value !== undefined && value !== '' && !isCurrencyCode(value)
    ? [error('format.currency', path, `"${value}" is not an ISO 4217 currency code such as USD or EUR.`)]
    : [];
}

export function checkFormats(r: Referral): Violation[] {
  const out: Violation[] = [];
  if (r.solutions.length > MAX_SOLUTIONS) out.push(error('limits.solutions', 'solutions', `A deal can have at most ${MAX_SOLUTIONS} solutions; this one has ${r.solutions.length}.`));
  if (r.team.length > MAX_TEAM_MEMBERS) out.push(error('limits.team', 'team', `A deal can have at most ${MAX_TEAM_MEMBERS} team members; this one has ${r.team.length}.`));
  const country = r.customer.country;
  if (country !== undefined && country !== '' && !isCountryCode(country)) {
    out.push(error('format.country', 'customer.country', `"${country}" is not an ISO 3166 two-letter country code such as US or DE.`));
  }
  out.push(...currencyFormat(r.currency, 'currency'));
  if (r.value !== undefined && !(Number.isFinite(r.value) && r.value > 0)) out.push(error('format.value_positive', 'value', `The estimated value must be a positive amount; it is ${r.value}.`));
  if (r.closeDate !== undefined && r.closeDate !== '' && !isCalendarDate(r.closeDate)) out.push(error('format.close_date', 'closeDate', `"${r.closeDate}" is not a calendar date (YYYY-MM-DD).`));
  if (r.customer.duns && !/^[0-9-]+$/.test(r.customer.duns)) out.push(error('format.duns', 'customer.duns', `"${r.customer.duns}" is not a D-U-N-S number (digits only).`));
  out.push(...contactFormats(r.customerContact, 'customerContact'));
  r.team.forEach((member, i) => out.push(...contactFormats(member, `team[${i}]`)));
  r.solutions.forEach((s, i) => {
    out.push(...currencyFormat(s.currency, `solutions[${i}].currency`));
    if (s.price !== undefined && !(Number.isFinite(s.price) && s.price >= 0)) out.push(error('format.solution_amounts', `solutions[${i}].price`, `Solution ${s.id}: the price must not be negative; it is ${s.price}.`));
    if (s.quantity !== undefined && !(Number.isInteger(s.quantity) && s.quantity > 0)) out.push(error('format.solution_amounts', `solutions[${i}].quantity`, `Solution ${s.id}: the quantity must be a positive whole number; it is ${s.quantity}.`));
  });
  r.invitations.forEach((inv, i) => {
    out.push(...currencyFormat(inv.currency, `invitations[${i}].currency`));
    if (!(Number.isFinite(inv.value) && inv.value > 0)) out.push(error('format.value_positive', `invitations[${i}].value`, `The value for invited partner ${inv.partner.name ?? inv.partner.id} must be a positive amount; it is ${inv.value}.`));
    if (!isCalendarDate(inv.closeDate)) out.push(error('format.close_date', `invitations[${i}].closeDate`, `"${inv.closeDate}" is not a calendar date (YYYY-MM-DD).`));
    inv.team.forEach((member, j) => out.push(...contactFormats(member, `invitations[${i}].team[${j}]`)));
  });
  return out;
}
