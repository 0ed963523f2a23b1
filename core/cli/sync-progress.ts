/** The progress display of a sync run: which side is being read, pages so far, records read and written. */
import type { SyncProgress } from '../engine/context.js';
import { progressDisplay, type ProgressDisplay } from './progress.js';

const PHASES: Record<SyncProgress['phase'], string> = {
  'partner-center': 'Partner Center changes',
  crm: 'CRM changes',
  revisits: 'held and parked records',
};

export function syncProgressDisplay(stream: NodeJS.WriteStream = process.stderr): ProgressDisplay<SyncProgress> {
  return progressDisplay<SyncProgress>(
    {
      format: 'Syncing: {phase}, page {pages} | {read} records read, {written} written',
      // The change feeds do not say how many pages are coming, so the bar shows counts, not a fraction.
      render: (p) => ({ value: p.pages, total: 0, payload: { phase: PHASES[p.phase], pages: p.pages, read: p.read, written: p.written } }),
    },
    stream,
  );
}
