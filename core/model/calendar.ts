/**
 * The Gregorian calendar's month lengths, for the text fast paths that read a date without `Date`
 * (Partner Center's `dateFromApi`, Salesforce's `sfDatetimeToIso`): a day past its month's end must take
 * the `Date` path, which rolls it over as it always did.
 */
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The days of `month` (1–12) in `year`. */
export function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}
