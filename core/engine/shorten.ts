/**
 * Free text that does not fit the CRM's field is written shortened rather than refused, so that a seller
 * still sees the deal: cut to the field's length with an ellipsis, and said so on the record's sync
 * message. The lengths are each adapter's data (`CrmAdapter.textLimits`); which fields may be shortened is
 * decided here, by what the field means: only text a person reads. Identifiers, e-mail addresses, codes and
 * the customer's name (used to match accounts) are never shortened, because a shortened one would be a
 * wrong one: the CRM refuses such a value and the record is parked instead.
 *
 * The CRM then holds the shortened form while Partner Center and the link's base keep the full text. Read
 * back, a CRM value that is a shortened form of the base's text is that text (see {@link restoreShortened}),
 * so the shortened text never flows back to Partner Center as an edit.
 */
import type { Referral } from '../model/referral.js';

type TextField = 'dealName' | 'notes' | 'notesToMicrosoft' | 'closeNotes';

/** The fields that may be shortened, with the words the sync message uses for them. */
const SHORTENABLE: Readonly<Record<TextField, string>> = {
  dealName: 'deal name',
  notes: 'notes',
  notesToMicrosoft: 'notes to Microsoft',
  closeNotes: 'close notes',
};

const ELLIPSIS = '…';

export interface Shortened {
  field: TextField;
  /** The full text's length. */
  length: number;
  /** The CRM's limit. */
  max: number;
}

/** `text` cut to at most `max` characters, ending in an ellipsis when cut (never splitting a surrogate pair). */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return '';
  let cut = max - 1;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}${ELLIPSIS}`;
}

/**
 * A message cut to at most `max` characters at the last word boundary, ending in `more` (which says where
 * the whole text is): a sync message cut mid-word read as a broken rule code (`[visibility.cannot_with…`).
 * Falls back to {@link shorten} when no boundary is near enough to keep most of the text.
 */
export function shortenAtWord(text: string, max: number, more: string): string {
  if (text.length <= max) return text;
  const room = max - more.length - ELLIPSIS.length;
  const boundary = text.lastIndexOf(' ', room);
  if (room < 1 || boundary < room / 2) return shorten(text, max);
  return `${text.slice(0, boundary).trimEnd()}${ELLIPSIS}${more}`;
}

/**
 * What a sync message cut to its CRM field ends with: where the whole message is (`cosell explain ID` prints
 * it; until 2026-12-06 this said `cosell status`, which shows none of a synced record's notes).
 */
export const MESSAGE_CONTINUES = ' (cosell explain shows all)';

/** A record's sync message as a field of `max` characters holds it: whole, or cut between words saying where the rest is. */
export function fitMessage(text: string, max: number): string {
  return shortenAtWord(text, max, MESSAGE_CONTINUES);
}

function limited(limits: Readonly<Record<string, number>>): [TextField, number][] {
  return (Object.keys(SHORTENABLE) as TextField[]).flatMap((field) => (typeof limits[field] === 'number' ? [[field, limits[field]] as [TextField, number]] : []));
}

/** The referral as the CRM can hold it, and what was shortened. */
export function fitToCrm(referral: Referral, limits: Readonly<Record<string, number>>): { referral: Referral; shortened: Shortened[] } {
  const shortened: Shortened[] = [];
  let fitted = referral;
  for (const [field, max] of limited(limits)) {
    const value = referral[field];
    if (typeof value !== 'string' || value.length <= max) continue;
    fitted = { ...fitted, [field]: shorten(value, max) };
    shortened.push({ field, length: value.length, max });
  }
  return { referral: fitted, shortened };
}

/**
 * Whether `crm` is a shortened form of `full`: its start followed by the ellipsis. Not tied to today's
 * limit, so that a field an admin later widens (or narrows) still reads as unchanged, not as an edit.
 */
export function isShortenedForm(crm: unknown, full: unknown): boolean {
  if (typeof crm !== 'string' || typeof full !== 'string' || !crm.endsWith(ELLIPSIS) || crm.length > full.length) return false;
  return full.startsWith(crm.slice(0, -ELLIPSIS.length));
}

/** The CRM's view with every shortened form of the base's text taken as that text. */
export function restoreShortened(crm: Referral, base: Referral): Referral {
  let restored = crm;
  for (const field of Object.keys(SHORTENABLE) as TextField[]) {
    if (crm[field] !== base[field] && isShortenedForm(crm[field], base[field])) restored = { ...restored, [field]: base[field] };
  }
  return restored;
}

/** The sentence for the record's sync message, or '' when nothing was shortened. */
export function shortenedNote(shortened: readonly Shortened[], crmName: string): string {
  if (shortened.length === 0) return '';
  const list = shortened.map((s) => `${SHORTENABLE[s.field]} (${s.length} characters, ${crmName} keeps ${s.max})`).join(', ');
  return `Shortened to fit ${crmName}: ${list}. The full text is in Partner Center.`;
}
