/**
 * Lookups over many values (`… WHERE field IN (…)`), several statements in one Composite call (issue 13).
 * Sent as plain queries, a lookup's IN list was kept to about 6,000 characters (`chunkForSoql`'s default: the
 * 16,384-byte URI limit of a GET), about 150 values a call: creating 5,000 opportunities from Partner Center
 * made 35 such calls (team members, users, accounts). A Composite subrequest's url travels in the request body
 * (deals-by-id.ts), so a statement names up to 40,000 characters of values (about 2,000 record IDs, far below
 * SOQL's 100,000 characters: the sandbox refuses more), and a call carries five statements, continuations
 * followed in further calls (composite-queries.ts).
 * https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_soslsoql.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 */
import type { SfRecord } from './assemble.js';
import type { SalesforceClient } from './client.js';
import { runCompositeQueries } from './composite-queries.js';
import { chunkForSoql } from './matching.js';

/** Characters of values one statement's IN list names (see above). */
export const IN_LIST_CHARS = 40_000;

/** One lookup: the statement for a list of quoted values, and the values (each asked once). */
export interface InListLookup {
  soqlFor: (quoted: string[]) => string;
  values: readonly string[];
  quote: (value: string) => string;
}

/**
 * The rows of each lookup, in the order asked (each statement's rows in its own order), from as few Composite
 * calls as the statements allow. A lookup without values asks nothing; none with values, no call.
 */
export async function queryInLists(client: SalesforceClient, lookups: readonly InListLookup[]): Promise<SfRecord[][]> {
  const statements = lookups.map((l) => chunkForSoql([...new Set(l.values)], IN_LIST_CHARS).map((list) => l.soqlFor(list.map(l.quote))));
  const queries = Object.fromEntries(statements.flatMap((soqls, l) => soqls.map((soql, i) => [`in${l}_${i}`, soql] as const)));
  if (Object.keys(queries).length === 0) return lookups.map(() => []);
  const answers = await runCompositeQueries(client, queries);
  return statements.map((soqls, l) => soqls.flatMap((_, i) => answers[`in${l}_${i}`] ?? []));
}

/** The rows of one lookup (`queryInLists`). */
export async function queryInList(client: SalesforceClient, lookup: InListLookup): Promise<SfRecord[]> {
  return (await queryInLists(client, [lookup]))[0] ?? [];
}
