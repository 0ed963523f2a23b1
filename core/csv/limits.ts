/**
 * The longest text each free-text column takes, checked on import with a message naming the column,
 * the length and the limit, so a 1,200-character deal name is refused instead of reaching Partner
 * Center (or being cut somewhere later).
 *
 * The bulk CSV documentation and the referrals API documentation state no lengths. Where a standard
 * fixes one it is cited; every other limit is the one Partner Center's deal form enforces as we read
 * it, and is UNVERIFIED against the live service (listed in core/csv/README.md).
 */
export interface TextLimit {
  max: number;
  source: string;
}

const UI = 'Partner Center deal form (UNVERIFIED)';

/** Keyed by the documented column name. Lengths count characters (code points), as a form does. */
export const TEXT_LIMITS: ReadonlyMap<string, TextLimit> = new Map([
  ['Deal Name', { max: 100, source: UI }],
  ['Customer Name', { max: 255, source: UI }],
  ['Customer Address Line 1', { max: 255, source: UI }],
  ['Customer Address Line 2', { max: 255, source: UI }],
  ['Customer City', { max: 100, source: UI }],
  ['Customer State', { max: 100, source: UI }],
  ['Customer Postal Code', { max: 20, source: UI }],
  ['Customer Contact First Name', { max: 100, source: UI }],
  ['Customer Contact Last Name', { max: 100, source: UI }],
  ['Customer Contact Phone number', { max: 50, source: UI }],
  // RFC 5321 §4.5.3.1.3: a path is at most 256 octets including the angle brackets, so 254 for the address.
  ['Customer Contact Email Address', { max: 254, source: 'RFC 5321 §4.5.3.1.3' }],
  ['CRM ID', { max: 100, source: UI }],
  ['Marketing Campaign ID', { max: 100, source: UI }],
  ['Notes', { max: 4000, source: UI }],
  ['Notes to Microsoft', { max: 4000, source: UI }],
]);

/** Characters, not UTF-16 units: an emoji counts once. */
export const characterCount = (text: string): number => [...text].length;
