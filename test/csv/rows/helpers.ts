/** A valid create row (the seed's sample, IDs cleared, Status New/Accepted) and a one-call import with its results file. */
import { importReferrals } from '../../../core/csv/index.js';
import { CapturingStream, csvText, records } from '../helpers/csv.js';
import { SAMPLE_HEADER, SEED_SAMPLE_ROW } from '../helpers/fixtures.js';
import { MemoryGateway, NOW } from '../helpers/memory-gateway.js';

export const HEADER = SAMPLE_HEADER;

export function createRow(overrides: Record<string, string> = {}): Record<string, string> {
  return { ...SEED_SAMPLE_ROW, Errors: '', 'Engagement ID': '', 'Referral ID': '', 'CRM ID': '', 'Partner Referral Status': 'New', 'Partner Referral Substatus': 'Accepted', 'Declined/Lost reason': '', ...overrides };
}

export async function importText(content: string | Buffer) {
  const gateway = new MemoryGateway();
  const results = new CapturingStream();
  const result = await importReferrals({ content }, { location: 'loc-us-redmond', results }, { gateway, now: () => NOW });
  const [header, ...rows] = records(results.text());
  const errorsOf = (i: number) => rows[i]![header!.indexOf('Errors')]!;
  return { gateway, result, header: header!, rows, errorsOf };
}

export const fileOf = (rows: Record<string, string>[]) => csvText(HEADER, rows);
