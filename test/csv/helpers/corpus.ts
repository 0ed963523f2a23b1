/**
 * The bad-row corpus (test/fixtures/csv/bad-rows.json) as an import file. Each entry starts from a base
 * (the seed's sample row for a create, or the export of a seeded deal for an update) and overrides cells.
 */
import { readFileSync } from 'node:fs';
import { formatRow, headerRow } from '../../../core/csv/format.js';
import type { Referral } from '../../../core/model/index.js';
import { assessmentDeal, coSellDeal, inboundFromMicrosoft, outboundDeal } from '../../helpers/referrals.js';
import { csvText } from './csv.js';
import { SEED_SAMPLE_ROW } from './fixtures.js';
import { NOW } from './memory-gateway.js';

export interface CorpusRow {
  fault: string;
  base: 'create' | 'active' | 'won' | 'inbound' | 'inbound-expired' | 'partner-led' | 'cosell' | 'assessment';
  cells?: Record<string, string>;
  fillSolutions?: number;
  sameDealAs?: string;
  expect?: { column?: string; code: string; says: string };
  outcome?: 'created' | 'updated' | 'unchanged';
}

export const corpus = (JSON.parse(readFileSync(new URL('../../fixtures/csv/bad-rows.json', import.meta.url), 'utf8')) as { rows: CorpusRow[] }).rows;
const WIDTHS = { solutions: 51, team: 2 };
const HEADER = headerRow(WIDTHS);
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

function baseDeal(base: CorpusRow['base'], i: number): Referral {
  const ids = { referralId: `c0000000-0000-4000-8000-${String(i).padStart(12, '0')}`, engagementId: `e0000000-0000-4000-8000-${String(i).padStart(12, '0')}`, crmId: `CRM-UPD-${i}`, createdAt: ago(10), updatedAt: ago(10) };
  switch (base) {
    case 'won':
      return outboundDeal({ ...ids, status: 'Closed', substatus: 'Won', salesStage: 'Won' });
    case 'inbound':
      return inboundFromMicrosoft({ ...ids, crmId: undefined, createdAt: ago(2), expiresAt: ago(-12) });
    case 'inbound-expired':
      return inboundFromMicrosoft({ ...ids, crmId: undefined, createdAt: ago(20), expiresAt: ago(6) });
    case 'partner-led':
      return outboundDeal({ ...ids, dealType: 'partner-led', shareWithMicrosoftSellers: true });
    case 'cosell':
      return coSellDeal({ ...ids, microsoft: { status: 'Pending', requestedAt: ago(1) } });
    case 'assessment':
      return assessmentDeal(ids);
    default:
      return outboundDeal(ids);
  }
}

/** The corpus as a file, and the deals seeded for its update rows. */
export function buildCorpus(entries: readonly CorpusRow[] = corpus): { text: string; seeded: Map<number, Referral> } {
  const seeded = new Map<number, Referral>();
  const byFault = new Map<string, number>();
  const rows = entries.map((entry, i) => {
    byFault.set(entry.fault, i);
    let cells: Record<string, string>;
    if (entry.base === 'create') {
      cells = { ...SEED_SAMPLE_ROW, 'Engagement ID': '', 'Referral ID': '', 'Declined/Lost reason': '', 'Deal Name': `Corpus: ${entry.fault}`, 'CRM ID': `CORPUS-${i}` };
    } else {
      const same = entry.sameDealAs === undefined ? undefined : seeded.get(byFault.get(entry.sameDealAs) as number);
      const deal = same ?? baseDeal(entry.base, i);
      seeded.set(i, deal);
      cells = Object.fromEntries(HEADER.map((h, k) => [h, formatRow(deal, WIDTHS)[k]!]));
    }
    for (let n = 1; n <= (entry.fillSolutions ?? 0); n += 1) cells[`Solution ${n}`] = `SOL-${n}-FILL`;
    return { ...cells, ...entry.cells };
  });
  return { text: csvText(HEADER, rows), seeded };
}

/** The spreadsheet row of the i-th entry (header = row 1). */
export const rowNumber = (i: number) => i + 2;

